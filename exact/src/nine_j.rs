//! [`NineJ`]: the Wigner 9j symbol.

use crate::fast::sum::assemble as fast_assemble;
use crate::fast::table::{add, Exps, MAX_N, NP, POW};
use crate::racah_sum::{assemble, sum_factored, Factored};
use crate::six_j::{delta_big, delta_fast, SixJSum};
use crate::spins::{half, triad, twice_j};
use crate::{ExactError, FactorialCache, SqrtRational};
use racah_core::Spin;
use rug::Integer;
use std::fmt;

/// The Wigner 9j symbol `{a b c; d e f; g h i}` as data (arguments row-major).
///
/// ```text
/// {a b c; d e f; g h i} = Σ_x (−1)^(2x) (2x+1) {a b c; f i x} {d e f; b x h} {g h i; x a d}
/// ```
///
/// Evaluated exactly: the x-independent triangle coefficients of the three 6j factor out under
/// one square root, the x-dependent ones appear squared, so the sum is rational.
/// Zero (a value, not an error) unless every row and column is an admissible triad.
///
/// # Convention
/// As sympy, WIGXJPF and libwignernj (`CONVENTIONS.md#nine-j`).
///
/// # Examples
/// ```
/// use racah_exact::NineJ;
/// let n = NineJ::from_twice([2, 2, 2, 2, 2, 2, 2, 2, 0])?;
/// assert_eq!(n.value().to_string(), "1/18");
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
///
/// # References
/// Edmonds (1957), eq. (6.4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NineJ {
    tj: [i64; 9],
}

impl NineJ {
    /// The symbol with rows `r0`, `r1`, `r2`.
    ///
    /// # Errors
    /// [`ExactError::Overflow`] for spins beyond `2^21`.
    pub fn new(rows: [[Spin; 3]; 3]) -> Result<Self, ExactError> {
        let mut t = [0i64; 9];
        for (k, s) in rows.iter().flatten().enumerate() {
            t[k] = s.twice() as i64;
        }
        NineJ::from_twice(t)
    }

    /// From doubled spins, row-major.
    ///
    /// # Errors
    /// A negative spin, or a spin beyond `2^21`.
    pub fn from_twice(t: [i64; 9]) -> Result<Self, ExactError> {
        let mut tj = [0i64; 9];
        for (o, x) in tj.iter_mut().zip(t) {
            *o = twice_j(x)?;
        }
        Ok(NineJ { tj })
    }

    /// Doubled spins, row-major.
    pub fn twice_j(&self) -> [i64; 9] {
        self.tj
    }

    /// Whether every row and column is an admissible triad.
    pub fn is_admissible(&self) -> bool {
        let [a, b, c, d, e, f, g, h, i] = self.tj;
        triad(a, b, c)
            && triad(d, e, f)
            && triad(g, h, i)
            && triad(a, d, g)
            && triad(b, e, h)
            && triad(c, f, i)
    }

    /// The exact value (default cache when the fast path does not apply).
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

    /// The transposed symbol (rows become columns; same value).
    pub fn transpose(&self) -> Self {
        let t = self.tj;
        NineJ {
            tj: [t[0], t[3], t[6], t[1], t[4], t[7], t[2], t[5], t[8]],
        }
    }

    /// Rows `r` and `s` exchanged; the value changes by `(−1)^(sum of all nine spins)` when
    /// `r != s`.
    ///
    /// # Errors
    /// [`ExactError::IndexOutOfRange`] if `r` or `s` is not below 3.
    pub fn swap_rows(&self, r: usize, s: usize) -> Result<Self, ExactError> {
        for x in [r, s] {
            if x >= 3 {
                return Err(ExactError::IndexOutOfRange { index: x, bound: 3 });
            }
        }
        let mut out = *self;
        for c in 0..3 {
            out.tj.swap(3 * r + c, 3 * s + c);
        }
        Ok(out)
    }

    /// Columns `c` and `d` exchanged; the value changes by `(−1)^(sum of all nine spins)` when
    /// `c != d`.
    ///
    /// # Errors
    /// [`ExactError::IndexOutOfRange`] if `c` or `d` is not below 3.
    pub fn swap_cols(&self, c: usize, d: usize) -> Result<Self, ExactError> {
        Ok(self.transpose().swap_rows(c, d)?.transpose())
    }
}

impl fmt::Display for NineJ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.tj.map(half);
        write!(
            f,
            "{{{} {} {}; {} {} {}; {} {} {}}}",
            s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]
        )
    }
}

/// The doubled x range of the 6j sum, or `None` if empty.
fn x_range(t: [i64; 9]) -> Option<(i64, i64)> {
    let [a, b, _c, d, _e, f, _g, h, i] = t;
    let lo = (a - i).abs().max((b - f).abs()).max((d - h).abs());
    let hi = (a + i).min(b + f).min(d + h);
    (lo <= hi).then_some((lo, hi))
}

