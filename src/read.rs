//! Safe, bounded reads of one file at a time.
//!
//! Why this is its own module: the anchors hung on FIFOs and `/proc` files, died of SIGBUS on files truncated under an
//! mmap, and trusted a size limit the walker applied only to files it found itself. Here every read:
//! * opens with `O_NONBLOCK | O_NOCTTY` (and `O_NOFOLLOW` unless following links), so a FIFO or tty swapped in after
//!   the walker looked can neither block nor become our terminal, then `fstat`s the *open* file and refuses anything
//!   that is not a regular file;
//! * checks the size limit on the open file, for command-line paths too, and reads at most `limit + 1` bytes with
//!   plain `read()` into a reused buffer (no mmap), so a file growing mid-read is still bounded;
//! * sniffs the first [`BINARY_SNIFF`] bytes for a NUL (8 KiB, not 1 KiB: PDFs and similar put text first).
use std::{
    fs::File,
    io::{self, Read},
    path::Path,
};

/// Bytes inspected for a NUL to call a file binary.
pub const BINARY_SNIFF: usize = 8 * 1024;
/// A buffer grown by one big file is given back down to this size afterwards, so memory follows the current file.
const KEEP_CAPACITY: usize = 4 << 20;

/// Why a file was not scanned. Counted in the report's stats, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// Binary content whose strings are not looked at (a staged blob, an archive with `--no-archives`).
    Binary,
    TooLarge,
    /// FIFO, socket, device.
    Special,
    /// A symlink while links are not followed.
    Symlink,
    /// `/proc`, `/sys`, `/dev`.
    PseudoFilesystem,
    /// A default endpoint exclude (package cache, build output, VM image …).
    Excluded,
    /// An executable or shared library (ELF, Mach-O, PE): its strings are library test vectors, not user secrets.
    /// Scanned with `--scan-binaries`.
    Executable,
    /// An image, audio, video, font, PDF or a compressed format that is not opened (7z, rar …): its strings are
    /// noise. Scanned with `--scan-binaries`.
    Media,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too_large",
            SkipReason::Special => "special_file",
            SkipReason::Symlink => "symlink",
            SkipReason::PseudoFilesystem => "pseudo_filesystem",
            SkipReason::Excluded => "excluded",
            SkipReason::Executable => "executable",
            SkipReason::Media => "media",
        }
    }
}

/// Facts about the file that was read, taken from the open descriptor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileMeta {
    pub size: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Modification time, seconds since the Unix epoch.
    pub mtime: i64,
}

/// Files up to this size are read whole (and can be parsed); larger ones are streamed in [`CHUNK`]s, so memory
/// never holds a whole big file.
pub const WHOLE_FILE_MAX: u64 = 4 << 20;
/// Bytes read per step of a streamed file.
pub const CHUNK: usize = 4 << 20;
/// Bytes each chunk repeats from the end of the previous one. Larger than the longest match the engine can produce
/// (look-behind + the largest rule window + a line tail), so a secret across a chunk border is whole in one chunk.
pub const OVERLAP: usize = 128 << 10;

/// Result of a read: the file's text, a large file to stream, or why it was skipped.
#[derive(Debug)]
pub enum Outcome<'a> {
    Text(&'a [u8], FileMeta),
    Large(LargeFile),
    Skipped(SkipReason),
}

/// An open file too large to read whole; see [`Reader::next_chunk`].
#[derive(Debug)]
pub struct LargeFile {
    file: File,
    pub meta: FileMeta,
    /// Bytes read so far.
    read: u64,
    started: bool,
    eof: bool,
}

impl LargeFile {
    /// The first bytes of the file, before it is streamed (the read position stays at the start): what decides
    /// whether it is text, an archive or another binary file.
    pub fn peek(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::io::{Seek, SeekFrom};
        let n = read_full(&mut self.file, buf)?;
        self.file.seek(SeekFrom::Start(0))?;
        Ok(n)
    }

    /// The open file, for a reader that bounds its own work (an archive, read member by member).
    pub fn into_file(self) -> File {
        self.file
    }
}

