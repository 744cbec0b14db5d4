//! Exact audits of a model's linear components (tensor products, linear maps, fusion blocks),
//! for [`CertifiableModel::component_audits`](crate::certify::CertifiableModel::component_audits).
//!
//! Every check is exact: selection rules are combinatorial, numeric coefficients are compared
//! bit for bit with the correctly rounded exact value, and the coupling tensors get an exact
//! equivariance certificate ([`crate::equivariance::certify`]).

use crate::certify::model::ComponentAudit;
use crate::equivariance::certify;
use racah_core::fusion::{Diagram, LabelledFusionTree};
use racah_core::Irrep;
use racah_exact::contract::{Basis, ExactTensor, Leg};
use racah_exact::{contract, real_cg, SqrtRational, SqrtSum};
use racah_numeric::{Float, FusionBlock, Linear, TensorProduct};
use std::collections::BTreeMap;

/// Triangle rule and parity of one coupling (l1, p1) ⊗ (l2, p2) → (l3, p3); `Err` names the
/// violated rule.
fn admissible(a: Irrep, b: Irrep, c: Irrep) -> Result<(), String> {
    let (Some(l1), Some(l2), Some(l3)) = (a.as_l(), b.as_l(), c.as_l()) else {
        return Err(format!("{a} ⊗ {b} → {c}: half-integer irrep"));
    };
    if l3 < l1.abs_diff(l2) || l3 > l1 + l2 {
        return Err(format!(
            "{a} ⊗ {b} → {c}: triangle rule |{l1} − {l2}| ≤ {l3} ≤ {l1} + {l2} fails"
        ));
    }
    if c.parity() != a.parity() * b.parity() {
        return Err(format!(
            "{a} ⊗ {b} → {c}: parity {} ≠ {}·{}",
            c.parity(),
            a.parity(),
            b.parity()
        ));
    }
    Ok(())
}

/// The term irrep `index` of a component's irreps, or a message.
fn term(irreps: &racah_core::Irreps, index: usize, what: &str) -> Result<Irrep, String> {
    irreps
        .as_slice()
        .get(index)
        .map(|t| t.irrep)
        .ok_or_else(|| format!("{what} term {index} out of range for {irreps}"))
}

/// Audits every path of a tensor product.
///
/// For path i: (l1, p1) ⊗ (l2, p2) → (l3, p3) with
///
/// ```text
/// |l1 − l2| ≤ l3 ≤ l1 + l2,   p3 = p1·p2
/// coefficient (i, j, k) == round_T(C[l1,l2,l3][i,j,k] · √α_path)   bit for bit, same nonzeros
/// C with the path's irreps as legs commutes exactly with L_x, L_y, L_z and respects parity
/// ```
///
/// with C e3nn's real coupling tensor ([`racah_exact::real_cg`]), √α the exact
/// [`TensorProduct::path_normalization`] and round_T [`Float::round_exact`]. A failing
/// audit names the path and the first offending entry.
///
/// # Convention
/// `CONVENTIONS.md#tensor-products`, `CONVENTIONS.md#rounding`, `CONVENTIONS.md#parity`.
///
/// # Examples
/// ```
/// use racah_numeric::TensorProduct;
/// use racah_proofs::certify::audit_tensor_product;
/// let x = "0e + 1o".parse()?;
/// let mut tp = TensorProduct::<f64>::full(&x, &x)?;
/// let audits = audit_tensor_product("interaction 1", &tp);
/// assert_eq!(audits.len(), tp.instructions().len());
/// assert!(audits.iter().all(|a| a.holds), "{audits:?}");
/// tp.perturb_coefficient(4, 2, 1e-6)?;
/// let bad: Vec<_> = audit_tensor_product("interaction 1", &tp).into_iter()
///     .filter(|a| !a.holds).collect();
/// assert_eq!(bad.len(), 1);
/// assert!(bad[0].component.starts_with("tensor product path 4"), "{}", bad[0].component);
/// assert!(bad[0].detail.contains("coefficient"), "{}", bad[0].detail);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn audit_tensor_product<T: Float>(layer: &str, tp: &TensorProduct<T>) -> Vec<ComponentAudit> {
    (0..tp.instructions().len())
        .map(|i| {
            let ins = tp.instructions()[i];
            let irreps = (
                term(tp.irreps_in1(), ins.i_in1, "first input"),
                term(tp.irreps_in2(), ins.i_in2, "second input"),
                term(tp.irreps_out(), ins.i_out, "output"),
            );
            let (a, b, c) = match irreps {
                (Ok(a), Ok(b), Ok(c)) => (a, b, c),
                (a, b, c) => {
                    let e = [a.err(), b.err(), c.err()].into_iter().flatten();
                    return ComponentAudit {
                        layer: layer.to_string(),
                        component: format!("tensor product path {i}"),
                        holds: false,
                        detail: e.collect::<Vec<_>>().join("; "),
                    };
                }
            };
            let component = format!("tensor product path {i} ({:?}): {a} ⊗ {b} → {c}", ins.mode);
            let (holds, detail) = match audit_tp_path(tp, i, a, b, c) {
                Ok(d) => (true, d),
                Err(d) => (false, d),
            };
            ComponentAudit {
                layer: layer.to_string(),
                component,
                holds,
                detail,
            }
        })
        .collect()
}

