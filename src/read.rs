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
    ops::Range,
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
/// Context a chunk gives on each side of its ownership border: more than the longest match the engine can produce
/// before or after a secret's start (look-behind + the largest rule window + a line tail), so whichever chunk owns a
/// secret sees the whole match, the keyword before the secret included.
pub const MARGIN: usize = 128 << 10;
/// Bytes each chunk repeats from the end of the previous one: a margin of look-ahead for the previous chunk and a
/// margin of look-behind for this one. The border between what each owns is in its middle.
pub const OVERLAP: usize = 2 * MARGIN;

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
    chunks: Chunker,
}

impl LargeFile {
    /// Some of it was read.
    pub fn started(&self) -> bool {
        self.chunks.started
    }

    /// Its end was read: [`Reader::next_chunk`] has nothing more to give.
    pub fn at_end(&self) -> bool {
        self.chunks.eof
    }

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

/// Append up to `size` bytes of `file` to `buf`, fewer only at its end: straight into the buffer's spare capacity, so
/// that the kernel fills it in one read where the standard library's `read_to_end` reads 8 KiB and then doubles (a
/// 100 KiB file took five reads).
#[cfg(unix)]
fn read_up_to(file: &mut File, buf: &mut Vec<u8>, size: usize) -> io::Result<()> {
    use std::os::unix::io::AsRawFd;
    let end = buf.len() + size;
    buf.reserve(size);
    while buf.len() < end {
        let len = buf.len();
        let spare = buf.spare_capacity_mut();
        let want = (end - len).min(spare.len());
        // SAFETY: read(2) writes at most `want` bytes into the spare capacity (which `want` does not exceed), and the
        // length grows by exactly the count it reports written.
        let n = unsafe { libc::read(file.as_raw_fd(), spare.as_mut_ptr().cast(), want) };
        match n {
            0 => break,
            n if n > 0 => unsafe { buf.set_len(len + n as usize) },
            _ => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn read_up_to(file: &mut File, buf: &mut Vec<u8>, size: usize) -> io::Result<()> {
    file.take(size as u64).read_to_end(buf).map(drop)
}

/// Fills `buf` as far as `src` goes; the count read (short only at the end).
pub fn read_full(src: &mut (impl Read + ?Sized), buf: &mut [u8]) -> io::Result<usize> {
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
    /// The bytes of `data` this chunk owns: a match is reported by the chunk that owns its secret's start. Owned
    /// ranges tile the file exactly (every byte is owned once), so they are also what is counted as scanned.
    pub owned: Range<usize>,
    /// Where in `data` the next chunk's data starts (it repeats `data[next_from..]`): the base of its positions.
    pub next_from: usize,
    pub first: bool,
}

/// Where a stream read in chunks is: the one chunking every streamed source shares (big files, big archive
/// members), so that they all own the same bytes the same way.
#[derive(Debug, Default)]
pub struct Chunker {
    /// Bytes read so far.
    read: u64,
    started: bool,
    eof: bool,
}

impl Chunker {
    /// The stream's end was read: [`Chunker::next`] has nothing more to give.
    pub fn at_end(&self) -> bool {
        self.eof
    }

    /// The next chunk of `src` in `buf`: the last [`OVERLAP`] bytes of the previous chunk followed by up to [`CHUNK`]
    /// new bytes. `None` at the end; an error past `max` bytes, and after a read error the stream is over.
    ///
    /// A read that fills the chunk does not say whether the stream ends there: that chunk leaves its last [`MARGIN`]
    /// bytes to the next one, and if the next read finds nothing, the next chunk is just the overlap, owning that
    /// tail (a file of an exact multiple of the chunk size once lost its last 128 KiB this way: issue #16).
    pub fn next<'a>(&mut self, buf: &'a mut Vec<u8>, src: &mut dyn Read, max: u64) -> io::Result<Option<Chunk<'a>>> {
        if self.eof {
            return Ok(None);
        }
        let first = !self.started;
        if first {
            buf.clear();
            buf.reserve(CHUNK + OVERLAP);
            self.started = true;
        } else {
            let keep = buf.len().min(OVERLAP);
            buf.drain(..buf.len() - keep);
        }
        let before = buf.len();
        let read = src.take(CHUNK as u64).read_to_end(buf);
        let got = buf.len() - before;
        self.read += got as u64;
        // Short read: the end. A full read may also be the end; the next call then reads nothing and owns the tail.
        self.eof = got < CHUNK || read.is_err();
        read?;
        if self.read > max {
            self.eof = true;
            return Err(io::Error::other("grew past the size limit while being read"));
        }
        let start = if first { 0 } else { before.saturating_sub(MARGIN) };
        let end = if self.eof { buf.len() } else { buf.len() - MARGIN };
        let next_from = buf.len().saturating_sub(OVERLAP);
        Ok(Some(Chunk { data: buf, owned: start..end, next_from, first }))
    }
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
        let file = open_safely(path, follow).map_err(|e| loop_error(e, follow))?;
        let md = file.metadata()?;
        if !md.is_file() {
            return Ok(Outcome::Skipped(SkipReason::Special));
        }
        if md.len() > self.max_size {
            return Ok(Outcome::Skipped(SkipReason::TooLarge));
        }
        let meta = file_meta(&md);
        if md.len() > WHOLE_FILE_MAX {
            return Ok(Outcome::Large(LargeFile { file, meta, chunks: Chunker::default() }));
        }
        self.fill_file(file, md.len())?;
        if allow_binary && self.buf.len() as u64 <= self.max_size {
            return Ok(Outcome::Text(&self.buf, meta));
        }
        Ok(self.classify(meta))
    }

    /// The next chunk of a large file (see [`Chunker::next`]). The size limit still holds if the file grows while
    /// it is read.
    pub fn next_chunk<'a>(&'a mut self, lf: &mut LargeFile) -> io::Result<Option<Chunk<'a>>> {
        lf.chunks.next(&mut self.buf, &mut lf.file, self.max_size)
    }

    /// Read standard input, with the same limit and binary check as a file.
    pub fn read_stdin(&mut self) -> io::Result<Outcome<'_>> {
        self.fill(io::stdin().lock(), 64 * 1024)?;
        let meta = FileMeta { size: self.buf.len() as u64, ..FileMeta::default() };
        Ok(self.classify(meta))
    }

    /// Read a file of `size` bytes (its size when it was opened). One read brings a whole file; the file is then
    /// taken as it was opened, without another read to find its end (on the bench tree, the reads this saves were a
    /// fifth of the scan's system calls: 2.4 reads per file before, 1 now). A file that turns out shorter is read to its end, and so is one whose size says 0 (pseudo
    /// files that do not know their size); one that grew is read as it was (what a scan a moment earlier would have
    /// seen).
    fn fill_file(&mut self, mut file: File, size: u64) -> io::Result<()> {
        self.empty_buf(size as usize);
        read_up_to(&mut file, &mut self.buf, size as usize)?;
        if (self.buf.len() as u64) < size || size == 0 {
            // Shrunk while opened, a file system that reads short, or a size of 0: read on to the end, within the
            // limit.
            let left = (self.max_size + 1).saturating_sub(self.buf.len() as u64);
            file.take(left).read_to_end(&mut self.buf)?;
        }
        Ok(())
    }

    fn fill(&mut self, src: impl Read, hint: usize) -> io::Result<()> {
        self.empty_buf(hint);
        self.buf.reserve(hint.saturating_add(1).min(self.max_size as usize + 1));
        src.take(self.max_size + 1).read_to_end(&mut self.buf)?;
        Ok(())
    }

    /// Empty the buffer for `hint` bytes. It may still hold a streamed file's last chunk: past [`KEEP_CAPACITY`] it
    /// gives the memory back unless the next read needs it.
    fn empty_buf(&mut self, hint: usize) {
        self.buf.clear();
        if self.buf.capacity() > KEEP_CAPACITY && hint < KEEP_CAPACITY {
            self.buf.shrink_to(KEEP_CAPACITY);
        }
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

/// `ELOOP` from an open that follows links is a loop of symlinks, and says so (without following, it is a link that
/// was not followed, which [`crate::reason::io_reason`] says).
fn loop_error(e: io::Error, follow: bool) -> io::Error {
    #[cfg(unix)]
    if follow && e.raw_os_error() == Some(libc::ELOOP) {
        return io::Error::other(crate::reason::SYMLINK_LOOP);
    }
    e
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
    fn a_file_is_read_as_it_was_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let data: Vec<u8> = (0..300_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&p, &data).unwrap();
        let mut r = Reader::new(1 << 20);
        r.fill_file(File::open(&p).unwrap(), data.len() as u64).unwrap();
        assert_eq!(r.buf, data, "whole");
        r.fill_file(File::open(&p).unwrap(), 1000).unwrap();
        assert_eq!(r.buf, &data[..1000], "grown since it was opened: as it was");
        r.fill_file(File::open(&p).unwrap(), data.len() as u64 + 5000).unwrap();
        assert_eq!(r.buf, data, "shrunk since it was opened: to its end");
        r.fill_file(File::open(&p).unwrap(), 0).unwrap();
        assert_eq!(r.buf, data, "a size of 0 (a pseudo file's): to its end");
        let empty = dir.path().join("e");
        std::fs::write(&empty, b"").unwrap();
        r.fill_file(File::open(&empty).unwrap(), 0).unwrap();
        assert!(r.buf.is_empty());
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

    /// Stream a file of `size` bytes and check the chunks: each one's data is the file's bytes where it says it
    /// starts, the owned ranges tile the file exactly, and every owned byte has a margin of context on both sides
    /// (or the file's start or end).
    fn check_chunks(dir: &Path, size: usize) {
        let content: Vec<u8> = (0..size).map(|i| b'a' + (i % 23) as u8 + (i / 4093 % 3) as u8).collect();
        let path = dir.join(format!("f{size}"));
        std::fs::write(&path, &content).unwrap();
        let mut r = Reader::new(u64::MAX);
        let Outcome::Large(mut lf) = r.read_path(&path, false).unwrap() else { panic!("{size}: streamed") };
        let (mut data_start, mut owned_to, mut chunks) = (0usize, 0usize, 0);
        while let Some(c) = r.next_chunk(&mut lf).unwrap() {
            chunks += 1;
            assert_eq!(c.first, chunks == 1, "{size}");
            assert_eq!(c.data, &content[data_start..data_start + c.data.len()], "{size}: chunk {chunks}'s bytes");
            assert_eq!(data_start + c.owned.start, owned_to, "{size}: chunk {chunks} owns from where the last stopped");
            assert!(c.owned.start >= MARGIN || data_start == 0, "{size}: look-behind");
            assert!(c.owned.end + MARGIN <= c.data.len() || data_start + c.data.len() == size, "{size}: look-ahead");
            owned_to = data_start + c.owned.end;
            data_start += c.next_from;
        }
        assert_eq!(owned_to, size, "{size}: every byte owned once, the last ones too");
        assert!(r.next_chunk(&mut lf).unwrap().is_none(), "stays at the end");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn chunks_tile_files_of_every_size_around_the_borders() {
        let dir = tempfile::tempdir().unwrap();
        let w = WHOLE_FILE_MAX as usize;
        // Exact multiples of the chunk (each read fills it, and the file ends there), one byte either side, and
        // the sizes where the last chunk's new bytes are no more than the overlap.
        for size in [w + 1, 2 * CHUNK - 1, 2 * CHUNK, 2 * CHUNK + 1, 2 * CHUNK + MARGIN, 2 * CHUNK + OVERLAP + 1]
            .into_iter()
            .chain([3 * CHUNK - 1, 3 * CHUNK, 3 * CHUNK + 1])
        {
            check_chunks(dir.path(), size);
        }
    }

    #[test]
    fn the_margin_holds_the_longest_match() {
        let reach = crate::rules::MAX_WINDOW + crate::engine::LOOKBEHIND + 1024;
        assert!(MARGIN > reach, "a match around an ownership border is whole in the chunk that owns it");
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
