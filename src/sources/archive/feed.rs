//! Archive members into the scanner, like files: each member gets an [`Input`] whose reported path is the virtual
//! `backup.tar.gz!etc/app/.env` and whose format comes from the member's own name (`etc/app/.env`), so a `.env` or an
//! SSH key inside a tarball is parsed as one; a binary member has its strings scanned; a member too big to hold is
//! streamed in chunks, as a big file is.
//!
//! What the visit lists (limits hit, encrypted members, corrupt archives) becomes the report's `errors`, at most
//! [`LISTED_PER_ARCHIVE`] per archive (a 42.zip would otherwise list thousands of lines), and is counted in full in
//! `stats.errors` and `stats.archives`. `--max-duration` and `--max-bytes` are checked before every member and
//! every chunk, so one big archive cannot hold a scan past its limit; an archive cut short says so in `errors`.
use std::{
    io::{Read, Seek},
    ops::ControlFlow,
    path::Path,
};

use super::{visit, Event, Kind, LargeMember, Limit, Limits, Member};
use crate::{
    finding::{Base, Origin},
    read::{self, Chunker},
    report,
    scanner::{Input, Part},
    sources::{bytes_path, Buffers, Feed},
};

/// Problems (limits, encrypted members, errors) listed in the report per top-level archive; the rest are counted
/// and summed up in one more line.
pub const LISTED_PER_ARCHIVE: u64 = 20;

/// Every limit, in the order [`Counts::limits`] counts them.
pub const LIMITS: [Limit; 6] =
    [Limit::MemberBytes, Limit::MemberTruncated, Limit::ArchiveBytes, Limit::Members, Limit::Ratio, Limit::Depth];

/// What the archives of a scan gave, for `stats.archives`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Archive files opened (top-level: a nested archive is part of its file).
    pub opened: u64,
    /// Members fed to the scanner, every nesting level included.
    pub members: u64,
    /// Encrypted members skipped.
    pub encrypted: u64,
    /// Corrupt, truncated or unsupported archives and members.
    pub errors: u64,
    /// Limits hit, by [`LIMITS`] position.
    pub limits: [u64; LIMITS.len()],
    /// Problems counted but not listed in `errors` (past [`LISTED_PER_ARCHIVE`]).
    pub not_listed: u64,
    /// Bytes decompressed, every level included.
    pub decompressed_bytes: u64,
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        self.opened += other.opened;
        self.members += other.members;
        self.encrypted += other.encrypted;
        self.errors += other.errors;
        for (t, n) in self.limits.iter_mut().zip(other.limits) {
            *t += n;
        }
        self.not_listed += other.not_listed;
        self.decompressed_bytes += other.decompressed_bytes;
    }

    /// The report's `stats.archives`, when an archive was opened.
    pub fn stats(&self) -> Option<report::ArchiveStats> {
        (self.opened > 0).then(|| report::ArchiveStats {
            opened: self.opened,
            members: self.members,
            encrypted: self.encrypted,
            errors: self.errors,
            limits: LIMITS
                .iter()
                .zip(self.limits)
                .filter(|(_, n)| *n > 0)
                .map(|(l, n)| (l.as_str().to_owned(), n))
                .collect(),
            not_listed: self.not_listed,
            decompressed_bytes: self.decompressed_bytes,
        })
    }
}

/// One archive's visit: the problems listed so far, and whether the scan's limits cut it short.
#[derive(Default)]
struct Visit {
    listed: u64,
    not_listed: u64,
    cut_short: bool,
}

impl Feed {
    /// Visit the archive `reader` holds (`kind`, from [`super::detect`]), whose file `input` describes, and feed its
    /// members. Archives must be on ([`crate::sources::Shared::archives`]).
    pub fn archive<R: Read + Seek>(&mut self, buffers: &mut Buffers, reader: R, kind: Kind, input: &Input<'_>) {
        let Some(limits) = self.shared.archives else { return };
        let shown = report::path_bytes(input.origin.path).into_owned();
        let mut state = Visit::default();
        let totals = visit(reader, kind, &shown, &limits, &mut |event| {
            self.archive_event(buffers, input, &limits, &mut state, event)
        });
        self.counters.archives.opened += 1;
        self.counters.archives.decompressed_bytes += totals.decompressed_bytes;
        let path = Some(input.origin.path);
        if state.not_listed > 0 {
            self.counters.archives.not_listed += state.not_listed;
            let more = state.not_listed;
            self.list_error(path, format!("{more} more problems in this archive, not listed (counted in stats)"));
        }
        if state.cut_short {
            let read = totals.members;
            self.error(path, format!("archive not read to the end: the scan's limit was reached after {read} members"));
        }
    }

