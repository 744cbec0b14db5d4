//! Exact counting: how many independent equivariant maps exist, and how many a fusion block
//! actually spans.
//!
//! # Vocabulary
//! - [`O3Character`]: a character of O(3) as weight multiplicities (a Laurent polynomial in
//!   q = e^{iθ}) graded by parity; multiplicities are read off exactly (MATH.md §5).
//! - [`multiplicity_in_product`]: the multiplicity of V_L in V_{l1} ⊗ … ⊗ V_{lk} (MATH.md §2).
//! - [`symmetric_couplings`]: independent symmetric couplings Sym^ν(V) → V_L, by the cycle
//!   index of S_ν ([`cycle_types`]).
//! - [`MolienSeries`]: permutation-invariant, rotation-equivariant polynomials of degree d in
//!   n neighbour positions (S_n × O(3)).
//! - [`analyse_block`]: the numerical rank of a fusion block's paths per body order and output,
//!   against the exact count: complete, incomplete (what is missing), redundant (which paths).
//! - [`model_economy`]: a network's parameters per layer against the rank its product layers
//!   span and the exact count, as described and with the product replaced by a (non-)
//!   parsimonious fusion block, side by side.
//! - [`feature_rank`]: the rank of a block's features evaluated on random configurations of
//!   polynomial one-particle features [`PolynomialFeatures`], against the Molien count.
//! - [`layer_feature_rank`]: the rank of every term of a network's layer outputs as functions
//!   of random neighbourhoods ([`random_neighbourhoods`]): channels that add nothing.
//!
//! Counting is exact (`rug::Integer`, no floating point); ranks are numerical with the gap
//! [`racah_numeric::RANK_GAP`], and every report states the residuals on both sides of it.
//!
//! # Tour
//! ```
//! use racah_numeric::FusionBlock;
//! use racah_proofs::counting::{analyse_block, symmetric_couplings};
//! let v = "0e+1o".parse()?;
//! assert_eq!(symmetric_couplings(&v, 4, "0e".parse()?)?, 3); // MATH.md §5
//! let sc = FusionBlock::<f64>::mace_symmetric_contraction(&"1x0e+1x1o".parse()?,
//!     &"1x0e+1x1o".parse()?, 3, 1)?;
//! let report = analyse_block(&sc, None)?;
//! assert!(report.is_complete() && report.is_parsimonious(), "{report}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod block_rank;
mod character;
mod cycle_index;
mod economy;
mod error;
mod features;
mod independence;
mod layer_rank;
mod molien;
mod path_samples;
mod product;
mod rng;
mod symmetric_power;

pub use block_rank::{analyse_block, BlockReport, DependentPath, GroupReport};
pub use character::O3Character;
pub use cycle_index::{cycle_types, CycleType, MAX_CYCLE_INDEX_N};
pub use economy::{
    fusion_block_sections, model_economy, model_economy_variant, EconomyReport, LayerEconomy,
    ModelEconomy, ProductVariant,
};
pub use error::CountingError;
pub use features::{feature_rank, FeatureRankReport, FeatureRankRow, PolynomialFeatures};
pub use layer_rank::{
    layer_feature_rank, layer_feature_rank_on, random_neighbourhoods, LayerRankRow, LAYER_RANK_GAP,
    MIN_ATOM_DISTANCE, ZERO_TERM,
};
pub use molien::{MolienSeries, MAX_MOLIEN_DEGREE};
pub use product::{multiplicity_in_product, product_character};
pub use symmetric_power::{symmetric_couplings, symmetric_power, symmetric_powers};

/// The exact integer type of every count (GMP's, re-exported so callers need not depend on
/// `rug`).
pub use rug::Integer;

/// Serialises an exact count as a JSON number when it fits in `u64`, else as a decimal string.
pub(crate) fn serialize_integer<S: serde::Serializer>(
    n: &Integer,
    s: S,
) -> Result<S::Ok, S::Error> {
    match n.to_u64() {
        Some(v) => s.serialize_u64(v),
        None => s.serialize_str(&n.to_string()),
    }
}

/// Serialises a value by its `Display` text (irreps as `1o`).
pub(crate) fn serialize_display<T: std::fmt::Display, S: serde::Serializer>(
    v: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}
