//! Anchored keyword search: each keyword is found through its *anchor*, 4 of its rarest-looking bytes.
//!
//! A keyword can only occur where its anchor does, at a fixed offset, so the search visits every position of the
//! buffer once and asks one cheap question there: could an anchor start here? Only where the answer is yes does it
//! look the position's 4 bytes up in a hash map of anchors and compare the keywords anchored there with the buffer.
//!
//! The question is one bit of a table ([`Filter`]): 2^15 words of 32 bits (128 KiB), a bit for every 20-bit key made
//! of the low 5 bits of each of the position's 4 bytes, folded (`| 0x20`: ASCII case merges). The first 3 bytes
//! pick the word, the 4th the bit; no hashing. Letters are exact in 5 bits; other bytes share them with letters
//! (digits with `p`…`y`, `-` with `m`, `.` with `n`, `(` with `h`), which only costs a false candidate. A 3-byte
//! keyword sets all bits of its word, so it is found wherever a byte follows it (and by one comparison at the
//! buffer's end); only the windows whose first 3 bytes fold to its key meet it, where a hashed word was shared with
//! thousands of others. A 2-byte keyword (rules need at least 2 bytes) is found with `memchr` on its rarer byte, in
//! both cases, then compared.
//!
//! The work per position is a few byte operations (two multiply-adds make the word index), a load from the table and
//! a bit test, with no dependency on the previous position; it does not grow with the number of keywords, only the
//! share of positions that pass does. With AVX2, 8 positions are tested at once ([`avx2`]: the same table and keys,
//! one gather); with AVX-512 (and its byte permutes), 16 ([`avx512`]). The hashed two-bit Bloom filter this replaced
//! needed three 32-bit multiplications per position: on 128 MiB of the bench tree's text, one thread, text in cache,
//! all rules, the gate alone went ~100 → ~84 ms with AVX2 and ~87 → ~82 ms with AVX-512 (now bound by the gather),
//! and a 2-thread scan of the 1.1 GB bench tree's plain files 1.66 → 1.55 s of CPU, with as many candidates (731k →
//! 735k: fewer collisions with 3-byte keywords' words, 162k → 38k; more false candidates from bytes that share a
//! key). A table of 2^13 words (the first byte's top 2 bits dropped) fits the L1 cache but passed so many more
//! positions that the gate took 60% longer.
//!
//! Anchors are picked by [`rarity_score`], which knows how common each 4-byte window is in English text ([`ngrams`],
//! generated from word frequencies by `scripts/gen_ngrams.py`) and in source code ([`code_ngrams`], counted by
//! `scripts/gen_code_ngrams.py` in Java, JavaScript and Perl that the bench tree does not hold). English alone sent
//! `package`'s keyword to `ckag`, `crypto`'s to `cryp`, and `_key`, `perm`, `upst`, `butt`, `oggl` were anchors: over
//! the bench tree's text with all rules, 20.1M positions passed the test (2.1%), 12.6M of them anchors without their
//! keyword or collisions; with the code table 16.2M (1.7%) and 8.7M. 2.0M of those were collisions with the (then
//! hashed) full words of 3-byte keywords (`key`, `sig`, `pwd`). Each costs a lookup and a comparison.

mod avx2;
mod avx512;
mod code_ngrams;
mod ngrams;

/// Folds ASCII letters to lower case (and merges each byte with the one 0x20 away; the comparison sorts that out).
const FOLD: u32 = 0x2020_2020;
/// Multiplier of the anchors' hash table (odd; the high bits of the product depend on every input byte).
const MUL_SLOT: u32 = 0x85EB_CA77;
/// The table's words: one per 15-bit key of 3 bytes (128 KiB).
const WORDS: usize = 1 << 15;

