//! Fusion block of body order 3 against the same computation as chained pairwise products.
//!
//! `cargo bench -p racah-numeric --bench fusion_block`; `RACAH_BENCH_FB_BATCH` sets the batch
//! (default 10 000 rows). Input and output `32x0e+32x1o+32x2e` (l_max 2, 32 channels), f32 and
//! f64; throughput in rows.
//!
//! - `shared/parsimonious`: the MACE-style block (sorted leaves, one path per independent
//!   symmetric coupling, 27 paths), prefix trie.
//! - `shared/sorted`: all sorted-leaf paths (35), prefix trie.
//! - `unshared/sorted`: the same 35 paths, each evaluated as its own chain of pairwise
//!   couplings (`forward_unshared`, bit-identical output).
//! - `tp_chain`: e3nn-style chained channel-wise (`Uuu`) tensor products of racah's
//!   `TensorProduct`: `Y = A ⊗ A → every J` (pairs i1 ≤ i2), then `Y ⊗ A → out` weighted —
//!   body order 3 only (the block also does orders 1 and 2).
//!
//! Group `mace_sc/{f32,f64}/threads_N` (N = rayon's pool size: run once with
//! `RAYON_NUM_THREADS=1` and once with `2`): MACE's symmetric contraction
//! ([`FusionBlock::mace_symmetric_contraction`], correlation 3, 32 channels, 3 elements, seeded
//! species) with input `32x0e+32x1o+32x2e` (`l_max2`) or `32x0e+32x1o+32x2e+32x3o` (`l_max3`)
//! and output `32x0e` or `32x0e+32x1o`, the shapes of `bench/mace_sc_timing.py`. Only this
//! group: `cargo bench -p racah-numeric --bench fusion_block -- mace_sc`. It also writes the
//! path counts, FLOPs per row and, for the span check against mace-torch, every path's
//! unweighted value on one channel of 40 seeded inputs to `bench/out/racah_mace_sc_meta.json`
//! for `bench/compare_mace.py`.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use racah_core::{Irrep, Irreps, MulIrrep};
use racah_numeric::{
    ConnectionMode, Float, FusionBlock, FusionBlockOptions, Instruction, IrrepsArray, LeafOrder,
    TensorProduct, TensorProductOptions, Weights,
};
use rand::{Rng, SeedableRng};
use std::hint::black_box;

const SPEC: &str = "32x0e+32x1o+32x2e";

fn batch() -> usize {
    std::env::var("RACAH_BENCH_FB_BATCH")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000)
}

fn values<T: Float>(n: usize, seed: u64) -> Vec<T> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| T::from_f64((rng.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 0.5))
        .collect()
}

/// `A ⊗ A → Y` (unweighted) and `Y ⊗ A → out` (weighted), channel-wise.
fn tp_chain<T: Float>(a: &Irreps, out: &Irreps) -> (TensorProduct<T>, TensorProduct<T>) {
    let terms: Vec<MulIrrep> = a.iter().copied().collect();
    let mul = terms[0].mul;
    let mut y = Irreps::default();
    let mut ins1 = Vec::new();
    for (i1, t1) in terms.iter().enumerate() {
        for (i2, t2) in terms.iter().enumerate().skip(i1) {
            let (l1, l2) = (t1.irrep.as_l().unwrap(), t2.irrep.as_l().unwrap());
            for l in l1.abs_diff(l2)..=l1 + l2 {
                ins1.push(Instruction::new(
                    i1,
                    i2,
                    y.len(),
                    ConnectionMode::Uuu,
                    false,
                ));
                y.push(MulIrrep::new(
                    mul,
                    Irrep::l(l, t1.irrep.parity() * t2.irrep.parity()),
                ));
            }
        }
    }
    let mut ins2 = Vec::new();
    for (iy, ty) in y.iter().enumerate() {
        for (ia, ta) in terms.iter().enumerate() {
            for (io, to) in out.iter().enumerate() {
                let (l1, l2, l3) = (
                    ty.irrep.as_l().unwrap(),
                    ta.irrep.as_l().unwrap(),
                    to.irrep.as_l().unwrap(),
                );
                if ty.irrep.parity() * ta.irrep.parity() == to.irrep.parity()
                    && l3 >= l1.abs_diff(l2)
                    && l3 <= l1 + l2
                {
                    ins2.push(Instruction::new(iy, ia, io, ConnectionMode::Uuu, true));
                }
            }
        }
    }
    let opts = TensorProductOptions::default();
    let tp1 = TensorProduct::new(a, a, &y, ins1, opts).unwrap();
    let tp2 = TensorProduct::new(&y, a, out, ins2, opts).unwrap();
    (tp1, tp2)
}

