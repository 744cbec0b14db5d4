//! Rank of a full network layer on random neighbourhoods (issue #7): mace-small spends every
//! channel on an independent function, constructions that cannot use their width show a rank
//! below the channels with a clear gap, and the rank does not see rotations or reflections.

use proptest::prelude::*;
use racah_numeric::network::{Network, Structure};
use racah_numeric::O3Element;
use racah_proofs::counting::{
    layer_feature_rank, layer_feature_rank_on, random_neighbourhoods, CountingError, LayerRankRow,
    LAYER_RANK_GAP, MIN_ATOM_DISTANCE, ZERO_TERM,
};
use rand::SeedableRng;

const MACE: &str = include_str!("../../examples/mace-small.toml");

fn mace(species: &str, radial_hidden: usize, hidden: &str, sh_lmax: u32) -> Network {
    mace_nu(species, radial_hidden, hidden, sh_lmax, 2)
}

fn mace_nu(species: &str, radial: usize, hidden: &str, sh_lmax: u32, nu: usize) -> Network {
    Network::from_toml_str(&format!(
        "name = \"m\"\narchitecture = \"mace\"\nspecies = [{species}]\ncutoff = 3.0\n\
         [radial]\nhidden = [{radial}]\n\
         [features]\nhidden = \"{hidden}\"\nsh_lmax = {sh_lmax}\nlayers = 2\ncorrelation = {nu}\n"
    ))
    .unwrap()
}

fn row<'a>(rows: &'a [LayerRankRow], layer: &str, term: &str) -> &'a LayerRankRow {
    rows.iter()
        .find(|r| r.layer == layer && r.term.to_string() == term)
        .unwrap_or_else(|| panic!("no row {layer} {term}"))
}

fn table(rows: &[LayerRankRow]) -> String {
    rows.iter().map(|r| format!("{r}\n")).collect()
}

/// Roundoff of a dropped channel, relative to the layer's largest channel: a few hundred
/// terms (samples × components) at eps each.
const ROUNDOFF: f64 = 1e-12;

#[test]
fn test_mace_small_every_channel_counts() {
    let net = Network::from_toml_str(MACE).unwrap();
    // 8 channels per term: 2 · 8 + 8 neighbourhoods of a centre and 4 neighbours
    let rows = layer_feature_rank(&net, 24, 4, 1).unwrap();
    let t = table(&rows);
    // 2 layers × (A, product, output) × (0e, 1o, 2e)
    assert_eq!(rows.len(), 18, "{t}");
    assert_eq!(rows[0].layer, "layer 1: A");
    assert_eq!(rows[17].layer, "layer 2: output");
    for r in &rows {
        assert_eq!(r.channels, 8, "{t}");
        assert!(r.is_full(), "{t}");
        assert_eq!(r.gap, LAYER_RANK_GAP);
        // the smallest kept residual is far above the gap
        assert!(r.min_kept.unwrap() > 1e4 * LAYER_RANK_GAP, "{t}");
        assert_eq!(r.max_dropped, None, "{t}");
    }
    // too few neighbourhoods: a 0e term has one row per neighbourhood, so 5 give rank 5
    let few = layer_feature_rank(&net, 5, 4, 1).unwrap();
    assert_eq!(
        row(&few, "layer 1: product", "8x0e").rank,
        5,
        "{}",
        table(&few)
    );
    assert_eq!(
        row(&few, "layer 1: product", "8x1o").rank,
        8,
        "{}",
        table(&few)
    );
}

