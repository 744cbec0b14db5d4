//! The rank of a fusion block's features on random configurations of n neighbours, with
//! polynomial one-particle features, against the Molien count.

use std::fmt;

use racah_core::{Irrep, Irreps, MulIrrep, Parity};
use racah_numeric::{FusionBlock, IrrepsArray, ShNormalization, SphericalHarmonics, RANK_GAP};
use rug::Integer;
use serde::Serialize;

use super::independence::Offer;
use super::path_samples::PathSamples;
use super::rng::SplitMix;
use super::{CountingError, MolienSeries};

/// Extra random configurations beyond the largest group's path count.
const EXTRA_SAMPLES: usize = 8;

/// Polynomial one-particle features of n neighbours, one channel:
///
/// ```text
/// A_{k,l}(r_1, …, r_n) = Σ_j |r_j|^{2k} r_j^l Y_l(r̂_j)      (degree 2k + l, irrep l with parity (−1)^l)
/// ```
/// (solid harmonics times even radial powers), so a fusion-block path over terms t_1 … t_ν is
/// a homogeneous polynomial of degree Σ_i (2k_{t_i} + l_{t_i}) in the positions, invariant
/// under permutations of the neighbours and equivariant under O(3).
///
/// # Convention
/// Y_l are e3nn's real spherical harmonics with `Component` normalisation
/// (`CONVENTIONS.md#spherical-harmonics`); the count does not depend on it.
///
/// # Examples
/// ```
/// use racah_proofs::counting::PolynomialFeatures;
/// let f = PolynomialFeatures::up_to_degree(3)?;
/// // degree 1: r; 2: r², |r|²; 3: r³, |r|² r
/// assert_eq!(f.terms(), &[(0, 1), (0, 2), (1, 0), (0, 3), (1, 1)]);
/// assert_eq!(f.irreps().to_string(), "1x1o+1x2e+1x0e+1x3o+1x1o");
/// let a = f.evaluate(&[[0.0, 0.0, 2.0]]);
/// assert_eq!(a[8], 4.0); // |r|² at r = (0, 0, 2)
/// # Ok::<(), racah_proofs::counting::CountingError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PolynomialFeatures {
    terms: Vec<(u32, u32)>,
    irreps: Irreps,
    sh: SphericalHarmonics<f64>,
}

impl PolynomialFeatures {
    /// The features A_{k,l} for the given `(k, l)` pairs, in that order.
    ///
    /// # Errors
    /// [`CountingError::Numeric`] if an l exceeds the spherical harmonics' `MAX_L_MAX`.
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::counting::PolynomialFeatures;
    /// assert_eq!(PolynomialFeatures::new(&[(0, 1), (2, 0)])?.irreps().to_string(), "1x1o+1x0e");
    /// assert!(PolynomialFeatures::new(&[(0, 5000)]).is_err());
    /// # Ok::<(), racah_proofs::counting::CountingError>(())
    /// ```
    pub fn new(terms: &[(u32, u32)]) -> Result<Self, CountingError> {
        let l_max = terms.iter().map(|&(_, l)| l).max().unwrap_or(0);
        let sh = SphericalHarmonics::new(l_max, ShNormalization::Component, false)?;
        let irreps = terms
            .iter()
            .map(|&(_, l)| MulIrrep::new(1, Irrep::l(l, Parity::of_harmonic(l))))
            .collect();
        Ok(PolynomialFeatures {
            terms: terms.to_vec(),
            irreps,
            sh,
        })
    }

    /// Every A_{k,l} of degree `1 ≤ 2k + l ≤ max_degree`, by degree then l (the constant A_{0,0}
    /// is left out: it only rescales lower-degree features).
    ///
    /// # Errors
    /// As [`PolynomialFeatures::new`].
    ///
    /// # Examples
    /// See [`PolynomialFeatures`].
    pub fn up_to_degree(max_degree: u32) -> Result<Self, CountingError> {
        // by degree, then decreasing l (r^d first)
        let terms: Vec<(u32, u32)> = (1..=max_degree)
            .flat_map(|d| {
                (0..=d)
                    .rev()
                    .filter(move |l| (d - l) % 2 == 0)
                    .map(move |l| ((d - l) / 2, l))
            })
            .collect();
        PolynomialFeatures::new(&terms)
    }

    /// The `(k, l)` of each term.
    pub fn terms(&self) -> &[(u32, u32)] {
        &self.terms
    }

