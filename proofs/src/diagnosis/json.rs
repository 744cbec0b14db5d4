//! A small JSON reader that keeps numbers as text, so that they are converted to f64 by a
//! correctly rounded parse (serde_json's default float parser may be off by one ulp, which a
//! checker measuring ulps cannot afford). `NaN`, `Infinity` and `-Infinity` (written by
//! Python's `json`) are read as numbers, so that they are reported as non-finite values.

/// A JSON value with numbers as their source text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A number as f64 (correctly rounded), NaN and ±∞ included.
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Num(s) => match s.as_str() {
                "NaN" => Some(f64::NAN),
                "Infinity" => Some(f64::INFINITY),
                "-Infinity" => Some(f64::NEG_INFINITY),
                s => s.parse().ok(),
            },
            _ => None,
        }
    }

    /// A short rendering for messages.
    pub(crate) fn brief(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Num(s) => s.clone(),
            Json::Str(s) => format!("{s:?}"),
            Json::Arr(a) => format!("an array of {}", a.len()),
            Json::Obj(_) => "an object".into(),
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

/// Parses a JSON document; the error names the line and column.
pub(crate) fn parse(text: &str) -> Result<Json, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("trailing characters after the JSON value"));
    }
    Ok(v)
}

impl Parser<'_> {
    fn err(&self, msg: &str) -> String {
        let before = &self.s[..self.i.min(self.s.len())];
        let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
        let col = before.iter().rev().take_while(|&&c| c != b'\n').count() + 1;
        if self.i >= self.s.len() && !msg.contains("end of input") {
            return format!("unexpected end of input ({msg}) at line {line} column {col}");
        }
        format!("{msg} at line {line} column {col}")
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.s[self.i..].starts_with(lit.as_bytes()) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > 64 {
            return Err(self.err("nesting deeper than 64"));
        }
        self.ws();
        let Some(&c) = self.s.get(self.i) else {
            return Err(self.err("unexpected end of input"));
        };
        match c {
            b'{' => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.eat("}") {
                    return Ok(Json::Obj(members));
                }
                loop {
                    self.ws();
                    if self.s.get(self.i) != Some(&b'"') {
                        return Err(self.err("expected a string key"));
                    }
                    let k = self.string()?;
                    self.ws();
                    if !self.eat(":") {
                        return Err(self.err("expected ':'"));
                    }
                    let v = self.value(depth + 1)?;
                    members.push((k, v));
                    self.ws();
                    if self.eat(",") {
                        continue;
                    }
                    if self.eat("}") {
                        return Ok(Json::Obj(members));
                    }
                    return Err(self.err("expected ',' or '}'"));
                }
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.eat("]") {
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    if self.eat(",") {
                        continue;
                    }
                    if self.eat("]") {
                        return Ok(Json::Arr(items));
                    }
                    return Err(self.err("expected ',' or ']'"));
                }
            }
            b'"' => Ok(Json::Str(self.string()?)),
            b't' if self.eat("true") => Ok(Json::Bool(true)),
            b'f' if self.eat("false") => Ok(Json::Bool(false)),
            b'n' if self.eat("null") => Ok(Json::Null),
            b'N' if self.eat("NaN") => Ok(Json::Num("NaN".into())),
            b'I' if self.eat("Infinity") => Ok(Json::Num("Infinity".into())),
            b'-' if self.eat("-Infinity") => Ok(Json::Num("-Infinity".into())),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(self.err(&format!("unexpected character {:?}", c as char))),
        }
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.i;
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.i < p.s.len() && p.s[p.i].is_ascii_digit() {
                p.i += 1;
            }
            p.i > s
        };
        self.eat("-");
        if !digits(self) {
            return Err(self.err("expected digits"));
        }
        if self.eat(".") && !digits(self) {
            return Err(self.err("expected digits after '.'"));
        }
        if self.i < self.s.len() && matches!(self.s[self.i], b'e' | b'E') {
            self.i += 1;
            if !self.eat("+") {
                self.eat("-");
            }
            if !digits(self) {
                return Err(self.err("expected exponent digits"));
            }
        }
        // the slice is ASCII digits and signs
        Ok(Json::Num(
            String::from_utf8_lossy(&self.s[start..self.i]).into_owned(),
        ))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.err("truncated \\u escape"))?;
        let v = u32::from_str_radix(&String::from_utf8_lossy(h), 16)
            .map_err(|_| self.err("bad \\u escape"))?;
        self.i += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, String> {
        self.i += 1; // opening quote
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.i) else {
                return Err(self.err("unterminated string"));
            };
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.s.get(self.i) else {
                        return Err(self.err("unterminated string"));
                    };
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut u = self.hex4()?;
                            if (0xD800..0xDC00).contains(&u) && self.eat("\\u") {
                                let lo = self.hex4()?;
                                u = 0x10000
                                    + ((u - 0xD800) << 10)
                                    + (lo.wrapping_sub(0xDC00) & 0x3ff);
                            }
                            char::from_u32(u).unwrap_or('\u{fffd}')
                        }
                        _ => return Err(self.err("bad escape")),
                    };
                    let mut b = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                }
                _ => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| self.err("invalid UTF-8 in string"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse() {
        let v = parse(
            r#" {"a": [1, -2.5e-3, NaN, -Infinity], "b": {"c": "x\"\u00e9"}, "d": [true, null]} "#,
        )
        .unwrap();
        let a = v.get("a").unwrap();
        let Json::Arr(a) = a else { panic!() };
        assert_eq!(a[1].as_f64(), Some(-2.5e-3));
        assert!(a[2].as_f64().unwrap().is_nan());
        assert_eq!(a[3].as_f64(), Some(f64::NEG_INFINITY));
        assert_eq!(
            v.get("b").unwrap().get("c"),
            Some(&Json::Str("x\"é".into()))
        );
        // correctly rounded where a best-effort parser may miss by one ulp
        let x = "0.10540925533894596";
        assert_eq!(parse(x).unwrap().as_f64(), Some(x.parse::<f64>().unwrap()));
    }

    #[test]
    fn parse_errors_name_the_position() {
        let e = parse("{\n \"a\": [1, 2,, 3]}").unwrap_err();
        assert!(e.contains("line 2 column 13"), "{e}");
        assert!(parse("[1, 2").unwrap_err().contains("end of input"));
        assert!(parse("[01x]").is_err());
        assert!(parse("\"abc").unwrap_err().contains("unterminated"));
        assert!(parse("[1] 2").unwrap_err().contains("trailing"));
    }
}
