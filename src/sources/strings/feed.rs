//! Binary files into the scanner: the policy decides (executables and media skipped unless `--scan-binaries`), then
//! the [`Strings`] of the bytes — a whole file or member, or one chunk of a big one at a time — are scanned with
//! [`Scope::token_rules_only`] (a `password=` in a string table says nothing), and each finding is placed at the byte
//! offset its secret has in the file ([`BinaryText`]).
use super::{BinaryAction, Strings};
use crate::{
    finding::{BinaryText, Origin},
    read::{LargeFile, SkipReason},
    reason::io_reason,
    scanner::{Input, Part, Scope},
    sources::{Buffers, Feed, Worker},
};

/// Bytes of a binary file the policy looks at (every header it reads fits).
const POLICY_HEAD: usize = 4096;

impl Feed {
    /// A binary file or member in memory: skipped by the policy, or its strings scanned.
    pub fn binary(&mut self, buffers: &mut Buffers, input: &Input<'_>, bytes: &[u8]) {
        if let Some(why) = self.policy_skip(bytes) {
            return self.skip_at(why, input.origin.path);
        }
        self.strings(&mut buffers.strings, input, bytes, 0, Part::Whole);
    }

    /// Why the binary policy skips data starting with `head`, if it does.
    pub(crate) fn policy_skip(&self, head: &[u8]) -> Option<SkipReason> {
        match self.shared.binaries.decide(&head[..head.len().min(POLICY_HEAD)]) {
            BinaryAction::ScanStrings => None,
            BinaryAction::SkipExecutable(_) => Some(SkipReason::Executable),
            BinaryAction::SkipMedia(_) => Some(SkipReason::Media),
        }
    }

    /// Scan the strings of `data`, which starts `start` bytes into its file; `part` as [`Feed::scan`] takes it, its
    /// ownership border given in `data`'s offsets.
    pub(crate) fn strings(&mut self, strings: &mut Strings, input: &Input<'_>, data: &[u8], start: u64, part: Part) {
        strings.refill(data);
        let first = match part {
            Part::Whole => true,
            Part::Chunk { first, .. } => first,
        };
        self.counters.strings_scanned += u64::from(first);
        if strings.is_empty() {
            // Nothing printable: counted as scanned, without running the rules over a buffer of separators.
            let owned = match part {
                Part::Whole => data.len(),
                Part::Chunk { owned_start, owned_end, .. } => owned_end - owned_start,
            };
            self.counters.files_scanned += u64::from(first);
            self.counters.bytes_scanned += owned as u64;
            return;
        }
        let part = match part {
            Part::Whole => Part::Whole,
            Part::Chunk { owned_start, owned_end, first } => Part::Chunk {
                owned_start: strings.text_offset(owned_start),
                owned_end: strings.text_offset(owned_end),
                first,
            },
        };
        let origin = Origin { binary: Some(BinaryText { start, offsets: &*strings }), ..input.origin };
        let scope = Scope { token_rules_only: true, ..input.scope };
        self.scan(&Input { origin, part, scope, ..*input }, strings.text());
    }
}

impl Worker {
    /// A binary file too large to read whole: skipped by the policy, or its strings scanned chunk by chunk (a string
    /// across a chunk border is whole in the chunk that owns its start, as text is).
    pub(in crate::sources) fn stream_strings(&mut self, lf: &mut LargeFile, input: &Input<'_>, head: &[u8]) {
        if let Some(why) = self.feed.policy_skip(head) {
            return self.feed.skip_at(why, input.origin.path);
        }
        let mut start = 0u64;
        loop {
            let chunk = match self.reader.next_chunk(lf) {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => return self.feed.error(Some(input.origin.path), io_reason(&e)),
            };
            self.feed.shared.limits.add_bytes(chunk.owned.len() as u64);
            let part = Part::Chunk { owned_start: chunk.owned.start, owned_end: chunk.owned.end, first: chunk.first };
            let origin = Origin { meta: Some(lf.meta), ..input.origin };
            let input = Input { origin, ..*input };
            self.feed.strings(&mut self.buffers.strings, &input, chunk.data, start, part);
            start += chunk.next_from as u64;
        }
    }
}
