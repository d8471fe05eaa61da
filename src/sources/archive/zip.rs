//! Zip members, through the `zip` crate (APPNOTE.TXT 6.3.10).
//!
//! The central directory declares every member's sizes and flags, so encrypted members are skipped and bombs (a
//! member declaring gigabytes, or a ratio no real file has) are listed before anything is inflated; what is inflated
//! still goes through a [`Metered`] reader whose ratio base is the declared compressed size (the zip reader consumes at
//! most that much, so the real ratio is at least the one measured). Members are independent: a corrupt one, or one
//! over a limit, is listed and the next is read. Supported methods: stored, deflate, bzip2 (zip's xz, lzma and zstd
//! methods are rare, and their decoders would size their windows from the archive, so they are listed as unsupported).
use std::io::{Read, Seek, SeekFrom};

use zip::{read::ZipFile, CompressionMethod, ZipArchive};

use super::{
    limits::{Meter, Metered, RATIO_GRACE},
    Fail, Limit, MemberInfo, Step, Walker,
};

impl Walker<'_> {
    /// Every member of the zip in `reader`, at `depth`. The zip crate holds the whole central directory in memory,
    /// so a zip declaring more members than the visit has left is not opened: listed as [`Limit::Members`].
    pub(super) fn zip<R: Read + Seek>(&mut self, mut reader: R, depth: u32) -> Step {
        let left = self.limits.max_members.saturating_sub(self.seen);
        if declared_entries(&mut reader).is_some_and(|n| n > left) {
            return self.limit_hit(Limit::Members);
        }
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

/// The member count the end of central directory record declares (APPNOTE 4.3.16, and 4.3.14 for zip64), if the
/// record is found in the last 64 KiB; the zip reader itself judges everything else.
fn declared_entries<R: Read + Seek>(reader: &mut R) -> Option<u64> {
    let len = reader.seek(SeekFrom::End(0)).ok()?;
    let tail_len = len.min(22 + 0xffff);
    reader.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0u8; usize::try_from(tail_len).ok()?];
    reader.read_exact(&mut tail).ok()?;
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let eocd = tail.get(at..at + 22)?;
    let entries = u16::from_le_bytes([eocd[10], eocd[11]]);
    if entries != 0xffff {
        return Some(u64::from(entries));
    }
    // Zip64: the locator just before the record points at the zip64 record, whose count is at offset 32.
    let locator = tail.get(at.checked_sub(20)?..at)?;
    if &locator[..4] != b"PK\x06\x07" {
        return None;
    }
    let record = u64::from_le_bytes(locator[8..16].try_into().ok()?);
    reader.seek(SeekFrom::Start(record)).ok()?;
    let mut zip64 = [0u8; 40];
    reader.read_exact(&mut zip64).ok()?;
    (&zip64[..4] == b"PK\x06\x06").then(|| u64::from_le_bytes(zip64[32..40].try_into().unwrap_or_default()))
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
