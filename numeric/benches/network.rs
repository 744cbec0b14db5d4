//! Network forward passes and forces per element type.
//!
//! `cargo bench -p racah-numeric --bench network`

use criterion::{criterion_group, criterion_main, Criterion};
use racah_numeric::network::{parse_xyz, Network, Structure};
use racah_numeric::{DoubleDouble, Float};
use std::hint::black_box;
use std::path::PathBuf;

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn convert<T: Float>(s: &Structure<f64>, f: impl Fn(f64) -> T) -> Structure<T> {
    Structure::new(
        s.positions.iter().map(|p| p.map(&f)).collect(),
        s.species.clone(),
        None,
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let net = Network::from_path(&examples().join("stilbene-3state.toml")).unwrap();
    let text = std::fs::read_to_string(examples().join("structures/trans-stilbene.xyz")).unwrap();
    let s = parse_xyz(&text).unwrap().remove(0).structure;
    let mut g = c.benchmark_group("stilbene-3state (26 atoms)");
    g.sample_size(10);
    let s32 = convert(&s, |x| x as f32);
    let sdd = convert(&s, DoubleDouble::from_f64);
    g.bench_function("energies f32", |b| {
        b.iter(|| net.energies(black_box(&s32)).unwrap())
    });
    g.bench_function("energies f64", |b| {
        b.iter(|| net.energies(black_box(&s)).unwrap())
    });
    g.bench_function("energies f64x2", |b| {
        b.iter(|| net.energies(black_box(&sdd)).unwrap())
    });
    g.bench_function("energies+forces f64 (dual)", |b| {
        b.iter(|| net.energies_and_forces_forward_mode(black_box(&s)).unwrap())
    });
    g.bench_function("energies+forces f64, reverse mode", |b| {
        b.iter(|| net.energies_and_forces(black_box(&s)).unwrap())
    });
    g.bench_function("energies+forces f32, reverse mode", |b| {
        b.iter(|| net.energies_and_forces(black_box(&s32)).unwrap())
    });
    g.bench_function("energies+forces f64x2, reverse mode", |b| {
        b.iter(|| net.energies_and_forces(black_box(&sdd)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
