//! Reading tables from text: JSON and CSV in the layouts `racah table` writes.
//!
//! - Symbols (`cg`, `3j`, `6j`, `9j`), JSON: `racah table`'s document `{"kind": …, "rows":
//!   [{"twice_args": [..], "f64": v, …}, …]}`, a bare array of such records, or an object of
//!   columns `{"twice_args": [[..], …], "values": [..]}`. A record's arguments are
//!   `twice_args` (doubled integers) or `args` (spins: `1`, `0.5`, `"1/2"`); its value is
//!   `value` or `f64`.
//! - Symbols, CSV: a header line, the arguments in the first 6 (9) columns, the value in the
//!   column named `value` or `f64` (else the next column). Arguments are doubled integers when
//!   the first header starts with `t` (`tj1`, as `racah table` writes), spins otherwise.
//!   Blank lines and lines starting with `#` are skipped.
//! - Real CG, JSON: `{"l1,l2,l3": [[[..]]], …}` (keys `l1_l2_l3` accepted; keys starting with
//!   `_` are ignored), as `racah table real-cg` and e3nn-jax goldens write.
//! - Any kind, JSON: an object of named arrays ([`named_arrays_from_json`]), the JSON twin of
//!   an `.npz` archive.

use super::json::{self, Json};
use super::real_cg::{RealCgBlock, RealCgTable};
use super::symbols::{SymbolKind, SymbolTable};
use super::{DiagnosisError, Dtype};
use racah_core::HalfInt;

/// How symbol arguments are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArgUnits {
    /// From the file: `twice_args` / a header starting with `t` means doubled.
    #[default]
    Auto,
    /// Doubled integers (`3` is 3/2).
    Twice,
    /// Spins (`3/2`, `1.5`, `1`).
    Spin,
}

fn parse_json(what: &str, text: &str) -> Result<Json, DiagnosisError> {
    json::parse(text).map_err(|e| DiagnosisError::invalid(what, format!("not valid JSON: {e}")))
}

/// A nested JSON array of numbers as `(shape, row-major values)`.
fn nested(what: &str, v: &Json) -> Result<(Vec<usize>, Vec<f64>), DiagnosisError> {
    fn shape_of(v: &Json) -> Vec<usize> {
        match v {
            Json::Arr(a) => {
                let mut s = vec![a.len()];
                if let Some(first) = a.first() {
                    s.extend(shape_of(first));
                }
                s
            }
            _ => vec![],
        }
    }
    fn flatten(
        what: &str,
        v: &Json,
        shape: &[usize],
        path: &mut Vec<usize>,
        out: &mut Vec<f64>,
    ) -> Result<(), DiagnosisError> {
        let at = || {
            let p: Vec<String> = path.iter().map(|i| format!("[{i}]")).collect();
            p.concat()
        };
        match (v, shape.split_first()) {
            (Json::Arr(a), Some((&n, rest))) => {
                if a.len() != n {
                    return Err(DiagnosisError::shape(
                        format!("{what}{}", at()),
                        format!("{n} elements (a rectangular array)"),
                        format!("{} elements", a.len()),
                    ));
                }
                for (i, x) in a.iter().enumerate() {
                    path.push(i);
                    flatten(what, x, rest, path, out)?;
                    path.pop();
                }
                Ok(())
            }
            (Json::Num(_), None) => {
                let x = v.as_f64().unwrap_or(f64::NAN);
                if !x.is_finite() {
                    return Err(DiagnosisError::NonFinite {
                        what: what.to_string(),
                        at: at(),
                        value: x,
                    });
                }
                out.push(x);
                Ok(())
            }
            (other, _) => Err(DiagnosisError::invalid(
                format!("{what}{}", at()),
                format!(
                    "expected a number or a rectangular array, got {}",
                    other.brief()
                ),
            )),
        }
    }
    let shape = shape_of(v);
    let mut out = Vec::new();
    flatten(what, v, &shape, &mut Vec::new(), &mut out)?;
    Ok((shape, out))
}

