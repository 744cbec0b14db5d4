//! [`ThreeJ`]: the Wigner 3j symbol.

use crate::fast::sum::{assemble as fast_assemble, assemble_rounded as fast_rounded, fact_sum};
use crate::fast::table::{add, sub, Exps, FACT, MAX_N};
use crate::racah_sum::{assemble, FactSum};
use crate::rounding::Target;
use crate::spins::{half, ht, twice_j, twice_m};
use crate::{ExactError, FactorialCache, SqrtRational};
use racah_core::{HalfInt, Ket, Spin};
use std::fmt;

/// The Wigner 3j symbol `(j1 j2 j3; m1 m2 m3)` as data.
///
/// ```text
/// (j1 j2 j3; m1 m2 m3) = (−1)^(j1−j2−m3) √[Δ(j1 j2 j3) ∏_i (j_i+m_i)!(j_i−m_i)!]
///     × Σ_t (−1)^t / [t! (j3−j2+t+m1)! (j3−j1+t−m2)! (j1+j2−j3−t)! (j1−t−m1)! (j2−t+m2)!]
/// Δ(a b c) = (a+b−c)! (a−b+c)! (−a+b+c)! / (a+b+c+1)!
/// ```
///
/// Zero (a value, not an error) unless `m1+m2+m3 = 0`, `|m_i| ≤ j_i`, and `(j1, j2, j3)` satisfy
/// the triangle condition with an integer sum.
///
/// # Convention
/// Condon–Shortley phase; `⟨j1 m1 j2 m2|J M⟩ = (−1)^(j1−j2+M) √(2J+1) (j1 j2 J; m1 m2 −M)`
/// (`CONVENTIONS.md#three-j`, `CONVENTIONS.md#condon-shortley`).
///
/// # Examples
/// ```
/// use racah_exact::{SqrtRational, ThreeJ};
/// // (1 1 1; 1 −1 0) = 1/√6
/// let t = ThreeJ::from_twice(2, 2, 2, 2, -2, 0)?;
/// assert_eq!(t.value(), SqrtRational::sqrt_of_ratio(1, 6)?);
/// assert_eq!(t.value_f64(), (1.0f64 / 6.0).sqrt());
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
///
/// # References
/// Edmonds (1957), eq. (3.7.3); Racah (1942).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ThreeJ {
    tj: [i64; 3],
    tm: [i64; 3],
}

impl ThreeJ {
    /// The symbol `(j1 j2 j3; m1 m2 m3)`.
    ///
    /// # Errors
    /// [`racah_core::CoreError::ProjectionParity`] (wrapped) if some `j_i − m_i` is not an
    /// integer; [`ExactError::Overflow`] for spins beyond `2^21`.
    pub fn new(
        j1: Spin,
        j2: Spin,
        j3: Spin,
        m1: HalfInt,
        m2: HalfInt,
        m3: HalfInt,
    ) -> Result<Self, ExactError> {
        ThreeJ::from_twice(
            j1.twice() as i64,
            j2.twice() as i64,
            j3.twice() as i64,
            ht(m1),
            ht(m2),
            ht(m3),
        )
    }

    /// The symbol with three kets as its columns.
    ///
    /// # Errors
    /// [`ExactError::Overflow`] for spins beyond `2^21`.
    pub fn from_kets(k1: Ket, k2: Ket, k3: Ket) -> Result<Self, ExactError> {
        ThreeJ::new(k1.j, k2.j, k3.j, k1.m, k2.m, k3.m)
    }

    /// From doubled integers in the order `2j1 2j2 2j3 2m1 2m2 2m3`.
    ///
    /// # Errors
    /// A negative spin, `j − m` not an integer, or a spin beyond `2^21`.
    ///
    /// # Examples
    /// ```
    /// use racah_exact::ThreeJ;
    /// assert!(ThreeJ::from_twice(2, 2, 2, 1, 0, 0).is_err()); // j = 1, m = 1/2
    /// assert!(ThreeJ::from_twice(2, 2, 2, 4, -4, 0)?.value().is_zero()); // |m| > j: zero
    /// # Ok::<(), racah_exact::ExactError>(())
    /// ```
    pub fn from_twice(
        tj1: i64,
        tj2: i64,
        tj3: i64,
        tm1: i64,
        tm2: i64,
        tm3: i64,
    ) -> Result<Self, ExactError> {
        let tj = [twice_j(tj1)?, twice_j(tj2)?, twice_j(tj3)?];
        let tm = [
            twice_m(tj[0], tm1)?,
            twice_m(tj[1], tm2)?,
            twice_m(tj[2], tm3)?,
        ];
        Ok(ThreeJ { tj, tm })
    }

