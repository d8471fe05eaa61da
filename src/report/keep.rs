//! Findings kept for a whole-document report (JSON, human): sorted and grouped at the end, with memory that grows
//! by a few dozen bytes per finding.
//!
//! Why: a report is sorted by place and grouped by credential, so neither format can write a finding before the
//! scan ends, and keeping every [`Finding`] costs about 2 KB each; the human report also grouped by walking every
//! finding once per credential (issue #16: 40,000 AWS key ids took 24 s, 1.1M findings an hour and 2.5 GB). Here
//! each finding is rendered once, as it arrives, into a record its writer chooses (its JSON, or what the human
//! report needs), appended to an anonymous temporary file (the *spill*: created 0600 and already unlinked, so it is
//! never visible and goes away with the process, even on a crash; it holds raw values only when the report will,
//! with `--include-secrets`). It lives beside the report file, or in the system's temporary directory. Memory holds
//! one fixed-size [`Entry`] per finding — place, rule and credential as interned numbers, severity, location id,
//! and where its record is — and one compact fingerprint per credential. [`Kept::finish`] sorts the entries once into report order (path, line,
//! column, rule) and groups them by credential with a counting sort: O(n log n) in all, nothing per pair.
use std::{
    cmp::Ordering,
    collections::HashMap,
    fs::File,
    hash::BuildHasher,
    io::{self, BufWriter, Write},
    path::Path,
    sync::Arc,
};

use super::Finding;
use crate::rules::Severity;

/// Records are read back through a cache of this many bytes: findings of one file arrive together, so report order
/// mostly walks the spill forward.
const READ_BLOCK: usize = 256 * 1024;

/// One kept finding. Fixed size: its record in the spill holds the rest.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub line: u64,
    pub column: u64,
    offset: u64,
    len: u32,
    path: u32,
    rule: u32,
    /// The finding's credential (its fingerprint), numbered from 0 in order of arrival.
    pub cred: u32,
    pub severity: Severity,
    /// The finding has an `identifier` (a credential takes the first in report order).
    pub has_identifier: bool,
    /// The location id's 16 bytes (`loc:v1:` and 32 hex digits), or `None` when it has another form (kept aside).
    id: Option<[u8; 16]>,
}

/// Findings as they arrive: entries in memory, records in the spill.
pub struct Kept {
    spill: BufWriter<File>,
    written: u64,
    entries: Vec<Entry>,
    paths: Interner,
    rules: Interner,
    fingerprints: Fingerprints,
    /// Location ids that are not `loc:v1:` + 32 hex digits, by record offset (never seen from this scanner).
    odd_ids: HashMap<u64, Box<str>>,
}

impl Kept {
    /// An empty store whose spill lives in `dir` (beside the report file) or the system's temporary directory.
    pub fn new(dir: Option<&Path>) -> io::Result<Kept> {
        let file = match dir {
            Some(d) => tempfile::tempfile_in(d).or_else(|_| tempfile::tempfile())?,
            None => tempfile::tempfile()?,
        };
        Ok(Kept {
            spill: BufWriter::with_capacity(READ_BLOCK, file),
            written: 0,
            entries: Vec::new(),
            paths: Interner::default(),
            rules: Interner::default(),
            fingerprints: Fingerprints::default(),
            odd_ids: HashMap::new(),
        })
    }

    /// Keep `f`, whose rendered form is `record`.
    pub fn add(&mut self, f: &Finding, record: &[u8]) -> io::Result<()> {
        let len = u32::try_from(record.len()).map_err(|_| io::Error::other("a finding too large to report"))?;
        let offset = self.written;
        self.spill.write_all(record)?;
        self.written += u64::from(len);
        let id = parse_location_id(&f.id);
        if id.is_none() {
            self.odd_ids.insert(offset, f.id.as_str().into());
        }
        self.entries.push(Entry {
            line: f.line,
            column: f.column,
            offset,
            len,
            path: self.paths.id(&f.path),
            rule: self.rules.id(&f.rule),
            cred: self.fingerprints.id(&f.fingerprint),
            severity: f.severity,
            has_identifier: f.identifier.is_some(),
            id,
        });
        Ok(())
    }

