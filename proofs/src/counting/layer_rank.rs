//! The rank of a full network layer's features on random neighbourhoods: how many of a term's
//! channels are linearly independent functions of the configuration (issue #7).

use std::fmt;

use racah_core::MulIrrep;
use racah_numeric::network::{Network, Structure};
use serde::Serialize;

use super::rng::SplitMix;
use super::CountingError;

/// The relative gap of [`layer_feature_rank`]: a channel is independent of the ones kept before
/// it when its residual exceeds this fraction of the largest channel norm of its term.
pub const LAYER_RANK_GAP: f64 = 1e-9;

/// A term whose largest channel norm is at most this fraction of the largest channel norm of
/// its whole layer output is zero up to roundoff (rank 0): a few hundred eps, with room on
/// both sides (roundoff is ~1e-16, small genuine terms ~1e-6 in the shipped models).
pub const ZERO_TERM: f64 = 1e-12;

/// The smallest distance between two atoms of a random neighbourhood (Å, or the description's
/// length unit).
pub const MIN_ATOM_DISTANCE: f64 = 0.8;

/// Attempts at placing one neighbour before giving up.
const PLACEMENT_ATTEMPTS: usize = 10_000;

/// One term (mul × l p) of one layer output: the rank of its channels as functions of the
/// neighbourhood.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LayerRankRow {
    /// The layer output, `"layer 1: A"`, `"layer 1: product"` or `"layer 1: output"`.
    pub layer: String,
    /// The term, e.g. `8x1o`.
    #[serde(serialize_with = "super::serialize_display")]
    pub term: MulIrrep,
    /// The number of channels (the term's multiplicity).
    pub channels: usize,
    /// The numerical rank: independent channels.
    pub rank: usize,
    /// The relative gap used ([`LAYER_RANK_GAP`]).
    pub gap: f64,
    /// The term's largest channel norm relative to the largest of its layer output; at most
    /// [`ZERO_TERM`] the term is zero up to roundoff (rank 0, no residuals).
    pub size: f64,
    /// The smallest residual of a kept channel, relative to the term's largest channel
    /// (`None` if none was kept).
    pub min_kept: Option<f64>,
    /// The largest residual of a dropped channel, relative to the term's largest channel
    /// (`None` if none was dropped, or the term is zero).
    pub max_dropped: Option<f64>,
}

impl LayerRankRow {
    /// `true` when every channel is an independent function of the neighbourhood.
    pub fn is_full(&self) -> bool {
        self.rank == self.channels
    }

    /// `min_kept / max_dropped` (∞ when nothing was dropped or a dropped channel is exactly
    /// zero, and when nothing was kept): how clearly the gap separates the two sides.
    pub fn separation(&self) -> f64 {
        match (self.min_kept, self.max_dropped) {
            (Some(k), Some(d)) if d > 0.0 => k / d,
            _ => f64::INFINITY,
        }
    }
}

fn residual(r: Option<f64>) -> String {
    r.map_or_else(|| "-".to_string(), |v| format!("{v:.1e}"))
}

impl fmt::Display for LayerRankRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<18} {:>8}  rank {:>3} / {:<3} {:<9} size {:<7}  kept ≥ {:<7}  dropped ≤ {}",
            self.layer,
            self.term.to_string(),
            self.rank,
            self.channels,
            if self.is_full() {
                "full"
            } else if self.size <= ZERO_TERM {
                "ZERO"
            } else {
                "DEFICIENT"
            },
            format!("{:.1e}", self.size),
            residual(self.min_kept),
            residual(self.max_dropped),
        )
    }
}

fn net_err(e: impl fmt::Display) -> CountingError {
    CountingError::Network(e.to_string())
}