/// How common a byte is in text and code, roughly (higher is more common): English letter frequencies, and code
/// punctuation by how often it appears in source. Only the order matters.
fn commonness(b: u8) -> u32 {
    match b.to_ascii_lowercase() {
        b' ' => 60,
        b'e' => 50,
        b't' => 45,
        b's' | b'r' | b'a' | b'i' | b'o' | b'n' => 40,
        b'l' | b'c' => 35,
        b'\n' | b'd' | b'u' | b'p' => 30,
        b'_' => 28,
        b'f' | b'm' => 25,
        b':' | b'h' => 22,
        b'b' | b'/' => 20,
        b'g' => 18,
        b'"' | b',' | b'.' | b'0' => 16,
        b'(' | b')' => 15,
        b'y' | b'w' | b'x' => 14,
        b'1'..=b'3' => 13,
        b'=' | b'v' => 12,
        b'>' | b'-' => 11,
        b';' => 10,
        b'\'' | b'<' | b'k' => 9,
        b'#' => 8,
        b'4'..=b'9' => 7,
        b'\\' | b'[' | b']' | b'`' => 6,
        b'*' => 5,
        b'{' | b'}' | b'j' | b'z' | b'q' | b'\t' => 4,
        b'&' | b'!' => 3,
        b'%' | b'$' | b'+' | b'|' | b'\r' => 2,
        _ => 1,
    }
}

/// How common the windows that pass the filter where a 4-byte window does are in English text and in source code,
/// from 0 (among the most common of neither, [`ngrams`], [`code_ngrams`]) to 17 (`    `): each step is twice as
/// common. The most common of them counts: an anchor pays for every place it occurs, in prose or in code, and for
/// every window that shares its key ([`Filter`]: `n-ap` of `lin-api` passes wherever `.map` and `nmap` do). Looked up
/// by key, the tables cut the positions that pass on 128 MiB of the bench tree's text by 8% (735k → 676k: 205k → 145k
/// windows that are no anchor but share one's key).
fn text_commonness(window: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<u32, u8>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut map = std::collections::HashMap::new();
        for &(q, grams) in ngrams::COMMON_4GRAMS.iter().chain(code_ngrams::COMMON_CODE_4GRAMS) {
            for g in grams.as_bytes().chunks_exact(4) {
                let q0 = map.entry(key20(g)).or_insert(q);
                *q0 = (*q0).min(q);
            }
        }
        map
    });
    if window.len() != 4 {
        return 0;
    }
    table.get(&key20(window)).map_or(0, |&q| u32::from(RAREST_Q.saturating_sub(q)))
}

/// The filter's key of 4 bytes (its word and bit, see [`Filter`]): the windows that pass where they do.
fn key20(window: &[u8]) -> u32 {
    let w = fold4(window);
    (Filter::word(w) as u32) << 5 | w >> 24 & 0x1f
}

/// One more than the last group of [`code_ngrams::COMMON_CODE_4GRAMS`] (the longer table): windows not listed.
const RAREST_Q: u8 = 19;

/// How often a window of a keyword can be expected in text (lower is rarer): its bytes' [`commonness`], plus a
/// penalty by how common it is in English or code ([`text_commonness`]: word fragments such as `tabl`, `work`,
/// `ckag` are everywhere) and one for punctuation at either end (`_api`, `key-`, `.com` are affixes that code is full of;
/// `e_ap` is not).
fn rarity_score(window: &[u8]) -> u32 {
    let bytes: u32 = window.iter().map(|&b| commonness(b)).sum();
    let affix = |b: &u8| !b.is_ascii_alphanumeric();
    let edges = window.first().is_some_and(affix) || window.last().is_some_and(affix);
    bytes + COMMONNESS_WEIGHT * text_commonness(window) + if edges { 20 } else { 0 }
}

const COMMONNESS_WEIGHT: u32 = 12;

/// Where the rarest 4-byte window of `kw` (at least 4 bytes long) starts.
fn anchor_offset(kw: &[u8]) -> usize {
    (0..=kw.len() - 4).min_by_key(|&j| rarity_score(&kw[j..j + 4])).expect("a keyword of 4 bytes or more")
}

#[inline(always)]
fn fold4(bytes: &[u8]) -> u32 {
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) | FOLD
}

/// Positions that passed the filter, collected by a scan (up to 64, so the scan loops never call out).
struct Candidates {
    positions: [usize; 64],
    len: usize,
}

impl Default for Candidates {
    fn default() -> Self {
        Candidates { positions: [0; 64], len: 0 }
    }
}

impl Candidates {
    fn positions(&self) -> &[usize] {
        &self.positions[..self.len]
    }
}

