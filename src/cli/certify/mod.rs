//! `racah certify`: numeric equivariance certification of a model (rotations, reflections,
//! permutations of atoms, translations; errors in units of ε) with a terminal table, a JSON
//! report and an HTML report with charts. The exit status is 1 when the certification fails.
//!
//! # External models (`--cmd`)
//! Any program can be certified as a black box through files:
//!
//! 1. racah makes a fresh directory and writes, for a batch of B inputs (the test structures
//!    and all their rotated, reflected, permuted and translated copies) of N atoms each:
//!    - `positions.npy`: `(B, N, 3)` Cartesian positions (`float64`, or `float32` with
//!      `--dtype f32`), axes as in `CONVENTIONS.md#axes`;
//!    - `species.npy`: `(B, N)` `int64` atomic numbers;
//!    - `cell.npy`: `(B, 3, 3)` lattice vectors as rows (only with `--periodic`);
//!    - `features.npy`: `(B, N, dim)` per-atom input features (only with `--features IRREPS`);
//!    - `request.json`: `{protocol, model, batch, atoms, dtype, inputs: {…},
//!      outputs: [{name, irreps, dim, per_atom, file, shape}]}`.
//! 2. It runs the command with `sh -c '<command> "$RACAH_IO_DIR"'`: the directory is the
//!    last argument and the environment variable `RACAH_IO_DIR`; the working directory is
//!    racah's. The command must finish within `--timeout` seconds (default 60) and exit
//!    with status 0.
//! 3. It reads one `<name>.npy` per declared output, in the dtype of `request.json`:
//!    `(B, dim)` for `--output NAME=IRREPS` (one row per structure, e.g. `energy=1x0e`) and
//!    `(B, N, dim)` for `--atom-output NAME=IRREPS` (one row per atom, e.g.
//!    `forces=1x1o`); when dim is 1 the last axis may be left out. Components of a row follow
//!    the irreps in e3nn's real basis (`1o` is `(x, y, z)`).
//!
//! A crash (non-zero exit status or signal, with the end of stderr), a timeout, a missing
//! file, a wrong dtype or shape, and NaN or infinite outputs (with the first bad index) are
//! errors that name the command or the file. The command runs once per precision: an
//! external model runs in one precision (`--dtype`), so the f32 → f64 → f64x2 ladder does
//! not apply to it.

pub mod command;
pub mod declare;
pub mod external;
pub mod network;

use crate::cli::verify::html;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use external::ExternalModel;
use indicatif::{ProgressBar, ProgressStyle};
use racah_proofs::certify::{
    certify, CertifiableModel, CertificationReport, CertifyOptions, Precision, StructureSpec,
    TransformKind, DEFAULT_STRUCTURES, DEFAULT_THRESHOLD_EPS, DEFAULT_TRIALS,
};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The element type an external command computes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Dtype {
    /// float64 inputs and outputs.
    F64,
    /// float32 inputs and outputs.
    F32,
}

impl Dtype {
    fn precision(self) -> Precision {
        match self {
            Dtype::F64 => Precision::F64,
            Dtype::F32 => Precision::F32,
        }
    }
}

/// A kind of transformation, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Proper rotations.
    Rotation,
    /// Inversion composed with a rotation.
    Reflection,
    /// Permutations of the atoms.
    Permutation,
    /// Translations.
    Translation,
}

impl From<Kind> for TransformKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Rotation => TransformKind::Rotation,
            Kind::Reflection => TransformKind::Reflection,
            Kind::Permutation => TransformKind::Permutation,
            Kind::Translation => TransformKind::Translation,
        }
    }
}

