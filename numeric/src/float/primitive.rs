//! `Float` for the primitive types `f32` and `f64`.

use super::Float;
use racah_exact::SqrtRational;

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

    #[inline(always)]
    fn hi(self) -> f64 {
        self
    }

    #[inline(always)]
    fn sin(self) -> Self {
        f64::sin(self)
    }

    #[inline(always)]
    fn cos(self) -> Self {
        f64::cos(self)
    }

    #[inline(always)]
    fn exp(self) -> Self {
        f64::exp(self)
    }

    #[inline(always)]
    fn ln(self) -> Self {
        f64::ln(self)
    }

    #[inline(always)]
    fn tanh(self) -> Self {
        f64::tanh(self)
    }

    fn pi() -> Self {
        std::f64::consts::PI
    }

    fn exp2i(k: i32) -> Self {
        pow2_f64(k)
    }

    fn sqrt_ratio(num: u128, den: u128) -> Self {
        racah_exact::sqrt_ratio_to_f64(num, den)
    }

    fn round_exact(v: &SqrtRational) -> Self {
        v.to_f64()
    }

    fn from_ratio(num: i64, den: i64) -> Self {
        assert!(den != 0, "from_ratio: zero denominator in {num}/{den}");
        if num.unsigned_abs() <= 1 << 53 && den.unsigned_abs() <= 1 << 53 {
            // both operands exact, so the IEEE quotient is the correctly rounded one
            num as f64 / den as f64
        } else {
            rug::Float::with_val(53, rug::Rational::from((num, den))).to_f64()
        }
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

    #[inline(always)]
    fn hi(self) -> f64 {
        f64::from(self)
    }

    #[inline(always)]
    fn sin(self) -> Self {
        f32::sin(self)
    }

    #[inline(always)]
    fn cos(self) -> Self {
        f32::cos(self)
    }

    #[inline(always)]
    fn exp(self) -> Self {
        f32::exp(self)
    }

    #[inline(always)]
    fn ln(self) -> Self {
        f32::ln(self)
    }

    #[inline(always)]
    fn tanh(self) -> Self {
        f32::tanh(self)
    }

    fn pi() -> Self {
        std::f32::consts::PI
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

    fn round_exact(v: &SqrtRational) -> Self {
        v.to_f32()
    }

    fn from_ratio(num: i64, den: i64) -> Self {
        assert!(den != 0, "from_ratio: zero denominator in {num}/{den}");
        if num.unsigned_abs() <= 1 << 24 && den.unsigned_abs() <= 1 << 24 {
            num as f32 / den as f32
        } else {
            rug::Float::with_val(24, rug::Rational::from((num, den))).to_f32()
        }
    }

    fn frac_1_sqrt_4pi() -> Self {
        // 1/√(4π) rounded to nearest f32 = 9465531·2⁻²⁵ (mpmath at 400 bits; checked against
        // rug at 256 bits in the unit tests below).
        0.282_094_8
    }
}

/// 2^k as f64, exact for normal exponents.
pub(super) fn pow2_f64(k: i32) -> f64 {
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

    /// num/den at 200 bits rounded once to `prec` bits (exact enough: never a tie for these
    /// denominators unless the quotient is exact).
    fn ratio_oracle(num: i64, den: i64, prec: u32) -> f64 {
        let q = rug::Rational::from((num, den));
        rug::Float::with_val(prec, &q).to_f64()
    }

    #[test]
    fn test_from_ratio() {
        assert_eq!(f64::from_ratio(1, 3), 1.0 / 3.0);
        assert_eq!(f64::from_ratio(-7, 2), -3.5);
        assert_eq!(f64::from_ratio(3, -4), -0.75);
        assert_eq!(f32::from_ratio(1, 10), 0.1f32);
        // 2^53 + 1 is not an f64: the quotient must come from the exact value
        let big = (1i64 << 53) + 1;
        assert_eq!(f64::from_ratio(big, 3), ratio_oracle(big, 3, 53));
        assert_ne!(f64::from_ratio(big, 3), big as f64 / 3.0);
        // for f32, 1/3 via f64 would double-round in some cases; the direct path does not
        assert_eq!(
            f32::from_ratio(i64::MAX, 3),
            ratio_oracle(i64::MAX, 3, 24) as f32
        );
        assert_eq!(<f64 as Float>::pi(), std::f64::consts::PI);
        assert_eq!(<f32 as Float>::pi(), std::f32::consts::PI);
        assert_eq!(Float::hi(0.1f32), f64::from(0.1f32));
    }

    #[test]
    #[should_panic(expected = "zero denominator")]
    fn from_ratio_rejects_zero_denominator() {
        let _ = f32::from_ratio(1, 0);
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x5172_7262),
            ..Default::default()
        })]

        #[test]
        fn from_ratio_properties(n in proptest::num::i64::ANY, d in 1i64..i64::MAX,
                                 small in -(1i64 << 24)..1 << 24, neg in proptest::bool::ANY) {
            let d = if neg { -d } else { d };
            proptest::prop_assert_eq!(f64::from_ratio(n, d), ratio_oracle(n, d, 53));
            proptest::prop_assert_eq!(
                f64::from(f32::from_ratio(n, d)),
                ratio_oracle(n, d, 24)
            );
            proptest::prop_assert_eq!(
                f64::from(f32::from_ratio(small, d % (1 << 24) + (1 << 24) + 1)),
                ratio_oracle(small, d % (1 << 24) + (1 << 24) + 1, 24)
            );
            proptest::prop_assert_eq!(f64::from_ratio(small, 7), small as f64 / 7.0);
        }
    }
}
