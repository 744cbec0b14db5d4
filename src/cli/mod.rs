//! Subcommands of the `racah` program, one file each.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub mod certify;
pub mod check;
pub mod count;
pub mod eval;
pub mod npy_io;
pub mod prove;
pub mod query;
pub mod table;
pub mod table_real;
pub mod verify;

/// Exact angular-momentum coupling and certified O(3)-equivariant kernels.
#[derive(Debug, Parser)]
#[command(name = "racah", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Exact CG, 3j, 6j, 9j and Racah W values as JSON lines.
    Eval(eval::EvalArgs),
    /// Tables of exact coefficients (cg, 3j, 6j, 9j, real-cg) as JSON, CSV or NumPy.
    Table(table::TableArgs),
    /// Run the full certification on built-in defaults (the main job).
    Verify(verify::VerifyArgs),
    /// Prove the identity catalogue exactly up to a bound; write or merge certificates.
    Prove(prove::ProveArgs),
    /// Check other people's tables and kernels against racah; diagnose their convention.
    Check(check::CheckArgs),
    /// Exact counts of independent equivariant maps (symmetric couplings, products, Molien).
    Count(count::CountArgs),
    /// Certify a model's equivariance numerically (external models via --cmd); JSON/HTML reports.
    Certify(certify::CertifyArgs),
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Eval(a) => eval::run(a),
        Command::Table(a) => table::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Prove(a) => prove::run(a),
        Command::Check(a) => check::run(a),
        Command::Count(a) => count::run(a),
        Command::Certify(a) => certify::run(a),
    }
}