    fn archive_event(
        &mut self,
        buffers: &mut Buffers,
        archive: &Input<'_>,
        limits: &Limits,
        state: &mut Visit,
        event: Event<'_>,
    ) -> ControlFlow<()> {
        match event {
            Event::Member(m) => self.member(buffers, archive, state, &m),
            Event::Large(l) => self.large_member(buffers, archive, state, l),
            Event::Encrypted { path } => {
                self.counters.archives.encrypted += 1;
                self.problem(state, path, "encrypted archive member: skipped (no password)".to_owned());
                ControlFlow::Continue(())
            }
            Event::LimitHit { path, limit } => {
                let i = LIMITS.iter().position(|l| *l == limit).expect("listed");
                self.counters.archives.limits[i] += 1;
                self.problem(state, path, limit.reason(limits));
                ControlFlow::Continue(())
            }
            Event::Error { path, reason } => {
                self.counters.archives.errors += 1;
                self.problem(state, path, reason);
                ControlFlow::Continue(())
            }
        }
    }

    /// Count a problem at `path`, and list it while the archive's allowance lasts.
    fn problem(&mut self, state: &mut Visit, path: &[u8], reason: String) {
        self.counters.errors += 1;
        if state.listed < LISTED_PER_ARCHIVE {
            state.listed += 1;
            self.list_error(Some(&bytes_path(path)), reason);
        } else {
            state.not_listed += 1;
        }
    }

    /// Counts a member as a file, unless the scan's limits stop the visit first (then it is recorded as not
    /// reached).
    fn start_member(&mut self, state: &mut Visit, shown: &Path) -> ControlFlow<()> {
        if self.shared.limits.check(shown).is_some() {
            state.cut_short = true;
            return ControlFlow::Break(());
        }
        self.counters.files_seen += 1;
        self.unsent += 1;
        self.counters.archives.members += 1;
        ControlFlow::Continue(())
    }

    fn member(&mut self, buffers: &mut Buffers, archive: &Input<'_>, state: &mut Visit, m: &Member<'_>) -> Flow {
        let (shown, name) = (bytes_path(m.path), bytes_path(m.name));
        self.start_member(state, &shown)?;
        self.shared.limits.add_bytes(m.data.len() as u64);
        self.data(buffers, &member_input(archive, &shown, &name), m.data);
        self.flush_if_due();
        ControlFlow::Continue(())
    }

    /// A member too big to hold: scanned chunk by chunk (the visit stops its reader at the member limit).
    fn large_member(
        &mut self,
        buffers: &mut Buffers,
        archive: &Input<'_>,
        state: &mut Visit,
        l: LargeMember<'_>,
    ) -> Flow {
        let (shown, name) = (bytes_path(l.path), bytes_path(l.name));
        self.start_member(state, &shown)?;
        let input = member_input(archive, &shown, &name);
        let binary = read::looks_binary(l.head);
        if binary {
            if let Some(why) = self.policy_skip(l.head) {
                self.skip(why);
                return ControlFlow::Continue(());
            }
        }
        let mut src = l.head.chain(l.rest);
        let mut chunks = Chunker::default();
        let (mut start, mut base) = (0u64, Base::default());
        // A read error ends the member (the visit lists it).
        while let Ok(Some(chunk)) = chunks.next(&mut buffers.chunk, &mut src, u64::MAX) {
            let part = Part::Chunk { owned_start: chunk.owned.start, owned_end: chunk.owned.end, first: chunk.first };
            self.shared.limits.add_bytes(chunk.owned.len() as u64);
            if binary {
                self.strings(&mut buffers.strings, &input, chunk.data, start, part);
            } else {
                let origin = Origin { base, ..input.origin };
                self.scan(&Input { origin, part, ..input }, chunk.data);
            }
            start += chunk.next_from as u64;
            base = base.advance(chunk.data, chunk.next_from);
            if !chunks.at_end() && self.shared.limits.check(&shown).is_some() {
                state.cut_short = true;
                return ControlFlow::Break(());
            }
        }
        self.flush_if_due();
        ControlFlow::Continue(())
    }
}

type Flow = ControlFlow<()>;

/// A member's input: reported under its virtual path, its format from its own name, with the facts of the archive
/// file that holds it (its mode and owner are the member's exposure on this disk), never looked up beside it.
fn member_input<'a>(archive: &Input<'a>, shown: &'a Path, name: &'a Path) -> Input<'a> {
    let mut input = Input::new(name);
    input.origin = Origin { meta: archive.origin.meta, provenance: archive.origin.provenance, ..Origin::new(shown) };
    input
}
