//! The check and the diagnosis: compare a [`Table`] with racah's reference, and when it does
//! not match, find the known conventions that explain it ([`check`]).

use super::compare::{compare, Comparison, Tolerances};
use super::{DiagnosisError, Dtype};
use serde::Serialize;
use std::fmt;

/// racah's reference values for a table, aligned with [`Table::observed`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    /// The reference, rounded to the table's dtype; NaN where the table's entry has no
    /// counterpart.
    pub values: Vec<f64>,
    /// For each NaN of `values`: its index and the reason, sorted by index.
    pub missing: Vec<(usize, String)>,
    /// How the reference was computed, e.g. `exact, correctly rounded to f64`.
    pub source: String,
}

/// One way a convention can differ from racah's, with its options; option 0 is racah's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dimension {
    /// Kebab-case name, e.g. `argument-order`, `normalization`.
    pub name: &'static str,
    /// The options, racah's first.
    pub options: Vec<Choice>,
}

/// One option of a [`Dimension`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// Kebab-case id, e.g. `sympy`, `integral`, `e3nn-0.4`.
    pub id: &'static str,
    /// What the option means, with its formula.
    pub description: String,
}

impl Choice {
    /// A choice from an id and a description.
    pub fn new(id: &'static str, description: impl Into<String>) -> Self {
        Choice {
            id,
            description: description.into(),
        }
    }
}

/// A table of values to be checked against racah: the observed values, racah's reference and
/// the conventions it could have been written in instead.
///
/// Implemented by [`SymbolTable`](super::SymbolTable), [`RealCgTable`](super::RealCgTable),
/// [`ShTable`](super::ShTable), [`WignerDTable`](super::WignerDTable) and
/// [`TpTable`](super::TpTable).
pub trait Table {
    /// The kind, as `racah check` spells it (`cg`, `real-cg`, `sh`, …).
    fn kind(&self) -> &'static str;
    /// The dtype the table was written in.
    fn dtype(&self) -> Dtype;
    /// The table's values, flat, widened exactly to f64.
    fn observed(&self) -> &[f64];
    /// The arguments of entry `index`, for reports.
    fn label(&self, index: usize) -> String;
    /// racah's reference, rounded to [`dtype`](Self::dtype).
    ///
    /// # Errors
    /// If the reference cannot be computed (a spin beyond the exact engine's range, …).
    fn reference(&self) -> Result<Reference, DiagnosisError>;
    /// The conventions this kind of table can differ in.
    fn dimensions(&self) -> Vec<Dimension>;
    /// The pass criterion used when [`CheckOptions::tolerances`] is `None`.
    ///
    /// Exact kinds (the default): 4 ulps and no absolute slack — a good table is within 4 ulps
    /// of the correctly rounded value and has its exact zeros exactly. Kinds referenced by a
    /// numeric kernel ([`numeric_tolerances`]) are looser.
    fn default_tolerances(&self) -> Tolerances {
        Tolerances {
            max_ulp: 4,
            atol: 0.0,
        }
    }
    /// The natural magnitude of each entry, given racah's reference: the diagnosis accepts
    /// differences up to its relative tolerance times 10⁻³ of it for entries near 0. By default
    /// the largest |reference| of the table; kinds with groups of very different magnitudes
    /// (one block of a tensor, one point and degree of harmonics) use the group's.
    fn scales(&self, reference: &[f64]) -> Vec<f64> {
        let m = reference
            .iter()
            .filter(|v| !v.is_nan())
            .fold(0.0f64, |m, v| m.max(v.abs()));
        vec![m; reference.len()]
    }
    /// racah's values transformed to the convention that picks option `choice[d]` of
    /// dimension `d`, in f64, aligned with [`observed`](Self::observed) (NaN where an entry
    /// has no counterpart); `None` when the combination does not apply to this table.
    ///
    /// # Errors
    /// As [`reference`](Self::reference).
    fn candidate(&self, choice: &[usize]) -> Result<Option<Vec<f64>>, DiagnosisError>;
}