#[test]
fn test_one_neighbour_makes_no_pseudovector() {
    // A = 0e+1o+2e per channel; the product's 1e is a × (T a) (body order 3: a = A_1o,
    // T = A_2e of one channel). Centre + 1 neighbour is a single vector r: a ∝ r̂ and
    // T a ∝ r̂, so every 1e feature vanishes, in every layer.
    let net = mace_nu("\"H\", \"O\"", 16, "4x0e+4x1o+4x1e", 2, 3);
    let one = layer_feature_rank(&net, 16, 1, 3).unwrap();
    let t = table(&one);
    for r in one.iter().filter(|r| r.term.to_string() == "4x1e") {
        assert_eq!(r.rank, 0, "{t}");
        assert!(r.size <= ZERO_TERM, "{t}");
        assert_eq!((r.min_kept, r.max_dropped), (None, None), "{t}");
    }
    assert!(row(&one, "layer 1: product", "4x1o").is_full(), "{t}");
    // two neighbours make r1 × r2: the same terms are full
    let two = layer_feature_rank(&net, 16, 2, 3).unwrap();
    let t = table(&two);
    for layer in ["layer 1: product", "layer 1: output", "layer 2: output"] {
        let r = row(&two, layer, "4x1e");
        assert!(r.is_full(), "{t}");
        assert!(r.min_kept.unwrap() > 1e4 * LAYER_RANK_GAP, "{t}");
    }
    // body order 2 cannot make a pseudovector from one channel (Sym²(0e+1o+2e) has no 1e):
    // the 1e width is wasted for any number of neighbours
    let nu2 = mace_nu("\"H\", \"O\"", 16, "4x0e+4x1o+4x1e", 2, 2);
    let rows = layer_feature_rank(&nu2, 16, 3, 3).unwrap();
    let t = table(&rows);
    for r in rows.iter().filter(|r| r.term.to_string() == "4x1e") {
        assert_eq!(r.rank, 0, "{t}");
    }
}

#[test]
fn test_radial_bottleneck_wastes_width() {
    // one species and a radial MLP of width 2: layer 1's A_c = Σ_j g_c(r_j) Y(r̂_j) with every
    // g_c in the span of 2 hidden units, so each A term has rank 2 of its 8 channels, for any
    // number of neighbours
    let net = mace("\"H\"", 2, "8x0e+8x1o", 1);
    for n in [1, 3] {
        let rows = layer_feature_rank(&net, 24, n, 5).unwrap();
        let t = table(&rows);
        for term in ["8x0e", "8x1o"] {
            let r = row(&rows, "layer 1: A", term);
            assert_eq!((r.rank, r.channels), (2, 8), "{t}");
            assert!(!r.is_full());
            // a clear gap: kept ≫ gap ≫ dropped
            assert!(r.min_kept.unwrap() > 1e-3, "{t}");
            assert!(r.max_dropped.unwrap() < ROUNDOFF, "{t}");
            assert!(r.separation() > 1e9, "{t}");
        }
        assert!(r_display_marks(&rows));
    }
    // the same model with two species: g_c(r) times the neighbour's embedding, rank ≤ 2 · 2
    let two = mace("\"H\", \"O\"", 2, "8x0e+8x1o", 1);
    let rows = layer_feature_rank(&two, 24, 1, 5).unwrap();
    assert_eq!(row(&rows, "layer 1: A", "8x1o").rank, 4, "{}", table(&rows));
}

fn r_display_marks(rows: &[LayerRankRow]) -> bool {
    rows.iter().all(|r| {
        let s = r.to_string();
        s.contains(&format!("rank {:>3} / {:<3}", r.rank, r.channels))
            && s.contains(if r.is_full() {
                "full"
            } else if r.size <= ZERO_TERM {
                "ZERO"
            } else {
                "DEFICIENT"
            })
    })
}

#[test]
fn test_rows_serialize() {
    let net = mace("\"H\"", 2, "8x0e+8x1o", 1);
    let rows = layer_feature_rank(&net, 12, 1, 5).unwrap();
    let json = serde_json::to_value(&rows[1]).unwrap();
    assert_eq!(json["layer"], "layer 1: A");
    assert_eq!(json["term"], "8x1o");
    assert_eq!(json["channels"], 8);
    assert_eq!(json["rank"], 2);
    assert_eq!(json["gap"], LAYER_RANK_GAP);
    assert_eq!(json["size"], 1.0); // 8x1o holds the largest channel of layer 1: A
    assert!(json["min_kept"].is_f64() && json["max_dropped"].is_f64());
}

