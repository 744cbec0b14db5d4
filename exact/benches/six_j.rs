//! 6j benches: every admissible 6j with integer j ≤ 10 (exact and correctly rounded f64), and one
//! 6j with all j ≈ 1000.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use racah_exact::{FactorialCache, SixJ};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let list: Vec<SixJ> = common::six_j_integer(10)
        .into_iter()
        .map(|t| SixJ::from_twice(t[0], t[1], t[2], t[3], t[4], t[5]).unwrap())
        .collect();
    let n = list.len() as u64;
    let mut cache = FactorialCache::with_max_n(64);

    let mut g = c.benchmark_group("six_j/f64");
    g.throughput(Throughput::Elements(n));
    g.bench_function(BenchmarkId::new("j_max", 10), |b| {
        b.iter(|| list.iter().map(|s| s.value_f64()).sum::<f64>())
    });
    g.finish();

    let mut g = c.benchmark_group("six_j/exact");
    g.throughput(Throughput::Elements(n));
    g.bench_function(BenchmarkId::new("j_max", 10), |b| {
        b.iter(|| {
            list.iter()
                .map(|s| s.value_with(&mut cache).sign())
                .sum::<i32>()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("six_j/large");
    g.throughput(Throughput::Elements(1));
    let big = SixJ::from_twice(2000, 2002, 1998, 2000, 2004, 2000).unwrap();
    let mut cache = FactorialCache::with_max_n(8000);
    g.bench_function(BenchmarkId::new("exact_j", 1000), |b| {
        b.iter(|| black_box(big).value_with(&mut cache))
    });
    g.bench_function(BenchmarkId::new("f64_j", 1000), |b| {
        b.iter(|| black_box(big).value_with(&mut cache).to_f64())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
