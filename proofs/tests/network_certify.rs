//! racah's own networks under the certification engine: the shipped examples pass, the
//! deliberately broken ones fail and the report points at the broken layer.

use racah_numeric::network::{parse_xyz, Network};
use racah_proofs::certify::{
    certify, CertInput, CertifyOptions, Precision, TransformKind, Verdict,
};
use racah_proofs::network_model::NetworkModel;
use std::path::PathBuf;

fn example(name: &str) -> Network {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    Network::from_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn quick(precisions: Vec<Precision>) -> CertifyOptions {
    CertifyOptions {
        trials: 2,
        precisions,
        num_structures: 1,
        ..CertifyOptions::default()
    }
}

#[test]
fn mace_example_passes_the_ladder() {
    let model = NetworkModel::new(example("mace-small.toml")).with_forces(false);
    let report = certify(&model, &quick(Vec::new())).unwrap();
    assert!(report.pass, "{report}");
    assert!(report.broken_at.is_none());
    assert!(report.audits.iter().all(|a| a.holds));
    assert!(report.audits.len() > 10);
    for row in &report.ladder {
        assert_eq!(row.verdict, Verdict::Roundoff, "{row:?}");
    }
    // the ladder goes down: the extended-precision rotation error is far below f64's
    let err = |p| {
        report
            .row(p, TransformKind::Rotation, "energy[state 0]", "1x0e")
            .unwrap()
            .max_scaled
    };
    assert!(err(Precision::Extended) < 1e-6 * err(Precision::F64).max(1e-17));
}

#[test]
fn cormorant_example_passes_with_forces() {
    let model = NetworkModel::new(example("cormorant-small.toml"))
        .with_precisions(vec![Precision::F32, Precision::F64]);
    let report = certify(&model, &quick(Vec::new())).unwrap();
    assert!(report.pass, "{report}");
    assert!(report
        .row(
            Precision::F64,
            TransformKind::Reflection,
            "forces[state 0]",
            "1x1o"
        )
        .is_some_and(|r| r.pass));
}

#[test]
fn stilbene_three_states_are_certified_one_by_one() {
    let model =
        NetworkModel::new(example("stilbene-3state.toml")).with_precisions(vec![Precision::F64]);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/structures");
    let text = std::fs::read_to_string(dir.join("cis-stilbene.xyz")).unwrap();
    let s = parse_xyz(&text).unwrap().remove(0).structure;
    let input = CertInput::on_dyadic_grid(&s.positions, s.species, None);
    let opts = CertifyOptions {
        trials: 1,
        precisions: vec![Precision::F64],
        structures: vec![input],
        ..CertifyOptions::default()
    };
    let report = certify(&model, &opts).unwrap();
    assert!(report.pass, "{report}");
    for st in 0..3 {
        for kind in [TransformKind::Rotation, TransformKind::Permutation] {
            let e = report.row(Precision::F64, kind, &format!("energy[state {st}]"), "1x0e");
            assert!(e.is_some_and(|r| r.pass), "state {st} {kind:?}");
            let f = report.row(Precision::F64, kind, &format!("forces[state {st}]"), "1x1o");
            assert!(f.is_some_and(|r| r.pass), "state {st} {kind:?}");
        }
    }
}

fn broken(kind: &str) -> racah_proofs::certify::CertificationReport {
    let model = NetworkModel::new(example(&format!("broken/{kind}.toml")))
        .with_forces(false)
        .with_precisions(vec![Precision::F64, Precision::Extended]);
    certify(&model, &quick(Vec::new())).unwrap()
}

#[test]
fn wrong_parity_is_caught_in_layer_2() {
    let r = broken("wrong-parity");
    assert!(!r.pass);
    assert!(
        r.broken_at
            .as_deref()
            .is_some_and(|b| b.starts_with("layer 2")),
        "{r}"
    );
    assert!(r
        .failed_audits()
        .any(|a| a.layer == "layer 2" && a.component.contains("wiring")));
    // rotations are fine, reflections are not
    let rot = r.row(
        Precision::F64,
        TransformKind::Rotation,
        "energy[state 0]",
        "1x0e",
    );
    assert!(rot.is_some_and(|x| x.pass));
    let refl = r.row(
        Precision::F64,
        TransformKind::Reflection,
        "energy[state 0]",
        "1x0e",
    );
    assert!(refl.is_some_and(|x| !x.pass));
}

#[test]
fn non_equivariant_gate_is_caught_in_layer_2() {
    let r = broken("non-equivariant-gate");
    assert!(!r.pass);
    assert_eq!(r.broken_at.as_deref(), Some("layer 2: output"), "{r}");
    assert!(r.symmetry_breaks().count() > 0);
}

#[test]
fn perturbed_coefficient_is_caught_in_layer_2() {
    let r = broken("perturbed-cg");
    assert!(!r.pass);
    assert!(
        r.broken_at
            .as_deref()
            .is_some_and(|b| b.starts_with("layer 2")),
        "{r}"
    );
    let bad: Vec<_> = r.failed_audits().collect();
    assert!(!bad.is_empty());
    assert!(
        bad.iter().all(|a| a.layer.starts_with("layer 2")),
        "{bad:?}"
    );
    // 1e-6 does not shrink from f64 to double-double: a symmetry break, not roundoff
    assert!(r.symmetry_breaks().count() > 0);
}

#[test]
fn position_dependence_is_caught_in_layer_2() {
    let r = broken("position-dependent");
    assert!(!r.pass);
    assert_eq!(r.broken_at.as_deref(), Some("layer 2: output"), "{r}");
    let t = r.row(
        Precision::F64,
        TransformKind::Translation,
        "energy[state 0]",
        "1x0e",
    );
    assert!(t.is_some_and(|x| !x.pass));
}
