//! Building a [`TensorProduct`]: validating instructions, the exact normalisation of each path,
//! and e3nn's convenience constructors.

use super::coeffs::{path_coefficients, CgCache};
use super::{
    ConnectionMode, GemmGroup, Instruction, IrrepNormalization, PathNormalization, PathPlan,
    TensorProduct, TensorProductError, TensorProductOptions,
};
use crate::Float;
use racah_core::{Irreps, MulIrrep};
use racah_exact::SqrtRational;

/// Smallest `mul1·mul2` and `mul_out` for which a shared-weight `Uvw` path runs as a matrix
/// product (nalgebra uses matrixmultiply above 5×5).
const GEMM_MIN_DIM: usize = 6;

/// A term's `(offset, mul, 2l+1)` in a row.
pub(crate) type Block = (usize, usize, usize);

/// The blocks of an irreps, rejecting half-integer spins and overflowing dimensions.
pub(crate) fn blocks_of(
    irreps: &Irreps,
    which: &'static str,
) -> Result<(Vec<Block>, usize), TensorProductError> {
    let mut off = 0usize;
    let mut blocks = Vec::with_capacity(irreps.len());
    for (term, t) in irreps.iter().enumerate() {
        if t.irrep.as_l().is_none() {
            return Err(TensorProductError::HalfIntegerIrrep {
                which,
                term,
                mul_irrep: t.to_string(),
            });
        }
        let dim = t
            .checked_dim()
            .ok_or_else(|| TensorProductError::Overflow {
                what: format!("dimension of {t}"),
            })?;
        blocks.push((off, t.mul, t.irrep.dim()));
        off = off
            .checked_add(dim)
            .ok_or_else(|| TensorProductError::Overflow {
                what: format!("dimension of {which}"),
            })?;
    }
    Ok((blocks, off))
}

/// `v = m·2^e` with `m` odd, for finite `v > 0`.
fn split_dyadic(v: f64) -> (u64, i32) {
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    };
    let tz = m.trailing_zeros();
    (m >> tz, e + tz as i32)
}

/// √(num/den · path_weight) exactly, `path_weight` a finite f64 ≥ 0 (every f64 is a dyadic
/// rational, so α is an exact rational).
fn exact_norm(
    instruction: usize,
    num: u64,
    den: u64,
    path_weight: f64,
) -> Result<SqrtRational, TensorProductError> {
    let bad = || TensorProductError::PathWeight {
        instruction,
        value: path_weight,
    };
    if !path_weight.is_finite() || path_weight < 0.0 {
        return Err(bad());
    }
    if path_weight == 0.0 || num == 0 {
        return Ok(SqrtRational::ZERO);
    }
    let (m, e) = split_dyadic(path_weight);
    // 2^e = 2^(e mod 2) · 4^⌊e/2⌋, and √(4^h) = 2^h
    let (h, odd) = (e.div_euclid(2), e.rem_euclid(2) as u64);
    if h.abs() > 60 {
        return Err(bad());
    }
    let radicand = num
        .checked_mul(m)
        .and_then(|v| v.checked_mul(1 + odd))
        .ok_or_else(bad)?;
    let root =
        SqrtRational::sqrt_of_ratio(radicand, den).map_err(|e| TensorProductError::Exact {
            instruction,
            message: e.to_string(),
        })?;
    let pow2 = if h >= 0 {
        SqrtRational::rational(1i64 << h, 1)
    } else {
        SqrtRational::rational(1, 1i64 << (-h))
    };
    Ok(&root * &pow2)
}

/// The multiplicity rule of a mode, or `None` if the multiplicities fit.
fn multiplicity_rule(
    ins: &Instruction,
    mul1: usize,
    mul2: usize,
    mul_out: usize,
) -> Option<&'static str> {
    match ins.mode {
        ConnectionMode::Uvw => None,
        ConnectionMode::Uvu => (mul_out != mul1).then_some("mul_out = mul1"),
        ConnectionMode::Uvv => (mul_out != mul2).then_some("mul_out = mul2"),
        ConnectionMode::Uuw if mul1 != mul2 => Some("mul1 = mul2"),
        ConnectionMode::Uuw => {
            (!ins.has_weight && mul_out != 1).then_some("mul_out = 1 without weights")
        }
        ConnectionMode::Uuu => (mul1 != mul2 || mul2 != mul_out).then_some("mul1 = mul2 = mul_out"),
        ConnectionMode::Uvuv => {
            (mul1.checked_mul(mul2) != Some(mul_out)).then_some("mul_out = mul1·mul2")
        }
    }
}

