//! Forces by the adjoint pass against forward-mode (dual number) forces: the example networks
//! on a molecule and a periodic cell, f64 / f32 / double-double, broken models, translation
//! invariance, and the radial basis derivative.
//!
//! Both methods differentiate the same computed function, so they differ only by roundoff.
//! A force component is a sum over the edges (≤ `e` terms) of chains of contractions of at
//! most `k` = max(hidden dim, radial width, TP fan-in) terms each, over `2·layers` contraction
//! levels; each level has relative error ≤ k·ε (the standard bound of a dot product), so the
//! stated bound is `|F_rev − F_fwd| ≤ 2 · e · k · ε · max|F|`, with `max|F|` the largest
//! force component as scale (cancellation between edges makes single components smaller than
//! their terms, so the per-structure scale is the honest one).

use crate::common::config;
use crate::network::{example, tiny_toml};
use proptest::prelude::*;
use racah_numeric::network::{Network, NetworkError, RadialBasis, Structure};
use racah_numeric::{DoubleDouble, Dual, Float, Tolerance};

/// A small non-symmetric molecule of H and C (known to every example), dyadic positions.
fn molecule() -> Structure<f64> {
    Structure::new(
        vec![
            [0.0, 0.0, 0.0],
            [1.25, 0.125, -0.25],
            [-0.5, 1.0, 0.375],
            [0.75, -1.0, 0.5],
            [0.25, 0.5, 1.25],
        ],
        vec![6, 1, 6, 1, 6],
        None,
    )
    .unwrap()
}

/// The periodic cell of `tests/network.rs` (`periodic_supercell_is_extensive`), H and C.
fn periodic() -> Structure<f64> {
    Structure::new(
        vec![[0.0, 0.0, 0.0], [1.0, 0.75, 0.5], [1.75, 1.5, 2.0]],
        vec![6, 1, 1],
        Some([[2.5, 0.0, 0.0], [0.25, 2.75, 0.0], [0.0, 0.5, 3.0]]),
    )
    .unwrap()
}

fn convert<T: Float>(s: &Structure<f64>, f: impl Fn(f64) -> T) -> Structure<T> {
    Structure::new(
        s.positions.iter().map(|p| p.map(&f)).collect(),
        s.species.clone(),
        s.cell.map(|c| c.map(|r| r.map(&f))),
    )
    .unwrap()
}

/// The term count `2 · e · k` of the bound in the module docs.
fn term_count(net: &Network, s: &Structure<f64>) -> f64 {
    let e = racah_numeric::network::NeighbourList::build(
        &s.positions,
        s.cell.as_ref(),
        net.spec().cutoff,
    )
    .unwrap()
    .edges()
    .len();
    let spec = net.spec();
    let tp_fan_in = spec.hidden.dim() * (spec.sh_lmax as usize + 1).pow(2);
    let k = spec
        .hidden
        .dim()
        .max(tp_fan_in)
        .max(spec.radial.hidden.iter().copied().max().unwrap_or(0))
        .max(spec.readout.hidden);
    2.0 * e.max(1) as f64 * k as f64
}

/// Largest |F_rev − F_fwd| in units of ε·max|F|, after checking it against the bound.
fn compare<T: Float>(net: &Network, s: &Structure<f64>, what: &str) -> f64 {
    let st = convert(s, T::from_f64);
    let rev = net.energies_and_forces::<T>(&st).unwrap();
    let fwd = net.energies_and_forces_forward_mode::<T>(&st).unwrap();
    assert_eq!(rev.forces.len(), net.spec().states * s.len());
    assert_eq!(rev.energies, net.energies(&st).unwrap(), "{what}: energies");
    let flat = |p: &[[T; 3]]| -> Vec<T> { p.iter().flatten().copied().collect() };
    let (a, b) = (flat(&rev.forces), flat(&fwd.forces));
    let scale = b.iter().fold(0.0f64, |m, x| m.max(x.to_f64().abs()));
    assert!(scale > 0.0, "{what}: all forces zero");
    // differences taken in T (double-double differences are far below f64 resolution)
    let err = a
        .iter()
        .zip(&b)
        .fold(0.0f64, |m, (&x, &y)| m.max((x - y).to_f64().abs()));
    let n = term_count(net, s);
    assert!(
        Tolerance::scaled::<T>(n).allows(err / scale, 1.0),
        "{what}: reverse and forward-mode forces differ by {} ε·max|F| (bound {n})",
        Tolerance::in_eps::<T>(err / scale)
    );
    Tolerance::in_eps::<T>(err / scale)
}

const EXAMPLES: [&str; 3] = [
    "mace-small.toml",
    "cormorant-small.toml",
    "stilbene-3state.toml",
];

