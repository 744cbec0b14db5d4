//! The HTML report of `racah verify` and `racah certify`: one self-contained file (inline CSS,
//! inline SVG charts drawn with plotters' SVG backend, no scripts, nothing fetched from the
//! network) that a person can open in any browser.
//!
//! Sections, each present only when it has content: per certified model, a bar chart of the
//! maximum equivariance error in units of the precision's ε — one cluster per output irreps
//! term, in it one group of bars per precision, one bar per transformation kind, on a log
//! scale, with the pass threshold drawn as a red line over each group — followed by the
//! model's findings (ladder verdicts, layer localisation, audits) and the certification
//! engine's own text report; then the table of the verify checks (status, cases, failures,
//! timings).
//!
//! # Convention
//! Errors are `max |out(g·x) − ρ(g)·out(x)| / (ε · scale)` as the engine reports them
//! ([`racah_proofs::certify::ErrorRow`]; O(3) acts with e3nn parity, `CONVENTIONS.md#parity`);
//! values below [`LOG_FLOOR_EPS`] (including exact zeros) are drawn at the floor.

use super::{CheckResult, Status};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use racah_proofs::certify::{CertificationReport, Target, Verdict};
use std::fmt::Write as _;

/// Errors (in ε) at or below this are drawn at this height on the log axis.
pub const LOG_FLOOR_EPS: f64 = 1e-2;

/// One bar of a model chart: the errors of one (precision, transformation kind, output, irreps
/// term).
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorBar {
    /// `"f32"`, `"f64"` or `"f64x2"`.
    pub precision: String,
    /// `"rotation"`, `"reflection"`, `"permutation"`, `"translation"`, …
    pub kind: String,
    /// The output's name, e.g. `"forces"`.
    pub output: String,
    /// The irreps term, e.g. `"1x1o"`.
    pub term: String,
    /// Maximum error over trials and structures, in ε.
    pub max_eps: f64,
    /// Median error, in ε.
    pub median_eps: f64,
    /// The pass threshold, in ε.
    pub threshold_eps: f64,
    /// Whether `max_eps` is within the threshold.
    pub pass: bool,
}

/// One line of a model's findings (a ladder verdict, a broken layer, an audit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What it is about, e.g. `"ladder forces 1x1o"`.
    pub what: String,
    /// The verdict or detail, e.g. `"roundoff"`.
    pub detail: String,
    /// Whether it is good news.
    pub ok: bool,
}

/// Everything the report shows about one certified model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelSection {
    /// The model's name.
    pub name: String,
    /// Whether the certification passed overall.
    pub pass: bool,
    /// The error bars, in any order.
    pub bars: Vec<ErrorBar>,
    /// Ladder verdicts, layer results, audits.
    pub findings: Vec<Finding>,
    /// The certification engine's text report (its `Display`), shown verbatim.
    pub text: String,
}

