//! [`Cg`]: Clebsch–Gordan coefficients.

use crate::rounding::Target;
use crate::spins::{half, ht, twice_j, twice_m};
use crate::three_j::{self, Scale};
use crate::{ExactError, FactorialCache, SqrtRational, ThreeJ};
use racah_core::{HalfInt, Ket, Spin};
use std::fmt;

/// The Clebsch–Gordan coefficient `⟨j1 m1 j2 m2 | J M⟩` as data.
///
/// ```text
/// ⟨j1 m1 j2 m2 | J M⟩ = (−1)^(j1−j2+M) √(2J+1) (j1 j2 J; m1 m2 −M)
/// ```
///
/// Zero (a value, not an error) unless `m1 + m2 = M`, `|m1| ≤ j1`, `|m2| ≤ j2`, `|M| ≤ J` and
/// `(j1, j2, J)` satisfy the triangle condition with an integer sum.
///
/// # Convention
/// Condon–Shortley: real, `⟨j1 j1 j2 (J−j1) | J J⟩ > 0` (`CONVENTIONS.md#condon-shortley`).
///
/// # Examples
/// ```
/// use racah_exact::{Cg, SqrtRational};
/// // ⟨1 0 1 1 | 1 1⟩ = −1/√2
/// let c = Cg::from_twice(2, 0, 2, 2, 2, 2)?;
/// assert_eq!(c.value(), -SqrtRational::sqrt_of_ratio(1, 2)?);
/// assert!(Cg::from_twice(4, 2, 4, 2, 6, 4)?.value().is_zero()); // ⟨2 1 2 1|3 2⟩ = 0
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
///
/// # References
/// Condon & Shortley (1935); Edmonds (1957), eq. (3.7.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cg {
    /// `[2j1, 2j2, 2J]`
    tj: [i64; 3],
    /// `[2m1, 2m2, 2M]`
    tm: [i64; 3],
}

impl Cg {
    /// `⟨j1 m1 j2 m2 | J M⟩`.
    ///
    /// # Errors
    /// [`racah_core::CoreError::ProjectionParity`] (wrapped) if some `j − m` is not an integer;
    /// [`ExactError::Overflow`] for spins beyond `2^21`.
    pub fn new(
        j1: Spin,
        m1: HalfInt,
        j2: Spin,
        m2: HalfInt,
        j: Spin,
        m: HalfInt,
    ) -> Result<Self, ExactError> {
        let t = |s: Spin| s.twice() as i64;
        Cg::from_twice(t(j1), ht(m1), t(j2), ht(m2), t(j), ht(m))
    }

    /// `⟨k1 k2 | k⟩` from three kets.
    ///
    /// # Errors
    /// [`ExactError::Overflow`] for spins beyond `2^21`.
    pub fn from_kets(k1: Ket, k2: Ket, k: Ket) -> Result<Self, ExactError> {
        Cg::new(k1.j, k1.m, k2.j, k2.m, k.j, k.m)
    }

    /// From doubled integers in the order `2j1 2m1 2j2 2m2 2J 2M`.
    ///
    /// # Errors
    /// A negative spin, `j − m` not an integer, or a spin beyond `2^21`.
    pub fn from_twice(
        tj1: i64,
        tm1: i64,
        tj2: i64,
        tm2: i64,
        tj: i64,
        tm: i64,
    ) -> Result<Self, ExactError> {
        let j = [twice_j(tj1)?, twice_j(tj2)?, twice_j(tj)?];
        let m = [twice_m(j[0], tm1)?, twice_m(j[1], tm2)?, twice_m(j[2], tm)?];
        Ok(Cg { tj: j, tm: m })
    }

    /// Doubled spins `[2j1, 2j2, 2J]`.
    pub fn twice_j(&self) -> [i64; 3] {
        self.tj
    }

    /// Doubled projections `[2m1, 2m2, 2M]`.
    pub fn twice_m(&self) -> [i64; 3] {
        self.tm
    }

    /// The related 3j symbol `(j1 j2 J; m1 m2 −M)`.
    pub fn to_three_j(&self) -> ThreeJ {
        let [a, b, c] = self.tj;
        let [x, y, z] = self.tm;
        ThreeJ::from_twice(a, b, c, x, y, -z).expect("arguments already checked")
    }

    /// The exact value, using this thread's default [`FactorialCache`].
    pub fn value(&self) -> SqrtRational {
        three_j::eval(
            self.tj,
            [self.tm[0], self.tm[1], -self.tm[2]],
            Scale::Cg,
            None,
        )
    }

    /// The exact value, using an explicit cache.
    pub fn value_with(&self, cache: &mut FactorialCache) -> SqrtRational {
        three_j::eval(
            self.tj,
            [self.tm[0], self.tm[1], -self.tm[2]],
            Scale::Cg,
            Some(cache),
        )
    }

    /// The value correctly rounded to f64 (`CONVENTIONS.md#rounding`).
    ///
    /// Rounded straight from the machine-integer Racah sum when it fits (no canonical exact
    /// value is formed); identical to `self.value().to_f64()`.
    pub fn value_f64(&self) -> f64 {
        three_j::eval_rounded(self.tj, self.cg_tm(), Scale::Cg, Target::F64)
    }

    /// The value correctly rounded to f32 (`CONVENTIONS.md#rounding`).
    pub fn value_f32(&self) -> f32 {
        three_j::eval_rounded(self.tj, self.cg_tm(), Scale::Cg, Target::F32) as f32
    }

    /// The projections of the related 3j symbol, `[2m1, 2m2, −2M]`.
    fn cg_tm(&self) -> [i64; 3] {
        [self.tm[0], self.tm[1], -self.tm[2]]
    }

    /// `⟨j2 m2 j1 m1 | J M⟩`, whose value is `(−1)^(j1+j2−J)` times this one's.
    pub fn swap_factors(&self) -> Self {
        Cg {
            tj: [self.tj[1], self.tj[0], self.tj[2]],
            tm: [self.tm[1], self.tm[0], self.tm[2]],
        }
    }

    /// `⟨j1 −m1 j2 −m2 | J −M⟩`, whose value is `(−1)^(j1+j2−J)` times this one's.
    pub fn negate_ms(&self) -> Self {
        Cg {
            tj: self.tj,
            tm: self.tm.map(|m| -m),
        }
    }
}

impl fmt::Display for Cg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c] = self.tj.map(half);
        let [x, y, z] = self.tm.map(half);
        write!(f, "<{a} {x} {b} {y}|{c} {z}>")
    }
}
