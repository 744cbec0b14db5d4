//! Correct rounding of exact values to `f64` / `f32`.
//!
//! Every conversion here returns the floating-point number nearest to the exact value, ties to
//! even, including subnormal results and overflow to infinity. Two routes:
//!
//! * a fast route in double-double arithmetic whose result is accepted only when a rigorous bound
//!   on its error keeps the exact value away from every rounding boundary, and
//! * an exact route in big integers (`isqrt(⌊p·4^k/q⌋)` with a sticky bit), used otherwise.
//!
//! `sqrt(to_f64(p/q))` rounds twice and is *not* correctly rounded; nothing here does that.
//!
//! # Convention
//! Round to nearest, ties to even (`CONVENTIONS.md#rounding`).

use crate::fast::dd::Dd;
use rug::Integer;

/// A binary floating-point target format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// IEEE binary64.
    F64,
    /// IEEE binary32.
    F32,
}

impl Target {
    /// Significand bits, including the hidden bit.
    const fn prec(self) -> i64 {
        match self {
            Target::F64 => 53,
            Target::F32 => 24,
        }
    }

    /// Exponent of the least significant bit of the smallest subnormal.
    const fn min_lsb(self) -> i64 {
        match self {
            Target::F64 => -1074,
            Target::F32 => -149,
        }
    }

    /// Largest exponent of a finite value.
    const fn emax(self) -> i64 {
        match self {
            Target::F64 => 1023,
            Target::F32 => 127,
        }
    }
}

/// `2^e` as an f64, for `-1074 <= e <= 1023`.
fn pow2(e: i64) -> f64 {
    debug_assert!((-1074..=1023).contains(&e));
    if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (e + 1074))
    }
}

/// Rounds the positive value `v` to `target`, where `v = s·2^-k` if `!sticky` and
/// `s·2^-k < v < (s+1)·2^-k` if `sticky`. When `sticky`, `s` must have at least `prec + 2` bits.
/// The result is returned as an f64 (exactly representable in `target`).
pub(crate) fn round_scaled(s: &Integer, k: i64, sticky: bool, target: Target) -> f64 {
    debug_assert!(*s > 0);
    let nb = s.significant_bits() as i64;
    debug_assert!(!sticky || nb >= target.prec() + 2);
    let top = nb - 1 - k; // v in [2^top, 2^(top+1))
    if top > target.emax() + 1 {
        return f64::INFINITY;
    }
    let lsb = (top - (target.prec() - 1)).max(target.min_lsb());
    let shift = lsb + k; // low bits of s to drop
    let kept: u64 = if shift <= 0 {
        // Exact (sticky is false here): no bits are dropped.
        debug_assert!(!sticky);
        (s.clone() << (-shift) as u32)
            .to_u64()
            .expect("at most prec bits")
    } else if shift > nb + 1 {
        // v < 2^(lsb-1): below half the smallest step.
        0
    } else {
        let shift_u = shift as u32;
        let kept_int = Integer::from(s >> shift_u);
        let mut kept = kept_int.to_u64().expect("at most prec bits");
        // Compare the dropped part with half an ulp.
        let half_bit = shift_u - 1;
        let half_set = s.get_bit(half_bit);
        let below_nonzero = sticky || (half_bit > 0 && s.find_one(0).is_some_and(|i| i < half_bit));
        let round_up = half_set && (below_nonzero || kept & 1 == 1);
        if round_up {
            kept += 1;
        }
        kept
    };
    if kept == 0 {
        return 0.0;
    }
    let result_top = 63 - kept.leading_zeros() as i64 + lsb;
    if result_top > target.emax() {
        return f64::INFINITY;
    }
    // kept < 2^54 and the product is representable in the target, hence exact in f64.
    kept as f64 * pow2(lsb)
}

/// Nearest `target` value to `√(p/q)`, exactly, for `p >= 0`, `q > 0`.
pub(crate) fn sqrt_ratio_exact(p: &Integer, q: &Integer, target: Target) -> f64 {
    debug_assert!(*q > 0 && *p >= 0);
    if *p == 0 {
        return 0.0;
    }
    let lp = p.significant_bits() as i64;
    let lq = q.significant_bits() as i64;
    // p/q in (2^(lp-lq-1), 2^(lp-lq+1)), so √(p/q) in (2^((lp-lq-1)/2), 2^((lp-lq+1)/2)).
    if lp - lq + 1 < 2 * (target.min_lsb() - 1) {
        return 0.0; // below half the smallest subnormal
    }
    if lp - lq - 1 > 2 * (target.emax() + 2) {
        return f64::INFINITY;
    }
    // Choose k so that s = ⌊√(p·4^k/q)⌋ has at least prec + 3 bits.
    let k = target.prec() + 4 - (lp - lq - 1).div_euclid(2);
    let (num, den) = if k >= 0 {
        (Integer::from(p << (2 * k) as u32), q.clone())
    } else {
        (p.clone(), Integer::from(q << (-2 * k) as u32))
    };
    let (n, rem) = num.div_rem_floor(den);
    let (s, srem) = n.sqrt_rem(Integer::new());
    let sticky = rem != 0 || srem != 0;
    round_scaled(&s, k, sticky, target)
}