/// The arrays of a JSON object `{"name": nested array of numbers, …}` as
/// `(name, shape, row-major values)`, in file order; keys starting with `_` and non-array
/// values are skipped.
///
/// # Errors
/// [`DiagnosisError::Invalid`] for invalid JSON (naming NaN/Infinity if present) or a
/// non-numeric entry; [`DiagnosisError::Shape`] for a ragged array.
///
/// # Examples
/// ```
/// use racah_proofs::diagnosis::named_arrays_from_json;
/// let a = named_arrays_from_json("x", r#"{"_meta": {}, "points": [[0, 0, 1], [1, 0, 0]]}"#)?;
/// assert_eq!(a[0].0, "points");
/// assert_eq!(a[0].1, vec![2, 3]);
/// assert!(named_arrays_from_json("x", r#"{"p": [[0, 1], [2]]}"#).is_err());
/// # Ok::<(), racah_proofs::diagnosis::DiagnosisError>(())
/// ```
#[allow(clippy::type_complexity)]
pub fn named_arrays_from_json(
    what: &str,
    text: &str,
) -> Result<Vec<(String, Vec<usize>, Vec<f64>)>, DiagnosisError> {
    let v = parse_json(what, text)?;
    let Json::Obj(map) = v else {
        return Err(DiagnosisError::invalid(
            what,
            "expected a JSON object of named arrays",
        ));
    };
    let mut out = Vec::new();
    for (k, v) in &map {
        if k.starts_with('_') || !matches!(v, Json::Arr(_)) {
            continue;
        }
        let (shape, data) = nested(&format!("{what}: {k}"), v)?;
        out.push((k.clone(), shape, data));
    }
    Ok(out)
}

fn parse_twice(what: &str, v: &Json) -> Result<i64, DiagnosisError> {
    if let Json::Num(t) = v {
        if let Ok(n) = t.parse::<i64>() {
            return Ok(n);
        }
        if let Some(x) = v.as_f64() {
            if x.fract() == 0.0 && x.abs() < 9e15 {
                return Ok(x as i64);
            }
        }
    }
    Err(DiagnosisError::invalid(
        what,
        format!("doubled argument {} is not an integer", v.brief()),
    ))
}

fn parse_spin_text(what: &str, s: &str) -> Result<i64, DiagnosisError> {
    s.trim()
        .parse::<HalfInt>()
        .map(|h| h.twice() as i64)
        .map_err(|e| DiagnosisError::invalid(what, e.to_string()))
}

fn parse_spin(what: &str, v: &Json) -> Result<i64, DiagnosisError> {
    match v {
        Json::Str(s) | Json::Num(s) => parse_spin_text(what, s),
        other => Err(DiagnosisError::invalid(
            what,
            format!("spin {} is not a number", other.brief()),
        )),
    }
}

fn value_of(what: &str, rec: &Json) -> Result<f64, DiagnosisError> {
    let v = rec
        .get("value")
        .or_else(|| rec.get("f64"))
        .ok_or_else(|| DiagnosisError::invalid(what, "record has no \"value\" or \"f64\""))?;
    v.as_f64().ok_or_else(|| {
        DiagnosisError::invalid(what, format!("value {} is not a number", v.brief()))
    })
}

