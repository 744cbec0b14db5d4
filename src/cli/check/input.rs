//! Turning the files given to `racah check` into a diagnosis [`Table`].

use super::npy_read::{read_npy, read_npz, shape_text, Data, NdArray};
use super::{CheckArgs, CheckKind};
use anyhow::{anyhow, bail, Context, Result};
use racah_core::Irreps;
use racah_numeric::{
    ConnectionMode, Instruction, IrrepNormalization, PathNormalization, TensorProductOptions,
};
use racah_proofs::diagnosis::{
    named_arrays_from_json, real_cg_block, real_cg_table_from_json, symbol_table_from_csv,
    symbol_table_from_json, ArgUnits, Dtype, RealCgTable, Rotations, ShTable, SymbolKind,
    SymbolTable, Table, TpData, TpSpec, TpTable, WignerDTable,
};
use std::path::{Path, PathBuf};

/// Whether `p` names standard input (`-`), so that `racah table … | racah check KIND -` works.
fn is_stdin(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// `json` for text that starts like a JSON document, `csv` otherwise.
fn sniff(text: &str) -> &'static str {
    match text.trim_start().chars().next() {
        Some('{') | Some('[') => "json",
        _ => "csv",
    }
}

/// The file's extension, lowercase; standard input is sniffed (JSON or CSV).
fn ext(p: &Path) -> String {
    if is_stdin(p) {
        return read_text(p)
            .map(|t| sniff(&t).to_string())
            .unwrap_or_default();
    }
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn read_text(p: &Path) -> Result<String> {
    if is_stdin(p) {
        // standard input can be read once: keep it
        static STDIN: std::sync::OnceLock<std::io::Result<String>> = std::sync::OnceLock::new();
        let text = STDIN.get_or_init(|| std::io::read_to_string(std::io::stdin()));
        return match text {
            Ok(t) => Ok(t.clone()),
            Err(e) => Err(anyhow!("standard input: cannot read: {e}")),
        };
    }
    std::fs::read_to_string(p).with_context(|| format!("{}: cannot read", p.display()))
}

/// Every array of the files, in order: `.npy` (one array named by its stem), `.npz` (its
/// arrays), `.json` (an object of named arrays, read as `dtype`).
fn arrays(files: &[PathBuf], dtype: Dtype) -> Result<Vec<NdArray>> {
    let mut out = Vec::new();
    for f in files {
        match ext(f).as_str() {
            "npy" => out.push(read_npy(f)?),
            "npz" => out.extend(read_npz(f)?),
            "json" => {
                let src = f.display().to_string();
                for (name, shape, data) in named_arrays_from_json(&src, &read_text(f)?)? {
                    out.push(NdArray {
                        source: format!("{src}:{name}"),
                        name,
                        shape,
                        data: match dtype {
                            Dtype::F64 => Data::F64(data),
                            Dtype::F32 => Data::F32(data.into_iter().map(|x| x as f32).collect()),
                        },
                        dtype: "json".into(),
                    });
                }
            }
            e => bail!(
                "{}: unsupported file type {:?} (expected .npy, .npz or .json{})",
                f.display(),
                e,
                ""
            ),
        }
    }
    Ok(out)
}

/// The float dtype of a values array: f32 or f64 (integers: f64).
fn dtype_of(a: &NdArray) -> Dtype {
    if a.is_f32() {
        Dtype::F32
    } else {
        Dtype::F64
    }
}

/// Finds an array by one of its names, else takes the next unnamed one in order.
struct Picker {
    arrays: Vec<Option<NdArray>>,
}

impl Picker {
    fn new(arrays: Vec<NdArray>) -> Self {
        Picker {
            arrays: arrays.into_iter().map(Some).collect(),
        }
    }

    fn named(&mut self, names: &[&str]) -> Option<NdArray> {
        let k = self
            .arrays
            .iter()
            .position(|a| a.as_ref().is_some_and(|a| names.contains(&a.name.as_str())))?;
        self.arrays[k].take()
    }

    /// By name, else the next array whose name is not one of `reserved`.
    fn pick(&mut self, names: &[&str], reserved: &[&str]) -> Option<NdArray> {
        if let Some(a) = self.named(names) {
            return Some(a);
        }
        let k = self.arrays.iter().position(|a| {
            a.as_ref()
                .is_some_and(|a| !reserved.contains(&a.name.as_str()))
        })?;
        self.arrays[k].take()
    }

    fn rest(self) -> Vec<NdArray> {
        self.arrays.into_iter().flatten().collect()
    }
}

fn need(a: Option<NdArray>, what: &str, files: &[PathBuf]) -> Result<NdArray> {
    a.ok_or_else(|| {
        let f: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        anyhow!("{}: no {what} array found", f.join(", "))
    })
}

fn expect_shape(a: &NdArray, ok: bool, expected: &str) -> Result<()> {
    if !ok {
        bail!(
            "{}: expected shape {expected}, got {} ({})",
            a.source,
            a.shape_text(),
            a.dtype
        );
    }
    Ok(())
}

fn expect_float(a: &NdArray, what: &str) -> Result<()> {
    if matches!(a.data, Data::Int(_)) {
        bail!(
            "{}: {what} must be float32 or float64, got integer dtype {}",
            a.source,
            a.dtype
        );
    }
    Ok(())
}

fn symbol_kind(k: CheckKind) -> Option<SymbolKind> {
    Some(match k {
        CheckKind::Cg => SymbolKind::Cg,
        CheckKind::ThreeJ => SymbolKind::ThreeJ,
        CheckKind::SixJ => SymbolKind::SixJ,
        CheckKind::NineJ => SymbolKind::NineJ,
        _ => return None,
    })
}

fn symbols(kind: SymbolKind, args: &CheckArgs) -> Result<SymbolTable> {
    let files = &args.files;
    let units = args.args.units();
    let dtype = args.dtype.dtype();
    if files.len() == 1 {
        let f = &files[0];
        let src = f.display().to_string();
        match ext(f).as_str() {
            "csv" => {
                return Ok(symbol_table_from_csv(
                    kind,
                    &src,
                    &read_text(f)?,
                    units,
                    dtype,
                )?)
            }
            "json" => {
                return Ok(symbol_table_from_json(
                    kind,
                    &src,
                    &read_text(f)?,
                    units,
                    dtype,
                )?)
            }
            _ => {}
        }
    }
    let mut p = Picker::new(arrays(files, dtype)?);
    let reserved = ["sign", "sq_num", "sq_den"];
    let a = need(
        p.pick(&["twice_args", "args"], &reserved),
        "arguments (twice_args)",
        files,
    )?;
    let v = need(
        p.pick(&["values", "value", "f64"], &reserved),
        "values",
        files,
    )?;
    let k = kind.arity();
    let n = a.shape.first().copied().unwrap_or(0);
    expect_shape(
        &a,
        a.shape.len() == 2 && a.shape[1] == k,
        &format!("(N, {k})"),
    )?;
    expect_shape(&v, v.shape == [n], &format!("({n},) to match {}", a.source))?;
    expect_float(&v, "values")?;
    let spins = match units {
        ArgUnits::Spin => true,
        ArgUnits::Twice => false,
        ArgUnits::Auto => a.name == "args",
    };
    let twice = if spins {
        a.to_f64()?
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let t = 2.0 * x;
                if t.fract() == 0.0 && t.abs() < 9e15 {
                    Ok(t as i64)
                } else {
                    bail!(
                        "{}: spin {x} at {} is not a half-integer",
                        a.source,
                        a.index_text(i)
                    )
                }
            })
            .collect::<Result<Vec<_>>>()?
    } else {
        a.to_i64()?
    };
    SymbolTable::from_flat(kind, twice, v.to_f64()?, dtype_of(&v)).with_context(|| v.source.clone())
}

