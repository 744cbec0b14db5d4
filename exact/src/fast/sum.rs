//! Racah-type factorial sums in machine integers, without heap allocation.
//!
//! Each term `(−1)^t ∏_a (t+a)! / (∏_b (t+b)! ∏_c (c−t)!)` is a prime-exponent vector; the
//! componentwise minimum `g` over all terms is pulled out, so every term becomes the integer
//! `∏_p p^{e_t − g}` and the sum an `i128`. Any overflow returns `None` and the caller uses the
//! big-integer engine ([`crate::racah_sum`]).

use super::table::{add, sub, Exps, FACT, INV, MAX_N, MAX_POW, NP, PI, POW, PRIMES};
use crate::rounding::{small_sqrt_rational, Target};
use crate::SqrtRational;

/// Most terms handled without allocation.
const MAX_TERMS: i64 = 64;

/// Terms whose exponent vectors are kept between the two passes of [`fact_sum`] (a CG or 6j
/// with spins ≤ 10 has at most 11 terms, most have far fewer).
const STORED: usize = 8;

/// The exponent vector of `∏_a (t+a)! / (∏_b (t+b)! ∏_c (c−t)!)`; every argument is in `0..=MAX_N`
/// (checked by the caller at both ends of the `t` range).
#[inline(always)]
fn term_exps<const A: usize, const B: usize, const C: usize>(
    num: &[i64; A],
    den_plus: &[i64; B],
    den_minus: &[i64; C],
    t: i64,
) -> Exps {
    let mut e = [0i16; NP];
    for &a in num {
        add(&mut e, &FACT[(t + a) as usize]);
    }
    for &b in den_plus {
        sub(&mut e, &FACT[(t + b) as usize]);
    }
    for &c in den_minus {
        sub(&mut e, &FACT[(c - t) as usize]);
    }
    e
}

/// `Σ_t (−1)^t ∏_a (t+a)! / (∏_b (t+b)! ∏_c (c−t)!)` as `(s, g)` with value `s · ∏ p^g`.
#[inline]
pub(crate) fn fact_sum<const A: usize, const B: usize, const C: usize>(
    num: [i64; A],
    den_plus: [i64; B],
    den_minus: [i64; C],
    t0: i64,
    t1: i64,
) -> Option<(i128, Exps)> {
    debug_assert!(t0 <= t1);
    if t1 - t0 + 1 > MAX_TERMS {
        return None;
    }
    // Factorial arguments are monotone in t, so checking the ends suffices.
    for &a in &num {
        if t1 + a > MAX_N {
            return None;
        }
    }
    for &b in &den_plus {
        if t1 + b > MAX_N {
            return None;
        }
    }
    for &c in &den_minus {
        if c - t0 > MAX_N {
            return None;
        }
    }
    // Only primes up to the largest factorial argument can have nonzero exponents.
    let mut max_arg = 0;
    for &a in &num {
        max_arg = max_arg.max(t1 + a);
    }
    for &b in &den_plus {
        max_arg = max_arg.max(t1 + b);
    }
    for &c in &den_minus {
        max_arg = max_arg.max(c - t0);
    }
    let np = PI[max_arg as usize];
    let n_terms = (t1 - t0 + 1) as usize;
    // One pass computes every term's exponent vector and their minimum `g`; the vectors of the
    // first STORED terms are kept for the second pass (zero-initialising a small array is cheaper
    // than recomputing them), the rest are recomputed.
    let mut stored = [[0i16; NP]; STORED];
    let mut g = [i16::MAX; NP];
    for (k, t) in (t0..=t1).enumerate() {
        let e = term_exps(&num, &den_plus, &den_minus, t);
        for i in 0..NP {
            g[i] = g[i].min(e[i]);
        }
        if k < STORED {
            stored[k] = e;
        }
    }
    if n_terms == 1 {
        // A single term: it is ±1 times the extracted factor.
        return Some((if t0 % 2 == 0 { 1 } else { -1 }, g));
    }
    let mut s: i128 = 0;
    for (k, t) in (t0..=t1).enumerate() {
        let e = if k < STORED {
            stored[k]
        } else {
            term_exps(&num, &den_plus, &den_minus, t)
        };
        // Visit only the primes whose exponent exceeds the minimum; two u64 accumulators
        // (independent multiply chains), widened once at the end.
        let mut d = [0i16; NP];
        for i in 0..NP {
            d[i] = e[i] - g[i];
        }
        let mut mask = nonzero_mask(&d) & ((1u32 << np) - 1);
        let (mut lo, mut hi): (u64, u64) = (1, 1);
        while mask != 0 {
            let i = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            let k = d[i] as usize;
            if k >= MAX_POW[i] {
                return None;
            }
            if i % 2 == 0 {
                lo = lo.checked_mul(POW[i][k])?;
            } else {
                hi = hi.checked_mul(POW[i][k])?;
            }
        }
        let term = i128::try_from(lo as u128 * hi as u128).ok()?;
        s = if t % 2 == 0 {
            s.checked_add(term)?
        } else {
            s.checked_sub(term)?
        };
    }
    Some((s, g))
}

