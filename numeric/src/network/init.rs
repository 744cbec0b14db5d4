//! Seeded weight initialisation: standard normal numbers from ChaCha8 (Box–Muller), drawn in a
//! fixed order, so that a description and a seed give the same weights in every precision.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A reproducible stream of N(0, 1) numbers.
pub(crate) struct WeightStream {
    rng: ChaCha8Rng,
    spare: Option<f64>,
}

impl WeightStream {
    pub(crate) fn new(seed: u64) -> Self {
        WeightStream {
            rng: ChaCha8Rng::seed_from_u64(seed),
            spare: None,
        }
    }

    /// One standard normal number.
    pub(crate) fn normal(&mut self) -> f64 {
        if let Some(s) = self.spare.take() {
            return s;
        }
        // u1 in (0, 1], u2 in [0, 1)
        let u1: f64 = 1.0 - self.uniform();
        let u2: f64 = self.uniform();
        let r = (-2.0 * u1.ln()).sqrt();
        let t = std::f64::consts::TAU * u2;
        self.spare = Some(r * t.sin());
        r * t.cos()
    }

    /// A uniform number in [0, 1) with 53 random bits.
    fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `n` standard normal numbers times `scale`.
    pub(crate) fn take(&mut self, n: usize, scale: f64) -> Vec<f64> {
        (0..n).map(|_| scale * self.normal()).collect()
    }
}
