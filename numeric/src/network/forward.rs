//! The forward pass of a [`Network`] in any element type (optionally keeping a tape for the
//! adjoint pass), and forces by forward-mode differentiation (the cross-check).

use super::backward::{LayerTape, Tape};
use super::layers::{silu, Plans, Readout, Update};
use super::spec::DefectKind;
use super::{NeighbourList, Network, NetworkError, Structure};
use crate::{Dual, Float, IrrepsArray, Weights};
use racah_core::{Irrep, Irreps, Parity};

/// Per-atom features of one layer, `(atoms, irreps.dim())` row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerOutput<T> {
    /// `"layer 1: A"`, `"layer 1: product"`, `"layer 1: output"`.
    pub name: String,
    /// How one row transforms.
    pub irreps: Irreps,
    /// The values.
    pub values: Vec<T>,
}

/// What a network predicts for one structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction<T> {
    /// One energy per state.
    pub energies: Vec<T>,
    /// Forces −∂E_s/∂x_i, state-major: `forces[s · atoms + i]` (empty when not asked for).
    pub forces: Vec<[T; 3]>,
    /// Intermediate per-atom features (empty unless asked for).
    pub layers: Vec<LayerOutput<T>>,
}

impl Network {
    /// The energies of every state (no forces, no layer features).
    ///
    /// # Errors
    /// [`NetworkError::UnknownSpecies`], [`NetworkError::NonFinite`],
    /// [`NetworkError::SingularCell`], [`NetworkError::CoincidentAtoms`].
    pub fn energies<T: Float>(&self, s: &Structure<T>) -> Result<Vec<T>, NetworkError> {
        let plans = self.plans::<T>()?;
        Ok(self.run(&plans, s, false, None)?.0)
    }

    /// The energies and the per-atom features of every layer (for locating a symmetry
    /// break).
    ///
    /// # Errors
    /// As [`energies`](Self::energies).
    pub fn energies_with_layers<T: Float>(
        &self,
        s: &Structure<T>,
    ) -> Result<Prediction<T>, NetworkError> {
        let plans = self.plans::<T>()?;
        let (energies, layers) = self.run(&plans, s, true, None)?;
        Ok(Prediction {
            energies,
            forces: Vec::new(),
            layers,
        })
    }

    /// Energies and forces F = −∂E/∂x by forward-mode differentiation: one evaluation in
    /// [`Dual<T>`](crate::Dual) per Cartesian coordinate (3·atoms evaluations, in parallel),
    /// so the derivative is that of the computed function, exact up to roundoff. Periodic
    /// cells are held fixed.
    ///
    /// This is the cross-check of [`energies_and_forces`](Self::energies_and_forces) (the
    /// reverse pass): both differentiate the same computation, with roundoff in different
    /// places. It costs 3·atoms passes instead of about 1 + 2·states.
    ///
    /// # Errors
    /// As [`energies`](Self::energies).
    pub fn energies_and_forces_forward_mode<T: Float>(
        &self,
        s: &Structure<T>,
    ) -> Result<Prediction<T>, NetworkError> {
        let plans = self.plans::<Dual<T>>()?;
        let n = s.len();
        let constant = |x: T| Dual::constant(x);
        let base = Structure {
            positions: s.positions.iter().map(|p| p.map(constant)).collect(),
            species: s.species.clone(),
            cell: s.cell.map(|c| c.map(|r| r.map(constant))),
        };
        let energies: Vec<T> = self
            .run(&plans, &base, false, None)?
            .0
            .iter()
            .map(|e| e.re)
            .collect();
        let derivative = |c: usize| -> Result<Vec<T>, NetworkError> {
            let mut st = base.clone();
            st.positions[c / 3][c % 3].eps = T::ONE;
            Ok(self
                .run(&plans, &st, false, None)?
                .0
                .iter()
                .map(|e| e.eps)
                .collect())
        };
        let grads: Vec<Vec<T>> = par_map(3 * n, derivative)?;
        let states = self.spec.states;
        let mut forces = vec![[T::ZERO; 3]; states * n];
        for (c, g) in grads.iter().enumerate() {
            for (st, &d) in g.iter().enumerate() {
                forces[st * n + c / 3][c % 3] = -d;
            }
        }
        Ok(Prediction {
            energies,
            forces,
            layers: Vec::new(),
        })
    }

    /// [`energies`](Self::energies) for a batch of structures, in parallel.
    ///
    /// # Errors
    /// The first error of any structure.
    pub fn energies_batch<T: Float>(
        &self,
        structures: &[Structure<T>],
    ) -> Result<Vec<Vec<T>>, NetworkError> {
        let plans = self.plans::<T>()?;
        par_map(structures.len(), |k| {
            Ok(self.run(&plans, &structures[k], false, None)?.0)
        })
    }

