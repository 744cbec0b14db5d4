//! Forward-mode dual numbers `re + eps·ε` (ε² = 0) over any [`Float`].

use super::Float;
use racah_exact::SqrtRational;
use std::cmp::Ordering;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// A dual number `re + eps·ε` with ε² = 0: evaluating f on `x + v·ε` gives
/// `f(x) + (∇f(x)·v)·ε`, the value and the directional derivative (forward-mode AD).
///
/// ```text
/// (a + a'ε)(b + b'ε) = ab + (a'b + ab')ε      (a + a'ε)/(b + b'ε) = a/b + ((a' − (a/b) b')/b)ε
/// f(a + a'ε) = f(a) + f'(a) a' ε   for sqrt, sin, cos, exp, ln, tanh
/// ```
///
/// Every [`Float`] method follows the chain rule; constants (`ZERO`, `ONE`, `EPSILON`, π,
/// [`Float::sqrt_ratio`], [`Float::round_exact`], [`Float::from_ratio`], …) have `eps = 0`.
/// Comparisons (`==`, `<`, …), [`Float::max`] and the sign used by [`Float::abs`] look at `re`
/// only, so control flow follows the value as in the undifferentiated code: two duals with
/// equal `re` and different `eps` compare equal. [`Float::is_finite`] checks both parts.
/// Nest them (`Dual<Dual<f64>>`) for second derivatives.
///
/// # Convention
/// `CONVENTIONS.md#dual-numbers`. At a non-differentiable point the one-sided choices are:
/// √ at `re = 0` has `eps = 0` when `eps = 0` (a constant stays a constant, no NaN) and
/// `eps/(2√re)` = ±∞ otherwise; |x| at `re = ±0` has derivative `+eps` for +0 and `−eps`
/// for −0 (the sign bit of `re`); `max` with equal `re` returns `self`.
///
/// # Examples
/// ```
/// use racah_numeric::{Dual, Float};
/// // f(x) = x·exp(x), f'(x) = (1 + x)·exp(x)
/// let x = Dual::variable(0.5f64);
/// let y = x * x.exp();
/// assert_eq!(y.re, 0.5 * 0.5f64.exp());
/// assert!((y.eps - 1.5 * 0.5f64.exp()).abs() < 4.0 * f64::EPSILON);
/// assert_eq!(Dual::<f64>::sqrt_ratio(1, 4), Dual::constant(0.5));
/// assert_eq!(Dual::constant(0.0f64).sqrt().eps, 0.0);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Dual<T> {
    /// The value.
    pub re: T,
    /// The derivative part (the coefficient of ε).
    pub eps: T,
}

impl<T: Float> Dual<T> {
    /// The constant `x` (derivative part 0).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::Dual;
    /// assert_eq!(Dual::constant(2.0f32).eps, 0.0);
    /// ```
    pub const fn constant(x: T) -> Self {
        Dual {
            re: x,
            eps: T::ZERO,
        }
    }

    /// The independent variable `x` (derivative part 1).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::Dual;
    /// let x = Dual::variable(3.0f64);
    /// assert_eq!((x * x).eps, 6.0);
    /// ```
    pub const fn variable(x: T) -> Self {
        Dual { re: x, eps: T::ONE }
    }

    /// `re + eps·ε`.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::Dual;
    /// assert_eq!(Dual::new(1.0f64, 2.0).eps, 2.0);
    /// ```
    pub const fn new(re: T, eps: T) -> Self {
        Dual { re, eps }
    }

    /// `f(re) + f'(re)·eps·ε`.
    #[inline(always)]
    fn chain(self, f: T, df: T) -> Self {
        Dual {
            re: f,
            eps: df * self.eps,
        }
    }
}

impl<T: Float> PartialEq for Dual<T> {
    /// Equality of the values `re` only (see the type's docs).
    fn eq(&self, other: &Self) -> bool {
        self.re == other.re
    }
}

impl<T: Float> PartialOrd for Dual<T> {
    /// Order of the values `re` only.
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.re.partial_cmp(&other.re)
    }
}

impl<T: Float> fmt::Display for Dual<T> {
    /// `re + epsε`, e.g. `1 + 2ε`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.re, f)?;
        f.write_str(" + ")?;
        fmt::Display::fmt(&self.eps, f)?;
        f.write_str("ε")
    }
}

impl<T: Float> Neg for Dual<T> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        Dual {
            re: -self.re,
            eps: -self.eps,
        }
    }
}

impl<T: Float> Add for Dual<T> {
    type Output = Self;
    #[inline(always)]
    fn add(self, b: Self) -> Self {
        Dual {
            re: self.re + b.re,
            eps: self.eps + b.eps,
        }
    }
}

impl<T: Float> Sub for Dual<T> {
    type Output = Self;
    #[inline(always)]
    fn sub(self, b: Self) -> Self {
        Dual {
            re: self.re - b.re,
            eps: self.eps - b.eps,
        }
    }
}

