//! The rank of a fusion block's path set against the exact count of symmetric couplings:
//! complete, incomplete (what is missing) or redundant (which paths are wasted).

use std::fmt;

use racah_core::{Irrep, Irreps, MulIrrep};
use racah_numeric::{FusionBlock, IrrepsArray, RANK_GAP};
use rug::Integer;
use serde::Serialize;

use super::independence::Offer;
use super::path_samples::PathSamples;
use super::rng::SplitMix;
use super::{symmetric_power, CountingError};

/// Extra random inputs beyond the largest group's path count.
const EXTRA_SAMPLES: usize = 4;

/// A path that adds nothing: its symmetric part is (numerically) a combination of paths kept
/// before it in the same group, or zero.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DependentPath {
    /// Index into the block's [`paths`](FusionBlock::paths).
    pub index: usize,
    /// The path as a text tree, e.g. `((1o,1o)->1e,1o)->0o`.
    pub path: String,
    /// Its relative residual after projecting out the kept paths (≤ [`RANK_GAP`]).
    pub residual: f64,
    /// The kept paths it is a combination of, as `(index, text tree)`; empty when its
    /// symmetric part vanishes (e.g. `(1o,1o)->1e` on equal copies).
    pub depends_on: Vec<(usize, String)>,
}

/// One body order ν and one output term: the exact count against the rank of the paths.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GroupReport {
    /// The body order ν.
    pub body_order: usize,
    /// The output irrep L.
    #[serde(serialize_with = "super::serialize_display")]
    pub output: Irrep,
    /// The index of the output term in the block's output irreps.
    pub output_term: usize,
    /// The number of independent symmetric couplings Sym^ν(V) → L (exact).
    #[serde(serialize_with = "super::serialize_integer")]
    pub count: Integer,
    /// The paths analysed (block indices, in the order offered; duplicates allowed).
    pub paths: Vec<usize>,
    /// The numerical rank of their symmetric parts.
    pub rank: usize,
    /// The paths found dependent on earlier ones.
    pub dependent: Vec<DependentPath>,
}

impl GroupReport {
    /// `count − rank` when positive: how many independent couplings the paths miss.
    pub fn missing(&self) -> Integer {
        Integer::from(&self.count - self.rank).max(Integer::new())
    }
}

/// What a fusion block's path set spans, group by group (body order × output term).
///
/// # Examples
/// See [`analyse_block`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BlockReport {
    /// The irreps of one channel, V.
    pub channel: String,
    /// Every (body order, output term) group, by body order then output term.
    pub groups: Vec<GroupReport>,
    /// The number of paths analysed.
    pub num_paths: usize,
    /// The random inputs the paths were evaluated on.
    pub samples: usize,
    /// The gap: a path is independent when its relative residual exceeds it.
    pub gap: f64,
    /// Smallest relative residual of a kept path (1 if none).
    pub min_kept_residual: f64,
    /// Largest relative residual of a dependent path (0 if none).
    pub max_dropped_residual: f64,
}

impl BlockReport {
    /// `true` when every group's rank equals its count (rank = count).
    pub fn is_complete(&self) -> bool {
        self.groups.iter().all(|g| g.count == g.rank)
    }

    /// `true` when no path is dependent (number of paths = rank).
    pub fn is_parsimonious(&self) -> bool {
        self.groups.iter().all(|g| g.dependent.is_empty())
    }

    /// `false` if a group's numerical rank exceeds the exact count, which no correct block can
    /// do (it would mean the gap failed or the block is not equivariant).
    pub fn is_consistent(&self) -> bool {
        self.groups.iter().all(|g| g.count >= g.rank)
    }

    /// The groups that miss couplings: `(body order, output irrep, how many)`.
    pub fn missing(&self) -> Vec<(usize, Irrep, Integer)> {
        self.groups
            .iter()
            .filter(|g| g.missing() > 0)
            .map(|g| (g.body_order, g.output, g.missing()))
            .collect()
    }

    /// Every dependent (wasted) path.
    pub fn redundant(&self) -> Vec<&DependentPath> {
        self.groups.iter().flat_map(|g| &g.dependent).collect()
    }

    /// Σ rank over groups.
    pub fn rank(&self) -> usize {
        self.groups.iter().map(|g| g.rank).sum()
    }

    /// Σ count over groups.
    pub fn count(&self) -> Integer {
        self.groups.iter().map(|g| &g.count).sum()
    }
}

impl fmt::Display for BlockReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = match (self.is_complete(), self.is_parsimonious()) {
            (true, true) => "complete and parsimonious",
            (true, false) => "complete, redundant",
            (false, true) => "incomplete",
            (false, false) => "incomplete, redundant",
        };
        writeln!(
            f,
            "{verdict}: {} paths, rank {}, {} independent symmetric couplings of V = {} \
             (gap {:e}: kept residuals ≥ {:.1e}, dropped ≤ {:.1e}, {} samples)",
            self.num_paths,
            self.rank(),
            self.count(),
            self.channel,
            self.gap,
            self.min_kept_residual,
            self.max_dropped_residual,
            self.samples
        )?;
        if !self.is_consistent() {
            writeln!(f, "INCONSISTENT: a rank exceeds the exact count")?;
        }
        for g in &self.groups {
            if g.count != g.rank {
                writeln!(
                    f,
                    "  ν={} → {}: rank {} of {} ({} missing)",
                    g.body_order,
                    g.output,
                    g.rank,
                    g.count,
                    g.missing()
                )?;
            }
            for d in &g.dependent {
                let on: Vec<&str> = d.depends_on.iter().map(|(_, s)| s.as_str()).collect();
                writeln!(
                    f,
                    "  ν={} → {}: redundant path #{} {} (residual {:.1e}){}",
                    g.body_order,
                    g.output,
                    d.index,
                    d.path,
                    d.residual,
                    if on.is_empty() {
                        " vanishes on equal copies".to_string()
                    } else {
                        format!(" ∈ span{{{}}}", on.join(", "))
                    }
                )?;
            }
        }
        Ok(())
    }
}

