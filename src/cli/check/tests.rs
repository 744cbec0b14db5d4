//! Tests of `racah check` on the fixtures in `tests/data/check/` (tables written by sympy,
//! e3nn-jax, sphericart and scipy, see `make_fixtures.py` there), on tables written by
//! `racah table`, and on bad files.

use super::{report, CheckArgs};
use clap::Parser;
use proptest::prelude::*;
use racah_proofs::diagnosis::{Report, Verdict};
use std::path::{Path, PathBuf};

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: CheckArgs,
}

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/check")
        .join(name)
        .display()
        .to_string()
}

/// `racah check ARGS…` with fixture names resolved in `tests/data/check/`.
fn run(args: &[&str]) -> anyhow::Result<Report> {
    let argv: Vec<String> = std::iter::once("check".to_string())
        .chain(args.iter().map(|a| {
            if a.contains('.') && !a.starts_with('-') && !a.contains('+') {
                data(a)
            } else {
                a.to_string()
            }
        }))
        .collect();
    let cli = Cli::try_parse_from(&argv).map_err(|e| anyhow::anyhow!("{e}"))?;
    report(&cli.args)
}

fn matches(r: &Report) -> Vec<String> {
    match &r.diagnosis.as_ref().expect("a diagnosis").verdict {
        Verdict::OtherConvention { matches } => matches.iter().map(|m| m.name()).collect(),
        v => panic!("no convention: {v:?}\n{r}"),
    }
}

fn assert_convention(args: &[&str], expected: &str) {
    let r = run(args).unwrap();
    assert!(!r.passed, "{r}");
    let m = matches(&r);
    assert!(
        m.iter().any(|n| n == expected),
        "expected {expected}, got {m:?}\n{r}"
    );
}

fn assert_passes(args: &[&str]) -> Report {
    let r = run(args).unwrap();
    assert!(r.passed, "{r}");
    r
}

fn assert_error(args: &[&str], needles: &[&str]) {
    let e = format!("{:#}", run(args).expect_err("bad input must be an error"));
    for n in needles {
        assert!(e.contains(n), "{e:?} does not contain {n:?}");
    }
}

#[test]
fn test_check_fixtures_of_other_libraries() {
    // sympy CG, racah's order, float32
    let r = assert_passes(&["cg", "cg_f32.npz"]);
    assert_eq!(r.dtype.name(), "f32");
    // e3nn-jax real CG, float32 .npz keyed l1_l2_l3
    assert_passes(&["real-cg", "real_cg_e3nn_jax_f32.npz"]);
    // e3nn-jax SH computed in float32
    assert_passes(&["sh", "sh_e3nn_jax_f32.npz"]);
    // e3nn-jax Wigner D and tensor product, f64
    assert_passes(&["wigner-d", "wigner_d_e3nn_jax.npz"]);
    let tp = [
        "--irreps-in1",
        "2x0e+2x1o",
        "--irreps-in2",
        "1x0e+1x1o",
        "--irreps-out",
        "2x0e+1x1o+1x1e",
    ];
    assert_passes(&[&["tp", "tp_uvw.npz"], &tp[..]].concat());
    // the e3nn-jax real CG golden, l ≤ 4, as committed
    let golden =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/e3nn_real_cg_l_le_4.json");
    assert_passes(&["real-cg", &golden.display().to_string()]);
}

#[test]
fn check_recognises_conventions_of_other_libraries() {
    assert_convention(&["cg", "cg_sympy_order.csv"], "argument-order=sympy");
    assert_convention(&["cg", "cg_su2_e3nn_jax.npz"], "value=su2-cg");
    assert_convention(&["6j", "sixj_racah_w.csv"], "value=racah-w");
    assert_convention(&["real-cg", "real_cg_transposed.json"], "index-order=cba");
    assert_convention(
        &["sh", "sh_points.npy", "sh_sphericart.npy"],
        "normalization=integral + axes=yzx",
    );
    assert_convention(
        &[
            "sh",
            "sh_points.npy",
            "sh_sphericart.npy",
            "--normalization",
            "integral",
        ],
        "axes=yzx",
    );
    // Fortran-ordered points read the same
    assert_convention(
        &[
            "sh",
            "sh_points_fortran.npy",
            "sh_sphericart.npy",
            "--normalization",
            "integral",
        ],
        "axes=yzx",
    );
    assert_convention(
        &["sh", "sh_scipy_cs.npz", "--normalization", "integral"],
        "axes=yzx + phase=condon-shortley",
    );
    assert_convention(
        &["wigner-d", "wigner_d_transposed_angles.npz"],
        "orientation=transposed",
    );
    let tp = [
        "--irreps-in1",
        "2x0e+2x1o",
        "--irreps-in2",
        "1x0e+1x1o",
        "--irreps-out",
        "2x0e+1x1o+1x1e",
    ];
    assert_convention(
        &[&["tp", "tp_uvw_norm.npz"], &tp[..]].concat(),
        "irrep-normalization=norm",
    );
    // the same table declared in its own normalisation passes
    assert_passes(
        &[
            &["tp", "tp_uvw_norm.npz", "--irrep-normalization", "norm"],
            &tp[..],
        ]
        .concat(),
    );
}