/// Nearest `target` value to `p/q`, exactly, for `p >= 0`, `q > 0`.
pub(crate) fn ratio_exact(p: &Integer, q: &Integer, target: Target) -> f64 {
    debug_assert!(*q > 0 && *p >= 0);
    if *p == 0 {
        return 0.0;
    }
    let lp = p.significant_bits() as i64;
    let lq = q.significant_bits() as i64;
    if lp - lq + 1 < target.min_lsb() - 1 {
        return 0.0;
    }
    if lp - lq - 1 > target.emax() + 2 {
        return f64::INFINITY;
    }
    // s = ⌊p·2^k/q⌋ with at least prec + 3 bits.
    let k = target.prec() + 4 - (lp - lq - 1);
    let (num, den) = if k >= 0 {
        (Integer::from(p << k as u32), q.clone())
    } else {
        (p.clone(), Integer::from(q << (-k) as u32))
    };
    let (s, rem) = num.div_rem_floor(den);
    round_scaled(&s, k, rem != 0, target)
}

/// Relative error bound of the double-double proposals below. Each double-double operation has a
/// relative error below 2^-102 (Joldes, Muller & Popescu, ACM TOMS 44 (2017)); a proposal chains
/// at most five of them plus exact input conversions, so 2^-96 has a wide margin.
const DD_REL_ERR: f64 = 1.262_177_448_353_619e-29; // 2^-96

/// Correctly rounded f64 of a positive value approximated by `a` (relative error ≤ 2^-96), or
/// `None` when the exact value may lie too close to a rounding boundary to decide.
#[inline]
pub(crate) fn dd_decide_f64(a: Dd) -> Option<f64> {
    let hi = a.hi;
    if !(hi > 0.0 && hi < 1e300 && hi > 1e-300) {
        return None;
    }
    let err = hi * (2.0 * DD_REL_ERR);
    let bits = hi.to_bits();
    let up = f64::from_bits(bits + 1) - hi;
    let down = hi - f64::from_bits(bits - 1);
    // The exact value lies in [hi + lo - err, hi + lo + err]; hi is its rounding when that
    // interval sits strictly inside (hi - down/2, hi + up/2).
    if a.lo + err < 0.5 * up && a.lo - err > -0.5 * down {
        Some(hi)
    } else {
        None
    }
}

/// Like [`dd_decide_f64`], for f32 (returned as the exactly representable f64).
#[inline]
pub(crate) fn dd_decide_f32(a: Dd) -> Option<f64> {
    let hi = a.hi;
    if !(hi > 1e-30 && hi < 1e30) {
        return None;
    }
    let c = hi as f32;
    let cd = c as f64;
    // hi - cd is exact (Sterbenz); adding lo rounds by at most 2^-53 of the result.
    let delta = (hi - cd) + a.lo;
    let err = hi * (2.0 * DD_REL_ERR) + delta.abs() * 2.3e-16;
    let bits = c.to_bits();
    let up = f32::from_bits(bits + 1) as f64 - cd;
    let down = cd - f32::from_bits(bits - 1) as f64;
    if delta + err < 0.5 * up && delta - err > -0.5 * down {
        Some(cd)
    } else {
        None
    }
}

/// Magnitude `(n/m)·√d` rounded to `target` (`m, d >= 1`).
#[inline]
pub(crate) fn small_sqrt_rational(n: u64, m: u64, d: u64, target: Target) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let approx = if d == 1 {
        Dd::from_u64(n).div(Dd::from_u64(m))
    } else {
        Dd::from_u64(n)
            .div(Dd::from_u64(m))
            .mul(Dd::from_u64(d).sqrt())
    };
    let fast = match target {
        Target::F64 => dd_decide_f64(approx),
        Target::F32 => dd_decide_f32(approx),
    };
    match fast {
        Some(v) => v,
        None => {
            let n = Integer::from(n);
            let m = Integer::from(m);
            if d == 1 {
                ratio_exact(&n, &m, target)
            } else {
                let p = n.square() * d;
                sqrt_ratio_exact(&p, &m.square(), target)
            }
        }
    }
}

