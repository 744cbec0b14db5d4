//! Throughput of the batched real spherical harmonics (points per second).
//!
//! `cargo bench -p racah-numeric --bench sh`; set `RACAH_BENCH_POINTS` to change the batch
//! size (default 200 000 points; half of it for l_max = 16, to keep the gradient buffer at
//! 0.7 GB).
//!
//! With `RACAH_SH_SINGLE=2,8,32` (a list of l_max) the bench instead prints one line per
//! (values/gradients, l_max, dtype): nanoseconds per point, best of 60 runs over an in-cache
//! batch of `RACAH_SH_SINGLE_POINTS` points (default 1024, one rayon chunk, so one thread),
//! the same protocol as `bench/sh_side_by_side.py` uses for sphericart:
//! `racah grad=1 l=12 f64 ns=283.1`. `RACAH_SH_STORE=auto|cached|nt` picks the
//! [`StoreMode`] (default auto: non-temporal stores beyond the last-level cache).

mod common;

use criterion::{BenchmarkId, Criterion, Throughput};
use racah_numeric::{Float, ShNormalization, SphericalHarmonics, StoreMode};
use std::hint::black_box;
use std::time::Instant;

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

/// `RACAH_SH_STORE=auto|cached|nt` ([`StoreMode`]; default auto).
fn store_mode() -> StoreMode {
    match std::env::var("RACAH_SH_STORE").as_deref() {
        Ok("cached") => StoreMode::Cached,
        Ok("nt") => StoreMode::NonTemporal,
        _ => StoreMode::Auto,
    }
}

/// Best-of-60 nanoseconds per point of one configuration (see the module docs).
fn single<T: Float>(l_max: u32, grad: bool, n: usize) -> f64 {
    let sh = SphericalHarmonics::<T>::new(l_max, ShNormalization::Component, true)
        .unwrap()
        .with_store_mode(store_mode());
    let xyz = common::points::<T>(n, 0);
    let mut out = vec![T::ZERO; n * sh.dim()];
    let mut g = vec![T::ZERO; if grad { 3 * n * sh.dim() } else { 0 }];
    let budget = if grad { 50_000 } else { 200_000 };
    let reps = (budget / (n * sh.dim())).max(1);
    let mut best = f64::INFINITY;
    for _ in 0..60 {
        let t = Instant::now();
        for _ in 0..reps {
            if grad {
                sh.compute_with_gradients(black_box(&xyz), black_box(&mut out), black_box(&mut g));
            } else {
                sh.compute(black_box(&xyz), black_box(&mut out));
            }
        }
        best = best.min(t.elapsed().as_secs_f64() / (reps * n) as f64);
    }
    best * 1e9
}

fn single_run(list: &str) {
    let n: usize = std::env::var("RACAH_SH_SINGLE_POINTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1024);
    let ls: Vec<u32> = list
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    for grad in [false, true] {
        for &l in &ls {
            let (a, b) = (single::<f64>(l, grad, n), single::<f32>(l, grad, n));
            let g = u8::from(grad);
            println!("racah grad={g} l={l} f64 ns={a:.2}");
            println!("racah grad={g} l={l} f32 ns={b:.2}");
        }
    }
}

fn main() {
    if let Ok(list) = std::env::var("RACAH_SH_SINGLE") {
        single_run(&list);
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    bench_type::<f64>(&mut c);
    bench_type::<f32>(&mut c);
    c.final_summary();
}
