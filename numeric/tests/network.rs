//! Networks: descriptions, neighbour lists, invariances, forces against finite differences.

use racah_numeric::network::{NeighbourList, Network, NetworkError, Structure};
use racah_numeric::{DoubleDouble, Float, Rotation};
use std::path::PathBuf;

/// An example network of `examples/` by file name.
pub(crate) fn example(name: &str) -> Network {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    Network::from_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const TINY: &str = r#"
name = "tiny"
architecture = "ARCH"
species = ["H", "C", "O"]
cutoff = 3.0
seed = SEED
states = 2
[radial]
num_basis = 4
hidden = [6]
[features]
hidden = "3x0e+3x1o+3x2e"
sh_lmax = 2
layers = 2
correlation = 3
[readout]
hidden = 5
"#;

/// A small two-layer, two-state network description of architecture `arch` ("mace" or
/// "cormorant") with weights drawn from `seed`.
pub(crate) fn tiny_toml(arch: &str, seed: u64) -> String {
    TINY.replace("ARCH", arch)
        .replace("SEED", &seed.to_string())
}

fn tiny(arch: &str) -> Network {
    Network::from_toml_str(&tiny_toml(arch, 11)).unwrap()
}

/// A small non-symmetric molecule (positions are dyadic, exact in f32).
fn molecule() -> Structure<f64> {
    Structure::new(
        vec![
            [0.0, 0.0, 0.0],
            [1.25, 0.125, -0.25],
            [-0.5, 1.0, 0.375],
            [0.75, -1.0, 0.5],
            [0.25, 0.5, 1.25],
        ],
        vec![6, 1, 8, 1, 6],
        None,
    )
    .unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-300)
}

#[test]
fn examples_build_and_run() {
    for name in [
        "mace-small.toml",
        "cormorant-small.toml",
        "stilbene-3state.toml",
    ] {
        let net = example(name);
        let s = Structure::new(
            vec![[0.0, 0.0, 0.0], [1.1, 0.2, 0.0], [-0.3, 1.0, 0.4]],
            vec![6, 1, 1],
            None,
        )
        .unwrap();
        let e = net.energies::<f64>(&s).unwrap();
        assert_eq!(e.len(), net.spec().states, "{name}");
        assert!(e.iter().all(|x| x.is_finite()), "{name}: {e:?}");
        assert!(net.num_parameters().unwrap() > 100, "{name}");
    }
}

#[test]
fn broken_examples_build() {
    for k in [
        "wrong-parity",
        "non-equivariant-gate",
        "perturbed-cg",
        "position-dependent",
    ] {
        let net = example(&format!("broken/{k}.toml"));
        assert_eq!(net.spec().defects.len(), 1, "{k}");
    }
}

#[test]
fn wrong_parity_shows_in_the_wiring() {
    let net = example("broken/wrong-parity.toml");
    let bad: Vec<_> = net
        .wiring()
        .unwrap()
        .into_iter()
        .filter(|w| w.produced != w.consumed)
        .collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].layer, "layer 2");
    let good = example("mace-small.toml");
    assert!(good
        .wiring()
        .unwrap()
        .iter()
        .all(|w| w.produced == w.consumed));
}

#[test]
fn rotation_permutation_translation_invariance_f64() {
    for arch in ["mace", "cormorant"] {
        let net = tiny(arch);
        let s = molecule();
        let e = net.energies::<f64>(&s).unwrap();
        let r = Rotation::from_euler_angles(0.3, 1.2, -0.8).unwrap();
        let mut rotated = s.clone();
        for p in &mut rotated.positions {
            *p = r.apply(*p);
            p[0] += 3.5;
        }
        rotated.positions.reverse();
        rotated.species.reverse();
        let e2 = net.energies::<f64>(&rotated).unwrap();
        for (a, b) in e.iter().zip(&e2) {
            // ~10^3 operations per energy, each within ε: 10^4 ε is a generous bound
            assert!(rel(*a, *b) < 1e4 * f64::EPSILON, "{arch}: {a} vs {b}");
        }
    }
}