impl ModelSection {
    /// The section of one certification report: a bar per output row, a finding per ladder
    /// verdict that tells something (not "inconclusive"), per layer, per failed audit and per
    /// note, and the report's text.
    pub fn from_report(r: &CertificationReport) -> Self {
        let bars = r
            .rows
            .iter()
            .map(|row| ErrorBar {
                precision: row.precision.name().to_string(),
                kind: row.kind.name().to_string(),
                output: row.name.clone(),
                term: row.term.clone(),
                max_eps: row.max_eps,
                median_eps: row.median_eps,
                threshold_eps: row.threshold_eps,
                pass: row.pass,
            })
            .collect();
        let mut findings = Vec::new();
        if let Some(b) = &r.broken_at {
            findings.push(Finding {
                what: "symmetry broken at".into(),
                detail: b.clone(),
                ok: false,
            });
        }
        let mut inconclusive = 0;
        for l in &r.ladder {
            if l.verdict == Verdict::Inconclusive {
                inconclusive += 1;
                continue;
            }
            if l.target == Target::Layer && l.verdict != Verdict::SymmetryBreak {
                continue;
            }
            let scaled: Vec<String> = l
                .scaled
                .iter()
                .map(|(p, v)| format!("{}: {v:.1e}", p.name()))
                .collect();
            findings.push(Finding {
                what: format!("ladder, {} of {} {} {}", l.kind, l.target, l.name, l.term),
                detail: format!("{} (relative error {})", l.verdict, scaled.join(", ")),
                ok: l.verdict != Verdict::SymmetryBreak,
            });
        }
        if inconclusive > 0 && inconclusive == r.ladder.len() {
            let precisions: Vec<&str> = r.options.precisions.iter().map(|p| p.name()).collect();
            findings.push(Finding {
                what: "ladder".into(),
                detail: format!(
                    "one precision evaluated ({}): roundoff and symmetry breaks are told apart \
                     by the thresholds only",
                    precisions.join(", ")
                ),
                ok: true,
            });
        }
        for l in &r.layers {
            let worst = l
                .worst
                .as_ref()
                .map(|(k, t)| format!(", worst under {k} in {t}"))
                .unwrap_or_default();
            let prefix = if l.name.starts_with("layer") {
                ""
            } else {
                "layer "
            };
            findings.push(Finding {
                what: format!("{prefix}{} ({})", l.name, l.irreps),
                detail: format!("max {:.3e} ε at {}{worst}", l.max_eps, l.precision),
                ok: l.pass,
            });
        }
        if !r.audits.is_empty() {
            let held = r.audits.iter().filter(|a| a.holds).count();
            findings.push(Finding {
                what: "exact audits of linear components".into(),
                detail: format!("{held} of {} hold", r.audits.len()),
                ok: held == r.audits.len(),
            });
        }
        for a in r.failed_audits() {
            findings.push(Finding {
                what: format!("audit {}: {}", a.layer, a.component),
                detail: a.detail.clone(),
                ok: false,
            });
        }
        for n in &r.notes {
            findings.push(Finding {
                what: "note".into(),
                detail: n.clone(),
                ok: true,
            });
        }
        ModelSection {
            name: r.model.clone(),
            pass: r.pass,
            bars,
            findings,
            text: r.to_string(),
        }
    }
}

