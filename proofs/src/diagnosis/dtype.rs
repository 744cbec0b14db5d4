//! [`Dtype`]: the floating-point type a checked table was written in, and distances in its
//! units in the last place.

use serde::Serialize;
use std::fmt;

/// The element type of a checked table: values are compared in this type, and distances are
/// counted in its units in the last place (ulp).
///
/// A table read as `f32` is compared with racah's reference rounded to `f32` (correctly, for
/// the exact kinds), and one ulp is an `f32` ulp.
///
/// # Convention
/// Correct rounding of exact values: `CONVENTIONS.md#rounding`.
///
/// # Examples
/// ```
/// use racah_proofs::diagnosis::Dtype;
/// assert_eq!(Dtype::F32.round(0.1), 0.1f32 as f64);
/// assert_eq!(Dtype::F64.ulps(1.0, 1.0 + f64::EPSILON), Some(1));
/// assert_eq!(Dtype::F32.ulps(-0.0, 0.0), Some(0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dtype {
    /// binary32.
    F32,
    /// binary64.
    F64,
}

impl Dtype {
    /// `"f32"` or `"f64"`.
    pub fn name(self) -> &'static str {
        match self {
            Dtype::F32 => "f32",
            Dtype::F64 => "f64",
        }
    }

    /// Machine epsilon of the type, as `f64`.
    pub fn epsilon(self) -> f64 {
        match self {
            Dtype::F32 => f64::from(f32::EPSILON),
            Dtype::F64 => f64::EPSILON,
        }
    }

    /// `x` rounded to this type (round to nearest, ties to even) and widened back exactly.
    pub fn round(self, x: f64) -> f64 {
        match self {
            Dtype::F32 => f64::from(x as f32),
            Dtype::F64 => x,
        }
    }

    /// The number of representable values of this type between `a` and `b` (both already of
    /// this type): 0 for equal values (and for `0.0` against `-0.0`), 1 for neighbours.
    /// `None` if either is NaN.
    ///
    /// ```text
    /// ulps(a, b) = |ord(a) − ord(b)|,  ord = the sign-magnitude bit pattern made monotone
    /// ```
    pub fn ulps(self, a: f64, b: f64) -> Option<u64> {
        if a.is_nan() || b.is_nan() {
            return None;
        }
        let d = match self {
            Dtype::F64 => ordered64(a) as i128 - ordered64(b) as i128,
            Dtype::F32 => ordered32(a as f32) as i128 - ordered32(b as f32) as i128,
        };
        Some(d.unsigned_abs().min(u64::MAX as u128) as u64)
    }
}

impl fmt::Display for Dtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Monotone integer image of an f64: negative values below positive ones, ±0 equal.
fn ordered64(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    if b < 0 {
        i64::MIN - b
    } else {
        b
    }
}

fn ordered32(x: f32) -> i32 {
    let b = x.to_bits() as i32;
    if b < 0 {
        i32::MIN - b
    } else {
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn test_ulps() {
        let d = Dtype::F64;
        assert_eq!(d.ulps(1.0, 1.0), Some(0));
        assert_eq!(d.ulps(1.0, f64::from_bits(1.0f64.to_bits() + 3)), Some(3));
        // across zero: the smallest subnormals on both sides are 2 apart
        let tiny = f64::from_bits(1);
        assert_eq!(d.ulps(-tiny, tiny), Some(2));
        assert_eq!(d.ulps(0.0, -0.0), Some(0));
        assert_eq!(Dtype::F32.ulps(1.0, 1.0 + f64::from(f32::EPSILON)), Some(1));
        assert_eq!(d.ulps(f64::MAX, f64::INFINITY), Some(1));
    }

    #[test]
    fn ulps_of_nan_is_none() {
        assert_eq!(Dtype::F64.ulps(f64::NAN, 1.0), None);
        assert_eq!(Dtype::F32.ulps(0.0, f64::NAN), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(41),
            ..ProptestConfig::default() })]

        #[test]
        fn ulps_properties(a in 0f64..1e300, k in 0u64..1000) {
            let b = f64::from_bits(a.to_bits() + k);
            let d = Dtype::F64;
            prop_assert_eq!(d.ulps(a, b), Some(k));
            prop_assert_eq!(d.ulps(b, a), Some(k));
            prop_assert_eq!(d.ulps(-a, -b), Some(k));
            let a32 = Dtype::F32.round(a / 1e280);
            prop_assert_eq!(Dtype::F32.round(a32), a32);
            prop_assert_eq!(Dtype::F32.ulps(a32, -a32).map(|u| u % 2), Some(0));
        }
    }
}
