//! [`SixJ`]: the Wigner 6j symbol.

use crate::fast::sum::{assemble as fast_assemble, fact_sum};
use crate::fast::table::{add, sub, Exps, FACT, MAX_N};
use crate::racah_sum::{assemble, FactSum, Factored};
use crate::spins::{half, triad, twice_j};
use crate::{ExactError, FactorialCache, SqrtRational};
use racah_core::Spin;
use std::fmt;

/// The Wigner 6j symbol `{j1 j2 j3; j4 j5 j6}` as data (arguments row-major).
///
/// ```text
/// {j1 j2 j3; j4 j5 j6} = √[Δ(j1 j2 j3) Δ(j1 j5 j6) Δ(j4 j2 j6) Δ(j4 j5 j3)]
///     × Σ_t (−1)^t (t+1)! / [∏_{i=1..4} (t−α_i)! ∏_{k=1..3} (β_k−t)!]
/// α = (j1+j2+j3, j1+j5+j6, j4+j2+j6, j4+j5+j3),
/// β = (j1+j2+j4+j5, j2+j3+j5+j6, j3+j1+j6+j4),
/// Δ(a b c) = (a+b−c)! (a−b+c)! (−a+b+c)! / (a+b+c+1)!
/// ```
///
/// Zero (a value, not an error) unless each of the four triads `(j1 j2 j3)`, `(j1 j5 j6)`,
/// `(j4 j2 j6)`, `(j4 j5 j3)` satisfies the triangle condition with an integer sum.
///
/// # Convention
/// Real; invariant under the 24 tetrahedral symmetries and Regge's symmetries
/// (`CONVENTIONS.md#six-j`).
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::{SixJ, SqrtRational};
/// let one = Spin::int(1);
/// assert_eq!(SixJ::new([one; 3], [one; 3])?.value(), SqrtRational::rational(1, 6));
/// assert_eq!(SixJ::from_twice(6, 6, 6, 6, 6, 6)?.value().to_string(), "-1/14");
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
///
/// # References
/// Edmonds (1957), eq. (6.3.7); Johansson & Forssén, doi:10.1137/15M1021908.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SixJ {
    tj: [i64; 6],
}

impl SixJ {
    /// The symbol `{top; bottom}`.
    ///
    /// # Errors
    /// [`ExactError::Overflow`] for spins beyond `2^21`.
    pub fn new(top: [Spin; 3], bottom: [Spin; 3]) -> Result<Self, ExactError> {
        let t = |s: Spin| s.twice() as i64;
        SixJ::from_twice(
            t(top[0]),
            t(top[1]),
            t(top[2]),
            t(bottom[0]),
            t(bottom[1]),
            t(bottom[2]),
        )
    }

    /// From doubled spins, row-major: `2j1 2j2 2j3 2j4 2j5 2j6`.
    ///
    /// # Errors
    /// A negative spin, or a spin beyond `2^21`.
    ///
    /// # Examples
    /// ```
    /// use racah_exact::SixJ;
    /// assert!(SixJ::from_twice(1, 1, 1, 1, 1, 1)?.value().is_zero()); // half-integer triad sum
    /// assert!(SixJ::from_twice(-2, 2, 2, 2, 2, 2).is_err());
    /// # Ok::<(), racah_exact::ExactError>(())
    /// ```
    pub fn from_twice(
        t1: i64,
        t2: i64,
        t3: i64,
        t4: i64,
        t5: i64,
        t6: i64,
    ) -> Result<Self, ExactError> {
        Ok(SixJ {
            tj: [
                twice_j(t1)?,
                twice_j(t2)?,
                twice_j(t3)?,
                twice_j(t4)?,
                twice_j(t5)?,
                twice_j(t6)?,
            ],
        })
    }

    /// Doubled spins, row-major.
    pub fn twice_j(&self) -> [i64; 6] {
        self.tj
    }

    /// Whether all four triads are admissible (the value can still be a non-trivial zero).
    pub fn is_admissible(&self) -> bool {
        let [a, b, c, d, e, f] = self.tj;
        triad(a, b, c) && triad(a, e, f) && triad(d, b, f) && triad(d, e, c)
    }

    /// The exact value, using this thread's default [`FactorialCache`] when the fast path does
    /// not apply.
    pub fn value(&self) -> SqrtRational {
        eval(self.tj, None, true)
    }

    /// The exact value, using an explicit cache.
    pub fn value_with(&self, cache: &mut FactorialCache) -> SqrtRational {
        eval(self.tj, Some(cache), true)
    }

    /// The value correctly rounded to f64 (`CONVENTIONS.md#rounding`).
    pub fn value_f64(&self) -> f64 {
        self.value().to_f64()
    }

    /// The value correctly rounded to f32 (`CONVENTIONS.md#rounding`).
    pub fn value_f32(&self) -> f32 {
        self.value().to_f32()
    }

    /// The symbol with columns `i` and `k` exchanged (same value).
    ///
    /// # Errors
    /// [`ExactError::IndexOutOfRange`] if `i` or `k` is not below 3.
    pub fn swap_columns(&self, i: usize, k: usize) -> Result<Self, ExactError> {
        check_index(i, 3)?;
        check_index(k, 3)?;
        let mut s = *self;
        s.tj.swap(i, k);
        s.tj.swap(i + 3, k + 3);
        Ok(s)
    }

    /// The symbol with upper and lower entries exchanged in columns `i` and `k` (`i != k`; same
    /// value). With `i == k` the symbol is returned unchanged.
    ///
    /// # Errors
    /// [`ExactError::IndexOutOfRange`] if `i` or `k` is not below 3.
    pub fn swap_rows_in_columns(&self, i: usize, k: usize) -> Result<Self, ExactError> {
        check_index(i, 3)?;
        check_index(k, 3)?;
        let mut s = *self;
        if i != k {
            s.tj.swap(i, i + 3);
            s.tj.swap(k, k + 3);
        }
        Ok(s)
    }

