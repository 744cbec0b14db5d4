//! [`SqrtRational`]: exact numbers of the form `r·√d`, the values of every CG, 3j, 6j, 9j and
//! Racah W coefficient.

use crate::arith::{gcd_u128, gcd_u64, is_square_free, square_free_split};
use crate::rounding::{self, Target};
use crate::{ExactError, SqrtSum};
use rug::{Integer, Rational};
use std::cmp::Ordering;
use std::fmt;

/// An exact real number `r·√d` with `r` rational and `d` a square-free positive integer.
///
/// ```text
/// value = r · √d = sign · √(sq_num / sq_den),   gcd(sq_num, sq_den) = 1
/// ```
///
/// The representation is canonical (`r` in lowest terms, `d` square-free, `d = 1` when `r = 0`),
/// so `==` is exact equality of real numbers. Values whose parts fit in 64 bits are stored inline
/// without heap allocation; larger ones use GMP integers. Products stay canonical without factoring
/// big numbers: `√a·√b = gcd(a,b)·√(ab/gcd(a,b)²)`. A sum of two values with different radicands
/// is a [`SqrtSum`].
///
/// # Convention
/// Conversions to floating point round once, to nearest with ties to even
/// (`CONVENTIONS.md#rounding`).
///
/// # Examples
/// ```
/// use racah_exact::SqrtRational;
/// let a = SqrtRational::sqrt_of_ratio(1, 2)?; // 1/√2
/// assert_eq!(a.to_string(), "sqrt(2)/2");
/// assert_eq!(&a * &a, SqrtRational::rational(1, 2));
/// assert_eq!(a.to_f64(), std::f64::consts::FRAC_1_SQRT_2);
/// assert_eq!((a.sq_num(), a.sq_den()), (1.into(), 2.into()));
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SqrtRational {
    repr: Repr,
}

/// Invariant: `Small` whenever the parts fit in u64 (so the derived equality is exact equality).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Repr {
    /// `±(num/den)·√rad`, `gcd(num, den) = 1`, `rad` square-free; zero is `+0/1·√1`.
    Small {
        neg: bool,
        num: u64,
        den: u64,
        rad: u64,
    },
    /// `r·√rad`, at least one part too large for `Small`.
    Big { r: Rational, rad: Integer },
}

impl Default for SqrtRational {
    fn default() -> Self {
        SqrtRational::ZERO
    }
}

impl SqrtRational {
    /// The value 0.
    pub const ZERO: SqrtRational = SqrtRational {
        repr: Repr::Small {
            neg: false,
            num: 0,
            den: 1,
            rad: 1,
        },
    };

    /// The value 1.
    pub const ONE: SqrtRational = SqrtRational {
        repr: Repr::Small {
            neg: false,
            num: 1,
            den: 1,
            rad: 1,
        },
    };

    /// From canonical small parts (caller guarantees the invariant).
    #[inline]
    pub(crate) fn from_small_unchecked(neg: bool, num: u64, den: u64, rad: u64) -> Self {
        debug_assert!(den >= 1 && rad >= 1 && gcd_u64(num, den) == 1);
        if num == 0 {
            return SqrtRational::ZERO;
        }
        SqrtRational {
            repr: Repr::Small { neg, num, den, rad },
        }
    }

    /// From `±(num/den)·√rad` with `rad` square-free, reducing the fraction.
    #[inline]
    pub(crate) fn from_u128_parts(neg: bool, num: u128, den: u128, rad: u128) -> Self {
        debug_assert!(den >= 1 && rad >= 1);
        if num == 0 {
            return SqrtRational::ZERO;
        }
        let g = gcd_u128(num, den);
        let (num, den) = (num / g, den / g);
        match (u64::try_from(num), u64::try_from(den), u64::try_from(rad)) {
            (Ok(n), Ok(d), Ok(r)) => SqrtRational::from_small_unchecked(neg, n, d, r),
            _ => {
                let mut q = Rational::from((Integer::from(num), Integer::from(den)));
                if neg {
                    q = -q;
                }
                SqrtRational::from_big_unchecked(q, Integer::from(rad))
            }
        }
    }

    /// From a rational and a square-free positive radicand (caller guarantees square-freeness).
    pub(crate) fn from_big_unchecked(r: Rational, rad: Integer) -> Self {
        debug_assert!(rad >= 1);
        if r == 0 {
            return SqrtRational::ZERO;
        }
        let neg = r < 0;
        if let (Some(n), Some(d), Some(k)) = (
            r.numer().clone().abs().to_u64(),
            r.denom().to_u64(),
            rad.to_u64(),
        ) {
            return SqrtRational::from_small_unchecked(neg, n, d, k);
        }
        SqrtRational {
            repr: Repr::Big { r, rad },
        }
    }

