//! The certification report: a plain tree of records (serde, for JSON and HTML reports) and a
//! terminal table ([`fmt::Display`]).

use crate::certify::ladder::Verdict;
use crate::certify::model::{ComponentAudit, Precision};
use crate::certify::transforms::TransformKind;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether a row is about a model output or an intermediate layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Target {
    /// A declared output ([`crate::certify::OutputSpec`]).
    Output,
    /// Intermediate per-atom features ([`crate::certify::LayerFeatures`]).
    Layer,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Target::Output => "output",
            Target::Layer => "layer",
        })
    }
}

/// The equivariance error of one irreps term of one output or layer, under one kind of
/// transformation, in one precision.
///
/// ```text
/// e      = max_components |out(g·x) − ρ(g) out(x)|     one sample per (trial, structure)
/// scale  = max(S_term, S_all / 16)   (1 if that is 0)
///          S_term = max |out(x)| over the term's components, rows and all structures
///          S_all  = the same over every term of the output or layer
/// max_eps = max e / (ε · scale),   median_eps = median e / (ε · scale),   max_scaled = max e / scale
/// pass   ⇔ max_eps ≤ threshold_eps
/// ```
///
/// The floor S_all/16 ([`crate::certify::TERM_SCALE_FLOOR`]) keeps a term that vanishes
/// identically (v × v) from turning roundoff into a relative error of order 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorRow {
    /// The element type.
    pub precision: Precision,
    /// The kind of transformation.
    pub kind: TransformKind,
    /// Output or layer.
    pub target: Target,
    /// The output's or layer's name.
    pub name: String,
    /// The irreps term, e.g. `"2x1o"`.
    pub term: String,
    /// Index of the term within the output's or layer's irreps.
    pub term_index: usize,
    /// Number of samples (trials × structures).
    pub samples: usize,
    /// The scale the errors are divided by.
    pub scale: f64,
    /// Largest error in units of ε · scale.
    pub max_eps: f64,
    /// Median error in units of ε · scale.
    pub median_eps: f64,
    /// Largest error divided by the scale (comparable across precisions).
    pub max_scaled: f64,
    /// The threshold in units of ε · scale.
    pub threshold_eps: f64,
    /// `max_eps ≤ threshold_eps`.
    pub pass: bool,
}

/// The ladder verdict for one (kind, output or layer, term) across the evaluated precisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LadderRow {
    /// The kind of transformation.
    pub kind: TransformKind,
    /// Output or layer.
    pub target: Target,
    /// The output's or layer's name.
    pub name: String,
    /// The irreps term.
    pub term: String,
    /// `max_scaled` per precision, lowest first.
    pub scaled: Vec<(Precision, f64)>,
    /// What the ladder says ([`crate::certify::ladder_verdict`]).
    pub verdict: Verdict,
}

/// The equivariance of one intermediate layer at the highest precision evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerResult {
    /// The layer's name.
    pub name: String,
    /// How one row transforms.
    pub irreps: String,
    /// The precision the result is taken at (the highest evaluated).
    pub precision: Precision,
    /// Whether every transformation kind and term passed at that precision.
    pub pass: bool,
    /// The largest `max_eps` over kinds and terms.
    pub max_eps: f64,
    /// The kind and term of that largest error.
    pub worst: Option<(TransformKind, String)>,
}

/// A summary of the options a report was made with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionsRecord {
    /// The random seed.
    pub seed: u64,
    /// Trials per kind of transformation.
    pub trials: usize,
    /// The precisions evaluated, lowest first.
    pub precisions: Vec<Precision>,
    /// The threshold in ε units per precision.
    pub thresholds_eps: Vec<(Precision, f64)>,
    /// The kinds of transformation tested.
    pub kinds: Vec<TransformKind>,
    /// Atoms of each test structure.
    pub atoms: Vec<usize>,
    /// How many test structures are periodic.
    pub periodic_structures: usize,
}

/// The result of [`crate::certify::certify`].
///
/// # Examples
/// See [`crate::certify::certify`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificationReport {
    /// The model's name.
    pub model: String,
    /// The options used.
    pub options: OptionsRecord,
    /// Error rows of the outputs, by precision, kind, output and term.
    pub rows: Vec<ErrorRow>,
    /// Error rows of the intermediate layers, in the same order.
    pub layer_rows: Vec<ErrorRow>,
    /// Ladder verdicts of every output and layer term.
    pub ladder: Vec<LadderRow>,
    /// Per-layer results, in evaluation order.
    pub layers: Vec<LayerResult>,
    /// Where the report points: the first layer (in evaluation order) whose features break
    /// equivariance at the highest precision, else the first failing output as
    /// `"output <name>"`; `None` when everything passes.
    pub broken_at: Option<String>,
    /// The model's exact component audits, verbatim.
    pub audits: Vec<ComponentAudit>,
    /// Observations, e.g. an output that under a permutation equals another output (states
    /// swapped).
    pub notes: Vec<String>,
    /// Every row passes, no ladder verdict is a symmetry break and every audit holds.
    pub pass: bool,
}

