//! Runtime CPU-feature dispatch for the hot kernels.
//!
//! The crate is compiled for the baseline of its target (SSE2 on x86-64), so that one binary
//! runs everywhere. The batched kernels are wrapped in a [`Kernel`] and run through
//! [`dispatch`], which picks, once per call, the widest instruction set the CPU reports:
//! x86-64-v3 (AVX2 + FMA + BMI) when `is_x86_feature_detected!` says so, the baseline
//! otherwise. [`Kernel::run`] and everything it calls in the inner loops are
//! `#[inline(always)]`, so they are compiled a second time inside the feature-enabled clone.
//!
//! **Results are bit-identical in every clone.** Rust never contracts `a * b + c` into a fused
//! multiply–add and never reassociates floating-point sums, so enabling AVX2/FMA only widens
//! the vectors: each output is computed by the same operations in the same order (see
//! CONVENTIONS.md#determinism). The tests check this by
//! running every dispatched kernel with dispatch forced off ([`force_baseline`]). Setting the
//! environment variable `RACAH_BASELINE_ONLY=1` does the same for a whole process (to measure
//! what the wide instructions buy, or to rule them out when chasing a problem).
//!
//! With [`crate::stream`] (non-temporal stores), this is one of the crate's two uses of
//! `unsafe`: calling a `#[target_feature]` function, which is sound exactly when the CPU has the
//! features, and that is what is checked right before the call.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// A kernel body: `run` is compiled once per instruction set.
pub(crate) trait Kernel {
    /// What the kernel returns.
    type Output;
    /// The body; implementations must be `#[inline(always)]` (and so must the helpers of
    /// their inner loops), or the feature-enabled clone calls baseline code.
    fn run(self) -> Self::Output;
}

/// A closure as a [`Kernel`]. The closure must be written `#[inline(always)] || …` (and the
/// functions its loops call must be `#[inline(always)]`) for the wide clone to see its body.
pub(crate) struct Wide<F>(pub(crate) F);

impl<R, F: FnOnce() -> R> Kernel for Wide<F> {
    type Output = R;
    #[inline(always)]
    fn run(self) -> R {
        (self.0)()
    }
}

static BASELINE_ONLY: AtomicBool = AtomicBool::new(false);

/// Forces (`true`) or releases (`false`) the baseline clone of the batched kernels for every
/// later call, process-wide: for tests comparing the clones, and for measuring what the wide
/// instructions buy. Both clones give the same bits (`CONVENTIONS.md#determinism`).
///
/// ```
/// racah_numeric::force_baseline(true);
/// assert_eq!(racah_numeric::instruction_set(), "baseline");
/// racah_numeric::force_baseline(false);
/// ```
pub fn force_baseline(on: bool) {
    BASELINE_ONLY.store(on, Ordering::SeqCst);
}

/// The instruction set the batched kernels use on this machine now: `"x86-64-v3"` (AVX2 + FMA
/// detected at run time) or `"baseline"` (the target's baseline, or forced by
/// [`force_baseline`] or `RACAH_BASELINE_ONLY=1`).
pub fn instruction_set() -> &'static str {
    if has_v3() {
        "x86-64-v3"
    } else {
        "baseline"
    }
}

/// Whether the environment asks for the baseline clone (`RACAH_BASELINE_ONLY=1`), read once.
fn baseline_from_env() -> bool {
    static FROM_ENV: OnceLock<bool> = OnceLock::new();
    *FROM_ENV.get_or_init(|| std::env::var_os("RACAH_BASELINE_ONLY").is_some_and(|v| v == "1"))
}

#[inline]
fn has_v3() -> bool {
    if BASELINE_ONLY.load(Ordering::Relaxed) || baseline_from_env() {
        return false;
    }
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("fma")
            && std::arch::is_x86_feature_detected!("bmi1")
            && std::arch::is_x86_feature_detected!("bmi2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Runs `k` with the widest instruction set this CPU has.
#[inline]
pub(crate) fn dispatch<K: Kernel>(k: K) -> K::Output {
    #[cfg(target_arch = "x86_64")]
    if has_v3() {
        #[allow(unsafe_code)]
        // SAFETY: `run_v3` only requires the target features it enables, and `has_v3` has
        // just detected every one of them on the running CPU.
        return unsafe { run_v3(k) };
    }
    k.run()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,bmi1,bmi2")]
fn run_v3<K: Kernel>(k: K) -> K::Output {
    k.run()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Sum<'a>(&'a [f32]);

    impl Kernel for Sum<'_> {
        type Output = f32;
        #[inline(always)]
        fn run(self) -> f32 {
            self.0.iter().fold(0.0, |a, &b| a + b)
        }
    }

    #[test]
    fn both_clones_give_the_same_bits() {
        let xs: Vec<f32> = (0..1000).map(|i| 1.0 / (1.0 + i as f32)).collect();
        let wide = dispatch(Sum(&xs));
        let serial = xs.iter().fold(0.0f32, |a, &b| a + b);
        assert_eq!(wide.to_bits(), serial.to_bits());
    }
}
