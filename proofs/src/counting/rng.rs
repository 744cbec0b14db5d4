//! A fixed pseudo-random stream (splitmix64), so ranks never change with a `rand` release.

/// splitmix64 with uniform draws in [−1, 1).
#[derive(Debug, Clone)]
pub(crate) struct SplitMix(u64);

impl SplitMix {
    /// The stream with this seed.
    pub fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    /// A uniform draw in [−1, 1) with 53 random bits.
    pub fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
}