fn overflow(what: &str) -> TensorProductError {
    TensorProductError::Overflow {
        what: what.to_string(),
    }
}

impl<T: Float> TensorProduct<T> {
    /// A tensor product with explicit instructions (e3nn's `o3.TensorProduct`).
    ///
    /// Checks every instruction (indices in range, `out ∈ in1 ⊗ in2` by triangle and parity,
    /// multiplicities fitting the mode, `Uvw` weighted, path weight finite and ≥ 0), computes
    /// each path's normalisation √α exactly and its coefficients `C·√α` rounded once from the
    /// exact value.
    ///
    /// ```text
    /// α = f_irrep(l1, l2, l_out) / f_path(instruction) · path_weight
    /// ```
    ///
    /// # Convention
    /// e3nn's instruction semantics and normalisation (`CONVENTIONS.md#tensor-products`).
    ///
    /// # Errors
    /// [`TensorProductError::IndexOutOfRange`], [`TensorProductError::Selection`],
    /// [`TensorProductError::Multiplicity`], [`TensorProductError::MissingWeight`],
    /// [`TensorProductError::PathWeight`], [`TensorProductError::HalfIntegerIrrep`],
    /// [`TensorProductError::Overflow`], [`TensorProductError::Exact`]; each names the
    /// offending instruction.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{ConnectionMode, Instruction, TensorProduct, TensorProductError};
    /// let ir = |s: &str| s.parse::<racah_core::Irreps>().unwrap();
    /// // z_u = x_u × y_u (16 cross products)
    /// let ins = vec![Instruction::new(0, 0, 0, ConnectionMode::Uuu, false)];
    /// let tp = TensorProduct::<f64>::new(&ir("16x1o"), &ir("16x1o"), &ir("16x1e"), ins,
    ///                                    Default::default())?;
    /// assert_eq!(tp.weight_numel(), 0);
    /// let bad = vec![Instruction::new(0, 0, 0, ConnectionMode::Uuu, false)];
    /// let err = TensorProduct::<f64>::new(&ir("1o"), &ir("1o"), &ir("1o"), bad, Default::default());
    /// assert!(matches!(err, Err(TensorProductError::Selection { instruction: 0, .. })));
    /// # Ok::<(), TensorProductError>(())
    /// ```
    pub fn new(
        irreps_in1: &Irreps,
        irreps_in2: &Irreps,
        irreps_out: &Irreps,
        instructions: Vec<Instruction>,
        options: TensorProductOptions,
    ) -> Result<Self, TensorProductError> {
        let (blocks1, dim1) = blocks_of(irreps_in1, "irreps_in1")?;
        let (blocks2, dim2) = blocks_of(irreps_in2, "irreps_in2")?;
        let (blocks_out, dim_out) = blocks_of(irreps_out, "irreps_out")?;

        // structure
        let mut fan_in = Vec::with_capacity(instructions.len());
        for (n, ins) in instructions.iter().enumerate() {
            let check = |field, index, len| {
                if index >= len {
                    return Err(TensorProductError::IndexOutOfRange {
                        instruction: n,
                        field,
                        index,
                        len,
                    });
                }
                Ok(())
            };
            check("i_in1", ins.i_in1, irreps_in1.len())?;
            check("i_in2", ins.i_in2, irreps_in2.len())?;
            check("i_out", ins.i_out, irreps_out.len())?;
            let (t1, t2, to) = (
                irreps_in1[ins.i_in1],
                irreps_in2[ins.i_in2],
                irreps_out[ins.i_out],
            );
            if !t1.irrep.couples_to(t2.irrep, to.irrep) {
                return Err(TensorProductError::Selection {
                    instruction: n,
                    in1: t1.irrep.to_string(),
                    in2: t2.irrep.to_string(),
                    out: to.irrep.to_string(),
                });
            }
            if ins.mode == ConnectionMode::Uvw && !ins.has_weight {
                return Err(TensorProductError::MissingWeight {
                    instruction: n,
                    mode: ins.mode.as_str(),
                });
            }
            if let Some(rule) = multiplicity_rule(ins, t1.mul, t2.mul, to.mul) {
                return Err(TensorProductError::Multiplicity {
                    instruction: n,
                    mode: ins.mode.as_str(),
                    rule,
                    mul1: t1.mul,
                    mul2: t2.mul,
                    mul_out: to.mul,
                });
            }
            if !ins.path_weight.is_finite() || ins.path_weight < 0.0 {
                return Err(TensorProductError::PathWeight {
                    instruction: n,
                    value: ins.path_weight,
                });
            }
            let f = match ins.mode {
                ConnectionMode::Uvw => t1
                    .mul
                    .checked_mul(t2.mul)
                    .ok_or_else(|| overflow("fan-in"))?,
                m => m.fan_in(t1.mul, t2.mul),
            };
            fan_in.push(f as u64);
        }

        // normalisation, coefficients and weight layout
        let mut cache = CgCache::default();
        let mut paths = Vec::with_capacity(instructions.len());
        let mut weight_numel = 0usize;
        let mut max_unit = 0usize;
        for (n, ins) in instructions.iter().enumerate() {
            let (t1, t2, to) = (
                irreps_in1[ins.i_in1],
                irreps_in2[ins.i_in2],
                irreps_out[ins.i_out],
            );
            let l = [t1.irrep, t2.irrep, to.irrep].map(|ir| ir.as_l().unwrap_or(0));
            let (d1, d2, d_out) = (t1.irrep.dim(), t2.irrep.dim(), to.irrep.dim());
            let f_irrep = match options.irrep_normalization {
                IrrepNormalization::Component => d_out as u64,
                IrrepNormalization::Norm => (d1 as u64)
                    .checked_mul(d2 as u64)
                    .ok_or_else(|| overflow("d1·d2"))?,
                IrrepNormalization::None => 1,
            };
            let same_out = instructions
                .iter()
                .zip(&fan_in)
                .filter(|(o, _)| o.i_out == ins.i_out);
            let f_path = match options.path_normalization {
                PathNormalization::Element => {
                    same_out.map(|(_, &f)| f).try_fold(0u64, u64::checked_add)
                }
                PathNormalization::Path => fan_in[n].checked_mul(same_out.count() as u64),
                PathNormalization::None => Some(1),
            }
            .ok_or_else(|| overflow("path normalisation"))?;
            let norm = exact_norm(n, f_irrep, f_path.max(1), ins.path_weight)?;
            let cg = cache.get(l).map_err(|e| TensorProductError::Exact {
                instruction: n,
                message: e.to_string(),
            })?;
            let coeffs = path_coefficients::<T>(cg, &norm);
            let w_len = ins
                .mode
                .weight_shape(t1.mul, t2.mul, to.mul)
                .iter()
                .try_fold(1usize, |a, &b| a.checked_mul(b))
                .ok_or_else(|| overflow("weight count"))?;
            let w_off = weight_numel;
            if ins.has_weight {
                weight_numel = weight_numel
                    .checked_add(w_len)
                    .ok_or_else(|| overflow("weight_numel"))?;
            } else {
                max_unit = max_unit.max(w_len);
            }
            paths.push(PathPlan {
                mode: ins.mode,
                has_weight: ins.has_weight,
                mul1: t1.mul,
                mul2: t2.mul,
                mul_out: to.mul,
                d1,
                d2,
                d_out,
                off1: blocks1[ins.i_in1].0,
                off2: blocks2[ins.i_in2].0,
                off_out: blocks_out[ins.i_out].0,
                w_off: if ins.has_weight { w_off } else { 0 },
                w_len,
                norm,
                coeffs,
            });
        }

        let (gemm_groups, in_gemm) = gemm_groups(&instructions, &paths);
        Ok(TensorProduct {
            irreps_in1: irreps_in1.clone(),
            irreps_in2: irreps_in2.clone(),
            irreps_out: irreps_out.clone(),
            instructions,
            options,
            paths,
            dim1,
            dim2,
            dim_out,
            weight_numel,
            unit_weights: vec![T::ONE; max_unit],
            gemm_groups,
            in_gemm,
            blocks1,
            blocks2,
            blocks_out,
        })
    }

