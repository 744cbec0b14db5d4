//! Forces by the adjoint (reverse-mode) pass: one forward pass that keeps a [`Tape`], then
//! one backward pass per state.
//!
//! Writing x̄ = ∂E_s/∂x for the adjoint of an intermediate x, the pass runs the layers in
//! reverse and applies the transpose of each step's Jacobian:
//!
//! ```text
//! readout      h̄ᵗ += Readout‾(e_s)                     (Linear‾, or Dense‾ ∘ silu' ∘ Linear‾)
//! defects      x̄_i[0] += k · h̄ᵗ_i[0e₀]   (position-dependent)    h̄ ← h̄ ⊙ silu'(pre)   (gate)
//! MACE         B̄ = Linear_out‾(h̄),  h̄ᵗ⁻¹ += Linear_skip‾(h̄),  Ā = FusionBlock‾(B̄)
//! Cormorant    h̄ᵗ⁻¹ += Linear_self‾(h̄),  Ā = Linear_msg‾(h̄),  h̄ᵗ⁻¹ += TP_uuu‾(Linear_prod‾(h̄))
//! interaction  Ā_raw = Linear_down‾(Ā),  m̄_ij = Ā_raw,i / avg,
//!              (x̄1, Ȳ, w̄)_ij = TP_uvu‾(m̄_ij),  B̄ = MLP‾(w̄),  h̄ᵗ⁻¹ += Linear_up‾(Σ_{i} x̄1_ij)
//! geometry     r̄_ij = Σ_k Ȳ_k ∇Y_k(r_ij) + Σ_n B̄_n B_n'(|r_ij|) r̂_ij
//!              x̄_j += r̄_ij,  x̄_i −= r̄_ij          (r_ij = x_j + shift·cell − x_i)
//! ```
//!
//! and F_s = −x̄. Every step is the exact transpose of the forward step as computed (same
//! coefficients, perturbed ones included), so the result is the derivative of the computed
//! function up to roundoff, like the forward-mode cross-check.

use super::layers::{silu_derivative, Plans, Readout, Update};
use super::spec::DefectKind;
use super::{Edge, Network, NetworkError, Prediction, Structure};
use crate::{Float, IrrepsArray, Weights};

/// What the adjoint pass needs from the forward pass.
#[derive(Debug, Clone, Default)]
pub(super) struct Tape<T> {
    pub(super) species: Vec<usize>,
    pub(super) edges: Vec<Edge>,
    /// Edge vectors `(edges, 3)`.
    pub(super) vectors: Vec<T>,
    /// Spherical harmonics `(edges, dim)` and their gradients `(edges, dim, 3)`.
    pub(super) y: Vec<T>,
    pub(super) dy: Vec<T>,
    /// d/dr of the radial basis, `(edges, num_basis)`.
    pub(super) dbessel: Vec<T>,
    pub(super) layers: Vec<LayerTape<T>>,
}

/// The intermediates of one layer.
#[derive(Debug, Clone, Default)]
pub(super) struct LayerTape<T> {
    /// Input node features.
    pub(super) h: Vec<T>,
    pub(super) h_up: Vec<T>,
    /// Linear_up(h) gathered per edge (neighbour j).
    pub(super) x1: Vec<T>,
    /// Pre-activations of the radial MLP's hidden layers.
    pub(super) radial_pre: Vec<Vec<T>>,
    /// Per-edge weights of the edge product.
    pub(super) w: Vec<T>,
    pub(super) a_raw: Vec<T>,
    pub(super) a: Vec<T>,
    /// The fusion block's output (MACE) or the CG square (Cormorant).
    pub(super) product: Vec<T>,
    /// Input of the non-equivariant gate (only with that defect).
    pub(super) pre_gate: Option<Vec<T>>,
    /// Output node features.
    pub(super) h_new: Vec<T>,
    /// Pre-activation of the readout MLP (last layer).
    pub(super) readout_pre: Vec<T>,
}

