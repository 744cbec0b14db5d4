//! 9j benches: every admissible 9j with integer j ≤ 4 and a sample with j ≤ 6.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use racah_exact::NineJ;

fn bench(c: &mut Criterion) {
    for (j, stride) in [(4, 1usize), (6, 10)] {
        let list: Vec<NineJ> = common::nine_j_integer(j)
            .into_iter()
            .step_by(stride)
            .map(|t| NineJ::from_twice(t).unwrap())
            .collect();
        let n = list.len() as u64;
        let mut g = c.benchmark_group("nine_j/f64");
        g.throughput(Throughput::Elements(n));
        g.bench_function(BenchmarkId::new("j_max", j), |b| {
            b.iter(|| list.iter().map(|s| s.value_f64()).sum::<f64>())
        });
        g.finish();
        let mut g = c.benchmark_group("nine_j/exact");
        g.throughput(Throughput::Elements(n));
        g.bench_function(BenchmarkId::new("j_max", j), |b| {
            b.iter(|| list.iter().map(|s| s.value().sign()).sum::<i32>())
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
