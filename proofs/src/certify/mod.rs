//! Numeric certification of whole models: rotations, reflections, permutations of atoms and
//! translations, in f32, f64 and double-double, with errors in units of each precision's ε.

pub mod model;

pub use model::{
    CertInput, CertOutput, CertifiableModel, ComponentAudit, LayerFeatures, ModelError,
    ModelSignature, OutputSpec, Precision,
};
