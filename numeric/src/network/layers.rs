//! The building blocks of a network, planned in one element type `T`: dense layers, the
//! radial MLP, the interaction (one-particle basis A), the update (MACE product basis or
//! Cormorant CG products) and the readout.

use super::init::WeightStream;
use super::radial::RadialBasis;
use super::spec::{Architecture, DefectKind, NetworkSpec};
use super::NetworkError;
use crate::{
    ConnectionMode, Float, FusionBlock, FusionBlockOptions, Instruction, LeafOrder, Linear,
    ShNormalization, SphericalHarmonics, TensorProduct, TensorProductOptions, Weights,
};
use racah_core::{Irrep, Irreps, MulIrrep, Parity};

/// SiLU, x·σ(x) = x / (1 + e^(−x)).
pub(crate) fn silu<T: Float>(x: T) -> T {
    x / (T::ONE + (-x).exp())
}

/// SiLU's derivative, σ(x)·(1 + x·(1 − σ(x))) with σ(x) = 1 / (1 + e^(−x)).
pub(crate) fn silu_derivative<T: Float>(x: T) -> T {
    let sigma = T::ONE / (T::ONE + (-x).exp());
    sigma * (T::ONE + x * (T::ONE - sigma))
}

/// y = x W / √n_in (W row-major `(n_in, n_out)`), no bias.
#[derive(Debug, Clone)]
pub(crate) struct Dense<T> {
    pub(crate) n_in: usize,
    pub(crate) n_out: usize,
    w: Vec<T>,
}

impl<T: Float> Dense<T> {
    fn new(n_in: usize, n_out: usize, ws: &mut WeightStream) -> Self {
        let scale = 1.0 / (n_in as f64).sqrt();
        Dense {
            n_in,
            n_out,
            w: ws
                .take(n_in * n_out, scale)
                .into_iter()
                .map(T::from_f64)
                .collect(),
        }
    }

    pub(crate) fn numel(&self) -> usize {
        self.w.len()
    }

    /// `(batch, n_in)` → `(batch, n_out)`.
    pub(crate) fn apply(&self, x: &[T]) -> Vec<T> {
        let batch = x.len() / self.n_in.max(1);
        let mut out = vec![T::ZERO; batch * self.n_out];
        for (xr, or) in x.chunks(self.n_in).zip(out.chunks_mut(self.n_out)) {
            for (xi, wr) in xr.iter().zip(self.w.chunks(self.n_out)) {
                for (o, &w) in or.iter_mut().zip(wr) {
                    *o += *xi * w;
                }
            }
        }
        out
    }

    /// The adjoint: `x̄ = ȳ Wᵀ`, `(batch, n_out)` → `(batch, n_in)`.
    pub(crate) fn backward(&self, g: &[T]) -> Vec<T> {
        let batch = g.len() / self.n_out.max(1);
        let mut out = vec![T::ZERO; batch * self.n_in];
        for (gr, or) in g.chunks(self.n_out).zip(out.chunks_mut(self.n_in)) {
            for (o, wr) in or.iter_mut().zip(self.w.chunks(self.n_out)) {
                *o = dot8(gr, wr);
            }
        }
        out
    }
}

