//! Racah-type factorial sums in machine integers, without heap allocation.
//!
//! Each term `(−1)^t ∏_a (t+a)! / (∏_b (t+b)! ∏_c (c−t)!)` is a prime-exponent vector; the
//! componentwise minimum `g` over all terms is pulled out, so every term becomes the integer
//! `∏_p p^{e_t − g}` and the sum an `i128`. Any overflow returns `None` and the caller uses the
//! big-integer engine ([`crate::racah_sum`]).

use super::table::{add, sub, Exps, FACT, MAX_N, NP, POW, PRIMES};
use crate::SqrtRational;

/// Most terms handled without allocation.
const MAX_TERMS: usize = 64;

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
    let nt = (t1 - t0 + 1) as usize;
    if nt > MAX_TERMS {
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
    let mut es = [[0i16; NP]; MAX_TERMS];
    let mut g = [i16::MAX; NP];
    for k in 0..nt {
        let t = t0 + k as i64;
        let mut e = [0i16; NP];
        for &a in &num {
            add(&mut e, &FACT[(t + a) as usize]);
        }
        for &b in &den_plus {
            sub(&mut e, &FACT[(t + b) as usize]);
        }
        for &c in &den_minus {
            sub(&mut e, &FACT[(c - t) as usize]);
        }
        for i in 0..NP {
            g[i] = g[i].min(e[i]);
        }
        es[k] = e;
    }
    let mut s: i128 = 0;
    for (k, e) in es[..nt].iter().enumerate() {
        let mut term: u128 = 1;
        for i in 0..NP {
            let d = (e[i] - g[i]) as usize;
            if d != 0 {
                let pw = *POW[i].get(d)?;
                if pw == 0 {
                    return None;
                }
                term = term.checked_mul(pw as u128)?;
            }
        }
        let term = i128::try_from(term).ok()?;
        s = if (t0 + k as i64) % 2 == 0 { s.checked_add(term)? } else { s.checked_sub(term)? };
    }
    Some((s, g))
}

/// `s · √(∏ p^{e2})` as a [`SqrtRational`], if the parts fit in machine integers.
#[inline]
pub(crate) fn assemble(s: i128, e2: &Exps) -> Option<SqrtRational> {
    if s == 0 {
        return Some(SqrtRational::ZERO);
    }
    let mut num: u128 = s.unsigned_abs();
    let mut den: u128 = 1;
    let mut rad: u128 = 1;
    for i in 0..NP {
        let e = e2[i];
        if e == 0 {
            continue;
        }
        let p = PRIMES[i] as u128;
        if e & 1 != 0 {
            rad *= p; // product of distinct primes ≤ 61 < 2^80
        }
        let q = (e as i32).div_euclid(2);
        if q > 0 {
            num = num.checked_mul(*POW[i].get(q as usize).filter(|&&x| x != 0)? as u128)?;
        } else if q < 0 {
            den = den.checked_mul(*POW[i].get((-q) as usize).filter(|&&x| x != 0)? as u128)?;
        }
    }
    Some(SqrtRational::from_u128_parts(s < 0, num, den, rad))
}
