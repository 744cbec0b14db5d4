//! Numeric tolerances stated in units of machine epsilon.

use crate::Float;

/// A tolerance of `units` machine epsilons of a float type, relative to a stated scale.
///
/// Numeric comparisons in racah state their tolerance as *eps × a term count*: a sum of `n`
/// rounded terms of size ≤ s is wrong by at most about `n·eps·s`. `Tolerance::scaled::<T>(n)`
/// says exactly that, and [`Tolerance::allows`] applies it to one error.
///
/// ```text
/// allows(err, scale)  ⇔  |err| ≤ units · eps_T · max(scale, 1)
/// ```
///
/// # Convention
/// `eps_T` is `T::EPSILON` (2⁻⁵² for f64, 2⁻²³ for f32). Tolerances are stated as eps times a
/// term count with a one-line justification (DEVELOPERS.md, "Rules of work").
///
/// # Examples
/// ```
/// use racah_numeric::Tolerance;
/// let tol = Tolerance::scaled::<f64>(3.0);
/// assert!(tol.allows(2.0 * f64::EPSILON, 1.0));
/// assert!(!tol.allows(1e-12, 1.0));
/// assert_eq!(Tolerance::in_eps::<f32>(f32::EPSILON.into()), 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    units: f64,
    eps: f64,
}

impl Tolerance {
    /// `n_terms` epsilons of `T`.
    ///
    /// # Panics
    /// If `n_terms` is negative or NaN (a tolerance is a stated, non-negative count).
    #[track_caller]
    pub fn scaled<T: Float>(n_terms: f64) -> Self {
        assert!(
            n_terms >= 0.0,
            "tolerance must be a non-negative count, got {n_terms}"
        );
        Tolerance {
            units: n_terms,
            eps: T::EPSILON.to_f64(),
        }
    }

    /// The number of epsilons.
    pub fn units(self) -> f64 {
        self.units
    }

    /// The absolute tolerance at scale 1: `units · eps`.
    pub fn absolute(self) -> f64 {
        self.units * self.eps
    }

    /// Whether an error `err` is within tolerance for values of size `scale` (scales below 1
    /// count as 1, so near-zero values are compared absolutely).
    pub fn allows(self, err: f64, scale: f64) -> bool {
        err.abs() <= self.absolute() * scale.abs().max(1.0)
    }

    /// An error expressed in epsilons of `T`.
    pub fn in_eps<T: Float>(err: f64) -> f64 {
        err.abs() / T::EPSILON.to_f64()
    }

    /// The largest absolute difference of two equally long slices (NaN if any entry is NaN).
    ///
    /// # Panics
    /// If the lengths differ.
    #[track_caller]
    pub fn max_abs_diff<T: Float>(a: &[T], b: &[T]) -> f64 {
        assert_eq!(
            a.len(),
            b.len(),
            "max_abs_diff of slices of different lengths"
        );
        a.iter().zip(b).fold(0.0, |acc: f64, (&x, &y)| {
            let d = (x.to_f64() - y.to_f64()).abs();
            if d.is_nan() || acc.is_nan() {
                f64::NAN
            } else {
                acc.max(d)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_tolerance() {
        let t = Tolerance::scaled::<f32>(4.0);
        assert_eq!(t.absolute(), 4.0 * f64::from(f32::EPSILON));
        assert!(t.allows(3.0 * f64::from(f32::EPSILON) * 10.0, 10.0));
        assert!(!t.allows(5.0 * f64::from(f32::EPSILON), 0.5));
        assert_eq!(Tolerance::max_abs_diff(&[1.0f64, 2.0], &[1.5, 2.0]), 0.5);
        assert!(Tolerance::max_abs_diff(&[f64::NAN], &[0.0]).is_nan());
    }

    #[test]
    #[should_panic(expected = "non-negative")]
    fn tolerance_rejects_negative_count() {
        let _ = Tolerance::scaled::<f64>(-1.0);
    }
}
