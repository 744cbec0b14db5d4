//! Parsimonious path selection: one path per independent symmetric coupling.
//!
//! The copies fused by a block are equal, so a path is a polynomial map `x ↦ Tree_p(x, …, x)`
//! and only its symmetric part matters; two leaf orders or labellings whose symmetric parts
//! are linearly dependent are redundant. Independence is decided **numerically**: every path of
//! one output irrep is evaluated (in f64, one channel) on `n_paths + 2` pseudo-random inputs
//! with entries uniform in [−1, 1] (fixed seed); each path's evaluations are divided by their
//! a-priori bound `(Σ_s ‖x_s‖^{2k})^{1/2}` (a coupling of unit Frobenius norm has operator norm
//! ≤ 1, so `|Tree_p(x)| ≤ ‖x‖^k`), orthogonalised greedily in path order (body order first) by
//! twice-repeated Gram–Schmidt against the kept paths, and a path is kept when its residual
//! exceeds [`RANK_GAP`] (a path with a vanishing symmetric part, such as `(x × x)·x`, has a
//! residual of rounding size). The
//! report records the smallest kept and the largest dropped residual, so the gap is visible
//! (on the cases tested, kept ≥ 1e-3 and dropped ≤ 1e-13).

use racah_core::{Irrep, Irreps};

use super::evaluate::Kernel;
use super::tree_plan::TreePlan;
use super::MAX_CORRELATION;

/// Relative residual above which a path counts as independent of the paths kept before it.
pub const RANK_GAP: f64 = 1e-7;

/// Path counts before and after the parsimonious selection, with the residuals that separated
/// kept from dropped paths.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct ParsimonyReport {
    /// Paths enumerated.
    pub before: usize,
    /// Paths kept (the numerical rank of the path set, summed over output terms).
    pub after: usize,
    /// Smallest relative residual of a kept path (1 if none).
    pub min_kept_residual: f64,
    /// Largest relative residual of a dropped path (0 if none).
    pub max_dropped_residual: f64,
}

/// splitmix64: a fixed, dependency-free stream, so the selection never changes between
/// versions of `rand`.
struct SplitMix(u64);

impl SplitMix {
    fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // 53 random bits to [−1, 1)
        (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The indices of the kept paths (increasing) and the report.
pub(crate) fn select(plan: &TreePlan, irreps_in: &Irreps) -> (Vec<usize>, ParsimonyReport) {
    let ins: Vec<Irrep> = irreps_in.iter().map(|t| t.irrep).collect();
    let outs_n = plan
        .paths
        .iter()
        .map(|p| p.output_term() + 1)
        .max()
        .unwrap_or(0);
    let outs: Vec<Irrep> = (0..outs_n)
        .map(|o| {
            plan.paths
                .iter()
                .find(|p| p.output_term() == o)
                .map_or(Irrep::l(0, racah_core::Parity::Even), |p| p.output())
        })
        .collect();
    let kernel = Kernel::<f64>::new(plan, &ins, &outs, 1);
    let dim_in: usize = ins.iter().map(|i| i.dim()).sum();
    let mut report = ParsimonyReport {
        before: plan.paths.len(),
        after: 0,
        min_kept_residual: 1.0,
        max_dropped_residual: 0.0,
    };
    let mut keep = Vec::new();
    for o in 0..outs_n {
        let group: Vec<usize> = (0..plan.paths.len())
            .filter(|&p| plan.paths[p].output_term() == o)
            .collect();
        if group.is_empty() {
            continue;
        }
        let samples = group.len() + 2;
        let mut rng = SplitMix(0x5eed_0000 + o as u64);
        let mut vecs: Vec<Vec<f64>> = vec![Vec::new(); group.len()];
        // Σ_s ‖x_s‖^{2k} per body order k: |Tree_p(x)| ≤ ‖x‖^k (unit-Frobenius couplings)
        let mut bound2 = [0.0f64; MAX_CORRELATION + 1];
        for _ in 0..samples {
            let x: Vec<f64> = (0..dim_in).map(|_| rng.next_unit()).collect();
            let n2 = dot(&x, &x);
            for (k, b) in bound2.iter_mut().enumerate() {
                *b += n2.powi(k as i32);
            }
            let vals = kernel.path_values(&x, 0);
            for (v, &p) in vecs.iter_mut().zip(&group) {
                v.extend_from_slice(&vals[p]);
            }
        }
        let mut basis: Vec<Vec<f64>> = Vec::new();
        for (mut v, &p) in vecs.into_iter().zip(&group) {
            // measured against the bound, so a path whose symmetric part vanishes (its value is
            // rounding noise) is dropped rather than normalised up
            let norm = bound2[plan.paths[p].body_order()].sqrt();
            v.iter_mut().for_each(|e| *e /= norm);
            for _ in 0..2 {
                for q in &basis {
                    let h = dot(q, &v);
                    v.iter_mut().zip(q).for_each(|(e, qe)| *e -= h * qe);
                }
            }
            let r = dot(&v, &v).sqrt();
            if r > RANK_GAP {
                report.min_kept_residual = report.min_kept_residual.min(r);
                v.iter_mut().for_each(|e| *e /= r);
                basis.push(v);
                keep.push(p);
            } else {
                report.max_dropped_residual = report.max_dropped_residual.max(r);
            }
        }
    }
    keep.sort_unstable();
    report.after = keep.len();
    (keep, report)
}