#[test]
fn precisions_agree() {
    let net = tiny("mace");
    let s = molecule();
    let e64 = net.energies::<f64>(&s).unwrap();
    let s32 = Structure::new(
        s.positions.iter().map(|p| p.map(|x| x as f32)).collect(),
        s.species.clone(),
        None,
    )
    .unwrap();
    let e32 = net.energies::<f32>(&s32).unwrap();
    let sdd = Structure::new(
        s.positions
            .iter()
            .map(|p| p.map(DoubleDouble::from_f64))
            .collect(),
        s.species.clone(),
        None,
    )
    .unwrap();
    let edd = net.energies::<DoubleDouble>(&sdd).unwrap();
    for k in 0..e64.len() {
        assert!(rel(e64[k], f64::from(e32[k])) < 1e4 * f64::from(f32::EPSILON));
        assert!(rel(edd[k].hi(), e64[k]) < 1e4 * f64::EPSILON);
    }
}

#[test]
fn forces_match_finite_differences() {
    for arch in ["mace", "cormorant"] {
        let net = tiny(arch);
        // central differences in double-double with h = 2^-20: truncation ~h²·E''' ≈ 1e-12,
        // roundoff ~ε_dd/h ≈ 1e-26, far below the f64 forces' own roundoff
        let s = molecule();
        let p = net.energies_and_forces::<f64>(&s).unwrap();
        let sdd = Structure::new(
            s.positions
                .iter()
                .map(|p| p.map(DoubleDouble::from_f64))
                .collect(),
            s.species.clone(),
            None,
        )
        .unwrap();
        let h = DoubleDouble::from_f64(2f64.powi(-20));
        let n = s.len();
        let scale = p
            .forces
            .iter()
            .flatten()
            .fold(0.0f64, |m, x| m.max(x.abs()));
        for c in 0..3 * n {
            let mut plus = sdd.clone();
            plus.positions[c / 3][c % 3] += h;
            let mut minus = sdd.clone();
            minus.positions[c / 3][c % 3] -= h;
            let ep = net.energies(&plus).unwrap();
            let em = net.energies(&minus).unwrap();
            for st in 0..net.spec().states {
                let fd = -((ep[st] - em[st]) / (h + h)).hi();
                let f = p.forces[st * n + c / 3][c % 3];
                assert!(
                    (fd - f).abs() < 1e-9 * scale,
                    "{arch} state {st} coordinate {c}: dual {f} vs finite difference {fd}"
                );
            }
        }
        // no net force on an isolated structure
        for st in 0..net.spec().states {
            for k in 0..3 {
                let total: f64 = p.forces[st * n..(st + 1) * n].iter().map(|f| f[k]).sum();
                assert!(total.abs() < 1e3 * f64::EPSILON * scale, "{total}");
            }
        }
    }
}

#[test]
fn periodic_supercell_is_extensive() {
    let net = tiny("mace");
    let cell = [[2.5, 0.0, 0.0], [0.25, 2.75, 0.0], [0.0, 0.5, 3.0]];
    let base = vec![[0.0, 0.0, 0.0], [1.0, 0.75, 0.5], [1.75, 1.5, 2.0]];
    let species = vec![6, 8, 1];
    let s = Structure::new(base.clone(), species.clone(), Some(cell)).unwrap();
    let e = net.energies::<f64>(&s).unwrap();
    // doubled along the first lattice vector
    let mut pos2 = base.clone();
    pos2.extend(base.iter().map(|p| [p[0] + 2.5, p[1], p[2]]));
    let mut sp2 = species.clone();
    sp2.extend(&species);
    let cell2 = [[5.0, 0.0, 0.0], cell[1], cell[2]];
    let e2 = net
        .energies::<f64>(&Structure::new(pos2, sp2, Some(cell2)).unwrap())
        .unwrap();
    for (a, b) in e.iter().zip(&e2) {
        assert!(rel(2.0 * a, *b) < 1e4 * f64::EPSILON, "{a} {b}");
    }
    // wrapping an atom by a lattice vector changes nothing
    let mut wrapped = base.clone();
    wrapped[1] = [wrapped[1][0] + 0.25, wrapped[1][1] + 2.75, wrapped[1][2]];
    let e3 = net
        .energies::<f64>(&Structure::new(wrapped, species, Some(cell)).unwrap())
        .unwrap();
    for (a, b) in e.iter().zip(&e3) {
        assert!(rel(*a, *b) < 1e4 * f64::EPSILON);
    }
}

