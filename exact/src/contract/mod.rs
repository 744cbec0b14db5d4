//! Exact contraction of Clebsch–Gordan diagrams ([`contract`]) into [`ExactTensor`]s.
//!
//! A [`Diagram`] is a network of CG vertices; contracting it sums every internal edge over its
//! projections:
//!
//! ```text
//! T[m_inputs…, m_outputs…] = Σ_{m internal} Π_vertices ⟨j_l m_l j_r m_r | j_c m_c⟩
//! ```
//!
//! Closed diagrams are scalars. With Racah's recoupling coefficients (the 6j and 9j symbols
//! defined as overlaps of coupling schemes) the standard closed graphs evaluate to:
//!
//! ```text
//! theta  (fuse a,b→c; split c→a,b)                                  = 2c + 1
//! tetrahedron (fuse j1,j2→j12; fuse j12,j3→J; split J→j1,j23; split j23→j2,j3)
//!        = (2J+1) (−1)^(j1+j2+j3+J) √((2j12+1)(2j23+1)) {j1 j2 j12; j3 J j23}
//! 9j graph (fuse j1,j2→j12; fuse j3,j4→j34; fuse j12,j34→J;
//!           split J→j13,j24; split j13→j1,j3; split j24→j2,j4)
//!        = (2J+1) √((2j12+1)(2j34+1)(2j13+1)(2j24+1)) {j1 j2 j12; j3 j4 j34; j13 j24 J}
//! ```
//!
//! The tetrahedron is Σ_M of the overlap ⟨(j1 (j2 j3)j23) J M | ((j1 j2)j12 j3) J M⟩, which is
//! M-independent and equal to the F-move coefficient (see [`crate::fmove`]); the 9j graph
//! likewise is Σ_M of the (12)(34) → (13)(24) overlap. [`tetrahedron`] and [`nine_j_graph`]
//! build these diagrams.
//!
//! # Convention
//! Complex basis: Condon–Shortley (`CONVENTIONS.md#condon-shortley`), index m + j. Real basis:
//! e3nn's Q_l on every open leg (inputs Q, outputs conj Q; `CONVENTIONS.md#real-basis`), so a
//! single fusion vertex gives √(2l3+1) times e3nn's real coupling tensor.
//!
//! # Examples
//! ```
//! use racah_core::fusion::Diagram;
//! use racah_exact::contract::{contract, contract_closed, Basis};
//! use racah_exact::{SqrtRational, SqrtSum};
//! let theta = Diagram::builder()
//!     .edge("a", "1")
//!     .edge("b", "3/2")
//!     .edge("c", "5/2")
//!     .fuse("a", "b", "c")
//!     .split("c", "a", "b")
//!     .build()?;
//! assert_eq!(contract_closed(&theta)?, SqrtSum::from(SqrtRational::from(6))); // 2c + 1
//! let cross: Diagram = "inputs = [\"a\", \"b\"]\noutputs = [\"c\"]\n[edges]\na = \"1o\"\n\
//!     b = \"1o\"\nc = \"1e\"\n[[vertex]]\nfuse = [\"a\", \"b\"]\ninto = \"c\"".parse()?;
//! let t = contract(&cross, Basis::Real)?; // √3 · ε_ijk/√6 = ε_ijk/√2
//! assert_eq!(*t.get(&[0, 1, 2]), SqrtSum::from(SqrtRational::sqrt_of_ratio(1, 2)?));
//! assert_eq!(t.num_nonzeros(), 6);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # References
//! Racah (1942), Phys. Rev. 62, 438; Edmonds (1957), ch. 6; Varshalovich et al. (1988), ch. 9.

mod acc;
mod eval;
mod real;
mod tensor;

pub use tensor::{ExactTensor, Leg, LegRole};

use crate::ExactError;
use racah_core::fusion::{Diagram, DiagramError, EdgeLabel};
use racah_core::Spin;
use std::fmt;
use thiserror::Error;

/// The basis of the open legs of a contracted tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Basis {
    /// The spherical basis |j m⟩, index m + j (`CONVENTIONS.md#condon-shortley`).
    Complex,
    /// e3nn's real basis, index 0 … 2l; integer spins only (`CONVENTIONS.md#real-basis`).
    Real,
}

impl fmt::Display for Basis {
    /// `complex` or `real`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Basis::Complex => "complex",
            Basis::Real => "real",
        })
    }
}