/// A keyword to compare where its anchor was found: the keyword starts `offset` bytes before the anchor.
#[derive(Debug, Clone, Copy)]
struct Entry {
    keyword: u32,
    offset: u32,
    len: u32,
    /// The keyword's first (up to) 8 bytes, lowercased, little-endian; zero past its end.
    head: u64,
    /// 0x20 in the bytes of `head` that are ASCII letters: `(8 bytes | letters) & mask == head` is an ASCII
    /// case-insensitive comparison.
    letters: u64,
    mask: u64,
}

impl Entry {
    fn new(keyword: u32, kw: &[u8], offset: usize) -> Entry {
        let (mut head, mut letters, mut mask) = ([0u8; 8], [0u8; 8], [0u8; 8]);
        for (i, &b) in kw.iter().take(8).enumerate() {
            head[i] = b;
            letters[i] = if b.is_ascii_alphabetic() { 0x20 } else { 0 };
            mask[i] = 0xff;
        }
        Entry {
            keyword,
            offset: offset as u32,
            len: kw.len() as u32,
            head: u64::from_le_bytes(head),
            letters: u64::from_le_bytes(letters),
            mask: u64::from_le_bytes(mask),
        }
    }
}

/// The bitset every position is tested against (see the module documentation): one bit per 20-bit key, the low 5
/// bits of each of the 4 folded bytes. The word is chosen by the first 3 bytes, the bit by the 4th, so a 3-byte
/// keyword (any 4th byte) is a word with every bit set.
struct Filter {
    words: Box<[u32]>,
}

impl Filter {
    /// A table for anchors (folded 4 bytes) and 3-byte keywords (folded 3 bytes, top byte zero).
    fn new(anchors: &[u32]) -> Filter {
        let mut filter = Filter { words: vec![0u32; WORDS].into_boxed_slice() };
        for &anchor in anchors {
            let word = Self::word(anchor);
            filter.words[word] |= if anchor >> 24 == 0 { u32::MAX } else { Self::bit(anchor) };
        }
        filter
    }

    /// The word for 4 folded bytes: the low 5 bits of the first 3, side by side.
    #[inline(always)]
    fn word(w: u32) -> usize {
        ((w & 0x1f) << 10 | (w >> 8 & 0x1f) << 5 | (w >> 16 & 0x1f)) as usize
    }

    /// The bit for 4 folded bytes: the low 5 bits of the 4th.
    #[inline(always)]
    fn bit(w: u32) -> u32 {
        1 << (w >> 24 & 0x1f)
    }

    /// Test positions from `pos` on until the end or until `found` is full. `None` when nothing was left to test
    /// from `pos`; otherwise the next position to test. (The loop never calls out, so its state stays in registers.)
    fn scan(&self, hay: &[u8], pos: usize, found: &mut Candidates) -> Option<usize> {
        let windows = hay.len().saturating_sub(3);
        if pos >= windows {
            return None;
        }
        // A slice of exactly `WORDS` words lets the compiler drop the bounds check (the index has 15 bits).
        let words: &[u32; WORDS] = self.words[..].try_into().expect("WORDS words");
        found.len = 0;
        for (i, window) in (pos..).zip(hay[pos..].windows(4)) {
            let w = fold4(window);
            if words[Self::word(w)] & Self::bit(w) != 0 {
                found.positions[found.len] = i;
                found.len += 1;
                if found.len == found.positions.len() {
                    return Some(i + 1);
                }
            }
        }
        Some(windows)
    }
}

/// Anchors to entries: open addressing over the distinct folded anchors (4 bytes; 3 bytes, top byte zero, for the
/// 3-byte keywords: a folded byte is never zero, so the two kinds never meet).
struct Anchors {
    /// Per slot: the anchor (0: empty) and its entries.
    keys: Box<[u32]>,
    ranges: Box<[(u32, u32)]>,
    entries: Box<[Entry]>,
}