#[test]
fn reverse_matches_forward_mode_f64() {
    for name in EXAMPLES {
        let net = example(name);
        for (label, s) in [("molecule", molecule()), ("periodic", periodic())] {
            let e = compare::<f64>(&net, &s, &format!("{name} {label} f64"));
            eprintln!("{name} {label} f64: {e:.1} ε·max|F|");
        }
    }
}

#[test]
fn reverse_matches_forward_mode_f32() {
    for name in EXAMPLES {
        let net = example(name);
        for (label, s) in [("molecule", molecule()), ("periodic", periodic())] {
            let e = compare::<f32>(&net, &s, &format!("{name} {label} f32"));
            eprintln!("{name} {label} f32: {e:.1} ε·max|F|");
        }
    }
}

#[test]
fn reverse_matches_forward_mode_double_double() {
    // certification runs forces in double-double: same bound in units of its ε (2^-104)
    for (name, label, s) in [
        ("mace-small.toml", "molecule", molecule()),
        ("cormorant-small.toml", "periodic", periodic()),
    ] {
        let e = compare::<DoubleDouble>(&example(name), &s, &format!("{name} {label} f64x2"));
        eprintln!("{name} {label} f64x2: {e:.1} ε·max|F|");
    }
}

#[test]
fn stilbene_reverse_matches_forward_mode() {
    let net = example("stilbene-3state.toml");
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/structures/cis-stilbene.xyz");
    let text = std::fs::read_to_string(path).unwrap();
    let s = racah_numeric::network::parse_xyz(&text)
        .unwrap()
        .remove(0)
        .structure;
    let e = compare::<f64>(&net, &s, "stilbene cis f64");
    eprintln!("stilbene cis (26 atoms) f64: {e:.1} ε·max|F|");
}

#[test]
fn molecule_forces_sum_to_zero() {
    // Σ_i F_i = −∂E/∂(translation) = 0: each edge adds +g to x̄_j and −g to x̄_i, so the sum
    // cancels up to the roundoff of summing 2·e terms of size ≤ max|F|
    for name in EXAMPLES {
        let net = example(name);
        let s = molecule();
        let p = net.energies_and_forces::<f64>(&s).unwrap();
        let n = s.len();
        let scale = p
            .forces
            .iter()
            .flatten()
            .fold(0.0f64, |m, x| m.max(x.abs()));
        for st in 0..net.spec().states {
            for k in 0..3 {
                let total: f64 = p.forces[st * n..(st + 1) * n].iter().map(|f| f[k]).sum();
                assert!(
                    Tolerance::scaled::<f64>(term_count(&net, &s)).allows(total / scale, 1.0),
                    "{name} state {st} axis {k}: Σ F = {total}"
                );
            }
        }
    }
}

#[test]
fn broken_models_get_their_true_forces() {
    for k in [
        "wrong-parity",
        "non-equivariant-gate",
        "perturbed-cg",
        "position-dependent",
    ] {
        let net = example(&format!("broken/{k}.toml"));
        for (label, s) in [("molecule", molecule()), ("periodic", periodic())] {
            let e = compare::<f64>(&net, &s, &format!("{k} {label}"));
            eprintln!("broken/{k} {label} f64: {e:.1} ε·max|F|");
        }
    }
    // the position term breaks translations: the forces no longer sum to zero
    let net = example("broken/position-dependent.toml");
    let p = net.energies_and_forces::<f64>(&molecule()).unwrap();
    let total: f64 = p.forces.iter().map(|f| f[0]).sum();
    assert!(total.abs() > 1e-6, "Σ F_x = {total}");
}

#[test]
fn lone_atom_has_no_force() {
    // no edges: the energy is the embedding's readout, the force exactly 0
    let net = example("mace-small.toml");
    let s = Structure::new(vec![[0.5, 0.25, -1.0]], vec![6], None).unwrap();
    let p = net.energies_and_forces::<f64>(&s).unwrap();
    assert_eq!(p.forces, vec![[0.0; 3]]);
    assert_eq!(p.energies, net.energies(&s).unwrap());
}

#[test]
fn forces_report_bad_structures() {
    let net = example("mace-small.toml");
    let s = Structure::new(vec![[0.0; 3], [1.0, 0.0, 0.0]], vec![6, 26], None).unwrap();
    assert!(matches!(
        net.energies_and_forces::<f64>(&s),
        Err(NetworkError::UnknownSpecies { atom: 1, z: 26, .. })
    ));
    let s = Structure::new(vec![[0.0; 3], [0.0; 3]], vec![6, 1], None).unwrap();
    assert!(matches!(
        net.energies_and_forces::<f32>(&convert(&s, |x| x as f32)),
        Err(NetworkError::CoincidentAtoms { .. })
    ));
}

