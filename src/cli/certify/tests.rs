//! Unit tests of the external-model protocol with shell commands (no Python needed); the
//! end-to-end test with Python models is `tests/tests/cli_certify_external.rs`.

use super::external::ExternalModel;
use super::*;
use crate::cli::check::npy_read::{read_npy, Data};
use clap::Parser;
use proptest::prelude::*;
use racah_proofs::certify::{CertInput, CertifiableModel, OutputSpec};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
struct Wrap {
    #[command(flatten)]
    args: CertifyArgs,
}

fn parse(args: &[&str]) -> CertifyArgs {
    let mut v = vec!["certify"];
    v.extend_from_slice(args);
    Wrap::try_parse_from(v).unwrap().args
}

/// A fresh, empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("racah-certify-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write_f64(path: &Path, shape: &[u64], data: &[f64]) {
    use npyz::WriterBuilder;
    let mut w = npyz::WriteOptions::new()
        .default_dtype()
        .shape(shape)
        .writer(std::fs::File::create(path).unwrap())
        .begin_nd()
        .unwrap();
    w.extend(data.iter().copied()).unwrap();
    w.finish().unwrap();
}

fn write_f32(path: &Path, shape: &[u64], data: &[f32]) {
    use npyz::WriterBuilder;
    let mut w = npyz::WriteOptions::new()
        .default_dtype()
        .shape(shape)
        .writer(std::fs::File::create(path).unwrap())
        .begin_nd()
        .unwrap();
    w.extend(data.iter().copied()).unwrap();
    w.finish().unwrap();
}

fn outputs() -> Vec<OutputSpec> {
    declare::parse_outputs(&["energy=1x0e".into()], &["forces=1x1o".into()]).unwrap()
}

fn input(n: usize, shift: f64) -> CertInput<f64> {
    CertInput {
        positions: (0..n)
            .map(|i| [i as f64 + shift, 0.5 * i as f64, -0.25])
            .collect(),
        species: (0..n).map(|i| [1, 8][i % 2]).collect(),
        cell: None,
        features: None,
    }
}

/// A model whose command copies prepared output files into the I/O directory.
fn copying_model(prepared: &Path, files: &[&str]) -> ExternalModel {
    let srcs: Vec<String> = files
        .iter()
        .map(|f| format!("'{}'", prepared.join(f).display()))
        .collect();
    ExternalModel::new(
        format!("cp {}", srcs.join(" ")),
        vec![1, 8],
        outputs(),
        Precision::F64,
    )
}

