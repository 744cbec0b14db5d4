//! Exact equivariance certificates for tensors T: V_1 ⊗ … ⊗ V_k → V_out ([`certify`]).
//!
//! A linear map between representations of SO(3) (or SU(2)) is equivariant iff it commutes
//! with the Lie algebra: X_out T = T X_in for every generator X, where X acts on a tensor
//! product as a derivation, X_in = Σ_i 1 ⊗ … ⊗ X^(i) ⊗ … ⊗ 1. Componentwise, with the legs of
//! T indexed inputs then outputs:
//!
//! ```text
//! (X_out T)[i…, o…] = Σ_{output legs q} Σ_k X^(q)[o_q, k] T[i…, o… with o_q = k]
//! (T X_in)[i…, o…]  = Σ_{input legs p}  Σ_k T[i… with i_p = k, o…] X^(p)[k, i_p]
//! ```
//!
//! In the complex basis the generators are J_z and J_+ (entries m and √((j−m)(j+m+1)), exact);
//! J_− follows: a vector of Hom(V, W) = V* ⊗ W of weight 0 annihilated by J_+ is a highest
//! weight vector of weight 0, so it spans a trivial summand and is annihilated by J_− too. In
//! the real basis they are e3nn's real antisymmetric L_x, L_y, L_z. Everything is compared
//! exactly in Q(√2, √3, …). Parity (O(3)) is combinatorial: Π p_out = Π p_in, or T = 0.
//!
//! # Convention
//! `CONVENTIONS.md#condon-shortley` (J_z, J_+), `CONVENTIONS.md#real-basis` (L_x, L_y, L_z),
//! `CONVENTIONS.md#parity`.
//!
//! # Examples
//! ```
//! use racah_core::fusion::{Diagram, LabelledFusionTree};
//! use racah_exact::{contract, Basis};
//! use racah_proofs::equivariance::certify;
//! let t: LabelledFusionTree = "((1o,1o)->1e,2e)->3e".parse()?;
//! let c = certify(&contract(&Diagram::from(&t), Basis::Real)?)?;
//! assert!(c.holds, "{c}");
//! assert_eq!(c.checks.len(), 4); // L_x, L_y, L_z, parity
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::certificate_exact::{Check, EquivarianceCertificate, Generator, Violation};
use racah_core::{Parity, Spin};
use racah_exact::contract::{ExactTensor, LegRole};
use racah_exact::{j_plus, j_z, real_generators, Basis, ExactError, SparseMatrix, SqrtSum};
use std::collections::{BTreeMap, HashMap};
use thiserror::Error;

/// Why a certificate could not be computed (not: why a tensor is not equivariant, which is a
/// certificate with `holds == false`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CertificateError {
    /// A generator could not be built (spin beyond the exact engine's range).
    #[error(transparent)]
    Exact(#[from] ExactError),
}

/// The generators of one basis, with the matrices of every leg's spin, and for each matrix
/// its nonzeros by row and by column.
struct Mats {
    by_row: Vec<Vec<(usize, racah_exact::SqrtRational)>>,
    by_col: Vec<Vec<(usize, racah_exact::SqrtRational)>>,
}

impl Mats {
    fn new(m: &SparseMatrix) -> Mats {
        let n = m.dim();
        let mut by_row = vec![Vec::new(); n];
        let mut by_col = vec![Vec::new(); n];
        for (r, c, v) in m.nonzeros() {
            by_row[r].push((c, v.clone()));
            by_col[c].push((r, v.clone()));
        }
        Mats { by_row, by_col }
    }
}

fn generators(basis: Basis, j: Spin) -> Result<Vec<(Generator, Mats)>, ExactError> {
    Ok(match basis {
        Basis::Complex => vec![
            (Generator::Jz, Mats::new(&j_z(j)?)),
            (Generator::JPlus, Mats::new(&j_plus(j)?)),
        ],
        Basis::Real => {
            let [x, y, z] = real_generators(j.twice() / 2)?;
            vec![
                (Generator::Lx, Mats::new(&x)),
                (Generator::Ly, Mats::new(&y)),
                (Generator::Lz, Mats::new(&z)),
            ]
        }
    })
}