/// The default pass criterion of tables referenced by racah's f64 kernels (sh, wigner-d, tp):
/// 1024 ulps, or 64 eps of the dtype absolute for entries near 0. The kernels are not
/// correctly rounded and their errors grow with l and with cancellation (e3nn-jax's spherical
/// harmonics and Wigner D for l ≤ 8 pass; they differ from racah's by up to ~350 ulps).
///
/// # Examples
/// ```
/// use racah_proofs::diagnosis::{numeric_tolerances, Dtype};
/// assert_eq!(numeric_tolerances(Dtype::F64).atol, 64.0 * f64::EPSILON);
/// ```
pub fn numeric_tolerances(dtype: Dtype) -> Tolerances {
    Tolerances {
        max_ulp: 1024,
        atol: 64.0 * dtype.epsilon(),
    }
}

/// Options of [`check`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CheckOptions {
    /// The pass criterion; `None`: the table's [`Table::default_tolerances`].
    pub tolerances: Option<Tolerances>,
    /// How many worst cases to report.
    pub worst: usize,
    /// Whether to diagnose a table that does not pass.
    pub diagnose: bool,
    /// Relative tolerance of the diagnosis: an entry agrees with a convention if
    /// |table − convention| ≤ `diagnosis_rtol` · max(|convention|, 10⁻³ · scale) or ≤
    /// the check's `atol` (scale: [`Table::scales`]). `None`: 10⁻⁹ for f64 tables, 10⁻⁴ for
    /// f32.
    pub diagnosis_rtol: Option<f64>,
    /// Most candidate conventions to try.
    pub max_candidates: usize,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            tolerances: None,
            worst: 10,
            diagnose: true,
            diagnosis_rtol: None,
            max_candidates: 1024,
        }
    }
}

/// The outcome of [`check`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The kind of table.
    pub kind: &'static str,
    /// Its dtype.
    pub dtype: Dtype,
    /// How the reference was computed.
    pub reference: String,
    /// The tolerance applied.
    pub tolerances: Tolerances,
    /// The distance to the reference.
    pub comparison: Comparison,
    /// Whether every entry is within tolerance.
    pub passed: bool,
    /// For a table that did not pass (and `diagnose`): which convention it matches.
    pub diagnosis: Option<Diagnosis>,
}

/// Which known convention a failing table matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnosis {
    /// The relative tolerance used to decide agreement.
    pub rtol: f64,
    /// Entries that disagree with racah's own convention at that tolerance.
    pub racah_disagreements: usize,
    /// Number of candidate conventions evaluated.
    pub candidates_tried: usize,
    /// The conclusion.
    pub verdict: Verdict,
}

/// The conclusion of a [`Diagnosis`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Verdict {
    /// Every entry agrees with racah's convention to the diagnosis tolerance: the table is in
    /// racah's convention but less accurate than the check's tolerance.
    SameConvention,
    /// The table matches other conventions: the simplest combinations (fewest differences
    /// from racah's) that agree with every entry.
    OtherConvention {
        /// The matching combinations.
        matches: Vec<ConventionMatch>,
    },
    /// No known convention matches every entry: the table is wrong.
    NoMatch {
        /// The convention with the fewest disagreeing entries (racah's own when it is the
        /// closest: then the listed worst cases are the wrong entries).
        closest: ConventionMatch,
    },
}

/// A combination of conventions and how well the table agrees with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConventionMatch {
    /// The options that differ from racah's, as `(dimension, choice)`; empty for racah's own.
    pub differences: Vec<(String, Choice)>,
    /// Entries that disagree.
    pub disagreements: usize,
    /// Largest |table − convention| over entries with a counterpart.
    pub max_abs_err: f64,
}

