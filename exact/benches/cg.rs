//! CG benches: every CG with integer l ≤ 10, one by one and as whole blocks.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use racah_core::Spin;
use racah_exact::{cg_block_f64, Cg};

fn bench(c: &mut Criterion) {
    let list: Vec<Cg> = common::cg_integer(10)
        .into_iter()
        .map(|t| Cg::from_twice(t[0], t[1], t[2], t[3], t[4], t[5]).unwrap())
        .collect();
    let n = list.len() as u64;

    let mut g = c.benchmark_group("cg/f64");
    g.throughput(Throughput::Elements(n));
    g.bench_function(BenchmarkId::new("l_max", 10), |b| {
        b.iter(|| list.iter().map(|s| s.value_f64()).sum::<f64>())
    });
    g.finish();

    let mut g = c.benchmark_group("cg/exact");
    g.throughput(Throughput::Elements(n));
    g.bench_function(BenchmarkId::new("l_max", 10), |b| {
        b.iter(|| list.iter().map(|s| s.value().sign()).sum::<i32>())
    });
    g.finish();

    let mut triples = Vec::new();
    for a in 0..=10u32 {
        for b2 in 0..=10u32 {
            for l in a.abs_diff(b2)..=(a + b2).min(10) {
                triples.push((Spin::int(a), Spin::int(b2), Spin::int(l)));
            }
        }
    }
    let mut g = c.benchmark_group("cg/block_f64");
    g.throughput(Throughput::Elements(n));
    g.bench_function(BenchmarkId::new("l_max", 10), |b| {
        b.iter(|| {
            triples
                .iter()
                .map(|&(x, y, z)| cg_block_f64(x, y, z).unwrap().len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
