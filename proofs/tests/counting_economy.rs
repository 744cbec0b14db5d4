//! Parameter economy of network models (issue #7): the parsimonious variant spans the same rank
//! with no more parameters, redundant paths are named, and Cormorant's CG square wastes exactly
//! its antisymmetric couplings.

use proptest::prelude::*;
use racah_numeric::network::Network;
use racah_proofs::counting::{
    fusion_block_sections, model_economy, model_economy_variant, CountingError, ProductVariant,
};

const MACE: &str = include_str!("../../examples/mace-small.toml");
const CORMORANT: &str = include_str!("../../examples/cormorant-small.toml");

fn cormorant(hidden: &str, layers: usize) -> Network {
    Network::from_toml_str(&format!(
        "name = \"c\"\narchitecture = \"cormorant\"\nspecies = [\"H\", \"C\"]\ncutoff = 3.0\n\
         [features]\nhidden = \"{hidden}\"\nsh_lmax = 2\nlayers = {layers}\n"
    ))
    .unwrap()
}

fn mace(hidden: &str, sh_lmax: u32, correlation: usize, parsimonious: bool) -> Network {
    Network::from_toml_str(&format!(
        "name = \"m\"\narchitecture = \"mace\"\nspecies = [\"H\", \"C\"]\ncutoff = 3.0\n\
         [features]\nhidden = \"{hidden}\"\nsh_lmax = {sh_lmax}\nlayers = 1\n\
         correlation = {correlation}\nparsimonious = {parsimonious}\n"
    ))
    .unwrap()
}

#[test]
fn test_mace_small_economy() {
    let net = Network::from_toml_str(MACE).unwrap();
    let e = model_economy(&net).unwrap();
    assert_eq!(e.described.variant, ProductVariant::ParsimoniousFusion);
    assert_eq!(e.variant.variant, ProductVariant::FullFusion);
    assert!(e.parsimony_pays(), "{e}");
    // V = 0e+1o+2e, ν ≤ 3: 1+1+1 + 3+2+3 + 5+5+6 = 27 couplings (MATH.md §5)
    for side in [&e.described, &e.variant] {
        assert!(side.is_complete(), "{e}");
        for l in &side.layers {
            assert_eq!((l.rank, l.count.to_u32()), (27, Some(27)), "{e}");
        }
    }
    // parsimonious: 27 paths × 8 channels × 4 species; every sorted tree: 35 paths
    let l1 = &e.described.layers[0];
    assert_eq!((l1.paths, l1.product_parameters), (27, 27 * 8 * 4));
    assert!(l1.redundant().is_empty());
    let full = &e.variant.layers[0];
    assert_eq!((full.paths, full.product_parameters), (35, 35 * 8 * 4));
    // the non-parsimonious block names its 8 wasted paths and what they depend on
    let names: Vec<&str> = full.redundant().iter().map(|d| d.path.as_str()).collect();
    assert_eq!(names.len(), 8, "{e}");
    assert!(names.contains(&"((1o,1o)->1e,1o)->1o"), "{names:?}");
    assert!(names.contains(&"((2e,2e)->4e,2e)->2e"), "{names:?}");
    // a path through (1o,1o)->1e vanishes on equal inputs: it depends on nothing; the others
    // are combinations of kept paths, which are named
    for d in full.redundant() {
        assert_eq!(
            d.depends_on.is_empty(),
            d.path.contains("(1o,1o)->1e")
                || d.path.contains("(2e,2e)->1e")
                || d.path.contains("(2e,2e)->3e"),
            "{}: {:?}",
            d.path,
            d.depends_on
        );
    }
    // only the product changed: 8 paths × 8 channels × 4 species more per layer
    for (a, b) in e.described.layers.iter().zip(&e.variant.layers) {
        assert_eq!(b.parameters - a.parameters, 8 * 8 * 4);
    }
    let text = e.to_string();
    assert!(text.contains("features.parsimonious = false"), "{text}");
    assert!(
        text.contains("redundant path #21 ((1o,1o)->1e,1o)->1o"),
        "{text}"
    );
}

#[test]
fn test_mace_described_non_parsimonious() {
    // both directions: described with parsimonious = false, the variant is the parsimonious one
    let e = model_economy(&mace("2x0e+2x1o", 1, 3, false)).unwrap();
    assert_eq!(e.described.variant, ProductVariant::FullFusion);
    assert!(std::ptr::eq(e.parsimonious_side(), &e.variant));
    assert!(e.parsimony_pays(), "{e}");
    assert!(!e.described.is_parsimonious() && e.variant.is_parsimonious());
    assert!(e.variant.total_parameters() < e.described.total_parameters());
}

#[test]
fn test_cormorant_small_economy() {
    // hidden 0e+1o+2e has no 1e: every CG-square pair is a symmetric coupling, nothing wasted
    let net = Network::from_toml_str(CORMORANT).unwrap();
    let e = model_economy(&net).unwrap();
    assert!(e.parsimony_pays(), "{e}");
    assert!(
        e.described.is_complete() && e.described.is_parsimonious(),
        "{e}"
    );
    // layer 2: Sym²(0e+1o+2e) → 0e/1o/2e: 3/2/3 (MATH.md §5)
    let ranks: Vec<usize> = e.described.layers[1]
        .report
        .groups
        .iter()
        .map(|g| g.rank)
        .collect();
    assert_eq!(ranks, [3, 2, 3]);
    assert_eq!(e.described.layers[1].product_parameters, 8 * 6);
}

