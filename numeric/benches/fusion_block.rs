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

fn benches(c: &mut Criterion) {
    bench::<f32>(c);
    bench::<f64>(c);
}

criterion_group!(fusion_block, benches);
criterion_main!(fusion_block);