impl CertificationReport {
    /// The output rows that fail.
    pub fn failures(&self) -> impl Iterator<Item = &ErrorRow> {
        self.rows.iter().filter(|r| !r.pass)
    }

    /// The ladder rows with a [`Verdict::SymmetryBreak`].
    pub fn symmetry_breaks(&self) -> impl Iterator<Item = &LadderRow> {
        self.ladder
            .iter()
            .filter(|r| r.verdict == Verdict::SymmetryBreak)
    }

    /// The audits that do not hold.
    pub fn failed_audits(&self) -> impl Iterator<Item = &ComponentAudit> {
        self.audits.iter().filter(|a| !a.holds)
    }

    /// The row of `(precision, kind, output name, term)`, if present.
    pub fn row(
        &self,
        precision: Precision,
        kind: TransformKind,
        name: &str,
        term: &str,
    ) -> Option<&ErrorRow> {
        self.rows.iter().find(|r| {
            r.precision == precision && r.kind == kind && r.name == name && r.term == term
        })
    }
}

fn pass_word(pass: bool) -> &'static str {
    if pass {
        "pass"
    } else {
        "FAIL"
    }
}

fn write_rows(f: &mut fmt::Formatter<'_>, rows: &[ErrorRow]) -> fmt::Result {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    writeln!(
        f,
        "  {:<6} {:<11} {:<width$} {:<8} {:>11} {:>11} {:>10} {:>9}",
        "prec", "kind", "name", "term", "max ε", "median ε", "max rel", "limit ε"
    )?;
    for r in rows {
        writeln!(
            f,
            "  {:<6} {:<11} {:<width$} {:<8} {:>11.3e} {:>11.3e} {:>10.2e} {:>9}  {}",
            r.precision.name(),
            r.kind.name(),
            r.name,
            r.term,
            r.max_eps,
            r.median_eps,
            r.max_scaled,
            r.threshold_eps,
            pass_word(r.pass)
        )?;
    }
    Ok(())
}

impl fmt::Display for CertificationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = &self.options;
        writeln!(
            f,
            "certification of {}: {}",
            self.model,
            if self.pass { "PASS" } else { "FAIL" }
        )?;
        let precs: Vec<&str> = o.precisions.iter().map(|p| p.name()).collect();
        writeln!(
            f,
            "  seed {}, {} trials per kind, {} structures ({} periodic), precisions {}",
            o.seed,
            o.trials,
            o.atoms.len(),
            o.periodic_structures,
            precs.join(" → ")
        )?;
        if let Some(b) = &self.broken_at {
            writeln!(f, "  symmetry broken at: {b}")?;
        }
        writeln!(f, "outputs:")?;
        write_rows(f, &self.rows)?;
        if !self.layers.is_empty() {
            writeln!(f, "layers (at the highest precision):")?;
            for l in &self.layers {
                let worst = l
                    .worst
                    .as_ref()
                    .map(|(k, t)| format!(" (worst: {k} {t})"))
                    .unwrap_or_default();
                writeln!(
                    f,
                    "  {:<24} {:<20} max {:>10.3e} ε{}  {}",
                    l.name,
                    l.irreps,
                    l.max_eps,
                    worst,
                    pass_word(l.pass)
                )?;
            }
        }
        writeln!(f, "ladder:")?;
        for r in &self.ladder {
            if r.target == Target::Layer && r.verdict != Verdict::SymmetryBreak {
                continue;
            }
            let s: Vec<String> = r
                .scaled
                .iter()
                .map(|(p, v)| format!("{}={v:.1e}", p.name()))
                .collect();
            writeln!(
                f,
                "  {:<11} {} {} {:<8} {}  → {}",
                r.kind.name(),
                r.target,
                r.name,
                r.term,
                s.join(" "),
                r.verdict
            )?;
        }
        if !self.audits.is_empty() {
            let held = self.audits.iter().filter(|a| a.holds).count();
            writeln!(f, "audits: {held}/{} hold", self.audits.len())?;
            for a in self.failed_audits() {
                writeln!(f, "  FAIL {}: {}: {}", a.layer, a.component, a.detail)?;
            }
        }
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        Ok(())
    }
}