fn audit_tp_path<T: Float>(
    tp: &TensorProduct<T>,
    i: usize,
    a: Irrep,
    b: Irrep,
    c: Irrep,
) -> Result<String, String> {
    admissible(a, b, c)?;
    let [l1, l2, l3] = [a, b, c].map(|x| x.as_l().expect("checked integer"));
    let cg = real_cg(l1, l2, l3).map_err(|e| format!("exact coupling tensor: {e}"))?;
    let norm = tp
        .path_normalization(i)
        .ok_or_else(|| format!("path {i} has no normalisation"))?;
    let coeffs = tp
        .path_coefficients(i)
        .ok_or_else(|| format!("path {i} has no coefficients"))?;
    let mut expected: BTreeMap<(u32, u32, u32), SqrtRational> = BTreeMap::new();
    for (x, y, z, v) in cg.nonzeros() {
        let e = v * norm;
        if !e.is_zero() {
            expected.insert((x as u32, y as u32, z as u32), e);
        }
    }
    let mut seen = 0;
    for co in coeffs {
        let key = (co.i, co.j, co.k);
        match expected.get(&key) {
            None => {
                return Err(format!(
                    "coefficient ({}, {}, {}) = {} where the exact tensor is 0",
                    co.i, co.j, co.k, co.value
                ))
            }
            Some(e) => {
                let want = T::round_exact(e);
                if co.value != want {
                    return Err(format!(
                        "coefficient ({}, {}, {}) = {} but the exact value {e} rounds to {want} \
                         in {}",
                        co.i,
                        co.j,
                        co.k,
                        co.value,
                        T::NAME
                    ));
                }
                seen += 1;
            }
        }
    }
    if seen != expected.len() {
        let missing = expected
            .keys()
            .find(|k| !coeffs.iter().any(|co| (co.i, co.j, co.k) == **k))
            .expect("a missing entry");
        return Err(format!(
            "{} of {} nonzero coefficients present; ({}, {}, {}) missing",
            seen,
            expected.len(),
            missing.0,
            missing.1,
            missing.2
        ));
    }
    let tensor = ExactTensor::from_entries(
        Basis::Real,
        vec![Leg::input(a), Leg::input(b), Leg::output(c)],
        cg.nonzeros()
            .map(|(x, y, z, v)| (vec![x, y, z], SqrtSum::from(v.clone()))),
    )
    .map_err(|e| format!("exact tensor: {e}"))?;
    let cert = certify(&tensor).map_err(|e| format!("certificate: {e}"))?;
    if !cert.holds {
        return Err(cert.to_string());
    }
    Ok(format!(
        "triangle and parity hold; {seen} coefficients equal the correctly rounded exact values \
         in {}; {cert}",
        T::NAME
    ))
}