#[test]
fn check_rejects_bad_files() {
    let sph = "sh_sphericart.npy";
    assert_error(
        &["sh", "bad_truncated.npy", sph],
        &["bad_truncated.npy", "truncated", "(8, 3)"],
    );
    assert_error(
        &["sh", "bad_complex.npy", sph],
        &["bad_complex.npy", "<c16", "complex"],
    );
    assert_error(
        &["sh", "bad_nan.npz"],
        &["bad_nan.npz:values", "NaN", "[2, 5]"],
    );
    assert_error(
        &["sh", "bad_points_shape.npy", sph],
        &["bad_points_shape.npy", "(N, 3)", "(8, 4)"],
    );
    assert_error(
        &["sh", "sh_points.npy", "bad_values_int.npy"],
        &["bad_values_int.npy", "integer dtype"],
    );
    assert_error(
        &["sh", "bad_not_npy.npy", sph],
        &["bad_not_npy.npy", "not a valid .npy"],
    );
    assert_error(&["sh", "bad_object.npy", sph], &["bad_object.npy", "|O"]);
    assert_error(
        &["sh", "bad_truncated.npz"],
        &["bad_truncated.npz", "not a valid .npz"],
    );
    assert_error(
        &["sh", "sh_points.npy", "no_such_file.npy"],
        &["no_such_file.npy", "cannot read"],
    );
    assert_error(&["cg", "sh_points.npy", sph], &["sh_points.npy", "(N, 6)"]);
    assert_error(&["sh", "sh_points.npy", sph, "--lmax", "2"], &["lmax = 3"]);
    assert_error(
        &["cg", "cg_sympy_order.csv", "--args", "twice"],
        &["line 4, column 2", "\"1/2\""],
    );
    assert_error(
        &["real-cg", "tp_uvw.npz"],
        &["tp_uvw.npz", "\"x1\"", "l1,l2,l3"],
    );
    assert_error(&["tp", "tp_uvw.npz"], &["--irreps-in1"]);
    assert_error(&["cg", "cg_f32.npz", "--atol=-1"], &["--atol", "-1"]);
    assert_error(
        &["cg", "make_fixtures.py"],
        &["make_fixtures.py", "unsupported file type"],
    );
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("racah-check-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn table(kind: &str, extra: &[&str], out: &Path) {
    use crate::cli::table::TableArgs;
    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        args: TableArgs,
    }
    let argv: Vec<String> = [
        "table",
        kind,
        "--quiet",
        "--out",
        &out.display().to_string(),
    ]
    .iter()
    .chain(extra)
    .map(|s| s.to_string())
    .collect();
    crate::cli::table::run(T::try_parse_from(argv).unwrap().args).unwrap();
}

#[test]
fn racah_tables_round_trip_through_check() {
    let dir = temp_dir("round-trip");
    let d = dir.display().to_string();
    for (kind, stem) in [
        ("cg", "cg_2j_le_3"),
        ("3j", "3j_2j_le_3"),
        ("6j", "6j_2j_le_3"),
        ("9j", "9j_2j_le_3"),
    ] {
        for (fmt, ext) in [("npy", "npz"), ("json", "json"), ("csv", "csv")] {
            table(kind, &["--max-twice-j", "3", "--format", fmt], &dir);
            let f = format!("{d}/{stem}.{ext}");
            let r = assert_passes(&[kind, &f]);
            assert_eq!(r.comparison.max_ulps, 0, "{kind} {fmt}: {r}");
        }
    }
    for (fmt, file) in [
        ("json", "real_cg_lmax_2.json"),
        ("npy", "real_cg_lmax_2.npz"),
    ] {
        table("real-cg", &["--lmax", "2", "--format", fmt], &dir);
        let path = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let n = p.file_name().unwrap().to_string_lossy().to_string();
                n.starts_with("real")
                    && n.ends_with(Path::new(file).extension().unwrap().to_str().unwrap())
                    && !n.contains("exact")
            })
            .unwrap_or_else(|| {
                panic!("racah table real-cg --format {fmt} wrote no {file}-like file")
            });
        let r = assert_passes(&["real-cg", &path.display().to_string()]);
        assert_eq!(r.comparison.max_ulps, 0);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_report_and_exit_status() {
    let r = run(&["cg", "cg_su2_e3nn_jax.npz", "--worst", "3"]).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["passed"], false);
    assert_eq!(v["comparison"]["worst"].as_array().unwrap().len(), 3);
    assert_eq!(v["diagnosis"]["verdict"]["verdict"], "other-convention");
    assert_eq!(
        v["diagnosis"]["verdict"]["matches"][0]["differences"][0][1]["id"],
        "su2-cg"
    );
    // --no-diagnosis, and explicit tolerances that let every entry pass
    let r = run(&["cg", "cg_su2_e3nn_jax.npz", "--no-diagnosis"]).unwrap();
    assert!(r.diagnosis.is_none() && !r.passed);
    let r = run(&["cg", "cg_su2_e3nn_jax.npz", "--atol", "1"]).unwrap();
    assert!(r.passed);
}

