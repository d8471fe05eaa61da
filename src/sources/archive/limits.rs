//! The bounds of an archive visit, and the readers that enforce them.
//!
//! Declared sizes are checked first (a zip's central directory, a tar header), so a bomb that says what it is never
//! starts expanding; but declared sizes lie, so every decompressed byte also goes through a [`Metered`] reader that
//! counts it against the archive's total and the stream's ratio, and every member is read with [`read_capped`], which
//! never holds more than the member limit. The three-layer check is what the zip-bomb literature recommends (David
//! Fifield, "A better zip bomb", 2019: overlapping files make declared and real sizes disagree).
use std::{
    cell::Cell,
    fmt,
    io::{self, Read},
};

/// Decompressed bytes a stream or member may produce before its ratio is checked: small members compress wildly
/// (a 1 KiB file of spaces is 100:1), and checking them would stop harmless archives.
pub const RATIO_GRACE: u64 = 1 << 20;

/// Memory a decoder may use for its window: xz's memory limit, and ruzstd's fixed window cap (100 MiB). `xz -9` needs
/// 65 MiB and zstd's own decoder accepts windows up to 128 MiB (`--long=27`) only when told to, so real files decode.
pub const DECODER_MEMORY: u64 = 100 << 20;

/// The most a [`Metered`] reader passes on per read: how far past a limit a read may go before it is noticed.
const METER_STEP: usize = 64 << 10;

/// How far an archive visit may go. One `Limits` serves every archive of a scan; the totals are per top-level
/// archive (a file on disk), summed over every nesting level inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest member, decompressed, that is held in memory and handed to the scanner: the scan's
    /// `--max-file-size`. A bigger member is skipped and listed ([`Limit::MemberBytes`]). A nested tar or compressed
    /// stream is read as a stream, not held, so this bounds a nested zip (which needs random access) but not a
    /// nested `.tar.gz`.
    pub max_member_bytes: u64,
    /// Largest member handed out whole ([`Event::Member`](super::Event::Member)); a bigger one (up to
    /// `max_member_bytes`) is handed out as its first bytes and a reader for the rest
    /// ([`Event::Large`](super::Event::Large)), so a scan can stream it in chunks as it streams a big file.
    pub max_held_bytes: u64,
    /// Bytes decompressed while visiting one top-level archive, summed over every nesting level (work, not memory).
    /// Reaching it ends the visit ([`Limit::ArchiveBytes`]).
    pub max_archive_bytes: u64,
    /// Members (regular files) visited in one top-level archive, every nesting level included. Reaching it ends the
    /// visit ([`Limit::Members`]).
    pub max_members: u64,
    /// Largest ratio of decompressed to compressed bytes, checked past the first [`RATIO_GRACE`] bytes: declared
    /// sizes first (zip), then the bytes really produced. A zip member over it is skipped; a compressed stream over it
    /// is abandoned, since the rest of a stream cannot be reached without expanding it ([`Limit::Ratio`]).
    pub max_ratio: u64,
    /// Archive levels opened, the top-level archive being level 1: with 3, `a.zip!b.tar.gz!c.jar!x` is read and an
    /// archive inside `c.jar` is listed instead ([`Limit::Depth`]). A `.tar.gz` is one level (a tar in a gzip
    /// stream); a `.zip.gz` is two.
    pub max_depth: u32,
}

impl Default for Limits {
    /// 32 MiB per member (the default `--max-file-size`), held whole up to 4 MiB (the size up to which a file is
    /// read whole), 1 GiB decompressed per archive (about 3 s of inflating), 100 000 members, a ratio of 100 (Apache
    /// POI's zip-bomb threshold; deflate's best is about 1032:1), depth 3.
    fn default() -> Limits {
        Limits {
            max_member_bytes: 32 << 20,
            max_held_bytes: 4 << 20,
            max_archive_bytes: 1 << 30,
            max_members: 100_000,
            max_ratio: 100,
            max_depth: 3,
        }
    }
}

