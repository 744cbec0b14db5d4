//! Seeded strategies and helpers shared by the tests.

#![allow(dead_code)]

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use racah_numeric::{O3Element, Rotation};
use rand::SeedableRng;

/// Proptest configuration with a fixed seed (reproducible in CI).
pub fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x7261_6361_6800),
        ..Config::default()
    }
}

pub fn rng(seed: u64) -> rand_chacha::ChaCha8Rng {
    rand_chacha::ChaCha8Rng::seed_from_u64(seed)
}

/// A unit vector, uniform on the sphere (constructed from cos θ and φ, no filtering).
pub fn unit_vector() -> impl Strategy<Value = [f64; 3]> {
    (-1.0f64..=1.0, 0.0f64..std::f64::consts::TAU).prop_map(|(c, phi)| {
        let s = (1.0 - c * c).max(0.0).sqrt();
        [s * phi.cos(), c, s * phi.sin()]
    })
}

/// A point with log-uniform radius in [1e-3, 1e3] and uniform direction.
pub fn point() -> impl Strategy<Value = [f64; 3]> {
    (unit_vector(), -3.0f64..3.0).prop_map(|(u, e)| u.map(|v| v * 10f64.powf(e)))
}

/// A Haar-random rotation (seeded through the strategy's u64).
pub fn rotation() -> impl Strategy<Value = Rotation> {
    any::<u64>().prop_map(|s| Rotation::random(&mut rng(s)))
}

/// A random O(3) element.
pub fn o3_element() -> impl Strategy<Value = O3Element> {
    any::<u64>().prop_map(|s| O3Element::random(&mut rng(s)))
}

/// max |a − b| over two slices of f64.
pub fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    racah_numeric::Tolerance::max_abs_diff(a, b)
}
