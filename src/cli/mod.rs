//! Subcommands of the `racah` program, one file each.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
    /// Run the full certification on built-in defaults (the main job).
    Verify(verify::VerifyArgs),
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Verify(a) => verify::run(a),
    }
}