impl Limits {
    /// The defaults, with the member limit set to the scan's `--max-file-size`.
    pub fn with_max_file_size(max_file_size: u64) -> Limits {
        Limits { max_member_bytes: max_file_size, ..Limits::default() }
    }
}

/// Which bound stopped something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Limit {
    /// A member larger than [`Limits::max_member_bytes`] (declared or real): skipped.
    MemberBytes,
    /// A member without a declared size (a compressed stream's) that went on past [`Limits::max_member_bytes`]: handed
    /// out as an [`Event::Large`](super::Event::Large) up to the limit, the rest not read.
    MemberTruncated,
    /// [`Limits::max_archive_bytes`] decompressed: the visit ends.
    ArchiveBytes,
    /// [`Limits::max_members`] visited: the visit ends.
    Members,
    /// Compression ratio over [`Limits::max_ratio`]: the member is skipped, or the stream abandoned.
    Ratio,
    /// An archive nested deeper than [`Limits::max_depth`]: listed, not opened.
    Depth,
}

impl Limit {
    /// A stable name for reports and stats.
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::MemberBytes => "member_bytes",
            Limit::MemberTruncated => "member_truncated",
            Limit::ArchiveBytes => "archive_bytes",
            Limit::Members => "members",
            Limit::Ratio => "ratio",
            Limit::Depth => "depth",
        }
    }

    /// A one-line reason for the report's error list, with the limit's value.
    pub fn reason(self, limits: &Limits) -> String {
        match self {
            Limit::MemberBytes => format!("archive member larger than {} bytes: skipped", limits.max_member_bytes),
            Limit::MemberTruncated => {
                format!("archive member larger than {} bytes: read up to that size", limits.max_member_bytes)
            }
            Limit::ArchiveBytes => {
                format!("more than {} bytes decompressed from one archive: rest not read", limits.max_archive_bytes)
            }
            Limit::Members => format!("more than {} members in one archive: rest not read", limits.max_members),
            Limit::Ratio => format!("compression ratio over {}:1 (archive bomb?): not expanded", limits.max_ratio),
            Limit::Depth => format!("archive nested deeper than {} levels: not opened", limits.max_depth),
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The per-top-level-archive total of decompressed bytes, shared by every reader of the visit, and the last limit a
/// [`Metered`] reader tripped: the handler of the I/O error that follows reads it, to tell a limit from a corrupt
/// archive (decoders and the tar crate may wrap the error, so its payload cannot be relied on).
pub struct Budget {
    used: Cell<u64>,
    max: u64,
    exhausted: Cell<bool>,
    trip: Cell<Option<Limit>>,
}

impl Budget {
    pub fn new(max: u64) -> Budget {
        Budget { used: Cell::new(0), max, exhausted: Cell::new(false), trip: Cell::new(None) }
    }

    pub fn used(&self) -> u64 {
        self.used.get()
    }

    /// True once a reader went past the total: the visit must end.
    pub fn exhausted(&self) -> bool {
        self.exhausted.get()
    }

    /// The limit behind the latest failed read, if a limit it was; cleared.
    pub fn take_trip(&self) -> Option<Limit> {
        self.trip.take()
    }
}

/// What one decoder has consumed, and the limit that stopped it, if one did (a stopped decoder stays stopped).
#[derive(Default)]
pub struct Meter {
    pub consumed: Cell<u64>,
    tripped: Cell<Option<Limit>>,
}

impl Meter {
    /// A meter whose input is known up front (a zip member's declared compressed size, which bounds what the zip
    /// reader will consume of it).
    pub fn with_input(consumed: u64) -> Meter {
        Meter { consumed: Cell::new(consumed), tripped: Cell::new(None) }
    }
}

/// Counts the compressed bytes a decoder pulls from its input.
pub struct Counting<'a, R> {
    pub inner: R,
    pub meter: &'a Meter,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.meter.consumed.set(self.meter.consumed.get() + n as u64);
        Ok(n)
    }
}

