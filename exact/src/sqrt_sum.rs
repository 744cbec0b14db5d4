//! [`SqrtSum`]: exact elements of Q(√2, √3, √5, …) as sums `Σ r_d √d` over distinct square-free d.

use crate::rounding::{self, Target};
use crate::{ExactError, SqrtRational};
use rug::{Float, Integer, Rational};
use std::cmp::Ordering;
use std::fmt;

/// An exact sum `Σ_d r_d·√d` over distinct square-free radicands `d` with nonzero rational `r_d`.
///
/// ```text
/// value = Σ_d r_d √d,   d square-free, sorted increasing, r_d ≠ 0
/// ```
///
/// Square-free radicals are linearly independent over Q, so this form is canonical and `==` is
/// exact equality. `+`, `−`, `×` are exact; division is by a nonzero [`SqrtRational`].
/// [`SqrtSum::sign`] is exact (interval arithmetic in MPFR at increasing precision, which
/// terminates because a nonzero element is never within every error bound of 0), and
/// [`SqrtSum::to_f64`] / [`SqrtSum::to_f32`] are correctly rounded (Ziv's strategy: widen the
/// precision until both ends of a rigorous error interval round to the same float).
///
/// # Convention
/// Rounding to nearest, ties to even (`CONVENTIONS.md#rounding`).
///
/// # Examples
/// ```
/// use racah_exact::{SqrtRational, SqrtSum};
/// let r2 = SqrtRational::sqrt_of_ratio(2, 1)?;
/// let r3 = SqrtRational::sqrt_of_ratio(3, 1)?;
/// let s = &r2 - &r3; // √2 − √3 < 0
/// assert_eq!(s.sign(), -1);
/// assert_eq!(s.to_string(), "sqrt(2) - sqrt(3)");
/// assert_eq!(s.to_f64(), -0.31783724519578227); // correctly rounded
/// assert_ne!(s.to_f64(), 2f64.sqrt() - 3f64.sqrt()); // cancellation: off by 2 ulp
/// let sq = &s * &s; // 5 − 2√6
/// assert_eq!(sq.to_string(), "5 - 2*sqrt(6)");
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SqrtSum {
    /// `(d, r_d)`, sorted by `d`, no zero `r_d`.
    terms: Vec<(Integer, Rational)>,
}

impl SqrtSum {
    /// The empty sum, 0.
    pub const fn zero() -> Self {
        SqrtSum { terms: Vec::new() }
    }

    /// The terms `(d, r_d)` in increasing order of `d`.
    pub fn terms(&self) -> impl ExactSizeIterator<Item = (&Integer, &Rational)> {
        self.terms.iter().map(|(d, r)| (d, r))
    }

    /// Number of nonzero terms.
    pub fn num_terms(&self) -> usize {
        self.terms.len()
    }

    /// Whether the value is 0.
    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// The value as a single [`SqrtRational`] when it has at most one term.
    pub fn to_sqrt_rational(&self) -> Option<SqrtRational> {
        match self.terms.as_slice() {
            [] => Some(SqrtRational::ZERO),
            [(d, r)] => Some(SqrtRational::from_big_unchecked(r.clone(), d.clone())),
            _ => None,
        }
    }

    /// Checks the invariant: radicands square-free (checked by trial division below 2^64),
    /// strictly increasing, coefficients nonzero.
    pub fn is_valid(&self) -> bool {
        self.terms.windows(2).all(|w| w[0].0 < w[1].0)
            && self.terms.iter().all(|(d, r)| {
                *r != 0 && SqrtRational::from_big_unchecked(r.clone(), d.clone()).is_valid()
            })
    }

