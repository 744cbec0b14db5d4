//! `racah eval`: exact values of CG, 3j, 6j, 9j and Racah W symbols, one JSON object per line.

use super::query::{split_args, Kind, Query};
use anyhow::Result;
use clap::Args;
use racah_exact::{Cg, ExactError, NineJ, RacahW, SixJ, SqrtRational, ThreeJ};
use serde_json::json;
use std::io::{BufRead, Write};
use std::process::ExitCode;

/// Options of `racah eval`.
#[derive(Debug, Args)]
#[command(after_help = "\
Queries (spins written 3, 7/2 or 3.5; see CONVENTIONS.md#argument-order):
  cg j1 m1 j2 m2 J M        Clebsch-Gordan <j1 m1 j2 m2|J M>
  3j j1 j2 j3 m1 m2 m3      Wigner 3j symbol
  6j j1 j2 j3 j4 j5 j6      Wigner 6j symbol (row-major)
  9j j1 ... j9              Wigner 9j symbol (row-major)
  w a b c d e f             Racah W(a b c d; e f)

Output: one JSON object per query with `query`, `sign` (-1/0/1), `sq_num`, `sq_den`
(value = sign*sqrt(sq_num/sq_den), coprime, decimal strings), `exact` and `f64` (the correctly
rounded double). A bad query gives {\"query\": ..., \"error\": ...}; the others still run and the
exit status is 1.

Examples:
  racah eval 6j 1 1 1 1 1 1
  racah eval cg 1/2 1/2 1/2 -1/2 1 0 3j 1 1 1 1 -1 0
  printf '9j 1 2 3 3 2 1 2 1 3\\n' | racah eval")]
pub struct EvalArgs {
    /// Queries; a new query starts at each keyword (cg, 3j, 6j, 9j, w). Without arguments, queries
    /// are read from standard input, one per line (blank lines and lines starting with # skipped).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub query: Vec<String>,
}

/// Evaluates one parsed query exactly.
pub fn evaluate(q: &Query) -> Result<SqrtRational, ExactError> {
    let t = &q.twice;
    Ok(match q.kind {
        Kind::Cg => Cg::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])?.value(),
        Kind::ThreeJ => ThreeJ::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])?.value(),
        Kind::SixJ => SixJ::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])?.value(),
        Kind::NineJ => {
            NineJ::from_twice([t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8]])?.value()
        }
        Kind::RacahW => RacahW::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])?.value(),
    })
}

/// The JSON record of an exact value (shared with `racah table`).
pub fn value_record(v: &SqrtRational) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert("sign".into(), json!(v.sign()));
    m.insert("sq_num".into(), json!(v.sq_num().to_string()));
    m.insert("sq_den".into(), json!(v.sq_den().to_string()));
    m.insert("exact".into(), json!(v.to_string()));
    m.insert("f64".into(), json!(v.to_f64()));
    m
}

/// One output line for one input line.
fn answer(line: &str) -> (serde_json::Value, bool) {
    let text = line.trim();
    let result = Query::parse_line(text)
        .map_err(|e| e.to_string())
        .and_then(|q| evaluate(&q).map_err(|e| e.to_string()));
    match result {
        Ok(v) => {
            let mut m = serde_json::Map::new();
            m.insert("query".into(), json!(text));
            m.extend(value_record(&v));
            (serde_json::Value::Object(m), true)
        }
        Err(e) => (json!({ "query": text, "error": e }), false),
    }
}

/// Runs `racah eval`.
pub fn run(args: EvalArgs) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut all_ok = true;
    let mut emit = |line: &str, out: &mut dyn Write| -> Result<()> {
        let (v, ok) = answer(line);
        all_ok &= ok;
        writeln!(out, "{v}")?;
        Ok(())
    };
    if args.query.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            emit(t, &mut out)?;
        }
    } else {
        for q in split_args(&args.query) {
            emit(&q, &mut out)?;
        }
    }
    out.flush()?;
    Ok(if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_golden_queries() {
        let (v, ok) = answer("6j 1 1 1 1 1 1");
        assert!(ok);
        assert_eq!(v["sign"], 1);
        assert_eq!(v["sq_num"], "1");
        assert_eq!(v["sq_den"], "36");
        assert_eq!(v["exact"], "1/6");
        assert_eq!(v["f64"].as_f64().unwrap(), 1.0 / 6.0);
        // conventions-reference.md 3.4: {1 2 3; 3 2 1; 2 1 3} = -4*sqrt(70)/11025
        let (v, _) = answer("9j 1 2 3 3 2 1 2 1 3");
        assert_eq!(v["exact"], "-4*sqrt(70)/11025");
        assert_eq!(v["sign"], -1);
        // W(1, 3/2, 2, 5/2; 3/2, 2) = sqrt(2)/60 = 0.023570226039551584 (sympy, libwignernj)
        let (v, _) = answer("w 1 3/2 2 5/2 3/2 2");
        assert_eq!(v["f64"].as_f64().unwrap(), 0.023570226039551584);
        let (v, _) = answer("cg 1/2 1/2 0.5 -0.5 1 0");
        assert_eq!(
            (v["sq_num"].as_str(), v["sq_den"].as_str()),
            (Some("1"), Some("2"))
        );
    }

    #[test]
    fn selection_rule_zero_is_a_value() {
        let (v, ok) = answer("cg 2 1 2 1 3 2"); // non-trivial zero <2 1 2 1|3 2> = 0
        assert!(ok);
        assert_eq!(v["sign"], 0);
        assert_eq!(v["f64"].as_f64().unwrap(), 0.0);
        let (v, ok) = answer("6j 1/2 1/2 1/2 1/2 1/2 1/2");
        assert!(ok && v["sign"] == 0);
    }

    #[test]
    fn bad_queries_name_the_problem() {
        let (v, ok) = answer("cg 1 1/2 1 0 1 1");
        assert!(!ok);
        let e = v["error"].as_str().unwrap();
        assert!(e.contains("1/2"), "{e}");
        let (v, ok) = answer("6j 1 1 -1 1 1 1");
        assert!(!ok && v["error"].as_str().unwrap().contains("-1"), "{v}");
        let (v, ok) = answer("3j 1 1 x 0 0 0");
        assert!(!ok && v["error"].as_str().unwrap().contains("\"x\""), "{v}");
    }
}