impl Anchors {
    fn new(mut list: Vec<(u32, Entry)>) -> Anchors {
        list.sort_by_key(|(anchor, e)| (*anchor, e.keyword));
        let distinct = list.windows(2).filter(|p| p[0].0 != p[1].0).count() + 1;
        let size = (distinct * 2).next_power_of_two();
        let mut keys = vec![0u32; size];
        let mut ranges = vec![(0u32, 0u32); size];
        let mut start = 0;
        while start < list.len() {
            let anchor = list[start].0;
            let end = start + list[start..].iter().take_while(|(a, _)| *a == anchor).count();
            let mut slot = Self::slot(anchor, size);
            while keys[slot] != 0 {
                slot = (slot + 1) & (size - 1);
            }
            keys[slot] = anchor;
            ranges[slot] = (start as u32, end as u32);
            start = end;
        }
        Anchors {
            keys: keys.into_boxed_slice(),
            ranges: ranges.into_boxed_slice(),
            entries: list.into_iter().map(|(_, e)| e).collect(),
        }
    }

    #[inline(always)]
    fn slot(anchor: u32, size: usize) -> usize {
        (anchor.wrapping_mul(MUL_SLOT) >> 16) as usize & (size - 1)
    }

    fn get(&self, anchor: u32) -> &[Entry] {
        let mask = self.keys.len() - 1;
        let mut slot = Self::slot(anchor, self.keys.len());
        loop {
            match self.keys[slot] {
                0 => return &[],
                k if k == anchor => {
                    let (a, b) = self.ranges[slot];
                    return &self.entries[a as usize..b as usize];
                }
                _ => slot = (slot + 1) & mask,
            }
        }
    }
}

/// Two-byte keywords whose rarer byte is one of up to three bytes, found with one `memchr` pass.
struct PairScan {
    needles: Vec<u8>,
    /// (rarer byte, lowercased; keyword; that byte's index in the keyword).
    keys: Vec<(u8, u32, usize)>,
}

/// Which vector loop tests the filter (ordered by width): each finishes where the next narrower one goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Simd {
    None,
    Avx2,
    Avx512,
}

impl Simd {
    fn detect() -> Simd {
        if avx512::available() {
            Simd::Avx512
        } else if avx2::available() {
            Simd::Avx2
        } else {
            Simd::None
        }
    }
}

/// Every keyword occurrence, through anchors (see the module documentation).
pub(super) struct Gate {
    /// ASCII-lowercased.
    keywords: Vec<Box<[u8]>>,
    filter: Filter,
    anchors: Anchors,
    /// Three-byte keywords: the filter finds them where a byte follows; at the buffer's end they are compared here.
    three: Vec<u32>,
    pairs: Vec<PairScan>,
    /// The widest filter loop this CPU runs (detected at run time).
    simd: Simd,
}

impl Gate {
    /// `keywords`: distinct, ASCII-lowercased, at least 2 bytes each (checked when rules compile).
    pub(super) fn new(keywords: Vec<Vec<u8>>) -> Gate {
        let keywords: Vec<Box<[u8]>> = keywords.into_iter().map(Vec::into_boxed_slice).collect();
        let mut anchored: Vec<(u32, Entry)> = Vec::new();
        let mut three = Vec::new();
        let mut pair_keys: Vec<(u8, u32, usize)> = Vec::new();
        for (k, kw) in keywords.iter().enumerate() {
            let k = k as u32;
            match kw.len() {
                0 | 1 => panic!("keywords have at least 2 bytes (checked when rules compile)"),
                2 => {
                    let j = usize::from(commonness(kw[1]) < commonness(kw[0]));
                    pair_keys.push((kw[j].to_ascii_lowercase(), k, j));
                }
                3 => {
                    three.push(k);
                    anchored.push((fold4(&[kw[0], kw[1], kw[2], 0]) & 0x00ff_ffff, Entry::new(k, kw, 0)));
                }
                _ => {
                    let offset = anchor_offset(kw);
                    anchored.push((fold4(&kw[offset..]), Entry::new(k, kw, offset)));
                }
            }
        }
        let anchors = Anchors::new(anchored);
        let filter = Filter::new(&anchors.keys.iter().copied().filter(|&k| k != 0).collect::<Vec<_>>());
        // Each needle byte with its other case; one memchr3 pass per three of them.
        let mut needles: Vec<u8> = pair_keys.iter().flat_map(|&(b, _, _)| [b, b.to_ascii_uppercase()]).collect();
        needles.sort_unstable();
        needles.dedup();
        let pairs = needles
            .chunks(3)
            .map(|chunk| PairScan {
                needles: chunk.to_vec(),
                keys: pair_keys
                    .iter()
                    .filter(|(b, _, _)| chunk.iter().any(|n| n.to_ascii_lowercase() == *b))
                    .copied()
                    .collect(),
            })
            .collect();
        Gate { keywords, filter, anchors, three, pairs, simd: Simd::detect() }
    }