    /// The rational `n/d`.
    ///
    /// # Panics
    /// If `d == 0` (use [`SqrtRational::try_rational`] for a checked version).
    ///
    /// # Examples
    /// ```
    /// use racah_exact::SqrtRational;
    /// assert_eq!(SqrtRational::rational(-2, 12).to_string(), "-1/6");
    /// ```
    #[track_caller]
    pub fn rational(n: i64, d: i64) -> Self {
        match SqrtRational::try_rational(n, d) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    /// The rational `n/d`, or an error if `d == 0`.
    ///
    /// # Errors
    /// [`ExactError::DivisionByZero`] if `d == 0`.
    ///
    /// # Examples
    /// ```
    /// use racah_exact::SqrtRational;
    /// assert_eq!(SqrtRational::try_rational(3, -6)?, SqrtRational::rational(-1, 2));
    /// assert!(SqrtRational::try_rational(1, 0).is_err());
    /// # Ok::<(), racah_exact::ExactError>(())
    /// ```
    pub fn try_rational(n: i64, d: i64) -> Result<Self, ExactError> {
        if d == 0 {
            return Err(ExactError::DivisionByZero {
                numerator: n.to_string(),
            });
        }
        let neg = (n < 0) != (d < 0);
        Ok(SqrtRational::from_u128_parts(
            neg,
            n.unsigned_abs() as u128,
            d.unsigned_abs() as u128,
            1,
        ))
    }

    /// The rational `q` (radicand 1).
    ///
    /// # Examples
    /// ```
    /// use racah_exact::SqrtRational;
    /// use rug::Rational;
    /// assert_eq!(SqrtRational::from_rational(Rational::from((1, 3))), SqrtRational::rational(1, 3));
    /// ```
    pub fn from_rational(q: Rational) -> Self {
        SqrtRational::from_big_unchecked(q, Integer::from(1))
    }

    /// `√(num/den)` for machine integers.
    ///
    /// # Errors
    /// [`ExactError::DivisionByZero`] if `den == 0`.
    ///
    /// # Examples
    /// ```
    /// use racah_exact::SqrtRational;
    /// assert_eq!(SqrtRational::sqrt_of_ratio(8, 9)?.to_string(), "2*sqrt(2)/3");
    /// # Ok::<(), racah_exact::ExactError>(())
    /// ```
    pub fn sqrt_of_ratio(num: u64, den: u64) -> Result<Self, ExactError> {
        if den == 0 {
            return Err(ExactError::DivisionByZero {
                numerator: num.to_string(),
            });
        }
        if num == 0 {
            return Ok(SqrtRational::ZERO);
        }
        let g = gcd_u64(num, den);
        let (num, den) = (num / g, den / g);
        // √(n/d) = √(n·d)/d; split n and d separately so nothing overflows.
        let (a1, b1) = square_free_split(num);
        let (a2, b2) = square_free_split(den);
        // √(a1² b1 / (a2² b2)) = (a1 / (a2 b2)) · √(b1 b2); b1, b2 coprime square-free.
        Ok(SqrtRational::from_u128_parts(
            false,
            a1 as u128,
            a2 as u128 * b2 as u128,
            b1 as u128 * b2 as u128,
        ))
    }

    /// `√q` for a non-negative rational whose numerator and denominator are below 2^64.
    ///
    /// The square-free part is found by trial division (at most ≈ 2.6·10^6 divisions per
    /// integer), which is why the input is limited to 64-bit numerator and denominator.
    ///
    /// # Errors
    /// [`ExactError::NegativeRadicand`] if `q < 0`; [`ExactError::TooLargeToFactor`] if the
    /// numerator or denominator of `q` (in lowest terms) is 2^64 or more.
    ///
    /// # Examples
    /// ```
    /// use racah_exact::SqrtRational;
    /// use rug::Rational;
    /// let v = SqrtRational::sqrt_of_rational(&Rational::from((3, 70)))?;
    /// assert_eq!(v.to_string(), "sqrt(210)/70");
    /// # Ok::<(), racah_exact::ExactError>(())
    /// ```
    pub fn sqrt_of_rational(q: &Rational) -> Result<Self, ExactError> {
        if *q < 0 {
            return Err(ExactError::NegativeRadicand {
                value: q.to_string(),
            });
        }
        match (q.numer().to_u64(), q.denom().to_u64()) {
            (Some(n), Some(d)) => SqrtRational::sqrt_of_ratio(n, d),
            _ => Err(ExactError::TooLargeToFactor {
                value: q.to_string(),
            }),
        }
    }

    /// `r·√d`, checking that `d` is a positive square-free integer below 2^64.
    ///
    /// # Errors
    /// [`ExactError::NotSquareFree`] if `d < 1` or `d` has a square factor;
    /// [`ExactError::TooLargeToFactor`] if `d >= 2^64` (square-freeness cannot be checked
    /// without factoring).
    ///
    /// # Examples
    /// ```
    /// use racah_exact::SqrtRational;
    /// use rug::{Integer, Rational};
    /// let v = SqrtRational::from_parts(Rational::from((-4, 11025)), Integer::from(70))?;
    /// assert_eq!(v.to_string(), "-4*sqrt(70)/11025");
    /// assert!(SqrtRational::from_parts(Rational::from(1), Integer::from(12)).is_err());
    /// # Ok::<(), racah_exact::ExactError>(())
    /// ```
    pub fn from_parts(r: Rational, d: Integer) -> Result<Self, ExactError> {
        if d < 1 {
            return Err(ExactError::NotSquareFree {
                value: d.to_string(),
            });
        }
        let Some(small) = d.to_u64() else {
            return Err(ExactError::TooLargeToFactor {
                value: d.to_string(),
            });
        };
        if !is_square_free(small) {
            return Err(ExactError::NotSquareFree {
                value: d.to_string(),
            });
        }
        Ok(SqrtRational::from_big_unchecked(r, d))
    }

    /// The sign: −1, 0 or 1.
    pub fn sign(&self) -> i32 {
        match &self.repr {
            Repr::Small { num: 0, .. } => 0,
            Repr::Small { neg, .. } => {
                if *neg {
                    -1
                } else {
                    1
                }
            }
            Repr::Big { r, .. } => r.cmp0() as i32,
        }
    }

    /// Whether the value is 0.
    pub fn is_zero(&self) -> bool {
        self.sign() == 0
    }

    /// Whether the value is rational (radicand 1).
    pub fn is_rational(&self) -> bool {
        match &self.repr {
            Repr::Small { rad, .. } => *rad == 1,
            Repr::Big { rad, .. } => *rad == 1,
        }
    }

    /// The rational factor `r` of `r·√d` (signed, lowest terms).
    pub fn rational_part(&self) -> Rational {
        match &self.repr {
            Repr::Small { neg, num, den, .. } => {
                let q = Rational::from((*num, *den));
                if *neg {
                    -q
                } else {
                    q
                }
            }
            Repr::Big { r, .. } => r.clone(),
        }
    }

    /// The square-free radicand `d` of `r·√d` (1 for rationals, including 0).
    pub fn radicand(&self) -> Integer {
        match &self.repr {
            Repr::Small { rad, .. } => Integer::from(*rad),
            Repr::Big { rad, .. } => rad.clone(),
        }
    }

    /// `(r, d)` as big numbers.
    pub(crate) fn parts(&self) -> (Rational, Integer) {
        (self.rational_part(), self.radicand())
    }

    /// The square of the value, `r²·d` (a non-negative rational).
    pub fn square(&self) -> Rational {
        let (r, d) = self.parts();
        r.square() * d
    }

    /// Numerator of the square, in lowest terms: `value = sign·√(sq_num/sq_den)`.
    ///
    /// # Examples
    /// ```
    /// use racah_exact::SqrtRational;
    /// let v = SqrtRational::sqrt_of_ratio(3, 70)?;
    /// assert_eq!((v.sq_num(), v.sq_den()), (3.into(), 70.into()));
    /// # Ok::<(), racah_exact::ExactError>(())
    /// ```
    pub fn sq_num(&self) -> Integer {
        self.square().into_numer_denom().0
    }

    /// Denominator of the square, in lowest terms (see [`SqrtRational::sq_num`]).
    pub fn sq_den(&self) -> Integer {
        self.square().into_numer_denom().1
    }

    /// Absolute value.
    pub fn abs(&self) -> Self {
        if self.sign() < 0 {
            -self
        } else {
            self.clone()
        }
    }

    /// `1/self`.
    ///
    /// # Errors
    /// [`ExactError::DivisionByZero`] if the value is 0.
    pub fn recip(&self) -> Result<Self, ExactError> {
        match &self.repr {
            Repr::Small { num: 0, .. } => Err(ExactError::DivisionByZero {
                numerator: "1".to_string(),
            }),
            // 1/((n/m)√d) = (m/(n d))·√d
            Repr::Small { neg, num, den, rad } => Ok(SqrtRational::from_u128_parts(
                *neg,
                *den as u128,
                *num as u128 * *rad as u128,
                *rad as u128,
            )),
            Repr::Big { r, rad } => {
                let inv = Rational::from(r.recip_ref()) / rad;
                Ok(SqrtRational::from_big_unchecked(inv, rad.clone()))
            }
        }
    }

    /// `self / other`.
    ///
    /// # Errors
    /// [`ExactError::DivisionByZero`] if `other` is 0.
    pub fn checked_div(&self, other: &SqrtRational) -> Result<Self, ExactError> {
        if other.is_zero() {
            return Err(ExactError::DivisionByZero {
                numerator: self.to_string(),
            });
        }
        Ok(self * &other.recip()?)
    }

    /// `self + other` when the result is again of the form `r·√d` (same radicand, or either
    /// term 0); `None` otherwise (use `+`, which gives a [`SqrtSum`]).
    pub fn checked_add(&self, other: &SqrtRational) -> Option<Self> {
        if self.is_zero() {
            return Some(other.clone());
        }
        if other.is_zero() {
            return Some(self.clone());
        }
        let (r1, d1) = self.parts();
        let (r2, d2) = other.parts();
        (d1 == d2).then(|| SqrtRational::from_big_unchecked(r1 + r2, d1))
    }

    /// `self − other` when the result is again of the form `r·√d` (see
    /// [`SqrtRational::checked_add`]).
    pub fn checked_sub(&self, other: &SqrtRational) -> Option<Self> {
        self.checked_add(&-other)
    }

    /// Nearest f64 (ties to even), computed once from the exact value.
    ///
    /// # Convention
    /// `CONVENTIONS.md#rounding`.
    ///
    /// # Examples
    /// ```
    /// use racah_exact::SqrtRational;
    /// assert_eq!(SqrtRational::rational(1, 3).to_f64(), 1.0 / 3.0);
    /// ```
    pub fn to_f64(&self) -> f64 {
        self.round(Target::F64)
    }

    /// Nearest f32 (ties to even), computed once from the exact value (not via f64).
    ///
    /// # Convention
    /// `CONVENTIONS.md#rounding`.
    pub fn to_f32(&self) -> f32 {
        self.round(Target::F32) as f32
    }

    #[inline]
    fn round(&self, target: Target) -> f64 {
        match &self.repr {
            Repr::Small { neg, num, den, rad } => {
                let m = rounding::small_sqrt_rational(*num, *den, *rad, target);
                if *neg {
                    -m
                } else {
                    m
                }
            }
            Repr::Big { r, rad } => {
                let n = Integer::from(r.numer().abs_ref());
                let m = if *rad == 1 {
                    rounding::ratio_exact(&n, r.denom(), target)
                } else {
                    let p = n.square() * rad;
                    let q = Integer::from(r.denom().square_ref());
                    rounding::sqrt_ratio_exact(&p, &q, target)
                };
                if *r < 0 {
                    -m
                } else {
                    m
                }
            }
        }
    }

    /// Checks the canonical-form invariant: lowest terms, square-free radicand (checked by trial
    /// division when it is below 2^64), radicand 1 for zero, inline storage whenever it fits.
    pub fn is_valid(&self) -> bool {
        match &self.repr {
            Repr::Small { neg, num, den, rad } => {
                if *num == 0 {
                    return !*neg && *den == 1 && *rad == 1;
                }
                *den >= 1 && gcd_u64(*num, *den) == 1 && is_square_free(*rad)
            }
            Repr::Big { r, rad } => {
                let fits = r.numer().clone().abs().to_u64().is_some()
                    && r.denom().to_u64().is_some()
                    && rad.to_u64().is_some();
                let square_free = match rad.to_u64() {
                    Some(k) => is_square_free(k),
                    // Beyond 2^64: no square of a prime below 1000, and not a perfect square.
                    None => {
                        !rad.is_perfect_square() && (2u32..1000).all(|p| !rad.is_divisible_u(p * p))
                    }
                };
                *r != 0 && *rad >= 1 && !fits && square_free
            }
        }
    }
}

impl From<i64> for SqrtRational {
    fn from(n: i64) -> Self {
        SqrtRational::rational(n, 1)
    }
}

impl From<Rational> for SqrtRational {
    fn from(q: Rational) -> Self {
        SqrtRational::from_rational(q)
    }
}

impl std::ops::Neg for &SqrtRational {
    type Output = SqrtRational;
    fn neg(self) -> SqrtRational {
        match &self.repr {
            Repr::Small { num: 0, .. } => SqrtRational::ZERO,
            Repr::Small { neg, num, den, rad } => SqrtRational {
                repr: Repr::Small {
                    neg: !*neg,
                    num: *num,
                    den: *den,
                    rad: *rad,
                },
            },
            Repr::Big { r, rad } => SqrtRational {
                repr: Repr::Big {
                    r: Rational::from(-r),
                    rad: rad.clone(),
                },
            },
        }
    }
}

impl std::ops::Neg for SqrtRational {
    type Output = SqrtRational;
    fn neg(self) -> SqrtRational {
        -&self
    }
}

/// `(r1√d1)(r2√d2) = r1 r2 g √(d1 d2 / g²)`, `g = gcd(d1, d2)`: canonical without factoring.
impl std::ops::Mul for &SqrtRational {
    type Output = SqrtRational;
    fn mul(self, o: &SqrtRational) -> SqrtRational {
        if let (
            Repr::Small {
                neg: s1,
                num: n1,
                den: m1,
                rad: d1,
            },
            Repr::Small {
                neg: s2,
                num: n2,
                den: m2,
                rad: d2,
            },
        ) = (&self.repr, &o.repr)
        {
            if *n1 == 0 || *n2 == 0 {
                return SqrtRational::ZERO;
            }
            let g = gcd_u64(*d1, *d2);
            let rad = (*d1 / g) as u128 * (*d2 / g) as u128;
            // Cross-reduce first so the products stay small.
            let a = gcd_u64(*n1, *m2);
            let b = gcd_u64(*n2, *m1);
            let num = ((n1 / a) as u128 * (n2 / b) as u128).checked_mul(g as u128);
            let den = (m1 / b) as u128 * (m2 / a) as u128;
            if let Some(num) = num {
                return SqrtRational::from_u128_parts(s1 != s2, num, den, rad);
            }
        }
        let (r1, d1) = self.parts();
        let (r2, d2) = o.parts();
        let g = Integer::from(d1.gcd_ref(&d2));
        let rad = (d1 / &g) * (d2 / &g);
        SqrtRational::from_big_unchecked(r1 * r2 * g, rad)
    }
}

impl std::ops::Mul for SqrtRational {
    type Output = SqrtRational;
    fn mul(self, o: SqrtRational) -> SqrtRational {
        &self * &o
    }
}

impl std::ops::MulAssign<&SqrtRational> for SqrtRational {
    fn mul_assign(&mut self, o: &SqrtRational) {
        *self = &*self * o;
    }
}

/// Division.
///
/// # Panics
/// On division by zero; use [`SqrtRational::checked_div`] for a checked version.
impl std::ops::Div for &SqrtRational {
    type Output = SqrtRational;
    #[track_caller]
    fn div(self, o: &SqrtRational) -> SqrtRational {
        match self.checked_div(o) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }
}

impl std::ops::Div for SqrtRational {
    type Output = SqrtRational;
    #[track_caller]
    fn div(self, o: SqrtRational) -> SqrtRational {
        &self / &o
    }
}

/// The sum of two square-root rationals is in general a [`SqrtSum`].
impl std::ops::Add for &SqrtRational {
    type Output = SqrtSum;
    fn add(self, o: &SqrtRational) -> SqrtSum {
        SqrtSum::from(self.clone()) + SqrtSum::from(o.clone())
    }
}

impl std::ops::Add for SqrtRational {
    type Output = SqrtSum;
    fn add(self, o: SqrtRational) -> SqrtSum {
        SqrtSum::from(self) + SqrtSum::from(o)
    }
}

impl std::ops::Sub for &SqrtRational {
    type Output = SqrtSum;
    fn sub(self, o: &SqrtRational) -> SqrtSum {
        SqrtSum::from(self.clone()) - SqrtSum::from(o.clone())
    }
}

impl std::ops::Sub for SqrtRational {
    type Output = SqrtSum;
    fn sub(self, o: SqrtRational) -> SqrtSum {
        SqrtSum::from(self) - SqrtSum::from(o)
    }
}

impl PartialOrd for SqrtRational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Exact order of real values (signs, then squares).
impl Ord for SqrtRational {
    fn cmp(&self, other: &Self) -> Ordering {
        let (s1, s2) = (self.sign(), other.sign());
        if s1 != s2 {
            return s1.cmp(&s2);
        }
        let mag = self.square().cmp(&other.square());
        if s1 < 0 {
            mag.reverse()
        } else {
            mag
        }
    }
}

fn write_parts(
    f: &mut fmt::Formatter<'_>,
    neg: bool,
    num: &dyn fmt::Display,
    num_is_one: bool,
    den: &dyn fmt::Display,
    den_is_one: bool,
    rad: &dyn fmt::Display,
    rad_is_one: bool,
) -> fmt::Result {
    if neg {
        f.write_str("-")?;
    }
    match (rad_is_one, num_is_one) {
        (true, _) => write!(f, "{num}")?,
        (false, true) => write!(f, "sqrt({rad})")?,
        (false, false) => write!(f, "{num}*sqrt({rad})")?,
    }
    if !den_is_one {
        write!(f, "/{den}")?;
    }
    Ok(())
}

/// Readable exact form: `0`, `1/6`, `-1/14`, `sqrt(2)/60`, `-4*sqrt(70)/11025`.
impl fmt::Display for SqrtRational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Small { neg, num, den, rad } => {
                write_parts(f, *neg, num, *num == 1, den, *den == 1, rad, *rad == 1)
            }
            Repr::Big { r, rad } => {
                let n = Integer::from(r.numer().abs_ref());
                write_parts(
                    f,
                    *r < 0,
                    &n,
                    n == 1,
                    r.denom(),
                    *r.denom() == 1,
                    rad,
                    *rad == 1,
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_display() {
        let cases = [
            (SqrtRational::ZERO, "0"),
            (SqrtRational::rational(1, 6), "1/6"),
            (SqrtRational::rational(-1, 14), "-1/14"),
            (SqrtRational::rational(3, 1), "3"),
            (SqrtRational::sqrt_of_ratio(2, 3600).unwrap(), "sqrt(2)/60"),
            (
                -SqrtRational::sqrt_of_ratio(16 * 70, 11025 * 11025).unwrap(),
                "-4*sqrt(70)/11025",
            ),
            (
                SqrtRational::sqrt_of_ratio(289 * 6, 4410 * 4410).unwrap(),
                "17*sqrt(6)/4410",
            ),
            (
                -SqrtRational::sqrt_of_ratio(719 * 719 * 598, 1158924 * 1158924).unwrap(),
                "-719*sqrt(598)/1158924",
            ),
            (SqrtRational::sqrt_of_ratio(2, 1).unwrap(), "sqrt(2)"),
        ];
        for (v, s) in cases {
            assert_eq!(v.to_string(), s);
            assert!(v.is_valid(), "{s}");
        }
    }

    #[test]
    fn big_values_are_canonical() {
        let big = Rational::from((Integer::from(1) << 100u32, 3));
        let v = SqrtRational::from_rational(big.clone());
        assert!(v.is_valid());
        let w = &v * &SqrtRational::rational(3, 1);
        assert_eq!(
            w,
            SqrtRational::from_rational(Rational::from(Integer::from(1) << 100u32))
        );
        // Shrinking back to small storage keeps equality exact.
        let x = &v / &v;
        assert_eq!(x, SqrtRational::ONE);
        assert!(x.is_valid());
    }

    #[test]
    fn sqrt_rational_rejects_bad_input() {
        assert!(matches!(
            SqrtRational::try_rational(1, 0),
            Err(ExactError::DivisionByZero { .. })
        ));
        assert!(matches!(
            SqrtRational::sqrt_of_ratio(1, 0),
            Err(ExactError::DivisionByZero { .. })
        ));
        assert!(matches!(
            SqrtRational::sqrt_of_rational(&Rational::from(-2)),
            Err(ExactError::NegativeRadicand { .. })
        ));
        let huge = Rational::from(Integer::from(1) << 70u32);
        let e = SqrtRational::sqrt_of_rational(&huge).unwrap_err();
        assert!(e.to_string().contains("1180591620717411303424"), "{e}");
        assert!(matches!(
            SqrtRational::from_parts(Rational::from(1), Integer::from(18)),
            Err(ExactError::NotSquareFree { .. })
        ));
        assert!(SqrtRational::from_parts(Rational::from(1), Integer::from(0)).is_err());
        assert!(SqrtRational::ZERO.recip().is_err());
        assert!(SqrtRational::ONE.checked_div(&SqrtRational::ZERO).is_err());
    }
}