/// The contents of one HTML report.
#[derive(Debug, Clone, Default)]
pub struct HtmlReport<'a> {
    /// The page's title, e.g. `"racah verify"`.
    pub title: String,
    /// One line under the title (version, totals, timing).
    pub subtitle: String,
    /// The verify checks (empty for `racah certify`).
    pub checks: &'a [CheckResult],
    /// The certified models.
    pub models: &'a [ModelSection],
    /// Preformatted sections after the models, `(title, text)` (e.g. parameter economy).
    pub texts: &'a [(String, String)],
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;\
max-width:1200px;color:#222;padding:0 1em}h1{margin-bottom:.2em}.meta{color:#555;margin-top:0}\
table{border-collapse:collapse;width:100%;font-size:14px}th,td{padding:4px 8px;\
border-bottom:1px solid #ddd;text-align:left;vertical-align:top}td.num{text-align:right;\
font-variant-numeric:tabular-nums}th{background:#f3f3f3}.pass{color:#1a7f37;font-weight:600}\
.fail{color:#cf222e;font-weight:700}.todo{color:#888}.badge{display:inline-block;padding:1px 10px;\
border-radius:10px;color:#fff;font-size:14px;vertical-align:middle}.badge.pass{background:#1a7f37}\
.badge.fail{background:#cf222e}.failure{color:#cf222e;font-family:monospace;font-size:12px}\
pre{background:#f6f8fa;padding:1em;overflow-x:auto;font-size:12px}svg{display:block;margin:1em 0}\
ul.findings li{margin:2px 0}section{margin-bottom:2.5em}td.pass,td.fail,td.todo{white-space:nowrap}\
.legend{font-size:14px;margin:.8em 0 -.6em 70px}.legend span{margin-right:1.4em;white-space:nowrap}\
.legend i{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-1px}\
.legend i.line{height:0;border-top:2px solid #f00;vertical-align:3px}";

/// `text` with `&`, `<`, `>`, `"` and `'` escaped for HTML.
///
/// # Examples
/// ```ignore
/// assert_eq!(escape("a<b & 'c'"), "a&lt;b &amp; &#39;c&#39;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole report as one HTML document.
///
/// # Errors
/// Never in practice: chart drawing into a `String` cannot fail on I/O; a plotters error is
/// reported as an `Err` naming the chart rather than a panic.
pub fn render(report: &HtmlReport<'_>) -> anyhow::Result<String> {
    let mut h = String::new();
    let title = escape(&report.title);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{title}</h1>\n\
         <p class=\"meta\">{}</p>\n",
        escape(&report.subtitle)
    );
    // the charts first: the checks table is long, and the subtitle already has its totals
    if !report.models.is_empty() {
        h.push_str("<section>\n<h2>Model certification</h2>\n");
        h.push_str(
            "<p>Maximum equivariance error per output irreps term, in units of the \
             precision's ε (log scale; errors below 0.01 ε, exact zeros included, are drawn \
             at 0.01 ε), one group of bars per precision. Roundoff stays at a few ε in every \
             precision; a real symmetry break has a floor that grows with the precision. The \
             red line over each group is its pass threshold; a bar with a red outline \
             failed.</p>\n",
        );
        for m in report.models {
            model_section(&mut h, m)?;
        }
        h.push_str("</section>\n");
    }
    for (title, text) in report.texts {
        let _ = write!(
            h,
            "<section>\n<h2>{}</h2>\n<pre>{}</pre>\n</section>\n",
            escape(title),
            escape(text)
        );
    }
    if !report.checks.is_empty() {
        checks_section(&mut h, report.checks);
    }
    h.push_str("</body>\n</html>\n");
    Ok(h)
}

fn status_cell(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Pass => ("pass", "pass"),
        Status::Fail => ("fail", "FAIL"),
        Status::NotImplemented => ("todo", "not implemented yet"),
    }
}

fn checks_section(h: &mut String, checks: &[CheckResult]) {
    let count = |s| checks.iter().filter(|c| c.status == s).count();
    let _ = write!(
        h,
        "<section>\n<h2>Checks</h2>\n<p><span class=\"pass\">{} passed</span>, \
         <span class=\"fail\">{} failed</span>, <span class=\"todo\">{} not implemented \
         yet</span>.</p>\n<table>\n<tr><th>section</th><th>check</th><th>what is compared</th>\
         <th>cases</th><th>failures</th><th>seconds</th><th>status</th></tr>\n",
        count(Status::Pass),
        count(Status::Fail),
        count(Status::NotImplemented)
    );
    for c in checks {
        let (class, label) = status_cell(c.status);
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}",
            escape(c.section),
            escape(c.name),
            escape(&c.description)
        );
        for f in &c.first_failures {
            let _ = write!(h, "<div class=\"failure\">{}</div>", escape(f));
        }
        let _ = writeln!(
            h,
            "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td>\
             <td class=\"{class}\">{label}</td></tr>",
            c.cases, c.failures, c.seconds
        );
    }
    h.push_str("</table>\n</section>\n");
}

fn badge(pass: bool) -> &'static str {
    if pass {
        "<span class=\"badge pass\">PASS</span>"
    } else {
        "<span class=\"badge fail\">FAIL</span>"
    }
}

/// Distinct values in order of first appearance.
fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut v: Vec<&str> = Vec::new();
    for s in items {
        if !v.contains(&s) {
            v.push(s);
        }
    }
    v
}

fn model_section(h: &mut String, m: &ModelSection) -> anyhow::Result<()> {
    let _ = writeln!(h, "<h3>{} {}</h3>", escape(&m.name), badge(m.pass));
    if !m.bars.is_empty() {
        let bars: Vec<&ErrorBar> = m.bars.iter().collect();
        h.push_str(&error_chart(&m.name, &bars)?);
        h.push('\n');
    }
    if !m.findings.is_empty() {
        h.push_str("<ul class=\"findings\">\n");
        for f in &m.findings {
            let _ = writeln!(
                h,
                "<li><span class=\"{}\">{}</span> {}: {}</li>",
                if f.ok { "pass" } else { "fail" },
                if f.ok { "✓" } else { "✗" },
                escape(&f.what),
                escape(&f.detail)
            );
        }
        h.push_str("</ul>\n");
    }
    if !m.text.is_empty() {
        let _ = writeln!(
            h,
            "<details><summary>full certification report</summary><pre>{}</pre></details>",
            escape(&m.text)
        );
    }
    Ok(())
}

