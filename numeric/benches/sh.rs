//! Throughput of the batched real spherical harmonics (points per second).
//!
//! `cargo bench -p racah-numeric --bench sh`; set `RACAH_BENCH_POINTS` to change the batch
//! size (default 200 000 points; half of it for l_max = 16, to keep the gradient buffer at
//! 0.7 GB).

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use racah_numeric::{Float, ShNormalization, SphericalHarmonics};
use std::hint::black_box;

fn n_points() -> usize {
    std::env::var("RACAH_BENCH_POINTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000)
}

fn bench_type<T: Float>(c: &mut Criterion) {
    let mut group = c.benchmark_group(format!("sh/{}", T::NAME));
    group.sample_size(20);
    for l_max in [2u32, 4, 8, 16] {
        let n = if l_max < 16 {
            n_points()
        } else {
            n_points() / 2
        };
        let xyz = common::points::<T>(n, 42);
        group.throughput(Throughput::Elements(n as u64));
        let sh = SphericalHarmonics::<T>::new(l_max, ShNormalization::Component, true).unwrap();
        let mut out = vec![T::ZERO; n * sh.dim()];
        group.bench_with_input(BenchmarkId::new("l_max", l_max), &l_max, |b, _| {
            b.iter(|| sh.compute(black_box(&xyz), black_box(&mut out)))
        });
        let mut grad = vec![T::ZERO; 3 * n * sh.dim()];
        group.bench_with_input(
            BenchmarkId::new("l_max_with_gradients", l_max),
            &l_max,
            |b, _| {
                b.iter(|| {
                    sh.compute_with_gradients(black_box(&xyz), &mut out, black_box(&mut grad))
                })
            },
        );
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_type::<f64>(c);
    bench_type::<f32>(c);
}

criterion_group!(sh, benches);
criterion_main!(sh);