/// Options of `racah certify`.
#[derive(Debug, Args)]
pub struct CertifyArgs {
    /// A racah network description (`examples/*.toml`); certified with forces in f32 and f64,
    /// or along the whole ladder f32 → f64 → f64x2 with `--no-forces`.
    #[arg(value_name = "MODEL.toml", conflicts_with = "command")]
    pub model: Option<PathBuf>,
    /// Precisions for a TOML model (f32, f64, f64x2).
    #[arg(long, value_delimiter = ',')]
    pub precisions: Vec<String>,
    /// Certify a TOML model's energies only (forces cost about 1 + 2·states passes more).
    #[arg(long)]
    pub no_forces: bool,
    /// Test structures for a TOML model from XYZ files (extended XYZ `Lattice="…"` for cells),
    /// used instead of random ones.
    #[arg(long, value_name = "FILE.xyz")]
    pub structure: Vec<PathBuf>,
    /// An external model: a command that reads `.npy` inputs from the directory given as its
    /// last argument and writes `<output>.npy` there (protocol: README, "Certifying an
    /// external model").
    #[arg(long = "cmd", value_name = "COMMAND")]
    pub command: Option<String>,
    /// A per-structure output and how it transforms, e.g. `energy=1x0e` (repeatable).
    #[arg(long = "output", value_name = "NAME=IRREPS")]
    pub outputs: Vec<String>,
    /// A per-atom output and how it transforms, e.g. `forces=1x1o` (repeatable).
    #[arg(long = "atom-output", value_name = "NAME=IRREPS")]
    pub atom_outputs: Vec<String>,
    /// Atomic numbers the test structures are drawn from.
    #[arg(long, value_delimiter = ',', default_value = "1,6,8")]
    pub species: Vec<u32>,
    /// Irreps of per-atom input features written to `features.npy` (none by default).
    #[arg(long, value_name = "IRREPS")]
    pub features: Option<String>,
    /// The model takes a periodic cell (`cell.npy`); test structures are then periodic.
    #[arg(long)]
    pub periodic: bool,
    /// The element type of the command's inputs and outputs.
    #[arg(long, value_enum, default_value = "f64")]
    pub dtype: Dtype,
    /// Seconds one run of the command may take before it is killed.
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// A name for the reports (default: the command).
    #[arg(long)]
    pub name: Option<String>,
    /// Atoms per random test structure.
    #[arg(long, default_value_t = 6)]
    pub atoms: usize,
    /// Number of random test structures.
    #[arg(long, default_value_t = DEFAULT_STRUCTURES)]
    pub structures: usize,
    /// Random transformations per kind and structure.
    #[arg(long, default_value_t = DEFAULT_TRIALS)]
    pub trials: usize,
    /// Transformation kinds to test (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub kinds: Vec<Kind>,
    /// Seed of the structures and transformations.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Pass threshold in units of ε times the output's scale.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD_EPS, value_name = "EPS")]
    pub threshold: f64,
    /// Write the report as JSON.
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Write the report as a self-contained HTML page with charts.
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
    /// Keep the I/O directories of the command under DIR (for debugging a model).
    #[arg(long, value_name = "DIR")]
    pub keep_io: Option<PathBuf>,
    /// Hide progress output.
    #[arg(long)]
    pub quiet: bool,
}

/// The engine's options from the command line.
///
/// # Errors
/// For a threshold or timeout that is not positive and finite, or no atoms or structures.
pub fn options(args: &CertifyArgs) -> Result<CertifyOptions> {
    if !(args.threshold.is_finite() && args.threshold > 0.0) {
        bail!(
            "--threshold must be positive and finite, got {}",
            args.threshold
        );
    }
    if args.atoms == 0 || args.structures == 0 || args.trials == 0 {
        bail!(
            "--atoms, --structures and --trials must be at least 1, got {}, {} and {}",
            args.atoms,
            args.structures,
            args.trials
        );
    }
    let mut kinds: Vec<TransformKind> = args.kinds.iter().map(|&k| k.into()).collect();
    if kinds.is_empty() {
        kinds = TransformKind::ALL.to_vec();
    }
    Ok(CertifyOptions {
        seed: args.seed,
        trials: args.trials,
        precisions: Vec::new(),
        thresholds_eps: Precision::LADDER
            .iter()
            .map(|&p| (p, args.threshold))
            .collect(),
        kinds,
        structures: Vec::new(),
        structure_spec: StructureSpec {
            atoms: args.atoms,
            periodic: args.periodic,
            ..StructureSpec::default()
        },
        num_structures: args.structures,
    })
}

