//! Seeded inputs shared by the numeric benches.

#![allow(dead_code)]

use rand::{Rng, SeedableRng};

/// `n` points with coordinates uniform in [−1, 1)³ (row-major `(n, 3)`), seeded.
pub fn points<T: racah_numeric::Float>(n: usize, seed: u64) -> Vec<T> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..3 * n)
        .map(|_| T::from_f64((rng.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0))
        .collect()
}

/// `n` Haar-random rotations, seeded.
pub fn rotations(n: usize, seed: u64) -> Vec<racah_numeric::Rotation> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| racah_numeric::Rotation::random(&mut rng))
        .collect()
}
