//! Neighbour lists within a cutoff, for isolated and periodic structures.
//!
//! Edges are directed: `(i, j, shift)` means atom `j`, translated by `shift` (an integer
//! combination of the lattice vectors), lies within the cutoff of atom `i`; the edge vector is
//! `r_ij = x_j + shift·cell − x_i`. Every pair appears in both directions. The list is decided in
//! `f64` from the leading part of the positions; edge vectors are then formed in the network's
//! element type, so derivatives and extended precision flow through them.

use super::NetworkError;
use crate::Float;

/// One directed edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// The centre atom.
    pub i: usize,
    /// The neighbour.
    pub j: usize,
    /// Lattice translation of the neighbour (zeros for isolated structures).
    pub shift: [i32; 3],
}

/// The directed edges of a structure within a cutoff.
///
/// # Examples
/// ```
/// use racah_numeric::network::NeighbourList;
/// let pos = [[0.0f64, 0.0, 0.0], [1.0, 0.0, 0.0], [5.0, 0.0, 0.0]];
/// let nl = NeighbourList::build(&pos, None, 1.5)?;
/// assert_eq!(nl.edges().len(), 2); // 0 → 1 and 1 → 0
/// // a periodic chain of period 2 along x: each atom sees two images within 2.5
/// let cell = [[2.0, 0.0, 0.0], [0.0, 10.0, 0.0], [0.0, 0.0, 10.0]];
/// let nl = NeighbourList::build(&[[0.0, 0.0, 0.0]], Some(&cell), 2.5)?;
/// assert_eq!(nl.edges().len(), 2);
/// # Ok::<(), racah_numeric::network::NetworkError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighbourList {
    edges: Vec<Edge>,
}

impl NeighbourList {
    /// All directed edges with 0 < |r_ij| < cutoff (all three directions periodic when a cell
    /// is given).
    ///
    /// # Errors
    /// [`NetworkError::NonFinite`] for a NaN or infinite coordinate;
    /// [`NetworkError::SingularCell`]; [`NetworkError::CoincidentAtoms`] when two atoms (or an
    /// atom and an image) are closer than 10⁻⁸ of the cutoff.
    pub fn build<T: Float>(
        positions: &[[T; 3]],
        cell: Option<&[[T; 3]; 3]>,
        cutoff: f64,
    ) -> Result<Self, NetworkError> {
        let pos: Vec<[f64; 3]> = positions.iter().map(|p| p.map(|x| x.hi())).collect();
        for (n, p) in pos.iter().enumerate() {
            if let Some(k) = p.iter().position(|x| !x.is_finite()) {
                return Err(NetworkError::NonFinite {
                    what: "positions".into(),
                    index: 3 * n + k,
                    value: p[k],
                });
            }
        }
        let cell64 = cell.map(|c| c.map(|row| row.map(|x| x.hi())));
        let ranges = match &cell64 {
            None => [0, 0, 0],
            Some(c) => shift_ranges(c, cutoff)?,
        };
        let too_close = cutoff * 1e-8;
        let mut edges = Vec::new();
        for (i, xi) in pos.iter().enumerate() {
            for (j, xj) in pos.iter().enumerate() {
                for a in -ranges[0]..=ranges[0] {
                    for b in -ranges[1]..=ranges[1] {
                        for c in -ranges[2]..=ranges[2] {
                            let shift = [a, b, c];
                            if i == j && shift == [0, 0, 0] {
                                continue;
                            }
                            let t = match &cell64 {
                                None => [0.0; 3],
                                Some(m) => translation(m, shift),
                            };
                            let d = [0, 1, 2].map(|k| xj[k] + t[k] - xi[k]);
                            let r = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
                            if r < too_close {
                                return Err(NetworkError::CoincidentAtoms { i, j, distance: r });
                            }
                            if r < cutoff {
                                edges.push(Edge { i, j, shift });
                            }
                        }
                    }
                }
            }
        }
        Ok(NeighbourList { edges })
    }

    /// The edges, sorted by centre atom, then neighbour, then shift.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The edge vectors r_ij = x_j + shift·cell − x_i in `T`, row-major `(edges, 3)`.
    pub fn vectors<T: Float>(&self, positions: &[[T; 3]], cell: Option<&[[T; 3]; 3]>) -> Vec<T> {
        let mut out = Vec::with_capacity(3 * self.edges.len());
        for e in &self.edges {
            let mut d = [0, 1, 2].map(|k| positions[e.j][k] - positions[e.i][k]);
            if let Some(m) = cell {
                for (row, &s) in m.iter().zip(&e.shift) {
                    if s != 0 {
                        let s = T::from_f64(f64::from(s));
                        for k in 0..3 {
                            d[k] += s * row[k];
                        }
                    }
                }
            }
            out.extend_from_slice(&d);
        }
        out
    }
}

fn translation(m: &[[f64; 3]; 3], s: [i32; 3]) -> [f64; 3] {
    [0, 1, 2].map(|k| (0..3).map(|r| f64::from(s[r]) * m[r][k]).sum())
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

/// How many images along each lattice vector can be within the cutoff: ⌈r_c / h_k⌉ with h_k
/// the distance between lattice planes, h_k = V / |a_l × a_m|.
fn shift_ranges(c: &[[f64; 3]; 3], cutoff: f64) -> Result<[i32; 3], NetworkError> {
    if let Some(k) = c.iter().flatten().position(|x| !x.is_finite()) {
        return Err(NetworkError::NonFinite {
            what: "cell".into(),
            index: k,
            value: c[k / 3][k % 3],
        });
    }
    let axb = cross(c[1], c[2]);
    let volume = c[0][0] * axb[0] + c[0][1] * axb[1] + c[0][2] * axb[2];
    let norm = |v: [f64; 3]| (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    let scale = norm(c[0]) * norm(c[1]) * norm(c[2]);
    if volume.abs().partial_cmp(&(1e-12 * scale)) != Some(std::cmp::Ordering::Greater)
        || scale == 0.0
    {
        return Err(NetworkError::SingularCell { cell: *c, volume });
    }
    let faces = [cross(c[1], c[2]), cross(c[2], c[0]), cross(c[0], c[1])];
    let mut out = [0; 3];
    for (k, f) in faces.iter().enumerate() {
        let h = volume.abs() / norm(*f);
        let n = (cutoff / h).ceil();
        if n > 64.0 {
            return Err(NetworkError::Spec {
                field: "cell".into(),
                message: format!(
                    "lattice vector {k} gives plane spacing {h}, needing {n} images within the cutoff {cutoff} (at most 64)"
                ),
            });
        }
        out[k] = n as i32;
    }
    Ok(out)
}
