//! A block's paths evaluated on a batch of inputs, each scaled by its a-priori bound.

use racah_numeric::{FusionBlock, IrrepsArray};

use super::independence::{GreedyBasis, Offer};
use super::CountingError;

/// Per path of a block: its values on every row (channel 0), concatenated, and
/// Σ_rows (Π_leaves ‖x_leaf‖)², the squared bound of those values (a unit-Frobenius coupling
/// has operator norm ≤ 1, so |Tree_p(x)| ≤ Π_leaves ‖x_leaf‖).
#[derive(Debug)]
pub(crate) struct PathSamples {
    values: Vec<Vec<f64>>,
    bound2: Vec<f64>,
}

impl PathSamples {
    /// Evaluates every path of `block` on every row of `x` (channel 0).
    pub fn new(block: &FusionBlock<f64>, x: &IrrepsArray<f64>) -> Result<Self, CountingError> {
        let n = block.num_paths();
        let mut values = vec![Vec::new(); n];
        let mut bound2 = vec![0.0; n];
        let slices = block.irreps_in().slices();
        let terms: Vec<_> = block.irreps_in().iter().map(|t| t.irrep.dim()).collect();
        for row in 0..x.batch() {
            let data = x.row(row);
            let norms: Vec<f64> = slices
                .iter()
                .zip(&terms)
                .map(|(s, &d)| {
                    data[s.start..s.start + d]
                        .iter()
                        .map(|v| v * v)
                        .sum::<f64>()
                        .sqrt()
                })
                .collect();
            let vals = block.path_values(x, row, 0)?;
            for (p, path) in block.paths().iter().enumerate() {
                values[p].extend_from_slice(&vals[p]);
                let b: f64 = path.leaf_terms().iter().map(|&t| norms[t]).product();
                bound2[p] += b * b;
            }
        }
        Ok(PathSamples { values, bound2 })
    }

    /// Offers the paths `group` (block indices, duplicates allowed) in order to a fresh
    /// [`GreedyBasis`] with the given gap; returns each path's outcome, where `depends_on`
    /// is translated to positions in `group`.
    pub fn rank(&self, group: &[usize], gap: f64) -> Vec<Offer> {
        let mut basis = GreedyBasis::new(gap);
        let mut kept_at = Vec::new();
        group
            .iter()
            .enumerate()
            .map(|(pos, &p)| {
                let scale = self.bound2[p].sqrt();
                let v = self.values[p]
                    .iter()
                    .map(|e| if scale > 0.0 { e / scale } else { 0.0 })
                    .collect();
                match basis.offer(v) {
                    Offer::Kept { residual } => {
                        kept_at.push(pos);
                        Offer::Kept { residual }
                    }
                    Offer::Dependent {
                        residual,
                        depends_on,
                    } => Offer::Dependent {
                        residual,
                        depends_on: depends_on.iter().map(|&k| kept_at[k]).collect(),
                    },
                }
            })
            .collect()
    }
}