    fn from_unsorted(mut terms: Vec<(Integer, Rational)>) -> Self {
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Integer, Rational)> = Vec::with_capacity(terms.len());
        for (d, r) in terms {
            match out.last_mut() {
                Some((ld, lr)) if *ld == d => *lr += r,
                _ => out.push((d, r)),
            }
        }
        out.retain(|(_, r)| *r != 0);
        SqrtSum { terms: out }
    }

    /// `self / v`.
    ///
    /// # Errors
    /// [`ExactError::DivisionByZero`] if `v` is 0.
    pub fn checked_div(&self, v: &SqrtRational) -> Result<Self, ExactError> {
        if v.is_zero() {
            return Err(ExactError::DivisionByZero {
                numerator: self.to_string(),
            });
        }
        Ok(self * &SqrtSum::from(v.recip()?))
    }

    /// An approximation `s` at `prec` bits and a rigorous bound `b >= |s − value|`.
    fn approx(&self, prec: u32) -> (Float, Float) {
        let mut s = Float::with_val(prec, 0);
        let mut abs_sum = Float::with_val(prec, 0);
        for (d, r) in &self.terms {
            let mut t = Float::with_val(prec, d);
            t.sqrt_mut();
            t *= Float::with_val(prec, r);
            abs_sum += Float::with_val(prec, t.abs_ref());
            s += &t;
        }
        // Each term: ≤ 4 roundings (d, √, r, ×) of relative size 2^-prec; the running sums add
        // at most n more roundings, each bounded by 2^-prec · Σ|t|. Factor (n + 8) covers both
        // and the rounding of abs_sum itself.
        let n = self.terms.len() as u32;
        let bound = (abs_sum * (n + 8)) >> prec;
        (s, bound)
    }

    /// The exact sign: −1, 0 or 1.
    pub fn sign(&self) -> i32 {
        match self.terms.as_slice() {
            [] => 0,
            [(_, r)] => r.cmp0() as i32,
            _ => {
                let mut prec = 64;
                loop {
                    let (s, b) = self.approx(prec);
                    if Float::with_val(prec, s.abs_ref()) > b {
                        return if s > 0 { 1 } else { -1 };
                    }
                    prec *= 2;
                }
            }
        }
    }

    /// Nearest f64 (ties to even) to the exact value.
    ///
    /// # Convention
    /// `CONVENTIONS.md#rounding`.
    pub fn to_f64(&self) -> f64 {
        self.round(Target::F64)
    }

    /// Nearest f32 (ties to even) to the exact value, not via f64.
    ///
    /// # Convention
    /// `CONVENTIONS.md#rounding`.
    pub fn to_f32(&self) -> f32 {
        self.round(Target::F32) as f32
    }

    fn round(&self, target: Target) -> f64 {
        if let Some(v) = self.to_sqrt_rational() {
            return match target {
                Target::F64 => v.to_f64(),
                Target::F32 => v.to_f32() as f64,
            };
        }
        let round_rational = |q: &Rational| -> f64 {
            let m = rounding::ratio_exact(&Integer::from(q.numer().abs_ref()), q.denom(), target);
            if *q < 0 {
                -m
            } else {
                m
            }
        };
        let mut prec = 96;
        loop {
            let (s, b) = self.approx(prec);
            let s = s.to_rational().expect("finite");
            let b = b.to_rational().expect("finite");
            let lo = round_rational(&Rational::from(&s - &b));
            let hi = round_rational(&Rational::from(&s + &b));
            // Rounding is monotone: equal ends mean every value in between rounds the same.
            if lo == hi {
                return lo;
            }
            prec *= 2;
        }
    }
}

impl From<SqrtRational> for SqrtSum {
    fn from(v: SqrtRational) -> Self {
        if v.is_zero() {
            return SqrtSum::zero();
        }
        let (r, d) = v.parts();
        SqrtSum {
            terms: vec![(d, r)],
        }
    }
}

impl From<&SqrtRational> for SqrtSum {
    fn from(v: &SqrtRational) -> Self {
        SqrtSum::from(v.clone())
    }
}

impl std::ops::Neg for &SqrtSum {
    type Output = SqrtSum;
    fn neg(self) -> SqrtSum {
        SqrtSum {
            terms: self
                .terms
                .iter()
                .map(|(d, r)| (d.clone(), Rational::from(-r)))
                .collect(),
        }
    }
}

impl std::ops::Neg for SqrtSum {
    type Output = SqrtSum;
    fn neg(mut self) -> SqrtSum {
        for (_, r) in &mut self.terms {
            *r = Rational::from(-&*r);
        }
        self
    }
}

impl std::ops::Add for &SqrtSum {
    type Output = SqrtSum;
    fn add(self, o: &SqrtSum) -> SqrtSum {
        let mut terms = self.terms.clone();
        terms.extend(o.terms.iter().cloned());
        SqrtSum::from_unsorted(terms)
    }
}

impl std::ops::Add for SqrtSum {
    type Output = SqrtSum;
    fn add(mut self, o: SqrtSum) -> SqrtSum {
        self.terms.extend(o.terms);
        SqrtSum::from_unsorted(self.terms)
    }
}

impl std::ops::AddAssign<&SqrtSum> for SqrtSum {
    fn add_assign(&mut self, o: &SqrtSum) {
        *self = &*self + o;
    }
}

impl std::ops::AddAssign<&SqrtRational> for SqrtSum {
    fn add_assign(&mut self, o: &SqrtRational) {
        *self = std::mem::take(self) + SqrtSum::from(o);
    }
}

impl std::ops::Sub for &SqrtSum {
    type Output = SqrtSum;
    fn sub(self, o: &SqrtSum) -> SqrtSum {
        self + &-o
    }
}

impl std::ops::Sub for SqrtSum {
    type Output = SqrtSum;
    fn sub(self, o: SqrtSum) -> SqrtSum {
        self + -o
    }
}

/// Products of radicals: `√a·√b = gcd(a,b)·√(ab/gcd(a,b)²)`.
impl std::ops::Mul for &SqrtSum {
    type Output = SqrtSum;
    fn mul(self, o: &SqrtSum) -> SqrtSum {
        let mut terms = Vec::with_capacity(self.terms.len() * o.terms.len());
        for (d1, r1) in &self.terms {
            for (d2, r2) in &o.terms {
                let g = Integer::from(d1.gcd_ref(d2));
                let d = Integer::from(d1 / &g) * Integer::from(d2 / &g);
                terms.push((d, Rational::from(r1 * r2) * g));
            }
        }
        SqrtSum::from_unsorted(terms)
    }
}