/// Checks exactly that `t` commutes with every generator of its basis and respects parity.
///
/// ```text
/// X_out T = T X_in   for X ∈ {J_z, J_+} (complex) or {L_x, L_y, L_z} (real)
/// Π p_out = Π p_in   or T = 0
/// ```
///
/// Every component where either side is nonzero is compared with `==`; the certificate names
/// the first component (in lexicographic order, for the first failing generator) where they
/// differ, with both sides. The parity check is skipped when a leg carries a bare spin.
///
/// # Convention
/// `CONVENTIONS.md#condon-shortley`, `CONVENTIONS.md#real-basis`, `CONVENTIONS.md#parity`.
///
/// # Errors
/// [`CertificateError::Exact`] if a leg's spin is beyond the exact engine's range.
///
/// # Examples
/// ```
/// use racah_exact::{real_cg, ExactTensor, SqrtRational, SqrtSum};
/// use racah_proofs::equivariance::certify;
/// use racah_proofs::certificate_exact::Generator;
/// let mut t = ExactTensor::from_real_cg(&real_cg(1, 1, 2)?);
/// assert!(certify(&t)?.holds);
/// t.set(&[1, 1, 2], SqrtSum::from(SqrtRational::ONE))?; // break one entry
/// let c = certify(&t)?;
/// assert!(!c.holds);
/// let v = c.violation.unwrap();
/// assert_eq!(v.generator, Generator::Lx);
/// assert_ne!(v.lhs, v.rhs);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn certify(t: &ExactTensor) -> Result<EquivarianceCertificate, CertificateError> {
    let legs = t.legs();
    let mut cache: HashMap<Spin, Vec<(Generator, Mats)>> = HashMap::new();
    for leg in legs {
        let j = leg.label.j();
        if let std::collections::hash_map::Entry::Vacant(e) = cache.entry(j) {
            e.insert(generators(t.basis(), j)?);
        }
    }
    let names: Vec<Generator> = match t.basis() {
        Basis::Complex => vec![Generator::Jz, Generator::JPlus],
        Basis::Real => vec![Generator::Lx, Generator::Ly, Generator::Lz],
    };
    let mut checks = Vec::new();
    let mut violation = None;
    for (g, name) in names.into_iter().enumerate() {
        let mats: Vec<&Mats> = legs.iter().map(|l| &cache[&l.label.j()][g].1).collect();
        let (check, first) = commutator(t, name, &mats);
        checks.push(check);
        if violation.is_none() {
            violation = first;
        }
    }
    if let Some((check, first)) = parity(t) {
        checks.push(check);
        if violation.is_none() {
            violation = first;
        }
    }
    Ok(EquivarianceCertificate {
        holds: violation.is_none(),
        legs: t.describe_legs(),
        checks,
        violation,
    })
}

/// X_out T against T X_in for one generator; `mats[leg]` is its matrix on that leg.
fn commutator(t: &ExactTensor, name: Generator, mats: &[&Mats]) -> (Check, Option<Violation>) {
    let legs = t.legs();
    let mut sides: BTreeMap<Vec<usize>, [SqrtSum; 2]> = BTreeMap::new();
    for (idx, v) in t.nonzeros() {
        for (q, leg) in legs.iter().enumerate() {
            let mut target = idx.to_vec();
            match leg.role {
                // (X T)[…o…] += X[o, k] T[…k…]: column k = idx[q]
                LegRole::Output => {
                    for (row, x) in &mats[q].by_col[idx[q]] {
                        target[q] = *row;
                        sides.entry(target.clone()).or_default()[0] += &(v * x);
                    }
                }
                // (T X)[…i…] += T[…k…] X[k, i]: row k = idx[q]
                LegRole::Input => {
                    for (col, x) in &mats[q].by_row[idx[q]] {
                        target[q] = *col;
                        sides.entry(target.clone()).or_default()[1] += &(v * x);
                    }
                }
            }
        }
    }
    let mut violations = 0;
    let mut first = None;
    for (component, [lhs, rhs]) in &sides {
        if lhs != rhs {
            violations += 1;
            if first.is_none() {
                first = Some(Violation {
                    generator: name,
                    component: component.clone(),
                    lhs: lhs.clone(),
                    rhs: rhs.clone(),
                });
            }
        }
    }
    let components = sides
        .values()
        .filter(|[l, r]| !l.is_zero() || !r.is_zero())
        .count();
    (
        Check {
            generator: name,
            components,
            violations,
        },
        first,
    )
}

/// Π p_out = Π p_in, or every entry 0; `None` when a leg has no parity.
fn parity(t: &ExactTensor) -> Option<(Check, Option<Violation>)> {
    let mut p_in = Parity::Even;
    let mut p_out = Parity::Even;
    for leg in t.legs() {
        let p = leg.label.parity()?;
        match leg.role {
            LegRole::Input => p_in = p_in * p,
            LegRole::Output => p_out = p_out * p,
        }
    }
    let ok = p_in == p_out;
    let nonzero = t.num_nonzeros();
    let first = (!ok)
        .then(|| t.nonzeros().next())
        .flatten()
        .map(|(idx, v)| Violation {
            generator: Generator::Parity,
            component: idx.to_vec(),
            lhs: v.clone(),
            rhs: SqrtSum::zero(),
        });
    Some((
        Check {
            generator: Generator::Parity,
            components: nonzero,
            violations: if ok { 0 } else { nonzero },
        },
        first,
    ))
}
