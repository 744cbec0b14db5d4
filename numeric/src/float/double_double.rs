//! Double-double ("f64x2") numbers: an unevaluated sum of two f64 with about 106 significant
//! bits, the extended-precision rung of the precision ladder.

use super::primitive::pow2_f64;
use super::Float;
use racah_exact::SqrtRational;
use std::cmp::Ordering;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};
use std::sync::OnceLock;

/// Working precision (bits) of the MPFR evaluations behind the transcendental functions and
/// constants; far above the 107 bits a double-double can hold.
const MP_PREC: u32 = 256;

/// A double-double number: the unevaluated sum `hi + lo` of two f64 with |lo| ≤ ulp(hi)/2
/// (`hi` is the value rounded to nearest f64), about 106 significant bits.
///
/// ```text
/// two-sum:  s = fl(a+b),  e = (a − (s − b')) + (b − b'),  b' = s − a     (a + b = s + e exactly)
/// two-prod: p = fl(a·b),  e = fma(a, b, −p)                               (a · b = p + e exactly)
/// ```
///
/// +, −, ×, ÷ and √ are built from these error-free transformations with relative error
/// ≤ 4·2⁻¹⁰⁴ ([`Float::EPSILON`] is 2⁻¹⁰⁴); sin, cos, exp, ln, tanh and the exact constants
/// ([`Float::sqrt_ratio`], [`Float::round_exact`], [`Float::from_ratio`], π, 1/√(4π)) are
/// evaluated by MPFR at 256 bits and split (`hi` nearest, `lo` nearest of the remainder):
/// correct, not fast. Overflow, NaN and division by zero follow `hi` (the `lo` of a non-finite
/// value is 0). The exponent range is that of f64; below 2⁻⁹⁶⁸ ([`Float::MIN_POSITIVE`])
/// `lo` becomes subnormal and precision is lost gradually.
///
/// # Convention
/// `CONVENTIONS.md#extended-precision`: `NAME = "f64x2"`, ε = 2⁻¹⁰⁴.
///
/// # Examples
/// ```
/// use racah_numeric::{DoubleDouble, Float};
/// let x = DoubleDouble::from_ratio(1, 10);
/// assert_eq!(x.hi, 0.1);
/// assert_ne!(x.lo, 0.0); // the part of 1/10 beyond f64
/// let y = x * DoubleDouble::from_f64(10.0) - DoubleDouble::ONE;
/// assert!(y.abs() <= DoubleDouble::EPSILON);
/// assert!(DoubleDouble::pi().to_string().starts_with("3.14159265358979323846264338327950"));
/// ```
///
/// # References
/// Dekker, Numer. Math. 18, 224 (1971); Joldes, Muller & Popescu, ACM TOMS 44, 15 (2017).
#[derive(Debug, Clone, Copy, Default)]
pub struct DoubleDouble {
    /// The value rounded to the nearest f64.
    pub hi: f64,
    /// The remainder, |lo| ≤ ulp(hi)/2.
    pub lo: f64,
}

/// a + b = s + e exactly.
#[inline(always)]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// a + b = s + e exactly, if |a| ≥ |b| or a = 0.
#[inline(always)]
fn fast_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// a · b = p + e exactly (barring underflow).
#[inline(always)]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

impl DoubleDouble {
    /// The value `v` exactly (lo = 0).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::DoubleDouble;
    /// assert_eq!(DoubleDouble::from_f64(0.5).lo, 0.0);
    /// ```
    pub const fn from_f64(v: f64) -> Self {
        DoubleDouble { hi: v, lo: 0.0 }
    }

    /// The value `hi + lo`, normalised so that `hi` is the nearest f64 (exact: two-sum).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::DoubleDouble;
    /// let x = DoubleDouble::new(1e-20, 1.0);
    /// assert_eq!((x.hi, x.lo), (1.0, 1e-20));
    /// ```
    pub fn new(hi: f64, lo: f64) -> Self {
        let (s, e) = two_sum(hi, lo);
        Self::finish(s, e)
    }

    /// The pair as it is, except that a non-finite `hi` gets `lo = 0`.
    #[inline(always)]
    fn finish(hi: f64, lo: f64) -> Self {
        if hi.is_finite() {
            DoubleDouble { hi, lo }
        } else {
            DoubleDouble { hi, lo: 0.0 }
        }
    }

