//! The filter test for 16 positions at a time: the same keys and table as [`Filter::scan`], in AVX-512 registers
//! (one byte permutation makes the 16 windows, two multiply-adds their word indexes, a two-table permute their bits,
//! one gather fetches their table words, the bit test yields a mask).
//! Used where the CPU has AVX-512 with byte permutes (VBMI); elsewhere [`super::avx2`] tests 8 at a time.
use super::{Candidates, Filter};

#[cfg(target_arch = "x86_64")]
pub(super) fn available() -> bool {
    std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512bw")
        && std::is_x86_feature_detected!("avx512vbmi")
}

#[cfg(not(target_arch = "x86_64"))]
pub(super) fn available() -> bool {
    false
}

/// Test positions from `pos` on, 16 at a time, while 32 bytes can be loaded and there is room for 16 more
/// candidates. `None` when nothing was left to test from `pos`; otherwise the next position to test (the
/// narrower loops finish the last few positions).
#[cfg(target_arch = "x86_64")]
pub(super) fn scan(filter: &Filter, hay: &[u8], pos: usize, found: &mut Candidates) -> Option<usize> {
    assert!(available(), "only called when AVX-512 was detected");
    if pos + 32 > hay.len() {
        return None;
    }
    // SAFETY: the features are available (asserted). `scan_avx512` loads 32 bytes at `i` only while
    // `i + 32 <= hay.len()`, and gathers `filter.words` only at word indexes, which have 15 bits: below its length
    // (`WORDS`).
    Some(unsafe { scan_avx512(filter, hay, pos, found) })
}

#[cfg(not(target_arch = "x86_64"))]
pub(super) fn scan(_: &Filter, _: &[u8], _: usize, _: &mut Candidates) -> Option<usize> {
    None
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
unsafe fn scan_avx512(filter: &Filter, hay: &[u8], pos: usize, found: &mut Candidates) -> usize {
    use std::arch::x86_64::*;
    debug_assert!(filter.words.len() == super::WORDS);
    // Bytes j..j+4 of the loaded bytes into 32-bit lane j, for j in 0..16.
    let mut idx = [0u8; 64];
    for (k, b) in idx.iter_mut().enumerate() {
        *b = (k / 4 + k % 4) as u8;
    }
    let windows = _mm512_loadu_si512(idx.as_ptr() as *const _);
    // `1 << k` for k in 0..32, looked up by a two-table permute (which reads only an index's low 5 bits).
    let mut pow = [0u32; 32];
    for (k, p) in pow.iter_mut().enumerate() {
        *p = 1 << k;
    }
    let pow_lo = _mm512_loadu_si512(pow.as_ptr() as *const _);
    let pow_hi = _mm512_loadu_si512(pow[16..].as_ptr() as *const _);
    let fold = _mm512_set1_epi32(super::FOLD as i32);
    let low5 = _mm512_set1_epi8(0x1f);
    // `Filter::word`: byte pairs (b0, b1) × (32, 1) and (b2, b3) × (1, 0), then 16-bit pairs × (32, 1).
    let pair_weights = _mm512_set1_epi32(i32::from_le_bytes([32, 1, 1, 0]));
    let word_weights = _mm512_set1_epi32(32 | 1 << 16);
    let words = filter.words.as_ptr() as *const i32;
    found.len = 0;
    let mut i = pos;
    while i + 32 <= hay.len() && found.len <= 48 {
        let bytes = _mm512_castsi256_si512(_mm256_loadu_si256(hay.as_ptr().add(i) as *const __m256i));
        let w = _mm512_and_si512(_mm512_or_si512(_mm512_permutexvar_epi8(windows, bytes), fold), low5);
        let word = _mm512_madd_epi16(_mm512_maddubs_epi16(w, pair_weights), word_weights);
        let bit = _mm512_permutex2var_epi32(pow_lo, _mm512_srli_epi32::<24>(w), pow_hi);
        let got = _mm512_i32gather_epi32::<4>(word, words);
        let mut lanes = _mm512_test_epi32_mask(got, bit) as u32;
        while lanes != 0 {
            found.positions[found.len] = i + lanes.trailing_zeros() as usize;
            found.len += 1;
            lanes &= lanes - 1;
        }
        i += 16;
    }
    i
}
