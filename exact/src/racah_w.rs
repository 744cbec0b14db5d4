//! [`RacahW`]: Racah's W coefficient.

use crate::spins::{half, twice_j};
use crate::{ExactError, FactorialCache, SixJ, SqrtRational};
use racah_core::Spin;
use std::fmt;

/// Racah's W coefficient `W(a b c d; e f)` as data.
///
/// ```text
/// W(a b c d; e f) = (−1)^(a+b+c+d) {a b e; d c f}
/// ```
///
/// Zero (a value, not an error) when the 6j is.
///
/// # Convention
/// As sympy's `racah`, libwignernj's `racah_w` (`CONVENTIONS.md#racah-w`).
///
/// # Examples
/// ```
/// use racah_exact::RacahW;
/// // W(1, 3/2, 2, 5/2; 3/2, 2) = √2/60
/// let w = RacahW::from_twice(2, 3, 4, 5, 3, 4)?;
/// assert_eq!(w.value().to_string(), "sqrt(2)/60");
/// assert_eq!(w.value_f64(), 0.023570226039551584);
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
///
/// # References
/// Racah (1942); Edmonds (1957), eq. (6.2.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RacahW {
    tj: [i64; 6],
}

impl RacahW {
    /// `W(a b c d; e f)`.
    ///
    /// # Errors
    /// [`ExactError::Overflow`] for spins beyond `2^21`.
    pub fn new(a: Spin, b: Spin, c: Spin, d: Spin, e: Spin, f: Spin) -> Result<Self, ExactError> {
        let t = |s: Spin| s.twice() as i64;
        RacahW::from_twice(t(a), t(b), t(c), t(d), t(e), t(f))
    }

    /// From doubled spins in the order `2a 2b 2c 2d 2e 2f`.
    ///
    /// # Errors
    /// A negative spin, or a spin beyond `2^21`.
    pub fn from_twice(a: i64, b: i64, c: i64, d: i64, e: i64, f: i64) -> Result<Self, ExactError> {
        Ok(RacahW {
            tj: [
                twice_j(a)?,
                twice_j(b)?,
                twice_j(c)?,
                twice_j(d)?,
                twice_j(e)?,
                twice_j(f)?,
            ],
        })
    }

    /// Doubled arguments `[2a, 2b, 2c, 2d, 2e, 2f]`.
    pub fn twice_j(&self) -> [i64; 6] {
        self.tj
    }

    /// The 6j symbol `{a b e; d c f}` and whether the phase `(−1)^(a+b+c+d)` is −1.
    pub fn to_six_j(&self) -> (SixJ, bool) {
        let [a, b, c, d, e, f] = self.tj;
        let six = SixJ::from_twice(a, b, e, d, c, f).expect("arguments already checked");
        (six, ((a + b + c + d) / 2).rem_euclid(2) == 1)
    }

    /// The exact value (default cache).
    pub fn value(&self) -> SqrtRational {
        let (six, neg) = self.to_six_j();
        let v = six.value();
        if neg {
            -v
        } else {
            v
        }
    }

    /// The exact value, using an explicit cache.
    pub fn value_with(&self, cache: &mut FactorialCache) -> SqrtRational {
        let (six, neg) = self.to_six_j();
        let v = six.value_with(cache);
        if neg {
            -v
        } else {
            v
        }
    }

    /// The value correctly rounded to f64 (`CONVENTIONS.md#rounding`).
    pub fn value_f64(&self) -> f64 {
        self.value().to_f64()
    }

    /// The value correctly rounded to f32 (`CONVENTIONS.md#rounding`).
    pub fn value_f32(&self) -> f32 {
        self.value().to_f32()
    }
}

impl fmt::Display for RacahW {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.tj.map(half);
        write!(f, "W({a} {b} {c} {d}; {e} {g})")
    }
}
