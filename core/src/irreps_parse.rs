//! The e3nn irreps grammar: `FromStr` for [`Irreps`] and [`MulIrrep`], with errors that name the
//! 0-based *character* position of the bad token in the whole input.
//!
//! ```text
//! irreps := ε | term ('+' term)*
//! term   := [mul 'x'] irrep          mul   := digits
//! irrep  := degree parity            degree := l | 2j/2 | j.5     parity := 'e' | 'o' | 'y'
//! ```
//! Whitespace around every token is ignored. The helpers here are shared with the fusion-tree
//! parser, which embeds irreps in its own grammar.

use crate::{CoreError, Irrep, Irreps, MulIrrep, Parity, Spin};
use std::ops::Range;
use std::str::FromStr;

/// An input string as characters, so that error positions count characters, not bytes.
pub(crate) struct Text<'a> {
    input: &'a str,
    chars: Vec<char>,
}

impl<'a> Text<'a> {
    pub(crate) fn new(input: &'a str) -> Self {
        Text {
            input,
            chars: input.chars().collect(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    pub(crate) fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    pub(crate) fn slice(&self, r: Range<usize>) -> String {
        self.chars[r].iter().collect()
    }

    /// `r` without leading and trailing whitespace.
    pub(crate) fn trim(&self, r: Range<usize>) -> Range<usize> {
        let (mut a, mut b) = (r.start, r.end);
        while a < b && self.chars[a].is_whitespace() {
            a += 1;
        }
        while b > a && self.chars[b - 1].is_whitespace() {
            b -= 1;
        }
        a..b
    }

    /// The first index at or after `i` that is not whitespace.
    pub(crate) fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.chars.len() && self.chars[i].is_whitespace() {
            i += 1;
        }
        i
    }

    pub(crate) fn err(&self, at: usize, token: impl Into<String>, kind: &str) -> CoreError {
        CoreError::Parse {
            input: self.input.to_string(),
            at,
            token: token.into(),
            kind: kind.to_string(),
        }
    }
}

fn is_degree_char(c: char) -> bool {
    c.is_ascii_digit() || c == '/' || c == '.'
}

/// Parses the irrep occupying exactly `r` (already trimmed, non-empty).
pub(crate) fn parse_irrep(text: &Text<'_>, r: Range<usize>) -> Result<Irrep, CoreError> {
    let whole = text.slice(r.clone());
    let Some(last) = (!r.is_empty()).then(|| text.at(r.end - 1)).flatten() else {
        return Err(text.err(r.start, whole, "missing irrep"));
    };
    if is_degree_char(last) {
        return Err(text.err(r.start, whole, "missing parity letter ('e', 'o' or 'y')"));
    }
    let body = r.start..r.end - 1;
    if body.is_empty() {
        return Err(text.err(r.start, whole, "missing degree before the parity letter"));
    }
    let degree = text.slice(body.clone());
    if !degree.chars().all(is_degree_char) {
        return Err(text.err(r.start, degree, "degree must be written l, n/2 or n.5"));
    }
    let j: Spin = degree.parse().map_err(|e| {
        let kind = match e {
            CoreError::TooLarge { .. } => "degree too large (2j must fit in 31 bits)",
            _ => "degree is not an integer or half-integer",
        };
        text.err(r.start, degree.clone(), kind)
    })?;
    let p = match last {
        'e' => Parity::Even,
        'o' => Parity::Odd,
        'y' if j.is_integer() => Parity::of_harmonic(j.twice() / 2),
        'y' => {
            return Err(text.err(
                r.end - 1,
                "y",
                "parity 'y' = (-1)^l needs an integer degree",
            ))
        }
        c => return Err(text.err(r.end - 1, c, "unknown parity (expected 'e', 'o' or 'y')")),
    };
    Ok(Irrep::new(j, p))
}

/// Parses one term `[mul x] irrep` in `r` (not necessarily trimmed, but not blank).
fn parse_term(text: &Text<'_>, r: Range<usize>) -> Result<MulIrrep, CoreError> {
    let t = text.trim(r);
    let term = || text.slice(t.clone());
    let xs: Vec<usize> = t.clone().filter(|&i| text.at(i) == Some('x')).collect();
    let out = match xs.as_slice() {
        [] => MulIrrep::new(1, parse_irrep(text, t.clone())?),
        &[px] => {
            let mr = text.trim(t.start..px);
            let ir = text.trim(px + 1..t.end);
            if mr.is_empty() {
                return Err(text.err(t.start, term(), "missing multiplicity before 'x'"));
            }
            if ir.is_empty() {
                return Err(text.err(t.start, term(), "missing irrep after 'x'"));
            }
            let mul_text = text.slice(mr.clone());
            if !mul_text.chars().all(|c| c.is_ascii_digit()) {
                return Err(text.err(
                    mr.start,
                    mul_text,
                    "multiplicity must be a non-negative integer",
                ));
            }
            let mul: usize = mul_text
                .parse()
                .map_err(|_| text.err(mr.start, mul_text.clone(), "multiplicity too large"))?;
            MulIrrep::new(mul, parse_irrep(text, ir)?)
        }
        [_, second, ..] => {
            return Err(text.err(*second, "x", "a term has at most one 'x'"));
        }
    };
    if out.checked_dim().is_none() {
        return Err(text.err(t.start, term(), "dimension of the term overflows usize"));
    }
    Ok(out)
}

impl FromStr for Irreps {
    type Err = CoreError;

    /// Parses the e3nn grammar, for example `"16x0e + 8x1o+2e"`; the empty (or blank) string
    /// is the empty sum.
    ///
    /// # Errors
    /// [`CoreError::Parse`] naming the character position and token: an empty term
    /// (`"1o++2e"`), a missing or negative multiplicity (`"x0e"`, `"-1x0e"`), a missing irrep
    /// (`"16x"`), a bad irrep (`"1x1q"`), or a total dimension that overflows `usize`.
    fn from_str(s: &str) -> Result<Self, CoreError> {
        let text = Text::new(s);
        if text.trim(0..text.len()).is_empty() {
            return Ok(Irreps::new());
        }
        let mut out = Irreps::new();
        let mut dim = 0usize;
        let mut start = 0;
        loop {
            let end = (start..text.len())
                .find(|&i| text.at(i) == Some('+'))
                .unwrap_or(text.len());
            let seg = start..end;
            if text.trim(seg.clone()).is_empty() {
                // name the '+' next to the empty term: the one after it, or the one before
                let at = if end < text.len() { end } else { start - 1 };
                return Err(text.err(at, "+", "empty term"));
            }
            let t = parse_term(&text, seg.clone())?;
            dim = dim.checked_add(t.dim()).ok_or_else(|| {
                let r = text.trim(seg.clone());
                text.err(r.start, text.slice(r), "total dimension overflows usize")
            })?;
            out.push(t);
            if end == text.len() {
                break;
            }
            start = end + 1;
        }
        Ok(out)
    }
}

impl FromStr for MulIrrep {
    type Err = CoreError;

    /// Parses one term, `"16x0e"` or `"1o"` (multiplicity 1).
    ///
    /// # Errors
    /// [`CoreError::Parse`] as for [`Irreps`]; a `+` is rejected (use `Irreps` for sums).
    fn from_str(s: &str) -> Result<Self, CoreError> {
        let text = Text::new(s);
        if let Some(i) = (0..text.len()).find(|&i| text.at(i) == Some('+')) {
            return Err(text.err(i, "+", "a single term cannot contain '+'"));
        }
        if text.trim(0..text.len()).is_empty() {
            return Err(text.err(0, s, "empty term"));
        }
        parse_term(&text, 0..text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(s: &str) -> (usize, String, String) {
        match s.parse::<Irreps>() {
            Err(CoreError::Parse {
                input,
                at,
                token,
                kind,
            }) => {
                assert_eq!(input, s);
                (at, token, kind)
            }
            other => panic!("{s:?}: expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn test_irreps_parse() {
        let cases = [
            ("16x0e + 8x1o+2e", "16x0e+8x1o+1x2e"),
            ("", ""),
            ("   ", ""),
            ("0x1o", "0x1o"),
            (" 1y + 2y ", "1x1o+1x2e"),
            ("3 x 1e", "3x1e"),
            ("2x1/2o + 3/2e", "2x1/2o+1x3/2e"),
            ("1.5e", "1x3/2e"),
            ("007x0e", "7x0e"),
        ];
        for (s, want) in cases {
            assert_eq!(s.parse::<Irreps>().unwrap().to_string(), want, "{s:?}");
        }
    }

    #[test]
    fn irreps_parse_rejects_malformed() {
        // (input, position, token): positions are 0-based characters in the whole input
        let cases = [
            ("16x", 0, "16x"),
            ("1x1q", 3, "q"),
            ("x0e", 0, "x0e"),
            ("1o++2e", 3, "+"),
            ("-1x0e", 0, "-1"),
            ("3x", 0, "3x"),
            ("1o+", 2, "+"),
            ("+1o", 0, "+"),
            ("0e + 2x1", 7, "1"),
            ("0e + 2xx1o", 7, "x"),
            ("0e+1x-1o", 5, "-1"),
            ("1/2y", 3, "y"),
            ("1/3e", 0, "1/3"),
            ("0e+9999999999o", 3, "9999999999"),
            ("99999999999999999999999x0e", 0, "99999999999999999999999"),
            ("\u{a0}1o + 1x1q", 9, "q"), // NBSP is 2 bytes but 1 character
        ];
        for (s, at, token) in cases {
            let (got_at, got_token, kind) = parse_err(s);
            assert_eq!((got_at, got_token.as_str()), (at, token), "{s:?}: {kind}");
            let msg = s.parse::<Irreps>().unwrap_err().to_string();
            assert!(msg.contains(&format!("position {at}")), "{msg}");
            assert!(msg.contains(&format!("{token:?}")), "{msg}");
        }
    }

    #[test]
    fn irreps_parse_rejects_dimension_overflow() {
        let s = format!("{}x1o", usize::MAX / 2);
        assert_eq!(parse_err(&s).2, "dimension of the term overflows usize");
        let s = format!("{m}x0e + {m}x0e", m = usize::MAX / 2 + 1);
        assert_eq!(parse_err(&s).0, s.find('+').unwrap() + 2);
    }

    #[test]
    fn test_mul_irrep_parse() {
        assert_eq!("16x0e".parse::<MulIrrep>().unwrap().to_string(), "16x0e");
        assert_eq!(" 2e ".parse::<MulIrrep>().unwrap().to_string(), "1x2e");
        for (s, at) in [("1o+2e", 2), ("", 0), ("x1o", 0), ("1x", 0)] {
            match s.parse::<MulIrrep>() {
                Err(CoreError::Parse { at: got, .. }) => assert_eq!(got, at, "{s:?}"),
                other => panic!("{s:?}: {other:?}"),
            }
        }
    }
}
