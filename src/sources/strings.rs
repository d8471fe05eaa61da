//! Printable strings of binary files, for the token rules, and the policy on which binary files get that treatment.
//!
//! Why: a token in a core dump, a `.pyc`, a leveldb log or an unparsed SQLite database sits between binary bytes, and
//! a binary file used to be skipped whole (issue #14). [`Strings`] turns the buffer into text the rules can read, in
//! the spirit of `strings(1)`: runs of at least [`MIN_RUN`] printable ASCII characters, and of UTF-16LE characters
//! in the ASCII range (Windows' wide strings, in minidumps, PE resources and the registry).
//!
//! The text has the input's length, so memory is one buffer the size of the input (plus one small entry per UTF-16
//! run) and everything is one linear pass: an ASCII run stays at its own offset, so a match's offset in the text *is*
//! its byte offset in the file; a UTF-16 run is written compacted at the start of the bytes it occupied, and
//! [`Strings::source_offset`] maps back into it. Every other byte becomes a newline, so runs never join: a token split
//! by a NUL is two short strings, not one token.
//!
//! Executables and shared libraries (ELF, Mach-O thin and universal, PE) are recognised by their headers (ELF: the
//! System V gABI `e_type`; Mach-O: `<mach-o/loader.h>` and `<mach-o/fat.h>`; PE: the PE/COFF specification's
//! `e_lfanew` and `PE\0\0`). They hold library test vectors, not user secrets, so [`BinaryPolicy`] skips them unless
//! asked (`--scan-binaries`); core dumps, which are ELF or Mach-O files too, are data and are scanned.
//!
//! Media and compressed formats this scanner does not open ([`media`]: images, audio, video, fonts, PDF, 7z, rar …)
//! are skipped the same way: their bytes are compressed pixels, samples or streams, so their "strings" are random
//! noise that costs CPU and finds nothing (a screenshot of a token is pixels). Office files and other zips are
//! archives, opened as such, and their XML members are text.
use std::ops::Range;

mod feed;

/// Shortest run kept, in characters (strings(1)'s default is 4; tokens are far longer, and 8 drops most noise).
pub const MIN_RUN: usize = 8;

/// The printable text of a binary buffer, the length of the buffer.
#[derive(Debug, Default, Clone)]
pub struct Strings {
    text: Vec<u8>,
    /// UTF-16LE runs: where each starts in the input, and its length in characters; sorted.
    wide: Vec<(usize, usize)>,
    runs: usize,
}

impl Strings {
    /// The strings of `data`.
    pub fn extract(data: &[u8]) -> Strings {
        let mut strings = Strings::default();
        strings.refill(data);
        strings
    }

    /// Replaces the contents with the strings of `data`, reusing the buffers (one `Strings` per worker).
    pub fn refill(&mut self, data: &[u8]) {
        self.text.clear();
        self.text.resize(data.len(), b'\n');
        self.wide.clear();
        self.runs = 0;
        let mut i = 0;
        while i < data.len() {
            // Most of a binary file cannot start a string. A run of either kind starting anywhere in i..=i + 7 covers
            // byte i + 7, which must then be printable or (UTF-16's high byte) NUL: when it is neither, skip all eight.
            if let Some(&b) = data.get(i + MIN_RUN - 1) {
                if !printable(b) && b != 0 {
                    i += MIN_RUN;
                    continue;
                }
            }
            if !printable(data[i]) {
                i += 1;
                continue;
            }
            let chars = wide_chars(data, i);
            if chars >= MIN_RUN {
                self.put_wide(data, i, chars);
                i += 2 * chars;
                continue;
            }
            // A run is never shortened: "…text\0" followed by "B\0C\0…" reads as a C string, its terminator and a
            // wide string (what binaries hold), not as "…tex" and "t\0B\0C\0…"; text running straight into a wide
            // string without a NUL gives its first character to the ASCII run.
            let end = i + data[i..].iter().position(|&b| !printable(b)).unwrap_or(data.len() - i);
            if end - i >= MIN_RUN {
                self.text[i..end].copy_from_slice(&data[i..end]);
                self.runs += 1;
            }
            i = end.max(i + 1);
        }
    }

    /// Writes a UTF-16 run of `chars` characters starting at `start` compacted, one byte in: the byte at `start`
    /// stays a newline, so nothing before it can run into it.
    fn put_wide(&mut self, data: &[u8], start: usize, chars: usize) {
        for k in 0..chars {
            self.text[start + 1 + k] = data[start + 2 * k];
        }
        self.wide.push((start, chars));
        self.runs += 1;
    }

