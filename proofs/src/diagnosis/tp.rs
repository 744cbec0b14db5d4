//! [`TpTable`]: outputs of a Clebsch–Gordan tensor product for given inputs and weights.

use super::compare::Tolerances;
use super::engine::{group_max, numeric_tolerances, Choice, Dimension, Reference, Table};
use super::error::check_finite;
use super::{DiagnosisError, Dtype};
use racah_core::Irreps;
use racah_numeric::{
    ConnectionMode, Instruction, IrrepNormalization, PathNormalization, TensorProduct,
    TensorProductOptions, Weights,
};
use std::cell::OnceCell;

/// The structure of a tensor product: irreps, instructions and normalisation (e3nn's
/// `o3.TensorProduct` arguments).
#[derive(Debug, Clone, PartialEq)]
pub struct TpSpec {
    /// Irreps of the first input.
    pub irreps_in1: Irreps,
    /// Irreps of the second input.
    pub irreps_in2: Irreps,
    /// Irreps of the output.
    pub irreps_out: Irreps,
    /// The paths.
    pub instructions: Vec<Instruction>,
    /// Irrep and path normalisation.
    pub options: TensorProductOptions,
}

impl TpSpec {
    /// The instructions of one connection mode between all terms: every `(i1, i2, i_out)` whose
    /// output irrep is in the product of the inputs (triangle and parity) and whose
    /// multiplicities fit `mode` (so `uvw` gives e3nn's `FullyConnectedTensorProduct`).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::ConnectionMode;
    /// use racah_proofs::diagnosis::TpSpec;
    /// let ir = |s: &str| s.parse::<racah_core::Irreps>().unwrap();
    /// let ins = TpSpec::instructions_for_mode(&ir("2x0e+1x1o"), &ir("1o"), &ir("1x1o+1x0e"),
    ///                                         ConnectionMode::Uvw, true);
    /// assert_eq!(ins.len(), 2); // 0e ⊗ 1o → 1o, 1o ⊗ 1o → 0e
    /// ```
    pub fn instructions_for_mode(
        irreps_in1: &Irreps,
        irreps_in2: &Irreps,
        irreps_out: &Irreps,
        mode: ConnectionMode,
        weighted: bool,
    ) -> Vec<Instruction> {
        let mut out = Vec::new();
        for (i1, t1) in irreps_in1.iter().enumerate() {
            for (i2, t2) in irreps_in2.iter().enumerate() {
                for (io, to) in irreps_out.iter().enumerate() {
                    if !t1.irrep.couples_to(t2.irrep, to.irrep) {
                        continue;
                    }
                    let (m1, m2, mo) = (t1.mul, t2.mul, to.mul);
                    let fits = match mode {
                        ConnectionMode::Uvw => true,
                        ConnectionMode::Uvu => mo == m1,
                        ConnectionMode::Uvv => mo == m2,
                        ConnectionMode::Uuw => m1 == m2 && (weighted || mo == 1),
                        ConnectionMode::Uuu => m1 == m2 && m2 == mo,
                        ConnectionMode::Uvuv => m1.checked_mul(m2) == Some(mo),
                    };
                    if fits && (weighted || mode != ConnectionMode::Uvw) {
                        out.push(Instruction::new(i1, i2, io, mode, weighted));
                    }
                }
            }
        }
        out
    }
}

/// The arrays of a [`TpTable`], row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct TpData {
    /// First input, `(N, dim_in1)`.
    pub x1: Vec<f64>,
    /// Second input, `(N, dim_in2)`.
    pub x2: Vec<f64>,
    /// Weights: `(weight_numel,)` shared or `(N, weight_numel)` per sample; `None` when the
    /// product has no weights.
    pub weights: Option<Vec<f64>>,
    /// The output to check, `(N, dim_out)`.
    pub out: Vec<f64>,
}

/// Per-instruction outputs with √α = 1.
type Parts = Vec<Vec<f64>>;