fn real_cg(args: &CheckArgs) -> Result<RealCgTable> {
    let files = &args.files;
    if files.len() == 1 && ext(&files[0]) == "json" {
        let f = &files[0];
        return Ok(real_cg_table_from_json(
            &f.display().to_string(),
            &read_text(f)?,
            args.dtype.dtype(),
        )?);
    }
    let arrays = arrays(files, args.dtype.dtype())?;
    let dtype = if arrays.iter().any(NdArray::is_f32) {
        Dtype::F32
    } else {
        Dtype::F64
    };
    let blocks = arrays
        .iter()
        .map(|a| {
            expect_float(a, "real-cg blocks")?;
            Ok(real_cg_block(&a.source, &a.name, &a.shape, a.to_f64()?)?)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(RealCgTable::new(blocks, dtype)?)
}

fn sh(args: &CheckArgs) -> Result<ShTable> {
    let files = &args.files;
    let mut p = Picker::new(arrays(files, args.dtype.dtype())?);
    let pts = need(
        p.pick(&["points", "xyz", "positions"], &[]),
        "points",
        files,
    )?;
    let vals = need(p.pick(&["values", "sh", "y"], &[]), "values", files)?;
    expect_shape(&pts, pts.shape.len() == 2 && pts.shape[1] == 3, "(N, 3)")?;
    let n = pts.shape[0];
    let dim = if vals.shape.len() == 2 {
        vals.shape[1]
    } else {
        0
    };
    let l = dim.isqrt();
    expect_shape(
        &vals,
        vals.shape.len() == 2 && vals.shape[0] == n && l * l == dim && dim > 0,
        &format!("({n}, (lmax+1)^2) to match {}", pts.source),
    )?;
    let l_max = (l - 1) as u32;
    if let Some(want) = args.lmax {
        if want != l_max {
            bail!(
                "{}: shape {} holds lmax = {l_max}, not --lmax {want}",
                vals.source,
                vals.shape_text()
            );
        }
    }
    expect_float(&vals, "values")?;
    ShTable::new(
        pts.to_f64()?,
        vals.to_f64()?,
        l_max,
        args.normalization.normalization(),
        !args.no_normalize,
        dtype_of(&vals),
    )
    .with_context(|| format!("{} / {}", pts.source, vals.source))
}

/// Degree of an array named `D3` / `l3` / `3`, if so named.
fn degree_of(name: &str) -> Option<u32> {
    let digits = name
        .strip_prefix('D')
        .or_else(|| name.strip_prefix('l'))
        .unwrap_or(name);
    digits.parse().ok()
}

fn wigner_d(args: &CheckArgs) -> Result<WignerDTable> {
    let files = &args.files;
    let mut p = Picker::new(arrays(files, args.dtype.dtype())?);
    let r = need(
        p.pick(&["rotations", "matrices", "R", "angles"], &[]),
        "rotations or angles",
        files,
    )?;
    let n = r.shape.first().copied().unwrap_or(0);
    let rv = r.to_f64()?;
    let rotations = if r.shape.len() == 3 && r.shape[1..] == [3, 3] {
        Rotations::Matrices(
            rv.chunks_exact(9)
                .map(|m| [[m[0], m[1], m[2]], [m[3], m[4], m[5]], [m[6], m[7], m[8]]])
                .collect(),
        )
    } else if r.shape.len() == 2 && r.shape[1] == 3 {
        Rotations::Angles(rv.chunks_exact(3).map(|a| [a[0], a[1], a[2]]).collect())
    } else {
        bail!(
            "{}: expected rotations (N, 3, 3) or e3nn angles (N, 3), got {}",
            r.source,
            r.shape_text()
        );
    };
    let mut degrees = Vec::new();
    let mut dtype = None;
    for a in p.rest() {
        expect_float(&a, "Wigner D matrices")?;
        let ok = a.shape.len() == 3 && a.shape[0] == n && a.shape[1] == a.shape[2];
        expect_shape(
            &a,
            ok,
            &format!("({n}, 2l+1, 2l+1) or ({n}, (lmax+1)^2, (lmax+1)^2)"),
        )?;
        dtype = Some(match (dtype, dtype_of(&a)) {
            (Some(Dtype::F32), _) | (_, Dtype::F32) => Dtype::F32,
            _ => Dtype::F64,
        });
        let d = a.shape[1];
        let v = a.to_f64()?;
        let named = degree_of(&a.name);
        let block_diagonal = (args.block_diagonal || a.name == "D") && named.is_none();
        if block_diagonal || d % 2 == 0 {
            let l = d.isqrt();
            if l * l != d {
                bail!(
                    "{}: a block-diagonal matrix needs (lmax+1)^2 rows, got {}",
                    a.source,
                    a.shape_text()
                );
            }
            let mut off = 0;
            for deg in 0..l {
                let k = 2 * deg + 1;
                let mut block = Vec::with_capacity(n * k * k);
                for s in 0..n {
                    for i in 0..k {
                        let row = &v[s * d * d + (off + i) * d..s * d * d + (off + i + 1) * d];
                        if let Some(j) =
                            (0..d).find(|&j| (j < off || j >= off + k) && row[j] != 0.0)
                        {
                            bail!(
                                "{}: the block-diagonal matrix of rotation {s} has a nonzero entry {} \
                                 at [{}][{j}], outside the l = {deg} block",
                                a.source, row[j], off + i
                            );
                        }
                        block.extend_from_slice(&row[off..off + k]);
                    }
                }
                degrees.push((deg as u32, block));
                off += k;
            }
        } else {
            let l = ((d - 1) / 2) as u32;
            if let Some(named) = named {
                if named != l {
                    bail!(
                        "{}: array {} has shape {}, which is degree {l}",
                        a.source,
                        a.name,
                        a.shape_text()
                    );
                }
            }
            degrees.push((l, v));
        }
    }
    if degrees.is_empty() {
        bail!(
            "{}: no Wigner D matrices given (arrays D0, D1, … or a block-diagonal D)",
            files[0].display()
        );
    }
    let dtype = dtype.unwrap_or(Dtype::F64);
    WignerDTable::new(rotations, degrees, dtype).with_context(|| r.source.clone())
}

fn parse_irreps(flag: &str, v: &Option<String>) -> Result<Irreps> {
    let s = v.as_deref().ok_or_else(|| anyhow!("tp needs {flag}"))?;
    s.parse::<Irreps>()
        .map_err(|e| anyhow!("{flag} {s:?}: {e}"))
}

/// Instructions from `--instructions`: a JSON list `[[i1, i2, i_out, "mode", has_weight,
/// path_weight?], …]`, inline or in a file.
fn parse_instructions(text: &str) -> Result<Vec<Instruction>> {
    let (src, body) = if text.trim_start().starts_with('[') {
        ("--instructions".to_string(), text.to_string())
    } else {
        (text.to_string(), read_text(Path::new(text))?)
    };
    let v: serde_json::Value =
        serde_json::from_str(&body).with_context(|| format!("{src}: not valid JSON"))?;
    let list = v
        .as_array()
        .ok_or_else(|| anyhow!("{src}: expected a JSON list of instructions"))?;
    list.iter()
        .enumerate()
        .map(|(k, ins)| {
            let bad = || anyhow!("{src}: instruction {k} is not [i1, i2, i_out, mode, has_weight, path_weight?]: {ins}");
            let a = ins.as_array().ok_or_else(bad)?;
            if a.len() < 5 {
                return Err(bad());
            }
            let idx = |x: &serde_json::Value| x.as_u64().map(|u| u as usize).ok_or_else(bad);
            let mode: ConnectionMode = a[3].as_str().ok_or_else(bad)?.parse().map_err(|e| anyhow!("{src}: instruction {k}: {e}"))?;
            let w = a[4].as_bool().ok_or_else(bad)?;
            let mut i = Instruction::new(idx(&a[0])?, idx(&a[1])?, idx(&a[2])?, mode, w);
            if let Some(pw) = a.get(5) {
                i = i.with_path_weight(pw.as_f64().ok_or_else(bad)?);
            }
            Ok(i)
        })
        .collect()
}

fn tp(args: &CheckArgs) -> Result<TpTable> {
    let files = &args.files;
    let in1 = parse_irreps("--irreps-in1", &args.irreps_in1)?;
    let in2 = parse_irreps("--irreps-in2", &args.irreps_in2)?;
    let out_ir = parse_irreps("--irreps-out", &args.irreps_out)?;
    let mut p = Picker::new(arrays(files, args.dtype.dtype())?);
    let x1 = need(
        p.pick(&["x1", "input1"], &["weights", "out", "output"]),
        "x1",
        files,
    )?;
    let x2 = need(
        p.pick(&["x2", "input2"], &["weights", "out", "output"]),
        "x2",
        files,
    )?;
    let named_w = p.named(&["weights", "w"]);
    let named_out = p.named(&["out", "output", "y"]);
    let mut rest = p.rest();
    let (weights, out) = match (named_w, named_out) {
        (w, Some(o)) => (w.or_else(|| (!rest.is_empty()).then(|| rest.remove(0))), o),
        (Some(w), None) => {
            let o = need((!rest.is_empty()).then(|| rest.remove(0)), "out", files)?;
            (Some(w), o)
        }
        (None, None) => match rest.len() {
            1 => (None, rest.remove(0)),
            2 => {
                let o = rest.remove(1);
                (Some(rest.remove(0)), o)
            }
            _ => bail!(
                "tp needs x1, x2, [weights,] out; got {} arrays after x1 and x2",
                rest.len()
            ),
        },
    };
    let instructions = match &args.instructions {
        Some(t) => parse_instructions(t)?,
        None => {
            let mode: ConnectionMode = args.mode.parse().map_err(|e| anyhow!("--mode: {e}"))?;
            let ins = TpSpec::instructions_for_mode(&in1, &in2, &out_ir, mode, weights.is_some());
            if ins.is_empty() {
                bail!("no {mode} path connects {in1} and {in2} to {out_ir}");
            }
            ins
        }
    };
    let rows = |a: &NdArray, dim: usize, what: &str| -> Result<Vec<f64>> {
        expect_float(a, what)?;
        let ok = match a.shape.as_slice() {
            [d] => *d == dim,
            [_, d] => *d == dim,
            _ => false,
        };
        expect_shape(a, ok, &format!("(N, {dim}) for {what}"))?;
        a.to_f64()
    };
    let dtype = if out.is_f32() { Dtype::F32 } else { Dtype::F64 };
    let data = TpData {
        x1: rows(&x1, in1.dim(), "x1")?,
        x2: rows(&x2, in2.dim(), "x2")?,
        weights: weights
            .as_ref()
            .map(|w| {
                expect_float(w, "weights")?;
                w.to_f64()
            })
            .transpose()?,
        out: rows(&out, out_ir.dim(), "out")?,
    };
    let spec = TpSpec {
        irreps_in1: in1,
        irreps_in2: in2,
        irreps_out: out_ir,
        instructions,
        options: TensorProductOptions {
            irrep_normalization: args.irrep_normalization.value(),
            path_normalization: args.path_normalization.value(),
        },
    };
    let names: Vec<String> = [Some(&x1), Some(&x2), weights.as_ref(), Some(&out)]
        .into_iter()
        .flatten()
        .map(|a| format!("{} {}", a.source, shape_text(&a.shape)))
        .collect();
    TpTable::new(spec, data, dtype).with_context(|| names.join(", "))
}

/// The table the files describe.
pub fn load(args: &CheckArgs) -> Result<Box<dyn Table>> {
    if let Some(kind) = symbol_kind(args.kind) {
        return Ok(Box::new(symbols(kind, args)?));
    }
    Ok(match args.kind {
        CheckKind::RealCg => Box::new(real_cg(args)?),
        CheckKind::Sh => Box::new(sh(args)?),
        CheckKind::WignerD => Box::new(wigner_d(args)?),
        _ => Box::new(tp(args)?),
    })
}

impl super::IrrepNormArg {
    fn value(self) -> IrrepNormalization {
        match self {
            super::IrrepNormArg::Component => IrrepNormalization::Component,
            super::IrrepNormArg::Norm => IrrepNormalization::Norm,
            super::IrrepNormArg::None => IrrepNormalization::None,
        }
    }
}

impl super::PathNormArg {
    fn value(self) -> PathNormalization {
        match self {
            super::PathNormArg::Element => PathNormalization::Element,
            super::PathNormArg::Path => PathNormalization::Path,
            super::PathNormArg::None => PathNormalization::None,
        }
    }
}

#[cfg(test)]
mod stdin_tests {
    use super::*;

    #[test]
    fn test_sniff() {
        assert_eq!(sniff("  {\"rows\": []}"), "json");
        assert_eq!(sniff("\n[1]"), "json");
        assert_eq!(sniff("tj1,tj2\n"), "csv");
        assert!(is_stdin(Path::new("-")) && !is_stdin(Path::new("-.json")));
    }
}
