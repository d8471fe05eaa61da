//! Zip members, through the `zip` crate (APPNOTE.TXT 6.3.10).
//!
//! The central directory declares every member's sizes and flags, so encrypted members are skipped and bombs (a
//! member declaring gigabytes, or a ratio no real file has) are listed before anything is inflated; what is inflated
//! still goes through a [`Metered`] reader whose ratio base is the declared compressed size (the zip reader consumes at
//! most that much, so the real ratio is at least the one measured). Members are independent: a corrupt one, or one
//! over a limit, is listed and the next is read. Supported methods: stored, deflate, bzip2 (zip's xz, lzma and zstd
//! methods are rare, and their decoders would size their windows from the archive, so they are listed as unsupported).
use std::io::{Read, Seek};

use zip::{read::ZipFile, CompressionMethod, ZipArchive};

use super::{
    limits::{Meter, Metered, RATIO_GRACE},
    Fail, Limit, MemberInfo, Step, Walker,
};

impl Walker<'_> {
    /// Every member of the zip in `reader`, at `depth`.
    pub(super) fn zip<R: Read + Seek>(&mut self, reader: R, depth: u32) -> Step {
        let mut archive = match ZipArchive::new(reader) {
            Ok(archive) => archive,
            Err(e) => return self.error(format!("zip: {e}")),
        };
        for index in 0..archive.len() {
            self.zip_member(&mut archive, index, depth)?;
        }
        Ok(())
    }

    fn zip_member<R: Read + Seek>(&mut self, archive: &mut ZipArchive<R>, index: usize, depth: u32) -> Step {
        // The directory entry alone, without starting a decoder.
        let (name, entry) = match archive.by_index_raw(index) {
            Ok(raw) if !raw.is_file() => return Ok(()),
            Ok(raw) => (raw.name_raw().to_vec(), Entry::of(&raw)),
            Err(e) => return self.error(format!("zip: member {index}: {e}")),
        };
        let mark = self.enter(&name);
        let step = self.zip_entry(archive, index, &entry, depth);
        self.leave(mark);
        step
    }

    fn zip_entry<R: Read + Seek>(
        &mut self,
        archive: &mut ZipArchive<R>,
        index: usize,
        entry: &Entry,
        depth: u32,
    ) -> Step {
        self.count_member()?;
        if entry.encrypted {
            return self.encrypted();
        }
        if !zip::SUPPORTED_COMPRESSION_METHODS.contains(&entry.method) {
            return self.error(format!("zip: compression method {} is not supported", entry.method));
        }
        let declared = entry.info.declared.unwrap_or(0);
        if declared > RATIO_GRACE && declared > entry.compressed.saturating_mul(self.limits.max_ratio) {
            return self.limit_hit(Limit::Ratio);
        }
        let file = match archive.by_index(index) {
            Ok(file) => file,
            Err(e) => return self.error(format!("zip: {e}")),
        };
        let meter = Meter::with_input(entry.compressed);
        let mut metered = Metered::new(file, self.budget, &meter, self.limits.max_ratio);
        match self.member(&mut metered, entry.info, depth) {
            Ok(()) => Ok(()),
            Err(Fail::Halt) => Err(super::Halt),
            Err(Fail::Io(e)) => self.io_problem("zip", &e),
        }
    }
}

/// What the central directory says about a member.
struct Entry {
    info: MemberInfo,
    compressed: u64,
    encrypted: bool,
    method: CompressionMethod,
}

impl Entry {
    fn of<R: Read>(raw: &ZipFile<'_, R>) -> Entry {
        Entry {
            info: MemberInfo {
                declared: Some(raw.size()),
                mode: raw.unix_mode().map(|m| m & 0o7777),
                mtime: mtime(raw),
            },
            compressed: raw.compressed_size(),
            encrypted: raw.encrypted(),
            method: raw.compression(),
        }
    }
}

/// The extended-timestamp extra field (0x5455, Unix seconds) if present, else the DOS date and time read as UTC.
fn mtime<R: Read>(raw: &ZipFile<'_, R>) -> Option<i64> {
    let extended = raw.extra_data_fields().find_map(|field| match field {
        zip::ExtraField::ExtendedTimestamp(ts) => ts.mod_time(),
        _ => None,
    });
    if let Some(seconds) = extended {
        return Some(i64::from(seconds));
    }
    let dt = raw.last_modified()?;
    let days = days_from_civil(i64::from(dt.year()), i64::from(dt.month()), i64::from(dt.day()));
    Some(days * 86_400 + i64::from(dt.hour()) * 3600 + i64::from(dt.minute()) * 60 + i64::from(dt.second()))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::days_from_civil;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1980, 1, 1), 3652);
        assert_eq!(days_from_civil(2024, 2, 29) * 86_400, 1_709_164_800);
    }
}