/// Σ a_k b_k with eight independent partial sums (so the loop vectorises), then the tail.
fn dot8<T: Float>(a: &[T], b: &[T]) -> T {
    let mut acc = [T::ZERO; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut tail = T::ZERO;
    for (&x, &y) in ra.iter().zip(rb) {
        tail += x * y;
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
}

/// Dense layers with SiLU between them.
#[derive(Debug, Clone)]
pub(crate) struct Mlp<T> {
    pub(crate) layers: Vec<Dense<T>>,
}

impl<T: Float> Mlp<T> {
    fn new(widths: &[usize], ws: &mut WeightStream) -> Self {
        Mlp {
            layers: widths
                .windows(2)
                .map(|w| Dense::new(w[0], w[1], ws))
                .collect(),
        }
    }

    pub(crate) fn numel(&self) -> usize {
        self.layers.iter().map(Dense::numel).sum()
    }

    /// The MLP's output; with `pre`, also keeps the pre-activations of the hidden layers
    /// (inputs of each SiLU) for [`backward`](Self::backward).
    pub(crate) fn apply_recording(&self, x: &[T], mut pre: Option<&mut Vec<Vec<T>>>) -> Vec<T> {
        let mut h = x.to_vec();
        for (n, l) in self.layers.iter().enumerate() {
            h = l.apply(&h);
            if n + 1 < self.layers.len() {
                if let Some(p) = pre.as_deref_mut() {
                    p.push(h.clone());
                }
                h.iter_mut().for_each(|v| *v = silu(*v));
            }
        }
        h
    }

    /// The adjoint of the input given the output adjoint `g` and the recorded
    /// pre-activations.
    pub(crate) fn backward(&self, g: &[T], pre: &[Vec<T>]) -> Vec<T> {
        let mut g = g.to_vec();
        for (n, l) in self.layers.iter().enumerate().rev() {
            if n + 1 < self.layers.len() {
                for (gv, &z) in g.iter_mut().zip(&pre[n]) {
                    *gv *= silu_derivative(z);
                }
            }
            g = l.backward(&g);
        }
        g
    }
}

/// An e3nn linear map with its weights.
#[derive(Debug, Clone)]
pub(crate) struct LinearW<T> {
    pub(crate) lin: Linear<T>,
    w: Vec<T>,
}

impl<T: Float> LinearW<T> {
    fn new(
        layer: &str,
        irreps_in: &Irreps,
        irreps_out: &Irreps,
        ws: &mut WeightStream,
    ) -> Result<Self, NetworkError> {
        let lin = Linear::new(irreps_in, irreps_out).map_err(|source| tp_err(layer, source))?;
        let w = ws
            .take(lin.weight_numel(), 1.0)
            .into_iter()
            .map(T::from_f64)
            .collect();
        Ok(LinearW { lin, w })
    }

    pub(crate) fn numel(&self) -> usize {
        self.w.len()
    }

    pub(crate) fn apply(&self, x: &[T]) -> Vec<T> {
        self.lin
            .apply(x, Weights::Shared(&self.w), None)
            .expect("planned shapes")
    }

    /// The adjoint of the input, `x̄ = Linear‾(ȳ)` ([`Linear::backward_input`]; `x` only
    /// gives the shape).
    pub(crate) fn backward(&self, x: &[T], g: &[T]) -> Vec<T> {
        let mut gx = vec![T::ZERO; x.len()];
        self.lin
            .backward_input(Weights::Shared(&self.w), g, &mut gx)
            .expect("planned shapes");
        gx
    }
}

fn tp_err(layer: &str, source: crate::TensorProductError) -> NetworkError {
    NetworkError::TensorProduct {
        layer: layer.to_string(),
        source,
    }
}

/// The irreps of the edge spherical harmonics: 1x0e + 1x1o + … up to `lmax`, parity (−1)^l.
pub(crate) fn sh_irreps(lmax: u32) -> Irreps {
    Irreps::spherical_harmonics(lmax)
}

/// `mul × (0e + 1o + 2e + …)` up to `lmax`.
fn harmonic_channels(mul: usize, lmax: u32) -> Irreps {
    let mut out = Irreps::new();
    for l in 0..=lmax {
        out.push(MulIrrep::new(mul, Irrep::harmonic(l)));
    }
    out
}

/// The interaction (the down projection reads the product's output by `read_as`, which a
/// deliberately wrong parity relabels): A_i = Linear( Σ_j TP_uvu(Linear(h)_j, Y(r̂_ij); MLP(B(r_ij))) / avg ).
#[derive(Debug, Clone)]
pub(crate) struct Interaction<T> {
    pub(crate) up: LinearW<T>,
    pub(crate) tp: TensorProduct<T>,
    pub(crate) radial: Mlp<T>,
    pub(crate) down: LinearW<T>,
}

/// How node features are updated from A.
#[derive(Debug, Clone)]
pub(crate) enum Update<T: Float> {
    /// MACE: h' = Linear(FusionBlock_ν(A; species)) + Linear(h).
    Mace {
        block: FusionBlock<T>,
        w: Vec<T>,
        out: LinearW<T>,
        skip: LinearW<T>,
    },
    /// Cormorant: h' = Linear(h) + Linear(A) + Linear(TP_uuu(h, h)).
    Cormorant {
        self_tp: TensorProduct<T>,
        w_self: Vec<T>,
        lin_self: LinearW<T>,
        lin_msg: LinearW<T>,
        lin_prod: LinearW<T>,
    },
}

/// Per-atom energies from the node features.
#[derive(Debug, Clone)]
pub(crate) enum Readout<T> {
    /// Linear(h → states × 0e).
    Linear(LinearW<T>),
    /// Linear(h → hidden × 0e), SiLU, Dense(hidden → states).
    Mlp { first: LinearW<T>, second: Dense<T> },
}

/// One message-passing layer.
#[derive(Debug, Clone)]
pub(crate) struct Layer<T: Float> {
    pub(crate) index: usize,
    pub(crate) h_in: Irreps,
    pub(crate) a_irreps: Irreps,
    pub(crate) interaction: Interaction<T>,
    pub(crate) update: Update<T>,
    pub(crate) readout: Readout<T>,
}

/// Every planned component of a network in `T`.
#[derive(Debug, Clone)]
pub(crate) struct Plans<T: Float> {
    pub(crate) sh: SphericalHarmonics<T>,
    pub(crate) radial: RadialBasis,
    pub(crate) embedding: Vec<T>,
    pub(crate) layers: Vec<Layer<T>>,
}

impl<T: Float> Plans<T> {
    pub(crate) fn build(spec: &NetworkSpec) -> Result<Self, NetworkError> {
        let mut ws = WeightStream::new(spec.seed);
        let c = spec.channels();
        let embedding = ws
            .take(spec.species.len() * c, 1.0)
            .into_iter()
            .map(T::from_f64)
            .collect();
        let mut h_in: Irreps = format!("{c}x0e").parse().expect("valid irreps");
        let sh = sh_irreps(spec.sh_lmax);
        let mut layers = Vec::with_capacity(spec.layers);
        for t in 1..=spec.layers {
            let name = format!("layer {t}");
            let a_irreps = match spec.architecture {
                Architecture::Mace => harmonic_channels(c, spec.sh_lmax),
                Architecture::Cormorant => spec.hidden.clone(),
            };
            let interaction = interaction(spec, t, &name, &h_in, &sh, &a_irreps, &mut ws)?;
            let update = match spec.architecture {
                Architecture::Mace => {
                    let block = FusionBlock::build(
                        &a_irreps,
                        spec.correlation,
                        &spec.hidden,
                        FusionBlockOptions::new(LeafOrder::Sorted, spec.parsimonious),
                        spec.species.len(),
                    )
                    .map_err(|source| NetworkError::FusionBlock {
                        layer: name.clone(),
                        source,
                    })?;
                    let w = ws
                        .take(block.weight_numel(), 1.0)
                        .into_iter()
                        .map(T::from_f64)
                        .collect();
                    Update::Mace {
                        out: LinearW::new(&name, &spec.hidden, &spec.hidden, &mut ws)?,
                        skip: LinearW::new(&name, &h_in, &spec.hidden, &mut ws)?,
                        block,
                        w,
                    }
                }
                Architecture::Cormorant => {
                    let self_tp = self_product(&name, &h_in, &spec.hidden)?;
                    let w_self = ws
                        .take(self_tp.weight_numel(), 1.0)
                        .into_iter()
                        .map(T::from_f64)
                        .collect();
                    let tp_out = self_tp.irreps_out().clone();
                    Update::Cormorant {
                        lin_self: LinearW::new(&name, &h_in, &spec.hidden, &mut ws)?,
                        lin_msg: LinearW::new(&name, &a_irreps, &spec.hidden, &mut ws)?,
                        lin_prod: LinearW::new(&name, &tp_out, &spec.hidden, &mut ws)?,
                        self_tp,
                        w_self,
                    }
                }
            };
            let states: Irreps = format!("{}x0e", spec.states).parse().expect("valid");
            let readout = if t < spec.layers {
                Readout::Linear(LinearW::new(&name, &spec.hidden, &states, &mut ws)?)
            } else {
                let hidden: Irreps = format!("{}x0e", spec.readout.hidden)
                    .parse()
                    .expect("valid");
                Readout::Mlp {
                    first: LinearW::new(&name, &spec.hidden, &hidden, &mut ws)?,
                    second: Dense::new(spec.readout.hidden, spec.states, &mut ws),
                }
            };
            layers.push(Layer {
                index: t,
                h_in: h_in.clone(),
                a_irreps,
                interaction,
                update,
                readout,
            });
            h_in = spec.hidden.clone();
        }
        let sh = SphericalHarmonics::new(spec.sh_lmax, ShNormalization::Component, true)?;
        let radial = RadialBasis::new(
            spec.radial.num_basis,
            spec.cutoff,
            spec.radial.envelope_exponent,
        );
        Ok(Plans {
            sh,
            radial,
            embedding,
            layers,
        })
    }
}

fn interaction<T: Float>(
    spec: &NetworkSpec,
    t: usize,
    name: &str,
    h_in: &Irreps,
    sh: &Irreps,
    a_irreps: &Irreps,
    ws: &mut WeightStream,
) -> Result<Interaction<T>, NetworkError> {
    let up = LinearW::new(name, h_in, h_in, ws)?;
    let wrong_parity = spec.has_defect(t, DefectKind::WrongParity);
    let mut filter = a_irreps.clone();
    if wrong_parity {
        // also produce the other parity of every A irrep, to be read as the right one
        for term in a_irreps.iter() {
            filter.push(MulIrrep::new(1, flip(term.irrep)));
        }
    }
    let mut tp = TensorProduct::channel_wise(h_in, sh, &filter).map_err(|e| tp_err(name, e))?;
    let read_as: Irreps = {
        let mut out = Irreps::new();
        for term in tp.irreps_out().iter() {
            let irrep = if a_irreps.contains(term.irrep) {
                term.irrep
            } else {
                flip(term.irrep)
            };
            out.push(MulIrrep::new(term.mul, irrep));
        }
        out
    };
    if wrong_parity && read_as == *tp.irreps_out() {
        return Err(NetworkError::Spec {
            field: "defects".into(),
            message: format!(
                "wrong-parity in layer {t} has no effect: {h_in} ⊗ {sh} has no path of the other parity"
            ),
        });
    }
    if spec.has_defect(t, DefectKind::PerturbedCg) {
        let target = (0..tp.instructions().len())
            .find(|&n| {
                let ins = tp.instructions()[n];
                tp.irreps_out()[ins.i_out].irrep.dim() > 1
                    && tp.path_coefficients(n).is_some_and(|c| !c.is_empty())
            })
            .ok_or_else(|| NetworkError::Spec {
                field: "defects".into(),
                message: format!("perturbed-cg in layer {t}: no path with l > 0 to perturb"),
            })?;
        tp.perturb_coefficient(target, 0, 1e-6)
            .map_err(|e| tp_err(name, e))?;
    }
    let mut widths = vec![spec.radial.num_basis];
    widths.extend_from_slice(&spec.radial.hidden);
    widths.push(tp.weight_numel());
    let radial = Mlp::new(&widths, ws);
    let down = LinearW::new(name, &read_as, a_irreps, ws)?;
    Ok(Interaction {
        up,
        tp,
        radial,
        down,
    })
}

fn flip(ir: Irrep) -> Irrep {
    let p = match ir.parity() {
        Parity::Even => Parity::Odd,
        Parity::Odd => Parity::Even,
    };
    Irrep::new(ir.j(), p)
}

/// Cormorant's channel-wise CG square: for every pair of terms of `h` and every output irrep
/// of `hidden` they couple to, z_u = Σ C x_u ⊗ x_u (mode uuu, one weight per channel).
fn self_product<T: Float>(
    name: &str,
    h: &Irreps,
    hidden: &Irreps,
) -> Result<TensorProduct<T>, NetworkError> {
    let mut out = Irreps::new();
    let mut ins = Vec::new();
    for (i1, t1) in h.iter().enumerate() {
        for (i2, t2) in h.iter().enumerate().skip(i1) {
            for to in hidden.iter() {
                if t1.irrep.couples_to(t2.irrep, to.irrep) && t1.mul == t2.mul {
                    ins.push(Instruction::new(
                        i1,
                        i2,
                        out.len(),
                        ConnectionMode::Uuu,
                        true,
                    ));
                    out.push(MulIrrep::new(t1.mul, to.irrep));
                }
            }
        }
    }
    TensorProduct::new(h, h, &out, ins, TensorProductOptions::default())
        .map_err(|e| tp_err(name, e))
}

/// Parameters per component of one layer, for reports.
pub(crate) fn layer_parameters<T: Float>(l: &Layer<T>) -> Vec<(String, usize)> {
    let i = &l.interaction;
    let mut out = vec![
        ("interaction: linear up".to_string(), i.up.numel()),
        ("interaction: radial MLP".to_string(), i.radial.numel()),
        ("interaction: linear down".to_string(), i.down.numel()),
    ];
    match &l.update {
        Update::Mace {
            w, out: o, skip, ..
        } => {
            out.push(("product: fusion block".to_string(), w.len()));
            out.push(("product: linear".to_string(), o.numel()));
            out.push(("skip: linear".to_string(), skip.numel()));
        }
        Update::Cormorant {
            w_self,
            lin_self,
            lin_msg,
            lin_prod,
            ..
        } => {
            out.push(("CG square: weights".to_string(), w_self.len()));
            out.push((
                "update: linears".to_string(),
                lin_self.numel() + lin_msg.numel() + lin_prod.numel(),
            ));
        }
    }
    let r = match &l.readout {
        Readout::Linear(lw) => lw.numel(),
        Readout::Mlp { first, second } => first.numel() + second.numel(),
    };
    out.push(("readout".to_string(), r));
    out
}