    /// The value as an MPFR float of `prec` bits, rounded once (exact if `prec` covers the
    /// span from `hi`'s leading bit to `lo`'s last bit, e.g. always for `prec ≥ 2100`).
    ///
    /// # Panics
    /// If `prec` is outside MPFR's range (0 or above `rug::float::prec_max()`).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::DoubleDouble;
    /// let x = DoubleDouble::new(1.0, 2f64.powi(-80));
    /// assert_eq!(x.to_rug(200), rug::Float::with_val(200, 1) + 2f64.powi(-80));
    /// ```
    pub fn to_rug(&self, prec: u32) -> rug::Float {
        let hi = rug::Float::with_val(53, self.hi);
        rug::Float::with_val(prec, &hi + self.lo)
    }

    /// The double-double nearest to an MPFR value: `hi` = the nearest f64, `lo` = the nearest
    /// f64 of the (exact) remainder. Non-finite values give `(hi, 0)`.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::DoubleDouble;
    /// let third = rug::Float::with_val(200, rug::Rational::from((1, 3)));
    /// let x = DoubleDouble::from_rug(&third);
    /// assert_eq!(x.hi, 1.0 / 3.0);
    /// let rem = rug::Float::with_val(200, &third - 1.0 / 3.0);
    /// assert_eq!(x.lo, rem.to_f64());
    /// ```
    pub fn from_rug(v: &rug::Float) -> Self {
        let hi = v.to_f64();
        if !hi.is_finite() {
            return DoubleDouble { hi, lo: 0.0 };
        }
        // exact: |v − hi| ≤ ulp(hi)/2 is a multiple of v's last bit, so it fits in prec(v) bits
        let rem = rug::Float::with_val(v.prec().max(64), v - hi);
        let (hi, lo) = fast_two_sum(hi, rem.to_f64());
        Self::finish(hi, lo)
    }

    /// self · b for an f64 b (relative error ≤ 2·2⁻¹⁰⁶).
    #[inline(always)]
    fn mul_f64(self, b: f64) -> Self {
        let (p, e) = two_prod(self.hi, b);
        let (hi, lo) = fast_two_sum(p, self.lo.mul_add(b, e));
        Self::finish(hi, lo)
    }

    /// f(self) evaluated by MPFR at [`MP_PREC`] bits and rounded to a double-double.
    fn via_mpfr(self, f: impl FnOnce(rug::Float) -> rug::Float) -> Self {
        Self::from_rug(&f(self.to_rug(MP_PREC)))
    }

    /// A constant computed once by MPFR.
    fn cached(cell: &'static OnceLock<DoubleDouble>, f: impl FnOnce() -> rug::Float) -> Self {
        *cell.get_or_init(|| Self::from_rug(&f()))
    }
}

impl From<f64> for DoubleDouble {
    fn from(v: f64) -> Self {
        DoubleDouble::from_f64(v)
    }
}

impl PartialEq for DoubleDouble {
    /// Equality of values (the normalised representation is unique).
    fn eq(&self, other: &Self) -> bool {
        self.hi == other.hi && self.lo == other.lo
    }
}

impl PartialOrd for DoubleDouble {
    /// Order of values: by `hi`, then by `lo`.
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match self.hi.partial_cmp(&other.hi)? {
            Ordering::Equal => self.lo.partial_cmp(&other.lo),
            o => Some(o),
        }
    }
}

impl fmt::Display for DoubleDouble {
    /// Decimal, 34 significant digits unless a precision is given, e.g. `{:.5}` → `3.1416`
    /// (via MPFR, whose exponent notation is kept: 1/3 is `3.33e-1` at 3 digits).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.hi.is_finite() {
            return fmt::Display::fmt(&self.hi, f);
        }
        let digits = f.precision().unwrap_or(34).max(1);
        let s = self.to_rug(MP_PREC).to_string_radix(10, Some(digits));
        // not `pad`: it would cut the digits to the precision as if it were a string's
        match f.width() {
            Some(w) => write!(f, "{s:>w$}"),
            None => f.write_str(&s),
        }
    }
}

