//! racah-proofs: exact certificates that coupling coefficients, diagrams and tensors are what
//! they claim to be.
//!
//! # Vocabulary
//! - [`identity`]: the identity catalogue (orthogonality, Racah, Biedenharn–Elliott, 9j, …),
//!   each checked with `==` over every argument up to a bound.
//! - [`equivariance::certify`]: an exact [`certificate_exact::EquivarianceCertificate`] that a
//!   tensor T: V_1 ⊗ … ⊗ V_k → V_out commutes with J_z, J_+ (complex basis) or L_x, L_y, L_z
//!   (real basis) and respects parity, naming the first offending component otherwise.
//!
//! # Tour
//! ```
//! use racah_core::fusion::{Diagram, LabelledFusionTree};
//! use racah_exact::{contract, Basis};
//! use racah_proofs::equivariance::certify;
//! let t: LabelledFusionTree = "((1o,1o)->1e,1o)->0o".parse()?; // the triple product
//! let cert = certify(&contract(&Diagram::from(&t), Basis::Real)?)?;
//! assert!(cert.holds, "{cert}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Conventions are documented in the repository's `CONVENTIONS.md`.
#![forbid(unsafe_code)]

pub mod certificate_exact;
pub mod certify;
pub mod counting;
pub mod diagnosis;
pub mod equivariance;
pub mod identity;
pub mod network_model;
pub mod prove_report;
pub mod shard;