#[test]
fn test_external_model() {
    let prep = scratch("golden-prep");
    let io = scratch("golden-io");
    let energy = [1.5, -2.0];
    let forces: Vec<f64> = (0..2 * 3 * 3).map(|i| i as f64 / 8.0).collect();
    write_f64(&prep.join("energy.npy"), &[2, 1], &energy);
    write_f64(&prep.join("forces.npy"), &[2, 3, 3], &forces);
    let mut model = copying_model(&prep, &["energy.npy", "forces.npy"]);
    model.keep_io = Some(io.clone());
    let inputs = [input(3, 0.0), input(3, 0.125)];
    let out = model.evaluate_batch(&inputs).unwrap();
    assert_eq!(model.runs(), 1);
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].outputs, vec![vec![1.5], forces[..9].to_vec()]);
    assert_eq!(out[1].outputs, vec![vec![-2.0], forces[9..].to_vec()]);
    // what the command saw
    let dir = std::fs::read_dir(&io)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let pos = read_npy(&dir.join("positions.npy")).unwrap();
    assert_eq!(pos.shape, vec![2, 3, 3]);
    let expected: Vec<f64> = inputs
        .iter()
        .flat_map(|x| x.positions.iter().flatten().copied())
        .collect();
    assert_eq!(pos.data, Data::F64(expected));
    let species = read_npy(&dir.join("species.npy")).unwrap();
    assert_eq!(
        (species.shape.clone(), species.dtype.as_str()),
        (vec![2, 3], "<i8")
    );
    assert_eq!(species.data, Data::Int(vec![1, 8, 1, 1, 8, 1]));
    assert!(!dir.join("cell.npy").exists());
    let request: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("request.json")).unwrap()).unwrap();
    assert_eq!(request["batch"], 2);
    assert_eq!(request["atoms"], 3);
    assert_eq!(request["dtype"], "f64");
    assert_eq!(request["outputs"][1]["name"], "forces");
    assert_eq!(request["outputs"][1]["irreps"], "1x1o");
    assert_eq!(request["outputs"][1]["per_atom"], true);
    assert_eq!(request["outputs"][1]["shape"], serde_json::json!([2, 3, 3]));
    assert_eq!(request["inputs"]["cell"], serde_json::Value::Null);
    // the default I/O directory is removed after the run
    model.keep_io = None;
    model.command = format!(
        "{} && basename \"$RACAH_IO_DIR\" > '{}/name' #",
        model.command.clone() + " \"$RACAH_IO_DIR\"",
        io.display()
    );
    model.evaluate_batch(&inputs).unwrap();
    let name = std::fs::read_to_string(io.join("name")).unwrap();
    assert!(name.starts_with("racah-io-"), "{name}");
    assert!(!std::env::temp_dir().join(name.trim()).exists());
}

#[test]
fn external_model_groups_inputs_by_atom_count() {
    // one prepared answer per atom count: energy = number of atoms
    let prep = scratch("groups");
    for (n, b) in [(2u64, 2u64), (3, 1)] {
        let d = prep.join(n.to_string());
        std::fs::create_dir_all(&d).unwrap();
        write_f64(&d.join("energy.npy"), &[b, 1], &vec![n as f64; b as usize]);
        write_f64(
            &d.join("forces.npy"),
            &[b, n, 3],
            &vec![0.0; (b * n * 3) as usize],
        );
    }
    let cmd = format!(
        "n=$(grep '\"atoms\"' \"$RACAH_IO_DIR/request.json\" | tr -dc 0-9); cp '{}'/$n/*.npy",
        prep.display()
    );
    let model = ExternalModel::new(cmd, vec![1, 8], outputs(), Precision::F64);
    let inputs = [input(2, 0.0), input(3, 0.0), input(2, 1.0)];
    let out = model.evaluate_batch(&inputs).unwrap();
    assert_eq!(model.runs(), 2);
    let energies: Vec<f64> = out.iter().map(|o| o.outputs[0][0]).collect();
    assert_eq!(energies, vec![2.0, 3.0, 2.0]);
    assert_eq!(out[1].outputs[1].len(), 9);
    assert!(model.evaluate_batch::<f64>(&[]).unwrap().is_empty());
}

/// The error message of a batch of two 3-atom inputs.
fn message(model: &ExternalModel) -> String {
    let inputs = [input(3, 0.0), input(3, 0.5)];
    model.evaluate_batch(&inputs).unwrap_err().message
}

#[test]
fn external_model_reports_crashes_and_timeouts() {
    let mut m = ExternalModel::new(
        "echo 'Traceback: boom' >&2; exit 3 #",
        vec![1],
        outputs(),
        Precision::F64,
    );
    let msg = message(&m);
    assert!(msg.contains("failed with exit status 3"), "{msg}");
    assert!(msg.ends_with("    Traceback: boom"), "{msg}");
    m.command = "kill -SEGV $$ #".into();
    assert!(message(&m).contains("signal 11 (segmentation fault)"));
    m.command = "exit 1 #".into();
    assert!(message(&m).ends_with("(it printed nothing on stderr)"));
    m.command = "echo working >&2; sleep 20 #".into();
    m.timeout = Duration::from_millis(300);
    let start = Instant::now();
    let msg = message(&m);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert!(
        msg.contains("timed out after 0.3 s and was killed (raise --timeout)"),
        "{msg}"
    );
    assert!(msg.ends_with("    working"), "{msg}");
    m.command = "true".into();
    let msg = message(&m);
    assert_eq!(
        msg,
        "external model did not write energy.npy (the directory holds: positions.npy, \
         request.json, species.npy)"
    );
}