impl ConventionMatch {
    /// `racah` or the differences joined, e.g. `argument-order=sympy + sign=negated`.
    pub fn name(&self) -> String {
        if self.differences.is_empty() {
            return "racah".to_string();
        }
        let parts: Vec<String> = self
            .differences
            .iter()
            .map(|(d, c)| format!("{d}={}", c.id))
            .collect();
        parts.join(" + ")
    }
}

/// How many matches of the same complexity a verdict lists.
const MATCHES_SHOWN: usize = 8;

/// Checks `table` against racah's reference and, when it fails and `options.diagnose` is set,
/// finds the known conventions that explain it.
///
/// The diagnosis transforms racah's values by every combination of the table's
/// [`Dimension`]s, simplest first (one difference, then two, …), and stops at the first
/// complexity at which some combination agrees with every entry.
///
/// # Errors
/// [`DiagnosisError::Empty`] for a table without entries; errors of the table's reference.
///
/// # Examples
/// ```
/// use racah_proofs::diagnosis::{check, CheckOptions, Dtype, SymbolKind, SymbolTable, Verdict};
/// // ⟨1/2 1/2 1/2 −1/2|1 0⟩ and ⟨1 1 1 0|2 1⟩ divided by √(2J+1), as e3nn-jax's
/// // su2_clebsch_gordan does
/// let rows = vec![vec![1, 1, 1, -1, 2, 0], vec![2, 2, 2, 0, 4, 2]];
/// let values = vec![0.5f64.sqrt() / 3f64.sqrt(), 0.5f64.sqrt() / 5f64.sqrt()];
/// let table = SymbolTable::new(SymbolKind::Cg, &rows, values, Dtype::F64)?;
/// let report = check(&table, &CheckOptions::default())?;
/// assert!(!report.passed);
/// match report.diagnosis.unwrap().verdict {
///     Verdict::OtherConvention { matches } => assert_eq!(matches[0].name(), "value=su2-cg"),
///     v => panic!("{v:?}"),
/// }
/// # Ok::<(), racah_proofs::diagnosis::DiagnosisError>(())
/// ```
pub fn check(table: &dyn Table, options: &CheckOptions) -> Result<Report, DiagnosisError> {
    let observed = table.observed();
    if observed.is_empty() {
        return Err(DiagnosisError::Empty { kind: table.kind() });
    }
    let dtype = table.dtype();
    let tolerances = options
        .tolerances
        .unwrap_or_else(|| table.default_tolerances());
    let reference = table.reference()?;
    let label = |i: usize| table.label(i);
    let comparison = compare(
        observed,
        &reference.values,
        &reference.missing,
        dtype,
        tolerances,
        options.worst,
        &label,
    );
    let passed = comparison.failures == 0;
    let diagnosis = if passed || !options.diagnose {
        None
    } else {
        Some(diagnose(
            table,
            &reference.values,
            options,
            tolerances.atol,
        )?)
    };
    Ok(Report {
        kind: table.kind(),
        dtype,
        reference: reference.source,
        tolerances,
        comparison,
        passed,
        diagnosis,
    })
}

/// Counts the entries of `observed` that disagree with `candidate`.
struct Agreement {
    rtol: f64,
    /// Per entry: 10⁻³ of its scale.
    floor: Vec<f64>,
    atol: f64,
}

impl Agreement {
    fn score(&self, observed: &[f64], candidate: &[f64]) -> (usize, f64) {
        let mut bad = 0;
        let mut max_abs: f64 = 0.0;
        for ((&o, &c), &floor) in observed.iter().zip(candidate).zip(&self.floor) {
            if c.is_nan() {
                bad += 1;
                continue;
            }
            let d = (o - c).abs();
            max_abs = max_abs.max(d);
            if !(d <= self.atol || d <= self.rtol * c.abs().max(floor)) {
                bad += 1;
            }
        }
        (bad, max_abs)
    }
}

