//! Greedy numerical independence: twice-repeated Gram–Schmidt that also expresses each
//! dependent vector in the kept ones (to name what a redundant path duplicates).

/// Coefficients below this are not listed as dependencies. Absolute, not relative to the
/// largest: the caller scales vectors by their bound, so a vector that vanishes up to roundoff
/// (a path whose symmetric part is zero) depends on nothing.
const COEFF_FLOOR: f64 = 1e-6;

/// The outcome of offering a vector to a [`GreedyBasis`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Offer {
    /// Independent of the kept vectors: kept, with its relative residual.
    Kept { residual: f64 },
    /// In their span up to `residual`; `depends_on` lists the kept vectors (by keep order) with
    /// a non-negligible coefficient.
    Dependent {
        residual: f64,
        depends_on: Vec<usize>,
    },
}

/// An orthonormal basis of the kept vectors, with `t[i]` expressing `q_i` in the kept vectors.
#[derive(Debug, Default)]
pub(crate) struct GreedyBasis {
    gap: f64,
    q: Vec<Vec<f64>>,
    t: Vec<Vec<f64>>,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl GreedyBasis {
    /// An empty basis; a vector is kept when its residual exceeds `gap` (vectors are scaled by
    /// the caller so that residuals are relative).
    pub fn new(gap: f64) -> Self {
        GreedyBasis {
            gap,
            ..Default::default()
        }
    }

    /// The number of kept vectors.
    #[cfg(test)]
    pub fn rank(&self) -> usize {
        self.q.len()
    }

    /// Orthogonalises `v` against the kept vectors and keeps it if its residual exceeds the gap.
    pub fn offer(&mut self, mut v: Vec<f64>) -> Offer {
        let k = self.q.len();
        let mut h = vec![0.0; k];
        for _ in 0..2 {
            for (i, q) in self.q.iter().enumerate() {
                let c = dot(q, &v);
                h[i] += c;
                v.iter_mut().zip(q).for_each(|(e, qe)| *e -= c * qe);
            }
        }
        // v = residual + Σ_i h_i q_i, q_i = Σ_j t_ij a_j  ⇒  coefficients c_j = Σ_i h_i t_ij
        let mut coeffs = vec![0.0; k];
        for (hi, ti) in h.iter().zip(&self.t) {
            for (c, tij) in coeffs.iter_mut().zip(ti) {
                *c += hi * tij;
            }
        }
        let r = dot(&v, &v).sqrt();
        if r > self.gap {
            v.iter_mut().for_each(|e| *e /= r);
            let mut t: Vec<f64> = coeffs.iter().map(|c| -c / r).collect();
            t.push(1.0 / r);
            self.q.push(v);
            self.t.push(t);
            Offer::Kept { residual: r }
        } else {
            let depends_on = (0..k).filter(|&j| coeffs[j].abs() > COEFF_FLOOR).collect();
            Offer::Dependent {
                residual: r,
                depends_on,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_names_the_combination() {
        let mut b = GreedyBasis::new(1e-7);
        assert!(matches!(b.offer(vec![1.0, 0.0, 0.0]), Offer::Kept { .. }));
        assert!(matches!(b.offer(vec![0.0, 0.0, 1.0]), Offer::Kept { .. }));
        assert!(matches!(b.offer(vec![1.0, 1.0, 0.0]), Offer::Kept { .. }));
        // 2·e0 − 3·(e0 + e1) lies in the span of kept vectors 0 and 2, not 1
        match b.offer(vec![-1.0, -3.0, 0.0]) {
            Offer::Dependent { depends_on, .. } => assert_eq!(depends_on, [0, 2]),
            o => panic!("{o:?}"),
        }
        assert!(matches!(
            b.offer(vec![0.0; 3]),
            Offer::Dependent { depends_on, .. } if depends_on.is_empty()
        ));
        // zero up to roundoff: depends on nothing
        assert!(matches!(
            b.offer(vec![1e-14, -3e-15, 2e-16]),
            Offer::Dependent { depends_on, .. } if depends_on.is_empty()
        ));
        assert_eq!(b.rank(), 3);
    }
}
