//! Helpers shared by the integration tests.

#![allow(dead_code)]

use racah_exact::{SqrtRational, SqrtSum};
use rug::{Float, Integer};

/// Whether doubled spins form an admissible triad.
pub fn triad(a: i64, b: i64, c: i64) -> bool {
    c <= a + b && c >= (a - b).abs() && (a + b + c) % 2 == 0
}

/// Doubled spins `c` with `(a, b, c)` a triad and `c <= max`.
pub fn tri(a: i64, b: i64, max: i64) -> impl Iterator<Item = i64> {
    ((a - b).abs()..=(a + b).min(max)).step_by(2)
}

/// `(−1)^(t/2)` for an even doubled exponent `t`, as a SqrtRational.
pub fn phase(t: i64) -> SqrtRational {
    assert!(t % 2 == 0, "half-integer phase exponent {t}");
    if (t / 2).rem_euclid(2) == 0 {
        SqrtRational::ONE
    } else {
        SqrtRational::rational(-1, 1)
    }
}

/// `√n` exactly.
pub fn root(n: u64) -> SqrtRational {
    SqrtRational::sqrt_of_ratio(n, 1).unwrap()
}

/// Exact sum of products.
pub fn dot(terms: impl IntoIterator<Item = (SqrtRational, SqrtRational)>) -> SqrtSum {
    let mut s = SqrtSum::zero();
    for (a, b) in terms {
        s += &(&a * &b);
    }
    s
}

/// The exact value evaluated by MPFR at 200 bits (the oracle of [`nearest_f64`] and
/// [`nearest_f32`]).
fn at_200_bits(v: &SqrtRational) -> Float {
    let mut x = Float::with_val(200, v.sq_num()) / Float::with_val(200, v.sq_den());
    x.sqrt_mut();
    if v.sign() < 0 {
        x = -x;
    }
    x
}

/// The nearest f64 to an exact value, independently: MPFR at 200 bits of the same exact value,
/// then the closest of the three doubles around MPFR's own conversion, ties to even.
pub fn nearest_f64(v: &SqrtRational) -> f64 {
    if v.is_zero() {
        return 0.0;
    }
    let x = at_200_bits(v);
    let c = x.to_f64();
    let cands = [
        f64::from_bits(c.to_bits() - 1),
        c,
        f64::from_bits(c.to_bits() + 1),
    ];
    let mut best = c;
    for cand in cands {
        let dc = Float::with_val(200, &x - cand).abs();
        let db = Float::with_val(200, &x - best).abs();
        if dc < db || (dc == db && cand.to_bits() % 2 == 0) {
            best = cand;
        }
    }
    // 200 bits suffice unless the value is within 2^-140 relative of a midpoint; say so.
    let mid_gap = Float::with_val(200, &x - best).abs() * 2u32;
    let ulp = Float::with_val(200, f64::from_bits(best.abs().to_bits() + 1) - best.abs());
    assert!(
        Float::with_val(200, &ulp - &mid_gap).abs() > Float::with_val(200, &ulp >> 140u32),
        "{v} too close to a midpoint for the oracle"
    );
    best
}

/// The nearest f32, as [`nearest_f64`].
pub fn nearest_f32(v: &SqrtRational) -> f32 {
    if v.is_zero() {
        return 0.0;
    }
    let x = at_200_bits(v);
    let c = x.to_f32();
    let cands = [
        f32::from_bits(c.to_bits() - 1),
        c,
        f32::from_bits(c.to_bits() + 1),
    ];
    let mut best = c;
    for cand in cands {
        let dc = Float::with_val(200, &x - cand).abs();
        let db = Float::with_val(200, &x - best).abs();
        if dc < db || (dc == db && cand.to_bits() % 2 == 0) {
            best = cand;
        }
    }
    best
}

/// An Integer from a u64.
pub fn int(n: u64) -> Integer {
    Integer::from(n)
}