    /// The text for the rules: the strings, each surrounded by newlines, at the offsets described above.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// True when the buffer holds no string at all (nothing to scan).
    pub fn is_empty(&self) -> bool {
        self.runs == 0
    }

    /// How many strings were found.
    pub fn runs(&self) -> usize {
        self.runs
    }

    /// The byte offset in the input of the character at `offset` in [`Strings::text`] (for a separator, the offset
    /// itself). Logarithmic in the number of UTF-16 runs.
    pub fn source_offset(&self, offset: usize) -> usize {
        self.locate(offset).0
    }

    /// The input bytes a match over `range` of the text came from (a UTF-16 match covers twice its length).
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.source_offset(range.start);
        if range.is_empty() {
            return start..start;
        }
        let (last, width) = self.locate(range.end - 1);
        start..last + width
    }

    /// The offset in the text of the byte at `source` in the input (the inverse of [`Strings::source_offset`]; a byte
    /// inside a UTF-16 run maps to its character's place): monotonic, so a chunk's ownership border in the input is
    /// one in the text.
    pub fn text_offset(&self, source: usize) -> usize {
        let idx = self.wide.partition_point(|&(start, _)| start <= source);
        match idx.checked_sub(1).map(|i| self.wide[i]) {
            Some((start, chars)) if source < start + 2 * chars => start + 1 + (source - start).div_ceil(2),
            _ => source,
        }
    }

    /// Where the text character at `offset` came from, and how many input bytes it took (2 in a UTF-16 run).
    fn locate(&self, offset: usize) -> (usize, usize) {
        let idx = self.wide.partition_point(|&(start, _)| start < offset);
        match idx.checked_sub(1).map(|i| self.wide[i]) {
            Some((start, chars)) if offset <= start + chars => (start + 2 * (offset - start - 1), 2),
            _ => (offset, 1),
        }
    }
}

impl crate::finding::SourceOffsets for Strings {
    fn source_offset(&self, at: usize) -> usize {
        Strings::source_offset(self, at)
    }
}

/// Characters that make up a string: printable ASCII, tab, newline and carriage return.
fn printable(b: u8) -> bool {
    PRINTABLE[usize::from(b)]
}

/// [`printable`] as a table: one load per byte in the hot loops.
const PRINTABLE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x20;
    while b <= 0x7e {
        table[b] = true;
        b += 1;
    }
    table[b'\t' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table
};

/// How many UTF-16LE characters in the ASCII range (printable, high byte zero) start at `i`.
fn wide_chars(data: &[u8], i: usize) -> usize {
    let mut n = 0;
    while i + 2 * n + 1 < data.len() && printable(data[i + 2 * n]) && data[i + 2 * n + 1] == 0 {
        n += 1;
    }
    n
}

/// An executable or shared-library format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Executable {
    /// ELF executable, shared object or relocatable object (not a core dump).
    Elf,
    /// Mach-O executable, dylib, bundle, object, kext or dSYM (not a core dump).
    MachO,
    /// Mach-O universal ("fat") binary.
    MachOUniversal,
    /// PE/COFF: Windows `.exe`, `.dll`, `.sys`, .NET assemblies.
    Pe,
}

impl Executable {
    pub fn as_str(self) -> &'static str {
        match self {
            Executable::Elf => "elf",
            Executable::MachO => "mach-o",
            Executable::MachOUniversal => "mach-o-universal",
            Executable::Pe => "pe",
        }
    }
}

