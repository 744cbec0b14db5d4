//! `racah count` end to end: the binary's tables and JSON carry the exact counts of MATH.md §2
//! and §5, `--model` the parameter economy of the shipped examples, and bad input exits with
//! status 2 and a message naming it.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The `racah` binary of this build profile, built (or brought up to date) first.
///
/// Integration tests of `racah-tests` have no `CARGO_BIN_EXE_racah` (the binary belongs to the
/// root package), so the binary is built by the cargo running the tests, into the same target
/// directory, and run from there.
fn racah() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(build).clone()
}

fn build() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/<profile>/deps/cli_count-<hash>
    let profile_dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target/<profile>");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(cargo);
    build.args(["build", "--quiet", "-p", "racah", "--bin", "racah"]);
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    let status = build
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run cargo build");
    assert!(status.success(), "cargo build -p racah failed");
    profile_dir.join(format!("racah{}", std::env::consts::EXE_SUFFIX))
}

fn count(args: &[&str]) -> Output {
    Command::new(racah())
        .arg("count")
        .args(args)
        .output()
        .expect("run racah count")
}

/// Standard output of a successful run.
fn stdout(args: &[&str]) -> String {
    let out = count(args);
    assert!(
        out.status.success(),
        "racah count {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The JSON object of one row, from `"<key>": <value>,` to the next row (the JSON is
/// pretty-printed by serde_json with the row key first; racah-tests has no JSON parser).
fn json_row<'a>(json: &'a str, key: &str, value: u32) -> &'a str {
    let start = json
        .find(&format!("\"{key}\": {value},"))
        .unwrap_or_else(|| panic!("no row {key} = {value} in {json}"));
    let rest = &json[start..];
    let end = rest[1..]
        .find(&format!("\"{key}\":"))
        .map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

fn assert_counts(row: &str, counts: &[(&str, u32)]) {
    for (irrep, n) in counts {
        assert!(
            row.contains(&format!("\"{irrep}\": {n},"))
                || row.contains(&format!("\"{irrep}\": {n}\n")),
            "expected {irrep}: {n} in {row}"
        );
    }
}

#[test]
fn test_count_symmetric_powers() {
    // MATH.md §5: l_max = 2, ν = 2: 3/2/3, ν = 3: 5/5/6 (0e/1o/2e)
    let json = stdout(&["--irreps", "0e+1o+2e", "--nu", "3", "--json"]);
    assert!(json.contains("\"mode\": \"symmetric-power\""), "{json}");
    assert_counts(
        json_row(&json, "nu", 1),
        &[("0e", 1), ("1o", 1), ("2e", 1), ("0o", 0)],
    );
    assert_counts(json_row(&json, "nu", 2), &[("0e", 3), ("1o", 2), ("2e", 3)]);
    assert_counts(
        json_row(&json, "nu", 3),
        &[("0e", 5), ("1o", 5), ("2e", 6), ("dim", 165)],
    );
    // l_max = 1, ν = 4: 3/2/2, and the table form
    let text = stdout(&["--irreps", "0e+1o", "--nu", "4", "--lmax-out", "2"]);
    let last = text.lines().last().unwrap();
    let cells: Vec<&str> = last.split_whitespace().collect();
    // nu, 0e, 0o, 1o, 1e, 2e, 2o, dim, beyond
    assert_eq!(cells[..7], ["4", "3", "0", "2", "0", "2", "0"], "{text}");
    assert_eq!(cells[7], "35", "{text}"); // dim Sym⁴(R⁴) = C(7, 4)
}

#[test]
fn test_count_product() {
    // MATH.md §2: (1,2,3,4) → 2: 12
    let json = stdout(&["--product", "1o,2e,3o,4e", "--json"]);
    assert_counts(&json, &[("2e", 12)]);
    // three vectors: 0o once (the triple product), no 0e
    let text = stdout(&["--product", "1o,1o,1o"]);
    assert!(text.contains("1x0o+3x1o+2x2o+1x3o"), "{text}");
    assert!(!text.contains("0e"), "{text}");
}

#[test]
fn test_count_molien() {
    // two neighbours, invariants by degree: 1, 0, 2, 0, 4
    let json = stdout(&["--neighbours", "2", "--degree", "4", "--json"]);
    for (d, n) in [(0, 1), (1, 0), (2, 2), (3, 0), (4, 4)] {
        assert_counts(json_row(&json, "degree", d), &[("0e", n)]);
    }
    assert_counts(json_row(&json, "up_to_degree", 4), &[("0e", 7)]);
}

fn example(name: &str) -> String {
    format!("{}/../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn test_count_model() {
    // mace-small: V = 0e+1o+2e, ν ≤ 3 → 27 couplings per layer; parsimonious (A, as described)
    // 27 paths × 8 channels × 4 species, every sorted tree (B) 35 paths, 8 of them redundant
    let text = stdout(&["--model", &example("mace-small.toml")]);
    assert!(
        text.contains("parameter economy of mace-small (mace)"),
        "{text}"
    );
    assert!(text.contains("features.parsimonious = false"), "{text}");
    let layer1: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("layer 1 "))
        .unwrap_or_else(|| panic!("{text}"))
        .split_whitespace()
        .collect();
    // "layer", 1, params A B, product A B, paths A B, rank A B, count, complete A B, redundant A B
    assert_eq!(
        layer1[4..],
        ["864", "1120", "27", "35", "27", "27", "27", "yes", "yes", "0", "8"],
        "{text}"
    );
    assert!(
        text.contains("redundant path #21 ((1o,1o)->1e,1o)->1o"),
        "{text}"
    );
    assert!(
        text.contains("spans the same rank with no more parameters"),
        "{text}"
    );
    assert!(
        text.contains("rank of layer features on random neighbourhoods (24 samples")
            && text.contains("layer 2: output        8x2e  rank   8 / 8   full")
            && text.contains("every term of every layer is full rank (18 terms)"),
        "{text}"
    );
    // Cormorant: the JSON names the parsimonious side and its verdict
    let json = stdout(&["--model", &example("cormorant-small.toml"), "--json"]);
    for key in [
        "\"model\": \"cormorant-small\"",
        "\"variant\": \"as-described\"",
        "\"variant\": \"parsimonious-fusion\"",
        "\"parsimonious_side\": \"variant\"",
        "\"equal_rank\": true",
        "\"parsimony_pays\": true",
    ] {
        assert!(json.contains(key), "{key} in {json}");
    }
}

#[test]
fn count_rejects_bad_input() {
    let broken = format!("{}/Cargo.toml", env!("CARGO_MANIFEST_DIR"));
    let cases: [(&[&str], &str); 6] = [
        (&["--irreps", "0e+1o", "--nu", "99"], "99"),
        (&["--product", "1o,x"], "x"),
        (&["--neighbours", "500", "--degree", "2"], "500"),
        (&["--nu", "3"], "--irreps"),
        (&["--model", "net.toml"], "net.toml"),
        (&["--model", &broken], "Cargo.toml"),
    ];
    for (args, named) in cases {
        let out = count(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(named), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