/// Why a diagram could not be contracted or a tensor could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ContractError {
    /// A half-integer spin on an open edge in the real basis (which exists for integer l only).
    #[error("{edge} has spin {j}: the real basis needs integer spins")]
    HalfIntegerInRealBasis {
        /// The edge or leg (`edge "a"`, `leg 2`).
        edge: String,
        /// Its spin.
        j: String,
    },
    /// [`contract_closed`] was given a diagram with open edges.
    #[error("the diagram is not closed: it has {inputs} inputs and {outputs} outputs")]
    NotClosed {
        /// The number of inputs.
        inputs: usize,
        /// The number of outputs.
        outputs: usize,
    },
    /// An index with the wrong rank or out of range.
    #[error("index {index:?} is out of shape {shape:?}")]
    IndexOutOfShape {
        /// The offending index.
        index: Vec<usize>,
        /// The tensor's shape.
        shape: Vec<usize>,
    },
    /// Two tensors with different legs or bases were combined.
    #[error("tensors with legs {left} and {right} cannot be added")]
    LegMismatch {
        /// The first tensor's legs.
        left: String,
        /// The second tensor's legs.
        right: String,
    },
    /// A coefficient could not be evaluated (spins too large).
    #[error(transparent)]
    Exact(#[from] ExactError),
    /// A diagram built here (by [`tetrahedron`], [`nine_j_graph`]) was not admissible.
    #[error(transparent)]
    Diagram(#[from] DiagramError),
}

/// The tensor of `diagram` over its open legs (inputs, then outputs), exact and sparse.
///
/// ```text
/// T[i…] = Σ_{m internal} Π_vertices ⟨j_l m_l j_r m_r | j_c m_c⟩,   i = j + m (complex)
/// T_real[r…] = Σ_m Π_inputs Q[m_i, r_i] Π_outputs conj(Q[m_o, r_o]) T[m…]
/// ```
///
/// Only projections with m_l + m_r = m_c at every vertex are visited; internal edges are summed
/// out as soon as both of their vertices are processed.
///
/// # Convention
/// `CONVENTIONS.md#condon-shortley` (complex), `CONVENTIONS.md#real-basis` (real); a closed
/// diagram gives the same scalar in both bases.
///
/// # Errors
/// [`ContractError::HalfIntegerInRealBasis`] for a half-integer open edge in the real basis;
/// [`ContractError::Exact`] for spins beyond the exact engine's range.
///
/// # Examples
/// ```
/// use racah_core::fusion::{Diagram, LabelledFusionTree};
/// use racah_exact::contract::{contract, Basis};
/// use racah_exact::{Cg, SqrtSum};
/// let t: LabelledFusionTree = "(1o,1o)->2e".parse()?;
/// let c = contract(&Diagram::from(&t), Basis::Complex)?;
/// assert_eq!(c.shape(), vec![3, 3, 5]);
/// // ⟨1 1 1 0|2 1⟩ at (m1 + 1, m2 + 1, M + 2)
/// assert_eq!(*c.get(&[2, 1, 3]), SqrtSum::from(Cg::from_twice(2, 2, 2, 0, 4, 2)?.value()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn contract(diagram: &Diagram, basis: Basis) -> Result<ExactTensor, ContractError> {
    let legs: Vec<Leg> = diagram
        .inputs()
        .iter()
        .map(|&id| Leg::input(diagram.edge(id).label))
        .chain(
            diagram
                .outputs()
                .iter()
                .map(|&id| Leg::output(diagram.edge(id).label)),
        )
        .collect();
    if basis == Basis::Real {
        if let Some(e) = diagram
            .open_edges()
            .into_iter()
            .map(|id| diagram.edge(id))
            .find(|e| !e.label.j().is_integer())
        {
            return Err(ContractError::HalfIntegerInRealBasis {
                edge: format!("edge {:?}", e.name),
                j: e.label.j().to_string(),
            });
        }
    }
    let complex = eval::contract_complex(diagram)?;
    let values = match basis {
        Basis::Complex => complex,
        Basis::Real => {
            let ls: Vec<(u32, bool)> = legs
                .iter()
                .map(|l| (l.label.j().twice() / 2, l.role == LegRole::Output))
                .collect();
            real::to_real(&complex, &ls)
        }
    };
    let entries = values
        .into_iter()
        .map(|(k, v)| (k, v.to_sqrt_sum()))
        .filter(|(_, v)| !v.is_zero())
        .collect();
    Ok(ExactTensor::from_map_unchecked(basis, legs, entries))
}

