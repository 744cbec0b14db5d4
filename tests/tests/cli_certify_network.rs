//! `racah certify MODEL.toml`: racah's own networks through the command line. The shipped
//! example passes (exit 0) and prints the completeness of its fusion blocks; each deliberately
//! broken example fails (exit 1) and the report points at layer 2.

use std::process::Command;

fn certify(args: &[&str]) -> (i32, String) {
    let out = Command::new(racah_tests::racah_binary())
        .current_dir(racah_tests::repo())
        .arg("certify")
        .args(args)
        .output()
        .expect("running racah");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn shipped_model_passes_with_forces_and_reports_its_blocks() {
    let (code, text) = certify(&[
        "examples/mace-small.toml",
        "--trials",
        "1",
        "--structures",
        "1",
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("certification of mace-small: PASS"), "{text}");
    assert!(text.contains("forces[state 0]"), "{text}");
    assert!(text.contains("complete and parsimonious"), "{text}");
}

#[test]
fn ladder_on_given_structures() {
    let (code, text) = certify(&[
        "examples/stilbene-3state.toml",
        "--no-forces",
        "--structure",
        "examples/structures/trans-stilbene.xyz",
        "--trials",
        "1",
        "--kinds",
        "rotation,permutation",
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("f64x2"), "{text}");
    assert!(text.contains("energy[state 2]"), "{text}");
}

#[test]
fn broken_models_fail_and_point_at_layer_2() {
    for kind in [
        "wrong-parity",
        "non-equivariant-gate",
        "perturbed-cg",
        "position-dependent",
    ] {
        let path = format!("examples/broken/{kind}.toml");
        let (code, text) = certify(&[&path, "--no-forces", "--trials", "1", "--structures", "1"]);
        assert_eq!(code, 1, "{kind}: {text}");
        assert!(text.contains("FAIL"), "{kind}: {text}");
        assert!(text.contains("layer 2"), "{kind}: {text}");
    }
}

#[test]
fn bad_descriptions_and_structures_are_named() {
    let dir = std::env::temp_dir().join(format!("racah-cert-net-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "name = \"x\"\narchitecture = \"mace\"\nspecies = [\"H\"]\ncutoff = 2.0\n[features]\nhidden = \"4x0e+4x1z\"\n").unwrap();
    let (code, text) = certify(&[bad.to_str().unwrap()]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("features.hidden"), "{text}");
    let xyz = dir.join("bad.xyz");
    std::fs::write(&xyz, "2\nwater?\nO 0 0 0\nH 0.9 nan-ish 0\n").unwrap();
    let (code, text) = certify(&[
        "examples/mace-small.toml",
        "--structure",
        xyz.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("nan-ish"), "{text}");
    let (code, text) = certify(&["examples/mace-small.toml", "--precisions", "f16"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("f16"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}
