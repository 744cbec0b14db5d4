//! Universality bounds by counting (MATH.md §5): exact counts, and the rank of fusion blocks
//! and of the shipped models' product layers against them.

use super::{Check, Tally};
use racah_core::{Irrep, Irreps};
use racah_numeric::network::Network;
use racah_numeric::{FusionBlock, FusionBlockOptions};
use racah_proofs::counting::{
    analyse_block, feature_rank, model_economy, multiplicity_in_product, symmetric_couplings,
    PolynomialFeatures,
};

const MACE: &str = include_str!("../../../examples/mace-small.toml");
const CORMORANT: &str = include_str!("../../../examples/cormorant-small.toml");

/// A Cormorant model whose hidden irreps hold 1e, so that its CG square has antisymmetric
/// couplings (1o ⊗ 1o → 1e, 1e ⊗ 1e → 1e) that vanish on equal copies.
const CORMORANT_1E: &str = r#"
name = "cormorant-1e"
architecture = "cormorant"
species = ["H", "C"]
cutoff = 3.0
[features]
hidden = "4x0e+4x1o+4x1e"
sh_lmax = 2
layers = 2
"#;

pub(super) fn checks() -> Vec<Check> {
    vec![
        Check {
            section: "counting",
            name: "exact-counts",
            description: "MATH.md §5 symmetric couplings Sym^nu(V) -> 0e/1o/2e (l_max 1, 2) and §2 multiplicities in products, exactly",
            run: Some(exact_counts),
            identity: None,
        },
        Check {
            section: "counting",
            name: "mace-complete",
            description: "MACE symmetric contraction (parsimonious fusion block) complete and parsimonious for nu <= 3, l_max <= 3, every output l <= 3 of both parities",
            run: Some(mace_complete),
            identity: None,
        },
        Check {
            section: "counting",
            name: "defects-detected",
            description: "a block with one path removed is incomplete in that path's group; one with a path duplicated is redundant and names it (every path of l_max = 2, nu = 3)",
            run: Some(defects_detected),
            identity: None,
        },
        Check {
            section: "counting",
            name: "features-molien",
            description: "a body-order-4 block on polynomial features of degree <= 4 reaches the Molien count for n = 1..3 neighbours at every degree <= 4",
            run: Some(features_molien),
            identity: None,
        },
        Check {
            section: "counting",
            name: "model-economy",
            description: "examples/mace-small.toml and cormorant-small.toml: the parsimonious variant spans equal rank with no more parameters, every product layer complete; redundant paths named",
            run: Some(model_economy_check),
            identity: None,
        },
    ]
}

fn ir(s: &str) -> Irrep {
    s.parse().expect("valid irrep")
}

fn irreps(s: &str) -> Irreps {
    s.parse().expect("valid irreps")
}

/// `mul x (0e + 1o + … + l_max)`.
fn harmonics(l_max: u32) -> Irreps {
    (0..=l_max)
        .map(|l| format!("1x{}", Irrep::harmonic(l)))
        .collect::<Vec<_>>()
        .join("+")
        .parse()
        .expect("valid irreps")
}