impl std::ops::Mul for SqrtSum {
    type Output = SqrtSum;
    fn mul(self, o: SqrtSum) -> SqrtSum {
        &self * &o
    }
}

impl std::ops::Mul<&SqrtRational> for &SqrtSum {
    type Output = SqrtSum;
    fn mul(self, o: &SqrtRational) -> SqrtSum {
        self * &SqrtSum::from(o)
    }
}

/// Division by a nonzero [`SqrtRational`].
///
/// # Panics
/// If the divisor is 0; use [`SqrtSum::checked_div`] for a checked version.
impl std::ops::Div<&SqrtRational> for &SqrtSum {
    type Output = SqrtSum;
    #[track_caller]
    fn div(self, o: &SqrtRational) -> SqrtSum {
        match self.checked_div(o) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }
}

impl PartialOrd for SqrtSum {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Exact order of the real values.
impl Ord for SqrtSum {
    fn cmp(&self, other: &Self) -> Ordering {
        (self - other).sign().cmp(&0)
    }
}

/// `0`, or terms joined by ` + ` / ` - `, each in [`SqrtRational`]'s format:
/// `1/2 + 3*sqrt(2)/4 - sqrt(3)`.
impl fmt::Display for SqrtSum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.terms.is_empty() {
            return f.write_str("0");
        }
        for (i, (d, r)) in self.terms.iter().enumerate() {
            let term = SqrtRational::from_big_unchecked(Rational::from(r.abs_ref()), d.clone());
            match (i, *r < 0) {
                (0, true) => write!(f, "-{term}")?,
                (0, false) => write!(f, "{term}")?,
                (_, true) => write!(f, " - {term}")?,
                (_, false) => write!(f, " + {term}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(n: u64) -> SqrtRational {
        SqrtRational::sqrt_of_ratio(n, 1).unwrap()
    }

    #[test]
    fn test_sqrt_sum() {
        let s = &(&root(2) + &root(3)) * &(&root(2) - &root(3));
        assert_eq!(s, SqrtSum::from(SqrtRational::rational(-1, 1)));
        assert_eq!(s.to_sqrt_rational(), Some(SqrtRational::rational(-1, 1)));
        let t = &root(2) + &root(8); // 3√2
        assert_eq!(
            t.to_sqrt_rational(),
            Some(&root(2) * &SqrtRational::rational(3, 1))
        );
        let u = &(&root(6) + &SqrtRational::rational(1, 2)) - &SqrtSum::from(root(6));
        assert_eq!(u.to_string(), "1/2");
        assert!(u.is_valid());
    }

    #[test]
    fn sqrt_sum_sign_of_near_cancellation() {
        // 1 + √2 − √3 − √(6 − 2√2·√3)... use (√2 + √3)² = 5 + 2√6 ≈ 9.899: compare with 9.899.
        let v = SqrtSum::from(SqrtRational::rational(5, 1))
            + SqrtSum::from(&root(6) * &SqrtRational::rational(2, 1));
        let near = SqrtSum::from(SqrtRational::rational(
            9_898_979_485_566_356,
            1_000_000_000_000_000,
        ));
        let diff = &v - &near;
        // 5 + 2√6 = 9.898979485566356196394568149...; the decimal is just below.
        assert_eq!(diff.sign(), 1);
        assert_eq!((&near - &v).sign(), -1);
        assert!(v > near);
        assert_eq!(SqrtSum::zero().sign(), 0);
    }

    #[test]
    fn sqrt_sum_division_by_zero_is_an_error() {
        let v = &root(2) + &root(3);
        assert!(matches!(
            v.checked_div(&SqrtRational::ZERO),
            Err(ExactError::DivisionByZero { .. })
        ));
        let w = v.checked_div(&root(2)).unwrap(); // 1 + √6/2
        assert_eq!(w.to_string(), "1 + sqrt(6)/2");
    }

    #[test]
    fn sqrt_sum_rounding_matches_high_precision() {
        for a in 1..30i64 {
            for b in [2u64, 3, 5, 6, 7, 10, 11] {
                let v = SqrtSum::from(SqrtRational::rational(a, 7))
                    - SqrtSum::from(&root(b) * &SqrtRational::rational(a % 5 + 1, 3));
                let hp: Float = {
                    let mut x = Float::with_val(400, b);
                    x.sqrt_mut();
                    Float::with_val(400, a) / 7 - x * Float::with_val(400, a % 5 + 1) / 3
                };
                let c = hp.to_f64();
                let best = [
                    f64::from_bits(c.to_bits().wrapping_sub(1)),
                    c,
                    f64::from_bits(c.to_bits() + 1),
                ]
                .into_iter()
                .min_by(|x, y| {
                    Float::with_val(400, &hp - *x)
                        .abs()
                        .partial_cmp(&Float::with_val(400, &hp - *y).abs())
                        .unwrap()
                })
                .unwrap();
                assert_eq!(v.to_f64(), best, "{v}");
            }
        }
    }
}
