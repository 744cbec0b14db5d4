//! Decomposition of tensor products: `Irreps ⊗ Irreps` path by path (as e3nn's
//! `FullTensorProduct`), and multiplicities in k-fold products of irreps.

use crate::{CoreError, Irrep, Irreps, MulIrrep};
use std::collections::BTreeMap;

/// One instruction of a full tensor product: term `i_in1` of the first input times term
/// `i_in2` of the second input, projected on the irrep `out`, stored in output term `i_out`.
///
/// # Convention
/// e3nn's `FullTensorProduct` instruction `(i_in1, i_in2, i_out, "uvuv")`: the indices refer to
/// the *simplified* inputs and to the *sorted* (not simplified) output, and the output term
/// has multiplicity `mul = mul1 · mul2` (`CONVENTIONS.md#tensor-products`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Path {
    /// Index of the term in the simplified first input.
    pub i_in1: usize,
    /// Index of the term in the simplified second input.
    pub i_in2: usize,
    /// Index of the term in the sorted output.
    pub i_out: usize,
    /// The irrep of the first input term.
    pub in1: Irrep,
    /// The irrep of the second input term.
    pub in2: Irrep,
    /// The output irrep, one of `in1 ⊗ in2`.
    pub out: Irrep,
    /// The multiplicity `mul1 · mul2` of the output term.
    pub mul: usize,
}

fn overflow(what: String, ty: &'static str) -> CoreError {
    CoreError::Overflow { what, ty }
}

/// Every path (i1, i2, out) of the full tensor product `a ⊗ b`, in e3nn's order: for each
/// term of `a`, each term of `b`, each `out` in `in1 ⊗ in2` by increasing spin.
///
/// When `filter` is given, only outputs it contains are kept (membership as
/// [`Irreps::contains`], multiplicities ignored). The output irreps are
/// `Σ_paths mul·out`, sorted; `i_out` indexes that sorted list.
///
/// # Convention
/// Exactly e3nn's `FullTensorProduct(a, b, filter_ir_out)`: inputs are simplified first, so
/// `i_in1`/`i_in2` index `a.simplify()`/`b.simplify()` (`CONVENTIONS.md#tensor-products`).
///
/// # Errors
/// [`CoreError::Overflow`] if a multiplicity `mul1 · mul2` overflows `usize`.
///
/// # Examples
/// ```
/// use racah_core::{tensor_product_paths, Irreps};
/// let a: Irreps = "2x0e + 1o".parse()?;
/// let b: Irreps = "1o".parse()?;
/// let paths = tensor_product_paths(&a, &b, None)?;
/// let text: Vec<String> = paths
///     .iter()
///     .map(|p| format!("{} {} {} {}x{}", p.i_in1, p.i_in2, p.i_out, p.mul, p.out))
///     .collect();
/// // output, sorted: 2x1o (from 0e⊗1o), 1x0e, 1x1e, 1x2e (from 1o⊗1o)
/// assert_eq!(text, ["0 0 1 2x1o", "1 0 0 1x0e", "1 0 2 1x1e", "1 0 3 1x2e"]);
/// # Ok::<(), racah_core::CoreError>(())
/// ```
pub fn tensor_product_paths(
    a: &Irreps,
    b: &Irreps,
    filter: Option<&Irreps>,
) -> Result<Vec<Path>, CoreError> {
    let (a, b) = (a.simplify(), b.simplify());
    let mut paths = Vec::new();
    for (i_in1, t1) in a.iter().enumerate() {
        for (i_in2, t2) in b.iter().enumerate() {
            let mul = t1
                .mul
                .checked_mul(t2.mul)
                .ok_or_else(|| overflow(format!("multiplicity of {t1} ⊗ {t2}"), "usize"))?;
            for out in t1.irrep.tensor(t2.irrep) {
                if filter.is_some_and(|f| !f.contains(out)) {
                    continue;
                }
                let (in1, in2) = (t1.irrep, t2.irrep);
                paths.push(Path {
                    i_in1,
                    i_in2,
                    i_out: paths.len(),
                    in1,
                    in2,
                    out,
                    mul,
                });
            }
        }
    }
    // e3nn: out, p, _ = Irreps(out).sort(); i_out -> p[i_out]
    let unsorted: Irreps = paths.iter().map(|p| MulIrrep::new(p.mul, p.out)).collect();
    let sorted = unsorted.sort();
    for path in &mut paths {
        path.i_out = sorted.p[path.i_out];
    }
    Ok(paths)
}