/// The output of a tensor product (e3nn's `o3.TensorProduct`) on given inputs and weights.
///
/// The reference is racah's f64 kernel ([`TensorProduct::forward`]; coefficients exact and
/// rounded once, sums in f64), rounded to the table's dtype.
///
/// Conventions diagnosed (the stated ones first): candidates are assembled from the output
/// of each instruction alone, `out = Σ_i s_i √α_i out_i`.
///
/// | dimension | options |
/// |---|---|
/// | `irrep-normalization` | stated, then the others of `component`, `norm`, `none` |
/// | `path-normalization` | stated, then the others of `element`, `path`, `none` |
/// | `sign-rule` | `e3nn-0.5`, `e3nn-0.4` (paths (1, l, l), l ≥ 2, and permutations negated) |
///
/// The Condon–Shortley phase and the Cartesian axis order are not dimensions: both change the
/// real basis by a rotation (by π about the polar axis; a cyclic permutation of the axes),
/// which an equivariant product commutes with, so inputs and output written in either basis
/// give the same numbers.
///
/// # Convention
/// `CONVENTIONS.md#tensor-products`, `#real-basis`.
///
/// # Examples
/// ```
/// use racah_numeric::{ConnectionMode, TensorProductOptions};
/// use racah_proofs::diagnosis::{check, CheckOptions, Dtype, TpData, TpSpec, TpTable};
/// let ir = |s: &str| s.parse::<racah_core::Irreps>().unwrap();
/// let (a, b, o) = (ir("1o"), ir("1o"), ir("0e"));
/// let instructions = TpSpec::instructions_for_mode(&a, &b, &o, ConnectionMode::Uuu, false);
/// let spec = TpSpec { irreps_in1: a, irreps_in2: b, irreps_out: o, instructions,
///                     options: TensorProductOptions::default() };
/// // x·y/√3 · √1 (component normalisation of a 0e output)
/// let data = TpData { x1: vec![1.0, 2.0, 3.0], x2: vec![4.0, 5.0, 6.0], weights: None,
///                     out: vec![32.0 / 3f64.sqrt()] };
/// assert!(check(&TpTable::new(spec, data, Dtype::F64)?, &CheckOptions::default())?.passed);
/// # Ok::<(), racah_proofs::diagnosis::DiagnosisError>(())
/// ```
#[derive(Debug)]
pub struct TpTable {
    dtype: Dtype,
    spec: TpSpec,
    data: TpData,
    /// Whether the weights are one vector for the whole batch.
    shared_weights: bool,
    tp: TensorProduct<f64>,
    parts: OnceCell<Parts>,
}

const IRREP_NORMS: [(IrrepNormalization, &str, &str); 3] = [
    (
        IrrepNormalization::Component,
        "component",
        "alpha ~ 2l_out+1 (e3nn default)",
    ),
    (IrrepNormalization::Norm, "norm", "alpha ~ (2l1+1)(2l2+1)"),
    (
        IrrepNormalization::None,
        "none",
        "alpha ~ 1 (bare coupling tensors, Frobenius norm 1)",
    ),
];

const PATH_NORMS: [(PathNormalization, &str, &str); 3] = [
    (
        PathNormalization::Element,
        "element",
        "alpha /= total fan-in of the output (e3nn default)",
    ),
    (
        PathNormalization::Path,
        "path",
        "alpha /= fan-in of the path x number of paths",
    ),
    (PathNormalization::None, "none", "no division by the fan-in"),
];

fn tp_error(e: racah_numeric::TensorProductError) -> DiagnosisError {
    DiagnosisError::TensorProduct {
        message: e.to_string(),
    }
}

/// Whether e3nn < 0.5 had the opposite sign for the path `(l1, l2, l_out)`.
fn old_e3nn_flip(mut l: [u32; 3]) -> bool {
    l.sort_unstable();
    l[0] == 1 && l[1] == l[2] && l[1] >= 2
}