    /// Doubled spins `[2j1, 2j2, 2j3]`.
    pub fn twice_j(&self) -> [i64; 3] {
        self.tj
    }

    /// Doubled projections `[2m1, 2m2, 2m3]`.
    pub fn twice_m(&self) -> [i64; 3] {
        self.tm
    }

    /// Whether the selection rules allow a nonzero value (the value can still be a
    /// non-trivial zero).
    pub fn is_admissible(&self) -> bool {
        let [a, b, c] = self.tj;
        let [x, y, z] = self.tm;
        x + y + z == 0
            && x.abs() <= a
            && y.abs() <= b
            && z.abs() <= c
            && crate::spins::triad(a, b, c)
    }

    /// The exact value, using this thread's default [`FactorialCache`].
    pub fn value(&self) -> SqrtRational {
        eval(self.tj, self.tm, Scale::None, None)
    }

    /// The exact value, using an explicit cache.
    pub fn value_with(&self, cache: &mut FactorialCache) -> SqrtRational {
        eval(self.tj, self.tm, Scale::None, Some(cache))
    }

    /// The value correctly rounded to f64 (`CONVENTIONS.md#rounding`).
    pub fn value_f64(&self) -> f64 {
        eval_rounded(self.tj, self.tm, Scale::None, Target::F64)
    }

    /// The value correctly rounded to f32 (`CONVENTIONS.md#rounding`).
    pub fn value_f32(&self) -> f32 {
        eval_rounded(self.tj, self.tm, Scale::None, Target::F32) as f32
    }

    /// The symbol with columns `i` and `k` exchanged. Its value is `(−1)^(j1+j2+j3)` times
    /// this one's when `i != k`.
    ///
    /// # Errors
    /// [`ExactError::IndexOutOfRange`] if `i` or `k` is not below 3.
    pub fn swap_columns(&self, i: usize, k: usize) -> Result<Self, ExactError> {
        for x in [i, k] {
            if x >= 3 {
                return Err(ExactError::IndexOutOfRange { index: x, bound: 3 });
            }
        }
        let mut s = *self;
        s.tj.swap(i, k);
        s.tm.swap(i, k);
        Ok(s)
    }

    /// The symbol with every `m` negated. Its value is `(−1)^(j1+j2+j3)` times this one's.
    pub fn negate_ms(&self) -> Self {
        ThreeJ {
            tj: self.tj,
            tm: [-self.tm[0], -self.tm[1], -self.tm[2]],
        }
    }
}

impl fmt::Display for ThreeJ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c] = self.tj.map(half);
        let [x, y, z] = self.tm.map(half);
        write!(f, "({a} {b} {c}; {x} {y} {z})")
    }
}

/// Extra factor applied to the 3j core.
#[derive(Clone, Copy)]
pub(crate) enum Scale {
    /// The 3j symbol itself.
    None,
    /// `(−1)^(j1−j2+M) √(2J+1)` times the 3j: the CG coefficient (the phases cancel).
    Cg,
}

/// The 3j (or CG) value from doubled arguments; `cache = None` uses the default cache.
pub(crate) fn eval(
    tj: [i64; 3],
    tm: [i64; 3],
    scale: Scale,
    cache: Option<&mut FactorialCache>,
) -> SqrtRational {
    eval_route(tj, tm, scale, cache, true)
}

/// The 3j (or CG) value correctly rounded to `target`: the machine-integer Racah sum rounded
/// directly (no canonical [`SqrtRational`] is formed), the exact value rounded otherwise.
pub(crate) fn eval_rounded(tj: [i64; 3], tm: [i64; 3], scale: Scale, target: Target) -> f64 {
    match setup(tj, tm, scale) {
        Setup::Zero => 0.0,
        Setup::Sum(p) => {
            if let Some((s, e2)) = p.fast() {
                if let Some(v) = fast_rounded(s, &e2, p.kk, target) {
                    return v;
                }
            }
            let v = eval(tj, tm, scale, None);
            match target {
                Target::F64 => v.to_f64(),
                Target::F32 => f64::from(v.to_f32()),
            }
        }
    }
}

/// The Racah sum of one admissible 3j (or CG), set up.
struct Parts {
    k: [i64; 3],
    kk: i64,
    f: [i64; 6],
    den_plus: [i64; 3],
    den_minus: [i64; 3],
    t0: i64,
    t1: i64,
    negate: bool,
    scale: Scale,
    dim: i64,
}

enum Setup {
    /// A selection-rule zero.
    Zero,
    Sum(Parts),
}