#[test]
fn test_cormorant_wastes_antisymmetric_paths() {
    let net = cormorant("4x0e+4x1o+4x1e", 2);
    let e = model_economy(&net).unwrap();
    let sq = &e.described.layers[1];
    let wasted: Vec<&str> = sq.redundant().iter().map(|d| d.path.as_str()).collect();
    // 1o⊗1o → 1e and 1e⊗1e → 1e are antisymmetric: zero on equal copies (up to roundoff,
    // 7 samples × ≤ 9 products of entries in [−1, 1))
    assert_eq!(wasted, ["(1o,1o)->1e", "(1e,1e)->1e"], "{e}");
    assert!(sq.redundant().iter().all(|d| d.residual < 1e-15), "{e}");
    assert!(sq.complete, "{e}");
    // the parsimonious block spans the same with 2 paths × 4 channels fewer weights
    assert!(e.parsimony_pays(), "{e}");
    let p = &e.variant.layers[1];
    assert_eq!(sq.product_parameters - p.product_parameters, 2 * 4);
    assert!(p.parameters < sq.parameters);
    assert!(e.variant.is_parsimonious());
    // the certificate section names them too
    let sections = fusion_block_sections(&net).unwrap();
    assert_eq!(sections[1].0, "layer 2: CG square (uuu)");
    assert_eq!(sections[1].1.redundant().len(), 2);
}

#[test]
fn test_full_fusion_variant_of_cormorant() {
    let net = cormorant("2x0e+2x1o+2x2e", 2);
    let full = model_economy_variant(&net, ProductVariant::FullFusion).unwrap();
    let pars = model_economy_variant(&net, ProductVariant::ParsimoniousFusion).unwrap();
    assert_eq!(full.ranks(), pars.ranks());
    assert!(full.is_complete() && pars.is_complete());
    // (1o,1o)->1e is not an output; (2e,2e)->1e/3e neither: sorted ν=2 trees are all useful
    assert_eq!(full.layers[1].paths, pars.layers[1].paths);
}

#[test]
fn economy_rejects_unanalysable_blocks() {
    // l = 13 exceeds the fusion blocks' largest l: the error names it
    let net = cormorant("1x0e+1x13e", 2);
    let err = model_economy(&net).unwrap_err();
    assert!(matches!(err, CountingError::FusionBlock(_)), "{err}");
    assert!(err.to_string().contains("13e"), "{err}");
}

fn irreps_subset() -> impl Strategy<Value = String> {
    (
        1usize..=2,
        proptest::sample::subsequence(vec!["0o", "1o", "1e", "2e", "2o"], 1..=3),
    )
        .prop_map(|(mul, terms)| {
            std::iter::once("0e")
                .chain(terms)
                .map(|t| format!("{mul}x{t}"))
                .collect::<Vec<_>>()
                .join("+")
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Cormorant: the CG square's wasted paths are exactly the (l,l) → L couplings with L odd
    /// (antisymmetric), its rank equals the parsimonious block's, which never costs more.
    #[test]
    fn economy_properties_cormorant(hidden in irreps_subset()) {
        let e = model_economy(&cormorant(&hidden, 2)).unwrap();
        prop_assert!(e.parsimony_pays(), "{}", e);
        prop_assert!(e.variant.is_parsimonious() && e.variant.is_complete(), "{}", e);
        let sq = &e.described.layers[1];
        for d in sq.redundant() {
            let (leaves, out) = d.path.split_once("->").unwrap();
            let leaves: Vec<&str> = leaves.trim_matches(|c| c == '(' || c == ')').split(',').collect();
            prop_assert_eq!(leaves[0], leaves[1], "{}", d.path);
            let l: u32 = out[..out.len() - 1].parse().unwrap();
            prop_assert!(l % 2 == 1, "{}", d.path);
            prop_assert!(d.residual < 1e-15, "{}", d.path);
        }
        for g in &sq.report.groups {
            prop_assert!(g.count >= g.rank);
        }
    }

    /// MACE: toggling parsimony never changes the rank, and the parsimonious block is complete
    /// with no more parameters.
    #[test]
    fn economy_properties_mace(
        mul in 1usize..=2, sh_lmax in 1u32..=2, correlation in 1usize..=3, pars in any::<bool>()
    ) {
        let hidden = format!("{mul}x0e+{mul}x1o");
        let e = model_economy(&mace(&hidden, sh_lmax, correlation, pars)).unwrap();
        prop_assert!(e.parsimony_pays(), "{}", e);
        prop_assert!(e.parsimonious_side().is_complete(), "{}", e);
        prop_assert!(e.parsimonious_side().is_parsimonious(), "{}", e);
        prop_assert_eq!(e.described.layers[0].count.clone(), e.variant.layers[0].count.clone());
    }
}