    /// e3nn's `FullyConnectedTensorProduct`: a weighted `Uvw` instruction for every
    /// `(i1, i2, i_out)` with `out ∈ in1 ⊗ in2`, in that loop order, default normalisation.
    /// The irreps are used as given (not simplified).
    ///
    /// # Errors
    /// As [`TensorProduct::new`].
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::TensorProduct;
    /// let x: racah_core::Irreps = "16x0e + 16x1o + 16x2e".parse()?;
    /// let tp = TensorProduct::<f32>::fully_connected(&x, &x, &x)?;
    /// assert_eq!(tp.instructions().len(), 11);
    /// assert_eq!(tp.weight_numel(), 11 * 16 * 16 * 16);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fully_connected(
        irreps_in1: &Irreps,
        irreps_in2: &Irreps,
        irreps_out: &Irreps,
    ) -> Result<Self, TensorProductError> {
        let mut instructions = Vec::new();
        for (i1, t1) in irreps_in1.iter().enumerate() {
            for (i2, t2) in irreps_in2.iter().enumerate() {
                for (io, to) in irreps_out.iter().enumerate() {
                    if t1.irrep.couples_to(t2.irrep, to.irrep) {
                        instructions.push(Instruction::new(i1, i2, io, ConnectionMode::Uvw, true));
                    }
                }
            }
        }
        Self::new(
            irreps_in1,
            irreps_in2,
            irreps_out,
            instructions,
            TensorProductOptions::default(),
        )
    }

    /// The channel-wise ("convolution") product of NequIP and MACE: every `out ∈ in1 ⊗ in2`
    /// that `filter_out` contains becomes an output term `mul1 × out` fed by one weighted
    /// `Uvu` instruction; the output terms are then sorted (not simplified). Weights are
    /// usually per sample (per edge, from a radial network).
    ///
    /// # Convention
    /// MACE's `tp_out_irreps_with_instructions` / NequIP's `tp_path_exists` pattern with
    /// e3nn's `TensorProduct` (`CONVENTIONS.md#tensor-products`); see
    /// [`channel_wise_instructions`].
    ///
    /// # Errors
    /// As [`TensorProduct::new`].
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::TensorProduct;
    /// let tp = TensorProduct::<f32>::channel_wise(
    ///     &"32x0e + 32x1o + 32x2e".parse()?, &"0e + 1o + 2e".parse()?, &"0e + 1o + 2e".parse()?)?;
    /// assert_eq!(tp.instructions().len(), 11);
    /// assert_eq!(tp.weight_numel(), 11 * 32);
    /// assert_eq!(tp.irreps_out().to_string(),
    ///     "32x0e+32x0e+32x0e+32x1o+32x1o+32x1o+32x1o+32x2e+32x2e+32x2e+32x2e");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn channel_wise(
        irreps_in1: &Irreps,
        irreps_in2: &Irreps,
        filter_out: &Irreps,
    ) -> Result<Self, TensorProductError> {
        let (out, instructions) = channel_wise_instructions(irreps_in1, irreps_in2, filter_out);
        Self::new(
            irreps_in1,
            irreps_in2,
            &out,
            instructions,
            TensorProductOptions::default(),
        )
    }

    /// e3nn's `ElementwiseTensorProduct`: inputs simplified, terms split so that channel `u`
    /// of one input meets channel `u` of the other, and one unweighted `Uuu` instruction per
    /// term pair and output irrep (output terms in that order, not sorted).
    ///
    /// # Errors
    /// [`TensorProductError::ElementwiseMismatch`] if the inputs have different numbers of
    /// irreps; otherwise as [`TensorProduct::new`].
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::TensorProduct;
    /// let tp = TensorProduct::<f64>::elementwise(&"2x0e + 1o".parse()?, &"1o + 2x1e".parse()?)?;
    /// assert_eq!(tp.irreps_in1().to_string(), "1x0e+1x0e+1x1o");
    /// assert_eq!(tp.irreps_in2().to_string(), "1x1o+1x1e+1x1e");
    /// assert_eq!(tp.irreps_out().to_string(), "1x1o+1x1e+1x0o+1x1o+1x2o");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn elementwise(
        irreps_in1: &Irreps,
        irreps_in2: &Irreps,
    ) -> Result<Self, TensorProductError> {
        let (a, b) = (irreps_in1.simplify(), irreps_in2.simplify());
        let (num1, num2) = (a.num_irreps(), b.num_irreps());
        if num1 != num2 {
            return Err(TensorProductError::ElementwiseMismatch { num1, num2 });
        }
        let (mut a, mut b) = (a.into_vec(), b.into_vec());
        let mut i = 0;
        while i < a.len() && i < b.len() {
            let (m1, m2) = (a[i].mul, b[i].mul);
            if m1 < m2 {
                b[i].mul = m1;
                b.insert(i + 1, MulIrrep::new(m2 - m1, b[i].irrep));
            } else if m2 < m1 {
                a[i].mul = m2;
                a.insert(i + 1, MulIrrep::new(m1 - m2, a[i].irrep));
            }
            i += 1;
        }
        let mut out = Vec::new();
        let mut instructions = Vec::new();
        for (i, (ta, tb)) in a.iter().zip(&b).enumerate() {
            for ir in ta.irrep.tensor(tb.irrep) {
                instructions.push(Instruction::new(
                    i,
                    i,
                    out.len(),
                    ConnectionMode::Uuu,
                    false,
                ));
                out.push(MulIrrep::new(ta.mul, ir));
            }
        }
        let (a, b): (Irreps, Irreps) = (a.into(), b.into());
        Self::new(
            &a,
            &b,
            &out.into(),
            instructions,
            TensorProductOptions::default(),
        )
    }

    /// e3nn's `FullTensorProduct`: inputs simplified, one unweighted `Uvuv` instruction per
    /// term pair and output irrep, output terms `mul1·mul2 × out` sorted (not simplified).
    ///
    /// # Errors
    /// [`TensorProductError::Overflow`] if a multiplicity overflows; otherwise as
    /// [`TensorProduct::new`].
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::TensorProduct;
    /// let tp = TensorProduct::<f64>::full(&"2x1o".parse()?, &"3x1o".parse()?)?;
    /// assert_eq!(tp.irreps_out().to_string(), "6x0e+6x1e+6x2e");
    /// assert_eq!(tp.dim_out(), 6 * 9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn full(irreps_in1: &Irreps, irreps_in2: &Irreps) -> Result<Self, TensorProductError> {
        let paths =
            racah_core::tensor_product_paths(irreps_in1, irreps_in2, None).map_err(|e| {
                TensorProductError::Overflow {
                    what: e.to_string(),
                }
            })?;
        let mut out = vec![None; paths.len()];
        for p in &paths {
            out[p.i_out] = Some(MulIrrep::new(p.mul, p.out));
        }
        let out: Irreps = out.into_iter().flatten().collect();
        let instructions = paths
            .iter()
            .map(|p| Instruction::new(p.i_in1, p.i_in2, p.i_out, ConnectionMode::Uvuv, false))
            .collect();
        Self::new(
            &irreps_in1.simplify(),
            &irreps_in2.simplify(),
            &out,
            instructions,
            TensorProductOptions::default(),
        )
    }
}

