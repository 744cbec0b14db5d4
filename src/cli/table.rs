//! `racah table`: deterministic tables of exact coefficients with correctly rounded floats, as
//! JSON, CSV or NumPy files, with a manifest of sha256 sums.

use super::eval::value_record;
use super::npy_io::{write_npz, Array};
use super::query::{Kind, Query};
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use racah_exact::SqrtRational;
use rayon::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Which table to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableKind {
    /// Clebsch–Gordan ⟨j1 m1 j2 m2|J M⟩, all admissible arguments.
    Cg,
    /// Wigner 3j symbols.
    #[value(name = "3j")]
    ThreeJ,
    /// Wigner 6j symbols.
    #[value(name = "6j")]
    SixJ,
    /// Wigner 9j symbols.
    #[value(name = "9j")]
    NineJ,
    /// e3nn real-basis coupling tensors C[l1][l2][l3].
    RealCg,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// JSON (symbols: an array of records; real-cg: {"l1,l2,l3": nested array}).
    Json,
    /// CSV with a header line.
    Csv,
    /// NumPy: one `.npz` archive.
    Npy,
}

/// Options of `racah table`.
#[derive(Debug, Args)]
#[command(after_help = "\
Symbols (cg, 3j, 6j, 9j) cover every admissible argument list with all 2j <= --max-twice-j:
each triad satisfies the triangle rule with an integer perimeter and, for cg/3j, the m's add up.
Non-trivial zeros are included. Rows are in lexicographic order of the doubled arguments.
Each record holds the doubled arguments, sign, sq_num, sq_den (value = sign*sqrt(sq_num/sq_den)),
the exact form and the correctly rounded f64.

real-cg covers all triangle triples l1, l2, l3 <= --lmax. JSON: {\"l1,l2,l3\": [2l1+1][2l2+1][2l3+1]
of f64} plus a companion *.exact.json of exact strings; CSV: the nonzero entries; npy: one .npz with
an array per triple keyed \"l1_l2_l3\".

With --out DIR the table and manifest.json (sha256 of every file) are written there; without it the
JSON or CSV table goes to standard output.

Examples:
  racah table 6j --max-twice-j 8 --format csv --out tables/
  racah table real-cg --lmax 4 --format npy --out tables/")]
pub struct TableArgs {
    /// The table.
    pub kind: TableKind,
    /// Bound on every doubled spin 2j (cg, 3j, 6j, 9j).
    #[arg(long, default_value_t = 4)]
    pub max_twice_j: u32,
    /// Bound on every l (real-cg).
    #[arg(long, default_value_t = 2)]
    pub lmax: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Output directory (required for npy).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Hide the progress bar.
    #[arg(long)]
    pub quiet: bool,
}

fn triad(a: i64, b: i64, c: i64) -> bool {
    (a + b + c) % 2 == 0 && c >= (a - b).abs() && c <= a + b
}

fn projections(tj: i64) -> impl Iterator<Item = i64> {
    (0..=tj).map(move |k| -tj + 2 * k)
}

