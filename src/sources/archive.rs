//! Archive members as a scanning source: zip (and jar/war/ear/whl/nupkg/apk/ipa/aar/docx, which are zips), tar, and
//! gzip/bzip2/xz/zstd streams (alone or around a tar), nested to a depth limit.
//!
//! Why this shape: credentials sit in `~/Downloads/backup.tar.gz` and `project-export.zip` (issue #14), and archives
//! are also the classic way to exhaust a scanner. So a visit never unpacks to disk, holds at most one member per
//! nesting level in memory (bounded by [`Limits::max_member_bytes`]), reads tar and compressed streams member by
//! member, and stops bombs before they expand: declared sizes and ratios first, then the bytes really produced
//! (declared sizes lie). Everything found is an [`Event`] handed to a callback, in archive order:
//! * [`Event::Member`]: a regular file's bytes, reported as `outer.tar.gz!etc/app/.env` (nested:
//!   `a.zip!inner.tar.gz!x/.env`; names are bytes, kept as stored, and are never used for file system access, so
//!   `../../etc/passwd` is only ever a name);
//! * [`Event::Large`]: a member over [`Limits::max_held_bytes`], as its first bytes and a reader for the rest, so the
//!   scan streams it in chunks (memory holds a chunk, as for a big file on disk) instead of holding it whole;
//! * [`Event::Encrypted`], [`Event::LimitHit`], [`Event::Error`]: listed problems, never panics or aborts.
//!
//! A zip needs random access (its directory is at the end): the top level takes any `Read + Seek` (a file), and a zip
//! inside another archive is buffered, only if within the member limit. Directories, links and devices inside
//! archives are skipped silently: a hard link's content is scanned under its target's name.
use std::{
    io::{self, Cursor, Read, Seek},
    ops::ControlFlow,
};

mod detect;
mod feed;
#[cfg(test)]
mod limit_tests;
mod limits;
#[cfg(test)]
mod props;
mod stream;
mod tar;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod testutil;
mod zip;

pub use detect::{by_magic, by_signature, detect, HEAD};
pub use feed::{Counts, LISTED_PER_ARCHIVE};
use limits::{read_capped, read_upto, Budget, Capped};
pub use limits::{Limit, Limits, DECODER_MEMORY, RATIO_GRACE};

/// An archive format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Zip and the formats built on it (jar, war, ear, whl, nupkg, apk, ipa, aar, OOXML, ODF …).
    Zip,
    /// POSIX ustar, GNU and v7 tar.
    Tar,
    /// RFC 1952 gzip (concatenated members are one stream): `.gz`, `.tgz`, `.tar.gz`.
    Gzip,
    /// bzip2 (concatenated streams are one stream): `.bz2`, `.tbz2`, `.tar.bz2`.
    Bzip2,
    /// xz (concatenated streams are one stream): `.xz`, `.txz`, `.tar.xz`.
    Xz,
    /// Zstandard, RFC 8878 (several frames are one stream; skippable frames skipped): `.zst`, `.tar.zst`.
    Zstd,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Zip => "zip",
            Kind::Tar => "tar",
            Kind::Gzip => "gzip",
            Kind::Bzip2 => "bzip2",
            Kind::Xz => "xz",
            Kind::Zstd => "zstd",
        }
    }
}

/// One regular file inside an archive.
#[derive(Debug)]
pub struct Member<'a> {
    /// The archive's display path, then `!` and the member's name, for each level: `backup.tar.gz!etc/app/.env`.
    /// Bytes as stored in the archive (a leading `./` dropped); not necessarily UTF-8.
    pub path: &'a [u8],
    /// The member's own name in the archive that holds it, the end of `path` (`etc/app/.env`): what decides its
    /// format.
    pub name: &'a [u8],
    /// The whole member, decompressed: at most [`Limits::max_member_bytes`].
    pub data: &'a [u8],
    /// Permission bits (`0o644`), if the archive records them.
    pub mode: Option<u32>,
    /// Modification time, seconds since the Unix epoch, if the archive records it (a zip's DOS time, which has no
    /// zone, is read as UTC).
    pub mtime: Option<i64>,
}