/// The output irreps and instructions of the channel-wise product of
/// [`TensorProduct::channel_wise`], for use with other options in [`TensorProduct::new`].
///
/// For each term `(mul, ir1)` of `irreps_in1`, each term `(_, ir2)` of `irreps_in2` and each
/// `out ∈ ir1 ⊗ ir2` by increasing `l` with `out` in `filter_out` (multiplicities ignored):
/// an output term `mul × out` and an instruction `(i1, i2, i_out, Uvu, weighted)`; the outputs
/// are then sorted stably and the instructions re-indexed.
///
/// # Examples
/// ```
/// use racah_numeric::channel_wise_instructions;
/// let (out, ins) = channel_wise_instructions(
///     &"4x0e + 4x1o".parse()?, &"0e + 1o".parse()?, &"0e + 1o".parse()?);
/// assert_eq!(out.to_string(), "4x0e+4x0e+4x1o+4x1o");
/// assert_eq!((ins[1].i_in1, ins[1].i_in2, ins[1].i_out), (0, 1, 2)); // 0e ⊗ 1o → 1o
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn channel_wise_instructions(
    irreps_in1: &Irreps,
    irreps_in2: &Irreps,
    filter_out: &Irreps,
) -> (Irreps, Vec<Instruction>) {
    let mut out = Vec::new();
    let mut raw = Vec::new();
    for (i1, t1) in irreps_in1.iter().enumerate() {
        for (i2, t2) in irreps_in2.iter().enumerate() {
            for ir in t1.irrep.tensor(t2.irrep) {
                if filter_out.contains(ir) {
                    raw.push((i1, i2, out.len()));
                    out.push(MulIrrep::new(t1.mul, ir));
                }
            }
        }
    }
    let sorted = Irreps::from(out).sort();
    let instructions = raw
        .into_iter()
        .map(|(i1, i2, k)| Instruction::new(i1, i2, sorted.p[k], ConnectionMode::Uvu, true))
        .collect();
    (sorted.irreps, instructions)
}