fn bench<T: Float>(c: &mut Criterion) {
    let mut group = c.benchmark_group(format!("fusion_block/{}", T::NAME));
    group.sample_size(10);
    let n = batch();
    group.throughput(Throughput::Elements(n as u64));
    let irreps: Irreps = SPEC.parse().unwrap();
    let x = IrrepsArray::new(irreps.clone(), n, values::<T>(n * irreps.dim(), 1)).unwrap();
    for (name, pars) in [("parsimonious", true), ("sorted", false)] {
        let b = FusionBlock::<T>::new(
            &irreps,
            3,
            &irreps,
            FusionBlockOptions::new(LeafOrder::Sorted, pars),
        )
        .unwrap();
        let w = values::<T>(b.weight_numel(), 2);
        group.bench_function(BenchmarkId::new("shared", name), |bch| {
            bch.iter(|| black_box(b.forward(black_box(&x), &w).unwrap()))
        });
        if !pars {
            group.bench_function(BenchmarkId::new("unshared", name), |bch| {
                bch.iter(|| black_box(b.forward_unshared(black_box(&x), &w).unwrap()))
            });
        }
    }
    let (tp1, tp2) = tp_chain::<T>(&irreps, &irreps);
    let w = values::<T>(tp2.weight_numel(), 3);
    group.bench_function(BenchmarkId::new("tp_chain", "uuu"), |bch| {
        bch.iter(|| {
            let y = tp1
                .apply(black_box(x.data()), x.data(), Weights::None)
                .unwrap();
            black_box(tp2.apply(&y, x.data(), Weights::Shared(&w)).unwrap())
        })
    });
    group.finish();
}

/// MACE shapes: (id, input irreps, output irreps).
const MACE_SHAPES: [(&str, &str, &str); 4] = [
    ("l_max2", "32x0e+32x1o+32x2e", "32x0e"),
    ("l_max2", "32x0e+32x1o+32x2e", "32x0e+32x1o"),
    ("l_max3", "32x0e+32x1o+32x2e+32x3o", "32x0e"),
    ("l_max3", "32x0e+32x1o+32x2e+32x3o", "32x0e+32x1o"),
];

const MACE_CORRELATION: usize = 3;
const MACE_ELEMENTS: usize = 3;
/// Inputs of the span check (`bench/compare_mace.py`).
const SPAN_SAMPLES: usize = 40;

fn threads() -> usize {
    #[cfg(feature = "rayon")]
    {
        rayon::current_num_threads()
    }
    #[cfg(not(feature = "rayon"))]
    {
        1
    }
}