/// The palette of transformation kinds, in order of first appearance.
const KIND_COLORS: [RGBColor; 6] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0x17, 0xbe, 0xcf),
];

/// The height a bar is drawn at: the error, floored, with non-finite errors drawn at the top.
fn bar_height(v: f64, hi: f64) -> f64 {
    if v.is_nan() || v == f64::INFINITY {
        hi
    } else {
        v.max(LOG_FLOOR_EPS)
    }
}

/// The log axis range: whole decades around the floor, the bars and the thresholds.
fn log_range(bars: &[&ErrorBar]) -> (f64, f64) {
    let top = bars
        .iter()
        .flat_map(|b| [b.max_eps, b.threshold_eps])
        .filter(|v| v.is_finite())
        .fold(1.0f64, f64::max);
    // a decade of headroom for the term names
    let hi = 10f64.powi((top * 4.0).log10().ceil() as i32 + 1);
    (LOG_FLOOR_EPS / 2.0, hi)
}

/// Where the bars of one chart go: clusters of output terms, in each a group per precision,
/// in each a bar per transformation kind. x is in thousandths of a group (integer coordinates:
/// plotters formats their labels).
struct Layout<'a> {
    terms: Vec<(&'a str, &'a str)>,
    precisions: Vec<&'a str>,
    kinds: Vec<&'a str>,
}

impl Layout<'_> {
    /// Gap between clusters, in groups.
    const GAP: f64 = 0.6;

    fn cluster_width(&self) -> f64 {
        self.precisions.len() as f64 + Self::GAP
    }

    /// x of a fraction `frac` ∈ [0, 1] into group `(term, precision)`.
    fn x(&self, term: usize, precision: usize, frac: f64) -> i32 {
        let groups = term as f64 * self.cluster_width() + precision as f64 + frac;
        (groups * 1000.0).round() as i32
    }

    fn end(&self) -> i32 {
        let groups = self.terms.len() as f64 * self.cluster_width() - Self::GAP;
        (groups.max(1.0) * 1000.0).round() as i32
    }

    /// The left and right x of a bar.
    fn bar(&self, b: &ErrorBar) -> Option<(i32, i32)> {
        let t = self
            .terms
            .iter()
            .position(|t| *t == (b.output.as_str(), b.term.as_str()))?;
        let p = self.precisions.iter().position(|p| *p == b.precision)?;
        let k = self.kinds.iter().position(|k| *k == b.kind)?;
        let slot = 0.8 / self.kinds.len() as f64;
        let x0 = 0.1 + slot * k as f64;
        Some((self.x(t, p, x0), self.x(t, p, x0 + slot * 0.9)))
    }

    /// The precision whose group contains `x` (for tick labels).
    fn precision_at(&self, x: i32) -> &str {
        let groups = f64::from(x) / 1000.0;
        let within = groups - (groups / self.cluster_width()).floor() * self.cluster_width();
        self.precisions
            .get(within.floor() as usize)
            .copied()
            .unwrap_or("")
    }
}

