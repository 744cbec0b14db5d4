//! `racah count`: exact counts of independent equivariant maps — symmetric couplings
//! Sym^ν(V) → L, multiplicities in tensor products, and Molien dimensions of permutation-invariant
//! equivariant polynomials of n neighbour positions.

use anyhow::{bail, Context, Result};
use clap::{ArgGroup, Args};
use racah_core::{Irrep, Irreps, Parity, Spin};
use racah_numeric::network::Network;
use racah_proofs::counting::{
    layer_feature_rank, model_economy, product_character, symmetric_powers, LayerRankRow,
    MolienSeries, O3Character, LAYER_RANK_GAP, ZERO_TERM,
};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Options of `racah count`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("mode").required(true)
    .args(["irreps", "product", "neighbours", "model"])))]
#[command(after_help = "\
Modes (exactly one):
  --irreps V --nu N        independent symmetric couplings Sym^nu(V) -> L for nu = 1..=N, per
                           channel (V = one channel, e.g. 0e+1o+2e); a fusion block of body
                           order nu is complete for L when its paths span this many maps
  --product L1,L2,...      multiplicity of every L in L1 x L2 x ... (with parity)
  --neighbours N --degree D
                           independent S_N x O(3)-equivariant polynomial maps of N neighbour
                           positions (R^3)^N -> L, per degree 0..=D and cumulated (Molien series)
  --model FILE.toml        parameter economy of a network (TOML, as for `racah certify`):
                           per layer, parameters against the rank its product layer spans and
                           the exact count of symmetric couplings, as described (A) and with
                           the product replaced by a (non-)parsimonious fusion block (B); and
                           the rank of every layer's features (per term, channels as functions
                           of random neighbourhoods): a rank below the channels is wasted width

All counts are exact integers (characters, cycle index, Molien series; no floating point);
ranks (--model) are numerical, with the residuals on both sides of the gap reported.

Examples:
  racah count --irreps 0e+1o+2e --nu 3
  racah count --product 1o,1o,2e
  racah count --neighbours 3 --degree 6 --lmax-out 4 --json
  racah count --model examples/mace-small.toml")]
pub struct CountArgs {
    /// Irreps of one channel V (e3nn grammar), for symmetric powers.
    #[arg(long, value_name = "IRREPS", requires = "nu")]
    pub irreps: Option<Irreps>,
    /// Largest symmetric power ν (with --irreps).
    #[arg(long, value_name = "N", requires = "irreps")]
    pub nu: Option<usize>,
    /// Comma-separated irreps whose tensor product is decomposed, e.g. 1o,1o,2e.
    #[arg(long, value_name = "L1,L2,...", value_delimiter = ',')]
    pub product: Option<Vec<Irrep>>,
    /// Number of neighbours n (with --degree).
    #[arg(long, value_name = "N", requires = "degree")]
    pub neighbours: Option<usize>,
    /// Largest polynomial degree (with --neighbours).
    #[arg(long, value_name = "D", requires = "neighbours")]
    pub degree: Option<u32>,
    /// Largest output l shown (both parities) for --irreps and --neighbours.
    #[arg(long, value_name = "L", default_value_t = 4)]
    pub lmax_out: u32,
    /// A network description (TOML): its parameter economy, layer by layer.
    #[arg(long, value_name = "FILE.toml")]
    pub model: Option<PathBuf>,
    /// Machine-readable JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `racah count`.
pub fn run(args: CountArgs) -> Result<ExitCode> {
    let out = if let Some(path) = &args.model {
        return run_model(path, args.json);
    } else if let (Some(v), Some(nu)) = (&args.irreps, args.nu) {
        sym_table(v, nu, args.lmax_out)?
    } else if let Some(factors) = &args.product {
        product(factors)
    } else if let (Some(n), Some(d)) = (args.neighbours, args.degree) {
        molien(n, d, args.lmax_out)?
    } else {
        bail!("choose one of --irreps/--nu, --product, --neighbours/--degree, --model");
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&out.json)?);
    } else {
        print!("{}", out.text);
    }
    Ok(ExitCode::SUCCESS)
}

/// Neighbours around the centre of each random neighbourhood (`--model`).
const RANK_NEIGHBOURS: usize = 4;

/// Seed of the random neighbourhoods (`--model`).
const RANK_SEED: u64 = 1;

