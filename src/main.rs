//! The `racah` command-line program. See `racah --help` and the README's CLI tour.

use clap::Parser;

mod cli;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("racah: error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