    /// The irreps of one channel: `1x l` with parity (−1)^l per term.
    pub fn irreps(&self) -> &Irreps {
        &self.irreps
    }

    /// The polynomial degree 2k + l of term `term`.
    ///
    /// # Panics
    /// If `term >= self.terms().len()`.
    #[track_caller]
    pub fn degree(&self, term: usize) -> u32 {
        let (k, l) = self.terms[term];
        2 * k + l
    }

    /// A_{k,l} of every term at the given neighbour positions, laid out as
    /// [`irreps`](Self::irreps) (one channel).
    pub fn evaluate(&self, positions: &[[f64; 3]]) -> Vec<f64> {
        let dim = self.sh.dim();
        let mut out = vec![0.0; self.irreps.dim()];
        for r in positions {
            let y = self.sh.compute_point(*r);
            let r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
            let mut at = 0;
            for &(k, l) in &self.terms {
                let radial = r2.powi(k as i32);
                let start = (l * l) as usize;
                let n = (2 * l + 1) as usize;
                debug_assert!(start + n <= dim);
                for (o, v) in out[at..at + n].iter_mut().zip(&y[start..start + n]) {
                    *o += radial * v;
                }
                at += n;
            }
        }
        out
    }
}

/// One degree and output term: the Molien count against the rank of the block's features.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FeatureRankRow {
    /// The polynomial degree d.
    pub degree: u32,
    /// The output irrep L.
    #[serde(serialize_with = "super::serialize_display")]
    pub output: Irrep,
    /// The index of the output term in the block's output irreps.
    pub output_term: usize,
    /// Independent invariant polynomials of degree d with values in L (Molien, exact).
    #[serde(serialize_with = "super::serialize_integer")]
    pub molien: Integer,
    /// The block's paths of degree d to this output.
    pub paths: usize,
    /// The numerical rank of those paths as functions of the positions.
    pub rank: usize,
}

/// The rank of a block's features against the Molien series, degree by degree.
///
/// # Examples
/// See [`feature_rank`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FeatureRankReport {
    /// The number of neighbours n.
    pub neighbours: usize,
    /// The largest degree compared.
    pub max_degree: u32,
    /// One row per degree `1..=max_degree` and output term.
    pub rows: Vec<FeatureRankRow>,
    /// The random configurations the features were evaluated on.
    pub samples: usize,
    /// The gap: a feature is independent when its relative residual exceeds it.
    pub gap: f64,
    /// Smallest relative residual of a kept feature (1 if none).
    pub min_kept_residual: f64,
    /// Largest relative residual of a dependent feature (0 if none).
    pub max_dropped_residual: f64,
}

impl FeatureRankReport {
    /// `true` when every row's rank equals its Molien count: the block spans every invariant
    /// polynomial of degree ≤ `max_degree` for its outputs.
    pub fn is_complete(&self) -> bool {
        self.rows.iter().all(|r| r.molien == r.rank)
    }

    /// `false` if a rank exceeds the Molien count (impossible for a correct, equivariant block).
    pub fn is_consistent(&self) -> bool {
        self.rows.iter().all(|r| r.molien >= r.rank)
    }

    /// Σ over degrees ≤ `degree` of the rank for output term `output_term`.
    pub fn cumulative_rank(&self, degree: u32, output_term: usize) -> usize {
        self.rows
            .iter()
            .filter(|r| r.degree <= degree && r.output_term == output_term)
            .map(|r| r.rank)
            .sum()
    }
}

impl fmt::Display for FeatureRankReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: features of {} neighbours, degrees 1..={} (gap {:e}: kept ≥ {:.1e}, \
             dropped ≤ {:.1e}, {} samples)",
            if self.is_complete() {
                "complete"
            } else {
                "incomplete"
            },
            self.neighbours,
            self.max_degree,
            self.gap,
            self.min_kept_residual,
            self.max_dropped_residual,
            self.samples
        )?;
        writeln!(f, "degree  out  molien  rank  paths")?;
        for r in &self.rows {
            writeln!(
                f,
                "{:>6}  {:>3}  {:>6}  {:>4}  {:>5}{}",
                r.degree,
                r.output,
                r.molien,
                r.rank,
                r.paths,
                if r.molien == r.rank { "" } else { "  ≠" }
            )?;
        }
        Ok(())
    }
}