/// A regular file inside an archive too big to hold whole: read it from `head` on, then from `rest`.
pub struct LargeMember<'a> {
    /// As [`Member::path`].
    pub path: &'a [u8],
    /// As [`Member::name`].
    pub name: &'a [u8],
    /// The member's first bytes (more than [`Limits::max_held_bytes`]).
    pub head: &'a [u8],
    /// The rest of the member, decompressed as it is read, up to [`Limits::max_member_bytes`] in all (a compressed
    /// stream declares no size: one that goes on is listed as [`Limit::MemberTruncated`]). The callback reads as much
    /// as it wants: what it leaves is skipped (still decompressed, and counted, where the format needs it to reach the
    /// next member). A failed read is the visit's to list.
    pub rest: &'a mut dyn Read,
    pub mode: Option<u32>,
    pub mtime: Option<i64>,
}

impl std::fmt::Debug for LargeMember<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LargeMember").field("path", &self.path).field("head", &self.head.len()).finish_non_exhaustive()
    }
}

/// What a visit finds, in archive order.
#[derive(Debug)]
pub enum Event<'a> {
    Member(Member<'a>),
    Large(LargeMember<'a>),
    /// An encrypted member: counted and skipped (nothing can be read without the password).
    Encrypted {
        path: &'a [u8],
    },
    /// A bound stopped something at `path`: a member skipped, a stream abandoned, or (for
    /// [`Limit::ArchiveBytes`] and [`Limit::Members`]) the rest of the visit. [`Limit::reason`] words it.
    LimitHit {
        path: &'a [u8],
        limit: Limit,
    },
    /// A corrupt, truncated or unsupported archive or member at `path`, with a one-line reason (never content).
    Error {
        path: &'a [u8],
        reason: String,
    },
}

/// Counts for the report's stats, per top-level archive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// [`Event::Member`]s and [`Event::Large`]s handed out.
    pub members: u64,
    pub encrypted: u64,
    pub limits_hit: u64,
    pub errors: u64,
    /// Bytes decompressed, every level included.
    pub decompressed_bytes: u64,
    /// The visit ended early: a visit-wide limit, or the callback returned `Break`.
    pub stopped: bool,
}

/// Visits every member of the archive `reader` holds, which `detect` called `kind`, handing each [`Event`] to `f`;
/// `f` returns `Break` to end the visit (a scan's `--max-duration`). `display_path` starts every member path.
pub fn visit<R: Read + Seek>(
    reader: R,
    kind: Kind,
    display_path: &[u8],
    limits: &Limits,
    f: &mut dyn FnMut(Event<'_>) -> ControlFlow<()>,
) -> Totals {
    // Tar headers and zip directory entries are read in small pieces: from a file, that would be a system call each.
    let mut reader = io::BufReader::with_capacity(64 << 10, reader);
    let budget = Budget::new(limits.max_archive_bytes);
    let mut walker =
        Walker { limits, budget: &budget, f, path: display_path.to_vec(), name: 0, seen: 0, totals: Totals::default() };
    let step = match kind {
        Kind::Zip => walker.zip(reader, 1),
        other => walker.archive(&mut reader, other, 1),
    };
    let mut totals = walker.totals;
    totals.stopped = step.is_err();
    totals.decompressed_bytes = budget.used();
    totals
}

/// [`visit`] over bytes in memory (standard input, a git blob).
pub fn visit_bytes(
    data: &[u8],
    kind: Kind,
    display_path: &[u8],
    limits: &Limits,
    f: &mut dyn FnMut(Event<'_>) -> ControlFlow<()>,
) -> Totals {
    visit(Cursor::new(data), kind, display_path, limits, f)
}

/// Where [`Walker::leave`] goes back to.
struct Mark {
    len: usize,
    name: usize,
}

/// The visit must end (a visit-wide limit was reported, or the callback said stop).
struct Halt;

type Step = Result<(), Halt>;

/// Why a member could not be read: the visit ends, or the reader under it failed (the caller knows whether that
/// ends its archive: it does for a tar stream, not for a zip).
enum Fail {
    Halt,
    Io(io::Error),
}

impl From<Halt> for Fail {
    fn from(_: Halt) -> Fail {
        Fail::Halt
    }
}

/// What an archive says about a member besides its bytes.
#[derive(Debug, Clone, Copy, Default)]
struct MemberInfo {
    /// The size the archive declares (tar header, zip directory), if it declares one.
    declared: Option<u64>,
    mode: Option<u32>,
    mtime: Option<i64>,
}

/// One visit's state: the path of the thing being read (grown with `!name` per member), and the counters.
struct Walker<'v> {
    limits: &'v Limits,
    budget: &'v Budget,
    f: &'v mut dyn FnMut(Event<'_>) -> ControlFlow<()>,
    path: Vec<u8>,
    /// Where the innermost member's own name starts in `path`.
    name: usize,
    /// Members seen (handed out or not), against [`Limits::max_members`].
    seen: u64,
    totals: Totals,
}

