//! `racah table real-cg`: e3nn real-basis coupling tensors C[l1][l2][l3] for all triangle triples
//! with every l ≤ `--lmax` (see `CONVENTIONS.md#real-basis`).

use super::npy_io::{write_npz, Array};
use super::table::{Format, TableArgs};
use anyhow::{Context, Result};
use racah_exact::{real_cg, RealCgTensor};
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

/// All triangle triples (l1, l2, l3) with every l ≤ lmax, in lexicographic order.
pub fn triples(lmax: u32) -> Vec<[u32; 3]> {
    let mut v = Vec::new();
    for l1 in 0..=lmax {
        for l2 in 0..=lmax {
            for l3 in l1.abs_diff(l2)..=(l1 + l2).min(lmax) {
                v.push([l1, l2, l3]);
            }
        }
    }
    v
}

/// Nests a row-major [a][b][c] array as JSON.
fn nested<T: Clone + Into<Value>>(shape: [usize; 3], flat: &[T]) -> Value {
    let [_, n2, n3] = shape;
    Value::Array(
        flat.chunks(n2 * n3)
            .map(|plane| {
                Value::Array(
                    plane
                        .chunks(n3)
                        .map(|row| Value::Array(row.iter().cloned().map(Into::into).collect()))
                        .collect(),
                )
            })
            .collect(),
    )
}

fn key(t: [u32; 3], sep: &str) -> String {
    format!("{}{sep}{}{sep}{}", t[0], t[1], t[2])
}

/// Writes the real-basis tables; returns the files written and the number of tensors.
pub fn write_real_cg_table(
    args: &TableArgs,
    sink: &mut dyn Write,
    dir: Option<&Path>,
) -> Result<(Vec<PathBuf>, usize)> {
    let ts = triples(args.lmax);
    let pb = super::table::progress(ts.len() as u64, args.quiet, "real-cg");
    let tensors: Vec<RealCgTensor> = ts
        .par_iter()
        .map(|t| {
            let c = real_cg(t[0], t[1], t[2]);
            pb.inc(1);
            c.with_context(|| format!("real_cg{t:?}"))
        })
        .collect::<Result<_>>()?;
    pb.finish_and_clear();
    let stem = format!("real_cg_lmax_{}", args.lmax);
    let mut files = Vec::new();
    match args.format {
        Format::Json => {
            let mut floats = Map::new();
            let mut exact = Map::new();
            for (t, c) in ts.iter().zip(&tensors) {
                floats.insert(key(*t, ","), nested(c.shape(), &c.to_f64()));
                let strings: Vec<String> = c.iter().map(|(_, v)| v.to_string()).collect();
                exact.insert(key(*t, ","), nested(c.shape(), &strings));
            }
            match dir {
                Some(d) => {
                    for (name, doc) in [
                        (format!("{stem}.json"), Value::Object(floats)),
                        (format!("{stem}.exact.json"), Value::Object(exact)),
                    ] {
                        let path = d.join(&name);
                        std::fs::write(&path, serde_json::to_string(&doc)? + "\n")
                            .with_context(|| format!("writing {}", path.display()))?;
                        files.push(PathBuf::from(name));
                    }
                }
                None => writeln!(sink, "{}", Value::Object(floats))?,
            }
        }
        Format::Csv => {
            let mut body = String::from("l1,l2,l3,a,b,c,exact,f64\n");
            for (t, c) in ts.iter().zip(&tensors) {
                for (a, b, k, v) in c.nonzeros() {
                    body.push_str(&format!(
                        "{},{},{},{a},{b},{k},{v},{}\n",
                        t[0],
                        t[1],
                        t[2],
                        serde_json::to_string(&v.to_f64())?
                    ));
                }
            }
            match dir {
                Some(d) => {
                    let name = format!("{stem}.csv");
                    std::fs::write(d.join(&name), body)?;
                    files.push(PathBuf::from(name));
                }
                None => sink.write_all(body.as_bytes())?,
            }
        }
        Format::Npy => {
            let d = dir.context("--format npy needs --out DIR")?;
            let arrays: Vec<Array> = ts
                .iter()
                .zip(&tensors)
                .map(|(t, c)| Array::F64 {
                    name: key(*t, "_"),
                    shape: c.shape().iter().map(|&n| n as u64).collect(),
                    data: c.to_f64(),
                })
                .collect();
            let name = format!("{stem}.npz");
            write_npz(&d.join(&name), &arrays)?;
            files.push(PathBuf::from(name));
        }
    }
    Ok((files, ts.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triples_are_triangles() {
        let t = triples(2);
        assert_eq!(t.first(), Some(&[0, 0, 0]));
        assert!(t.contains(&[1, 1, 2]) && !t.contains(&[2, 2, 4]) && !t.contains(&[0, 1, 0]));
        assert!(t.iter().all(|&[a, b, c]| c >= a.abs_diff(b) && c <= a + b));
    }

    #[test]
    fn nested_json_has_the_tensor_shape() {
        let c = real_cg(1, 1, 2).unwrap();
        let v = nested(c.shape(), &c.to_f64());
        assert_eq!(v.as_array().unwrap().len(), 3);
        assert_eq!(v[0].as_array().unwrap().len(), 3);
        assert_eq!(v[0][0].as_array().unwrap().len(), 5);
        // conventions-reference 3.3: C[1,1,2][1,1,2] = 2/sqrt(30)
        assert_eq!(v[1][1][2].as_f64().unwrap(), c.get(1, 1, 2).to_f64());
    }
}
