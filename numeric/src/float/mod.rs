//! The element types of the kernels and their exact constants: `f32`, `f64`, the
//! extended-precision [`DoubleDouble`] and forward-mode [`Dual`] numbers over any of them.
//!
//! Every constant a kernel uses is either √(p/q) for naturals p, q or an exact
//! [`racah_exact::SqrtRational`], correctly rounded once to the element type by racah-exact
//! ([`Float::sqrt_ratio`], [`Float::round_exact`]), or 1/√(4π), also correctly rounded
//! ([`Float::frac_1_sqrt_4pi`]). No coefficient is computed by floating-point arithmetic.
//!
//! # The precision ladder
//! The same generic kernel runs in `f32` (ε = 2⁻²³), `f64` (ε = 2⁻⁵²) and [`DoubleDouble`]
//! (`f64x2`, ε = 2⁻¹⁰⁴). An equivariance error that shrinks by ~2²⁹ and then ~2⁵² along the
//! ladder is roundoff; a floor that does not move is a real symmetry break.
//! [`Dual<T>`] carries a directional derivative through the same code (forward-mode AD), so
//! forces −∂E/∂x come from the kernels themselves, in any rung of the ladder.

use std::fmt::{Debug, Display};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

mod double_double;
mod dual;
mod primitive;

pub use double_double::DoubleDouble;
pub use dual::Dual;

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
    impl Sealed for super::DoubleDouble {}
    impl<T: super::Float> Sealed for super::Dual<T> {}
}

/// A floating-point element type of the numeric kernels (sealed): `f32`, `f64`,
/// [`DoubleDouble`] (`f64x2`) and [`Dual<T>`] for any of these (including nested duals).
///
/// # Convention
/// Constants are correctly rounded from exact values (`CONVENTIONS.md#rounding`): for `f32`
/// directly from the exact value, not through `f64`; for [`DoubleDouble`] `hi` is the nearest
/// f64 and `lo` the nearest f64 of the remainder (`CONVENTIONS.md#extended-precision`).
/// Constants of [`Dual<T>`] are those of `T` with derivative part 0, and every method of
/// [`Dual<T>`] follows the chain rule (`CONVENTIONS.md#dual-numbers`).
///
/// # Examples
/// ```
/// use racah_numeric::{DoubleDouble, Dual, Float};
/// assert_eq!(f64::sqrt_ratio(3, 4), 3f64.sqrt() / 2.0);
/// assert_eq!(<f32 as Float>::NAME, "f32");
/// // 1/3 in double-double: the remainder holds the next 53 bits
/// let third = DoubleDouble::from_ratio(1, 3);
/// assert_eq!(third.hi, 1.0 / 3.0);
/// assert!((third * DoubleDouble::from_f64(3.0) - DoubleDouble::ONE).abs() < DoubleDouble::EPSILON);
/// // d/dx sin(x²) = 2x cos(x²)
/// let x = Dual::variable(0.5f64);
/// let y = (x * x).sin();
/// assert!((y.eps - 2.0 * 0.5 * 0.25f64.cos()).abs() < 1e-16);
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
    /// Machine epsilon: the distance from 1 to the next larger value for `f32`/`f64`;
    /// 2⁻¹⁰⁴ (the relative accuracy of the arithmetic) for [`DoubleDouble`]; `T::EPSILON`
    /// (derivative 0) for [`Dual<T>`].
    const EPSILON: Self;
    /// The smallest positive normal value (for [`DoubleDouble`], the smallest with full
    /// 106-bit precision, 2⁻⁹⁶⁸).
    const MIN_POSITIVE: Self;
    /// The largest finite value.
    const MAX: Self;
    /// `"f32"`, `"f64"`, `"f64x2"` ([`DoubleDouble`]) or `"dual"` ([`Dual`]).
    const NAME: &'static str;
    /// The binary exponent range of normal values: `MAX < 2^MAX_EXP` (1024 for
    /// [`DoubleDouble`], as f64; `T::MAX_EXP` for [`Dual<T>`]).
    const MAX_EXP: i32;

    /// Square root.
    fn sqrt(self) -> Self;
    /// Absolute value.
    fn abs(self) -> Self;
    /// Whether the value is neither infinite nor NaN.
    fn is_finite(self) -> bool;
    /// The larger of two values (NaN-ignoring, as `f64::max`).
    fn max(self, other: Self) -> Self;
    /// Sine (radians).
    fn sin(self) -> Self;
    /// Cosine (radians).
    fn cos(self) -> Self;
    /// The exponential eˣ.
    fn exp(self) -> Self;
    /// The natural logarithm (NaN for negative values, −∞ at 0).
    fn ln(self) -> Self;
    /// The hyperbolic tangent.
    fn tanh(self) -> Self;
    /// π, correctly rounded.
    fn pi() -> Self;
    /// The nearest value of this type to `v`.
    fn from_f64(v: f64) -> Self;
    /// The value as `f64`: exact for `f32`/`f64`, the nearest f64 (= `hi`) for
    /// [`DoubleDouble`], the real part's for [`Dual`].
    fn to_f64(self) -> f64;
    /// The leading f64 of the value: the value itself for `f32`/`f64`, `hi` for
    /// [`DoubleDouble`], the real part's `hi` for [`Dual`].
    fn hi(self) -> f64;
    /// The exact power of two 2^k, for `|k| < MAX_EXP − 1`.
    ///
    /// # Panics
    /// If `k` is outside that range.
    fn exp2i(k: i32) -> Self;

    /// √(num/den), correctly rounded to this type (round to nearest, ties to even), from
    /// racah-exact (`CONVENTIONS.md#rounding`).
    ///
    /// # Panics
    /// If `den == 0`.
    fn sqrt_ratio(num: u128, den: u128) -> Self;

    /// The exact value `v` = s·√(p/q), rounded once to this type (`f32` directly from the
    /// exact value, not through `f64`; `CONVENTIONS.md#rounding`).
    fn round_exact(v: &racah_exact::SqrtRational) -> Self;

    /// The nearest value of num/den (for [`DoubleDouble`]: `hi` nearest, `lo` the nearest of
    /// the remainder, relative error ≤ 2⁻¹⁰⁶).
    ///
    /// # Panics
    /// If `den == 0`.
    fn from_ratio(num: i64, den: i64) -> Self;

    /// 1/√(4π), correctly rounded: the `Integral` normalisation of the spherical harmonics.
    fn frac_1_sqrt_4pi() -> Self;
}