/// The executable format `head` (a file's first bytes: 4 KiB covers every header looked at) starts, if any.
pub fn executable(head: &[u8]) -> Option<Executable> {
    let u16_at = |at: usize, big: bool| -> Option<u16> {
        let b: [u8; 2] = head.get(at..at + 2)?.try_into().ok()?;
        Some(if big { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
    };
    let u32_at = |at: usize, big: bool| -> Option<u32> {
        let b: [u8; 4] = head.get(at..at + 4)?.try_into().ok()?;
        Some(if big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    };
    const ET_REL: u16 = 1;
    const ET_DYN: u16 = 3;
    const MH_CORE: u32 = 4;
    if head.starts_with(b"\x7fELF") {
        // e_ident[EI_DATA] (offset 5): 2 is big-endian. e_type at 16: relocatable, executable or shared; 4 is core.
        let e_type = u16_at(16, head.get(5) == Some(&2))?;
        return (ET_REL..=ET_DYN).contains(&e_type).then_some(Executable::Elf);
    }
    match u32_at(0, true)? {
        // MH_MAGIC / MH_MAGIC_64 as written by a big-endian and by a little-endian machine; filetype at 12.
        0xfeed_face | 0xfeed_facf => (u32_at(12, true)? != MH_CORE).then_some(Executable::MachO),
        0xcefa_edfe | 0xcffa_edfe => (u32_at(12, false)? != MH_CORE).then_some(Executable::MachO),
        // FAT_MAGIC / FAT_MAGIC_64, always big-endian. Java class files share 0xcafebabe; what follows is their
        // version (45 and up), where a universal binary has its architecture count (file(1) draws the line at 20).
        0xcafe_babe | 0xcafe_babf => (1..20).contains(&u32_at(4, true)?).then_some(Executable::MachOUniversal),
        _ if head.starts_with(b"MZ") => {
            let pe = usize::try_from(u32_at(0x3c, false)?).ok()?;
            (head.get(pe..pe.checked_add(4)?) == Some(b"PE\0\0")).then_some(Executable::Pe)
        }
        _ => None,
    }
}

/// The media or compressed format `head` (a file's first bytes) starts with, if it is one whose strings are noise:
/// images (JPEG, PNG, GIF, WebP, BMP, TIFF, HEIF/AVIF), audio and video (the ISO base media family — MP4, MOV,
/// M4A, 3GP —, Matroska/WebM, RIFF WAV/AVI, MP3 with an ID3 tag, Ogg, FLAC), fonts (TrueType, OpenType, WOFF,
/// WOFF2), PDF, and compressed formats that are not opened (7z, rar, lz4, xar/pkg, cab). Signatures as `file(1)`'s
/// magic database has them.
pub fn media(head: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\xff\xd8\xff", "jpeg"),
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"GIF87a", "gif"),
        (b"GIF89a", "gif"),
        (b"II*\0", "tiff"),
        (b"MM\0*", "tiff"),
        (b"\x1a\x45\xdf\xa3", "matroska"),
        (b"ID3", "mp3"),
        (b"OggS", "ogg"),
        (b"fLaC", "flac"),
        (b"\0\x01\0\0\0", "truetype"),
        (b"true\0", "truetype"),
        (b"OTTO\0", "opentype"),
        (b"wOFF", "woff"),
        (b"wOF2", "woff2"),
        (b"%PDF-", "pdf"),
        (b"7z\xbc\xaf\x27\x1c", "7z"),
        (b"Rar!\x1a\x07", "rar"),
        (b"\x04\x22\x4d\x18", "lz4"),
        (b"xar!", "xar"),
        (b"MSCF\0\0\0\0", "cab"),
    ];
    if let Some(&(_, name)) = SIGNATURES.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Some(name);
    }
    // BMP: "BM", then the file size and two reserved zero words (a bare "BM" is too common).
    if head.len() >= 10 && head.starts_with(b"BM") && head[6..10] == [0, 0, 0, 0] {
        return Some("bmp");
    }
    // RIFF containers: WebP, WAV, AVI.
    if head.len() >= 12 && head.starts_with(b"RIFF") && matches!(&head[8..12], b"WEBP" | b"WAVE" | b"AVI ") {
        return Some("riff");
    }
    // ISO base media (MP4, MOV, M4A, 3GP, HEIF, AVIF): a box size, then `ftyp`.
    (head.len() >= 8 && &head[4..8] == b"ftyp").then_some("iso-bmff")
}

/// What the scan does with a binary file (a NUL in its first 8 KiB) that is not an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BinaryPolicy {
    /// The default: the strings of data files (core dumps, `.pyc`, databases, logs) are scanned by the token rules;
    /// executables, shared libraries and media files are skipped and counted.
    #[default]
    SkipExecutables,
    /// `--scan-binaries`: executables, libraries and media files too.
    ScanExecutables,
}

/// The decision for one binary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryAction {
    /// Extract [`Strings`] and scan them with the token rules.
    ScanStrings,
    /// Skip: an executable or library, under [`BinaryPolicy::SkipExecutables`].
    SkipExecutable(Executable),
    /// Skip: a media or unopened compressed format ([`media`]), under [`BinaryPolicy::SkipExecutables`].
    SkipMedia(&'static str),
}

impl BinaryPolicy {
    /// What to do with a binary file starting with `head`.
    pub fn decide(self, head: &[u8]) -> BinaryAction {
        if self == BinaryPolicy::ScanExecutables {
            return BinaryAction::ScanStrings;
        }
        if let Some(format) = executable(head) {
            return BinaryAction::SkipExecutable(format);
        }
        match media(head) {
            Some(format) => BinaryAction::SkipMedia(format),
            None => BinaryAction::ScanStrings,
        }
    }
}

#[cfg(test)]
mod tests;
