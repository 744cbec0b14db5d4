//! The query language shared by `racah eval` and `racah check`: `cg j1 m1 j2 m2 J M`,
//! `3j j1 j2 j3 m1 m2 m3`, `6j j1 … j6`, `9j j1 … j9`, `w a b c d e f`.
//!
//! Spins are written `3`, `7/2` or `3.5` (see `CONVENTIONS.md#argument-order`).

use racah_core::{CoreError, HalfInt};
use std::fmt;

/// Which symbol a query asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// ⟨j1 m1 j2 m2 | J M⟩.
    Cg,
    /// (j1 j2 j3; m1 m2 m3).
    ThreeJ,
    /// {j1 j2 j3; j4 j5 j6}.
    SixJ,
    /// {j1 j2 j3; j4 j5 j6; j7 j8 j9}.
    NineJ,
    /// W(a b c d; e f).
    RacahW,
}

impl Kind {
    /// Parses the keyword of a query (`cg`, `3j`, `6j`, `9j`, `w`), case-insensitively.
    pub fn from_keyword(s: &str) -> Option<Kind> {
        match s.to_ascii_lowercase().as_str() {
            "cg" => Some(Kind::Cg),
            "3j" => Some(Kind::ThreeJ),
            "6j" => Some(Kind::SixJ),
            "9j" => Some(Kind::NineJ),
            "w" | "racah" | "racahw" => Some(Kind::RacahW),
            _ => None,
        }
    }

    /// The number of arguments the symbol takes.
    pub fn arity(self) -> usize {
        match self {
            Kind::Cg | Kind::ThreeJ | Kind::SixJ | Kind::RacahW => 6,
            Kind::NineJ => 9,
        }
    }

    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Cg => "cg",
            Kind::ThreeJ => "3j",
            Kind::SixJ => "6j",
            Kind::NineJ => "9j",
            Kind::RacahW => "w",
        }
    }

    /// A one-line usage string.
    pub fn usage(self) -> &'static str {
        match self {
            Kind::Cg => "cg j1 m1 j2 m2 J M",
            Kind::ThreeJ => "3j j1 j2 j3 m1 m2 m3",
            Kind::SixJ => "6j j1 j2 j3 j4 j5 j6",
            Kind::NineJ => "9j j1 j2 j3 j4 j5 j6 j7 j8 j9",
            Kind::RacahW => "w a b c d e f",
        }
    }
}

/// A parsed query: the symbol and its arguments, doubled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The symbol.
    pub kind: Kind,
    /// The arguments as doubled integers, in the order of [`Kind::usage`].
    pub twice: Vec<i64>,
}

/// Why a query line could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

impl Query {
    /// Parses whitespace-separated tokens `KIND a1 a2 …`.
    pub fn parse_tokens(tokens: &[&str]) -> Result<Query, QueryError> {
        let (first, args) = tokens
            .split_first()
            .ok_or_else(|| QueryError("empty query".to_string()))?;
        let kind = Kind::from_keyword(first).ok_or_else(|| {
            QueryError(format!(
                "unknown symbol {first:?} (expected cg, 3j, 6j, 9j or w)"
            ))
        })?;
        if args.len() != kind.arity() {
            return Err(QueryError(format!(
                "{} takes {} arguments, got {} (usage: {})",
                kind.keyword(),
                kind.arity(),
                args.len(),
                kind.usage()
            )));
        }
        let twice = args
            .iter()
            .enumerate()
            .map(|(i, a)| {
                a.parse::<HalfInt>()
                    .map(|h| h.twice() as i64)
                    .map_err(|e: CoreError| QueryError(format!("argument {}: {e}", i + 1)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Query { kind, twice })
    }

    /// Parses one line of text.
    pub fn parse_line(line: &str) -> Result<Query, QueryError> {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        Query::parse_tokens(&tokens)
    }
}

/// Splits command-line arguments into query lines: each argument that contains whitespace is a
/// query of its own; otherwise a new query starts at every symbol keyword.
pub fn split_args(args: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in args {
        let starts_query =
            a.split_whitespace().count() > 1 || Kind::from_keyword(a).is_some() || out.is_empty();
        if starts_query {
            out.push(a.clone());
        } else if let Some(last) = out.last_mut() {
            last.push(' ');
            last.push_str(a);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_queries() {
        let q = Query::parse_line("cg 1/2 1/2 0.5 -0.5 1 0").unwrap();
        assert_eq!(q.kind, Kind::Cg);
        assert_eq!(q.twice, vec![1, 1, 1, -1, 2, 0]);
        let q = Query::parse_line("9J 1 1 1 1 1 1 1 1 0").unwrap();
        assert_eq!(q.kind, Kind::NineJ);
    }

    #[test]
    fn rejects_bad_queries() {
        let e = Query::parse_line("6j 1 1 1 1 1").unwrap_err();
        assert!(e.0.contains("6j takes 6 arguments, got 5"), "{e}");
        let e = Query::parse_line("6j 1 1 2.3 1 1 1").unwrap_err();
        assert!(e.0.contains("argument 3") && e.0.contains("\"2.3\""), "{e}");
        let e = Query::parse_line("7j 1").unwrap_err();
        assert!(e.0.contains("\"7j\""), "{e}");
        assert!(Query::parse_line("   ").is_err());
    }

    #[test]
    fn splits_args_at_keywords() {
        let args: Vec<String> = "cg 1 1 1 0 2 1 6j 1 1 1 1 1 1"
            .split(' ')
            .map(String::from)
            .collect();
        assert_eq!(split_args(&args), vec!["cg 1 1 1 0 2 1", "6j 1 1 1 1 1 1"]);
        let args = vec!["3j 1 1 0 0 0 0".to_string(), "w 1 1 1 1 1 1".to_string()];
        assert_eq!(split_args(&args).len(), 2);
    }
}
