//! `racah check`: regression checks of other people's tables and kernels against racah, with a
//! diagnosis of the convention a mismatching table is written in.
//!
//! The engine is [`racah_proofs::diagnosis`]; this module reads the files ([`input`]), picks
//! the default tolerances and prints the report.

mod input;
#[cfg(test)]
mod tests;
// src/cli/npy_read.rs is declared here so that src/cli/mod.rs only gains `pub mod check;`.
#[path = "../npy_read.rs"]
pub mod npy_read;

use anyhow::Result;
use clap::{Args, ValueEnum};
use racah_numeric::ShNormalization;
use racah_proofs::diagnosis::{check, ArgUnits, CheckOptions, Dtype, Report, Table, Tolerances};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// What the files of `racah check` hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckKind {
    /// Clebsch–Gordan coefficients ⟨j1 m1 j2 m2|J M⟩.
    Cg,
    /// Wigner 3j symbols.
    #[value(name = "3j")]
    ThreeJ,
    /// Wigner 6j symbols.
    #[value(name = "6j")]
    SixJ,
    /// Wigner 9j symbols.
    #[value(name = "9j")]
    NineJ,
    /// e3nn real-basis coupling tensors C[l1,l2,l3].
    RealCg,
    /// Real spherical harmonics of points.
    Sh,
    /// Wigner D matrices of rotations.
    WignerD,
    /// Outputs of a tensor product.
    Tp,
}

/// dtype of JSON/CSV input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DtypeArg {
    /// binary32.
    F32,
    /// binary64.
    F64,
}

impl DtypeArg {
    fn dtype(self) -> Dtype {
        match self {
            DtypeArg::F32 => Dtype::F32,
            DtypeArg::F64 => Dtype::F64,
        }
    }
}

/// Units of symbol arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ArgUnitsArg {
    /// From the file: `twice_args` or a CSV header starting with `t` are doubled, `args` spins.
    Auto,
    /// Doubled integers (3 means 3/2).
    Twice,
    /// Spins (3/2, 1.5, 1).
    Spin,
}

impl ArgUnitsArg {
    fn units(self) -> ArgUnits {
        match self {
            ArgUnitsArg::Auto => ArgUnits::Auto,
            ArgUnitsArg::Twice => ArgUnits::Twice,
            ArgUnitsArg::Spin => ArgUnits::Spin,
        }
    }
}

/// Spherical-harmonic normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShNorm {
    /// Σ_m Y_lm² = 2l+1 (e3nn's default).
    Component,
    /// Σ_m Y_lm² = 1.
    Norm,
    /// Orthonormal on the sphere.
    Integral,
}

impl ShNorm {
    fn normalization(self) -> ShNormalization {
        match self {
            ShNorm::Component => ShNormalization::Component,
            ShNorm::Norm => ShNormalization::Norm,
            ShNorm::Integral => ShNormalization::Integral,
        }
    }
}

/// e3nn's `irrep_normalization`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IrrepNormArg {
    /// α ∝ 2l_out+1.
    Component,
    /// α ∝ (2l1+1)(2l2+1).
    Norm,
    /// α ∝ 1.
    None,
}

/// e3nn's `path_normalization`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PathNormArg {
    /// Divide by the total fan-in of the output.
    Element,
    /// Divide by the path's fan-in times the number of paths.
    Path,
    /// No division.
    None,
}

