//! proptest strategies for spins, kets, admissible symbols and irreps (feature `testing`).
//!
//! Strategies *construct* admissible values instead of filtering random ones: a triangle is
//! drawn as j1, j2 and then j3 from the Clebsch–Gordan series of j1 ⊗ j2, so no case is
//! rejected and small cases are not starved. Every bound `max_twice` is on *twice* the spin
//! and is clamped to the 31-bit range of [`Spin`]; every admissible value within the bound is
//! reachable.
//!
//! # Examples
//! ```
//! use proptest::prelude::*;
//! use racah_core::{testing, triangle};
//!
//! proptest!(|([a, b, c] in testing::triangle_triple(12))| {
//!     prop_assert!(triangle(a, b, c));
//! });
//! ```

use crate::{HalfInt, Irrep, Irreps, Ket, MulIrrep, Parity, Spin};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// proptest's default configuration with a fixed RNG seed, so runs are reproducible:
/// `#![proptest_config(testing::seeded(7))]`.
///
/// # Examples
/// ```
/// use proptest::prelude::*;
/// use racah_core::testing;
/// proptest!(testing::seeded(1), |(j in testing::spin(10))| {
///     prop_assert!(j.twice() <= 10);
/// });
/// ```
pub fn seeded(seed: u64) -> Config {
    Config {
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    }
}

fn clamp(max_twice: u32) -> u32 {
    max_twice.min(i32::MAX as u32)
}

/// The doubled spins of a ⊗ b that are at most `max` (never empty, since |a−b| ≤ max):
/// `(lowest, how many)`, in steps of 2.
fn series(a: u32, b: u32, max: u32) -> (u32, u32) {
    let lo = a.abs_diff(b);
    let hi = (a as u64 + b as u64).min(max as u64 - ((max - lo) % 2) as u64) as u32;
    (lo, (hi - lo) / 2 + 1)
}

/// A doubled spin from the series of a ⊗ b, capped at `max`.
fn pick(a: u32, b: u32, max: u32) -> impl Strategy<Value = u32> {
    let (lo, n) = series(a, b, max);
    (0..n).prop_map(move |k| lo + 2 * k)
}

/// A spin j with 2j ≤ `max_twice`, integer or half-integer.
pub fn spin(max_twice: u32) -> impl Strategy<Value = Spin> {
    (0..=clamp(max_twice)).prop_map(Spin::from_twice)
}

/// An integer spin l ≤ `max_l`.
pub fn int_spin(max_l: u32) -> impl Strategy<Value = Spin> {
    (0..=clamp(max_l.saturating_mul(2)) / 2).prop_map(Spin::int)
}

/// A half-integer h with |2h| ≤ `max_twice`, of either sign.
pub fn half_int(max_twice: u32) -> impl Strategy<Value = HalfInt> {
    let m = clamp(max_twice) as i32;
    (-m..=m).prop_map(HalfInt::from_twice)
}

/// A ket |j m⟩ with 2j ≤ `max_twice` and m uniform among −j, …, j.
///
/// # Examples
/// ```
/// use proptest::prelude::*;
/// use racah_core::{testing, Ket};
/// proptest!(testing::seeded(2), |(k in testing::ket(9))| {
///     prop_assert!(Ket::new(k.j, k.m).is_ok());
/// });
/// ```
pub fn ket(max_twice: u32) -> impl Strategy<Value = Ket> {
    spin(max_twice).prop_flat_map(|j| {
        (0..=j.twice()).prop_map(move |k| Ket {
            j,
            m: HalfInt::from_twice((2 * k as i64 - j.twice() as i64) as i32),
        })
    })
}

/// `[j1, j2, j3]`, all with 2j ≤ `max_twice`, satisfying the triangle condition (integer
/// perimeter included): j1 and j2 are drawn, then j3 from j1 ⊗ j2.
pub fn triangle_triple(max_twice: u32) -> impl Strategy<Value = [Spin; 3]> {
    let max = clamp(max_twice);
    (0..=max, 0..=max).prop_flat_map(move |(a, b)| {
        pick(a, b, max).prop_map(move |c| [a, b, c].map(Spin::from_twice))
    })
}