/// The irreps of `a ⊗ b`, each irrep once with its total multiplicity Σ mul1·mul2, sorted.
///
/// # Convention
/// e3nn's `FullTensorProduct(a, b).irreps_out.simplify()` (`CONVENTIONS.md#tensor-products`).
///
/// # Errors
/// [`CoreError::Overflow`] if a multiplicity or the total dimension overflows `usize`.
///
/// # Examples
/// ```
/// use racah_core::{tensor_product_irreps, Irreps};
/// let a: Irreps = "2x0e + 1o".parse()?;
/// let out = tensor_product_irreps(&a, &a)?;
/// assert_eq!(out.to_string(), "5x0e+4x1o+1x1e+1x2e");
/// assert_eq!(out.dim(), a.dim() * a.dim());
/// # Ok::<(), racah_core::CoreError>(())
/// ```
pub fn tensor_product_irreps(a: &Irreps, b: &Irreps) -> Result<Irreps, CoreError> {
    let paths = tensor_product_paths(a, b, None)?;
    let mut total: BTreeMap<Irrep, usize> = BTreeMap::new();
    for p in &paths {
        let m = total.entry(p.out).or_insert(0);
        *m = m
            .checked_add(p.mul)
            .ok_or_else(|| overflow(format!("multiplicity of {} in {a} ⊗ {b}", p.out), "usize"))?;
    }
    let out: Irreps = total
        .into_iter()
        .map(|(ir, mul)| MulIrrep::new(mul, ir))
        .collect();
    if out.checked_dim().is_none() {
        return Err(overflow(format!("dimension of {a} ⊗ {b}"), "usize"));
    }
    Ok(out)
}