/// Opens a file that is over the size limit again, for a reader that bounds its own work (an archive: members are
/// bounded one by one, the bytes decompressed in all): the open file and its facts, if it is still a regular file of
/// at most `max` bytes. Opened as safely as any other read.
pub fn open_bounded(path: &Path, follow: bool, max: u64) -> io::Result<Option<(File, FileMeta)>> {
    let file = open_safely(path, follow)?;
    let md = file.metadata()?;
    Ok((md.is_file() && md.len() <= max).then(|| (file, file_meta(&md))))
}

/// Fills `buf` as far as `src` goes; the count read (short only at the end).
pub fn read_full(src: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match src.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// One step of a streamed file.
#[derive(Debug)]
pub struct Chunk<'a> {
    pub data: &'a [u8],
    /// Matches whose secret starts at or after this offset belong to the next chunk (which starts exactly there).
    pub owned_end: usize,
    pub first: bool,
}

/// One per worker thread; reuses its buffer across files.
pub struct Reader {
    buf: Vec<u8>,
    max_size: u64,
}

impl Reader {
    pub fn new(max_size: u64) -> Reader {
        Reader { buf: Vec::new(), max_size }
    }

    /// Read a file. `follow` allows the final path component to be a symlink (links are followed, or the user named
    /// the path on the command line).
    pub fn read_path(&mut self, path: &Path, follow: bool) -> io::Result<Outcome<'_>> {
        self.read_path_with(path, follow, false)
    }

    /// [`Reader::read_path`], optionally without the binary check (binary credential stores such as gcloud's
    /// SQLite files, which a parser reads).
    pub fn read_path_with(&mut self, path: &Path, follow: bool, allow_binary: bool) -> io::Result<Outcome<'_>> {
        let file = open_safely(path, follow)?;
        let md = file.metadata()?;
        if !md.is_file() {
            return Ok(Outcome::Skipped(SkipReason::Special));
        }
        if md.len() > self.max_size {
            return Ok(Outcome::Skipped(SkipReason::TooLarge));
        }
        let meta = file_meta(&md);
        if md.len() > WHOLE_FILE_MAX {
            return Ok(Outcome::Large(LargeFile { file, meta, read: 0, started: false, eof: false }));
        }
        self.fill(file, md.len() as usize)?;
        if allow_binary && self.buf.len() as u64 <= self.max_size {
            return Ok(Outcome::Text(&self.buf, meta));
        }
        Ok(self.classify(meta))
    }

    /// The next chunk of a large file: the last [`OVERLAP`] bytes of the previous chunk followed by up to [`CHUNK`]
    /// new bytes. `None` at the end. The size limit still holds if the file grows while it is read.
    pub fn next_chunk<'a>(&'a mut self, lf: &mut LargeFile) -> io::Result<Option<Chunk<'a>>> {
        if lf.eof {
            return Ok(None);
        }
        let first = !lf.started;
        if first {
            self.buf.clear();
            self.buf.reserve(CHUNK + OVERLAP);
            lf.started = true;
        } else {
            let keep = self.buf.len().min(OVERLAP);
            self.buf.drain(..self.buf.len() - keep);
        }
        let before = self.buf.len();
        (&mut lf.file).take(CHUNK as u64).read_to_end(&mut self.buf)?;
        let got = self.buf.len() - before;
        lf.read += got as u64;
        if lf.read > self.max_size {
            return Err(io::Error::other("grew past the size limit while being read"));
        }
        if got == 0 && !first {
            lf.eof = true;
            return Ok(None);
        }
        // Short read: the end. (A full read may also be the end; the next call then reads nothing.)
        lf.eof = got < CHUNK;
        let owned_end = if lf.eof { self.buf.len() } else { self.buf.len().saturating_sub(OVERLAP) };
        Ok(Some(Chunk { data: &self.buf, owned_end, first }))
    }

    /// Read standard input, with the same limit and binary check as a file.
    pub fn read_stdin(&mut self) -> io::Result<Outcome<'_>> {
        self.fill(io::stdin().lock(), 64 * 1024)?;
        let meta = FileMeta { size: self.buf.len() as u64, ..FileMeta::default() };
        Ok(self.classify(meta))
    }

    fn fill(&mut self, src: impl Read, hint: usize) -> io::Result<()> {
        // The buffer may still hold a streamed file's last chunk.
        self.buf.clear();
        if self.buf.capacity() > KEEP_CAPACITY && hint < KEEP_CAPACITY {
            self.buf.shrink_to(KEEP_CAPACITY);
        }
        self.buf.reserve(hint.saturating_add(1).min(self.max_size as usize + 1));
        src.take(self.max_size + 1).read_to_end(&mut self.buf)?;
        Ok(())
    }

    fn classify(&self, meta: FileMeta) -> Outcome<'_> {
        match skip_reason(&self.buf, self.max_size) {
            Some(why) => Outcome::Skipped(why),
            None => Outcome::Text(&self.buf, meta),
        }
    }
}

