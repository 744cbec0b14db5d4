//! `racah prove`: checks the identity catalogue exactly, over every argument up to a bound, and
//! writes a JSON certificate; `--merge` combines the certificates of sharded runs.

use anyhow::{bail, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use racah_proofs::identity::{self, Identity, RunConfig};
use racah_proofs::prove_report::{merge, Certificate, IdentityReport};
use racah_proofs::shard::Shard;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Options of `racah prove`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  racah prove                                   every identity at its default bound
  racah prove six-j-symmetries --max-twice-j 16 one identity, all 6j with 2j <= 16
  racah prove --shard 0/2 --out s0.json         half of the cases (index mod 2 = 0) ...
  racah prove --shard 1/2 --out s1.json         ... and the other half, elsewhere
  racah prove --merge s0.json s1.json --out all.json
  racah prove --time-budget 60                  the largest bound each identity reaches in 60 s

Exit status: 0 if every case passed, 1 if a case failed (or a run was cut short), 2 on errors.")]
pub struct ProveArgs {
    /// Identities to check, by name (default: all; see --list).
    #[arg(value_name = "IDENTITY")]
    pub identities: Vec<String>,
    /// Bound on every doubled spin (2j <= N), for every selected identity [default: each
    /// identity's own, see --list].
    #[arg(long, value_name = "N")]
    pub max_twice_j: Option<u32>,
    /// Check only shard K of N: the cases whose index i has i mod N = K.
    #[arg(long, value_name = "K/N", default_value = "0/1")]
    pub shard: Shard,
    /// Where to write the JSON certificate.
    #[arg(long, value_name = "FILE", default_value = "racah-prove.json")]
    pub out: PathBuf,
    /// Merge the certificates of shards 0/N … N-1/N into one (after checking that they agree
    /// and that each shard's enumeration hash is reproduced) instead of running.
    #[arg(long, value_name = "FILE", num_args = 1..,
          conflicts_with_all = ["identities", "max_twice_j", "shard", "time_budget", "list"])]
    pub merge: Vec<PathBuf>,
    /// List the identities with their default bounds and formulas, then exit.
    #[arg(long)]
    pub list: bool,
    /// Instead of one bound: raise the bound from 0 while the identity's total time stays
    /// within SECS, and certify the largest bound completed.
    #[arg(long, value_name = "SECS", conflicts_with = "max_twice_j")]
    pub time_budget: Option<f64>,
    /// Hide progress bars (they are hidden anyway when stderr is not a terminal).
    #[arg(long)]
    pub quiet: bool,
}

/// Runs `racah prove`.
pub fn run(args: ProveArgs) -> Result<ExitCode> {
    if args.list {
        list();
        return Ok(ExitCode::SUCCESS);
    }
    if !args.merge.is_empty() {
        return run_merge(&args.merge, &args.out);
    }
    let selected = select(&args.identities)?;
    let started = Instant::now();
    let reports = match args.time_budget {
        Some(secs) => {
            if !(secs.is_finite() && secs > 0.0) {
                bail!("--time-budget must be a positive number of seconds, got {secs}");
            }
            selected
                .iter()
                .map(|id| budget_run(*id, Duration::from_secs_f64(secs), args.shard, args.quiet))
                .collect::<Vec<_>>()
        }
        None => selected
            .iter()
            .map(|id| {
                let bound = args.max_twice_j.unwrap_or_else(|| id.default_bound());
                let config = RunConfig {
                    shard: args.shard,
                    ..RunConfig::default()
                };
                let bar = bar(*id, args.quiet);
                let r = identity::run(*id, bound, &config, &bar);
                bar.finish_and_clear();
                r
            })
            .collect(),
    };
    let cert = Certificate::new(
        reports,
        args.shard,
        git_commit(),
        started.elapsed().as_secs_f64(),
    );
    finish(&cert, &args.out)
}

/// The identities named (all when none), or an error listing the valid names.
fn select(names: &[String]) -> Result<Vec<&'static dyn Identity>> {
    if names.is_empty() {
        return Ok(identity::catalogue().to_vec());
    }
    let mut out: Vec<&'static dyn Identity> = Vec::new();
    for n in names {
        let id = identity::find(n)?;
        if !out.iter().any(|i| i.name() == id.name()) {
            out.push(id);
        }
    }
    Ok(out)
}