/// The bar chart (inline SVG) of one model: one cluster per output irreps term, one group of
/// bars per precision, one bar per transformation kind.
fn error_chart(model: &str, bars: &[&ErrorBar]) -> anyhow::Result<String> {
    let layout = Layout {
        terms: {
            let mut v: Vec<(&str, &str)> = Vec::new();
            for b in bars {
                let g = (b.output.as_str(), b.term.as_str());
                if !v.contains(&g) {
                    v.push(g);
                }
            }
            v
        },
        precisions: distinct(bars.iter().map(|b| b.precision.as_str())),
        kinds: distinct(bars.iter().map(|b| b.kind.as_str())),
    };
    let (lo, hi) = log_range(bars);
    let n_bars = (layout.terms.len() * layout.precisions.len() * layout.kinds.len()) as u32;
    let width = (320 + 22 * n_bars).clamp(900, 1150);
    let fail = |e: DrawingAreaErrorKind<std::io::Error>| {
        anyhow::anyhow!("drawing the chart of {model}: {e}")
    };
    let mut svg = String::new();
    let mut thresholds: Vec<f64> = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        let mut ticks = Vec::new();
        for t in 0..layout.terms.len() {
            for p in 0..layout.precisions.len() {
                ticks.push(layout.x(t, p, 0.5));
            }
        }
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{model}: max equivariance error / ε"),
                ("sans-serif", 22),
            )
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(64)
            .build_cartesian_2d(
                (0..layout.end()).with_key_points(ticks),
                (lo..hi).log_scale(),
            )
            .map_err(fail)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc("max error / ε")
            .x_label_formatter(&|x| layout.precision_at(*x).to_string())
            .y_label_formatter(&|y| format!("{y:.0e}"))
            .label_style(("sans-serif", 16))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(fail)?;
        // the output term of each cluster, at the top
        let names = layout.terms.iter().enumerate().map(|(t, (o, term))| {
            let center = (layout.x(t, 0, 0.0) + layout.x(t, layout.precisions.len() - 1, 1.0)) / 2;
            let style = TextStyle::from(("sans-serif", 17).into_font())
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Top));
            Text::new(format!("{o} {term}"), (center, hi), style)
        });
        chart.draw_series(names).map_err(fail)?;
        for (k, kind) in layout.kinds.iter().enumerate() {
            let color = KIND_COLORS[k % KIND_COLORS.len()];
            let rects = bars.iter().filter(|b| b.kind == *kind).filter_map(|b| {
                let (x0, x1) = layout.bar(b)?;
                Some(Rectangle::new(
                    [(x0, lo), (x1, bar_height(b.max_eps, hi))],
                    color.filled(),
                ))
            });
            chart.draw_series(rects).map_err(fail)?;
        }
        // failing bars: a red outline and "FAIL" on top
        let failing: Vec<(i32, i32, f64)> = bars
            .iter()
            .filter(|b| !b.pass)
            .filter_map(|b| {
                let (x0, x1) = layout.bar(b)?;
                Some((x0, x1, bar_height(b.max_eps, hi)))
            })
            .collect();
        chart
            .draw_series(
                failing.iter().map(|&(x0, x1, top)| {
                    Rectangle::new([(x0, lo), (x1, top)], RED.stroke_width(3))
                }),
            )
            .map_err(fail)?;
        chart
            .draw_series(failing.iter().map(|&(x0, x1, top)| {
                let style = TextStyle::from(("sans-serif", 15).into_font())
                    .color(&RED)
                    .pos(Pos::new(HPos::Center, VPos::Bottom));
                Text::new("FAIL", ((x0 + x1) / 2, top), style)
            }))
            .map_err(fail)?;
        // the threshold of each group (the largest of its bars', normally all equal)
        for (t, term) in layout.terms.iter().enumerate() {
            for (p, precision) in layout.precisions.iter().enumerate() {
                let threshold = bars
                    .iter()
                    .filter(|b| (b.output.as_str(), b.term.as_str()) == *term)
                    .filter(|b| b.precision == *precision)
                    .map(|b| b.threshold_eps)
                    .filter(|v| v.is_finite() && *v > 0.0)
                    .fold(f64::NAN, f64::max);
                if threshold.is_nan() {
                    continue;
                }
                chart
                    .draw_series(LineSeries::new(
                        [
                            (layout.x(t, p, 0.05), threshold),
                            (layout.x(t, p, 0.95), threshold),
                        ],
                        RED.stroke_width(2),
                    ))
                    .map_err(fail)?;
                thresholds.push(threshold);
            }
        }
        root.present().map_err(fail)?;
    }
    // the legend, in HTML beside the chart rather than over the bars
    let mut legend = String::from("<div class=\"legend\">");
    for (k, kind) in layout.kinds.iter().enumerate() {
        let RGBColor(r, g, b) = KIND_COLORS[k % KIND_COLORS.len()];
        let _ = write!(
            legend,
            "<span><i style=\"background:#{r:02x}{g:02x}{b:02x}\"></i>{}</span>",
            escape(kind)
        );
    }
    thresholds.sort_by(f64::total_cmp);
    thresholds.dedup();
    let t: Vec<String> = thresholds.iter().map(|t| format!("{t} ε")).collect();
    if !t.is_empty() {
        let _ = write!(
            legend,
            "<span><i class=\"line\"></i>threshold ({})</span>",
            t.join(", ")
        );
    }
    legend.push_str("</div>\n");
    Ok(legend + &svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(name: &'static str, status: Status, failure: Option<&str>) -> CheckResult {
        CheckResult {
            section: "exact",
            name,
            description: "values <vs> oracle".into(),
            cases: 10,
            failures: u64::from(failure.is_some()),
            first_failures: failure.map(|f| vec![f.to_string()]).unwrap_or_default(),
            seconds: 0.25,
            status,
        }
    }

    fn bar(precision: &str, kind: &str, output: &str, max_eps: f64, pass: bool) -> ErrorBar {
        ErrorBar {
            precision: precision.into(),
            kind: kind.into(),
            output: output.into(),
            term: "1x1o".into(),
            max_eps,
            median_eps: max_eps / 2.0,
            threshold_eps: 4096.0,
            pass,
        }
    }

    fn model() -> ModelSection {
        ModelSection {
            name: "pair <model>".into(),
            pass: false,
            bars: vec![
                bar("f64", "rotation", "forces", 3.5, true),
                bar("f64", "reflection", "forces", 0.0, true),
                bar("f64", "permutation", "forces", 1e9, false),
                bar("f32", "rotation", "forces", 2.0, true),
            ],
            findings: vec![Finding {
                what: "ladder forces 1x1o".into(),
                detail: "symmetry break".into(),
                ok: false,
            }],
            text: "rotation f64 forces 1x1o 3.5".into(),
        }
    }

    #[test]
    fn test_render() {
        let checks = [
            check("sympy-6j", Status::Pass, None),
            check("e3nn", Status::Fail, Some("case 3: 1 != 2")),
            check("models", Status::NotImplemented, None),
        ];
        let models = [model()];
        let html = render(&HtmlReport {
            title: "racah verify".into(),
            subtitle: "racah 0.1.0".into(),
            checks: &checks,
            models: &models,
            texts: &[("Parameter economy: m".to_string(), "a < b & c".to_string())],
        })
        .unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("1 passed</span>"));
        assert!(html.contains("1 failed</span>"));
        assert!(html.contains("<td class=\"fail\">FAIL</td>"));
        assert!(html.contains("case 3: 1 != 2"));
        assert!(html.contains("values &lt;vs&gt; oracle"));
        assert!(html.contains("pair &lt;model&gt;"));
        assert!(html.find("<h2>Model certification</h2>") < html.find("<h2>Checks</h2>"));
        assert!(html.contains("<h2>Parameter economy: m</h2>\n<pre>a &lt; b &amp; c</pre>"));
        // one chart per model: a cluster per output term, a group per precision (in order of
        // appearance), a bar per kind; the failing bar is marked
        assert_eq!(html.matches("<svg").count(), 1);
        assert!(html.contains("pair &lt;model&gt;: max equivariance error / ε"));
        assert!(html.contains(">\nforces 1x1o\n</text>"));
        let f64_tick = html.find(">\nf64\n</text>").unwrap();
        let f32_tick = html.find(">\nf32\n</text>").unwrap();
        assert!(f64_tick < f32_tick);
        assert_eq!(html.matches(">\nFAIL\n</text>").count(), 1);
        assert!(html.contains("threshold (4096 ε)</span>"));
        assert!(html.contains("<i style=\"background:#1f77b4\"></i>rotation</span>"));
        assert!(html.contains("threshold"));
        assert!(html.contains("symmetry break"));
        // self-contained: nothing is fetched, nothing runs
        assert!(!html.contains("<script"));
        assert!(!html.contains(" src="));
        assert!(!html.contains("href="));
        assert!(!html.contains("@import"));
    }

    #[test]
    fn render_without_models_or_bars() {
        let checks = [check("sympy-6j", Status::Pass, None)];
        let html = render(&HtmlReport {
            title: "t".into(),
            checks: &checks,
            ..Default::default()
        })
        .unwrap();
        assert!(!html.contains("Model certification"));
        assert!(!html.contains("<svg"));
        let models = [ModelSection {
            name: "empty".into(),
            ..Default::default()
        }];
        let html = render(&HtmlReport {
            title: "t".into(),
            models: &models,
            ..Default::default()
        })
        .unwrap();
        assert!(html.contains("empty"));
        assert!(!html.contains("<svg"));
        assert!(!html.contains("<h2>Checks</h2>"));
    }

    #[test]
    fn non_finite_errors_are_drawn_at_the_top() {
        let mut m = model();
        m.bars[0].max_eps = f64::NAN;
        m.bars[1].max_eps = f64::INFINITY;
        m.bars[2].threshold_eps = f64::NAN;
        let models = [m];
        let html = render(&HtmlReport {
            title: "t".into(),
            models: &models,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(html.matches("<svg").count(), 1);
        assert_eq!(bar_height(f64::NAN, 1e6), 1e6);
        assert_eq!(bar_height(0.0, 1e6), LOG_FLOOR_EPS);
        assert_eq!(bar_height(5.0, 1e6), 5.0);
    }

    #[test]
    fn test_escape() {
        assert_eq!(
            escape("a<b & 'c' \"d\">"),
            "a&lt;b &amp; &#39;c&#39; &quot;d&quot;&gt;"
        );
        assert_eq!(escape("ε ✓"), "ε ✓");
    }

    #[test]
    fn log_range_covers_bars_and_thresholds() {
        let m = model();
        let bars: Vec<&ErrorBar> = m.bars.iter().collect();
        let (lo, hi) = log_range(&bars);
        assert!(lo < LOG_FLOOR_EPS);
        assert!(hi >= 1e9 * 4.0 && hi == 10f64.powi(hi.log10().round() as i32));
    }

    proptest! {
        #![proptest_config(ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(7), cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn escape_properties(s in ".*") {
            let e = escape(&s);
            prop_assert!(!e.contains('<') && !e.contains('>') && !e.contains('"'));
            let back = e.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
            prop_assert_eq!(back, s);
        }

        #[test]
        fn render_properties(
            values in proptest::collection::vec((0usize..3, 0usize..4, 0usize..3, prop_oneof![
                Just(0.0), Just(f64::NAN), Just(f64::INFINITY), 1e-30f64..1e30
            ], any::<bool>()), 0..12),
            name in "[a-z<>&]{0,8}",
        ) {
            let precisions = ["f32", "f64", "f64x2"];
            let kinds = ["rotation", "reflection", "permutation", "translation"];
            let outputs = ["energy", "forces", "dipole"];
            let bars: Vec<ErrorBar> = values.iter().map(|&(p, k, o, v, pass)| ErrorBar {
                precision: precisions[p].into(),
                kind: kinds[k].into(),
                output: outputs[o].into(),
                term: "1x0e".into(),
                max_eps: v,
                median_eps: v,
                threshold_eps: 64.0,
                pass,
            }).collect();
            let charts = usize::from(!bars.is_empty());
            let models = [ModelSection { name: name.clone(), pass: true, bars, ..Default::default() }];
            let html = render(&HtmlReport { title: name.clone(), models: &models, ..Default::default() }).unwrap();
            prop_assert_eq!(html.matches("<svg").count(), charts);
            prop_assert!(html.contains(&escape(&name)));
            prop_assert!(!html.contains("<script"));
        }
    }
}