    /// Sort into report order and group by credential.
    pub fn finish(self) -> io::Result<Ordered> {
        let Kept { spill, entries: mut e, paths, rules, fingerprints, odd_ids, .. } = self;
        let file = spill.into_inner().map_err(|e| e.into_error())?;
        let path_rank = paths.ranks();
        let rule_rank = rules.ranks();
        // Ties (equal in every key) keep their order of arrival, as a stable sort would: the spill offset grows with
        // arrival. Unstable, so no buffer of half the entries.
        e.sort_unstable_by_key(|x| {
            (path_rank[x.path as usize], x.line, x.column, rule_rank[x.rule as usize], x.offset)
        });
        let creds = fingerprints.len();
        let mut starts = vec![0u32; creds + 1];
        let mut severity = vec![Severity::Info; creds];
        for x in &e {
            starts[x.cred as usize + 1] += 1;
            severity[x.cred as usize] = severity[x.cred as usize].max(x.severity);
        }
        for i in 0..creds {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut members = vec![0u32; e.len()];
        let mut by_appearance = Vec::with_capacity(creds);
        for (i, x) in e.iter().enumerate() {
            let slot = &mut next[x.cred as usize];
            if *slot == starts[x.cred as usize] {
                by_appearance.push(x.cred);
            }
            members[*slot as usize] = i as u32;
            *slot += 1;
        }
        let index =
            Index { entries: e, members, starts, severity, by_appearance, rules: rules.list, fingerprints, odd_ids };
        Ok(Ordered { index, records: Records { file, block: Vec::new(), block_start: 0, last_end: 0 } })
    }
}

/// The kept findings in report order, grouped by credential; their records apart, so a writer can read records
/// while it walks the index.
pub struct Ordered {
    pub index: Index,
    pub records: Records,
}

/// Entries in report order and the groups of each credential.
pub struct Index {
    entries: Vec<Entry>,
    /// Positions in `entries`, grouped by credential (in report order within each group).
    members: Vec<u32>,
    /// Credential `c`'s members are `members[starts[c]..starts[c + 1]]`.
    starts: Vec<u32>,
    severity: Vec<Severity>,
    by_appearance: Vec<u32>,
    rules: Vec<Arc<str>>,
    fingerprints: Fingerprints,
    odd_ids: HashMap<u64, Box<str>>,
}

impl Index {
    /// Every finding, in report order (path, line, column, rule).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many credentials (distinct fingerprints).
    pub fn credentials(&self) -> usize {
        self.severity.len()
    }

    /// Credentials in order of their first finding in report order.
    pub fn by_appearance(&self) -> &[u32] {
        &self.by_appearance
    }

    /// The findings of credential `c`, in report order.
    pub fn members(&self, c: u32) -> impl Iterator<Item = &Entry> + '_ {
        let (a, b) = (self.starts[c as usize] as usize, self.starts[c as usize + 1] as usize);
        self.members[a..b].iter().map(|&i| &self.entries[i as usize])
    }

    /// The highest severity of credential `c`'s findings.
    pub fn severity(&self, c: u32) -> Severity {
        self.severity[c as usize]
    }

    pub fn fingerprint(&self, c: u32) -> String {
        self.fingerprints.text(c)
    }

    /// Fingerprints compared as the strings they are.
    pub fn cmp_fingerprints(&self, a: u32, b: u32) -> Ordering {
        self.fingerprints.cmp(a, b)
    }

    /// The rule of a finding.
    pub fn rule(&self, e: &Entry) -> &str {
        &self.rules[e.rule as usize]
    }

    /// The distinct rules of credential `c`, in order of appearance.
    pub fn rules_of(&self, c: u32) -> Vec<&str> {
        let mut out: Vec<u32> = Vec::new();
        for e in self.members(c) {
            // Rules per credential are a handful (bounded by the rule count), so a linear check is cheap.
            if !out.contains(&e.rule) {
                out.push(e.rule);
            }
        }
        out.into_iter().map(|r| &*self.rules[r as usize]).collect()
    }

    /// A finding's location id.
    pub fn id(&self, e: &Entry) -> String {
        match e.id {
            Some(b) => format!("loc:v1:{}", hex::encode(b)),
            None => self.odd_ids.get(&e.offset).map_or_else(String::new, |s| s.to_string()),
        }
    }
}

/// The spill, read back a record at a time. A read that continues where the last one ended (the findings of one
/// file, written in the order they arrived) fills a large block ahead; any other read takes just its record, so a
/// walk in another order (the human report's, by credential) costs one small read per record, not one block.
pub struct Records {
    file: File,
    block: Vec<u8>,
    block_start: u64,
    /// Where the last record read ended.
    last_end: u64,
}

impl Records {
    /// The record of `e`, exactly as it was added.
    pub fn get(&mut self, e: &Entry) -> io::Result<&[u8]> {
        let (start, len) = (e.offset, e.len as usize);
        let cached = start >= self.block_start && start + len as u64 <= self.block_start + self.block.len() as u64;
        if !cached {
            let want = if start == self.last_end { len.max(READ_BLOCK) } else { len };
            self.block.resize(want, 0);
            let got = read_at(&self.file, &mut self.block, start)?;
            if got < len {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the report's temporary file is short"));
            }
            self.block.truncate(got);
            self.block_start = start;
        }
        self.last_end = start + len as u64;
        let at = (start - self.block_start) as usize;
        Ok(&self.block[at..at + len])
    }
}

