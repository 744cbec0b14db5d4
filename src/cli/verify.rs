//! `racah verify`: the main job — every check racah has, on built-in defaults.

use anyhow::Result;
use clap::Args;
use std::process::ExitCode;

/// Options of `racah verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Where to write the JSON report.
    #[arg(long, default_value = "racah-report.json")]
    pub json: std::path::PathBuf,
}

/// Runs the verification and prints a summary table.
pub fn run(args: VerifyArgs) -> Result<ExitCode> {
    let _ = args;
    println!("racah verify: nothing is implemented yet");
    Ok(ExitCode::SUCCESS)
}