#[inline(always)]
fn setup(tj: [i64; 3], tm: [i64; 3], scale: Scale) -> Setup {
    let [a, b, c] = tj;
    let [x, y, z] = tm;
    if x + y + z != 0 || x.abs() > a || y.abs() > b || z.abs() > c || !crate::spins::triad(a, b, c)
    {
        return Setup::Zero;
    }
    let k1 = (a + b - c) / 2;
    let den_plus = [0, (c - b + x) / 2, (c - a - y) / 2];
    let den_minus = [k1, (a - x) / 2, (b + y) / 2];
    let t0 = 0.max(-den_plus[1]).max(-den_plus[2]);
    let t1 = den_minus.into_iter().min().unwrap_or(0);
    if t0 > t1 {
        return Setup::Zero;
    }
    // 3j phase (−1)^(j1−j2−m3); for a CG the extra (−1)^(j1−j2+M) with M = −m3 cancels it.
    let negate = match scale {
        Scale::None => ((a - b - z) / 2).rem_euclid(2) == 1,
        Scale::Cg => false,
    };
    Setup::Sum(Parts {
        k: [k1, (a - b + c) / 2, (-a + b + c) / 2],
        kk: (a + b + c) / 2 + 1,
        f: [
            (a + x) / 2,
            (a - x) / 2,
            (b + y) / 2,
            (b - y) / 2,
            (c + z) / 2,
            (c - z) / 2,
        ],
        den_plus,
        den_minus,
        t0,
        t1,
        negate,
        scale,
        dim: c + 1, // 2J + 1 for a CG
    })
}

impl Parts {
    /// `(s, e2)` with value `s·√(∏ p^e2)` by the machine-integer route, if it fits.
    #[inline(always)]
    fn fast(&self) -> Option<(i128, Exps)> {
        if self.kk > MAX_N || self.dim > MAX_N {
            return None;
        }
        let (s, g) = fact_sum([], self.den_plus, self.den_minus, self.t0, self.t1)?;
        let mut e2: Exps = FACT[self.k[0] as usize];
        add(&mut e2, &FACT[self.k[1] as usize]);
        add(&mut e2, &FACT[self.k[2] as usize]);
        sub(&mut e2, &FACT[self.kk as usize]);
        for n in self.f {
            add(&mut e2, &FACT[n as usize]);
        }
        if let Scale::Cg = self.scale {
            add(&mut e2, &FACT[self.dim as usize]);
            sub(&mut e2, &FACT[self.dim as usize - 1]);
        }
        add(&mut e2, &g);
        add(&mut e2, &g);
        Some((if self.negate { -s } else { s }, e2))
    }
}

fn eval_route(
    tj: [i64; 3],
    tm: [i64; 3],
    scale: Scale,
    cache: Option<&mut FactorialCache>,
    allow_fast: bool,
) -> SqrtRational {
    let p = match setup(tj, tm, scale) {
        Setup::Zero => return SqrtRational::ZERO,
        Setup::Sum(p) => p,
    };
    if allow_fast {
        if let Some((s, e2)) = p.fast() {
            if let Some(v) = fast_assemble(s, &e2, p.kk) {
                return v;
            }
        }
    }
    let Parts {
        k: [k1, k2, k3],
        kk,
        f,
        den_plus,
        den_minus,
        t0,
        t1,
        negate,
        dim,
        ..
    } = p;
    let big = |cache: &mut FactorialCache| {
        let sum = FactSum {
            num: &[],
            den_plus: &den_plus,
            den_minus: &den_minus,
            t0,
            t1,
        }
        .eval(cache);
        let mut e2 = Vec::new();
        for n in [k1, k2, k3] {
            cache.add_factorial(&mut e2, n as u32, 1);
        }
        cache.add_factorial(&mut e2, kk as u32, -1);
        for n in f {
            cache.add_factorial(&mut e2, n as u32, 1);
        }
        if let Scale::Cg = scale {
            cache.add_factorial(&mut e2, dim as u32, 1);
            cache.add_factorial(&mut e2, dim as u32 - 1, -1);
        }
        if e2.len() < sum.exps.len() {
            e2.resize(sum.exps.len(), 0);
        }
        for (e, s) in e2.iter_mut().zip(&sum.exps) {
            *e += 2 * s;
        }
        let a = if negate { -sum.a } else { sum.a };
        assemble(a, &e2, cache.primes())
    };
    match cache {
        Some(c) => big(c),
        None => FactorialCache::with_default(big),
    }
}

/// The big-integer route only (to test the fast path against it).
#[cfg(test)]
pub(crate) fn eval_big(tj: [i64; 3], tm: [i64; 3], scale: Scale) -> SqrtRational {
    eval_route(tj, tm, scale, None, false)
}
