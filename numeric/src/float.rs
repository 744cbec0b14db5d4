//! The floating-point element types of the kernels (`f32`, `f64`) and their exact constants.
//!
//! Every constant a kernel uses is either √(p/q) for naturals p, q, correctly rounded once to
//! the element type by racah-exact ([`Float::sqrt_ratio`] is
//! [`racah_exact::sqrt_ratio_to_f64`] / [`racah_exact::sqrt_ratio_to_f32`]), or 1/√(4π), also
//! correctly rounded ([`Float::frac_1_sqrt_4pi`]). No coefficient is computed by floating-point
//! arithmetic.

use std::fmt::{Debug, Display};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A floating-point element type of the numeric kernels: `f32` or `f64` (sealed).
///
/// # Examples
/// ```
/// use racah_numeric::Float;
/// assert_eq!(f64::sqrt_ratio(3, 4), 3f64.sqrt() / 2.0);
/// assert_eq!(<f32 as Float>::NAME, "f32");
/// ```
pub trait Float:
    sealed::Sealed
    + Copy
    + Send
    + Sync
    + Debug
    + Display
    + Default
    + PartialEq
    + PartialOrd
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
    + Sum
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// Not a number.
    const NAN: Self;
    /// Machine epsilon (distance from 1 to the next larger value).
    const EPSILON: Self;
    /// The smallest positive normal value.
    const MIN_POSITIVE: Self;
    /// The largest finite value.
    const MAX: Self;
    /// `"f32"` or `"f64"`.
    const NAME: &'static str;
    /// The binary exponent range of normal values: `MAX < 2^MAX_EXP`.
    const MAX_EXP: i32;

    /// Square root.
    fn sqrt(self) -> Self;
    /// Absolute value.
    fn abs(self) -> Self;
    /// Whether the value is neither infinite nor NaN.
    fn is_finite(self) -> bool;
    /// The larger of two values (NaN-ignoring, as `f64::max`).
    fn max(self, other: Self) -> Self;
    /// The nearest value of this type to `v`.
    fn from_f64(v: f64) -> Self;
    /// The value as `f64` (exact).
    fn to_f64(self) -> f64;
    /// The exact power of two 2^k, for `|k| < MAX_EXP − 1`.
    fn exp2i(k: i32) -> Self;

    /// √(num/den), correctly rounded to this type (round to nearest, ties to even), from
    /// racah-exact (`CONVENTIONS.md#rounding`).
    ///
    /// # Panics
    /// If `den == 0`.
    fn sqrt_ratio(num: u128, den: u128) -> Self;

    /// 1/√(4π), correctly rounded: the `Integral` normalisation of the spherical harmonics.
    fn frac_1_sqrt_4pi() -> Self;
}

impl Float for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    const NAN: Self = f64::NAN;
    const EPSILON: Self = f64::EPSILON;
    const MIN_POSITIVE: Self = f64::MIN_POSITIVE;
    const MAX: Self = f64::MAX;
    const NAME: &'static str = "f64";
    const MAX_EXP: i32 = f64::MAX_EXP;

    #[inline(always)]
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }

    #[inline(always)]
    fn abs(self) -> Self {
        f64::abs(self)
    }

    #[inline(always)]
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }

    #[inline(always)]
    fn max(self, other: Self) -> Self {
        f64::max(self, other)
    }

    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v
    }

    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }

    fn exp2i(k: i32) -> Self {
        pow2_f64(k)
    }

    fn sqrt_ratio(num: u128, den: u128) -> Self {
        racah_exact::sqrt_ratio_to_f64(num, den)
    }

    fn frac_1_sqrt_4pi() -> Self {
        // 1/√(4π) = 0.28209479177387814347403972578038629292…, rounded to nearest f64
        // (mpmath at 400 bits; checked against rug at 256 bits in the unit tests below).
        0.282_094_791_773_878_14
    }
}