/// The rank of `block`'s paths as polynomial functions of n neighbour positions, per degree
/// d = 1..=`max_degree` and output term, against the Molien count of S_n × O(3)-equivariant
/// polynomials of degree d ([`MolienSeries`]).
///
/// The block's input must be `features` (one channel). Every path is evaluated on
/// `max group size + 8` configurations of `n_neighbours` positions with coordinates uniform in
/// [−1, 1) (fixed seed), scaled by its bound `(Σ_s Π_leaves ‖A_leaf‖²)^{1/2}` and ranked by
/// twice-repeated Gram–Schmidt with the gap [`RANK_GAP`], as in [`analyse_block`]. Paths of
/// degree above `max_degree` are ignored; a degree the block's body order cannot reach shows
/// up as a rank below the count.
///
/// [`analyse_block`]: super::analyse_block
///
/// # Convention
/// As [`PolynomialFeatures`].
///
/// # Errors
/// [`CountingError::FeaturesMismatch`] if `block.irreps_in() != features.irreps()`;
/// [`CountingError::TooLarge`] from the Molien series.
///
/// # Examples
/// ```
/// use racah_numeric::{FusionBlock, FusionBlockOptions};
/// use racah_proofs::counting::{feature_rank, PolynomialFeatures};
/// let f = PolynomialFeatures::up_to_degree(2)?;
/// let block = FusionBlock::<f64>::new(f.irreps(), 2, &"1x0e".parse()?,
///     FusionBlockOptions::default())?;
/// let report = feature_rank(&block, &f, 2, 2)?;
/// // degree 2 invariants of two neighbours: |r1|² + |r2|² and r1·r2, both reached
/// assert!(report.is_complete(), "{report}");
/// assert_eq!(report.cumulative_rank(2, 0), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn feature_rank(
    block: &FusionBlock<f64>,
    features: &PolynomialFeatures,
    n_neighbours: usize,
    max_degree: u32,
) -> Result<FeatureRankReport, CountingError> {
    if block.irreps_in() != features.irreps() {
        return Err(CountingError::FeaturesMismatch {
            expected: features.irreps().to_string(),
            got: block.irreps_in().to_string(),
        });
    }
    let molien = MolienSeries::new(n_neighbours, max_degree)?;
    let degree = |p: usize| -> u32 {
        block.paths()[p]
            .leaf_terms()
            .iter()
            .map(|&t| features.degree(t))
            .sum()
    };
    let outs: Vec<Irrep> = block.irreps_out().iter().map(|t| t.irrep).collect();
    let mut groups = Vec::new();
    for d in 1..=max_degree {
        for (o, &out) in outs.iter().enumerate() {
            let paths: Vec<usize> = (0..block.num_paths())
                .filter(|&p| degree(p) == d && block.paths()[p].output_term() == o)
                .collect();
            groups.push((d, o, out, paths));
        }
    }
    let samples = groups.iter().map(|g| g.3.len()).max().unwrap_or(0) + EXTRA_SAMPLES;
    let mut rng = SplitMix::new(0x00b0_d1e5);
    let mut data = Vec::with_capacity(samples * features.irreps().dim());
    for _ in 0..samples {
        let positions: Vec<[f64; 3]> = (0..n_neighbours)
            .map(|_| [rng.next_unit(), rng.next_unit(), rng.next_unit()])
            .collect();
        data.extend(features.evaluate(&positions));
    }
    let x =
        IrrepsArray::new(features.irreps().clone(), samples, data).expect("samples × dim entries");
    let evaluated = PathSamples::new(block, &x)?;
    let mut report = FeatureRankReport {
        neighbours: n_neighbours,
        max_degree,
        rows: Vec::new(),
        samples,
        gap: RANK_GAP,
        min_kept_residual: 1.0,
        max_dropped_residual: 0.0,
    };
    for (d, o, out, paths) in groups {
        let mut rank = 0;
        for offer in evaluated.rank(&paths, RANK_GAP) {
            match offer {
                Offer::Kept { residual } => {
                    rank += 1;
                    report.min_kept_residual = report.min_kept_residual.min(residual);
                }
                Offer::Dependent { residual, .. } => {
                    report.max_dropped_residual = report.max_dropped_residual.max(residual);
                }
            }
        }
        report.rows.push(FeatureRankRow {
            degree: d,
            output: out,
            output_term: o,
            molien: molien.multiplicity(d, out)?,
            paths: paths.len(),
            rank,
        });
    }
    Ok(report)
}