/// Bit `i` set iff `e[i] != 0`.
#[inline(always)]
fn nonzero_mask(e: &Exps) -> u32 {
    let mut m = 0u32;
    for (i, &x) in e.iter().enumerate() {
        m |= u32::from(x != 0) << i;
    }
    m
}

#[inline(always)]
fn nonzero_mask_u32(e: &[u32; NP]) -> u32 {
    let mut m = 0u32;
    for (i, &x) in e.iter().enumerate() {
        m |= u32::from(x != 0) << i;
    }
    m
}

/// `s · √(∏ p^{e2})` correctly rounded to `target`, if the parts fit in machine integers.
///
/// The same value as `assemble(s, e2, max_arg)` rounded, without the canonical form: the
/// fraction `|s|·∏ p^⌊e/2⌋` over `∏ p^⌈−e/2⌉` is left unreduced, since rounding
/// ([`small_sqrt_rational`]) does not need lowest terms. `None` when a part overflows a u64.
#[inline]
pub(crate) fn assemble_rounded(s: i128, e2: &Exps, max_arg: i64, target: Target) -> Option<f64> {
    if s == 0 {
        return Some(0.0);
    }
    let mut num: u64 = u64::try_from(s.unsigned_abs()).ok()?;
    let mut den: u64 = 1;
    let mut rad: u64 = 1;
    let np = PI[max_arg.clamp(0, MAX_N) as usize];
    let mut mask = nonzero_mask(e2) & ((1u32 << np) - 1);
    while mask != 0 {
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        let e = e2[i] as i32;
        if e & 1 != 0 {
            rad = rad.checked_mul(PRIMES[i] as u64)?;
        }
        let q = e >> 1; // ⌊e/2⌋
        let k = q.unsigned_abs() as usize;
        if k >= MAX_POW[i] {
            return None;
        }
        if q > 0 {
            num = num.checked_mul(POW[i][k])?;
        } else {
            den = den.checked_mul(POW[i][k])?;
        }
    }
    let m = small_sqrt_rational(num, den, rad, target);
    Some(if s < 0 { -m } else { m })
}

/// `s · √(∏ p^{e2})` as a [`SqrtRational`], if the parts fit in machine integers.
///
/// The denominator's primes are divided out of `s` directly (exact division by modular
/// inverses), so numerator and denominator come out coprime without a gcd.
#[inline]
///
/// `max_arg` bounds every factorial argument behind `e2` (primes above it are skipped).
pub(crate) fn assemble(s: i128, e2: &Exps, max_arg: i64) -> Option<SqrtRational> {
    if s == 0 {
        return Some(SqrtRational::ZERO);
    }
    let neg = s < 0;
    let mut n: u64 = u64::try_from(s.unsigned_abs()).ok()?;
    let mut num: u64 = 1;
    let mut den_exp = [0u32; NP];
    let mut rad: u64 = 1; // the primorial 53# exceeds 2^64, hence the checked product
    let np = PI[max_arg.clamp(0, MAX_N) as usize];
    let mut mask = nonzero_mask(e2) & ((1u32 << np) - 1);
    while mask != 0 {
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        let e = e2[i] as i32;
        rad = rad.checked_mul(if e & 1 != 0 { PRIMES[i] as u64 } else { 1 })?;
        let q = e >> 1; // ⌊e/2⌋
        let up = q.max(0) as usize;
        den_exp[i] = (-q).max(0) as u32;
        if up >= MAX_POW[i] {
            return None;
        }
        num = num.checked_mul(POW[i][up])?;
    }
    // Divide the denominator's primes out of n, then build the denominator.
    let z = n.trailing_zeros().min(den_exp[0]);
    n >>= z;
    den_exp[0] -= z;
    let mut den: u64 = 1;
    let mut mask = nonzero_mask_u32(&den_exp);
    while mask != 0 {
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        let mut k = den_exp[i];
        if i > 0 && n > 1 {
            let (inv, lim) = INV[i];
            while k > 0 {
                let d = n.wrapping_mul(inv);
                if d > lim {
                    break;
                }
                n = d;
                k -= 1;
            }
        }
        if k as usize >= MAX_POW[i] {
            return None;
        }
        den = den.checked_mul(POW[i][k as usize])?;
    }
    let num = num.checked_mul(n)?;
    Some(SqrtRational::from_small_unchecked(neg, num, den, rad))
}