impl Walker<'_> {
    /// A tar or a compressed stream, at `depth`.
    fn archive(&mut self, reader: &mut dyn Read, kind: Kind, depth: u32) -> Step {
        match kind {
            Kind::Tar => self.tar(reader, depth),
            Kind::Zip => match read_capped(b"", reader, self.limits.max_member_bytes, None) {
                Ok(data) => self.zip(Cursor::new(&data[..]), depth),
                Err(Capped::TooLarge) => self.limit_hit(Limit::MemberBytes),
                Err(Capped::Io(e)) => self.io_problem("zip", &e),
            },
            _ => self.stream(reader, kind, depth),
        }
    }

    /// A member whose name is already on the path: an archive to open (or list, past the depth), else bytes to hand
    /// out. `reader` is positioned at the member's start.
    fn member(&mut self, reader: &mut dyn Read, info: MemberInfo, depth: u32) -> Result<(), Fail> {
        let mut head = [0u8; HEAD];
        let n = crate::read::read_full(reader, &mut head).map_err(Fail::Io)?;
        self.member_after_head(&head[..n], reader, info, depth)
    }

    /// [`Walker::member`] once its first bytes (`head`) are read.
    fn member_after_head(
        &mut self,
        head: &[u8],
        rest: &mut dyn Read,
        info: MemberInfo,
        depth: u32,
    ) -> Result<(), Fail> {
        let kind = detect(&self.path, head);
        if kind.is_some() && depth >= self.limits.max_depth {
            return Ok(self.limit_hit(Limit::Depth)?);
        }
        match kind {
            // A tar or a stream is read as one, whatever its size: its members are bounded one by one.
            Some(kind @ (Kind::Tar | Kind::Gzip | Kind::Bzip2 | Kind::Xz | Kind::Zstd)) => {
                Ok(self.archive(&mut head.chain(rest), kind, depth + 1)?)
            }
            // A zip needs random access, so it is held whole.
            Some(Kind::Zip) => {
                let max = self.limits.max_member_bytes;
                if info.declared.is_some_and(|d| d > max) {
                    return Ok(self.limit_hit(Limit::MemberBytes)?);
                }
                match read_capped(head, rest, max, info.declared) {
                    Ok(data) => Ok(self.zip(Cursor::new(&data[..]), depth + 1)?),
                    Err(Capped::TooLarge) => Ok(self.limit_hit(Limit::MemberBytes)?),
                    Err(Capped::Io(e)) => Err(Fail::Io(e)),
                }
            }
            None => self.plain(head, rest, info),
        }
    }

    /// A member that is not an archive: handed out whole, or, past [`Limits::max_held_bytes`], streamed.
    fn plain(&mut self, head: &[u8], rest: &mut dyn Read, info: MemberInfo) -> Result<(), Fail> {
        let max = self.limits.max_member_bytes;
        if info.declared.is_some_and(|d| d > max) {
            return Ok(self.limit_hit(Limit::MemberBytes)?);
        }
        let hold = self.limits.max_held_bytes.min(max);
        let (data, more) = read_upto(head, rest, hold, info.declared).map_err(Fail::Io)?;
        if !more {
            return Ok(self.emit(&data, &info)?);
        }
        if hold >= max {
            return Ok(self.limit_hit(Limit::MemberBytes)?);
        }
        self.totals.members += 1;
        // A declared size is at most the limit here; a stream's is not known: read up to the limit, then look.
        let mut capped = rest.take(max - data.len() as u64);
        let mut recording = Recording { inner: &mut capped, failed: None };
        let (path, name) = (&self.path, &self.path[self.name..]);
        let event = LargeMember { path, name, head: &data, rest: &mut recording, mode: info.mode, mtime: info.mtime };
        let flow = (self.f)(Event::Large(event));
        if let Some(e) = recording.failed {
            return Err(Fail::Io(e));
        }
        flow_step(flow)?;
        if capped.limit() == 0 && capped.into_inner().read(&mut [0u8]).map_err(Fail::Io)? == 1 {
            self.limit_hit(Limit::MemberTruncated)?;
        }
        Ok(())
    }

    /// Counts a member against [`Limits::max_members`]; past it, the visit ends.
    fn count_member(&mut self) -> Step {
        if self.seen >= self.limits.max_members {
            return self.limit_hit(Limit::Members);
        }
        self.seen += 1;
        Ok(())
    }

    /// Appends `!name` to the path (a leading `./` dropped); returns where to go back to.
    fn enter(&mut self, name: &[u8]) -> Mark {
        let mark = Mark { len: self.path.len(), name: self.name };
        let mut name = name;
        while let Some(rest) = name.strip_prefix(b"./") {
            name = rest;
        }
        self.path.push(b'!');
        self.name = self.path.len();
        self.path.extend_from_slice(name);
        mark
    }

    fn leave(&mut self, mark: Mark) {
        self.path.truncate(mark.len);
        self.name = mark.name;
    }

    fn emit(&mut self, data: &[u8], info: &MemberInfo) -> Step {
        self.totals.members += 1;
        let (path, name) = (&self.path, &self.path[self.name..]);
        let event = Member { path, name, data, mode: info.mode, mtime: info.mtime };
        let flow = (self.f)(Event::Member(event));
        flow_step(flow)
    }

    fn encrypted(&mut self) -> Step {
        self.totals.encrypted += 1;
        let flow = (self.f)(Event::Encrypted { path: &self.path });
        flow_step(flow)
    }

    /// Lists a limit at the current path; the visit-wide ones end the visit.
    fn limit_hit(&mut self, limit: Limit) -> Step {
        self.totals.limits_hit += 1;
        let flow = (self.f)(Event::LimitHit { path: &self.path, limit });
        flow_step(flow)?;
        match limit {
            Limit::ArchiveBytes | Limit::Members => Err(Halt),
            Limit::MemberBytes | Limit::MemberTruncated | Limit::Ratio | Limit::Depth => Ok(()),
        }
    }

    fn error(&mut self, reason: String) -> Step {
        self.totals.errors += 1;
        let flow = (self.f)(Event::Error { path: &self.path, reason });
        flow_step(flow)
    }

    /// Lists a read failure at the current path: a limit if a metered reader tripped (the error itself may have been
    /// wrapped by a decoder), else the archive is corrupt or truncated.
    fn io_problem(&mut self, format: &str, e: &io::Error) -> Step {
        if self.budget.exhausted() {
            return self.limit_hit(Limit::ArchiveBytes);
        }
        if let Some(limit) = self.budget.take_trip() {
            return self.limit_hit(limit);
        }
        self.error(describe(format, e))
    }
}

/// A reader that keeps its first failure, for the visit to list after the callback that read it returns.
struct Recording<'r> {
    inner: &'r mut dyn Read,
    failed: Option<io::Error>,
}

impl Read for Recording<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Err(e) if e.kind() != io::ErrorKind::Interrupted => {
                let copy = io::Error::new(e.kind(), e.to_string());
                self.failed.get_or_insert(e);
                Err(copy)
            }
            r => r,
        }
    }
}

fn flow_step(flow: ControlFlow<()>) -> Step {
    match flow {
        ControlFlow::Continue(()) => Ok(()),
        ControlFlow::Break(()) => Err(Halt),
    }
}

/// A one-line reason for a failed read: truncation and a decoder refusing a window over its memory limit said
/// plainly, else the decoder's message.
fn describe(format: &str, e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => format!("{format}: truncated (unexpected end of data)"),
        io::ErrorKind::OutOfMemory => {
            format!("{format}: needs more than {} MiB of decoder memory: not read", DECODER_MEMORY >> 20)
        }
        _ => format!("{format}: {e}"),
    }
}
