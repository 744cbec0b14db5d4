//! Throughput of the Clebsch–Gordan tensor products, in useful floating-point operations.
//!
//! `cargo bench -p racah-numeric --bench tensor_product`; `RACAH_BENCH_TP_BATCH` sets the
//! batch size (default 100 000 samples).
//!
//! Criterion's throughput is set to the useful FLOPs of one call
//! (`TensorProduct::flops_per_sample() × batch`, counted from the nonzero coefficients), so its
//! "elem/s" figures read as FLOP/s.
//!
//! - `tp/uvu`: MACE's channel-wise product `32x0e+32x1o+32x2e ⊗ 0e+1o+2e → (0e+1o+2e)` with
//!   per-sample weights (one weight vector per edge), f32 and f64.
//! - `tp/uvw`: the fully connected `16x0e+16x1o+16x2e ⊗ same → same` with shared weights
//!   (matrix products per output term), f32 and f64.
//! - `tp/matmul_peak`: the matrix-product peak of this machine through the same library
//!   (nalgebra → matrixmultiply), on all cores: square 512×512×512 products, and the shape the
//!   `uvw` kernel uses (rows × 768 times 768 × 16).

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use racah_core::Irreps;
use racah_numeric::{Float, TensorProduct, Weights};
use rand::{Rng, SeedableRng};
use std::hint::black_box;

fn batch() -> usize {
    std::env::var("RACAH_BENCH_TP_BATCH")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000)
}

fn values<T: Float>(n: usize, seed: u64) -> Vec<T> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| T::from_f64((rng.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 0.5))
        .collect()
}

fn ir(s: &str) -> Irreps {
    s.parse().unwrap()
}

fn bench_uvu<T: Float>(c: &mut Criterion) {
    let mut group = c.benchmark_group("tp/uvu");
    group.sample_size(10);
    let n = batch();
    let tp = TensorProduct::<T>::channel_wise(
        &ir("32x0e + 32x1o + 32x2e"),
        &ir("0e + 1o + 2e"),
        &ir("0e + 1o + 2e"),
    )
    .unwrap();
    let (x1, x2) = (
        values::<T>(n * tp.dim_in1(), 1),
        values::<T>(n * tp.dim_in2(), 2),
    );
    let w = values::<T>(n * tp.weight_numel(), 3);
    let mut out = vec![T::ZERO; n * tp.dim_out()];
    group.throughput(Throughput::Elements(tp.flops_per_sample() * n as u64));
    group.bench_function(BenchmarkId::new(T::NAME, n), |b| {
        b.iter(|| {
            tp.forward(
                black_box(&x1),
                black_box(&x2),
                Weights::PerSample(&w),
                black_box(&mut out),
            )
            .unwrap()
        })
    });
    group.finish();
}

fn bench_uvw<T: Float>(c: &mut Criterion) {
    let mut group = c.benchmark_group("tp/uvw");
    group.sample_size(10);
    let n = batch();
    let x = ir("16x0e + 16x1o + 16x2e");
    let tp = TensorProduct::<T>::fully_connected(&x, &x, &x).unwrap();
    let (x1, x2) = (
        values::<T>(n * tp.dim_in1(), 4),
        values::<T>(n * tp.dim_in2(), 5),
    );
    let w = values::<T>(tp.weight_numel(), 6);
    let mut out = vec![T::ZERO; n * tp.dim_out()];
    group.throughput(Throughput::Elements(tp.flops_per_sample() * n as u64));
    group.bench_function(BenchmarkId::new(T::NAME, n), |b| {
        b.iter(|| {
            tp.forward(
                black_box(&x1),
                black_box(&x2),
                Weights::Shared(&w),
                black_box(&mut out),
            )
            .unwrap()
        })
    });
    group.finish();
}

/// One matrix product per thread (all cores), `m × k` times `k × n`, `reps` times.
fn matmul_all_cores<T: nalgebra::RealField + Copy>(
    m: usize,
    k: usize,
    n: usize,
    reps: usize,
    seed: u64,
) -> impl FnMut() {
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut mk = |r, c| {
        nalgebra::DMatrix::<T>::from_fn(r, c, |_, _| {
            nalgebra::convert::<f64, T>((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
        })
    };
    let mut jobs: Vec<_> = (0..threads)
        .map(|_| (mk(m, k), mk(k, n), nalgebra::DMatrix::<T>::zeros(m, n)))
        .collect();
    move || {
        std::thread::scope(|s| {
            for (a, b, cm) in jobs.iter_mut() {
                s.spawn(move || {
                    for _ in 0..reps {
                        cm.gemm(T::one(), a, b, T::zero());
                    }
                    black_box(&*cm);
                });
            }
        });
    }
}

fn bench_matmul_peak(c: &mut Criterion) {
    let mut group = c.benchmark_group("tp/matmul_peak");
    group.sample_size(10);
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get()) as u64;
    for (name, (m, k, n, reps)) in [
        ("square_512", (512, 512, 512, 8)),
        ("uvw_shape_160x768x16", (160, 768, 16, 2000)),
    ] {
        let flops = 2 * (m * k * n * reps) as u64 * threads;
        group.throughput(Throughput::Elements(flops));
        let mut f32_run = matmul_all_cores::<f32>(m, k, n, reps, 7);
        group.bench_function(BenchmarkId::new("f32", name), |b| b.iter(&mut f32_run));
        let mut f64_run = matmul_all_cores::<f64>(m, k, n, reps, 8);
        group.bench_function(BenchmarkId::new("f64", name), |b| b.iter(&mut f64_run));
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_uvu::<f32>(c);
    bench_uvu::<f64>(c);
    bench_uvw::<f32>(c);
    bench_uvw::<f64>(c);
    bench_matmul_peak(c);
}

criterion_group!(tensor_product, benches);
criterion_main!(tensor_product);