    /// Regge's symmetry (same value), with `s = (j2+j3+j5+j6)/2`:
    /// `{j1 j2 j3; j4 j5 j6} = {j1, s−j3, s−j2; j4, s−j6, s−j5}`.
    ///
    /// `None` when the symbol is not admissible and the map does not give spins.
    pub fn regge(&self) -> Option<Self> {
        let [a, b, c, d, e, f] = self.tj;
        let sum = b + c + e + f;
        if sum % 2 != 0 {
            return None;
        }
        let s = sum / 2;
        let out = [a, s - c, s - b, d, s - f, s - e];
        out.iter().all(|&x| x >= 0).then_some(SixJ { tj: out })
    }
}

fn check_index(i: usize, bound: usize) -> Result<(), ExactError> {
    if i >= bound {
        Err(ExactError::IndexOutOfRange { index: i, bound })
    } else {
        Ok(())
    }
}

impl fmt::Display for SixJ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.tj.map(half);
        write!(f, "{{{a} {b} {c}; {d} {e} {g}}}")
    }
}

/// The Racah sum of an admissible 6j and its range, in integer (not doubled) units.
pub(crate) struct SixJSum {
    pub alpha: [i64; 4],
    pub beta: [i64; 3],
    pub t0: i64,
    pub t1: i64,
}

impl SixJSum {
    pub fn new(tj: [i64; 6]) -> SixJSum {
        let [a, b, c, d, e, f] = tj;
        let alpha = [
            (a + b + c) / 2,
            (a + e + f) / 2,
            (d + b + f) / 2,
            (d + e + c) / 2,
        ];
        let beta = [
            (a + b + d + e) / 2,
            (b + c + e + f) / 2,
            (c + a + f + d) / 2,
        ];
        let t0 = alpha.into_iter().max().unwrap_or(0);
        let t1 = beta.into_iter().min().unwrap_or(0);
        SixJSum {
            alpha,
            beta,
            t0,
            t1,
        }
    }

    /// Whether the fast tables cover this sum.
    pub fn fits_fast(&self) -> bool {
        self.t1 < MAX_N
    }

    /// Machine-integer sum `(s, g)`, value `s·∏p^g`.
    #[inline]
    pub fn fast(&self) -> Option<(i128, Exps)> {
        let den_plus = self.alpha.map(|x| -x);
        fact_sum([1], den_plus, self.beta, self.t0, self.t1)
    }

    /// Big-integer sum.
    pub fn big(&self, cache: &mut FactorialCache) -> Factored {
        let den_plus = self.alpha.map(|x| -x);
        FactSum {
            num: &[1],
            den_plus: &den_plus,
            den_minus: &self.beta,
            t0: self.t0,
            t1: self.t1,
        }
        .eval(cache)
    }
}

/// `Δ(a b c)` exponents (doubled arguments, admissible triad) added `k` times, fast tables.
#[inline(always)]
pub(crate) fn delta_fast(e: &mut Exps, a: i64, b: i64, c: i64) {
    add(e, &FACT[((a + b - c) / 2) as usize]);
    add(e, &FACT[((a - b + c) / 2) as usize]);
    add(e, &FACT[((-a + b + c) / 2) as usize]);
    sub(e, &FACT[((a + b + c) / 2 + 1) as usize]);
}

/// `Δ(a b c)` exponents times `k`, big route.
pub(crate) fn delta_big(
    cache: &mut FactorialCache,
    e: &mut Vec<i64>,
    a: i64,
    b: i64,
    c: i64,
    k: i64,
) {
    cache.add_factorial(e, ((a + b - c) / 2) as u32, k);
    cache.add_factorial(e, ((a - b + c) / 2) as u32, k);
    cache.add_factorial(e, ((-a + b + c) / 2) as u32, k);
    cache.add_factorial(e, ((a + b + c) / 2 + 1) as u32, -k);
}

/// The 6j value; `cache = None` uses the default cache; `allow_fast = false` forces big integers.
pub(crate) fn eval(
    tj: [i64; 6],
    cache: Option<&mut FactorialCache>,
    allow_fast: bool,
) -> SqrtRational {
    let [a, b, c, d, e, f] = tj;
    if !(triad(a, b, c) && triad(a, e, f) && triad(d, b, f) && triad(d, e, c)) {
        return SqrtRational::ZERO;
    }
    let sum = SixJSum::new(tj);
    if sum.t0 > sum.t1 {
        return SqrtRational::ZERO;
    }
    if allow_fast && sum.fits_fast() {
        if let Some((s, g)) = sum.fast() {
            let mut e2 = g;
            add(&mut e2, &g);
            delta_fast(&mut e2, a, b, c);
            delta_fast(&mut e2, a, e, f);
            delta_fast(&mut e2, d, b, f);
            delta_fast(&mut e2, d, e, c);
            if let Some(v) = fast_assemble(s, &e2, sum.t1 + 1) {
                return v;
            }
        }
    }
    let big = |cache: &mut FactorialCache| {
        let r = sum.big(cache);
        let mut e2: Vec<i64> = r.exps.iter().map(|x| 2 * x).collect();
        delta_big(cache, &mut e2, a, b, c, 1);
        delta_big(cache, &mut e2, a, e, f, 1);
        delta_big(cache, &mut e2, d, b, f, 1);
        delta_big(cache, &mut e2, d, e, c, 1);
        assemble(r.a, &e2, cache.primes())
    };
    match cache {
        Some(c) => big(c),
        None => FactorialCache::with_default(big),
    }
}