impl Float for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    const NAN: Self = f32::NAN;
    const EPSILON: Self = f32::EPSILON;
    const MIN_POSITIVE: Self = f32::MIN_POSITIVE;
    const MAX: Self = f32::MAX;
    const NAME: &'static str = "f32";
    const MAX_EXP: i32 = f32::MAX_EXP;

    #[inline(always)]
    fn sqrt(self) -> Self {
        f32::sqrt(self)
    }

    #[inline(always)]
    fn abs(self) -> Self {
        f32::abs(self)
    }

    #[inline(always)]
    fn is_finite(self) -> bool {
        f32::is_finite(self)
    }

    #[inline(always)]
    fn max(self, other: Self) -> Self {
        f32::max(self, other)
    }

    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v as f32
    }

    #[inline(always)]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }

    fn exp2i(k: i32) -> Self {
        assert!(
            k.abs() < f32::MAX_EXP - 1,
            "2^{k} is outside the normal f32 range"
        );
        pow2_f64(k) as f32
    }

    fn sqrt_ratio(num: u128, den: u128) -> Self {
        racah_exact::sqrt_ratio_to_f32(num, den)
    }

    fn frac_1_sqrt_4pi() -> Self {
        // 1/√(4π) rounded to nearest f32 = 9465531·2⁻²⁵ (mpmath at 400 bits; checked against
        // rug at 256 bits in the unit tests below).
        0.282_094_8
    }
}

/// 2^k as f64, exact for normal exponents.
fn pow2_f64(k: i32) -> f64 {
    assert!(
        (-1022..=1023).contains(&k),
        "2^{k} is outside the normal f64 range"
    );
    f64::from_bits(((k + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rug::float::Constant;
    use rug::ops::Pow;

    /// √(n/d) at 300 bits, rounded once to `prec` bits: the oracle.
    fn oracle(n: u128, d: u128, prec: u32) -> f64 {
        let q = rug::Rational::from((rug::Integer::from(n), rug::Integer::from(d)));
        let hi = rug::Float::with_val(300, &q).sqrt();
        rug::Float::with_val(prec, &hi).to_f64()
    }

    #[test]
    fn test_coeff_golden() {
        assert_eq!(f64::sqrt_ratio(3, 1), 3f64.sqrt());
        assert_eq!(f64::sqrt_ratio(1, 4), 0.5);
        assert_eq!(f64::sqrt_ratio(9, 4), 1.5);
        assert_eq!(f64::sqrt_ratio(2, 1), std::f64::consts::SQRT_2);
        assert_eq!(f64::sqrt_ratio(1, 2), std::f64::consts::FRAC_1_SQRT_2);
        assert_eq!(f32::sqrt_ratio(2, 1), std::f32::consts::SQRT_2);
        assert_eq!(f64::sqrt_ratio(0, 7), 0.0);
        assert_eq!(f64::sqrt_ratio(u128::MAX, 1), oracle(u128::MAX, 1, 53));
        assert_eq!(f64::sqrt_ratio(1, u128::MAX), oracle(1, u128::MAX, 53));
    }

    #[test]
    #[should_panic]
    fn coeff_rejects_zero_denominator() {
        let _ = f64::sqrt_ratio(1, 0);
    }

    #[test]
    fn coeff_matches_oracle_exhaustive_small() {
        for n in 1..=120u128 {
            for d in 1..=120u128 {
                assert_eq!(f64::sqrt_ratio(n, d), oracle(n, d, 53), "√({n}/{d}) f64");
                assert_eq!(
                    f64::from(f32::sqrt_ratio(n, d)),
                    oracle(n, d, 24),
                    "√({n}/{d}) f32"
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x5172_7261),
            ..Default::default()
        })]

        #[test]
        fn coeff_properties(n in 1u128..u128::MAX, d in 1u128..u128::MAX, small in 1u128..1 << 40) {
            proptest::prop_assert_eq!(f64::sqrt_ratio(n, d), oracle(n, d, 53));
            proptest::prop_assert_eq!(f64::sqrt_ratio(small, d), oracle(small, d, 53));
            proptest::prop_assert_eq!(f64::sqrt_ratio(n, small), oracle(n, small, 53));
            let f = f32::sqrt_ratio(small, small + 1);
            proptest::prop_assert_eq!(f64::from(f), oracle(small, small + 1, 24));
        }
    }

    #[test]
    fn frac_1_sqrt_4pi_is_correctly_rounded() {
        let four_pi = rug::Float::with_val(256, Constant::Pi) * 4u32;
        let v = four_pi.sqrt().pow(-1i32);
        assert_eq!(
            <f64 as Float>::frac_1_sqrt_4pi(),
            rug::Float::with_val(53, &v).to_f64()
        );
        assert_eq!(
            <f32 as Float>::frac_1_sqrt_4pi(),
            rug::Float::with_val(24, &v).to_f32()
        );
    }

    #[test]
    fn exp2i_is_exact() {
        assert_eq!(<f64 as Float>::exp2i(-3), 0.125);
        assert_eq!(<f32 as Float>::exp2i(10), 1024.0);
        assert_eq!(<f64 as Float>::exp2i(1000), 2f64.powi(1000));
    }
}