impl TpTable {
    /// A table from the product's structure and its arrays.
    ///
    /// # Errors
    /// [`DiagnosisError::TensorProduct`] if the product cannot be built (bad instruction, …);
    /// [`DiagnosisError::Shape`] if an array does not fit the irreps or the batch (weights must
    /// be `(weight_numel,)` or `(N, weight_numel)`, and present exactly when the product has
    /// weights); [`DiagnosisError::NonFinite`] for NaN or infinite input.
    pub fn new(spec: TpSpec, data: TpData, dtype: Dtype) -> Result<Self, DiagnosisError> {
        let tp = TensorProduct::<f64>::new(
            &spec.irreps_in1,
            &spec.irreps_in2,
            &spec.irreps_out,
            spec.instructions.clone(),
            spec.options,
        )
        .map_err(tp_error)?;
        let (d1, d2, dout) = (tp.dim_in1(), tp.dim_in2(), tp.dim_out());
        let batch = data
            .x1
            .len()
            .checked_div(d1)
            .unwrap_or(data.out.len() / dout.max(1));
        let check = |what: &str, len: usize, dim: usize| {
            if len != batch * dim {
                return Err(DiagnosisError::shape(
                    format!("tp {what}"),
                    format!("({batch}, {dim})"),
                    format!("{len} numbers"),
                ));
            }
            Ok(())
        };
        check("x1", data.x1.len(), d1)?;
        check("x2", data.x2.len(), d2)?;
        check("out", data.out.len(), dout)?;
        let numel = tp.weight_numel();
        match &data.weights {
            None if numel > 0 => {
                return Err(DiagnosisError::shape(
                    "tp weights",
                    format!("({numel},) or ({batch}, {numel})"),
                    "no weights",
                ))
            }
            Some(w) if w.len() != numel && w.len() != batch * numel => {
                return Err(DiagnosisError::shape(
                    "tp weights",
                    format!("({numel},) or ({batch}, {numel})"),
                    format!("{} numbers", w.len()),
                ))
            }
            _ => {}
        }
        check_finite("tp x1", &data.x1)?;
        check_finite("tp x2", &data.x2)?;
        check_finite("tp out", &data.out)?;
        if let Some(w) = &data.weights {
            check_finite("tp weights", w)?;
        }
        let shared_weights = data.weights.as_ref().is_some_and(|w| w.len() == numel);
        Ok(TpTable {
            dtype,
            spec,
            data,
            shared_weights,
            tp,
            parts: OnceCell::new(),
        })
    }

    fn weights_of<'a>(&self, w: &'a Option<Vec<f64>>) -> Weights<'a, f64> {
        match w {
            None => Weights::None,
            Some(w) if self.shared_weights => Weights::Shared(w),
            Some(w) => Weights::PerSample(w),
        }
    }

    /// The output of each instruction alone, with √α = 1.
    fn parts(&self) -> Result<&Parts, DiagnosisError> {
        if let Some(p) = self.parts.get() {
            return Ok(p);
        }
        let (x1, x2) = (&self.data.x1, &self.data.x2);
        let bare = TensorProductOptions {
            irrep_normalization: IrrepNormalization::None,
            path_normalization: PathNormalization::None,
        };
        let numel = self.tp.weight_numel();
        let mut parts = Vec::with_capacity(self.spec.instructions.len());
        for (i, ins) in self.spec.instructions.iter().enumerate() {
            let one = TensorProduct::<f64>::new(
                &self.spec.irreps_in1,
                &self.spec.irreps_in2,
                &self.spec.irreps_out,
                vec![ins.with_path_weight(1.0)],
                bare,
            )
            .map_err(tp_error)?;
            let w: Option<Vec<f64>> = match (&self.data.weights, self.tp.weight_range(i)) {
                (Some(w), Some(r)) if self.shared_weights => Some(w[r].to_vec()),
                (Some(w), Some(r)) => Some(
                    w.chunks_exact(numel)
                        .flat_map(|row| row[r.clone()].to_vec())
                        .collect(),
                ),
                _ => None,
            };
            let weights = match &w {
                None => Weights::None,
                Some(v) if self.shared_weights => Weights::Shared(v),
                Some(v) => Weights::PerSample(v),
            };
            parts.push(one.apply(x1, x2, weights).map_err(tp_error)?);
        }
        Ok(self.parts.get_or_init(|| parts))
    }
}