/// An admissible 6j symbol `[j1, j2, j3, j4, j5, j6]` = {j1 j2 j3; j4 j5 j6}: the four triads
/// (j1 j2 j3), (j1 j5 j6), (j4 j2 j6), (j4 j5 j3) are triangles, all 2j ≤ `max_twice`.
///
/// Constructed as the recoupling {a b c; d e f} of three spins: (a b)c, then (c d)e, then f
/// from the series with (b d)f and (a f)e, which is never empty because the multiplicity of e
/// in a ⊗ b ⊗ d does not depend on the coupling order.
///
/// # Examples
/// ```
/// use proptest::prelude::*;
/// use racah_core::{testing, triangle};
/// proptest!(testing::seeded(3), |([a, b, c, d, e, f] in testing::admissible_six_j(12))| {
///     prop_assert!(triangle(a, b, c) && triangle(a, e, f));
///     prop_assert!(triangle(d, b, f) && triangle(d, e, c));
/// });
/// ```
pub fn admissible_six_j(max_twice: u32) -> impl Strategy<Value = [Spin; 6]> {
    let max = clamp(max_twice);
    (0..=max, 0..=max, 0..=max)
        .prop_flat_map(move |(a, b, d)| (Just((a, b, d)), pick(a, b, max)))
        .prop_flat_map(move |((a, b, d), c)| (Just((a, b, c, d)), pick(c, d, max)))
        .prop_flat_map(move |((a, b, c, d), e)| {
            // f ∈ b ⊗ d and f ∈ a ⊗ e, capped at max; the lower end is ≤ max
            let lo = b.abs_diff(d).max(a.abs_diff(e));
            let hi = (b + d).min(a + e).min(max - (max - lo) % 2);
            (0..=(hi - lo) / 2).prop_map(move |k| [a, b, c, d, e, lo + 2 * k].map(Spin::from_twice))
        })
}

/// An admissible 9j symbol `[a, b, c, d, e, f, g, h, i]` = {a b c; d e f; g h i}: every row
/// and column is a triangle, all 2j ≤ `max_twice`.
///
/// Constructed as the (12)(34) → (13)(24) recoupling: (a b)c, (d e)f, (c f)i, then (g, h) drawn
/// among the pairs with (a d)g, (b e)h and (g h)i. When the cap `max_twice` leaves no such pair
/// (rare), the case is rejected and redrawn.
///
/// # Examples
/// ```
/// use proptest::prelude::*;
/// use racah_core::{testing, triangle};
/// proptest!(testing::seeded(4), |(j in testing::admissible_nine_j(8))| {
///     for r in 0..3 {
///         prop_assert!(triangle(j[3 * r], j[3 * r + 1], j[3 * r + 2])); // rows
///         prop_assert!(triangle(j[r], j[r + 3], j[r + 6])); // columns
///     }
/// });
/// ```
pub fn admissible_nine_j(max_twice: u32) -> impl Strategy<Value = [Spin; 9]> {
    let max = clamp(max_twice);
    (0..=max, 0..=max, 0..=max, 0..=max)
        .prop_flat_map(move |(a, b, d, e)| (Just((a, b, d, e)), pick(a, b, max), pick(d, e, max)))
        .prop_flat_map(move |(q, c, f)| (Just((q, c, f)), pick(c, f, max)))
        .prop_flat_map(move |(((a, b, d, e), c, f), i)| {
            let (g0, ng) = series(a, d, max);
            let (h0, nh) = series(b, e, max);
            let mut pairs = Vec::new();
            for g in (0..ng).map(|k| g0 + 2 * k) {
                for h in (0..nh).map(|k| h0 + 2 * k) {
                    if crate::triangle(
                        Spin::from_twice(g),
                        Spin::from_twice(h),
                        Spin::from_twice(i),
                    ) {
                        pairs.push((g, h));
                    }
                }
            }
            let n = pairs.len().max(1);
            (Just(([a, b, c, d, e, f, i], pairs)), 0..n)
        })
        .prop_filter_map(
            "no (g, h) within max_twice",
            |(([a, b, c, d, e, f, i], pairs), k)| {
                let &(g, h) = pairs.get(k)?;
                Some([a, b, c, d, e, f, g, h, i].map(Spin::from_twice))
            },
        )
}

/// `Even` or `Odd`.
pub fn parity() -> impl Strategy<Value = Parity> {
    prop_oneof![Just(Parity::Even), Just(Parity::Odd)]
}

/// An O(3) irrep with integer l ≤ `max_l` and either parity.
pub fn irrep(max_l: u32) -> impl Strategy<Value = Irrep> {
    (int_spin(max_l), parity()).prop_map(|(j, p)| Irrep::new(j, p))
}

/// An irrep with any spin 2j ≤ `max_twice` (half-integers included) and either parity.
pub fn su2_irrep(max_twice: u32) -> impl Strategy<Value = Irrep> {
    (spin(max_twice), parity()).prop_map(|(j, p)| Irrep::new(j, p))
}