/// Options of `racah check`.
#[derive(Debug, Args)]
#[command(after_help = "\
Input formats (arrays may come from .npy files, in the order listed, or by name from one .npz
archive or a JSON object of nested arrays; float32 or float64; the table's dtype is that of its
values, JSON/CSV are read as --dtype):
  cg, 3j, 6j, 9j   twice_args (N, 6) [(N, 9) for 9j] integers, the doubled arguments in racah's
                   order (cg: j1 m1 j2 m2 J M; 3j: j1 j2 j3 m1 m2 m3; 6j/9j row-major), and
                   values (N,) float (also named f64: `racah table --format npy` output checks
                   as is). `args` instead of twice_args holds spins (0.5). Or one .json file:
                   `racah table` JSON ({\"rows\": [{\"twice_args\": [..], \"f64\": v}]}) or a list
                   of records with twice_args/args and value/f64. Or one .csv file with a header:
                   the arguments in the first 6 (9) columns (doubled if the first name starts
                   with t, as `racah table` writes; spins otherwise), the value in the column
                   named value or f64.
  real-cg          JSON {\"l1,l2,l3\": [2l1+1][2l2+1][2l3+1] nested arrays} (`racah table
                   real-cg`, e3nn-jax goldens; keys starting with _ ignored) or an .npz with one
                   array per triple keyed l1_l2_l3.
  sh               points (N, 3) and values (N, (lmax+1)^2), column l*l+l+m (e3nn order), with
                   --normalization and --no-normalize as computed.
  wigner-d         rotations (N, 3, 3) or e3nn angles (N, 3) [alpha, beta, gamma: R_y R_x R_y],
                   then D matrices: arrays D0, D1, .. (N, 2l+1, 2l+1), or one block-diagonal
                   (N, (lmax+1)^2, (lmax+1)^2) named D (or --block-diagonal).
  tp               x1 (N, dim1), x2 (N, dim2), [weights (numel,) or (N, numel)], out (N, dim_out),
                   with --irreps-in1/--irreps-in2/--irreps-out and --mode (all paths of one
                   connection mode, weighted iff weights are given) or --instructions.

Reference: cg/3j/6j/9j/real-cg exact, correctly rounded to the table's dtype; sh, wigner-d and
tp racah's f64 kernels rounded to the dtype. An entry passes if it is within --max-ulp ulps (of
the table's dtype) or --atol of the reference. Defaults: exact kinds 4 ulp, atol 0; numeric
kinds 1024 ulp or 64 eps (of the dtype) absolute.

Report: max absolute and relative error, an ulp histogram, the worst cases with their
arguments, entries without a counterpart (arguments not valid in racah's order, blocks of
another shape), and for a failing table the diagnosis: which known convention it matches
(argument order, complex vs real basis, e3nn sign rule before/after 2022, normalisation by
sqrt(2l+1), Frobenius vs 3j normalisation, transposed index order, Condon-Shortley phase, SH
normalisation, y-z-x axis order, Euler convention, ...), or that it matches none and is wrong.

Exit status: 0 within tolerance, 1 not within tolerance, 2 bad input (the message names the
file and the problem).

A single file `-` is read from standard input (JSON or CSV, recognised by the first character).

Examples:
  racah table cg --max-twice-j 6 --format csv | racah check cg -
  racah table cg --max-twice-j 6 --format npy --out t/ && racah check cg t/cg_2j_le_6.npz
  racah check real-cg tests/golden/e3nn_real_cg_l_le_4.json
  racah check sh points.npy values.npy --normalization integral
  racah check tp x1.npy x2.npy w.npy out.npy --irreps-in1 2x1o --irreps-in2 1o --irreps-out 2x0e --mode uvw")]
pub struct CheckArgs {
    /// What the files hold.
    pub kind: CheckKind,
    /// The input files (see the formats below); `-` reads a JSON or CSV table from standard
    /// input.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Pass if every entry is within this many ulps of the reference (in the table's dtype).
    #[arg(long)]
    pub max_ulp: Option<u64>,
    /// ... or within this absolute error.
    #[arg(long)]
    pub atol: Option<f64>,
    /// How many worst cases to list.
    #[arg(long, default_value_t = 10)]
    pub worst: usize,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Do not diagnose a failing table.
    #[arg(long)]
    pub no_diagnosis: bool,
    /// dtype of JSON and CSV input.
    #[arg(long, value_enum, default_value_t = DtypeArg::F64)]
    pub dtype: DtypeArg,
    /// Units of symbol arguments (cg, 3j, 6j, 9j).
    #[arg(long, value_enum, default_value_t = ArgUnitsArg::Auto)]
    pub args: ArgUnitsArg,
    /// sh: the normalisation the values were computed with.
    #[arg(long, value_enum, default_value_t = ShNorm::Component)]
    pub normalization: ShNorm,
    /// sh: the values are solid harmonics r^l Y(r̂) (e3nn normalize=False).
    #[arg(long)]
    pub no_normalize: bool,
    /// sh: the expected lmax (checked against the shape of the values).
    #[arg(long)]
    pub lmax: Option<u32>,
    /// wigner-d: the matrices are block-diagonal over l = 0..lmax.
    #[arg(long)]
    pub block_diagonal: bool,
    /// tp: irreps of the first input (e3nn syntax, e.g. "8x0e+4x1o").
    #[arg(long)]
    pub irreps_in1: Option<String>,
    /// tp: irreps of the second input.
    #[arg(long)]
    pub irreps_in2: Option<String>,
    /// tp: irreps of the output.
    #[arg(long)]
    pub irreps_out: Option<String>,
    /// tp: connection mode of every path (uvw, uvu, uvv, uuw, uuu, uvuv).
    #[arg(long, default_value = "uvw")]
    pub mode: String,
    /// tp: explicit instructions, JSON [[i1, i2, i_out, "mode", has_weight, path_weight?], ...]
    /// inline or a file.
    #[arg(long)]
    pub instructions: Option<String>,
    /// tp: irrep normalisation.
    #[arg(long, value_enum, default_value_t = IrrepNormArg::Component)]
    pub irrep_normalization: IrrepNormArg,
    /// tp: path normalisation.
    #[arg(long, value_enum, default_value_t = PathNormArg::Element)]
    pub path_normalization: PathNormArg,
}

fn options(args: &CheckArgs, table: &dyn Table) -> CheckOptions {
    let d = table.default_tolerances();
    CheckOptions {
        tolerances: Some(Tolerances {
            max_ulp: args.max_ulp.unwrap_or(d.max_ulp),
            atol: args.atol.unwrap_or(d.atol),
        }),
        worst: args.worst,
        diagnose: !args.no_diagnosis,
        ..CheckOptions::default()
    }
}

/// Loads the files and checks them.
pub fn report(args: &CheckArgs) -> Result<Report> {
    if let Some(a) = args.atol {
        if a.is_nan() || a < 0.0 {
            anyhow::bail!("--atol must be a non-negative number, got {a}");
        }
    }
    let table = input::load(args)?;
    Ok(check(table.as_ref(), &options(args, table.as_ref()))?)
}

/// Runs `racah check`.
pub fn run(args: CheckArgs) -> Result<ExitCode> {
    let report = report(&args)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut v = serde_json::to_value(&report)?;
        if let serde_json::Value::Object(m) = &mut v {
            let files: Vec<String> = args.files.iter().map(|f| f.display().to_string()).collect();
            m.insert("files".into(), serde_json::json!(files));
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        write!(out, "{report}")?;
    }
    out.flush()?;
    Ok(if report.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