impl Table for TpTable {
    fn kind(&self) -> &'static str {
        "tp"
    }

    fn dtype(&self) -> Dtype {
        self.dtype
    }

    fn observed(&self) -> &[f64] {
        &self.data.out
    }

    fn label(&self, index: usize) -> String {
        let dout = self.tp.dim_out().max(1);
        let (n, k) = (index / dout, index % dout);
        let irreps = &self.spec.irreps_out;
        for (t, (term, range)) in irreps.iter().zip(irreps.slices()).enumerate() {
            if range.contains(&k) {
                let d = term.irrep.dim().max(1);
                let r = k - range.start;
                return format!(
                    "sample {n}, out[{k}] (term {t}: {term}, channel {}, component {})",
                    r / d,
                    r % d
                );
            }
        }
        format!("sample {n}, out[{k}]")
    }

    fn reference(&self) -> Result<Reference, DiagnosisError> {
        let out = self
            .tp
            .apply(
                &self.data.x1,
                &self.data.x2,
                self.weights_of(&self.data.weights),
            )
            .map_err(tp_error)?;
        Ok(Reference {
            values: out.into_iter().map(|v| self.dtype.round(v)).collect(),
            missing: vec![],
            source: format!(
                "racah's f64 tensor product kernel, rounded to {}",
                self.dtype
            ),
        })
    }

    fn default_tolerances(&self) -> Tolerances {
        numeric_tolerances(self.dtype)
    }

    fn scales(&self, reference: &[f64]) -> Vec<f64> {
        let d = self.tp.dim_out().max(1);
        group_max(
            reference,
            (0..reference.len() / d).map(|n| n * d..(n + 1) * d),
        )
    }

    fn dimensions(&self) -> Vec<Dimension> {
        let order = |given: usize| {
            let mut v = vec![given];
            v.extend((0..3).filter(|&k| k != given));
            v
        };
        let gi = IRREP_NORMS
            .iter()
            .position(|n| n.0 == self.spec.options.irrep_normalization)
            .unwrap_or(0);
        let gp = PATH_NORMS
            .iter()
            .position(|n| n.0 == self.spec.options.path_normalization)
            .unwrap_or(0);
        vec![
            Dimension {
                name: "irrep-normalization",
                options: order(gi)
                    .into_iter()
                    .map(|k| Choice::new(IRREP_NORMS[k].1, IRREP_NORMS[k].2))
                    .collect(),
            },
            Dimension {
                name: "path-normalization",
                options: order(gp)
                    .into_iter()
                    .map(|k| Choice::new(PATH_NORMS[k].1, PATH_NORMS[k].2))
                    .collect(),
            },
            Dimension {
                name: "sign-rule",
                options: vec![
                    Choice::new("e3nn-0.5", "e3nn >= 0.5 coupling signs"),
                    Choice::new(
                        "e3nn-0.4",
                        "e3nn < 0.5 signs: paths (1,l,l), l >= 2, and permutations negated",
                    ),
                ],
            },
        ]
    }

    fn candidate(&self, c: &[usize]) -> Result<Option<Vec<f64>>, DiagnosisError> {
        let order = |given: usize, k: usize| {
            let mut v = vec![given];
            v.extend((0..3).filter(|&x| x != given));
            v[k]
        };
        let gi = IRREP_NORMS
            .iter()
            .position(|n| n.0 == self.spec.options.irrep_normalization)
            .unwrap_or(0);
        let gp = PATH_NORMS
            .iter()
            .position(|n| n.0 == self.spec.options.path_normalization)
            .unwrap_or(0);
        let options = TensorProductOptions {
            irrep_normalization: IRREP_NORMS[order(gi, c[0])].0,
            path_normalization: PATH_NORMS[order(gp, c[1])].0,
        };
        let tp = TensorProduct::<f64>::new(
            &self.spec.irreps_in1,
            &self.spec.irreps_in2,
            &self.spec.irreps_out,
            self.spec.instructions.clone(),
            options,
        )
        .map_err(tp_error)?;
        let parts = self.parts()?;
        let mut out = vec![0.0; self.data.out.len()];
        for (i, (ins, y)) in self.spec.instructions.iter().zip(parts).enumerate() {
            let mut f = tp.path_normalization(i).map_or(0.0, |s| s.to_f64());
            let l = [
                self.spec.irreps_in1[ins.i_in1].irrep,
                self.spec.irreps_in2[ins.i_in2].irrep,
                self.spec.irreps_out[ins.i_out].irrep,
            ]
            .map(|ir| ir.as_l().unwrap_or(0));
            if c[2] == 1 && old_e3nn_flip(l) {
                f = -f;
            }
            for (o, v) in out.iter_mut().zip(y) {
                *o += f * v;
            }
        }
        Ok(Some(out))
    }
}