fn exact_counts() -> Tally {
    let mut t = Tally::default();
    // MATH.md §5: (l_max, ν, [0e, 1o, 2e])
    let table: [(u32, usize, [u32; 3]); 5] = [
        (1, 2, [2, 1, 1]),
        (1, 3, [2, 2, 1]),
        (1, 4, [3, 2, 2]),
        (2, 2, [3, 2, 3]),
        (2, 3, [5, 5, 6]),
    ];
    for (l_max, nu, want) in table {
        let v = harmonics(l_max);
        for (out, n) in ["0e", "1o", "2e"].into_iter().zip(want) {
            match symmetric_couplings(&v, nu, ir(out)) {
                Ok(got) => t.check(got == n, || {
                    format!("Sym^{nu}({v}) -> {out}: {got}, MATH.md §5 says {n}")
                }),
                Err(e) => t.error(format!("Sym^{nu}({v}) -> {out}: {e}")),
            }
        }
    }
    // MATH.md §2, with the natural parities (−1)^l; three vectors fuse to 0o, not 0e
    let products: [(&[&str], &str, u32); 8] = [
        (&["1o", "1o"], "0e", 1),
        (&["1o", "1o", "1o"], "1o", 3),
        (&["1o", "1o", "1o", "1o"], "0e", 3),
        (&["1o", "2e", "3o", "4e"], "2e", 12),
        (&["2e", "2e", "2e", "2e"], "2e", 16),
        (&["3o", "3o", "3o", "3o"], "0e", 7),
        (&["1o", "1o", "1o"], "0o", 1),
        (&["1o", "1o", "1o"], "0e", 0),
    ];
    for (factors, out, n) in products {
        let f: Vec<Irrep> = factors.iter().map(|s| ir(s)).collect();
        let got = multiplicity_in_product(&f, ir(out));
        t.check(got == n, || {
            format!(
                "{} -> {out}: {got}, MATH.md §2 says {n}",
                factors.join(" x ")
            )
        });
    }
    t
}

fn mace_complete() -> Tally {
    let mut t = Tally::default();
    let outs = irreps("1x0e+1x0o+1x1o+1x1e+1x2e+1x2o+1x3o+1x3e");
    for l_max in 0..=3 {
        for nu in 1..=3 {
            let v = harmonics(l_max);
            let block = match FusionBlock::<f64>::mace_symmetric_contraction(&v, &outs, nu, 1) {
                Ok(b) => b,
                Err(e) => {
                    t.error(format!("l_max {l_max}, nu {nu}: {e}"));
                    continue;
                }
            };
            match analyse_block(&block, None) {
                Ok(r) => {
                    t.check(r.is_complete() && r.is_consistent(), || {
                        format!("l_max {l_max}, nu {nu}: {r}")
                    });
                    t.check(r.is_parsimonious(), || {
                        format!("l_max {l_max}, nu {nu}: {r}")
                    });
                    t.check(r.count() == block.num_paths(), || {
                        format!(
                            "l_max {l_max}, nu {nu}: {} paths for {} couplings",
                            block.num_paths(),
                            r.count()
                        )
                    });
                }
                Err(e) => t.error(format!("l_max {l_max}, nu {nu}: {e}")),
            }
        }
    }
    t
}

fn defects_detected() -> Tally {
    let mut t = Tally::default();
    // parsimonious, so that every path is needed
    let outs = irreps("1x0e+1x1o+1x2e");
    let block = match FusionBlock::<f64>::mace_symmetric_contraction(&harmonics(2), &outs, 3, 1) {
        Ok(b) => b,
        Err(e) => {
            t.error(format!("building the block: {e}"));
            return t;
        }
    };
    let n = block.num_paths();
    for k in 0..n {
        let path = &block.paths()[k];
        let name = path.to_string();
        let removed: Vec<usize> = (0..n).filter(|&p| p != k).collect();
        match analyse_block(&block, Some(&removed)) {
            Ok(r) => {
                let missing = r.missing();
                t.check(
                    !r.is_complete()
                        && missing.len() == 1
                        && missing[0].0 == path.body_order()
                        && missing[0].1 == path.output()
                        && missing[0].2 == 1,
                    || format!("without path #{k} {name}: {r}"),
                );
            }
            Err(e) => t.error(format!("without path #{k}: {e}")),
        }
        let mut duplicated: Vec<usize> = (0..n).collect();
        duplicated.push(k);
        match analyse_block(&block, Some(&duplicated)) {
            Ok(r) => {
                let red = r.redundant();
                t.check(
                    r.is_complete()
                        && red.len() == 1
                        && red[0].index == k
                        && red[0].path == name
                        && red[0].depends_on.iter().any(|(i, _)| *i == k),
                    || format!("with path #{k} {name} twice: {r}"),
                );
            }
            Err(e) => t.error(format!("with path #{k} twice: {e}")),
        }
    }
    t
}