/// Irreps with at most `max_len` terms, each `mul x irrep` with 0 ≤ mul ≤ `max_mul` (so zero
/// multiplicities occur) and an integer l ≤ `max_l`; repeated irreps occur too.
///
/// # Examples
/// ```
/// use proptest::prelude::*;
/// use racah_core::{testing, Irreps};
/// proptest!(testing::seeded(5), |(x in testing::irreps(4, 8, 5))| {
///     prop_assert_eq!(x.to_string().parse::<Irreps>().unwrap(), x);
/// });
/// ```
pub fn irreps(max_l: u32, max_mul: usize, max_len: usize) -> impl Strategy<Value = Irreps> {
    proptest::collection::vec(
        (0..=max_mul, irrep(max_l)).prop_map(|(m, ir)| MulIrrep::new(m, ir)),
        0..=max_len,
    )
    .prop_map(Irreps::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triangle;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::BTreeSet;
    use std::fmt::Debug;

    /// Draws `n` values with a fixed seed.
    fn sample<T: Debug, S: Strategy<Value = T>>(s: S, n: usize) -> Vec<T> {
        let mut runner = TestRunner::deterministic();
        (0..n)
            .map(|_| s.new_tree(&mut runner).unwrap().current())
            .collect()
    }

    fn six_j_ok(j: [u32; 6]) -> bool {
        let t = |a: u32, b: u32, c: u32| {
            triangle(
                Spin::from_twice(a),
                Spin::from_twice(b),
                Spin::from_twice(c),
            )
        };
        t(j[0], j[1], j[2]) && t(j[0], j[4], j[5]) && t(j[3], j[1], j[5]) && t(j[3], j[4], j[2])
    }

    fn nine_j_ok(j: [u32; 9]) -> bool {
        let t = |a: usize, b: usize, c: usize| {
            triangle(
                Spin::from_twice(j[a]),
                Spin::from_twice(j[b]),
                Spin::from_twice(j[c]),
            )
        };
        t(0, 1, 2) && t(3, 4, 5) && t(6, 7, 8) && t(0, 3, 6) && t(1, 4, 7) && t(2, 5, 8)
    }

    fn all<const N: usize>(max: u32, ok: impl Fn([u32; N]) -> bool) -> BTreeSet<[u32; N]> {
        let mut out = BTreeSet::new();
        let total = (max as u64 + 1).pow(N as u32);
        for mut code in 0..total {
            let mut j = [0u32; N];
            for x in &mut j {
                *x = (code % (max as u64 + 1)) as u32;
                code /= max as u64 + 1;
            }
            if ok(j) {
                out.insert(j);
            }
        }
        out
    }

    #[test]
    fn strategies_reach_every_small_case() {
        // the constructions are complete: with a small cap every admissible case is drawn
        let six: BTreeSet<[u32; 6]> = sample(admissible_six_j(2), 4000)
            .into_iter()
            .map(|s| s.map(Spin::twice))
            .collect();
        assert_eq!(six, all(2, six_j_ok));
        let nine: BTreeSet<[u32; 9]> = sample(admissible_nine_j(1), 4000)
            .into_iter()
            .map(|s| s.map(Spin::twice))
            .collect();
        assert_eq!(nine, all(1, nine_j_ok));
        let tri: BTreeSet<[u32; 3]> = sample(triangle_triple(3), 2000)
            .into_iter()
            .map(|s| s.map(Spin::twice))
            .collect();
        assert_eq!(tri, all(3, |[a, b, c]| six_j_ok([a, b, c, a, b, c])));
        let kets: BTreeSet<(u32, i32)> = sample(ket(3), 1000)
            .into_iter()
            .map(|k| (k.j.twice(), k.m.twice()))
            .collect();
        assert_eq!(kets.len(), 1 + 2 + 3 + 4);
        let irs: BTreeSet<String> = sample(irrep(2), 500)
            .into_iter()
            .map(|i| i.to_string())
            .collect();
        assert_eq!(irs.len(), 6);
    }

    #[test]
    fn huge_bounds_are_clamped() {
        let s = sample(spin(u32::MAX), 50);
        assert!(s.iter().all(|j| j.twice() <= i32::MAX as u32));
        let h = sample(half_int(u32::MAX), 50);
        assert!(h.iter().all(|x| x.twice() >= -i32::MAX));
        let k = sample(ket(u32::MAX), 50);
        assert!(k.iter().all(|k| Ket::new(k.j, k.m).is_ok()));
        let t = sample(triangle_triple(u32::MAX), 50);
        assert!(t
            .iter()
            .all(|&[a, b, c]| triangle(a, b, c) && c.twice() <= i32::MAX as u32));
        let l = sample(int_spin(u32::MAX), 50);
        assert!(l.iter().all(|j| j.is_integer()));
    }

    proptest! {
        #![proptest_config(seeded(11))]

        #[test]
        fn admissible_strategies_are_admissible(
            s in admissible_six_j(40),
            n in admissible_nine_j(20),
            k in ket(40),
        ) {
            prop_assert!(six_j_ok(s.map(Spin::twice)));
            prop_assert!(s.iter().all(|j| j.twice() <= 40));
            prop_assert!(nine_j_ok(n.map(Spin::twice)));
            prop_assert!(n.iter().all(|j| j.twice() <= 20));
            prop_assert!(Ket::new(k.j, k.m).is_ok());
        }

        #[test]
        fn irreps_strategy_respects_bounds(x in irreps(3, 4, 5)) {
            prop_assert!(x.len() <= 5);
            prop_assert!(x.iter().all(|t| t.mul <= 4 && t.irrep.j().twice() <= 6));
        }
    }
}
