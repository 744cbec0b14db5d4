//! `racah certify --cmd`: the external-model protocol end to end, through the `racah` program,
//! with the Morse pair potential of `examples/external/`. The CI model,
//! `pair_model_plain.py`, needs only `python3` (it reads and writes `.npy` by hand); the numpy
//! examples of the README (`pair_model.py`, `broken_model.py`) are run too when numpy is
//! importable.
//!
//! The `racah` binary is built (or found up to date) with the cargo that runs these tests, in
//! the same target directory and profile.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    racah_tests::repo()
}

fn racah() -> &'static Path {
    racah_tests::racah_binary()
}

fn python3() {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "python3 is needed to run the external example models (Debian: apt-get install python3)"
    );
}

fn has_numpy() -> bool {
    Command::new("python3")
        .args(["-c", "import numpy"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("racah-cli-certify-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `racah certify --cmd <cmd> --species 1,8 --output energy=1x0e --atom-output forces=1x1o
/// --quiet <extra>` in the repository.
fn certify(cmd: &str, extra: &[&str]) -> Output {
    python3();
    Command::new(racah())
        .current_dir(repo())
        .args(["certify", "--cmd", cmd, "--species", "1,8"])
        .args([
            "--output",
            "energy=1x0e",
            "--atom-output",
            "forces=1x1o",
            "--quiet",
        ])
        .args(extra)
        .output()
        .expect("running racah")
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// One row of the engine's terminal table: `prec kind name term max median rel limit pass`.
#[derive(Debug)]
struct Row {
    precision: String,
    max_eps: f64,
    max_scaled: f64,
    pass: bool,
}

/// The table row of (kind, output name) in `racah certify`'s stdout.
fn row(o: &Output, kind: &str, name: &str) -> Row {
    let stdout = String::from_utf8_lossy(&o.stdout);
    let words: Vec<&str> = stdout
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|w| w.len() == 9 && w[1] == kind && w[2] == name)
        .unwrap_or_else(|| panic!("no row {kind} {name} in\n{}", text(o)));
    Row {
        precision: words[0].to_string(),
        max_eps: words[4].parse().unwrap(),
        max_scaled: words[6].parse().unwrap(),
        pass: match words[8] {
            "pass" => true,
            "FAIL" => false,
            w => panic!("pass/FAIL expected, got {w}"),
        },
    }
}

const KINDS: [&str; 4] = ["rotation", "reflection", "permutation", "translation"];

#[test]
fn test_certify_external_pair_model() {
    let dir = scratch("pass");
    let (j, h) = (dir.join("r.json"), dir.join("r.html"));
    let o = certify(
        "python3 examples/external/pair_model_plain.py",
        &["--json", j.to_str().unwrap(), "--html", h.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains(": PASS"), "{}", text(&o));
    for kind in KINDS {
        for name in ["energy", "forces"] {
            let row = row(&o, kind, name);
            assert_eq!(row.precision, "f64");
            assert!(row.pass, "{row:?}");
            // a pair potential in f64: roundoff of a few ε, far below the 4096 ε threshold
            assert!(row.max_eps < 64.0, "{row:?}");
        }
    }
    let report = std::fs::read_to_string(&j).unwrap();
    assert!(report.contains("\"term\": \"1x1o\""), "{report}");
    assert!(
        report.trim_end().ends_with("\"pass\": true\n  }\n}"),
        "{report}"
    );
    let page = std::fs::read_to_string(&h).unwrap();
    assert_eq!(page.matches("<svg").count(), 1);
    assert!(!page.contains("<script"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn certify_external_catches_swapped_axes() {
    let dir = scratch("swap");
    let j = dir.join("r.json");
    let o = certify(
        "python3 examples/external/pair_model_plain.py --bug swap-yz",
        &["--json", j.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("symmetry broken at: output forces"),
        "{}",
        text(&o)
    );
    // (x, z, y) forces: a reflection matrix applied to an equivariant vector breaks rotations,
    // not permutations or translations; the energy is untouched
    assert!(!row(&o, "rotation", "forces").pass);
    assert!(!row(&o, "reflection", "forces").pass);
    assert!(row(&o, "rotation", "forces").max_scaled > 0.1);
    assert!(row(&o, "permutation", "forces").pass);
    assert!(row(&o, "translation", "forces").pass);
    for kind in KINDS {
        assert!(row(&o, kind, "energy").pass);
    }
    let report = std::fs::read_to_string(&j).unwrap();
    assert!(
        report.trim_end().ends_with("\"pass\": false\n  }\n}"),
        "{report}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn certify_external_reports_broken_commands() {
    let cases = [
        ("nan", vec![], "forces.npy: non-finite value NaN at index [1, 1, 1]"),
        (
            "crash",
            vec![],
            "failed with exit status 3; its output ends with:\n    pair_model_plain: simulated crash",
        ),
        (
            "sleep",
            vec!["--timeout", "1"],
            "timed out after 1 s and was killed (raise --timeout)",
        ),
        ("shape", vec![], "forces.npy: shape ("),
    ];
    for (bug, extra, expected) in cases {
        let start = std::time::Instant::now();
        let o = certify(
            &format!("python3 examples/external/pair_model_plain.py --bug {bug}"),
            &extra,
        );
        assert_eq!(o.status.code(), Some(2), "{bug}: {}", text(&o));
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.starts_with("racah: error: "), "{bug}: {}", text(&o));
        assert!(stderr.contains(expected), "{bug}: {}", text(&o));
        assert!(
            start.elapsed().as_secs() < 30,
            "{bug} took {:?}",
            start.elapsed()
        );
    }
    let o = certify("python3 examples/external/no_such_model.py", &[]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("failed with exit status 2"), "{}", text(&o));
    assert!(stderr.contains("No such file"), "{}", text(&o));
}

#[test]
fn certify_external_in_f32_with_a_cell() {
    let dir = scratch("f32");
    let (j, io) = (dir.join("r.json"), dir.join("io"));
    let o = certify(
        "python3 examples/external/pair_model_plain.py",
        &[
            "--dtype",
            "f32",
            "--periodic",
            "--kinds",
            "rotation,permutation",
            "--json",
            j.to_str().unwrap(),
            "--keep-io",
            io.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(j.exists());
    let r = row(&o, "rotation", "forces");
    assert_eq!(r.precision, "f32");
    assert!(r.pass && r.max_eps < 64.0, "{r:?}");
    // the kept I/O directory: float32 inputs, a (B, 3, 3) cell, the request
    // (test structures alternate between periodic and not; take a periodic batch)
    let run = std::fs::read_dir(&io)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|d| d.join("cell.npy").exists())
        .expect("a run with cell.npy");
    let request = std::fs::read_to_string(run.join("request.json")).unwrap();
    assert!(request.contains("\"dtype\": \"f32\""), "{request}");
    assert!(request.contains("\"cell\": \"cell.npy\""), "{request}");
    let b: u64 = request
        .lines()
        .find_map(|l| l.trim().strip_prefix("\"batch\": "))
        .and_then(|v| v.trim_end_matches(',').parse().ok())
        .unwrap_or_else(|| panic!("no batch in {request}"));
    let cell = std::fs::read(run.join("cell.npy")).unwrap();
    let header = String::from_utf8_lossy(&cell[10..80]);
    assert!(header.contains("'descr': '<f4'"), "{header}");
    assert!(header.contains(&format!("'shape': ({b}, 3, 3")), "{header}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn numpy_examples_when_numpy_is_installed() {
    python3();
    if !has_numpy() {
        eprintln!("numpy is not importable: the README's numpy examples are not run");
        return;
    }
    let o = certify("python3 examples/external/pair_model.py", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = certify("python3 examples/external/broken_model.py", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("symmetry broken at: output forces"),
        "{}",
        text(&o)
    );
}