fn list() {
    println!("{:<24} {:>5}  relation", "identity", "2j<=");
    println!("{}", "-".repeat(100));
    for id in identity::catalogue() {
        println!(
            "{:<24} {:>5}  {}",
            id.name(),
            id.default_bound(),
            id.description()
        );
    }
}

fn bar(id: &dyn Identity, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template(
            "{prefix:<24} [{bar:30}] {pos}/{len} cases {elapsed} (eta {eta})",
        )
        .expect("static template")
        .progress_chars("=> "),
    );
    pb.set_prefix(id.name());
    pb
}

/// Raises the bound from 0 while the total time stays within `budget`; returns the report of
/// the largest bound completed (or the incomplete bound-0 report if even that did not finish).
fn budget_run(id: &dyn Identity, budget: Duration, shard: Shard, quiet: bool) -> IdentityReport {
    let deadline = Instant::now() + budget;
    let config = RunConfig {
        shard,
        deadline: Some(deadline),
        ..RunConfig::default()
    };
    let mut best: Option<IdentityReport> = None;
    for bound in 0..=4096u32 {
        let bar = bar(id, quiet);
        bar.set_message(format!("2j <= {bound}"));
        let r = identity::run(id, bound, &config, &bar);
        bar.finish_and_clear();
        if !r.complete {
            return best.unwrap_or(r);
        }
        if r.failures > 0 {
            return r;
        }
        best = Some(r);
    }
    best.unwrap_or_else(|| identity::run(id, 0, &config, &ProgressBar::hidden()))
}

fn run_merge(files: &[PathBuf], out: &Path) -> Result<ExitCode> {
    let certs = files
        .iter()
        .map(|f| {
            let text =
                std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
            Certificate::from_json(&text).with_context(|| format!("reading {}", f.display()))
        })
        .collect::<Result<Vec<_>>>()?;
    let merged = merge(&certs).context("merging shard certificates")?;
    println!("merged {} shards", merged.merged_from.len());
    finish(&merged, out)
}

fn finish(cert: &Certificate, out: &Path) -> Result<ExitCode> {
    print_table(cert);
    std::fs::write(out, cert.to_json() + "\n")
        .with_context(|| format!("writing {}", out.display()))?;
    println!(
        "certificate written to {} (enumeration sha256 {})",
        out.display(),
        cert.enumeration_sha256
    );
    Ok(if cert.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_table(cert: &Certificate) {
    println!(
        "{:<24} {:>5} {:>12} {:>9} {:>9}  status   (shard {})",
        "identity", "2j<=", "cases", "failures", "seconds", cert.shard
    );
    println!("{}", "-".repeat(80));
    for r in &cert.identities {
        let status = match (r.complete, r.failures) {
            (_, f) if f > 0 => "FAIL",
            (false, _) => "incomplete",
            _ => "pass",
        };
        println!(
            "{:<24} {:>5} {:>12} {:>9} {:>9.2}  {status}",
            r.name, r.max_twice_j, r.cases_checked, r.failures, r.seconds
        );
        for f in &r.first_failures {
            println!("    failure #{}: {}", f.index, f.failure);
        }
    }
    println!("{}", "-".repeat(80));
    println!(
        "{:<24} {:>5} {:>12} {:>9} {:>9.2}  {}",
        "total",
        "",
        cert.cases_checked,
        cert.failures,
        cert.wall_seconds,
        if cert.passed() { "pass" } else { "FAIL" }
    );
}

/// The source's git commit: `RACAH_GIT_COMMIT` or `GIT_COMMIT` if set, else `git rev-parse
/// HEAD` in the source tree (with `-dirty` when tracked files are modified), else none.
fn git_commit() -> Option<String> {
    for var in ["RACAH_GIT_COMMIT", "GIT_COMMIT"] {
        if let Ok(v) = std::env::var(var) {
            if !v.trim().is_empty() {
                return Some(v.trim().to_string());
            }
        }
    }
    let dir = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let head = git(&["rev-parse", "HEAD"]).filter(|h| !h.is_empty())?;
    let dirty =
        git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    Some(if dirty { format!("{head}-dirty") } else { head })
}