impl Network {
    /// Energies and forces F = −∂E/∂x by the adjoint (reverse-mode) pass: one forward pass
    /// that keeps its intermediates, then one backward pass per state (states in parallel),
    /// about 1 + 2·states passes in all instead of the 3·atoms of
    /// [`energies_and_forces_forward_mode`](Self::energies_and_forces_forward_mode), which is
    /// its cross-check. Periodic cells are held fixed. The energies are those of
    /// [`energies`](Self::energies).
    ///
    /// ```text
    /// F_s,i = −∂E_s/∂x_i,   ∂E/∂x_j += ∂E/∂r_ij,   ∂E/∂x_i −= ∂E/∂r_ij   (r_ij = x_j + n·cell − x_i)
    /// ```
    ///
    /// Every component has its adjoint (linear maps, radial MLP and Bessel basis with
    /// envelope, spherical harmonics, the edge and CG-square tensor products, the fusion
    /// block, neighbour sums, SiLU, readouts), and so do the deliberate defects of
    /// [`DefectKind`] (wrong parity is a relabelling, a perturbed
    /// coefficient is used by the product's own backward pass, the gate and the position
    /// term are differentiated), so broken models get their true forces too.
    ///
    /// # Convention
    /// `forces[s · atoms + i]` (state-major), `CONVENTIONS.md#networks`.
    ///
    /// # Errors
    /// As [`energies`](Self::energies).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::network::{Network, Structure};
    /// let net = Network::from_toml_str(r#"
    ///     name = "tiny"
    ///     architecture = "cormorant"
    ///     species = ["H", "O"]
    ///     cutoff = 3.0
    ///     [features]
    ///     hidden = "2x0e+2x1o"
    /// "#)?;
    /// let water = Structure::new(
    ///     vec![[0.0, 0.0, 0.0], [0.96, 0.0, 0.0], [-0.24, 0.93, 0.0]], vec![8, 1, 1], None)?;
    /// let reverse = net.energies_and_forces::<f64>(&water)?;
    /// let forward = net.energies_and_forces_forward_mode::<f64>(&water)?;
    /// assert_eq!(reverse.energies, net.energies(&water)?);
    /// for (a, b) in reverse.forces.iter().flatten().zip(forward.forces.iter().flatten()) {
    ///     assert!((a - b).abs() < 1e-12);
    /// }
    /// # Ok::<(), racah_numeric::network::NetworkError>(())
    /// ```
    pub fn energies_and_forces<T: Float>(
        &self,
        s: &Structure<T>,
    ) -> Result<Prediction<T>, NetworkError> {
        let plans = self.plans::<T>()?;
        let mut tape = Tape::default();
        let (energies, _) = self.run(&plans, s, false, Some(&mut tape))?;
        let n = s.len();
        let grads =
            super::forward::par_map(self.spec.states, |st| self.adjoint(&plans, s, &tape, st))?;
        let mut forces = Vec::with_capacity(self.spec.states * n);
        for g in grads {
            forces.extend(g.into_iter().map(|d| d.map(|v| -v)));
        }
        Ok(Prediction {
            energies,
            forces,
            layers: Vec::new(),
        })
    }

