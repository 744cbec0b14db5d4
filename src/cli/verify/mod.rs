//! `racah verify`: the main job — every check racah has, on built-in defaults, with a summary
//! table on the terminal and a JSON report.
//!
//! Sections: exact values against independent oracles (the worked examples of
//! `CONVENTIONS.md` and sympy tables), structural counts, and, as their capabilities land, identity
//! proofs, numeric-versus-exact agreement and model certification. A section that does not exist
//! yet is listed as such, never reported as passed.

mod counting_checks;
mod exact_checks;
pub mod html;
mod model_checks;
mod numeric_checks;

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use racah_proofs::identity::{self, Identity, RunConfig};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Options of `racah verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Where to write the JSON report.
    #[arg(long, default_value = "racah-report.json")]
    pub json: PathBuf,
    /// Where to write the HTML report (default: the JSON path with extension `.html`).
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Hide progress output.
    #[arg(long)]
    pub quiet: bool,
}

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every case agreed.
    Pass,
    /// At least one case disagreed.
    Fail,
    /// The capability does not exist yet; nothing was checked.
    NotImplemented,
}

/// The result of one check: how many cases, how many failures, the first few failures.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    /// Section, e.g. `exact`.
    pub section: &'static str,
    /// Check name, e.g. `sympy-6j`.
    pub name: &'static str,
    /// What is compared with what.
    pub description: String,
    /// Cases checked.
    pub cases: u64,
    /// Cases that failed.
    pub failures: u64,
    /// The first failures, described.
    pub first_failures: Vec<String>,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Outcome.
    pub status: Status,
}

/// A tally being built by a check.
#[derive(Debug, Default)]
pub struct Tally {
    cases: u64,
    failures: u64,
    first: Vec<String>,
}

impl Tally {
    /// Records one case.
    pub fn check(&mut self, ok: bool, describe: impl FnOnce() -> String) {
        self.cases += 1;
        if !ok {
            self.failures += 1;
            if self.first.len() < 5 {
                self.first.push(describe());
            }
        }
    }

    /// Records a case that could not even be evaluated.
    pub fn error(&mut self, what: String) {
        self.check(false, || what);
    }
}

type CheckFn = fn() -> Tally;

struct Check {
    section: &'static str,
    name: &'static str,
    description: &'static str,
    run: Option<CheckFn>,
    identity: Option<&'static dyn Identity>,
}

/// Runs one identity of the catalogue at its default bound (as `racah prove` does).
fn run_identity(id: &dyn Identity) -> Tally {
    let report = identity::run(
        id,
        id.default_bound(),
        &RunConfig::default(),
        &ProgressBar::hidden(),
    );
    let mut t = Tally {
        cases: report.cases_checked,
        failures: report.failures,
        first: report
            .first_failures
            .iter()
            .take(5)
            .map(|f| format!("case {}: {:?}", f.index, f.failure))
            .collect(),
    };
    if !report.complete {
        t.error(format!("{} did not check every case", report.name));
    }
    t
}

fn catalogue() -> Vec<Check> {
    let mut v = exact_checks::checks();
    v.extend(numeric_checks::checks());
    v.extend(numeric_checks::kernel_checks());
    v.extend(model_checks::checks());
    for id in identity::catalogue() {
        v.push(Check {
            section: "proofs",
            name: id.name(),
            description: id.description(),
            run: None,
            identity: Some(*id),
        });
    }
    v.extend(counting_checks::checks());
    v
}

fn run_check(c: &Check, pb: &ProgressBar) -> CheckResult {
    pb.set_message(format!("{}/{}", c.section, c.name));
    let start = Instant::now();
    let run = c.run.map(|f| f()).or_else(|| c.identity.map(run_identity));
    let (tally, status) = match run {
        Some(t) => {
            let s = if t.failures == 0 && t.cases > 0 {
                Status::Pass
            } else {
                Status::Fail
            };
            (t, s)
        }
        None => (Tally::default(), Status::NotImplemented),
    };
    pb.inc(1);
    CheckResult {
        section: c.section,
        name: c.name,
        description: c.description.to_string(),
        cases: tally.cases,
        failures: tally.failures,
        first_failures: tally.first,
        seconds: start.elapsed().as_secs_f64(),
        status,
    }
}

fn print_table(out: &mut dyn Write, results: &[CheckResult]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<10} {:<28} {:>10} {:>9} {:>9}  status",
        "section", "check", "cases", "failures", "seconds"
    )?;
    writeln!(out, "{}", "-".repeat(80))?;
    for r in results {
        let status = match r.status {
            Status::Pass => "pass",
            Status::Fail => "FAIL",
            Status::NotImplemented => "not implemented yet",
        };
        writeln!(
            out,
            "{:<10} {:<28} {:>10} {:>9} {:>9.2}  {}",
            r.section, r.name, r.cases, r.failures, r.seconds, status
        )?;
        for f in &r.first_failures {
            writeln!(out, "    failure: {f}")?;
        }
    }
    Ok(())
}

/// Runs the verification and prints a summary table.
pub fn run(args: VerifyArgs) -> Result<ExitCode> {
    let checks = catalogue();
    let pb = if args.quiet {
        ProgressBar::hidden()
    } else {
        let pb = ProgressBar::new(checks.len() as u64);
        pb.set_style(
            ProgressStyle::with_template("verify [{bar:30}] {pos}/{len} {msg}")
                .expect("static template")
                .progress_chars("=> "),
        );
        pb
    };
    let started = Instant::now();
    let results: Vec<CheckResult> = checks.iter().map(|c| run_check(c, &pb)).collect();
    let model_reports = model_checks::take_reports();
    let economy = counting_checks::take_economy();
    let texts: Vec<(String, String)> = economy
        .iter()
        .map(|e| (format!("Parameter economy: {}", e.model), e.to_string()))
        .collect();
    let sections: Vec<html::ModelSection> = model_reports
        .iter()
        .map(html::ModelSection::from_report)
        .collect();
    pb.finish_and_clear();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    print_table(&mut out, &results)?;
    let failed = results.iter().filter(|r| r.status == Status::Fail).count();
    let missing = results
        .iter()
        .filter(|r| r.status == Status::NotImplemented)
        .count();
    let passed = results.iter().filter(|r| r.status == Status::Pass).count();
    writeln!(
        out,
        "\n{passed} checks passed, {failed} failed, {missing} not implemented yet ({:.1} s)",
        started.elapsed().as_secs_f64()
    )?;
    let report = serde_json::json!({
        "racah_version": env!("CARGO_PKG_VERSION"),
        // which clone of the batched kernels ran (CONVENTIONS.md#determinism)
        "instruction_set": racah_numeric::instruction_set(),
        "threads": rayon::current_num_threads(),
        "passed": passed,
        "failed": failed,
        "not_implemented": missing,
        "seconds": started.elapsed().as_secs_f64(),
        "checks": results,
        "models": &model_reports,
        "economy": &economy,
    });
    std::fs::write(&args.json, serde_json::to_string_pretty(&report)? + "\n")
        .with_context(|| format!("writing {}", args.json.display()))?;
    writeln!(out, "report written to {}", args.json.display())?;
    let html_path = args
        .html
        .clone()
        .unwrap_or_else(|| args.json.with_extension("html"));
    let subtitle = format!(
        "racah {}: {passed} checks passed, {failed} failed, {missing} not implemented yet, \
         {:.1} s ({} kernels, {} threads)",
        env!("CARGO_PKG_VERSION"),
        started.elapsed().as_secs_f64(),
        racah_numeric::instruction_set(),
        rayon::current_num_threads()
    );
    let page = html::render(&html::HtmlReport {
        title: "racah verify".into(),
        subtitle,
        checks: &results,
        models: &sections,
        texts: &texts,
    })?;
    std::fs::write(&html_path, page).with_context(|| format!("writing {}", html_path.display()))?;
    writeln!(out, "HTML report written to {}", html_path.display())?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