/// Writes a CG table as an .npz with one value moved by `p` ulps or `d` absolute.
fn perturbed_npz(dir: &Path, k: usize, ulps: u64, abs: f64) -> (String, usize) {
    use crate::cli::npy_io::{write_npz, Array};
    let rows = crate::cli::table::enumerate(crate::cli::query::Kind::Cg, 3);
    let mut values: Vec<f64> = rows
        .iter()
        .map(|t| {
            racah_exact::Cg::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])
                .unwrap()
                .value_f64()
        })
        .collect();
    let k = (k..values.len())
        .chain(0..k)
        .find(|&i| values[i].abs() > 0.05)
        .unwrap();
    values[k] = f64::from_bits(
        (values[k].to_bits() as i64
            + if values[k] > 0.0 {
                ulps as i64
            } else {
                -(ulps as i64)
            }) as u64,
    ) + abs;
    let path = dir.join(format!("p_{k}_{ulps}_{abs}.npz"));
    let arrays = [
        Array::I64 {
            name: "twice_args".into(),
            shape: vec![rows.len() as u64, 6],
            data: rows.concat(),
        },
        Array::F64 {
            name: "values".into(),
            shape: vec![rows.len() as u64],
            data: values,
        },
    ];
    write_npz(&path, &arrays).unwrap();
    (path.display().to_string(), k)
}

#[test]
fn perturbed_files_report_the_right_worst_case() {
    let dir = temp_dir("perturbed");
    for (ulps, abs, passes) in [(1, 0.0, true), (0, 1e-12, false), (0, 1e-6, false)] {
        let (f, k) = perturbed_npz(&dir, 40, ulps, abs);
        let r = run(&["cg", &f]).unwrap();
        assert_eq!(r.passed, passes, "{r}");
        assert_eq!(r.comparison.worst[0].index, k, "{r}");
        assert!(
            r.comparison.worst[0]
                .arguments
                .starts_with(&format!("row {k}: cg ")),
            "{r}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, rng_seed: proptest::test_runner::RngSeed::Fixed(12),
        ..ProptestConfig::default() })]

    #[test]
    fn check_properties(k in 0usize..300, ulps in 0u64..40, big in any::<bool>()) {
        let dir = temp_dir(&format!("prop-{k}-{ulps}-{big}"));
        let abs = if big { 1e-7 } else { 0.0 };
        let (f, k) = perturbed_npz(&dir, k, ulps, abs);
        let r = run(&["cg", &f]).unwrap();
        prop_assert_eq!(r.passed, !big && ulps <= 4);
        if big || ulps > 0 {
            prop_assert_eq!(r.comparison.worst[0].index, k);
        } else {
            prop_assert!(r.comparison.worst.is_empty());
        }
        prop_assert_eq!(r.comparison.histogram.total(), r.comparison.entries);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn block_diagonal_wigner_d() {
    use crate::cli::npy_io::{write_npz, Array};
    use racah_numeric::{Rotation, WignerD};
    let dir = temp_dir("block-d");
    let rots: Vec<Rotation> = [[0.2, -1.0, 0.5], [2.5, 0.3, -0.7]]
        .iter()
        .map(|&[a, b, c]| Rotation::from_euler_angles(a, b, c).unwrap())
        .collect();
    let mats: Vec<f64> = rots.iter().flat_map(|r| r.matrix().concat()).collect();
    let mut dense: Vec<f64> = rots
        .iter()
        .flat_map(|r| WignerD::<f64>::new(2, r).unwrap().to_dense())
        .collect();
    let write = |name: &str, dense: &[f64]| {
        let p = dir.join(name);
        let arrays = [
            Array::F64 {
                name: "rotations".into(),
                shape: vec![2, 3, 3],
                data: mats.clone(),
            },
            Array::F64 {
                name: "D".into(),
                shape: vec![2, 9, 9],
                data: dense.to_vec(),
            },
        ];
        write_npz(&p, &arrays).unwrap();
        p.display().to_string()
    };
    let ok = write("ok.npz", &dense);
    let r = assert_passes(&["wigner-d", &ok]);
    assert_eq!(r.comparison.entries, 2 * (1 + 9 + 25));
    dense[81 + 2 * 9 + 6] = 0.5; // rotation 1, row 2 (l = 1), column 6 (l = 2)
    let bad = write("bad.npz", &dense);
    assert_error(
        &["wigner-d", &bad],
        &[
            "bad.npz:D",
            "rotation 1",
            "[2][6]",
            "outside the l = 1 block",
        ],
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
