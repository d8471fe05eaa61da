//! The filter test for 16 positions at a time: the same hashes and table as [`Filter::scan`], in AVX-512 registers
//! (one byte permutation makes the 16 windows, one gather fetches their table words, the bit test yields a mask).
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
    // `i + 32 <= hay.len()`, and gathers `filter.words` only at word indexes: products shifted right by
    // `32 - log2(len)`, so below its length (a power of two).
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
    debug_assert!(filter.words.len().is_power_of_two() && filter.words.len() <= 1 << (32 - filter.shift));
    // Bytes j..j+4 of the loaded bytes into 32-bit lane j, for j in 0..16.
    let mut idx = [0u8; 64];
    for (k, b) in idx.iter_mut().enumerate() {
        *b = (k / 4 + k % 4) as u8;
    }
    let windows = _mm512_loadu_si512(idx.as_ptr() as *const _);
    let fold = _mm512_set1_epi32(super::FOLD as i32);
    let low3 = _mm512_set1_epi32(0x00ff_ffff);
    let mul_word = _mm512_set1_epi32(super::MUL_WORD as i32);
    let mul_bit = _mm512_set1_epi32(super::MUL_BIT as i32);
    let mul_bit2 = _mm512_set1_epi32(super::MUL_BIT2 as i32);
    let one = _mm512_set1_epi32(1);
    let shift = _mm_cvtsi32_si128(filter.shift as i32);
    let words = filter.words.as_ptr() as *const i32;
    found.len = 0;
    let mut i = pos;
    while i + 32 <= hay.len() && found.len <= 48 {
        let bytes = _mm512_castsi256_si512(_mm256_loadu_si256(hay.as_ptr().add(i) as *const __m256i));
        let w = _mm512_or_si512(_mm512_permutexvar_epi8(windows, bytes), fold);
        let word = _mm512_srl_epi32(_mm512_mullo_epi32(_mm512_and_si512(w, low3), mul_word), shift);
        let bit = _mm512_srli_epi32::<27>(_mm512_mullo_epi32(w, mul_bit));
        let bit2 = _mm512_srli_epi32::<27>(_mm512_mullo_epi32(w, mul_bit2));
        let bits = _mm512_or_si512(_mm512_sllv_epi32(one, bit), _mm512_sllv_epi32(one, bit2));
        let got = _mm512_i32gather_epi32::<4>(word, words);
        let mut lanes = _mm512_cmpeq_epi32_mask(_mm512_and_si512(got, bits), bits) as u32;
        while lanes != 0 {
            found.positions[found.len] = i + lanes.trailing_zeros() as usize;
            found.len += 1;
            lanes &= lanes - 1;
        }
        i += 16;
    }
    i
}