    /// [`energies_and_forces`](Self::energies_and_forces) for a batch of structures, one
    /// after the other (the states of each are differentiated in parallel).
    ///
    /// # Errors
    /// The first error of any structure.
    pub fn energies_and_forces_batch<T: Float>(
        &self,
        structures: &[Structure<T>],
    ) -> Result<Vec<Prediction<T>>, NetworkError> {
        structures
            .iter()
            .map(|s| self.energies_and_forces(s))
            .collect()
    }

    fn species_indices(&self, species: &[u32]) -> Result<Vec<usize>, NetworkError> {
        let known = &self.spec.species;
        species
            .iter()
            .enumerate()
            .map(|(atom, &z)| {
                known
                    .iter()
                    .position(|&k| k == z)
                    .ok_or_else(|| NetworkError::UnknownSpecies {
                        atom,
                        z,
                        known: known.clone(),
                    })
            })
            .collect()
    }

    /// The forward pass; with `tape`, also keeps what the adjoint pass
    /// ([`Tape`]) needs, computing the same values.
    #[allow(clippy::type_complexity)]
    pub(super) fn run<T: Float>(
        &self,
        plans: &Plans<T>,
        s: &Structure<T>,
        record: bool,
        mut tape: Option<&mut Tape<T>>,
    ) -> Result<(Vec<T>, Vec<LayerOutput<T>>), NetworkError> {
        let spec = &self.spec;
        let n = s.len();
        if s.species.len() != n {
            return Err(NetworkError::ShapeMismatch {
                what: "species (one per atom)".into(),
                expected: n,
                got: s.species.len(),
            });
        }
        let species = self.species_indices(&s.species)?;
        let nl = NeighbourList::build(&s.positions, s.cell.as_ref(), spec.cutoff)?;
        let edges = nl.edges();
        let vectors = nl.vectors(&s.positions, s.cell.as_ref());
        let e = edges.len();
        let mut y = vec![T::ZERO; e * plans.sh.dim()];
        let nb = plans.radial.len();
        let mut bessel = vec![T::ZERO; e * nb];
        if let Some(t) = tape.as_deref_mut() {
            t.dy = vec![T::ZERO; 3 * y.len()];
            plans.sh.compute_with_gradients(&vectors, &mut y, &mut t.dy);
            t.dbessel = vec![T::ZERO; e * nb];
            for ((v, b), d) in vectors
                .chunks(3)
                .zip(bessel.chunks_mut(nb))
                .zip(t.dbessel.chunks_mut(nb))
            {
                let r = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
                plans.radial.compute_with_derivatives(r, b, d);
            }
        } else {
            plans.sh.compute(&vectors, &mut y);
            for (v, b) in vectors.chunks(3).zip(bessel.chunks_mut(nb)) {
                let r = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
                plans.radial.compute(r, b);
            }
        }
        let c = spec.channels();
        let mut h: Vec<T> = species
            .iter()
            .flat_map(|&k| plans.embedding[k * c..(k + 1) * c].iter().copied())
            .collect();
        let mut energies: Vec<T> = (0..spec.states)
            .map(|st| {
                species
                    .iter()
                    .map(|&k| T::from_f64(spec.atomic_energies[k][st]))
                    .sum()
            })
            .collect();
        let inv_avg = T::ONE / T::from_f64(spec.avg_num_neighbors);
        let mut recorded = Vec::new();
        for layer in &plans.layers {
            let int = &layer.interaction;
            let h_up = int.up.apply(&h);
            let d_h = layer.h_in.dim();
            let x1: Vec<T> = edges
                .iter()
                .flat_map(|ed| h_up[ed.j * d_h..(ed.j + 1) * d_h].iter().copied())
                .collect();
            let mut radial_pre = Vec::new();
            let w = int
                .radial
                .apply_recording(&bessel, tape.is_some().then_some(&mut radial_pre));
            let m = int
                .tp
                .apply(&x1, &y, Weights::PerSample(&w))
                .map_err(|source| NetworkError::TensorProduct {
                    layer: format!("layer {}", layer.index),
                    source,
                })?;
            let d_m = int.tp.dim_out();
            let mut a_raw = vec![T::ZERO; n * d_m];
            for (ed, row) in edges.iter().zip(m.chunks(d_m.max(1))) {
                for (o, &v) in a_raw[ed.i * d_m..(ed.i + 1) * d_m].iter_mut().zip(row) {
                    *o += v * inv_avg;
                }
            }
            let a = int.down.apply(&a_raw);
            let a_kept = if tape.is_some() {
                a.clone()
            } else {
                Vec::new()
            };
            if record {
                recorded.push(LayerOutput {
                    name: format!("layer {}: A", layer.index),
                    irreps: layer.a_irreps.clone(),
                    values: a.clone(),
                });
            }
            let mut product = Vec::new();
            let mut h_new = match &layer.update {
                Update::Mace {
                    block,
                    w,
                    out,
                    skip,
                } => {
                    let arr = IrrepsArray::new(layer.a_irreps.clone(), n, a)?;
                    let b = block
                        .forward_with_species(&arr, &species, w)
                        .map_err(|source| NetworkError::FusionBlock {
                            layer: format!("layer {}", layer.index),
                            source,
                        })?;
                    if record {
                        recorded.push(LayerOutput {
                            name: format!("layer {}: product", layer.index),
                            irreps: spec.hidden.clone(),
                            values: b.data().to_vec(),
                        });
                    }
                    let mut o = out.apply(b.data());
                    if tape.is_some() {
                        product = b.into_data();
                    }
                    for (x, y) in o.iter_mut().zip(skip.apply(&h)) {
                        *x += y;
                    }
                    o
                }
                Update::Cormorant {
                    self_tp,
                    w_self,
                    lin_self,
                    lin_msg,
                    lin_prod,
                } => {
                    let sq = self_tp
                        .apply(&h, &h, Weights::Shared(w_self))
                        .map_err(|source| NetworkError::TensorProduct {
                            layer: format!("layer {}", layer.index),
                            source,
                        })?;
                    let mut o = lin_self.apply(&h);
                    for (x, y) in o.iter_mut().zip(lin_msg.apply(&a)) {
                        *x += y;
                    }
                    for (x, y) in o.iter_mut().zip(lin_prod.apply(&sq)) {
                        *x += y;
                    }
                    if tape.is_some() {
                        product = sq;
                    }
                    o
                }
            };
            let d_out = spec.hidden.dim();
            let mut pre_gate = None;
            if spec.has_defect(layer.index, DefectKind::NonEquivariantGate) {
                if tape.is_some() {
                    pre_gate = Some(h_new.clone());
                }
                h_new.iter_mut().for_each(|v| *v = silu(*v));
            }
            if spec.has_defect(layer.index, DefectKind::PositionDependent) {
                let off = scalar_offset(&spec.hidden);
                let k = T::from_ratio(1, 64);
                for (i, p) in s.positions.iter().enumerate() {
                    h_new[i * d_out + off] += k * p[0];
                }
            }
            if record {
                recorded.push(LayerOutput {
                    name: format!("layer {}: output", layer.index),
                    irreps: spec.hidden.clone(),
                    values: h_new.clone(),
                });
            }
            let mut readout_pre = Vec::new();
            let per_atom = match &layer.readout {
                Readout::Linear(lw) => lw.apply(&h_new),
                Readout::Mlp { first, second } => {
                    let mut z = first.apply(&h_new);
                    if tape.is_some() {
                        readout_pre = z.clone();
                    }
                    z.iter_mut().for_each(|v| *v = silu(*v));
                    second.apply(&z)
                }
            };
            for row in per_atom.chunks(spec.states) {
                for (e, &v) in energies.iter_mut().zip(row) {
                    *e += v;
                }
            }
            if let Some(t) = tape.as_deref_mut() {
                t.layers.push(LayerTape {
                    h: std::mem::take(&mut h),
                    h_up,
                    x1,
                    radial_pre,
                    w,
                    a_raw,
                    a: a_kept,
                    product,
                    pre_gate,
                    h_new: h_new.clone(),
                    readout_pre,
                });
            }
            h = h_new;
        }
        if let Some(t) = tape {
            t.species = species;
            t.edges = edges.to_vec();
            t.vectors = vectors;
            t.y = y;
        }
        Ok((energies, recorded))
    }
}

/// Offset of the first `0e` channel in a row of `irreps`.
pub(super) fn scalar_offset(irreps: &Irreps) -> usize {
    let scalar = Irrep::l(0, Parity::Even);
    let mut off = 0;
    for t in irreps.iter() {
        if t.irrep == scalar {
            return off;
        }
        off += t.mul * t.irrep.dim();
    }
    0
}

/// `f(0), …, f(n−1)` in parallel (with the `rayon` feature), stopping at the first error.
pub(super) fn par_map<R: Send>(
    n: usize,
    f: impl Fn(usize) -> Result<R, NetworkError> + Sync + Send,
) -> Result<Vec<R>, NetworkError> {
    #[cfg(feature = "rayon")]
    {
        use rayon::prelude::*;
        (0..n).into_par_iter().map(f).collect()
    }
    #[cfg(not(feature = "rayon"))]
    {
        (0..n).map(f).collect()
    }
}
