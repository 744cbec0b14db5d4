//! Checked conversion of doubled-integer arguments, shared by the symbol constructors.

use crate::ExactError;
use racah_core::{CoreError, HalfInt};

/// Largest accepted `2j`: keeps every factorial argument of a 9j below 2^26 and the prime sieve
/// of the factorial cache small enough to build.
pub(crate) const MAX_TWICE_J: i64 = 1 << 22;

/// A checked doubled spin `2j` in `0..=MAX_TWICE_J`.
pub(crate) fn twice_j(t: i64) -> Result<i64, ExactError> {
    if t < 0 {
        return Err(CoreError::NegativeSpin { value: half(t) }.into());
    }
    if t > MAX_TWICE_J {
        return Err(ExactError::Overflow {
            value: half(t),
            what: "spins are limited to j <= 2^21 (2j <= 4194304)",
        });
    }
    Ok(t)
}

/// A checked doubled projection `2m` for the doubled spin `tj`: same parity as `tj` (|m| > j is
/// allowed: it makes the symbol a selection-rule zero).
pub(crate) fn twice_m(tj: i64, tm: i64) -> Result<i64, ExactError> {
    if tm.abs() > MAX_TWICE_J {
        return Err(ExactError::Overflow {
            value: half(tm),
            what: "projections are limited to |m| <= 2^21",
        });
    }
    if (tj - tm).rem_euclid(2) != 0 {
        return Err(CoreError::ProjectionParity {
            j: half(tj),
            m: half(tm),
        }
        .into());
    }
    Ok(tm)
}

/// Text of a doubled value (`3/2`, `-1`).
pub(crate) fn half(t: i64) -> String {
    if t % 2 == 0 {
        (t / 2).to_string()
    } else {
        format!("{t}/2")
    }
}

/// Whether `(a, b, c)` (doubled) satisfy the triangle condition with an integer sum.
#[inline]
pub(crate) fn triad(a: i64, b: i64, c: i64) -> bool {
    c <= a + b && c >= (a - b).abs() && (a + b + c) % 2 == 0
}

/// A doubled value from a [`HalfInt`].
pub(crate) fn ht(h: HalfInt) -> i64 {
    h.twice() as i64
}