/// Groups the weighted, large-enough `Uvw` paths by output term (instruction order kept).
fn gemm_groups<T>(
    instructions: &[Instruction],
    paths: &[PathPlan<T>],
) -> (Vec<GemmGroup>, Vec<bool>) {
    let mut groups: Vec<(usize, GemmGroup)> = Vec::new();
    let mut in_gemm = vec![false; paths.len()];
    for (n, (ins, p)) in instructions.iter().zip(paths).enumerate() {
        let eligible = p.mode == ConnectionMode::Uvw
            && p.has_weight
            && !p.is_empty()
            && p.mul1 * p.mul2 >= GEMM_MIN_DIM
            && p.mul_out >= GEMM_MIN_DIM;
        if !eligible {
            continue;
        }
        in_gemm[n] = true;
        let pairs = p.mul1 * p.mul2;
        match groups.iter_mut().find(|(o, _)| *o == ins.i_out) {
            Some((_, g)) => {
                g.members.push((n, g.k));
                g.k += pairs;
            }
            None => groups.push((
                ins.i_out,
                GemmGroup {
                    members: vec![(n, 0)],
                    k: pairs,
                    d_out: p.d_out,
                    mul_out: p.mul_out,
                    off_out: p.off_out,
                },
            )),
        }
    }
    (groups.into_iter().map(|(_, g)| g).collect(), in_gemm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_split_dyadic() {
        assert_eq!(split_dyadic(1.0), (1, 0));
        assert_eq!(split_dyadic(0.75), (3, -2));
        assert_eq!(split_dyadic(48.0), (3, 4));
        assert_eq!(split_dyadic(f64::MIN_POSITIVE / 4.0), (1, -1024));
        let (m, e) = split_dyadic(0.1);
        assert_eq!(m as f64 * 2f64.powi(e), 0.1);
    }

    #[test]
    fn test_exact_norm() {
        let r = |n, d| SqrtRational::sqrt_of_ratio(n, d).unwrap();
        assert_eq!(exact_norm(0, 3, 4, 1.0).unwrap(), r(3, 4));
        assert_eq!(exact_norm(0, 3, 4, 2.0).unwrap(), r(3, 2));
        assert_eq!(exact_norm(0, 3, 4, 0.125).unwrap(), r(3, 32));
        assert_eq!(exact_norm(0, 5, 1, 0.75).unwrap(), r(15, 4));
        assert_eq!(exact_norm(0, 5, 1, 0.0).unwrap(), SqrtRational::ZERO);
    }

    #[test]
    fn exact_norm_rejects_bad_weights() {
        for w in [-1.0, f64::NAN, f64::INFINITY, 1e300, 1e-300] {
            assert!(matches!(
                exact_norm(3, 1, 1, w),
                Err(TensorProductError::PathWeight { instruction: 3, .. })
            ));
        }
    }
}