/// Why an in-memory buffer would not be scanned as text (too large, or binary), if it would not.
pub fn skip_reason(buf: &[u8], max_size: u64) -> Option<SkipReason> {
    if buf.len() as u64 > max_size {
        return Some(SkipReason::TooLarge);
    }
    if looks_binary(buf) {
        return Some(SkipReason::Binary);
    }
    None
}

/// A NUL in the first [`BINARY_SNIFF`] bytes: binary data, not text.
pub fn looks_binary(buf: &[u8]) -> bool {
    memchr::memchr(0, &buf[..buf.len().min(BINARY_SNIFF)]).is_some()
}

#[cfg(unix)]
fn open_safely(path: &Path, follow: bool) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY;
    if !follow {
        flags |= libc::O_NOFOLLOW;
    }
    let open = |extra: libc::c_int| std::fs::OpenOptions::new().read(true).custom_flags(flags | extra).open(path);
    // Reading must not change access times (a scan would otherwise make every file look recently used). Linux
    // allows O_NOATIME to the file's owner and to root; for anyone else it is EPERM, and we open normally.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    match open(libc::O_NOATIME) {
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => {}
        r => return r,
    }
    open(0)
}

#[cfg(not(unix))]
fn open_safely(path: &Path, _follow: bool) -> io::Result<File> {
    File::open(path)
}

#[cfg(unix)]
fn file_meta(md: &std::fs::Metadata) -> FileMeta {
    use std::os::unix::fs::MetadataExt;
    FileMeta { size: md.len(), mode: md.mode() & 0o7777, uid: md.uid(), gid: md.gid(), mtime: md.mtime() }
}

#[cfg(not(unix))]
fn file_meta(md: &std::fs::Metadata) -> FileMeta {
    let mtime =
        md.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs() as i64);
    FileMeta { size: md.len(), mtime, ..FileMeta::default() }
}

/// Parse a size such as `32MiB`, `10M`, `1.5G`, `512k` or `4096` (units are powers of 1024, as in ripgrep).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("invalid size '{s}' (examples: 4096, 512K, 32MiB, 1G)"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        _ => return Err(format!("invalid size unit in '{s}' (use K, M, G or T)")),
    };
    let v = n * mult as f64;
    if !v.is_finite() || v < 1.0 || v > u64::MAX as f64 {
        return Err(format!("size '{s}' is out of range"));
    }
    Ok(v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert_eq!(parse_size("32MiB").unwrap(), 32 << 20);
        assert_eq!(parse_size("1.5g").unwrap(), 3 << 29);
        assert_eq!(parse_size("512K").unwrap(), 512 << 10);
        assert!(parse_size("abc").is_err());
        assert!(parse_size("10Q").is_err());
        assert!(parse_size("0").is_err());
    }

    #[test]
    fn reads_text_skips_binary_and_large() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("t");
        std::fs::write(&text, b"hello").unwrap();
        let bin = dir.path().join("b");
        std::fs::write(&bin, b"ab\0cd").unwrap();
        let big = dir.path().join("g");
        std::fs::write(&big, vec![b'x'; 100]).unwrap();
        let mut r = Reader::new(50);
        assert!(matches!(r.read_path(&text, false).unwrap(), Outcome::Text(b"hello", _)));
        assert!(matches!(r.read_path(&bin, false).unwrap(), Outcome::Skipped(SkipReason::Binary)));
        assert!(matches!(r.read_path(&big, false).unwrap(), Outcome::Skipped(SkipReason::TooLarge)));
    }

    #[cfg(unix)]
    #[test]
    fn never_blocks_on_fifo_and_refuses_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let mut r = Reader::new(1 << 20);
        assert!(matches!(r.read_path(&fifo, false).unwrap(), Outcome::Skipped(SkipReason::Special)));
        let link = dir.path().join("l");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        assert!(r.read_path(&link, false).is_err(), "O_NOFOLLOW refuses a symlink");
    }
}