/// Read as much of `buf` as the file has from `offset` (less only at its end).
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(file, &mut buf[done..], offset + done as u64);
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset + done as u64);
        match n {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// `loc:v1:` and 32 lowercase hex digits as 16 bytes (lowercase only, so [`Index::id`] gives back the same text).
fn parse_location_id(id: &str) -> Option<[u8; 16]> {
    let digits = id.strip_prefix("loc:v1:")?;
    if digits.len() != 32 || !is_lower_hex(digits) {
        return None;
    }
    let mut out = [0u8; 16];
    hex::decode_to_slice(digits, &mut out).ok()?;
    Some(out)
}

fn is_lower_hex(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Strings numbered in order of first sight, each stored once.
#[derive(Default)]
struct Interner {
    index: HashMap<Arc<str>, u32>,
    list: Vec<Arc<str>>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.list.len() as u32;
        let s: Arc<str> = s.into();
        self.index.insert(s.clone(), i);
        self.list.push(s);
        i
    }

    /// Each id's rank when the strings are sorted.
    fn ranks(&self) -> Vec<u32> {
        let mut by_text: Vec<u32> = (0..self.list.len() as u32).collect();
        by_text.sort_by(|&a, &b| self.list[a as usize].cmp(&self.list[b as usize]));
        let mut rank = vec![0u32; self.list.len()];
        for (r, &i) in by_text.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        rank
    }
}

/// Credential fingerprints numbered in order of first sight. `<prefix>:<64 hex digits>` (every fingerprint this
/// scanner makes: `sha256:`, `hmac-sha256:`) is kept as 32 bytes and a prefix number, anything else as text aside.
/// The hash table holds only numbers into these lists, so a credential costs about 40 bytes.
#[derive(Default)]
struct Fingerprints {
    prefixes: Vec<Box<str>>,
    bytes: Vec<[u8; 32]>,
    /// Index into `prefixes`, or [`ODD`] for a fingerprint of another form (its text in `odd`).
    prefix: Vec<u8>,
    odd: HashMap<u32, Box<str>>,
    table: hashbrown::HashTable<u32>,
    hasher: std::collections::hash_map::RandomState,
}

/// The prefix number of a fingerprint kept as text.
const ODD: u8 = u8::MAX;

impl Fingerprints {
    fn len(&self) -> usize {
        self.prefix.len()
    }

    fn id(&mut self, fp: &str) -> u32 {
        let (prefix, bytes) = self.split(fp).unwrap_or((ODD, [0; 32]));
        let hash = if prefix == ODD { self.hasher.hash_one(fp) } else { self.hasher.hash_one((prefix, bytes)) };
        let found = self.table.find(hash, |&c| {
            self.prefix[c as usize] == prefix
                && self.bytes[c as usize] == bytes
                && (prefix != ODD || self.odd.get(&c).is_some_and(|t| **t == *fp))
        });
        if let Some(&c) = found {
            return c;
        }
        let c = self.prefix.len() as u32;
        self.prefix.push(prefix);
        self.bytes.push(bytes);
        if prefix == ODD {
            self.odd.insert(c, fp.into());
        }
        let Fingerprints { table, hasher, bytes, prefix, odd, .. } = self;
        table.insert_unique(hash, c, |&k| match prefix[k as usize] {
            ODD => hasher.hash_one(odd.get(&k).map_or("", |t| &**t)),
            p => hasher.hash_one((p, bytes[k as usize])),
        });
        c
    }

    /// `(prefix number, bytes)` of a `<prefix>:<64 lowercase hex>` fingerprint; a new prefix is numbered (up to 254).
    fn split(&mut self, fp: &str) -> Option<(u8, [u8; 32])> {
        let (prefix, digits) = fp.rsplit_once(':')?;
        if digits.len() != 64 || !is_lower_hex(digits) {
            return None;
        }
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(digits, &mut bytes).ok()?;
        let p = match self.prefixes.iter().position(|p| **p == *prefix) {
            Some(p) => p,
            None if self.prefixes.len() < usize::from(ODD) => {
                self.prefixes.push(prefix.into());
                self.prefixes.len() - 1
            }
            None => return None,
        };
        Some((p as u8, bytes))
    }

    fn text(&self, c: u32) -> String {
        text_of(&self.prefixes, &self.bytes, &self.prefix, &self.odd, c)
    }

    /// The order of the fingerprints' text, without making it: lowercase hex sorts like its bytes.
    fn cmp(&self, a: u32, b: u32) -> Ordering {
        let (pa, pb) = (self.prefix[a as usize], self.prefix[b as usize]);
        if pa == pb && pa != ODD {
            self.bytes[a as usize].cmp(&self.bytes[b as usize])
        } else {
            self.text(a).cmp(&self.text(b))
        }
    }
}

/// Fingerprint `c`'s text.
fn text_of(prefixes: &[Box<str>], bytes: &[[u8; 32]], prefix: &[u8], odd: &HashMap<u32, Box<str>>, c: u32) -> String {
    match prefix[c as usize] {
        ODD => odd.get(&c).map_or_else(String::new, |t| t.to_string()),
        p => format!("{}:{}", prefixes[p as usize], hex::encode(bytes[c as usize])),
    }
}

#[cfg(test)]
mod tests;