    /// Test with loops of at most `lanes` positions at a time (1: scalar), so the tests compare every path this CPU
    /// has with the reference.
    #[cfg(test)]
    pub(super) fn narrowed(mut self, lanes: usize) -> Gate {
        let widest = match lanes {
            0..=7 => Simd::None,
            8..=15 => Simd::Avx2,
            _ => Simd::Avx512,
        };
        self.simd = self.simd.min(widest);
        self
    }

    /// Call `emit(keyword, start, end)` for every keyword occurrence in `hay`.
    pub(super) fn find(&self, hay: &[u8], mut emit: impl FnMut(u32, usize, usize)) {
        let mut found = Candidates::default();
        let mut pos = 0;
        if self.simd == Simd::Avx512 {
            while let Some(next) = avx512::scan(&self.filter, hay, pos, &mut found) {
                for &p in found.positions() {
                    self.verify(hay, p, &mut emit);
                }
                pos = next;
            }
        }
        if self.simd != Simd::None {
            while let Some(next) = avx2::scan(&self.filter, hay, pos, &mut found) {
                for &p in found.positions() {
                    self.verify(hay, p, &mut emit);
                }
                pos = next;
            }
        }
        while let Some(next) = self.filter.scan(hay, pos, &mut found) {
            for &p in found.positions() {
                self.verify(hay, p, &mut emit);
            }
            pos = next;
        }
        if let Some(start) = hay.len().checked_sub(3) {
            for &k in &self.three {
                if hay[start..].eq_ignore_ascii_case(&self.keywords[k as usize]) {
                    emit(k, start, hay.len());
                }
            }
        }
        self.pairs(hay, &mut emit);
    }

    /// A position that passed the filter: compare the keywords anchored by its 4 bytes, or starting with its 3.
    /// Inlined into `find` (the gate alone: ~5% faster on the bench tree's text than a call per candidate).
    #[inline(always)]
    fn verify(&self, hay: &[u8], i: usize, emit: &mut impl FnMut(u32, usize, usize)) {
        let w = fold4(&hay[i..]);
        // Only a word whose bits are all set can hold a 3-byte keyword (the rare 4-byte anchors that fill a word
        // by themselves just cost a lookup).
        let full = self.filter.words[Filter::word(w)] == u32::MAX;
        let three = if full && !self.three.is_empty() { self.anchors.get(w & 0x00ff_ffff) } else { &[][..] };
        for e in self.anchors.get(w).iter().chain(three) {
            let Some(start) = i.checked_sub(e.offset as usize) else { continue };
            let end = start + e.len as usize;
            if end > hay.len() {
                continue;
            }
            let same = match hay.get(start..start + 8) {
                Some(head) => {
                    let head = u64::from_le_bytes(head.try_into().expect("8 bytes"));
                    (head | e.letters) & e.mask == e.head
                        && (e.len <= 8
                            || hay[start + 8..end].eq_ignore_ascii_case(&self.keywords[e.keyword as usize][8..]))
                }
                None => hay[start..end].eq_ignore_ascii_case(&self.keywords[e.keyword as usize]),
            };
            if same {
                emit(e.keyword, start, end);
            }
        }
    }

    fn pairs(&self, hay: &[u8], emit: &mut impl FnMut(u32, usize, usize)) {
        for scan in &self.pairs {
            let mut each = |p: usize| {
                let lower = hay[p].to_ascii_lowercase();
                for &(b, k, j) in &scan.keys {
                    if b != lower || p < j || p - j + 2 > hay.len() {
                        continue;
                    }
                    let start = p - j;
                    if hay[start..start + 2].eq_ignore_ascii_case(&self.keywords[k as usize]) {
                        emit(k, start, start + 2);
                    }
                }
            };
            match *scan.needles.as_slice() {
                [a] => memchr::memchr_iter(a, hay).for_each(&mut each),
                [a, b] => memchr::memchr2_iter(a, b, hay).for_each(&mut each),
                [a, b, c] => memchr::memchr3_iter(a, b, c, hay).for_each(&mut each),
                _ => unreachable!("chunks of 1 to 3 needles"),
            }
        }
    }