/// `samples` random neighbourhoods for `net`: atom 0 (the centre) at the origin and
/// `neighbours` atoms uniform in the ball of radius `cutoff` around it, every pair of atoms at
/// least [`MIN_ATOM_DISTANCE`] apart, each atom (centre included) of a species of the model
/// drawn uniformly. Deterministic in `seed` (splitmix64, independent of `rand` releases).
///
/// # Errors
/// [`CountingError::InvalidArgument`] naming the numbers when `neighbours` atoms cannot be
/// placed (the cutoff ball is too small for them at that spacing; 10⁴ attempts per atom), or
/// when the model has no species.
///
/// # Examples
/// ```
/// use racah_numeric::network::Network;
/// use racah_proofs::counting::random_neighbourhoods;
/// let net = Network::from_toml_str(r#"
///     name = "tiny"
///     architecture = "mace"
///     species = ["H", "O"]
///     cutoff = 3.0
///     [features]
///     hidden = "2x0e+2x1o"
///     sh_lmax = 1
///     layers = 1
/// "#)?;
/// let hoods = random_neighbourhoods(&net, 3, 4, 7)?;
/// assert_eq!(hoods.len(), 3);
/// assert!(hoods.iter().all(|s| s.len() == 5 && s.positions[0] == [0.0; 3]));
/// assert!(random_neighbourhoods(&net, 1, 500, 7).is_err()); // 500 atoms 0.8 apart in r < 3
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn random_neighbourhoods(
    net: &Network,
    samples: usize,
    neighbours: usize,
    seed: u64,
) -> Result<Vec<Structure<f64>>, CountingError> {
    let spec = net.spec();
    let cutoff = spec.cutoff;
    let known = &spec.species;
    if known.is_empty() {
        return Err(CountingError::InvalidArgument {
            what: "species",
            value: "[]".into(),
            reason: "the model has no species to draw atoms from".into(),
        });
    }
    let mut rng = SplitMix::new(seed);
    let species = |rng: &mut SplitMix| {
        let k = ((rng.next_unit() + 1.0) / 2.0 * known.len() as f64) as usize;
        known[k.min(known.len() - 1)]
    };
    let mut out = Vec::with_capacity(samples);
    for _ in 0..samples {
        let mut positions = vec![[0.0; 3]];
        let mut zs = vec![species(&mut rng)];
        for placed in 0..neighbours {
            let mut attempts = 0;
            let p = loop {
                if attempts == PLACEMENT_ATTEMPTS {
                    return Err(CountingError::InvalidArgument {
                        what: "neighbours",
                        value: neighbours.to_string(),
                        reason: format!(
                            "cannot place {neighbours} neighbours {MIN_ATOM_DISTANCE} apart \
                             within the cutoff {cutoff} (placed {placed} in \
                             {PLACEMENT_ATTEMPTS} attempts)"
                        ),
                    });
                }
                attempts += 1;
                let u = [rng.next_unit(), rng.next_unit(), rng.next_unit()];
                if u.iter().map(|x| x * x).sum::<f64>() >= 1.0 {
                    continue;
                }
                let p = u.map(|x| x * cutoff);
                let clear = positions.iter().all(|q| {
                    let d2: f64 = (0..3).map(|k| (p[k] - q[k]).powi(2)).sum();
                    d2 >= MIN_ATOM_DISTANCE * MIN_ATOM_DISTANCE
                });
                if clear {
                    break p;
                }
            };
            positions.push(p);
            zs.push(species(&mut rng));
        }
        out.push(Structure::new(positions, zs, None).map_err(net_err)?);
    }
    Ok(out)
}