fn features_molien() -> Tally {
    let mut t = Tally::default();
    let d = 4;
    let built = PolynomialFeatures::up_to_degree(d).and_then(|f| {
        let block = FusionBlock::<f64>::new(
            f.irreps(),
            d as usize,
            &irreps("1x0e+1x0o+1x1o+1x1e+1x2e+1x3o+1x4e"),
            FusionBlockOptions::default(),
        )?;
        Ok((f, block))
    });
    let (f, block) = match built {
        Ok(fb) => fb,
        Err(e) => {
            t.error(format!("building the block: {e}"));
            return t;
        }
    };
    for n in 1..=3 {
        match feature_rank(&block, &f, n, d) {
            Ok(r) => {
                for row in &r.rows {
                    t.check(row.molien == row.rank, || {
                        format!(
                            "n = {n}, degree {} -> {}: rank {} of Molien {}",
                            row.degree, row.output, row.rank, row.molien
                        )
                    });
                }
                t.check(r.is_consistent(), || format!("n = {n}: {r}"));
            }
            Err(e) => t.error(format!("n = {n}: {e}")),
        }
    }
    t
}

/// The economy reports made by [`model_economy_check`], for the JSON and HTML reports.
static ECONOMY: std::sync::Mutex<Vec<racah_proofs::counting::EconomyReport>> =
    std::sync::Mutex::new(Vec::new());

/// Takes the economy reports made so far.
pub(super) fn take_economy() -> Vec<racah_proofs::counting::EconomyReport> {
    std::mem::take(&mut *ECONOMY.lock().expect("economy store"))
}

fn model_economy_check() -> Tally {
    let mut t = Tally::default();
    for text in [MACE, CORMORANT, CORMORANT_1E] {
        let report = Network::from_toml_str(text)
            .map_err(|e| e.to_string())
            .and_then(|net| model_economy(&net).map_err(|e| e.to_string()));
        let e = match report {
            Ok(e) => e,
            Err(err) => {
                t.error(format!("economy: {err}"));
                continue;
            }
        };
        let (p, r) = (e.parsimonious_side(), e.reference_side());
        t.check(p.ranks() == r.ranks(), || {
            format!(
                "{}: ranks differ: {:?} vs {:?}",
                e.model,
                p.ranks(),
                r.ranks()
            )
        });
        t.check(p.total_parameters() <= r.total_parameters(), || {
            format!(
                "{}: parsimonious side has more parameters: {} > {}",
                e.model,
                p.total_parameters(),
                r.total_parameters()
            )
        });
        ECONOMY.lock().expect("economy store").push(e.clone());
        for side in [p, r] {
            for l in &side.layers {
                t.check(l.complete, || {
                    format!(
                        "{}: {} {} incomplete: {}",
                        e.model, l.layer, l.component, l.report
                    )
                });
            }
        }
        t.check(p.is_parsimonious(), || format!("{e}"));
        // the non-parsimonious MACE block and the 1e Cormorant square name what they waste
        match e.model.as_str() {
            "mace-small" => t.check(
                r.layers.iter().all(|l| {
                    l.redundant()
                        .iter()
                        .any(|d| d.path == "((1o,1o)->1e,1o)->1o")
                }),
                || format!("{e}"),
            ),
            "cormorant-1e" => t.check(
                r.layers[1]
                    .redundant()
                    .iter()
                    .map(|d| d.path.as_str())
                    .eq(["(1o,1o)->1e", "(1e,1e)->1e"]),
                || format!("{e}"),
            ),
            _ => {}
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_counting_checks_pass() {
        for c in checks() {
            let start = std::time::Instant::now();
            let t = (c.run.expect("every counting check runs"))();
            println!("{}: {} cases in {:.2?}", c.name, t.cases, start.elapsed());
            assert!(t.cases > 0, "{}", c.name);
            assert_eq!(t.failures, 0, "{}: {:?}", c.name, t.first);
        }
    }
}
