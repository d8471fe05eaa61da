//! Tar members, read in order through the `tar` crate (POSIX.1-2001 pax, GNU and v7 headers, long names, sparse
//! files), with a guard on what the crate reads on its own.
//!
//! Why the guard: the crate reads a GNU long name (`L`), long link (`K`) or pax header (`x`) whole into memory,
//! sized by the header's own size field (`EntryFields::read_all`), so a few bytes of `.tar.gz` could make it buffer
//! gigabytes (the same hole as CPython's gh-151497). The [`Guard`] under the crate knows where each member's data
//! ends; between members it lets the crate read only the rest of that data plus [`EXTENSION_CAP`] bytes of headers,
//! and fails the read past that, which the crate reports as an error and we list.
use std::{
    cell::Cell,
    io::{self, Read},
};

use super::{Fail, Halt, MemberInfo, Step, Walker};

/// Header bytes (headers, long names, pax records, sparse maps) the crate may read between two members' data. GNU
/// tar and libarchive write pax records of a few hundred bytes; libarchive allows long ones, so this is generous.
pub const EXTENSION_CAP: u64 = 8 << 20;

/// Where the tar stream is, and how far the crate may read before handing us the next member.
struct GuardState {
    pos: Cell<u64>,
    until: Cell<u64>,
    tripped: Cell<bool>,
}

struct Guard<'a> {
    inner: &'a mut dyn Read,
    state: &'a GuardState,
}

impl Read for Guard<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let (pos, until) = (self.state.pos.get(), self.state.until.get());
        if pos >= until && !buf.is_empty() {
            self.state.tripped.set(true);
            return Err(io::Error::other("tar headers between two members are too long"));
        }
        let max = usize::try_from(until - pos).unwrap_or(usize::MAX).min(buf.len());
        let n = self.inner.read(&mut buf[..max])?;
        self.state.pos.set(pos + n as u64);
        Ok(n)
    }
}

impl Walker<'_> {
    /// Every member of the tar stream `input`, at `depth`. A read failure ends the tar (a stream cannot be resynced):
    /// it is listed at the member being read, or at the tar if between members.
    pub(super) fn tar(&mut self, input: &mut dyn Read, depth: u32) -> Step {
        let state = GuardState { pos: Cell::new(0), until: Cell::new(EXTENSION_CAP), tripped: Cell::new(false) };
        let mut archive = tar::Archive::new(Guard { inner: input, state: &state });
        let entries = match archive.entries() {
            Ok(entries) => entries,
            Err(e) => return self.io_problem("tar", &e),
        };
        for entry in entries {
            let mut entry = match entry {
                Ok(entry) => entry,
                Err(_) if state.tripped.get() => {
                    return self.error(format!("tar: headers between two members over {EXTENSION_CAP} bytes"));
                }
                Err(e) => return self.io_problem("tar", &e),
            };
            // What the crate will skip of this member's data before the next header: its stored size, rounded up to
            // the 512-byte block (a sparse member stores less than its size says).
            let data_start = state.pos.get();
            let header = entry.header();
            let stored =
                if header.entry_type().is_gnu_sparse() { header.entry_size().unwrap_or(0) } else { entry.size() };
            state.until.set(u64::MAX);
            if !self.tar_entry(&mut entry, depth)? {
                return Ok(());
            }
            let data_end = data_start.saturating_add(stored.div_ceil(512).saturating_mul(512));
            state.until.set(data_end.max(state.pos.get()).saturating_add(EXTENSION_CAP));
        }
        Ok(())
    }

    /// One entry: a regular file is a member; anything else (directory, link, device, pax global header) is skipped.
    /// False when its reader failed, which ends the tar.
    fn tar_entry(&mut self, entry: &mut tar::Entry<'_, Guard<'_>>, depth: u32) -> Result<bool, Halt> {
        let header = entry.header();
        let kind = header.entry_type();
        if !(kind.is_file() || kind.is_contiguous() || kind.is_gnu_sparse()) {
            return Ok(true);
        }
        let info = MemberInfo {
            declared: Some(entry.size()),
            mode: header.mode().ok().map(|m| m & 0o7777),
            mtime: header.mtime().ok().and_then(|t| i64::try_from(t).ok()),
        };
        let mark = self.enter(&entry.path_bytes());
        let result = match self.count_member().map_err(Fail::from).and_then(|()| self.member(entry, info, depth)) {
            Ok(()) => Ok(true),
            Err(Fail::Halt) => Err(Halt),
            Err(Fail::Io(e)) => self.io_problem("tar", &e).map(|()| false),
        };
        self.leave(mark);
        result
    }
}
