//! The filter test for 8 positions at a time: the same keys and table as [`Filter::scan`], in AVX2 registers, with
//! one gather for the 8 table words. About 1.6× the scalar loop's speed on the bench machine (the gather dominates).
use super::{Candidates, Filter};

#[cfg(target_arch = "x86_64")]
pub(super) fn available() -> bool {
    std::is_x86_feature_detected!("avx2")
}

#[cfg(not(target_arch = "x86_64"))]
pub(super) fn available() -> bool {
    false
}

/// Test positions from `pos` on, 8 at a time, while 16 bytes can be loaded and there is room for 8 more
/// candidates. `None` when nothing was left to test from `pos`; otherwise the next position to test (the
/// scalar loop finishes the last few positions).
#[cfg(target_arch = "x86_64")]
pub(super) fn scan(filter: &Filter, hay: &[u8], pos: usize, found: &mut Candidates) -> Option<usize> {
    assert!(available(), "only called when AVX2 was detected");
    if pos + 16 > hay.len() {
        return None;
    }
    // SAFETY: AVX2 is available (asserted). `scan_avx2` loads 16 bytes at `i` only while `i + 16 <= hay.len()`,
    // and gathers `filter.words` only at word indexes, which have 15 bits: below its length (`WORDS`).
    Some(unsafe { scan_avx2(filter, hay, pos, found) })
}

#[cfg(not(target_arch = "x86_64"))]
pub(super) fn scan(_: &Filter, _: &[u8], _: usize, _: &mut Candidates) -> Option<usize> {
    None
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn scan_avx2(filter: &Filter, hay: &[u8], pos: usize, found: &mut Candidates) -> usize {
    use std::arch::x86_64::*;
    debug_assert!(filter.words.len() == super::WORDS);
    // Bytes j..j+4 of the 16 loaded bytes into 32-bit lane j, for j in 0..8 (each 128-bit half shuffles its own
    // copy of the 16 bytes). The steps below are `Filter::word`, `Filter::bit` and the bit test.
    let windows = _mm256_setr_epi8(
        0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6, 4, 5, 6, 7, 5, 6, 7, 8, 6, 7, 8, 9, 7, 8, 9, 10,
    );
    let fold = _mm256_set1_epi32(super::FOLD as i32);
    let low5 = _mm256_set1_epi8(0x1f);
    let pair_weights = _mm256_set1_epi32(i32::from_le_bytes([32, 1, 1, 0]));
    let word_weights = _mm256_set1_epi32(32 | 1 << 16);
    let one = _mm256_set1_epi32(1);
    let zero = _mm256_setzero_si256();
    let words = filter.words.as_ptr() as *const i32;
    found.len = 0;
    let mut i = pos;
    while i + 16 <= hay.len() && found.len <= 56 {
        let bytes = _mm256_broadcastsi128_si256(_mm_loadu_si128(hay.as_ptr().add(i) as *const __m128i));
        let w = _mm256_and_si256(_mm256_or_si256(_mm256_shuffle_epi8(bytes, windows), fold), low5);
        let word = _mm256_madd_epi16(_mm256_maddubs_epi16(w, pair_weights), word_weights);
        let bit = _mm256_sllv_epi32(one, _mm256_srli_epi32::<24>(w));
        let got = _mm256_i32gather_epi32::<4>(words, word);
        let clear = _mm256_cmpeq_epi32(_mm256_and_si256(got, bit), zero);
        let mut lanes = !_mm256_movemask_ps(_mm256_castsi256_ps(clear)) as u32 & 0xff;
        while lanes != 0 {
            found.positions[found.len] = i + lanes.trailing_zeros() as usize;
            found.len += 1;
            lanes &= lanes - 1;
        }
        i += 8;
    }
    i
}