/// The external model described by the command line.
///
/// # Errors
/// For bad output declarations or feature irreps, no species, or a bad timeout.
pub fn external_model(args: &CertifyArgs, command: &str) -> Result<ExternalModel> {
    let outputs = declare::parse_outputs(&args.outputs, &args.atom_outputs)?;
    if args.species.is_empty() {
        bail!("--species needs at least one atomic number");
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        bail!(
            "--timeout must be a positive number of seconds, got {}",
            args.timeout
        );
    }
    if command.trim().is_empty() {
        bail!("--cmd is empty");
    }
    let mut model = ExternalModel::new(
        command,
        args.species.clone(),
        outputs,
        args.dtype.precision(),
    );
    if let Some(f) = &args.features {
        model.input_features = Some(
            f.parse()
                .map_err(|e| anyhow::anyhow!("--features {f:?}: {e}"))?,
        );
    }
    model.periodic = args.periodic;
    model.timeout = Duration::from_secs_f64(args.timeout);
    model.keep_io = args.keep_io.clone();
    if let Some(n) = &args.name {
        model.name = n.clone();
    }
    Ok(model)
}

/// Runs `racah certify`.
pub fn run(args: CertifyArgs) -> Result<ExitCode> {
    if let Some(path) = args.model.clone() {
        return network::run(&path, &args);
    }
    let Some(command) = args.command.clone() else {
        bail!("give a model to certify: MODEL.toml (a racah network) or --cmd COMMAND (an external model)");
    };
    let model = external_model(&args, &command)?;
    let opts = options(&args)?;
    let started = Instant::now();
    let code = certify_and_report(&model, &opts, &args)?;
    if !args.quiet {
        eprintln!(
            "ran `{}` {} time(s) in {:.1} s",
            command,
            model.runs(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(code)
}

/// Certifies `model`, prints the engine's table and writes the JSON and HTML reports asked
/// for; exit status 0 when the certification passes, 1 when it fails.
///
/// # Errors
/// When the model cannot be evaluated (the engine's [`racah_proofs::certify::ModelError`])
/// or a report cannot be written.
pub fn certify_and_report<M: CertifiableModel>(
    model: &M,
    opts: &CertifyOptions,
    args: &CertifyArgs,
) -> Result<ExitCode> {
    let name = model.signature().name;
    let pb = if args.quiet {
        ProgressBar::hidden()
    } else {
        let pb = ProgressBar::new_spinner();
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("static template"),
        );
        pb.set_message(format!("certifying {name}"));
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    };
    let report = certify(model, opts);
    pb.finish_and_clear();
    // an external model's errors already name its command
    let report = report.map_err(|e| {
        if e.message.contains(&name) {
            anyhow::anyhow!("{e}")
        } else {
            anyhow::anyhow!("certifying {name}: {e}")
        }
    })?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write!(out, "{report}")?;
    if let Some(path) = &args.json {
        write_json(path, &report)?;
        writeln!(out, "JSON report written to {}", path.display())?;
    }
    if let Some(path) = &args.html {
        let sections = [html::ModelSection::from_report(&report)];
        let page = html::render(&html::HtmlReport {
            title: format!("racah certify: {name}"),
            subtitle: format!(
                "racah {}: {}",
                env!("CARGO_PKG_VERSION"),
                if report.pass { "PASS" } else { "FAIL" }
            ),
            checks: &[],
            models: &sections,
            texts: &[],
        })?;
        std::fs::write(path, page).with_context(|| format!("writing {}", path.display()))?;
        writeln!(out, "HTML report written to {}", path.display())?;
    }
    Ok(if report.pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn write_json(path: &std::path::Path, report: &CertificationReport) -> Result<()> {
    let value = serde_json::json!({
        "racah_version": env!("CARGO_PKG_VERSION"),
        "report": report,
    });
    std::fs::write(path, serde_json::to_string_pretty(&value)? + "\n")
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests;