fn diagnose(
    table: &dyn Table,
    reference: &[f64],
    options: &CheckOptions,
    atol: f64,
) -> Result<Diagnosis, DiagnosisError> {
    let observed = table.observed();
    let rtol = options.diagnosis_rtol.unwrap_or(match table.dtype() {
        Dtype::F64 => 1e-9,
        Dtype::F32 => 1e-4,
    });
    let floor = table
        .scales(reference)
        .into_iter()
        .map(|s| 1e-3 * s)
        .collect();
    let agreement = Agreement { rtol, floor, atol };
    let (racah_bad, racah_max) = agreement.score(observed, reference);
    let racah = ConventionMatch {
        differences: vec![],
        disagreements: racah_bad,
        max_abs_err: racah_max,
    };
    if racah_bad == 0 {
        return Ok(Diagnosis {
            rtol,
            racah_disagreements: 0,
            candidates_tried: 0,
            verdict: Verdict::SameConvention,
        });
    }
    let dims = table.dimensions();
    let mut closest = racah;
    let mut tried = 0;
    for complexity in 1..=dims.len() {
        let mut matches = Vec::new();
        for choice in combinations(&dims, complexity) {
            if tried >= options.max_candidates {
                break;
            }
            let Some(values) = table.candidate(&choice)? else {
                continue;
            };
            tried += 1;
            let (bad, max_abs) = agreement.score(observed, &values);
            let m = ConventionMatch {
                differences: choice
                    .iter()
                    .enumerate()
                    .filter(|(_, &k)| k != 0)
                    .map(|(d, &k)| (dims[d].name.to_string(), dims[d].options[k].clone()))
                    .collect(),
                disagreements: bad,
                max_abs_err: max_abs,
            };
            if bad == 0 {
                matches.push(m);
            } else if bad < closest.disagreements {
                closest = m;
            }
        }
        if !matches.is_empty() {
            matches.truncate(MATCHES_SHOWN);
            return Ok(Diagnosis {
                rtol,
                racah_disagreements: racah_bad,
                candidates_tried: tried,
                verdict: Verdict::OtherConvention { matches },
            });
        }
    }
    Ok(Diagnosis {
        rtol,
        racah_disagreements: racah_bad,
        candidates_tried: tried,
        verdict: Verdict::NoMatch { closest },
    })
}

/// Every choice vector with exactly `k` non-default options, in lexicographic order of the
/// dimensions that differ.
fn combinations(dims: &[Dimension], k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut current = vec![0; dims.len()];
    fn rec(
        dims: &[Dimension],
        k: usize,
        start: usize,
        cur: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if k == 0 {
            out.push(cur.clone());
            return;
        }
        for d in start..dims.len() {
            for o in 1..dims[d].options.len() {
                cur[d] = o;
                rec(dims, k - 1, d + 1, cur, out);
            }
            cur[d] = 0;
        }
    }
    rec(dims, k, 0, &mut current, &mut out);
    out
}

/// For each entry, the largest |reference| of its group; `groups` partition `0..len` into
/// consecutive ranges.
pub(crate) fn group_max(
    reference: &[f64],
    groups: impl Iterator<Item = std::ops::Range<usize>>,
) -> Vec<f64> {
    let mut out = vec![0.0; reference.len()];
    for r in groups {
        let m = reference[r.clone()]
            .iter()
            .filter(|v| !v.is_nan())
            .fold(0.0f64, |m, v| m.max(v.abs()));
        out[r].iter_mut().for_each(|x| *x = m);
    }
    out
}