impl Neg for DoubleDouble {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        DoubleDouble {
            hi: -self.hi,
            lo: -self.lo,
        }
    }
}

impl Add for DoubleDouble {
    type Output = Self;
    /// Accurate double-double sum (relative error ≤ 3·2⁻¹⁰⁶).
    #[inline(always)]
    fn add(self, b: Self) -> Self {
        let (s1, s2) = two_sum(self.hi, b.hi);
        let (t1, t2) = two_sum(self.lo, b.lo);
        let (s1, s2) = fast_two_sum(s1, s2 + t1);
        let (hi, lo) = fast_two_sum(s1, s2 + t2);
        Self::finish(hi, lo)
    }
}

impl Sub for DoubleDouble {
    type Output = Self;
    #[inline(always)]
    fn sub(self, b: Self) -> Self {
        self + (-b)
    }
}

impl Mul for DoubleDouble {
    type Output = Self;
    /// Double-double product with FMA (relative error ≤ 4·2⁻¹⁰⁶).
    #[inline(always)]
    fn mul(self, b: Self) -> Self {
        let (p, e) = two_prod(self.hi, b.hi);
        let t = self.hi.mul_add(b.lo, self.lo * b.lo);
        let t = self.lo.mul_add(b.hi, t);
        let (hi, lo) = fast_two_sum(p, e + t);
        Self::finish(hi, lo)
    }
}

impl Div for DoubleDouble {
    type Output = Self;
    /// Long division with three f64 quotient digits.
    #[inline(always)]
    fn div(self, b: Self) -> Self {
        let q1 = self.hi / b.hi;
        if !q1.is_finite() || b.hi == 0.0 {
            return Self::finish(q1, 0.0);
        }
        let r = self - b.mul_f64(q1);
        let q2 = r.hi / b.hi;
        let r = r - b.mul_f64(q2);
        let q3 = r.hi / b.hi;
        let (hi, lo) = fast_two_sum(q1, q2);
        DoubleDouble { hi, lo } + DoubleDouble::from_f64(q3)
    }
}

macro_rules! assign_ops {
    ($($tr:ident $m:ident $op:tt),*) => {$(
        impl $tr for DoubleDouble {
            #[inline(always)]
            fn $m(&mut self, b: Self) {
                *self = *self $op b;
            }
        }
    )*};
}
assign_ops!(AddAssign add_assign +, SubAssign sub_assign -, MulAssign mul_assign *,
    DivAssign div_assign /);

impl Sum for DoubleDouble {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(DoubleDouble::ZERO, |a, b| a + b)
    }
}

static PI: OnceLock<DoubleDouble> = OnceLock::new();
static FRAC_1_SQRT_4PI: OnceLock<DoubleDouble> = OnceLock::new();

impl Float for DoubleDouble {
    const ZERO: Self = DoubleDouble::from_f64(0.0);
    const ONE: Self = DoubleDouble::from_f64(1.0);
    const NAN: Self = DoubleDouble::from_f64(f64::NAN);
    /// 2⁻¹⁰⁴.
    const EPSILON: Self = DoubleDouble::from_f64(f64::from_bits((1023 - 104) << 52));
    /// 2⁻⁹⁶⁸: below it `lo` would be subnormal.
    const MIN_POSITIVE: Self = DoubleDouble::from_f64(f64::from_bits((1023 - 968) << 52));
    /// f64::MAX + (1 − 2⁻⁵³)·2⁹⁷⁰.
    const MAX: Self = DoubleDouble {
        hi: f64::MAX,
        lo: f64::from_bits(((1023 + 969) << 52) | ((1 << 52) - 1)),
    };
    const NAME: &'static str = "f64x2";
    const MAX_EXP: i32 = f64::MAX_EXP;

    /// Newton step from the f64 root with an exact square: s + (x − s²)/(2s).
    fn sqrt(self) -> Self {
        if self.hi <= 0.0 || !self.hi.is_finite() {
            // ±0 stays, negative → NaN, +∞ → +∞
            return Self::finish(self.hi.sqrt(), 0.0);
        }
        let s = self.hi.sqrt();
        let (p, e) = two_prod(s, s);
        let r = self - DoubleDouble { hi: p, lo: e };
        let (hi, lo) = fast_two_sum(s, r.hi / (2.0 * s));
        Self::finish(hi, lo)
    }

