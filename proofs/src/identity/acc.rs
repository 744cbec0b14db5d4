//! [`ExactSum`]: an accumulator for sums of `r·√d` terms, grouped by radicand.

use racah_exact::{SqrtRational, SqrtSum};
use rug::{Integer, Rational};

/// `Σ r_d √d` over distinct square-free `d`, built term by term.
///
/// Each added [`SqrtRational`] is already canonical (square-free radicand), so grouping by
/// radicand gives the canonical form: two sums are equal exactly when their nonzero
/// coefficients agree radicand by radicand (square-free radicals are linearly independent over
/// Q). Cheaper than repeated [`SqrtSum`] additions, which re-sort on every step.
#[derive(Clone, Debug, Default)]
pub(crate) struct ExactSum {
    /// `(d, r_d, √d)`: radicand, coefficient (possibly 0 after cancellation), the unit √d.
    terms: Vec<(Integer, Rational, SqrtRational)>,
}

impl ExactSum {
    /// The empty sum.
    pub(crate) fn new() -> Self {
        ExactSum::default()
    }

    /// `self += v`.
    pub(crate) fn add(&mut self, v: &SqrtRational) {
        self.add_signed(v, false);
    }

    /// `self += −v` if `negate`, else `self += v`.
    pub(crate) fn add_signed(&mut self, v: &SqrtRational, negate: bool) {
        if v.is_zero() {
            return;
        }
        let d = v.radicand();
        let mut r = v.rational_part();
        if negate {
            r = -r;
        }
        match self.terms.iter_mut().find(|(e, _, _)| *e == d) {
            Some((_, s, _)) => *s += r,
            None => {
                let unit = v
                    .checked_div(&SqrtRational::from_rational(v.rational_part()))
                    .unwrap_or(SqrtRational::ONE);
                self.terms.push((d, r, unit));
            }
        }
    }

    /// `self += o`.
    pub(crate) fn add_sum(&mut self, o: &ExactSum) {
        for t in o.values() {
            self.add(&t);
        }
    }

    /// The nonzero terms `r_d √d`, each as a [`SqrtRational`].
    pub(crate) fn values(&self) -> impl Iterator<Item = SqrtRational> + '_ {
        self.terms
            .iter()
            .filter(|(_, r, _)| *r != 0)
            .map(|(_, r, unit)| &SqrtRational::from_rational(r.clone()) * unit)
    }

    /// `self · v`.
    pub(crate) fn scaled(&self, v: &SqrtRational) -> ExactSum {
        let mut out = ExactSum::new();
        for t in self.values() {
            out.add(&(&t * v));
        }
        out
    }

    /// `self · o`.
    pub(crate) fn times(&self, o: &ExactSum) -> ExactSum {
        let mut out = ExactSum::new();
        for t in o.values() {
            out.add_sum(&self.scaled(&t));
        }
        out
    }

    /// The value as a canonical [`SqrtSum`].
    pub(crate) fn to_sqrt_sum(&self) -> SqrtSum {
        let mut out = SqrtSum::zero();
        for t in self.values() {
            out += &t;
        }
        out
    }

    /// Whether the value equals `v`.
    pub(crate) fn equals(&self, v: &SqrtRational) -> bool {
        let nonzero = self.terms.iter().filter(|(_, r, _)| *r != 0).count();
        if v.is_zero() {
            return nonzero == 0;
        }
        let d = v.radicand();
        nonzero == 1
            && self
                .terms
                .iter()
                .any(|(e, r, _)| *e == d && *r == v.rational_part())
    }
}

impl std::fmt::Display for ExactSum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.to_sqrt_sum())
    }
}