/// The irreps of one channel of `irreps` (every term with multiplicity 1).
pub(crate) fn channel_irreps(irreps: &Irreps) -> Irreps {
    irreps.iter().map(|t| MulIrrep::new(1, t.irrep)).collect()
}

/// Analyses the paths of `block` (or the `selection` of them, by index, duplicates allowed):
/// per body order ν and output term L, the exact number of independent symmetric couplings
/// Sym^ν(V) → L ([`symmetric_power`], V = one channel of the input) against the numerical
/// rank of the selected paths' symmetric parts `x ↦ Tree_p(x, …, x)`.
///
/// The rank is found as in [`FusionBlock`]'s parsimonious selection: every path is evaluated
/// (f64, channel 0) on `max group size + 4` inputs with entries uniform in [−1, 1) (fixed
/// seed), scaled by its bound `(Σ_s Π_leaves ‖x_leaf‖²)^{1/2}`, and offered in selection
/// order to a twice-repeated Gram–Schmidt; it is independent when its relative residual
/// exceeds [`RANK_GAP`]. A dependent path is named with the kept paths it is a combination
/// of. The report records the residuals on both sides of the gap.
///
/// # Convention
/// Real basis and coupling tensors of e3nn (`CONVENTIONS.md#real-basis`); the count depends
/// on neither.
///
/// # Errors
/// [`CountingError::PathOutOfRange`] for a selected index `>= block.num_paths()`;
/// [`CountingError::TooLarge`] if the block's body order exceeds the cycle-index bound.
///
/// # Examples
/// ```
/// use racah_numeric::{FusionBlock, FusionBlockOptions, LeafOrder};
/// use racah_proofs::counting::analyse_block;
/// let irreps = "1x0e+1x1o+1x2e".parse()?;
/// let all = FusionBlock::<f64>::new(&irreps, 2, &"1x1o".parse()?,
///     FusionBlockOptions::new(LeafOrder::All, false))?;
/// let report = analyse_block(&all, None)?;
/// // 1o; (0e,1o), (1o,0e), (1o,2e), (2e,1o): two of the four order-2 paths are wasted
/// assert!(report.is_complete() && !report.is_parsimonious(), "{report}");
/// assert_eq!(report.redundant().len(), 2);
/// assert_eq!(report.redundant()[0].path, "(1o,0e)->1o");
/// // paths 0, 1, 2 (no 2e leaf): ν = 2 misses one coupling and still wastes one path
/// let some = analyse_block(&all, Some(&[0, 1, 2]))?;
/// assert_eq!(some.missing(), [(2, "1o".parse()?, 1.into())]);
/// assert_eq!(some.redundant().len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn analyse_block(
    block: &FusionBlock<f64>,
    selection: Option<&[usize]>,
) -> Result<BlockReport, CountingError> {
    let all: Vec<usize> = (0..block.num_paths()).collect();
    let selection = selection.unwrap_or(&all);
    if let Some(&index) = selection.iter().find(|&&i| i >= block.num_paths()) {
        return Err(CountingError::PathOutOfRange {
            index,
            num_paths: block.num_paths(),
        });
    }
    let channel = channel_irreps(block.irreps_in());
    let outs: Vec<Irrep> = block.irreps_out().iter().map(|t| t.irrep).collect();
    let mut groups = Vec::new();
    for nu in 1..=block.correlation() {
        let sym = symmetric_power(&channel, nu)?;
        for (o, &out) in outs.iter().enumerate() {
            let paths: Vec<usize> = selection
                .iter()
                .copied()
                .filter(|&p| {
                    let path = &block.paths()[p];
                    path.body_order() == nu && path.output_term() == o
                })
                .collect();
            groups.push(GroupReport {
                body_order: nu,
                output: out,
                output_term: o,
                count: sym.multiplicity(out),
                paths,
                rank: 0,
                dependent: Vec::new(),
            });
        }
    }
    let samples = groups.iter().map(|g| g.paths.len()).max().unwrap_or(0) + EXTRA_SAMPLES;
    let mut rng = SplitMix::new(0x00c0_ffee);
    let dim = block.irreps_in().dim();
    let data = (0..samples * dim).map(|_| rng.next_unit()).collect();
    let x =
        IrrepsArray::new(block.irreps_in().clone(), samples, data).expect("samples × dim entries");
    let evaluated = PathSamples::new(block, &x)?;
    let mut report = BlockReport {
        channel: channel.to_string(),
        groups: Vec::new(),
        num_paths: selection.len(),
        samples,
        gap: RANK_GAP,
        min_kept_residual: 1.0,
        max_dropped_residual: 0.0,
    };
    for mut g in groups {
        let name = |p: usize| block.paths()[p].to_string();
        for (pos, offer) in evaluated.rank(&g.paths, RANK_GAP).into_iter().enumerate() {
            match offer {
                Offer::Kept { residual } => {
                    g.rank += 1;
                    report.min_kept_residual = report.min_kept_residual.min(residual);
                }
                Offer::Dependent {
                    residual,
                    depends_on,
                } => {
                    report.max_dropped_residual = report.max_dropped_residual.max(residual);
                    let index = g.paths[pos];
                    g.dependent.push(DependentPath {
                        index,
                        path: name(index),
                        residual,
                        depends_on: depends_on
                            .iter()
                            .map(|&k| (g.paths[k], name(g.paths[k])))
                            .collect(),
                    });
                }
            }
        }
        report.groups.push(g);
    }
    Ok(report)
}