/// The rank of every term of every layer output of `net` (as
/// [`Network::energies_with_layers`] records them) on the given neighbourhoods, reading the
/// features of atom 0 of each.
///
/// For a term mul × (l, p) the matrix has one row per (neighbourhood, m) and one column per
/// channel; its rank is found by Gram–Schmidt with column pivoting (each projection twice),
/// keeping a channel while its residual exceeds [`LAYER_RANK_GAP`] times the term's largest
/// channel norm. A term whose largest channel is at most [`ZERO_TERM`] times the largest
/// channel of the whole layer output vanishes up to roundoff and has rank 0:
///
/// ```text
/// M[(s, m), u] = h_{u, m}(N_s),   size = max_u ‖M[·, u]‖ / max_{t, u} ‖M_t[·, u]‖
/// rank = 0 if size ≤ 1e-12, else #{ k : ‖r_k‖ > 1e-9 · max_u ‖M[·, u]‖ }   (pivoted residuals r_k)
/// ```
///
/// # Convention
/// Features in e3nn's layout and real basis (`CONVENTIONS.md#networks`); the rank does not
/// depend on it, nor on rotating or reflecting any neighbourhood.
///
/// # Errors
/// [`CountingError::InvalidArgument`] if `neighbourhoods` is empty; [`CountingError::Network`]
/// if the network rejects one (an unknown species, coincident atoms).
///
/// # Examples
/// See [`layer_feature_rank`].
pub fn layer_feature_rank_on(
    net: &Network,
    neighbourhoods: &[Structure<f64>],
) -> Result<Vec<LayerRankRow>, CountingError> {
    if neighbourhoods.is_empty() {
        return Err(CountingError::InvalidArgument {
            what: "samples",
            value: "0".into(),
            reason: "a rank needs at least one neighbourhood".into(),
        });
    }
    // per layer output: (name, irreps, centre rows of every neighbourhood)
    let mut outputs: Vec<(String, racah_core::Irreps, Vec<Vec<f64>>)> = Vec::new();
    for (s, hood) in neighbourhoods.iter().enumerate() {
        let p = net
            .energies_with_layers::<f64>(hood)
            .map_err(|e| net_err(format!("neighbourhood {s}: {e}")))?;
        if s == 0 {
            outputs = p
                .layers
                .iter()
                .map(|l| (l.name.clone(), l.irreps.clone(), Vec::new()))
                .collect();
        }
        for ((_, irreps, rows), l) in outputs.iter_mut().zip(&p.layers) {
            rows.push(l.values[..irreps.dim()].to_vec());
        }
    }
    let mut out = Vec::new();
    for (name, irreps, rows) in &outputs {
        // columns[t][u]: channel u of term t over (sample, m)
        let mut columns = Vec::with_capacity(irreps.len());
        let mut offset = 0;
        for t in irreps.iter() {
            let d = t.irrep.dim();
            let cols: Vec<Vec<f64>> = (0..t.mul)
                .map(|u| {
                    let at = offset + u * d;
                    rows.iter().flat_map(|r| r[at..at + d].to_vec()).collect()
                })
                .collect();
            offset += t.mul * d;
            columns.push(cols);
        }
        let largest = |cols: &[Vec<f64>]| cols.iter().map(|c| norm(c)).fold(0.0, f64::max);
        let layer_scale = columns.iter().map(|c| largest(c)).fold(0.0, f64::max);
        for (t, cols) in irreps.iter().zip(columns) {
            let term_scale = largest(&cols);
            let size = if layer_scale > 0.0 {
                term_scale / layer_scale
            } else {
                0.0
            };
            let (rank, min_kept, max_dropped) = if size <= ZERO_TERM {
                (0, None, None)
            } else {
                pivoted_rank(cols, term_scale)
            };
            out.push(LayerRankRow {
                layer: name.clone(),
                term: *t,
                channels: t.mul,
                rank,
                gap: LAYER_RANK_GAP,
                size,
                min_kept,
                max_dropped,
            });
        }
    }
    Ok(out)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// Gram–Schmidt with column pivoting on `cols / scale` (`scale > 0`):
/// `(rank, min kept, max dropped)` residuals.
fn pivoted_rank(cols: Vec<Vec<f64>>, scale: f64) -> (usize, Option<f64>, Option<f64>) {
    let mut rest: Vec<Vec<f64>> = cols
        .into_iter()
        .map(|c| c.into_iter().map(|x| x / scale).collect())
        .collect();
    let mut kept: Vec<f64> = Vec::new();
    loop {
        let best = rest
            .iter()
            .enumerate()
            .map(|(i, c)| (i, norm(c)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let Some((i, r)) = best else { break };
        if r <= LAYER_RANK_GAP {
            break;
        }
        let q: Vec<f64> = rest.swap_remove(i).iter().map(|x| x / r).collect();
        kept.push(r);
        for c in &mut rest {
            for _ in 0..2 {
                let h = dot(&q, c);
                c.iter_mut().zip(&q).for_each(|(e, qe)| *e -= h * qe);
            }
        }
    }
    let min_kept = kept.iter().copied().reduce(f64::min);
    let max_dropped = rest.iter().map(|c| norm(c)).reduce(f64::max);
    (kept.len(), min_kept, max_dropped)
}

/// The rank of every term of every layer of `net` on `samples` random neighbourhoods of a
/// centre and `neighbours` atoms ([`random_neighbourhoods`] with `seed`): a rank below the
/// term's channels means channels that are linearly dependent functions of the neighbourhood
/// (wasted width); rank = channels is full. Rows follow the layer outputs of
/// [`Network::energies_with_layers`] (`A`, `product`, `output` per MACE layer), term by term.
///
/// ```text
/// rank_t = rank[ h_{t,u,m}(N_s) ]_{(s, m), u},   N_s = (centre, r_1 … r_n, species)
/// ```
///
/// A term's rank is at most its channels and at most `samples · (2l + 1)`; take `samples`
/// comfortably above `channels` (the CLI uses 2 · channels + 8).
///
/// # Convention
/// As [`layer_feature_rank_on`].
///
/// # Errors
/// As [`random_neighbourhoods`] and [`layer_feature_rank_on`] (`samples = 0` is an error).
///
/// # Examples
/// ```
/// use racah_numeric::network::Network;
/// use racah_proofs::counting::layer_feature_rank;
/// let net = Network::from_toml_str(r#"
///     name = "tiny"
///     architecture = "mace"
///     species = ["H"]
///     cutoff = 3.0
///     [features]
///     hidden = "2x0e+2x1o+2x1e"
///     sh_lmax = 1
///     layers = 1
///     correlation = 2
/// "#)?;
/// let rows = layer_feature_rank(&net, 12, 2, 1)?;
/// let product_1o = rows.iter().find(|r| r.layer == "layer 1: product"
///     && r.term.to_string() == "2x1o").unwrap();
/// assert!(product_1o.is_full(), "{product_1o}");
/// // one neighbour: no pseudovector can be made from a single vector
/// let one = layer_feature_rank(&net, 12, 1, 1)?;
/// let output_1e = one.iter().find(|r| r.layer == "layer 1: output"
///     && r.term.to_string() == "2x1e").unwrap();
/// assert_eq!(output_1e.rank, 0, "{output_1e}");
/// assert!(layer_feature_rank(&net, 0, 2, 1).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn layer_feature_rank(
    net: &Network,
    samples: usize,
    neighbours: usize,
    seed: u64,
) -> Result<Vec<LayerRankRow>, CountingError> {
    let hoods = random_neighbourhoods(net, samples, neighbours, seed)?;
    layer_feature_rank_on(net, &hoods)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_pivoted_rank() {
        // columns e0, 2·e0, e1 + 1e-12·e2: rank 2, the duplicate dropped at roundoff
        let cols = vec![
            vec![1.0, 0.0, 0.0],
            vec![2.0, 0.0, 0.0],
            vec![0.0, 1.0, 1e-12],
        ];
        let (rank, kept, dropped) = pivoted_rank(cols, 2.0);
        assert_eq!(rank, 2);
        assert_eq!(kept, Some(0.5));
        assert_eq!(dropped, Some(0.0));
        // all zero: rank 0, nothing kept
        assert_eq!(
            pivoted_rank(vec![vec![0.0; 2]; 3], 1.0),
            (0, None, Some(0.0))
        );
        assert_eq!(pivoted_rank(Vec::new(), 1.0), (0, None, None));
    }
}