#[test]
fn test_radial_derivative() {
    // N = 1, r_c = 2, p = 2 at r = 1 (x = 1/2): u = 1 − 6/4 + 8/8 − 3/16 = 5/16,
    // u' = −(2·3·4/2)/2 · (1/2)(1/2)² = −3/4, f = √(2/2)·u·sin(π/2)/1 = 5/16,
    // f' = (u' − u)·sin(π/2) + u·(π/2)·cos(π/2) = −17/16
    let rb = RadialBasis::new(1, 2.0, 2);
    let (mut f, mut d) = ([0.0f64], [0.0f64]);
    rb.compute_with_derivatives(1.0, &mut f, &mut d);
    assert_eq!(rb.envelope(1.0f64), 5.0 / 16.0);
    assert_eq!(rb.envelope_derivative(1.0f64), -0.75);
    assert!((f[0] - 5.0 / 16.0).abs() <= 2.0 * f64::EPSILON);
    assert!((d[0] + 17.0 / 16.0).abs() <= 4.0 * f64::EPSILON);
    // beyond the cutoff everything vanishes
    rb.compute_with_derivatives(2.5, &mut f, &mut d);
    assert_eq!((f, d), ([0.0], [0.0]));
}

#[test]
#[should_panic(expected = "radial basis derivative length")]
fn radial_derivative_rejects_a_short_buffer() {
    let rb = RadialBasis::new(3, 2.0, 6);
    rb.compute_with_derivatives(1.0f64, &mut [0.0; 3], &mut [0.0; 2]);
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn radial_derivative_properties(
        n in 1usize..10, p in 2u32..10, rc in 1.0f64..6.0, t in 0.01f64..1.2,
    ) {
        let rb = RadialBasis::new(n, rc, p);
        let r = t * rc;
        let (mut f, mut d) = (vec![0.0f64; n], vec![0.0f64; n]);
        rb.compute_with_derivatives(r, &mut f, &mut d);
        let mut plain = vec![0.0f64; n];
        rb.compute(r, &mut plain);
        prop_assert_eq!(&f, &plain);
        let mut dual = vec![Dual::constant(0.0f64); n];
        rb.compute(Dual::variable(r), &mut dual);
        // each derivative is ~10 rounded operations on terms ≤ |pref'| + |pref|·nπ/r_c
        let scale = (2.0 / rc).sqrt() * (1.0 / (r * r) + 2.0 * p as f64 * p as f64 / (rc * r)
            + n as f64 * std::f64::consts::PI / (rc * r));
        for k in 0..n {
            prop_assert!(Tolerance::scaled::<f64>(32.0).allows(d[k] - dual[k].eps, scale),
                "n={} d={} dual={}", k, d[k], dual[k].eps);
        }
        let ud = rb.envelope(Dual::variable(r)).eps;
        prop_assert!(Tolerance::scaled::<f64>(64.0 * p as f64)
            .allows(rb.envelope_derivative(r) - ud, p as f64 * p as f64 * p as f64 / rc));
    }
}

/// Four atoms on the corners of a unit-spaced tetrahedron-ish grid, each moved by < 0.4 (so
/// no two are closer than 0.2: constructed, not filtered).
fn jittered_molecule() -> impl Strategy<Value = Structure<f64>> {
    (
        proptest::collection::vec(-0.4f64..0.4, 12),
        proptest::collection::vec(prop::sample::select(vec![1u32, 6, 8]), 4),
    )
        .prop_map(|(d, species)| {
            let base = [
                [0.0, 0.0, 0.0],
                [1.2, 0.0, 0.0],
                [0.0, 1.2, 0.0],
                [0.0, 0.0, 1.2],
            ];
            let positions = (0..4)
                .map(|i| [0, 1, 2].map(|k| base[i][k] + d[3 * i + k]))
                .collect();
            Structure::new(positions, species, None).unwrap()
        })
}

proptest! {
    #![proptest_config(config(16))]

    #[test]
    fn network_forces_properties(s in jittered_molecule(), cormorant: bool) {
        let arch = if cormorant { "cormorant" } else { "mace" };
        let net = Network::from_toml_str(&tiny_toml(arch, 5)).unwrap();
        compare::<f64>(&net, &s, arch);
        let p = net.energies_and_forces::<f64>(&s).unwrap();
        let scale = p.forces.iter().flatten().fold(0.0f64, |m, x| m.max(x.abs()));
        for st in 0..2 {
            for k in 0..3 {
                let total: f64 = p.forces[st * 4..(st + 1) * 4].iter().map(|f| f[k]).sum();
                prop_assert!(Tolerance::scaled::<f64>(term_count(&net, &s))
                    .allows(total / scale.max(1e-300), 1.0), "Σ F = {}", total);
            }
        }
    }
}