    /// Positions that pass the filter (what the gate's cost grows with).
    #[cfg(test)]
    fn candidates(&self, hay: &[u8]) -> usize {
        let (mut found, mut pos, mut n) = (Candidates::default(), 0, 0);
        while let Some(next) = self.filter.scan(hay, pos, &mut found) {
            n += found.len;
            pos = next;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_avoid_common_bytes_english_fragments_and_affixes() {
        let anchor = |kw: &[u8]| {
            let j = anchor_offset(kw);
            String::from_utf8_lossy(&kw[j..j + 4]).into_owned()
        };
        assert_eq!(anchor(b"zq0042x_"), "zq00");
        assert_eq!(anchor(b"drone_api"), "e_ap", "not the affix _api");
        // Not the English word fragments (`tabl` of every table, `ampl` of every example, ` key`).
        assert_ne!(anchor(b"airtable"), "tabl");
        assert_ne!(anchor(b"amplitude"), "ampl");
        assert_ne!(anchor(b"begin rsa private key"), " key");
        assert!(text_commonness(b"tabl") > text_commonness(b"rtab"));
        assert_eq!(text_commonness(b"zq00"), 0, "not letters: not in the table");
        // Code fragments English does not know (`package`, `crypto`).
        assert_ne!(anchor(b"packagist"), "ckag");
        assert_ne!(anchor(b"cryptocompare"), "cryp");
        assert!(text_commonness(b"ckag") > 0 && text_commonness(b"cryp") > 0);
        // Windows that share a key pass the filter at the same places: `-` shares its key with `m`, `.` with `n`.
        assert!(text_commonness(b".map") > 0);
        assert_eq!(text_commonness(b"n-ap"), text_commonness(b".map"));
        assert_ne!(anchor(b"lin-api_"), "n-ap");
        let last = |t: &[(u8, &str)]| t.iter().map(|&(q, _)| q).max().unwrap_or(0);
        assert_eq!(RAREST_Q, last(code_ngrams::COMMON_CODE_4GRAMS).max(last(ngrams::COMMON_4GRAMS)) + 1);
    }

    #[test]
    fn filter_keys_are_exact_over_letters_and_fold_case() {
        // `hubs`, `ubsp`, … whichever window of `hubspot` is its anchor: no other 4 letters pass, in any case.
        let gate = Gate::new(vec![b"hubspot".to_vec()]);
        let kw = b"hubspot";
        let j = anchor_offset(kw);
        let anchor: [u8; 4] = kw[j..j + 4].try_into().unwrap();
        let mut passed = Vec::new();
        for (a, b) in (b'a'..=b'z').flat_map(|a| (b'a'..=b'z').map(move |b| (a, b))) {
            for window in [[anchor[0], anchor[1], a, b], [a, anchor[1], anchor[2], b], [a, b, anchor[2], anchor[3]]] {
                if gate.candidates(&window) > 0 || gate.candidates(&window.map(|c| c.to_ascii_uppercase())) > 0 {
                    passed.push(window);
                }
            }
        }
        passed.sort_unstable();
        passed.dedup();
        assert_eq!(passed, [anchor], "only the anchor itself");
        // Digits share their key with `p`…`y`: a false candidate, which the comparison drops.
        assert_eq!(Filter::word(fold4(b"0a1b")), Filter::word(fold4(b"pAqB")));
    }

    #[test]
    fn filter_passes_anchors_and_three_byte_keywords_before_any_byte() {
        let gate = Gate::new(vec![b"ghp_".to_vec(), b"bot".to_vec(), b"q~".to_vec()]);
        assert_eq!(gate.candidates(b"GHP_"), 1);
        for b in 0..=255u8 {
            assert_eq!(gate.candidates(&[b'B', b'o', b'T', b]), 1, "bot + {b:#x}");
        }
    }
}
