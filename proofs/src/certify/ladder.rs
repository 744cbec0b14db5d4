//! The precision ladder's verdict: does an equivariance error shrink with the precision
//! (roundoff) or keep a floor (a real symmetry break)?

use crate::certify::model::Precision;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What the errors along the precision ladder say about one output or layer term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    /// The error shrinks with the precision: floating-point roundoff.
    Roundoff,
    /// The error has a floor that does not shrink: the model is not equivariant.
    SymmetryBreak,
    /// Only one precision was evaluated.
    Inconclusive,
}

impl Verdict {
    /// `"roundoff"`, `"symmetry break"` or `"inconclusive"`.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Roundoff => "roundoff",
            Verdict::SymmetryBreak => "symmetry break",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The ladder verdict from the scaled errors s_p = max |out(g·x) − ρ(g) out(x)| / scale of
/// each evaluated precision.
///
/// With `hi` the highest and `lo` the next lower precision evaluated:
///
/// ```text
/// symmetry break  ⇔  s_hi > threshold_hi · ε_hi   and   s_hi > s_lo · √(ε_hi / ε_lo)
/// roundoff        otherwise (with at least two precisions)
/// inconclusive    with a single precision
/// ```
///
/// that is: the highest rung fails its own threshold *and* the error shrank by less than the
/// square root of the gain in precision (2^14.5 from f32 to f64, 2^26 from f64 to f64x2),
/// whereas roundoff shrinks in proportion to ε. A non-finite error at the highest rung is
/// a symmetry break.
///
/// # Examples
/// ```
/// use racah_proofs::certify::{ladder_verdict, Precision, Verdict};
/// let roundoff = [(Precision::F32, 3e-7), (Precision::F64, 5e-16), (Precision::Extended, 1e-31)];
/// assert_eq!(ladder_verdict(&roundoff, 4096.0), Verdict::Roundoff);
/// let floor = [(Precision::F32, 2e-6), (Precision::F64, 1e-6), (Precision::Extended, 1e-6)];
/// assert_eq!(ladder_verdict(&floor, 4096.0), Verdict::SymmetryBreak);
/// assert_eq!(ladder_verdict(&floor[..1], 4096.0), Verdict::Inconclusive);
/// ```
pub fn ladder_verdict(scaled: &[(Precision, f64)], threshold_eps: f64) -> Verdict {
    let mut rungs: Vec<(Precision, f64)> = scaled.to_vec();
    rungs.sort_by_key(|(p, _)| *p);
    rungs.dedup_by_key(|(p, _)| *p);
    let [.., (lo, s_lo), (hi, s_hi)] = rungs[..] else {
        return Verdict::Inconclusive;
    };
    if !s_hi.is_finite() {
        return Verdict::SymmetryBreak;
    }
    let fails_threshold = s_hi > threshold_eps * hi.epsilon();
    let shrank = s_hi <= s_lo * (hi.epsilon() / lo.epsilon()).sqrt();
    if fails_threshold && !shrank {
        Verdict::SymmetryBreak
    } else {
        Verdict::Roundoff
    }
}