/// `--model FILE.toml`: the network's parameter economy ([`model_economy`]): per layer, the
/// parameters, the product paths, the rank they span per body order and output irrep, the
/// exact count and the redundant paths, as described and for the variant, side by side; then
/// the rank of every layer's features on random neighbourhoods ([`layer_feature_rank`]).
fn run_model(path: &Path, json: bool) -> Result<ExitCode> {
    let net = Network::from_path(path)?;
    let report = model_economy(&net).with_context(|| format!("--model {}", path.display()))?;
    // a 0e term has one row per neighbourhood: twice the channels, and some to spare
    let samples = 2 * net.spec().channels() + 8;
    let ranks = layer_feature_rank(&net, samples, RANK_NEIGHBOURS, RANK_SEED)
        .with_context(|| format!("--model {}: layer ranks", path.display()))?;
    let deficient = ranks.iter().filter(|r| !r.is_full()).count();
    if json {
        let mut value = serde_json::to_value(&report)?;
        let (p, r) = (report.parsimonious_side(), report.reference_side());
        if let Value::Object(map) = &mut value {
            let side = if std::ptr::eq(p, &report.described) {
                "described"
            } else {
                "variant"
            };
            map.insert("parsimonious_side".into(), json!(side));
            map.insert("equal_rank".into(), json!(p.ranks() == r.ranks()));
            map.insert("parsimony_pays".into(), json!(report.parsimony_pays()));
            map.insert(
                "layer_rank".into(),
                json!({
                    "samples": samples,
                    "neighbours": RANK_NEIGHBOURS,
                    "seed": RANK_SEED,
                    "gap": LAYER_RANK_GAP,
                    "zero_term": ZERO_TERM,
                    "full": deficient == 0,
                    "rows": serde_json::to_value(&ranks)?,
                }),
            );
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!("{report}");
        print!("{}", layer_rank_text(&ranks, samples, deficient));
    }
    Ok(ExitCode::SUCCESS)
}

/// The `--model` section on layer ranks, as text.
fn layer_rank_text(ranks: &[LayerRankRow], samples: usize, deficient: usize) -> String {
    let mut text = format!(
        "\nrank of layer features on random neighbourhoods ({samples} samples of a centre and \
         {RANK_NEIGHBOURS} neighbours, seed {RANK_SEED})\n\
         per term, the rank of its channels as functions of the neighbourhood; size = largest \
         channel / largest of the layer output (ZERO at most {ZERO_TERM:e});\n\
         kept/dropped = pivoted residuals relative to the term's largest channel \
         (gap {LAYER_RANK_GAP:e})\n"
    );
    for r in ranks {
        text.push_str(&format!("  {r}\n"));
    }
    text.push_str(&if deficient == 0 {
        format!(
            "verdict: every term of every layer is full rank ({} terms)\n",
            ranks.len()
        )
    } else {
        format!(
            "verdict: {deficient} of {} terms have rank below their channels (wasted width)\n",
            ranks.len()
        )
    });
    text
}

/// A result both as a text table and as JSON.
struct Output {
    text: String,
    json: Value,
}

/// An exact count as a JSON number when it fits in u64, else a decimal string.
fn num(n: &racah_proofs::counting::Integer) -> Value {
    n.to_u64()
        .map_or_else(|| json!(n.to_string()), |v| json!(v))
}

/// The output columns: l = 0..=lmax with the natural parity (−1)^l first, then the other; with
/// half-integer spins 1/2 … too when `half` (parity e then o).
fn columns(lmax: u32, half: bool) -> Vec<Irrep> {
    let mut cols = Vec::new();
    for tj in 0..=2 * lmax {
        if tj % 2 == 1 && !half {
            continue;
        }
        let j = Spin::from_twice(tj);
        let first = if tj % 2 == 0 {
            Parity::of_harmonic(tj / 2)
        } else {
            Parity::Even
        };
        let second = if first == Parity::Even {
            Parity::Odd
        } else {
            Parity::Even
        };
        cols.push(Irrep::new(j, first));
        cols.push(Irrep::new(j, second));
    }
    cols
}

/// One table row: label, then a multiplicity per column, then the dimension and the part not
/// shown (multiplicities of irreps beyond the columns).
fn table_row(
    key: (&str, Value),
    label: &str,
    chi: &O3Character,
    cols: &[Irrep],
    text: &mut String,
) -> Map<String, Value> {
    let mut mults = Map::new();
    text.push_str(&format!("{label:>6}"));
    for c in cols {
        let m = chi.multiplicity(*c);
        text.push_str(&format!(" {m:>6}"));
        mults.insert(c.to_string(), num(&m));
    }
    let shown: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
    let hidden: racah_proofs::counting::Integer = chi
        .decompose()
        .iter()
        .filter(|(i, _)| !shown.contains(&i.to_string()))
        .map(|(_, m)| m)
        .sum();
    let dim = chi.dim();
    text.push_str(&format!(" {dim:>10} {hidden:>8}\n"));
    let mut row = Map::new();
    row.insert(key.0.into(), key.1);
    row.insert("multiplicities".into(), Value::Object(mults));
    row.insert("dim".into(), num(&dim));
    row.insert("beyond_lmax_out".into(), num(&hidden));
    row
}

fn header(first: &str, cols: &[Irrep]) -> String {
    let mut h = format!("{first:>6}");
    for c in cols {
        h.push_str(&format!(" {:>6}", c.to_string()));
    }
    h.push_str(&format!(" {:>10} {:>8}\n", "dim", "beyond"));
    h
}

fn sym_table(v: &Irreps, nu: usize, lmax: u32) -> Result<Output> {
    let half = v.iter().any(|t| !t.irrep.j().is_integer());
    let cols = columns(lmax, half);
    let mut text = format!(
        "independent symmetric couplings Sym^nu(V) -> L, V = {v} (one channel), \
         multiplicity of each L; dim = dim Sym^nu(V), beyond = irreps with l > {lmax}\n"
    );
    text.push_str(&header("nu", &cols));
    let powers = symmetric_powers(v, nu).with_context(|| format!("--nu {nu}"))?;
    let mut rows = Vec::new();
    for (k, chi) in powers.iter().enumerate().skip(1) {
        let row = table_row(("nu", json!(k)), &k.to_string(), chi, &cols, &mut text);
        rows.push(Value::Object(row));
    }
    Ok(Output {
        text,
        json: json!({"mode": "symmetric-power", "irreps": v.to_string(), "lmax_out": lmax, "rows": rows}),
    })
}

fn product(factors: &[Irrep]) -> Output {
    let chi = product_character(factors);
    let names: Vec<String> = factors.iter().map(|f| f.to_string()).collect();
    let mut text = format!(
        "{} = {}\n     L  multiplicity\n",
        if names.is_empty() {
            "0e".to_string()
        } else {
            names.join(" x ")
        },
        chi
    );
    let mut mults = Map::new();
    for (ir, m) in chi.decompose() {
        text.push_str(&format!("{:>6}  {m:>12}\n", ir.to_string()));
        mults.insert(ir.to_string(), num(&m));
    }
    text.push_str(&format!("   dim  {:>12}\n", chi.dim()));
    Output {
        text,
        json: json!({"mode": "product", "factors": names, "multiplicities": mults, "dim": num(&chi.dim())}),
    }
}

fn molien(n: usize, d: u32, lmax: u32) -> Result<Output> {
    let series =
        MolienSeries::new(n, d).with_context(|| format!("--neighbours {n} --degree {d}"))?;
    let cols = columns(lmax, false);
    let mut text = format!(
        "independent S_{n} x O(3)-equivariant polynomial maps of {n} neighbour positions -> L, \
         by degree (Molien series); dim = dim of the invariant polynomials of that degree\n"
    );
    text.push_str(&header("degree", &cols));
    let mut rows = Vec::new();
    let mut total = O3Character::zero();
    for k in 0..=d {
        let chi = series.character(k)?;
        total += chi;
        let row = table_row(("degree", json!(k)), &k.to_string(), chi, &cols, &mut text);
        rows.push(Value::Object(row));
    }
    let cumulative = table_row(
        ("up_to_degree", json!(d)),
        &format!("<={d}"),
        &total,
        &cols,
        &mut text,
    );
    Ok(Output {
        text,
        json: json!({"mode": "molien", "neighbours": n, "max_degree": d, "lmax_out": lmax,
                     "rows": rows, "cumulative": cumulative}),
    })
}