fn sqrt_ratio_u128(num: u128, den: u128, target: Target) -> f64 {
    assert!(
        den != 0,
        "sqrt_ratio: denominator is zero (numerator {num})"
    );
    if num == 0 {
        return 0.0;
    }
    let approx = Dd::from_u128(num).div(Dd::from_u128(den)).sqrt();
    let fast = match target {
        Target::F64 => dd_decide_f64(approx),
        Target::F32 => dd_decide_f32(approx),
    };
    fast.unwrap_or_else(|| sqrt_ratio_exact(&Integer::from(num), &Integer::from(den), target))
}

/// `√(num/den)` correctly rounded to f64 (nearest, ties to even), for machine integers.
///
/// ```text
/// sqrt_ratio_to_f64(num, den) = round_f64( √(num / den) )
/// ```
///
/// Rounds once, from the exact value: a double-double estimate is accepted only when a rigorous
/// error bound shows it cannot be on the wrong side of a rounding boundary, otherwise an exact
/// big-integer square root with a sticky bit decides. `num` and `den` need not be coprime.
///
/// # Convention
/// Round to nearest, ties to even (`CONVENTIONS.md#rounding`).
///
/// # Panics
/// If `den == 0`.
///
/// # Examples
/// ```
/// use racah_exact::sqrt_ratio_to_f64;
/// assert_eq!(sqrt_ratio_to_f64(1, 2), std::f64::consts::FRAC_1_SQRT_2);
/// assert_eq!(sqrt_ratio_to_f64(9, 4), 1.5);
/// assert_eq!(sqrt_ratio_to_f64(0, 7), 0.0);
/// ```
#[track_caller]
pub fn sqrt_ratio_to_f64(num: u128, den: u128) -> f64 {
    sqrt_ratio_u128(num, den, Target::F64)
}