fn fmt_err(x: f64) -> String {
    if x == 0.0 {
        "0".to_string()
    } else {
        format!("{x:.2e}")
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.comparison;
        writeln!(
            f,
            "racah check {}: {} entries ({}), reference: {}",
            self.kind, c.entries, self.dtype, self.reference
        )?;
        writeln!(
            f,
            "  max abs error {}   max rel error {}   max {} ulp",
            fmt_err(c.max_abs_err),
            fmt_err(c.max_rel_err),
            c.max_ulps
        )?;
        let hist: Vec<String> = c
            .histogram
            .buckets
            .iter()
            .filter(|b| b.count > 0)
            .map(|b| format!("{}: {}", b.label, b.count))
            .collect();
        writeln!(f, "  ulp histogram  {}", hist.join("  "))?;
        if c.spurious_nonzeros > 0 {
            writeln!(
                f,
                "  {} entries are nonzero where the exact value is 0",
                c.spurious_nonzeros
            )?;
        }
        if c.missing_count > 0 {
            writeln!(
                f,
                "  {} entries have no counterpart in racah's reference:",
                c.missing_count
            )?;
            for m in &c.missing {
                writeln!(f, "    {}: {}", m.arguments, m.reason)?;
            }
        }
        if !c.worst.is_empty() {
            writeln!(f, "  worst cases:")?;
            for w in &c.worst {
                writeln!(
                    f,
                    "    {}  table {:e}  racah {:e}  abs {}  rel {}  {} ulp",
                    w.arguments,
                    w.observed,
                    w.expected,
                    fmt_err(w.abs_err),
                    w.rel_err.map_or("-".to_string(), fmt_err),
                    w.ulps
                )?;
            }
        }
        writeln!(
            f,
            "  tolerance: <= {} ulp or <= {} absolute: {} ({} of {} entries outside)",
            self.tolerances.max_ulp,
            fmt_err(self.tolerances.atol),
            if self.passed { "PASS" } else { "FAIL" },
            c.failures,
            c.entries
        )?;
        if let Some(d) = &self.diagnosis {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.verdict {
            Verdict::SameConvention => writeln!(
                f,
                "diagnosis: racah's convention; every entry agrees to {:e} relative, so the \
                 failure is numerical accuracy, not a convention",
                self.rtol
            ),
            Verdict::OtherConvention { matches } => {
                writeln!(
                    f,
                    "diagnosis: the table is in another convention ({} entries disagree with \
                     racah's; {} candidates tried). It matches:",
                    self.racah_disagreements, self.candidates_tried
                )?;
                for m in matches {
                    writeln!(
                        f,
                        "  {} (max abs error {})",
                        m.name(),
                        fmt_err(m.max_abs_err)
                    )?;
                    for (d, c) in &m.differences {
                        writeln!(f, "    {d} = {}: {}", c.id, c.description)?;
                    }
                }
                Ok(())
            }
            Verdict::NoMatch { closest } => {
                writeln!(
                    f,
                    "diagnosis: matches no known convention ({} candidates tried): the table is \
                     wrong. Closest: {} with {} disagreeing entries (racah's convention: {}).",
                    self.candidates_tried,
                    closest.name(),
                    closest.disagreements,
                    self.racah_disagreements
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dims(sizes: &[usize]) -> Vec<Dimension> {
        sizes
            .iter()
            .map(|&n| Dimension {
                name: "d",
                options: (0..n).map(|_| Choice::new("x", "")).collect(),
            })
            .collect()
    }

    #[test]
    fn combinations_count() {
        let d = dims(&[2, 3, 6]);
        assert_eq!(combinations(&d, 0), vec![vec![0, 0, 0]]);
        assert_eq!(combinations(&d, 1).len(), 1 + 2 + 5);
        assert_eq!(combinations(&d, 2).len(), 2 + 5 + 10);
        assert_eq!(combinations(&d, 3).len(), 10);
        assert!(combinations(&d, 4).is_empty());
    }

    #[test]
    fn agreement_counts_nan_as_disagreement() {
        let a = Agreement {
            rtol: 1e-9,
            floor: vec![1e-3; 3],
            atol: 0.0,
        };
        assert_eq!(a.score(&[1.0, 2.0, 0.0], &[1.0, f64::NAN, 1e-13]).0, 1);
        assert_eq!(a.score(&[1.0], &[1.0 + 1e-8]).0, 1);
        let b = Agreement {
            rtol: 1e-9,
            floor: vec![0.0],
            atol: 1e-20,
        };
        assert_eq!(b.score(&[1e-19], &[0.0]).0, 1);
    }
}