impl Irreps {
    /// The multiplicity of `out` in the k-fold product `factors[0] ⊗ … ⊗ factors[k−1]`
    /// (1 for `0e` and 0 otherwise when `factors` is empty).
    ///
    /// Counted by iterated decomposition: the product of the first i factors as a map
    /// irrep → multiplicity, coupled with factor i+1 by the Clebsch–Gordan series. Parity is
    /// respected: the product has parity Π p_i, so e.g. three `1o` give `0o`, never `0e`.
    /// Half-integer spins are allowed.
    ///
    /// # Convention
    /// This is also the number of labellings of any fusion tree with these leaves and output
    /// (`CONVENTIONS.md#fusion-trees`).
    ///
    /// # Errors
    /// [`CoreError::Overflow`] if an intermediate multiplicity overflows `u64`.
    ///
    /// # Examples
    /// ```
    /// use racah_core::{Irrep, Irreps};
    /// let v: Irrep = "1o".parse()?;
    /// assert_eq!(Irreps::multiplicity_in_product(&[v, v, v], "1o".parse()?)?, 3);
    /// assert_eq!(Irreps::multiplicity_in_product(&[v, v, v], "0o".parse()?)?, 1);
    /// assert_eq!(Irreps::multiplicity_in_product(&[v, v, v], "0e".parse()?)?, 0);
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn multiplicity_in_product(factors: &[Irrep], out: Irrep) -> Result<u64, CoreError> {
        let Some((&first, rest)) = factors.split_first() else {
            return Ok(u64::from(out.is_scalar()));
        };
        let mut acc: BTreeMap<Irrep, u64> = BTreeMap::from([(first, 1)]);
        for (i, &f) in rest.iter().enumerate() {
            let mut next: BTreeMap<Irrep, u64> = BTreeMap::new();
            for (&ir, &n) in &acc {
                for x in ir.tensor(f) {
                    let m = next.entry(x).or_insert(0);
                    *m = m.checked_add(n).ok_or_else(|| {
                        let head: Vec<String> =
                            factors[..i + 2].iter().map(|f| f.to_string()).collect();
                        overflow(
                            format!("multiplicity of {x} in {}", head.join(" ⊗ ")),
                            "u64",
                        )
                    })?;
                }
            }
            acc = next;
        }
        Ok(acc.get(&out).copied().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ir(s: &str) -> Irreps {
        s.parse().unwrap()
    }

    #[test]
    fn test_tensor_product_irreps() {
        let cases = [
            ("1o", "1o", "1x0e+1x1e+1x2e"),
            ("2x1o", "3x1o", "6x0e+6x1e+6x2e"),
            ("0e + 1o", "1e", "1x0o+1x1o+1x1e+1x2o"),
            ("", "1o", ""),
            ("0x1o", "1o", ""),
            ("1/2e", "1/2e", "1x0e+1x1e"),
            ("1/2o", "1o", "1x1/2e+1x3/2e"),
        ];
        for (a, b, want) in cases {
            assert_eq!(
                tensor_product_irreps(&ir(a), &ir(b)).unwrap().to_string(),
                want,
                "{a} x {b}"
            );
        }
    }

    #[test]
    fn test_paths_index_simplified_inputs() {
        // e3nn simplifies the inputs: "1o + 1o" becomes one term "2x1o"
        let paths = tensor_product_paths(&ir("1o + 1o + 0x2e"), &ir("0e"), None).unwrap();
        assert_eq!(paths.len(), 1);
        assert_eq!(
            (paths[0].i_in1, paths[0].mul, paths[0].out),
            (0, 2, "1o".parse().unwrap())
        );
        // the filter keeps only listed outputs, ignoring their multiplicity
        let f = ir("0x0e + 2e");
        let paths = tensor_product_paths(&ir("1o"), &ir("1o + 2e"), Some(&f)).unwrap();
        let outs: Vec<String> = paths
            .iter()
            .map(|p| format!("{}:{}", p.i_in2, p.out))
            .collect();
        assert_eq!(outs, ["0:0e", "0:2e"]);
        assert_eq!(
            paths.iter().map(|p| p.i_out).collect::<Vec<_>>(),
            vec![0, 1]
        );
    }

    #[test]
    fn tensor_product_rejects_overflow() {
        let big = Irreps::from(vec![MulIrrep::new(1 << 33, Irrep::harmonic(0))]);
        let e = tensor_product_paths(&big, &big, None).unwrap_err();
        assert!(matches!(e, CoreError::Overflow { ty: "usize", .. }), "{e}");
        assert!(e.to_string().contains("8589934592x0e"), "{e}");
        let half = Irreps::from(vec![MulIrrep::new(1 << 31, Irrep::harmonic(1))]);
        assert!(matches!(
            tensor_product_irreps(&half, &half),
            Err(CoreError::Overflow { .. })
        ));
    }

    #[test]
    fn multiplicity_in_product_rejects_overflow() {
        let l: Irrep = "10e".parse().unwrap();
        let e = Irreps::multiplicity_in_product(&[l; 40], Irrep::harmonic(0)).unwrap_err();
        assert!(matches!(e, CoreError::Overflow { ty: "u64", .. }), "{e}");
    }

    #[test]
    fn test_multiplicity_in_product_golden() {
        // shared/design/MATH.md §2, natural-parity leaves
        let h = Irrep::harmonic;
        let cases: [(&[Irrep], Irrep, u64); 7] = [
            (&[h(1), h(1)], h(0), 1),
            (&[h(1), h(1), h(1)], h(1), 3),
            (&[h(1), h(1), h(1), h(1)], h(0), 3),
            (&[h(1), h(2), h(3), h(4)], h(2), 12),
            (&[h(2), h(2), h(2), h(2)], h(2), 16),
            (&[h(3), h(3), h(3), h(3)], h(0), 7),
            (&[], h(0), 1),
        ];
        for (f, out, want) in cases {
            assert_eq!(
                Irreps::multiplicity_in_product(f, out).unwrap(),
                want,
                "{f:?} -> {out}"
            );
        }
        let o: Irrep = "0o".parse().unwrap();
        assert_eq!(Irreps::multiplicity_in_product(&[h(1); 3], o).unwrap(), 1);
        assert_eq!(
            Irreps::multiplicity_in_product(&[h(1); 3], h(0)).unwrap(),
            0
        );
        assert_eq!(Irreps::multiplicity_in_product(&[], o).unwrap(), 0);
    }
}