#[test]
fn neighbour_list_counts() {
    // a simple cubic lattice of spacing 1: 6 neighbours within 1.2, 18 within 1.5
    let cell = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    let pos = [[0.0f64, 0.0, 0.0]];
    assert_eq!(
        NeighbourList::build(&pos, Some(&cell), 1.2)
            .unwrap()
            .edges()
            .len(),
        6
    );
    assert_eq!(
        NeighbourList::build(&pos, Some(&cell), 1.5)
            .unwrap()
            .edges()
            .len(),
        18
    );
    let flat = [[1.0, 0.0, 0.0], [2.0, 0.0, 0.0], [3.0, 0.0, 0.0]];
    assert!(matches!(
        NeighbourList::build(&pos, Some(&flat), 1.5),
        Err(NetworkError::SingularCell { .. })
    ));
}

#[test]
fn bad_inputs_are_named() {
    let net = tiny("mace");
    let s = Structure::new(vec![[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]], vec![6, 7], None).unwrap();
    let err = net.energies::<f64>(&s).unwrap_err();
    assert!(
        matches!(err, NetworkError::UnknownSpecies { atom: 1, z: 7, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("atomic number 7"));
    let err = Structure::new(vec![[0.0, f64::NAN, 0.0]], vec![6], None).unwrap_err();
    assert!(
        matches!(err, NetworkError::NonFinite { index: 1, .. }),
        "{err}"
    );
    let err = Structure::new(vec![[0.0; 3]], vec![6, 6], None).unwrap_err();
    assert!(matches!(err, NetworkError::ShapeMismatch { .. }));
    let s = Structure::new(vec![[0.0; 3], [0.0; 3]], vec![6, 6], None).unwrap();
    assert!(matches!(
        net.energies::<f64>(&s),
        Err(NetworkError::CoincidentAtoms { i: 0, j: 1, .. })
    ));
}

#[test]
fn bad_descriptions_are_named() {
    let cases = [
        (
            tiny_toml("mace", 11).replace("cutoff = 3.0", "cutoff = -3.0"),
            "cutoff",
        ),
        (
            tiny_toml("mace", 11).replace("3x0e+3x1o+3x2e", "3x0e+3x1q"),
            "features.hidden",
        ),
        (
            tiny_toml("mace", 11).replace("3x0e+3x1o+3x2e", "3x1o"),
            "no 0e",
        ),
        (
            tiny_toml("mace", 11).replace("[\"H\", \"C\", \"O\"]", "[\"H\", \"Qq\"]"),
            "Qq",
        ),
        (
            tiny_toml("mace", 11).replace("states = 2", "states = 0"),
            "states",
        ),
        (
            tiny_toml("mace", 11).replace("seed = 11", "seed = 11\ncolour = 3"),
            "colour",
        ),
        (
            tiny_toml("mace", 11).replace("correlation = 3", "correlation = 9"),
            "correlation",
        ),
        (
            format!(
                "{}\n[[defects]]\nkind = \"perturbed-cg\"\nlayer = 5\n",
                tiny_toml("mace", 11)
            ),
            "defects.layer",
        ),
        (
            format!(
                "{}\n[[defects]]\nkind = \"melted\"\nlayer = 1\n",
                tiny_toml("mace", 11)
            ),
            "melted",
        ),
        ("name = ".to_string(), "malformed"),
    ];
    for (text, needle) in cases {
        let err = Network::from_toml_str(&text).unwrap_err().to_string();
        assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    }
}

#[test]
fn seed_determines_the_weights() {
    let a = tiny("mace").energies::<f64>(&molecule()).unwrap();
    let b = tiny("mace").energies::<f64>(&molecule()).unwrap();
    assert_eq!(a, b);
    let c = Network::from_toml_str(&tiny_toml("mace", 11).replace("seed = 11", "seed = 12"))
        .unwrap()
        .energies::<f64>(&molecule())
        .unwrap();
    assert_ne!(a, c);
}

#[test]
fn batches_equal_one_by_one() {
    let net = tiny("cormorant");
    let a = molecule();
    let mut b = molecule();
    b.positions.truncate(3);
    b.species.truncate(3);
    let batch = net.energies_batch(&[a.clone(), b.clone()]).unwrap();
    assert_eq!(batch[0], net.energies(&a).unwrap());
    assert_eq!(batch[1], net.energies(&b).unwrap());
    let fb = net.energies_and_forces_batch(&[a.clone(), b]).unwrap();
    assert_eq!(fb[0], net.energies_and_forces(&a).unwrap());
    assert_eq!(fb[1].forces.len(), 2 * 3);
}