/// Counts the decompressed bytes a decoder produces against the archive's [`Budget`] and the decoder's ratio; past
/// either it fails every read, records which limit in the [`Meter`], and produces nothing more.
pub struct Metered<'a, R> {
    inner: R,
    budget: &'a Budget,
    meter: &'a Meter,
    max_ratio: u64,
    out: u64,
}

impl<'a, R: Read> Metered<'a, R> {
    pub fn new(inner: R, budget: &'a Budget, meter: &'a Meter, max_ratio: u64) -> Metered<'a, R> {
        Metered { inner, budget, meter, max_ratio, out: 0 }
    }

    /// Every failed read says why, to the budget, for the handler of the error.
    fn trip(&self, limit: Limit) -> io::Error {
        self.meter.tripped.set(Some(limit));
        self.budget.trip.set(Some(limit));
        if limit == Limit::ArchiveBytes {
            self.budget.exhausted.set(true);
        }
        io::Error::other(format!("archive limit reached: {limit}"))
    }
}

impl<R: Read> Read for Metered<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(limit) = self.meter.tripped.get() {
            return Err(self.trip(limit));
        }
        if self.budget.exhausted() {
            return Err(self.trip(Limit::ArchiveBytes));
        }
        // Small steps, so a limit is noticed within one step of being passed.
        let step = buf.len().min(METER_STEP);
        let n = self.inner.read(&mut buf[..step])?;
        self.out += n as u64;
        let used = self.budget.used.get() + n as u64;
        self.budget.used.set(used);
        if used > self.budget.max {
            return Err(self.trip(Limit::ArchiveBytes));
        }
        if self.out > RATIO_GRACE && self.out > self.meter.consumed.get().saturating_mul(self.max_ratio) {
            return Err(self.trip(Limit::Ratio));
        }
        Ok(n)
    }
}

/// Why [`read_capped`] returned no data.
#[derive(Debug)]
pub enum Capped {
    /// More than the cap: nothing kept.
    TooLarge,
    Io(io::Error),
}

/// Everything `reader` yields, after `head`, if it is at most `cap` bytes in all; memory never exceeds `cap + 1`
/// bytes, whatever `declared` (the archive's word for the size, used to size the buffer once when it is honest) says.
pub fn read_capped(head: &[u8], reader: &mut dyn Read, cap: u64, declared: Option<u64>) -> Result<Vec<u8>, Capped> {
    match read_upto(head, reader, cap, declared) {
        Ok((data, false)) => Ok(data),
        Ok((_, true)) => Err(Capped::TooLarge),
        Err(e) => Err(Capped::Io(e)),
    }
}

