//! The result of an exact equivariance check: [`EquivarianceCertificate`] with one [`Check`]
//! per generator (and parity) and the first [`Violation`], if any.

use racah_exact::SqrtSum;
use serde::{Serialize, Serializer};
use std::fmt;

/// A generator of the Lie algebra (or the parity check) that a tensor must commute with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Generator {
    /// J_z, complex basis: ⟨j m'|J_z|j m⟩ = m δ_m'm.
    #[serde(rename = "J_z")]
    Jz,
    /// J_+, complex basis: ⟨j m+1|J_+|j m⟩ = √((j−m)(j+m+1)).
    #[serde(rename = "J_+")]
    JPlus,
    /// L_x, real basis (real antisymmetric).
    #[serde(rename = "L_x")]
    Lx,
    /// L_y, real basis.
    #[serde(rename = "L_y")]
    Ly,
    /// L_z, real basis.
    #[serde(rename = "L_z")]
    Lz,
    /// Parity: p_out = Π p_in, or the tensor vanishes.
    #[serde(rename = "parity")]
    Parity,
}

impl fmt::Display for Generator {
    /// `J_z`, `J_+`, `L_x`, `L_y`, `L_z`, `parity`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Generator::Jz => "J_z",
            Generator::JPlus => "J_+",
            Generator::Lx => "L_x",
            Generator::Ly => "L_y",
            Generator::Lz => "L_z",
            Generator::Parity => "parity",
        })
    }
}

fn as_text<S: Serializer>(v: &SqrtSum, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.to_string())
}

/// One exact check of a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The generator (or parity).
    pub generator: Generator,
    /// The number of components compared: those where either side is nonzero (every other
    /// component is 0 on both sides). For parity, the number of nonzero entries.
    pub components: usize,
    /// The number of components where the two sides differ (0 when the check passes).
    pub violations: usize,
}

impl Check {
    /// Whether the check passed.
    pub fn passed(&self) -> bool {
        self.violations == 0
    }
}

/// The first component at which a check failed.
///
/// For a generator X, `component` indexes the legs of the tensor (inputs then outputs) and
///
/// ```text
/// lhs = (X_out T)[component] = Σ_o Σ_k X^(o)[i_o, k] T[… k …]
/// rhs = (T X_in)[component]  = Σ_i Σ_k T[… k …] X^(i)[k, i_i]
/// ```
///
/// For parity, `component` is the first nonzero entry of a tensor whose parities do not
/// match, `lhs` its value and `rhs` 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The generator (or parity).
    pub generator: Generator,
    /// The offending component, one index per leg.
    pub component: Vec<usize>,
    /// The left side, exactly.
    #[serde(serialize_with = "as_text")]
    pub lhs: SqrtSum,
    /// The right side, exactly.
    #[serde(serialize_with = "as_text")]
    pub rhs: SqrtSum,
}

/// An exact certificate that a tensor T: V_1 ⊗ … ⊗ V_k → V_out commutes with the Lie
/// algebra generators and respects parity, or the first component where it does not.
///
/// Serialises to JSON with the exact values as text (`serde_json::to_string`).
///
/// # Convention
/// Complex basis: J_z and J_+ of `CONVENTIONS.md#condon-shortley`; real basis: e3nn's L_x,
/// L_y, L_z (`CONVENTIONS.md#real-basis`); parity as in `CONVENTIONS.md#parity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EquivarianceCertificate {
    /// Whether every check passed.
    pub holds: bool,
    /// The tensor's legs and basis, e.g. `(1o, 1o -> 1e; real)`.
    pub legs: String,
    /// One entry per generator, then parity (absent when a leg carries a bare spin).
    pub checks: Vec<Check>,
    /// The first failure, in the order of `checks` and then of the components.
    pub violation: Option<Violation>,
}

impl fmt::Display for EquivarianceCertificate {
    /// `equivariant (1o, 1o -> 1e; real): L_x 12, L_y 12, L_z 12, parity 6` or
    /// `not equivariant (…): J_+ fails at [0, 1, 2]: lhs = …, rhs = …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v) = &self.violation {
            return write!(
                f,
                "not equivariant {}: {} fails at {:?}: lhs = {}, rhs = {}",
                self.legs, v.generator, v.component, v.lhs, v.rhs
            );
        }
        write!(f, "equivariant {}:", self.legs)?;
        for (i, c) in self.checks.iter().enumerate() {
            let sep = if i == 0 { " " } else { ", " };
            write!(f, "{sep}{} {}", c.generator, c.components)?;
        }
        Ok(())
    }
}