#[test]
fn external_model_rejects_bad_outputs() {
    let prep = scratch("bad-outputs");
    write_f64(&prep.join("energy.npy"), &[2, 1], &[1.0, 2.0]);
    let mut forces: Vec<f64> = vec![0.5; 18];
    write_f64(&prep.join("forces.npy"), &[2, 3, 3], &forces);
    write_f64(&prep.join("short.npy"), &[2, 3, 2], &forces[..12]);
    forces[13] = f64::NAN;
    write_f64(&prep.join("nan.npy"), &[2, 3, 3], &forces);
    forces[13] = f64::NEG_INFINITY;
    write_f64(&prep.join("inf.npy"), &[2, 3, 3], &forces);
    write_f32(&prep.join("f32.npy"), &[2, 3, 3], &[0.5; 18]);
    std::fs::write(prep.join("garbage.npy"), b"not an array").unwrap();
    let with_forces = |file: &str| {
        let mut m = copying_model(&prep, &["energy.npy"]);
        m.command = format!(
            "cp '{}' \"$RACAH_IO_DIR\"; cp '{}' \"$RACAH_IO_DIR/forces.npy\" #",
            prep.join("energy.npy").display(),
            prep.join(file).display()
        );
        message(&m)
    };
    let msg = with_forces("short.npy");
    assert!(
        msg.ends_with(
            "forces.npy: shape (2, 3, 2), expected (2, 3, 3) (batch 2 × atoms 3 × 3 (1x1o))"
        ),
        "{msg}"
    );
    let msg = with_forces("nan.npy");
    assert!(
        msg.ends_with("forces.npy: non-finite value NaN at index [1, 1, 1]"),
        "{msg}"
    );
    let msg = with_forces("inf.npy");
    assert!(
        msg.ends_with("forces.npy: non-finite value -inf at index [1, 1, 1]"),
        "{msg}"
    );
    let msg = with_forces("f32.npy");
    assert_eq!(
        msg,
        "forces.npy: dtype <f4, but request.json asks for float64 `<f8` (f64)"
    );
    let msg = with_forces("garbage.npy");
    assert!(msg.contains("forces.npy: not a valid .npy file"), "{msg}");
}

#[test]
fn external_model_runs_in_one_precision() {
    let m = ExternalModel::new("true", vec![1], outputs(), Precision::F64);
    let e = m.evaluate_batch(&[CertInput::<f32> {
        positions: vec![[0.0; 3]],
        species: vec![1],
        cell: None,
        features: None,
    }]);
    assert_eq!(
        e.unwrap_err().message,
        "an external model runs in one precision, f64 (--dtype), not f32"
    );
    assert_eq!(m.runs(), 0);
    assert_eq!(m.signature().precisions, vec![Precision::F64]);
}

#[test]
fn test_options_and_model_from_args() {
    let a = parse(&[
        "--cmd",
        "python3 m.py",
        "--output",
        "energy=1x0e",
        "--atom-output",
        "forces=1x1o",
        "--species",
        "1,8",
        "--dtype",
        "f32",
        "--kinds",
        "rotation,translation",
        "--threshold",
        "64",
        "--periodic",
        "--features",
        "2x0e+1x1o",
    ]);
    let o = options(&a).unwrap();
    assert_eq!(
        o.kinds,
        vec![TransformKind::Rotation, TransformKind::Translation]
    );
    assert_eq!(o.threshold_eps(Precision::F32), 64.0);
    assert!(o.structure_spec.periodic);
    let m = external_model(&a, "python3 m.py").unwrap();
    let sig = m.signature();
    assert_eq!(sig.precisions, vec![Precision::F32]);
    assert_eq!(sig.species, vec![1, 8]);
    assert_eq!(sig.outputs.len(), 2);
    assert!(sig.periodic);
    assert_eq!(sig.input_features.unwrap().dim(), 5);
    assert_eq!(sig.name, "python3 m.py");
}