/// Fast path: all in machine integers, `None` on overflow.
fn eval_fast(t: [i64; 9]) -> Option<SqrtRational> {
    let [a, b, c, d, e, f, g, h, i] = t;
    let (lo, hi) = x_range(t)?;
    const MAX_X: usize = 64;
    let mut ints = [0i128; MAX_X];
    let mut exps = [[0i16; NP]; MAX_X];
    let mut n = 0usize;
    let mut x = lo;
    while x <= hi {
        if n == MAX_X {
            return None;
        }
        let s1 = SixJSum::new([a, b, c, f, i, x]);
        let s2 = SixJSum::new([d, e, f, b, x, h]);
        let s3 = SixJSum::new([g, h, i, x, a, d]);
        if !(s1.fits_fast() && s2.fits_fast() && s3.fits_fast()) {
            return None;
        }
        let mut term: i128 = x as i128 + 1; // 2x + 1
        let mut ex: Exps = [0; NP];
        for s in [&s1, &s2, &s3] {
            if s.t0 > s.t1 {
                term = 0;
                break;
            }
            let (v, g) = s.fast()?;
            term = term.checked_mul(v)?;
            add(&mut ex, &g);
        }
        if term != 0 {
            // x-dependent triangle coefficients appear squared: once, outside the root.
            delta_fast(&mut ex, a, i, x);
            delta_fast(&mut ex, f, b, x);
            delta_fast(&mut ex, d, x, h);
            ints[n] = if x % 2 == 0 { term } else { -term };
            exps[n] = ex;
            n += 1;
        }
        x += 2;
    }
    let mut gmin = [i16::MAX; NP];
    for ex in &exps[..n] {
        for k in 0..NP {
            gmin[k] = gmin[k].min(ex[k]);
        }
    }
    if n == 0 {
        return Some(SqrtRational::ZERO);
    }
    let mut total: i128 = 0;
    for (v, ex) in ints[..n].iter().zip(&exps[..n]) {
        let mut v = *v;
        for k in 0..NP {
            let dd = (ex[k] - gmin[k]) as usize;
            if dd > 0 {
                let pw = *POW[k].get(dd).filter(|&&p| p != 0)?;
                v = v.checked_mul(pw as i128)?;
            }
        }
        total = total.checked_add(v)?;
    }
    let mut e2 = gmin;
    add(&mut e2, &gmin);
    for (p, q, r) in [
        (a, b, c),
        (d, e, f),
        (g, h, i),
        (a, d, g),
        (b, e, h),
        (c, f, i),
    ] {
        delta_fast(&mut e2, p, q, r);
    }
    fast_assemble(total, &e2, MAX_N)
}

fn eval_big(t: [i64; 9], cache: &mut FactorialCache) -> SqrtRational {
    let [a, b, c, d, e, f, g, h, i] = t;
    let Some((lo, hi)) = x_range(t) else {
        return SqrtRational::ZERO;
    };
    let mut terms = Vec::new();
    let mut x = lo;
    while x <= hi {
        let sums = [
            SixJSum::new([a, b, c, f, i, x]),
            SixJSum::new([d, e, f, b, x, h]),
            SixJSum::new([g, h, i, x, a, d]),
        ];
        if sums.iter().all(|s| s.t0 <= s.t1) {
            let mut v = Integer::from(x + 1);
            let mut ex: Vec<i64> = Vec::new();
            for s in &sums {
                let r = s.big(cache);
                v *= r.a;
                if ex.len() < r.exps.len() {
                    ex.resize(r.exps.len(), 0);
                }
                for (o, y) in ex.iter_mut().zip(&r.exps) {
                    *o += y;
                }
            }
            delta_big(cache, &mut ex, a, i, x, 1);
            delta_big(cache, &mut ex, f, b, x, 1);
            delta_big(cache, &mut ex, d, x, h, 1);
            if x % 2 != 0 {
                v = -v;
            }
            terms.push(Factored { a: v, exps: ex });
        }
        x += 2;
    }
    let total = sum_factored(terms, cache.primes());
    let mut e2: Vec<i64> = total.exps.iter().map(|x| 2 * x).collect();
    for (p, q, r) in [
        (a, b, c),
        (d, e, f),
        (g, h, i),
        (a, d, g),
        (b, e, h),
        (c, f, i),
    ] {
        delta_big(cache, &mut e2, p, q, r, 1);
    }
    assemble(total.a, &e2, cache.primes())
}

/// The 9j value; `cache = None` uses the default cache; `allow_fast = false` forces big integers.
pub(crate) fn eval(
    t: [i64; 9],
    cache: Option<&mut FactorialCache>,
    allow_fast: bool,
) -> SqrtRational {
    let [a, b, c, d, e, f, g, h, i] = t;
    if !(triad(a, b, c)
        && triad(d, e, f)
        && triad(g, h, i)
        && triad(a, d, g)
        && triad(b, e, h)
        && triad(c, f, i))
    {
        return SqrtRational::ZERO;
    }
    if allow_fast {
        if let Some(v) = eval_fast(t) {
            return v;
        }
    }
    match cache {
        Some(c) => eval_big(t, c),
        None => FactorialCache::with_default(|c| eval_big(t, c)),
    }
}
