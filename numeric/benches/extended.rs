//! The cost of the precision ladder and of forward-mode derivatives: spherical harmonics and
//! Wigner D in f64, double-double (`f64x2`) and `Dual<f64>`.
//!
//! `cargo bench -p racah-numeric --bench extended`

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use racah_numeric::{
    DoubleDouble, Dual, Float, ShNormalization, SphericalHarmonics, WignerDCalculator,
};
use std::hint::black_box;

fn sh_in<T: Float>(c: &mut Criterion, n: usize) {
    let mut group = c.benchmark_group(format!("extended/sh/{}", T::NAME));
    group.throughput(Throughput::Elements(n as u64));
    let xyz: Vec<T> = common::points(n, 1);
    for l_max in [2u32, 6] {
        let sh = SphericalHarmonics::<T>::new(l_max, ShNormalization::Component, true).unwrap();
        let mut out = vec![T::ZERO; n * sh.dim()];
        group.bench_with_input(BenchmarkId::new("l_max", l_max), &l_max, |b, _| {
            b.iter(|| sh.compute(black_box(&xyz), &mut out))
        });
    }
    group.finish();
}

fn wigner_d_in<T: Float>(c: &mut Criterion) {
    let rotations = common::rotations(16, 7);
    let mats: Vec<[[T; 3]; 3]> = rotations
        .iter()
        .map(|r| r.matrix().map(|row| row.map(T::from_f64)))
        .collect();
    let mut group = c.benchmark_group(format!("extended/wigner_d_in/{}", T::NAME));
    group.throughput(Throughput::Elements(mats.len() as u64));
    for l_max in [2u32, 8] {
        let calc = WignerDCalculator::new(l_max).unwrap();
        group.bench_with_input(BenchmarkId::new("l_max", l_max), &l_max, |b, _| {
            b.iter(|| {
                for m in &mats {
                    black_box(calc.compute_from_matrix(black_box(*m)));
                }
            })
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    sh_in::<f64>(c, 1024);
    sh_in::<DoubleDouble>(c, 1024);
    sh_in::<Dual<f64>>(c, 1024);
    wigner_d_in::<f64>(c);
    wigner_d_in::<DoubleDouble>(c);
    wigner_d_in::<Dual<f64>>(c);
}

criterion_group!(extended, benches);
criterion_main!(extended);