#[test]
fn layer_feature_rank_rejects_bad_input() {
    let net = mace("\"H\", \"O\"", 4, "2x0e+2x1o", 1);
    let msg = |e: CountingError| e.to_string();
    // no samples
    let e = msg(layer_feature_rank(&net, 0, 2, 1).unwrap_err());
    assert!(e.contains("samples = 0"), "{e}");
    assert!(matches!(
        layer_feature_rank_on(&net, &[]),
        Err(CountingError::InvalidArgument {
            what: "samples",
            ..
        })
    ));
    // more neighbours than fit 0.8 apart in a ball of radius 3
    let e = msg(layer_feature_rank(&net, 2, 400, 1).unwrap_err());
    assert!(
        e.contains("400 neighbours") && e.contains("cutoff 3"),
        "{e}"
    );
    // a cutoff below the spacing leaves no room for even one neighbour
    let tight = Network::from_toml_str(
        "name = \"t\"\narchitecture = \"mace\"\nspecies = [\"H\"]\ncutoff = 0.5\n\
         [features]\nhidden = \"2x0e\"\nsh_lmax = 1\nlayers = 1\n",
    )
    .unwrap();
    assert!(layer_feature_rank(&tight, 2, 0, 1).is_ok());
    let e = msg(random_neighbourhoods(&tight, 2, 1, 1).unwrap_err());
    assert!(e.contains("1 neighbours") && e.contains("0.5"), "{e}");
    // a neighbourhood with a species the model does not know, named with its index
    let carbon = Structure::new(vec![[0.0; 3], [1.0, 0.0, 0.0]], vec![1, 6], None).unwrap();
    let ok = Structure::new(vec![[0.0; 3], [1.0, 0.0, 0.0]], vec![1, 8], None).unwrap();
    let e = msg(layer_feature_rank_on(&net, &[ok, carbon]).unwrap_err());
    assert!(
        e.contains("neighbourhood 1") && e.contains("atomic number 6"),
        "{e}"
    );
}

fn rotated(hoods: &[Structure<f64>], seed: u64) -> Vec<Structure<f64>> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    hoods
        .iter()
        .map(|s| {
            let g = O3Element::random(&mut rng);
            let positions = s.positions.iter().map(|p| g.apply(*p)).collect();
            Structure::new(positions, s.species.clone(), None).unwrap()
        })
        .collect()
}

fn ranks(rows: &[LayerRankRow]) -> Vec<usize> {
    rows.iter().map(|r| r.rank).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..racah_core::testing::seeded(0x1a7e_4a4c) })]

    /// Rotating or reflecting each neighbourhood by its own O(3) element multiplies its rows by
    /// an orthogonal D(g), so no rank changes (full or deficient).
    #[test]
    fn layer_feature_rank_properties(
        seed in any::<u64>(),
        rot_seed in any::<u64>(),
        n in 1usize..4,
        bottleneck in any::<bool>(),
    ) {
        let net = if bottleneck {
            mace("\"H\"", 2, "4x0e+4x1o+4x1e", 2)
        } else {
            mace("\"H\", \"O\"", 8, "4x0e+4x1o+4x1e", 2)
        };
        let hoods = random_neighbourhoods(&net, 12, n, seed).unwrap();
        for s in &hoods {
            prop_assert_eq!(s.positions[0], [0.0; 3]);
            for (i, p) in s.positions.iter().enumerate().skip(1) {
                let r2: f64 = p.iter().map(|x| x * x).sum();
                prop_assert!(r2 < 9.0);
                for q in &s.positions[..i] {
                    let d2: f64 = (0..3).map(|k| (p[k] - q[k]).powi(2)).sum();
                    prop_assert!(d2 >= MIN_ATOM_DISTANCE * MIN_ATOM_DISTANCE);
                }
            }
        }
        let base = layer_feature_rank_on(&net, &hoods).unwrap();
        // deterministic in the seed
        prop_assert_eq!(&base, &layer_feature_rank(&net, 12, n, seed).unwrap());
        let turned = layer_feature_rank_on(&net, &rotated(&hoods, rot_seed)).unwrap();
        prop_assert_eq!(ranks(&base), ranks(&turned), "{}\n{}", table(&base), table(&turned));
        for r in &base {
            prop_assert!(r.rank <= r.channels);
            prop_assert!(r.separation() > 1e6, "{}", table(&base));
        }
    }
}