impl<T: Float> Mul for Dual<T> {
    type Output = Self;
    #[inline(always)]
    fn mul(self, b: Self) -> Self {
        Dual {
            re: self.re * b.re,
            eps: self.eps * b.re + self.re * b.eps,
        }
    }
}

impl<T: Float> Div for Dual<T> {
    type Output = Self;
    #[inline(always)]
    fn div(self, b: Self) -> Self {
        let q = self.re / b.re;
        Dual {
            re: q,
            eps: (self.eps - q * b.eps) / b.re,
        }
    }
}

macro_rules! assign_ops {
    ($($tr:ident $m:ident $op:tt),*) => {$(
        impl<T: Float> $tr for Dual<T> {
            #[inline(always)]
            fn $m(&mut self, b: Self) {
                *self = *self $op b;
            }
        }
    )*};
}
assign_ops!(AddAssign add_assign +, SubAssign sub_assign -, MulAssign mul_assign *,
    DivAssign div_assign /);

impl<T: Float> Sum for Dual<T> {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, |a, b| a + b)
    }
}

impl<T: Float> Float for Dual<T> {
    const ZERO: Self = Dual::constant(T::ZERO);
    const ONE: Self = Dual::constant(T::ONE);
    const NAN: Self = Dual::constant(T::NAN);
    const EPSILON: Self = Dual::constant(T::EPSILON);
    const MIN_POSITIVE: Self = Dual::constant(T::MIN_POSITIVE);
    const MAX: Self = Dual::constant(T::MAX);
    const NAME: &'static str = "dual";
    const MAX_EXP: i32 = T::MAX_EXP;

    /// (√re, eps/(2√re)); `eps = 0` stays 0 at `re = 0` (see the type's `# Convention`).
    fn sqrt(self) -> Self {
        let s = self.re.sqrt();
        if self.eps == T::ZERO {
            return Dual::constant(s);
        }
        Dual {
            re: s,
            eps: self.eps / (s + s),
        }
    }

    fn abs(self) -> Self {
        // sign bit of re: −0 < +0 is false in IEEE, so test 1/re for the zero case
        let negative = self.re < T::ZERO || (self.re == T::ZERO && T::ONE / self.re < T::ZERO);
        if negative {
            -self
        } else {
            self
        }
    }

    fn is_finite(self) -> bool {
        self.re.is_finite() && self.eps.is_finite()
    }

    fn max(self, other: Self) -> Self {
        #[allow(clippy::eq_op)] // NaN test without an is_nan method on T
        let self_nan = self.re != self.re;
        if self_nan || other.re > self.re {
            other
        } else {
            self
        }
    }

    fn sin(self) -> Self {
        self.chain(self.re.sin(), self.re.cos())
    }

    fn cos(self) -> Self {
        self.chain(self.re.cos(), -self.re.sin())
    }

    fn exp(self) -> Self {
        let e = self.re.exp();
        self.chain(e, e)
    }

    fn ln(self) -> Self {
        Dual {
            re: self.re.ln(),
            eps: self.eps / self.re,
        }
    }

    fn tanh(self) -> Self {
        let t = self.re.tanh();
        self.chain(t, T::ONE - t * t)
    }

    fn pi() -> Self {
        Dual::constant(T::pi())
    }

    fn from_f64(v: f64) -> Self {
        Dual::constant(T::from_f64(v))
    }

    fn to_f64(self) -> f64 {
        self.re.to_f64()
    }

    fn hi(self) -> f64 {
        self.re.hi()
    }

    fn exp2i(k: i32) -> Self {
        Dual::constant(T::exp2i(k))
    }

    fn sqrt_ratio(num: u128, den: u128) -> Self {
        Dual::constant(T::sqrt_ratio(num, den))
    }

    fn round_exact(v: &SqrtRational) -> Self {
        Dual::constant(T::round_exact(v))
    }

    fn from_ratio(num: i64, den: i64) -> Self {
        Dual::constant(T::from_ratio(num, den))
    }

    fn frac_1_sqrt_4pi() -> Self {
        Dual::constant(T::frac_1_sqrt_4pi())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abs_at_zero_uses_the_sign_bit() {
        assert_eq!(Dual::new(0.0f64, 2.0).abs().eps, 2.0);
        assert_eq!(Dual::new(-0.0f64, 2.0).abs().eps, -2.0);
        assert_eq!(Dual::new(-1.0f64, 2.0).abs().eps, -2.0);
    }

    #[test]
    fn sqrt_at_zero() {
        let c = Dual::constant(0.0f64).sqrt();
        assert_eq!((c.re, c.eps), (0.0, 0.0));
        let v = Dual::variable(0.0f64).sqrt();
        assert_eq!((v.re, v.eps), (0.0, f64::INFINITY));
        assert!(!v.is_finite());
    }

    #[test]
    fn max_ignores_nan_and_prefers_self_on_ties() {
        let nan = Dual::<f64>::NAN;
        let one = Dual::new(1.0, 5.0);
        assert_eq!(nan.max(one).eps, 5.0);
        assert_eq!(one.max(nan).eps, 5.0);
        assert_eq!(one.max(Dual::new(1.0, 7.0)).eps, 5.0);
    }
}