#[test]
fn options_reject_bad_values() {
    let e = |extra: &[&str]| {
        let mut v = vec!["--cmd", "x", "--output", "e=0e"];
        v.extend_from_slice(extra);
        let a = parse(&v);
        options(&a)
            .and_then(|_| external_model(&a, "x"))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        e(&["--threshold=-1"]),
        "--threshold must be positive and finite, got -1"
    );
    assert_eq!(
        e(&["--atoms", "0"]),
        "--atoms, --structures and --trials must be at least 1, got 0, 2 and 4"
    );
    assert_eq!(
        e(&["--timeout", "0"]),
        "--timeout must be a positive number of seconds, got 0"
    );
    assert!(e(&["--features", "1x9q"]).starts_with("--features \"1x9q\":"));
    let a = parse(&["--cmd", "x"]);
    assert!(external_model(&a, "x")
        .unwrap_err()
        .to_string()
        .starts_with("no output declared"));
    let a = parse(&["--output", "e=0e"]);
    assert!(run(a)
        .unwrap_err()
        .to_string()
        .starts_with("give a model to certify"));
}

proptest! {
    #![proptest_config(ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(5), cases: 24, ..ProptestConfig::default() })]

    /// Whatever the batch, the command sees the inputs exactly and its outputs come back to
    /// the right copy; per-structure outputs of dimension 1 may drop their last axis.
    #[test]
    fn external_model_properties(
        b in 1usize..4,
        n in 1usize..5,
        short in any::<bool>(),
        seed in 0u64..1000,
    ) {
        let prep = scratch(&format!("prop-{b}-{n}-{short}-{seed}"));
        let energy: Vec<f64> = (0..b).map(|i| (seed + i as u64) as f64 / 4.0).collect();
        let forces: Vec<f64> = (0..b * n * 3).map(|i| i as f64 - seed as f64).collect();
        let eshape: Vec<u64> = if short { vec![b as u64] } else { vec![b as u64, 1] };
        write_f64(&prep.join("energy.npy"), &eshape, &energy);
        write_f64(&prep.join("forces.npy"), &[b as u64, n as u64, 3], &forces);
        let mut model = copying_model(&prep, &["energy.npy", "forces.npy"]);
        let io = prep.join("io");
        model.keep_io = Some(io.clone());
        let inputs: Vec<CertInput<f64>> = (0..b).map(|i| {
            let mut x = input(n, seed as f64 / 64.0 + i as f64);
            x.cell = Some([[4.0, 0.0, 0.0], [0.0, 4.0 + i as f64, 0.0], [0.0, 0.5, 4.0]]);
            x
        }).collect();
        let out = model.evaluate_batch(&inputs).unwrap();
        for (i, o) in out.iter().enumerate() {
            prop_assert_eq!(&o.outputs[0], &vec![energy[i]]);
            prop_assert_eq!(&o.outputs[1], &forces[i * n * 3..(i + 1) * n * 3].to_vec());
        }
        let dir = std::fs::read_dir(&io).unwrap().next().unwrap().unwrap().path();
        let cell = read_npy(&dir.join("cell.npy")).unwrap();
        prop_assert_eq!(cell.shape, vec![b, 3, 3]);
        let expected: Vec<f64> = inputs.iter().flat_map(|x| x.cell.unwrap().into_iter().flatten()).collect();
        prop_assert_eq!(cell.data, Data::F64(expected));
        let _ = std::fs::remove_dir_all(&prep);
    }
}
