//! Numeric certification of whole models: rotations, reflections, permutations of atoms and
//! translations, in f32, f64 and double-double, with errors in units of each precision's ε.
//!
//! # Vocabulary
//! - [`CertifiableModel`]: what a model implements ([`model`]).
//! - [`certify`] with [`CertifyOptions`]: the engine; it returns a [`CertificationReport`]
//!   (serde tree + terminal table) with [`ErrorRow`]s per precision, kind, output and irreps
//!   term, [`LadderRow`]s with a [`Verdict`] (roundoff or symmetry break), per-layer
//!   [`LayerResult`]s and the layer the report points at.
//! - [`Transform`], [`RationalRotation`], [`TransformKind`]: exactly rational rotations,
//!   reflections, permutations and dyadic translations.
//! - [`random_structure`], [`random_structures`], [`StructureSpec`]: test structures on the
//!   dyadic grid 2⁻¹²·ℤ.
//! - [`audit_tensor_product`], [`audit_linear`], [`audit_fusion_block`]: exact audits of the
//!   linear components, for [`CertifiableModel::component_audits`].
//!
//! MATH.md §4 describes the method.

mod audit;
mod engine;
mod ladder;
pub mod model;
mod report;
mod structures;
mod transforms;
mod wigner;

pub use audit::{audit_fusion_block, audit_linear, audit_tensor_product};
pub use engine::{
    certify, CertifyOptions, DEFAULT_STRUCTURES, DEFAULT_THRESHOLD_EPS, DEFAULT_TRIALS,
    TERM_SCALE_FLOOR,
};
pub use ladder::{ladder_verdict, Verdict};
pub use model::{
    CertInput, CertOutput, CertifiableModel, ComponentAudit, LayerFeatures, ModelError,
    ModelSignature, OutputSpec, Precision,
};
pub use report::{CertificationReport, ErrorRow, LadderRow, LayerResult, OptionsRecord, Target};
pub use structures::{random_structure, random_structures, StructureSpec};
pub use transforms::{RationalRotation, Transform, TransformKind, DYADIC_STEP};
pub use wigner::Representation;