/// `head` and what `reader` yields after it, up to `cap + 1` bytes in all, and whether there was more than `cap`
/// (then the reader is positioned after the bytes returned). Buffer sizing as in [`read_capped`].
pub fn read_upto(head: &[u8], reader: &mut dyn Read, cap: u64, declared: Option<u64>) -> io::Result<(Vec<u8>, bool)> {
    let limit = usize::try_from(cap.saturating_add(1)).unwrap_or(usize::MAX);
    if head.len() >= limit {
        return Ok((head.to_vec(), true));
    }
    // One spare byte past a declared size, so an honest member ends without growing the buffer.
    let first = match declared {
        Some(size) => usize::try_from(size.saturating_add(1)).unwrap_or(usize::MAX),
        None => 8192,
    };
    let mut buf = Vec::with_capacity(first.max(head.len()).min(limit));
    buf.extend_from_slice(head);
    let mut len = buf.len();
    loop {
        if len == buf.len() {
            if len >= limit {
                return Ok((buf, true));
            }
            // Grow by doubling, but never past the cap (a plain `read_to_end` may double to twice the cap).
            let target = len.saturating_mul(2).max(8192).max(buf.capacity()).min(limit);
            buf.reserve_exact(target - len);
            buf.resize(target, 0);
        }
        match reader.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(len);
    Ok((buf, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_capped_keeps_small_and_refuses_large_without_overallocating() {
        let data = vec![7u8; 10_000];
        let got = read_capped(b"ab", &mut &data[..], 20_000, None).unwrap();
        assert_eq!(got.len(), 10_002);
        assert_eq!(&got[..2], b"ab");
        assert!(matches!(read_capped(b"", &mut &data[..], 9_999, Some(10_000)), Err(Capped::TooLarge)));
        let got = read_capped(b"", &mut &data[..], 10_000, Some(10)).unwrap();
        assert_eq!(got.len(), 10_000, "exactly the cap is kept; a low declared size only costs a regrowth");
        let got = read_capped(b"", &mut &data[..], 1 << 20, Some(10_000)).unwrap();
        assert_eq!((got.len(), got.capacity()), (10_000, 10_001), "an honest declared size: one allocation");
        // A lying declared size cannot make the buffer larger than the cap + 1.
        let mut zeros = io::repeat(0).take(1 << 20);
        assert!(matches!(read_capped(b"", &mut zeros, 100_000, Some(u64::MAX)), Err(Capped::TooLarge)));
        let got = read_capped(b"", &mut &data[..], 10_000, Some(u64::MAX)).unwrap();
        assert!(got.capacity() <= 10_001, "capacity {}", got.capacity());
        assert!(matches!(read_capped(b"abc", &mut &data[..], 2, None), Err(Capped::TooLarge)));
    }

    #[test]
    fn metered_stops_at_the_archive_total() {
        let budget = Budget::new(5000);
        let meter = Meter::with_input(u64::MAX);
        let mut r = Metered::new(io::repeat(1).take(10_000), &budget, &meter, 100);
        let mut sink = Vec::new();
        assert!(r.read_to_end(&mut sink).is_err());
        assert_eq!(budget.take_trip(), Some(Limit::ArchiveBytes));
        assert_eq!(budget.take_trip(), None, "taken once");
        assert!(budget.exhausted());
        // Another reader of the same visit stops at once.
        let other = Meter::default();
        let mut r2 = Metered::new(io::repeat(1).take(10), &budget, &other, 100);
        assert!(r2.read(&mut [0u8; 4]).is_err());
    }

    #[test]
    fn metered_checks_the_ratio_past_the_grace() {
        let budget = Budget::new(u64::MAX);
        let meter = Meter::with_input(1000);
        let mut r = Metered::new(io::repeat(0).take(RATIO_GRACE), &budget, &meter, 100);
        assert_eq!(io::copy(&mut r, &mut io::sink()).unwrap(), RATIO_GRACE, "within the grace: no ratio check");
        let meter = Meter::with_input(1000);
        let mut r = Metered::new(io::repeat(0).take(10 * RATIO_GRACE), &budget, &meter, 100);
        assert!(io::copy(&mut r, &mut io::sink()).is_err());
        assert_eq!(budget.take_trip(), Some(Limit::Ratio));
        assert!(r.read(&mut [0u8; 4]).is_err(), "a stopped reader stays stopped");
        assert_eq!(budget.take_trip(), Some(Limit::Ratio), "and says why again");
        assert!(!budget.exhausted());
        let meter = Meter::with_input(RATIO_GRACE);
        let mut r = Metered::new(io::repeat(0).take(10 * RATIO_GRACE), &budget, &meter, 100);
        assert_eq!(io::copy(&mut r, &mut io::sink()).unwrap(), 10 * RATIO_GRACE, "10:1 is fine");
    }

    #[test]
    fn counting_counts() {
        let meter = Meter::default();
        let mut c = Counting { inner: &b"hello world"[..], meter: &meter };
        io::copy(&mut c, &mut io::sink()).unwrap();
        assert_eq!(meter.consumed.get(), 11);
    }

    #[test]
    fn reasons_name_the_values() {
        let l = Limits::with_max_file_size(1234);
        assert!(Limit::MemberBytes.reason(&l).contains("1234"));
        assert!(Limit::Ratio.reason(&l).contains("100:1"));
        assert!(Limit::Depth.reason(&l).contains('3'));
        assert_eq!(Limit::ArchiveBytes.to_string(), "archive_bytes");
    }
}