/// A symbol table from JSON (see the [module](self) documentation for the layouts).
///
/// # Errors
/// [`DiagnosisError::Invalid`] for invalid JSON, a missing key, a `kind` other than `kind`, an
/// argument that is not a (doubled) half-integer; [`DiagnosisError::Shape`] and
/// [`DiagnosisError::NonFinite`] as [`SymbolTable::new`].
///
/// # Examples
/// ```
/// use racah_proofs::diagnosis::{symbol_table_from_json, ArgUnits, Dtype, SymbolKind};
/// let text = r#"[{"args": ["1/2", "1/2", "1/2", "-1/2", 1, 0], "value": 0.7071067811865476}]"#;
/// let t = symbol_table_from_json(SymbolKind::Cg, "t.json", text, ArgUnits::Auto, Dtype::F64)?;
/// assert_eq!(t.row(0), &[1, 1, 1, -1, 2, 0]);
/// # Ok::<(), racah_proofs::diagnosis::DiagnosisError>(())
/// ```
pub fn symbol_table_from_json(
    kind: SymbolKind,
    what: &str,
    text: &str,
    units: ArgUnits,
    dtype: Dtype,
) -> Result<SymbolTable, DiagnosisError> {
    let v = parse_json(what, text)?;
    let k = kind.arity();
    let records = match &v {
        Json::Arr(a) => a.clone(),
        Json::Obj(_) => {
            let map = &v;
            if let Some(Json::Str(file_kind)) = map.get("kind") {
                if file_kind != kind.keyword() {
                    return Err(DiagnosisError::invalid(
                        what,
                        format!(
                            "the file holds a {file_kind} table, checked as {}",
                            kind.keyword()
                        ),
                    ));
                }
            }
            if let Some(Json::Arr(rows)) = map.get("rows") {
                rows.clone()
            } else if let Some(args) = map.get("twice_args").or_else(|| map.get("args")) {
                // columns: {"twice_args": [[..]], "values": [..]}
                let values = map
                    .get("values")
                    .or_else(|| map.get("f64"))
                    .ok_or_else(|| DiagnosisError::invalid(what, "no \"values\" array"))?;
                let (vshape, vals) = nested(&format!("{what}: values"), values)?;
                if vshape.len() != 1 {
                    return Err(DiagnosisError::shape(
                        format!("{what}: values"),
                        "(N,)",
                        format!("{vshape:?}"),
                    ));
                }
                let twice = map.get("twice_args").is_some() && units != ArgUnits::Spin;
                let Json::Arr(rows) = args else {
                    return Err(DiagnosisError::invalid(what, "arguments are not an array"));
                };
                let mut flat = Vec::with_capacity(rows.len() * k);
                for (i, r) in rows.iter().enumerate() {
                    let w = format!("{what}: row {i}");
                    let Json::Arr(r) = r else {
                        return Err(DiagnosisError::invalid(w, "arguments are not an array"));
                    };
                    if r.len() != k {
                        return Err(DiagnosisError::shape(
                            w,
                            format!("{k} arguments"),
                            format!("{}", r.len()),
                        ));
                    }
                    for x in r {
                        flat.push(if twice {
                            parse_twice(&w, x)?
                        } else {
                            parse_spin(&w, x)?
                        });
                    }
                }
                return SymbolTable::from_flat(kind, flat, vals, dtype);
            } else {
                return Err(DiagnosisError::invalid(
                    what,
                    "expected \"rows\", \"twice_args\" or an array of records",
                ));
            }
        }
        _ => {
            return Err(DiagnosisError::invalid(
                what,
                "expected a JSON object or array",
            ))
        }
    };
    let mut rows = Vec::with_capacity(records.len());
    let mut values = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let w = format!("{what}: record {i}");
        if !matches!(r, Json::Obj(_)) {
            return Err(DiagnosisError::invalid(w, "not a JSON object"));
        }
        let rec = r;
        let (args, twice) = match (rec.get("twice_args"), rec.get("args")) {
            (Some(a), _) if units != ArgUnits::Spin => (a, true),
            (_, Some(a)) => (a, units == ArgUnits::Twice),
            (Some(a), None) => (a, false),
            (None, None) => {
                return Err(DiagnosisError::invalid(w, "no \"twice_args\" or \"args\""))
            }
        };
        let Json::Arr(args) = args else {
            return Err(DiagnosisError::invalid(w, "arguments are not an array"));
        };
        let row = args
            .iter()
            .map(|x| {
                if twice {
                    parse_twice(&w, x)
                } else {
                    parse_spin(&w, x)
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        rows.push(row);
        values.push(value_of(&w, rec)?);
    }
    SymbolTable::new(kind, &rows, values, dtype)
}

/// A symbol table from CSV (see the [module](self) documentation).
///
/// # Errors
/// [`DiagnosisError::Invalid`] naming the line and column of a cell that does not parse;
/// [`DiagnosisError::Shape`] for a line with too few columns; as [`SymbolTable::new`].
///
/// # Examples
/// ```
/// use racah_proofs::diagnosis::{symbol_table_from_csv, ArgUnits, Dtype, SymbolKind};
/// let text = "tj1,tj2,tj3,tj4,tj5,tj6,sign,sq_num,sq_den,exact,f64\n2,2,2,2,2,2,1,1,36,1/6,0.16666666666666666\n";
/// let t = symbol_table_from_csv(SymbolKind::SixJ, "t.csv", text, ArgUnits::Auto, Dtype::F64)?;
/// assert_eq!(t.len(), 1);
/// let bad = symbol_table_from_csv(SymbolKind::SixJ, "t.csv", "j1,j2,j3,j4,j5,j6,value\n1,1,x,1,1,1,0.1\n",
///                                 ArgUnits::Auto, Dtype::F64);
/// assert!(bad.unwrap_err().to_string().contains("line 2"));
/// # Ok::<(), racah_proofs::diagnosis::DiagnosisError>(())
/// ```
pub fn symbol_table_from_csv(
    kind: SymbolKind,
    what: &str,
    text: &str,
    units: ArgUnits,
    dtype: Dtype,
) -> Result<SymbolTable, DiagnosisError> {
    let k = kind.arity();
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let (_, header) = lines
        .next()
        .ok_or_else(|| DiagnosisError::invalid(what, "empty CSV file"))?;
    let names: Vec<String> = header
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .collect();
    if names.len() <= k {
        return Err(DiagnosisError::shape(
            format!("{what}: header"),
            format!("{k} argument columns and a value column"),
            format!("{} columns", names.len()),
        ));
    }
    let twice = match units {
        ArgUnits::Twice => true,
        ArgUnits::Spin => false,
        ArgUnits::Auto => names[0].starts_with('t') || names[0].starts_with('T'),
    };
    let vcol = names
        .iter()
        .position(|n| n == "value" || n == "f64")
        .unwrap_or(k);
    let mut args = Vec::new();
    let mut values = Vec::new();
    for (line, l) in lines {
        let cells: Vec<&str> = l.split(',').map(|s| s.trim().trim_matches('"')).collect();
        let w = |col: usize| format!("{what}: line {line}, column {}", col + 1);
        if cells.len() <= vcol.max(k - 1) {
            return Err(DiagnosisError::shape(
                format!("{what}: line {line}"),
                format!("{} columns", names.len()),
                format!("{} columns", cells.len()),
            ));
        }
        for (c, cell) in cells.iter().take(k).enumerate() {
            args.push(if twice {
                cell.parse::<i64>().map_err(|_| {
                    DiagnosisError::invalid(
                        w(c),
                        format!("cannot parse {cell:?} as a doubled spin"),
                    )
                })?
            } else {
                parse_spin_text(&w(c), cell)?
            });
        }
        let v = cells[vcol];
        values.push(v.parse::<f64>().map_err(|_| {
            DiagnosisError::invalid(w(vcol), format!("cannot parse {v:?} as a number"))
        })?);
        if !values[values.len() - 1].is_finite() {
            return Err(DiagnosisError::NonFinite {
                what: what.to_string(),
                at: format!("line {line}"),
                value: values[values.len() - 1],
            });
        }
    }
    SymbolTable::from_flat(kind, args, values, dtype)
}

/// Parses a key `l1,l2,l3` or `l1_l2_l3`.
pub(crate) fn parse_triple(key: &str) -> Option<[u32; 3]> {
    let parts: Vec<&str> = key.split([',', '_']).map(str::trim).collect();
    if parts.len() != 3 {
        return None;
    }
    let mut l = [0u32; 3];
    for (x, p) in l.iter_mut().zip(&parts) {
        *x = p.parse().ok()?;
    }
    Some(l)
}

/// A real-CG block from a key and an array, checking the rank.
///
/// # Errors
/// [`DiagnosisError::Invalid`] for a key that is not `l1,l2,l3` / `l1_l2_l3`;
/// [`DiagnosisError::Shape`] for an array that is not of rank 3.
pub fn real_cg_block(
    what: &str,
    key: &str,
    shape: &[usize],
    values: Vec<f64>,
) -> Result<RealCgBlock, DiagnosisError> {
    let l = parse_triple(key).ok_or_else(|| {
        DiagnosisError::invalid(
            what,
            format!("key {key:?} is not \"l1,l2,l3\" or \"l1_l2_l3\""),
        )
    })?;
    if shape.len() != 3 {
        return Err(DiagnosisError::shape(
            format!("{what}: {key}"),
            "a 3-dimensional array (2l1+1, 2l2+1, 2l3+1)",
            format!("{shape:?}"),
        ));
    }
    Ok(RealCgBlock {
        l,
        shape: [shape[0], shape[1], shape[2]],
        values,
    })
}

/// A real-CG table from JSON `{"l1,l2,l3": nested array, …}`.
///
/// # Errors
/// As [`named_arrays_from_json`], [`real_cg_block`] and [`RealCgTable::new`].
///
/// # Examples
/// ```
/// use racah_proofs::diagnosis::{real_cg_table_from_json, Dtype};
/// let t = real_cg_table_from_json("t.json", r#"{"_meta": 1, "0,0,0": [[[1.0]]]}"#, Dtype::F64)?;
/// assert_eq!(t.blocks().len(), 1);
/// # Ok::<(), racah_proofs::diagnosis::DiagnosisError>(())
/// ```
pub fn real_cg_table_from_json(
    what: &str,
    text: &str,
    dtype: Dtype,
) -> Result<RealCgTable, DiagnosisError> {
    let arrays = named_arrays_from_json(what, text)?;
    let blocks = arrays
        .into_iter()
        .map(|(k, shape, v)| real_cg_block(what, &k, &shape, v))
        .collect::<Result<Vec<_>, _>>()?;
    RealCgTable::new(blocks, dtype)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse_triple() {
        assert_eq!(parse_triple("1,2,3"), Some([1, 2, 3]));
        assert_eq!(parse_triple("4_4_0"), Some([4, 4, 0]));
        assert_eq!(parse_triple("1,2"), None);
        assert_eq!(parse_triple("a,b,c"), None);
    }

    #[test]
    fn json_errors_name_the_problem() {
        let e = named_arrays_from_json("f.json", r#"{"a": [1.0, NaN]}"#).unwrap_err();
        assert!(e.to_string().contains("NaN"), "{e}");
        let e = named_arrays_from_json("f.json", r#"{"a": [[1.0], ["x"]]}"#).unwrap_err();
        assert!(e.to_string().contains("f.json: a[1][0]"), "{e}");
        let e = symbol_table_from_json(
            SymbolKind::Cg,
            "f.json",
            r#"{"kind": "6j", "rows": []}"#,
            ArgUnits::Auto,
            Dtype::F64,
        )
        .unwrap_err();
        assert!(e.to_string().contains("6j table, checked as cg"), "{e}");
        let e = symbol_table_from_json(
            SymbolKind::Cg,
            "f.json",
            r#"[{"args": [1, 2.3, 1, 0, 1, 0], "value": 1}]"#,
            ArgUnits::Auto,
            Dtype::F64,
        )
        .unwrap_err();
        assert!(e.to_string().contains("2.3"), "{e}");
    }

    #[test]
    fn json_columns_layout() {
        let text = r#"{"twice_args": [[2,2,2,2,2,2]], "values": [0.16666666666666666]}"#;
        let t = symbol_table_from_json(SymbolKind::SixJ, "f", text, ArgUnits::Auto, Dtype::F32)
            .unwrap();
        assert_eq!(t.row(0), &[2; 6]);
    }

    #[test]
    fn csv_in_spins() {
        let text = "# sympy\nj1,j2,J,m1,m2,M,value\n1/2,1/2,1,0.5,-0.5,0,0.7071067811865476\n\n";
        let t =
            symbol_table_from_csv(SymbolKind::Cg, "f", text, ArgUnits::Auto, Dtype::F64).unwrap();
        assert_eq!(t.row(0), &[1, 1, 2, 1, -1, 0]);
        let e = symbol_table_from_csv(
            SymbolKind::Cg,
            "f",
            "j1,j2,J,m1,m2,M,value\n1,1,1,0,0\n",
            ArgUnits::Auto,
            Dtype::F64,
        )
        .unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = symbol_table_from_csv(
            SymbolKind::Cg,
            "f",
            "j1,j2,J,m1,m2,M,value\n1,1,1,0,0,0,nan\n",
            ArgUnits::Auto,
            Dtype::F64,
        )
        .unwrap_err();
        assert!(matches!(e, DiagnosisError::NonFinite { .. }), "{e}");
    }
}
