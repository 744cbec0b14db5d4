//! Time to build all Wigner D blocks D^0..D^l of one rotation (rotations per second).
//!
//! `cargo bench -p racah-numeric --bench wigner_d`

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use racah_numeric::WignerDCalculator;
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let rotations = common::rotations(64, 7);
    let mut group = c.benchmark_group("wigner_d/f64");
    group.throughput(Throughput::Elements(rotations.len() as u64));
    for l_max in [2u32, 8, 32] {
        let calc = WignerDCalculator::new(l_max).unwrap();
        group.bench_with_input(BenchmarkId::new("l_max", l_max), &l_max, |b, _| {
            b.iter(|| {
                for r in &rotations {
                    black_box(calc.compute::<f64>(black_box(r)));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(wigner_d, benches);
criterion_main!(wigner_d);