    fn abs(self) -> Self {
        if self.hi.is_sign_negative() {
            -self
        } else {
            self
        }
    }

    fn is_finite(self) -> bool {
        self.hi.is_finite() && self.lo.is_finite()
    }

    fn max(self, other: Self) -> Self {
        if self.hi.is_nan() || other > self {
            other
        } else {
            self
        }
    }

    fn sin(self) -> Self {
        self.via_mpfr(rug::Float::sin)
    }

    fn cos(self) -> Self {
        self.via_mpfr(rug::Float::cos)
    }

    fn exp(self) -> Self {
        self.via_mpfr(rug::Float::exp)
    }

    fn ln(self) -> Self {
        self.via_mpfr(rug::Float::ln)
    }

    fn tanh(self) -> Self {
        self.via_mpfr(rug::Float::tanh)
    }

    fn pi() -> Self {
        Self::cached(&PI, || {
            rug::Float::with_val(MP_PREC, rug::float::Constant::Pi)
        })
    }

    fn from_f64(v: f64) -> Self {
        DoubleDouble::from_f64(v)
    }

    fn to_f64(self) -> f64 {
        self.hi
    }

    fn hi(self) -> f64 {
        self.hi
    }

    fn exp2i(k: i32) -> Self {
        DoubleDouble::from_f64(pow2_f64(k))
    }

    fn sqrt_ratio(num: u128, den: u128) -> Self {
        assert!(den != 0, "sqrt_ratio: zero denominator in √({num}/{den})");
        let q = rug::Rational::from((rug::Integer::from(num), rug::Integer::from(den)));
        Self::from_rug(&rug::Float::with_val(MP_PREC, &q).sqrt())
    }

    fn round_exact(v: &SqrtRational) -> Self {
        let m = rug::Float::with_val(MP_PREC, v.square()).sqrt();
        let x = Self::from_rug(&m);
        if v.sign() < 0 {
            -x
        } else {
            x
        }
    }

    fn from_ratio(num: i64, den: i64) -> Self {
        assert!(den != 0, "from_ratio: zero denominator in {num}/{den}");
        Self::from_rug(&rug::Float::with_val(
            MP_PREC,
            rug::Rational::from((num, den)),
        ))
    }

    fn frac_1_sqrt_4pi() -> Self {
        Self::cached(&FRAC_1_SQRT_4PI, || {
            let pi = rug::Float::with_val(MP_PREC, rug::float::Constant::Pi);
            (pi * 4u32).sqrt().recip()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_exact() {
        assert_eq!(DoubleDouble::EPSILON.hi, 2f64.powi(-104));
        assert_eq!(DoubleDouble::MIN_POSITIVE.hi, 2f64.powi(-968));
        assert_eq!(
            DoubleDouble::MAX.lo,
            2f64.powi(970) * (1.0 - 2f64.powi(-53))
        );
        // MAX is normalised: hi + lo rounds to hi
        assert_eq!(DoubleDouble::MAX.hi + DoubleDouble::MAX.lo, f64::MAX);
        assert!(DoubleDouble::MAX.is_finite());
        assert!(!(DoubleDouble::MAX + DoubleDouble::MAX).is_finite());
    }

    #[test]
    fn non_finite_values_have_zero_lo() {
        let inf = DoubleDouble::from_f64(1.0) / DoubleDouble::ZERO;
        assert_eq!((inf.hi, inf.lo), (f64::INFINITY, 0.0));
        let nan = DoubleDouble::ZERO / DoubleDouble::ZERO;
        assert!(nan.hi.is_nan() && nan.lo == 0.0);
        assert!((DoubleDouble::from_f64(-1.0)).sqrt().hi.is_nan());
        assert_eq!(DoubleDouble::ZERO.sqrt(), DoubleDouble::ZERO);
        assert!(!DoubleDouble::NAN.is_finite());
    }

    #[test]
    #[should_panic(expected = "zero denominator")]
    fn from_ratio_rejects_zero_denominator() {
        let _ = DoubleDouble::from_ratio(1, 0);
    }
}