    /// ∂E_state/∂x for every atom, from a tape of the forward pass.
    fn adjoint<T: Float>(
        &self,
        plans: &Plans<T>,
        s: &Structure<T>,
        tape: &Tape<T>,
        state: usize,
    ) -> Result<Vec<[T; 3]>, NetworkError> {
        let spec = &self.spec;
        let n = s.len();
        let states = spec.states;
        let d_out = spec.hidden.dim();
        let e = tape.edges.len();
        let dim_y = plans.sh.dim();
        let nb = plans.radial.len();
        let inv_avg = T::ONE / T::from_f64(spec.avg_num_neighbors);
        let mut gpos = vec![[T::ZERO; 3]; n];
        let mut gvec = vec![T::ZERO; 3 * e];
        // adjoint of the current layer's output, from the layers after it
        let mut hbar = vec![T::ZERO; n * d_out];
        let mut seed = vec![T::ZERO; n * states];
        for row in seed.chunks_mut(states) {
            row[state] = T::ONE;
        }
        for (layer, lt) in plans.layers.iter().zip(&tape.layers).rev() {
            let name = || format!("layer {}", layer.index);
            let add = |acc: &mut [T], g: &[T]| acc.iter_mut().zip(g).for_each(|(a, &b)| *a += b);
            match &layer.readout {
                Readout::Linear(lw) => add(&mut hbar, &lw.backward(&lt.h_new, &seed)),
                Readout::Mlp { first, second } => {
                    let mut gz = second.backward(&seed);
                    for (g, &z) in gz.iter_mut().zip(&lt.readout_pre) {
                        *g *= silu_derivative(z);
                    }
                    add(&mut hbar, &first.backward(&lt.h_new, &gz));
                }
            }
            if spec.has_defect(layer.index, DefectKind::PositionDependent) {
                let off = super::forward::scalar_offset(&spec.hidden);
                let k = T::from_ratio(1, 64);
                for (i, g) in gpos.iter_mut().enumerate() {
                    g[0] += k * hbar[i * d_out + off];
                }
            }
            if let Some(pre) = &lt.pre_gate {
                for (g, &z) in hbar.iter_mut().zip(pre) {
                    *g *= silu_derivative(z);
                }
            }
            let (mut h_in_bar, a_bar) = match &layer.update {
                Update::Mace {
                    block,
                    w,
                    out,
                    skip,
                } => {
                    let b_bar = out.backward(&lt.product, &hbar);
                    let h_in_bar = skip.backward(&lt.h, &hbar);
                    let arr = IrrepsArray::new(layer.a_irreps.clone(), n, lt.a.clone())?;
                    let mut a_bar = vec![T::ZERO; lt.a.len()];
                    block
                        .backward_with_species(&arr, &tape.species, w, &b_bar, &mut a_bar, &mut [])
                        .map_err(|source| NetworkError::FusionBlock {
                            layer: name(),
                            source,
                        })?;
                    (h_in_bar, a_bar)
                }
                Update::Cormorant {
                    self_tp,
                    w_self,
                    lin_self,
                    lin_msg,
                    lin_prod,
                } => {
                    let mut h_in_bar = lin_self.backward(&lt.h, &hbar);
                    let a_bar = lin_msg.backward(&lt.a, &hbar);
                    let sq_bar = lin_prod.backward(&lt.product, &hbar);
                    let mut g1 = vec![T::ZERO; lt.h.len()];
                    let mut g2 = vec![T::ZERO; lt.h.len()];
                    let mut gw = vec![T::ZERO; w_self.len()];
                    self_tp
                        .backward(
                            &lt.h,
                            &lt.h,
                            Weights::Shared(w_self),
                            &sq_bar,
                            &mut g1,
                            &mut g2,
                            &mut gw,
                        )
                        .map_err(|source| NetworkError::TensorProduct {
                            layer: name(),
                            source,
                        })?;
                    add(&mut h_in_bar, &g1);
                    add(&mut h_in_bar, &g2);
                    (h_in_bar, a_bar)
                }
            };
            let int = &layer.interaction;
            let a_raw_bar = int.down.backward(&lt.a_raw, &a_bar);
            let d_m = int.tp.dim_out();
            let mut m_bar = vec![T::ZERO; e * d_m];
            for (ed, row) in tape.edges.iter().zip(m_bar.chunks_mut(d_m.max(1))) {
                for (o, &g) in row.iter_mut().zip(&a_raw_bar[ed.i * d_m..(ed.i + 1) * d_m]) {
                    *o = g * inv_avg;
                }
            }
            let mut gx1 = vec![T::ZERO; lt.x1.len()];
            let mut gy = vec![T::ZERO; tape.y.len()];
            let mut gw = vec![T::ZERO; lt.w.len()];
            int.tp
                .backward(
                    &lt.x1,
                    &tape.y,
                    Weights::PerSample(&lt.w),
                    &m_bar,
                    &mut gx1,
                    &mut gy,
                    &mut gw,
                )
                .map_err(|source| NetworkError::TensorProduct {
                    layer: name(),
                    source,
                })?;
            let g_bessel = int.radial.backward(&gw, &lt.radial_pre);
            for (k, gv) in gvec.chunks_mut(3).enumerate() {
                let v = &tape.vectors[3 * k..3 * k + 3];
                let dy = &tape.dy[3 * dim_y * k..3 * dim_y * (k + 1)];
                for (m, &g) in gy[dim_y * k..dim_y * (k + 1)].iter().enumerate() {
                    for c in 0..3 {
                        gv[c] += g * dy[3 * m + c];
                    }
                }
                let gr = g_bessel[nb * k..nb * (k + 1)]
                    .iter()
                    .zip(&tape.dbessel[nb * k..nb * (k + 1)])
                    .fold(T::ZERO, |acc, (&g, &d)| acc + g * d);
                if gr != T::ZERO {
                    let r = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
                    for c in 0..3 {
                        gv[c] += gr * v[c] / r;
                    }
                }
            }
            let d_h = layer.h_in.dim();
            let mut h_up_bar = vec![T::ZERO; lt.h_up.len()];
            for (ed, g) in tape.edges.iter().zip(gx1.chunks(d_h.max(1))) {
                add(&mut h_up_bar[ed.j * d_h..(ed.j + 1) * d_h], g);
            }
            add(&mut h_in_bar, &int.up.backward(&lt.h, &h_up_bar));
            hbar = h_in_bar;
        }
        for (ed, g) in tape.edges.iter().zip(gvec.chunks(3)) {
            for c in 0..3 {
                gpos[ed.j][c] += g[c];
                gpos[ed.i][c] -= g[c];
            }
        }
        Ok(gpos)
    }
}