/// `√(num/den)` correctly rounded to f32 (nearest, ties to even), for machine integers.
///
/// ```text
/// sqrt_ratio_to_f32(num, den) = round_f32( √(num / den) )
/// ```
///
/// Rounded once from the exact value, never through an f64 (which would round twice).
///
/// # Convention
/// Round to nearest, ties to even (`CONVENTIONS.md#rounding`).
///
/// # Panics
/// If `den == 0`.
///
/// # Examples
/// ```
/// use racah_exact::sqrt_ratio_to_f32;
/// assert_eq!(sqrt_ratio_to_f32(1, 3), (1.0f64 / 3.0).sqrt() as f32);
/// assert_eq!(sqrt_ratio_to_f32(2, 1), std::f32::consts::SQRT_2);
/// ```
#[track_caller]
pub fn sqrt_ratio_to_f32(num: u128, den: u128) -> f32 {
    sqrt_ratio_u128(num, den, Target::F32) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use rug::Float;

    /// Independent oracle: MPFR at 300 bits, then the nearest double by comparing with both
    /// neighbours exactly (midpoints are exact in 300-bit floats).
    fn oracle_f64(num: u128, den: u128) -> f64 {
        let v = Float::with_val(300, Integer::from(num)) / Float::with_val(300, Integer::from(den));
        let v = v.sqrt();
        let c = v.to_f64(); // a candidate within one ulp
        let mut best = c;
        for cand in [
            f64::from_bits(c.to_bits() - 1),
            c,
            f64::from_bits(c.to_bits() + 1),
        ] {
            let d_c = Float::with_val(300, &v - cand).abs();
            let d_b = Float::with_val(300, &v - best).abs();
            if d_c < d_b || (d_c == d_b && cand.to_bits() % 2 == 0) {
                best = cand;
            }
        }
        best
    }

    fn oracle_f32(num: u128, den: u128) -> f32 {
        let v = Float::with_val(300, Integer::from(num)) / Float::with_val(300, Integer::from(den));
        let v = v.sqrt();
        let c = v.to_f32();
        let mut best = c;
        for cand in [
            f32::from_bits(c.to_bits() - 1),
            c,
            f32::from_bits(c.to_bits() + 1),
        ] {
            let d_c = Float::with_val(300, &v - cand).abs();
            let d_b = Float::with_val(300, &v - best).abs();
            if d_c < d_b || (d_c == d_b && cand.to_bits() % 2 == 0) {
                best = cand;
            }
        }
        best
    }

    #[test]
    fn test_sqrt_ratio_to_f64() {
        assert_eq!(sqrt_ratio_to_f64(2, 1), std::f64::consts::SQRT_2);
        assert_eq!(sqrt_ratio_to_f64(1, 2), std::f64::consts::FRAC_1_SQRT_2);
        assert_eq!(sqrt_ratio_to_f64(4, 1), 2.0);
        assert_eq!(sqrt_ratio_to_f64(1, 36), 1.0 / 6.0);
        assert_eq!(sqrt_ratio_to_f64(u128::MAX, 1), 18446744073709551616.0);
        assert_eq!(
            sqrt_ratio_to_f64(1, u128::MAX),
            1.0 / 18446744073709551616.0
        );
        assert_eq!(sqrt_ratio_to_f32(4, 9), (2.0f64 / 3.0) as f32);
    }

    #[test]
    #[should_panic(expected = "denominator is zero")]
    fn sqrt_ratio_rejects_zero_denominator() {
        sqrt_ratio_to_f64(1, 0);
    }

    #[test]
    fn sqrt_ratio_matches_oracle() {
        let mut x: u128 = 0x0123_4567_89AB_CDEF_FEDC_BA98_7654_3210;
        for i in 0..20_000u32 {
            x = x
                .wrapping_mul(0x2545_F491_4F6C_DD1D_9E37_79B9_7F4A_7C15)
                .wrapping_add(1442695);
            let num = (x >> (x % 127)).max(1);
            let den = (x.rotate_left(41) >> (x.rotate_left(7) % 127)).max(1);
            let (num, den) = if i % 3 == 0 {
                (num % 100_000 + 1, den % 100_000 + 1)
            } else {
                (num, den)
            };
            assert_eq!(
                sqrt_ratio_to_f64(num, den),
                oracle_f64(num, den),
                "f64 √({num}/{den})"
            );
            assert_eq!(
                sqrt_ratio_to_f32(num, den),
                oracle_f32(num, den),
                "f32 √({num}/{den})"
            );
        }
    }

    #[test]
    fn exact_route_handles_ties_and_subnormals() {
        // (1 + 2^-53)^2 = 1 + 2^-52 + 2^-106; one more unit puts the root just above the tie.
        let one = Integer::from(1) << 106u32;
        let p = (&one + (Integer::from(1) << 54u32)) + 2u32;
        let got = sqrt_ratio_exact(&p, &one, Target::F64);
        assert_eq!(got, 1.0 + f64::EPSILON);
        // Exactly the tie: √((1 + 2^-53)^2) = 1 + 2^-53 → ties to even → 1.
        let p = (&one + (Integer::from(1) << 54u32)) + 1u32;
        assert_eq!(sqrt_ratio_exact(&p, &one, Target::F64), 1.0);
        // Subnormal: √(2^-2148) = 2^-1074, the smallest subnormal.
        let q = Integer::from(1) << 2148u32;
        assert_eq!(
            sqrt_ratio_exact(&Integer::from(1), &q, Target::F64),
            f64::from_bits(1)
        );
        // Half the smallest subnormal ties to even (0); just above rounds up.
        let q = Integer::from(1) << 2150u32;
        assert_eq!(sqrt_ratio_exact(&Integer::from(1), &q, Target::F64), 0.0);
        assert_eq!(
            ratio_exact(
                &Integer::from(3),
                &(Integer::from(1) << 1076u32),
                Target::F64
            ),
            f64::from_bits(1)
        );
        assert_eq!(
            ratio_exact(
                &Integer::from(1),
                &(Integer::from(1) << 1075u32),
                Target::F64
            ),
            0.0
        );
        // f32: smallest subnormal 2^-149 and overflow.
        let q = Integer::from(1) << 298u32;
        assert_eq!(
            sqrt_ratio_exact(&Integer::from(1), &q, Target::F32) as f32,
            f32::from_bits(1)
        );
        let big = Integer::from(1) << 300u32;
        assert_eq!(
            sqrt_ratio_exact(&big, &Integer::from(1), Target::F32),
            f64::INFINITY
        );
        assert_eq!(
            ratio_exact(&Integer::from(7), &Integer::from(2), Target::F32),
            3.5
        );
        // Largest finite f32 and the first value that rounds to infinity.
        let max = Integer::from(f32::MAX as u128);
        assert_eq!(
            ratio_exact(&max, &Integer::from(1), Target::F32) as f32,
            f32::MAX
        );
        let over = Integer::from(1) << 128u32;
        assert_eq!(
            ratio_exact(&over, &Integer::from(1), Target::F32),
            f64::INFINITY
        );
    }
}