/// Per shape: paths per (output irrep, body order), weights and FLOPs per row, as JSON.
fn mace_meta() -> serde_json::Value {
    let mut shapes = Vec::new();
    for (id, i, o) in MACE_SHAPES {
        let b = FusionBlock::<f64>::mace_symmetric_contraction(
            &i.parse().unwrap(),
            &o.parse().unwrap(),
            MACE_CORRELATION,
            MACE_ELEMENTS,
        )
        .unwrap();
        let mut counts = serde_json::Map::new();
        for t in b.irreps_out().iter() {
            let per_nu: Vec<usize> = (1..=MACE_CORRELATION)
                .map(|nu| {
                    b.paths()
                        .iter()
                        .filter(|p| p.output() == t.irrep && p.body_order() == nu)
                        .count()
                })
                .collect();
            counts.insert(t.irrep.to_string(), serde_json::json!(per_nu));
        }
        // span check: one channel, seeded inputs, every path's unweighted value
        let one = one_channel(i);
        let b1 = FusionBlock::<f64>::mace_symmetric_contraction(
            &one,
            &one_channel(o),
            MACE_CORRELATION,
            1,
        )
        .unwrap();
        assert_eq!(b1.num_paths(), b.num_paths());
        let samples = SPAN_SAMPLES;
        let inputs: Vec<f64> = values(samples * one.dim(), 7);
        let x = IrrepsArray::new(one.clone(), samples, inputs.clone()).unwrap();
        let mut per_path = vec![Vec::new(); b1.num_paths()];
        for row in 0..samples {
            for (v, p) in per_path.iter_mut().zip(b1.path_values(&x, row, 0).unwrap()) {
                v.extend(p);
            }
        }
        let span_paths: Vec<serde_json::Value> = b1
            .paths()
            .iter()
            .zip(per_path)
            .map(|(p, v)| {
                serde_json::json!({
                    "path": p.to_string(),
                    "output": p.output().to_string(),
                    "body_order": p.body_order(),
                    "values": v,
                })
            })
            .collect();
        shapes.push(serde_json::json!({
            "span_check": {
                "inputs": inputs.chunks(one.dim()).collect::<Vec<_>>(),
                "paths": span_paths,
            },
            "id": format!("{id}/{}", out_id(b.irreps_out())),
            "irreps_in": i,
            "irreps_out": o,
            "paths_per_output_and_body_order": counts,
            "num_paths": b.num_paths(),
            "weight_numel": b.weight_numel(),
            "trie_nodes": b.num_trie_nodes(),
            "flops_per_row": b.flops_per_row(),
        }));
    }
    serde_json::json!({
        "correlation": MACE_CORRELATION,
        "num_elements": MACE_ELEMENTS,
        "shapes": shapes,
    })
}

/// `1x0e+1x1o` for `32x0e+32x1o`: one channel of the same irreps.
fn one_channel(spec: &str) -> Irreps {
    spec.split('+')
        .map(|t| format!("1x{}", t.split_once('x').unwrap().1))
        .collect::<Vec<_>>()
        .join("+")
        .parse()
        .unwrap()
}

/// `"0e+1o"` for `32x0e+32x1o`.
fn out_id(irreps: &Irreps) -> String {
    irreps
        .iter()
        .map(|t| t.irrep.to_string())
        .collect::<Vec<_>>()
        .join("+")
}

fn bench_mace<T: Float>(c: &mut Criterion) {
    let mut group = c.benchmark_group(format!("mace_sc/{}/threads_{}", T::NAME, threads()));
    group.sample_size(10);
    let n = batch();
    group.throughput(Throughput::Elements(n as u64));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
    let species: Vec<usize> = (0..n)
        .map(|_| (rng.next_u64() % MACE_ELEMENTS as u64) as usize)
        .collect();
    for (id, i, o) in MACE_SHAPES {
        let irreps: Irreps = i.parse().unwrap();
        let b = FusionBlock::<T>::mace_symmetric_contraction(
            &irreps,
            &o.parse().unwrap(),
            MACE_CORRELATION,
            MACE_ELEMENTS,
        )
        .unwrap();
        let x = IrrepsArray::new(irreps.clone(), n, values::<T>(n * irreps.dim(), 5)).unwrap();
        let w = values::<T>(b.weight_numel(), 6);
        group.bench_function(BenchmarkId::new(id, out_id(b.irreps_out())), |bch| {
            bch.iter(|| black_box(b.forward_with_species(black_box(&x), &species, &w).unwrap()))
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    let out = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/out");
    if std::fs::create_dir_all(out).is_ok() {
        let meta = serde_json::to_string_pretty(&mace_meta()).unwrap();
        let _ = std::fs::write(format!("{out}/racah_mace_sc_meta.json"), meta + "\n");
    }
    bench::<f32>(c);
    bench::<f64>(c);
    bench_mace::<f32>(c);
    bench_mace::<f64>(c);
}

criterion_group!(fusion_block, benches);
criterion_main!(fusion_block);
