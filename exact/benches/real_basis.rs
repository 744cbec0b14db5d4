//! Real (e3nn) basis benches: building exact real coupling tensors.
//!
//! `real_cg/l_le_10`: one tensor, the largest with l ≤ 10, (10, 10, 10).
//! `real_cg/all_l_le_10`: every triangle triple with l ≤ 10 (throughput = number of tensors,
//! so criterion's elements/s is tensors/s and time/element the mean per tensor).
//! `real_cg/f64_l_le_10`: (10, 10, 10) built and rounded to a dense f64 table.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use racah_exact::{real_cg, real_cg_with, FactorialCache};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut triples = Vec::new();
    for a in 0..=10u32 {
        for b in 0..=10u32 {
            for l in a.abs_diff(b)..=(a + b).min(10) {
                triples.push((a, b, l));
            }
        }
    }
    let mut cache = FactorialCache::new();

    let mut g = c.benchmark_group("real_cg");
    g.bench_function("l_le_10", |b| {
        b.iter(|| real_cg_with(black_box(10), 10, 10, &mut cache).unwrap())
    });
    g.bench_function("f64_l_le_10", |b| {
        b.iter(|| real_cg(black_box(10), 10, 10).unwrap().to_f64())
    });
    g.throughput(Throughput::Elements(triples.len() as u64));
    g.bench_function("all_l_le_10", |b| {
        b.iter(|| {
            triples
                .iter()
                .map(|&(x, y, z)| real_cg_with(x, y, z, &mut cache).unwrap().num_nonzeros())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