/// The value of a closed diagram.
///
/// # Errors
/// [`ContractError::NotClosed`] if the diagram has open edges; otherwise as [`contract`].
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::contract::{contract_closed, tetrahedron};
/// use racah_exact::{SixJ, SqrtRational, SqrtSum};
/// let one = Spin::int(1);
/// // (2J+1)(−1)^(j1+j2+j3+J) √((2j12+1)(2j23+1)) {1 1 1; 1 1 1} = 3 · (−1)^4 · 3 · 1/6
/// let v = contract_closed(&tetrahedron([one; 3], one, one, one)?)?;
/// assert_eq!(v, SqrtSum::from(SqrtRational::rational(3, 2)));
/// # Ok::<(), racah_exact::contract::ContractError>(())
/// ```
pub fn contract_closed(diagram: &Diagram) -> Result<crate::SqrtSum, ContractError> {
    if !diagram.is_closed() {
        return Err(ContractError::NotClosed {
            inputs: diagram.inputs().len(),
            outputs: diagram.outputs().len(),
        });
    }
    let t = contract(diagram, Basis::Complex)?;
    Ok(t.scalar().unwrap_or_default())
}

/// The tetrahedral closed diagram of the recoupling ((j1 j2)j12, j3)J ↔ (j1, (j2 j3)j23)J:
/// `fuse j1,j2→j12; fuse j12,j3→J; split J→j1,j23; split j23→j2,j3` (edges named `j1`, `j2`,
/// `j3`, `j12`, `j23`, `J`, labelled by bare spins). Its value is
/// (2J+1) (−1)^(j1+j2+j3+J) √((2j12+1)(2j23+1)) {j1 j2 j12; j3 J j23}.
///
/// # Errors
/// [`ContractError::Diagram`] if one of the four triads violates the triangle condition.
pub fn tetrahedron(
    [j1, j2, j3]: [Spin; 3],
    j: Spin,
    j12: Spin,
    j23: Spin,
) -> Result<Diagram, ContractError> {
    let s = EdgeLabel::Spin;
    Ok(Diagram::builder()
        .edge_label("j1", s(j1))
        .edge_label("j2", s(j2))
        .edge_label("j3", s(j3))
        .edge_label("j12", s(j12))
        .edge_label("j23", s(j23))
        .edge_label("J", s(j))
        .fuse("j1", "j2", "j12")
        .fuse("j12", "j3", "J")
        .split("J", "j1", "j23")
        .split("j23", "j2", "j3")
        .build()?)
}

/// The closed diagram of the recoupling ((j1 j2)j12, (j3 j4)j34)J ↔ ((j1 j3)j13, (j2 j4)j24)J:
/// `fuse j1,j2→j12; fuse j3,j4→j34; fuse j12,j34→J; split J→j13,j24; split j13→j1,j3;
/// split j24→j2,j4`. Its value is
/// (2J+1) √((2j12+1)(2j34+1)(2j13+1)(2j24+1)) {j1 j2 j12; j3 j4 j34; j13 j24 J}.
///
/// # Errors
/// [`ContractError::Diagram`] if one of the six triads violates the triangle condition.
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::contract::{contract_closed, nine_j_graph};
/// use racah_exact::{NineJ, SqrtRational, SqrtSum};
/// let [a, b] = [Spin::int(1), Spin::int(0)];
/// // {1 1 1; 1 1 1; 1 1 0} = 1/18, times (2·0+1) √(3⁴) = 9
/// let v = contract_closed(&nine_j_graph([a; 4], [a, a], [a, a], b)?)?;
/// assert_eq!(v, SqrtSum::from(SqrtRational::rational(1, 2)));
/// # Ok::<(), racah_exact::contract::ContractError>(())
/// ```
pub fn nine_j_graph(
    [j1, j2, j3, j4]: [Spin; 4],
    [j12, j34]: [Spin; 2],
    [j13, j24]: [Spin; 2],
    j: Spin,
) -> Result<Diagram, ContractError> {
    let s = EdgeLabel::Spin;
    Ok(Diagram::builder()
        .edge_label("j1", s(j1))
        .edge_label("j2", s(j2))
        .edge_label("j3", s(j3))
        .edge_label("j4", s(j4))
        .edge_label("j12", s(j12))
        .edge_label("j34", s(j34))
        .edge_label("j13", s(j13))
        .edge_label("j24", s(j24))
        .edge_label("J", s(j))
        .fuse("j1", "j2", "j12")
        .fuse("j3", "j4", "j34")
        .fuse("j12", "j34", "J")
        .split("J", "j13", "j24")
        .split("j13", "j1", "j3")
        .split("j24", "j2", "j4")
        .build()?)
}