/// Every admissible doubled argument list of a symbol with all 2j ≤ `n`, in lexicographic order.
pub fn enumerate(kind: Kind, n: i64) -> Vec<Vec<i64>> {
    let mut out = Vec::new();
    let js = 0..=n;
    match kind {
        Kind::Cg | Kind::ThreeJ => {
            for a in js.clone() {
                for b in js.clone() {
                    for c in js.clone().filter(|&c| triad(a, b, c)) {
                        for ma in projections(a) {
                            for mb in projections(b) {
                                let mc = ma + mb;
                                if mc.abs() > c {
                                    continue;
                                }
                                out.push(if kind == Kind::Cg {
                                    vec![a, ma, b, mb, c, mc]
                                } else {
                                    vec![a, b, c, ma, mb, -mc]
                                });
                            }
                        }
                    }
                }
            }
            if kind == Kind::Cg {
                out.sort();
            }
        }
        Kind::SixJ | Kind::RacahW => {
            for a in js.clone() {
                for b in js.clone() {
                    for c in js.clone().filter(|&c| triad(a, b, c)) {
                        for d in js.clone() {
                            for e in js.clone().filter(|&e| triad(d, e, c)) {
                                for f in js.clone().filter(|&f| triad(a, e, f) && triad(d, b, f)) {
                                    out.push(vec![a, b, c, d, e, f]);
                                }
                            }
                        }
                    }
                }
            }
        }
        Kind::NineJ => {
            for a in js.clone() {
                for b in js.clone() {
                    for c in js.clone().filter(|&c| triad(a, b, c)) {
                        for d in js.clone() {
                            for e in js.clone() {
                                for f in js.clone().filter(|&f| triad(d, e, f)) {
                                    for g in js.clone().filter(|&g| triad(a, d, g)) {
                                        for h in js.clone().filter(|&h| triad(b, e, h)) {
                                            for i in js
                                                .clone()
                                                .filter(|&i| triad(g, h, i) && triad(c, f, i))
                                            {
                                                out.push(vec![a, b, c, d, e, f, g, h, i]);
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

pub(super) fn progress(len: u64, quiet: bool, what: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .expect("static template")
            .progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}

fn sha256_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(format!("{:x}", Sha256::digest(&bytes)))
}

fn kind_of(t: TableKind) -> Option<Kind> {
    match t {
        TableKind::Cg => Some(Kind::Cg),
        TableKind::ThreeJ => Some(Kind::ThreeJ),
        TableKind::SixJ => Some(Kind::SixJ),
        TableKind::NineJ => Some(Kind::NineJ),
        TableKind::RealCg => None,
    }
}

fn arg_names(kind: Kind) -> Vec<&'static str> {
    match kind {
        Kind::Cg => vec!["tj1", "tm1", "tj2", "tm2", "tJ", "tM"],
        Kind::ThreeJ => vec!["tj1", "tj2", "tj3", "tm1", "tm2", "tm3"],
        Kind::SixJ | Kind::RacahW => vec!["tj1", "tj2", "tj3", "tj4", "tj5", "tj6"],
        Kind::NineJ => vec![
            "tj1", "tj2", "tj3", "tj4", "tj5", "tj6", "tj7", "tj8", "tj9",
        ],
    }
}

/// The files written, relative to the output directory.
struct Written {
    files: Vec<PathBuf>,
    count: usize,
}

fn write_symbol_table(
    kind: Kind,
    args: &TableArgs,
    sink: &mut dyn Write,
    dir: Option<&Path>,
) -> Result<Written> {
    let n = args.max_twice_j as i64;
    let cases = enumerate(kind, n);
    let pb = progress(cases.len() as u64, args.quiet, kind.keyword());
    let values: Vec<SqrtRational> = cases
        .par_iter()
        .map(|t| {
            let v = super::eval::evaluate(&Query {
                kind,
                twice: t.clone(),
            });
            pb.inc(1);
            v
        })
        .collect::<Result<_, _>>()?;
    pb.finish_and_clear();
    let stem = format!("{}_2j_le_{}", kind.keyword(), n);
    let names = arg_names(kind);
    let mut files = Vec::new();
    match args.format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = cases
                .iter()
                .zip(&values)
                .map(|(t, v)| {
                    let mut m = serde_json::Map::new();
                    m.insert("twice_args".into(), json!(t));
                    m.extend(value_record(v));
                    serde_json::Value::Object(m)
                })
                .collect();
            let doc = json!({
                "kind": kind.keyword(),
                "max_twice_j": n,
                "arguments": names,
                "convention": "CONVENTIONS.md (Condon-Shortley; value = sign*sqrt(sq_num/sq_den))",
                "rows": rows,
            });
            emit(dir, &format!("{stem}.json"), sink, &mut files, |w| {
                serde_json::to_writer(&mut *w, &doc)?;
                writeln!(w)?;
                Ok(())
            })?;
        }
        Format::Csv => {
            emit(dir, &format!("{stem}.csv"), sink, &mut files, |w| {
                writeln!(w, "{},sign,sq_num,sq_den,exact,f64", names.join(","))?;
                for (t, v) in cases.iter().zip(&values) {
                    let ts: Vec<String> = t.iter().map(|x| x.to_string()).collect();
                    writeln!(
                        w,
                        "{},{},{},{},{},{}",
                        ts.join(","),
                        v.sign(),
                        v.sq_num(),
                        v.sq_den(),
                        v,
                        serde_json::to_string(&v.to_f64())?
                    )?;
                }
                Ok(())
            })?;
        }
        Format::Npy => {
            let dir = dir.context("--format npy needs --out DIR")?;
            let k = names.len() as u64;
            let arrays = vec![
                Array::I64 {
                    name: "twice_args".into(),
                    shape: vec![cases.len() as u64, k],
                    data: cases.iter().flatten().copied().collect(),
                },
                Array::F64 {
                    name: "f64".into(),
                    shape: vec![cases.len() as u64],
                    data: values.iter().map(|v| v.to_f64()).collect(),
                },
                Array::I64 {
                    name: "sign".into(),
                    shape: vec![cases.len() as u64],
                    data: values.iter().map(|v| v.sign() as i64).collect(),
                },
            ];
            let name = PathBuf::from(format!("{stem}.npz"));
            write_npz(&dir.join(&name), &arrays)?;
            files.push(name);
        }
    }
    Ok(Written {
        files,
        count: cases.len(),
    })
}

/// Writes to `dir/name` when a directory is given, else to `sink`.
fn emit(
    dir: Option<&Path>,
    name: &str,
    sink: &mut dyn Write,
    files: &mut Vec<PathBuf>,
    body: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match dir {
        Some(d) => {
            let path = d.join(name);
            let f = std::fs::File::create(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            let mut w = std::io::BufWriter::new(f);
            body(&mut w)?;
            w.flush()?;
            files.push(PathBuf::from(name));
        }
        None => body(sink)?,
    }
    Ok(())
}

fn write_manifest(dir: &Path, args: &TableArgs, written: &Written) -> Result<()> {
    let files = written
        .files
        .iter()
        .map(|f| {
            let p = dir.join(f);
            Ok(json!({
                "path": f.to_string_lossy(),
                "bytes": std::fs::metadata(&p)?.len(),
                "sha256": sha256_file(&p)?,
            }))
        })
        .collect::<Result<Vec<_>>>()?;
    let manifest = json!({
        "racah_version": env!("CARGO_PKG_VERSION"),
        "command": std::env::args().collect::<Vec<_>>().join(" "),
        "kind": args.kind.to_possible_value().map(|v| v.get_name().to_string()),
        "max_twice_j": args.max_twice_j,
        "lmax": args.lmax,
        "format": format!("{:?}", args.format).to_lowercase(),
        "entries": written.count,
        "conventions": "CONVENTIONS.md",
        "files": files,
    });
    let path = dir.join("manifest.json");
    std::fs::write(&path, serde_json::to_string_pretty(&manifest)? + "\n")
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Runs `racah table`.
pub fn run(args: TableArgs) -> Result<ExitCode> {
    if args.format == Format::Npy && args.out.is_none() {
        bail!("--format npy needs --out DIR");
    }
    if let Some(d) = &args.out {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let stdout = std::io::stdout();
    let mut sink = std::io::BufWriter::new(stdout.lock());
    let written = match kind_of(args.kind) {
        Some(kind) => write_symbol_table(kind, &args, &mut sink, args.out.as_deref())?,
        None => {
            super::table_real::write_real_cg_table(&args, &mut sink, args.out.as_deref())?.into()
        }
    };
    sink.flush()?;
    if let Some(d) = &args.out {
        write_manifest(d, &args, &written)?;
        eprintln!(
            "racah table: {} entries in {} file(s) under {}",
            written.count,
            written.files.len(),
            d.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

impl From<(Vec<PathBuf>, usize)> for Written {
    fn from((files, count): (Vec<PathBuf>, usize)) -> Self {
        Written { files, count }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumeration_counts() {
        let integer = |t: &Vec<i64>| t.iter().all(|x| x % 2 == 0);
        // 6j with integer j <= 10: 254 395 triangle-valid symbols (conventions-reference 3.1)
        let six = enumerate(Kind::SixJ, 20);
        assert_eq!(six.iter().filter(|t| integer(t)).count(), 254_395);
        // CG with l <= 10 (integer and half-integer j up to 10): 72 809 with integer l only
        let cg_int = enumerate(Kind::Cg, 20)
            .into_iter()
            .filter(|t| t[0] % 2 == 0 && t[2] % 2 == 0)
            .count();
        assert_eq!(cg_int, 72_809);
        // 9j with integer j <= 4: 109 631 triangle-valid symbols
        let nine = enumerate(Kind::NineJ, 8);
        assert_eq!(nine.iter().filter(|t| integer(t)).count(), 109_631);
    }

    #[test]
    fn enumeration_is_sorted_and_admissible() {
        for kind in [Kind::Cg, Kind::ThreeJ, Kind::SixJ, Kind::NineJ] {
            let e = enumerate(kind, 4);
            assert!(e.windows(2).all(|w| w[0] < w[1]), "{kind:?}");
            assert!(!e.is_empty());
        }
    }
}