/// Audits every instruction of a linear map: each maps an irrep to the same irrep (Schur),
/// with an exact normalisation.
///
/// # Convention
/// `CONVENTIONS.md#irreps`.
///
/// # Examples
/// ```
/// use racah_numeric::Linear;
/// use racah_proofs::certify::audit_linear;
/// let lin = Linear::<f32>::new(&"2x0e + 1o".parse()?, &"0e + 3x1o".parse()?)?;
/// let audits = audit_linear("readout", &lin);
/// assert_eq!(audits.len(), 2);
/// assert!(audits.iter().all(|a| a.holds && a.layer == "readout"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn audit_linear<T: Float>(layer: &str, linear: &Linear<T>) -> Vec<ComponentAudit> {
    linear
        .instructions()
        .iter()
        .enumerate()
        .map(|(i, &(i_in, i_out))| {
            let a = term(linear.irreps_in(), i_in, "input");
            let b = term(linear.irreps_out(), i_out, "output");
            let (component, result) = match (a, b) {
                (Ok(a), Ok(b)) => (
                    format!("linear instruction {i}: {a} → {b}"),
                    if a != b {
                        Err(format!("maps {a} to a different irrep {b}"))
                    } else {
                        match linear.path_normalization(i) {
                            Some(n) => Ok(format!("{a} → {b} (Schur), normalisation {n}")),
                            None => Err(format!("instruction {i} has no normalisation")),
                        }
                    },
                ),
                (a, b) => (
                    format!("linear instruction {i}"),
                    Err([a.err(), b.err()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("; ")),
                ),
            };
            let (holds, detail) = match result {
                Ok(d) => (true, d),
                Err(d) => (false, d),
            };
            ComponentAudit {
                layer: layer.to_string(),
                component,
                holds,
                detail,
            }
        })
        .collect()
}

/// Audits every path of a fusion block: each vertex of its tree is admissible (triangle and
/// parity), and the exact contraction of the tree in the real basis
/// ([`racah_exact::contract()`] of the [`LabelledFusionTree`]) is certified equivariant by
/// [`crate::equivariance::certify`]. A body-order-1 path must be the identity of one irrep.
///
/// # Convention
/// `CONVENTIONS.md#fusion-trees`, `CONVENTIONS.md#parity`.
///
/// # Examples
/// ```
/// use racah_numeric::{FusionBlock, FusionBlockOptions};
/// use racah_proofs::certify::audit_fusion_block;
/// let block = FusionBlock::<f64>::new(&"0e+1o".parse()?, 3, &"0e".parse()?,
///     FusionBlockOptions::default())?;
/// let audits = audit_fusion_block("product 1", &block);
/// assert_eq!(audits.len(), block.num_paths());
/// assert!(audits.iter().all(|a| a.holds), "{audits:?}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn audit_fusion_block<T: Float>(layer: &str, block: &FusionBlock<T>) -> Vec<ComponentAudit> {
    block
        .paths()
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let result = audit_fusion_path(path);
            let (holds, detail) = match result {
                Ok(d) => (true, d),
                Err(d) => (false, d),
            };
            ComponentAudit {
                layer: layer.to_string(),
                component: format!("fusion path {i}: {path}"),
                holds,
                detail,
            }
        })
        .collect()
}

fn audit_fusion_path(path: &racah_numeric::FusionPath) -> Result<String, String> {
    let leaves = path.leaves();
    if leaves.len() == 1 {
        return if leaves[0] == path.output() {
            Ok(format!("identity on {}", leaves[0]))
        } else {
            Err(format!(
                "body order 1 maps {} to a different irrep {}",
                leaves[0],
                path.output()
            ))
        };
    }
    let mut acc = leaves[0];
    for (k, leaf) in leaves.iter().enumerate().skip(1) {
        let next = if k + 1 == leaves.len() {
            path.output()
        } else {
            *path
                .internal()
                .get(k - 1)
                .ok_or_else(|| format!("internal irrep {} missing", k - 1))?
        };
        admissible(acc, *leaf, next).map_err(|e| format!("vertex {k}: {e}"))?;
        acc = next;
    }
    let tree: LabelledFusionTree = path
        .to_string()
        .parse()
        .map_err(|e| format!("fusion tree {path}: {e}"))?;
    let t = contract(&Diagram::from(&tree), Basis::Real)
        .map_err(|e| format!("contraction of {path}: {e}"))?;
    let cert = certify(&t).map_err(|e| format!("certificate: {e}"))?;
    if cert.holds {
        Ok(format!("every vertex admissible; {cert}"))
    } else {
        Err(cert.to_string())
    }
}
