//! Selection rules: the triangle condition, projection ranges and the Clebsch–Gordan series
//! j1 ⊗ j2 = |j1−j2| ⊕ … ⊕ (j1+j2), with O(3) parity for irreps.
//!
//! All arithmetic is on doubled integers widened to `u64`/`i64`, so no spin that fits a
//! [`Spin`] can overflow here.

use crate::{HalfInt, Irrep, Parity, Spin};
use std::iter::FusedIterator;

/// Whether (a, b, c) satisfy the triangle condition |a−b| ≤ c ≤ a+b *and* have an integer
/// perimeter a+b+c, i.e. whether c occurs in a ⊗ b.
///
/// ```text
/// |a - b| <= c <= a + b   and   a + b + c ∈ ℤ
/// ```
///
/// # Convention
/// The condition is symmetric in a, b, c. It is the admissibility of a 3j symbol's spins and of
/// each triad of a 6j/9j symbol (`CONVENTIONS.md#selection-rules`).
///
/// # Examples
/// ```
/// use racah_core::{triangle, Spin};
/// let h = Spin::from_twice(1);
/// assert!(triangle(Spin::int(1), Spin::int(1), Spin::int(2)));
/// assert!(!triangle(Spin::int(1), Spin::int(1), Spin::int(3)));
/// assert!(!triangle(h, h, h)); // 1/2 + 1/2 + 1/2 is not an integer
/// assert!(triangle(h, h, Spin::int(1)));
/// ```
pub fn triangle(a: Spin, b: Spin, c: Spin) -> bool {
    let (a, b, c) = (a.twice() as u64, b.twice() as u64, c.twice() as u64);
    (a + b + c) % 2 == 0 && c <= a + b && a <= b + c && b <= a + c
}

/// The projections m1 that contribute to |j1 m1⟩ ⊗ |j2 m−m1⟩ with total projection m, in
/// increasing order: all m1 with |m1| ≤ j1, |m − m1| ≤ j2 and j1 − m1 an integer.
///
/// ```text
/// max(-j1, m - j2) <= m1 <= min(j1, m + j2),   step 1
/// ```
/// The range is empty when |m| > j1 + j2 or j1 + j2 − m is not an integer: a selection-rule
/// zero, not an error.
///
/// # Convention
/// The summation range of a Clebsch–Gordan series `CONVENTIONS.md#selection-rules`.
///
/// # Examples
/// ```
/// use racah_core::{m_range, HalfInt, Spin};
/// let m1: Vec<i32> = m_range(Spin::int(1), Spin::int(2), HalfInt::int(2))
///     .map(|m| m.twice() / 2)
///     .collect();
/// assert_eq!(m1, vec![0, 1]);
/// assert_eq!(m_range(Spin::int(1), Spin::int(1), HalfInt::from_twice(1)).count(), 0);
/// ```
pub fn m_range(
    j1: Spin,
    j2: Spin,
    m: HalfInt,
) -> impl DoubleEndedIterator<Item = HalfInt> + ExactSizeIterator + FusedIterator {
    let (tj1, tj2, tm) = (j1.twice() as i64, j2.twice() as i64, m.twice() as i64);
    let lo = (-tj1).max(tm - tj2);
    let hi = tj1.min(tm + tj2);
    let n = if (tj1 + tj2 - tm).rem_euclid(2) != 0 || lo > hi {
        0
    } else {
        (hi - lo) / 2 + 1
    };
    // lo and hi lie in [-j1, j1], so they fit an i32 whenever j1 does
    (0..n as usize).map(move |k| HalfInt::from_twice((lo + 2 * k as i64) as i32))
}

/// The spins J in j1 ⊗ j2: |j1−j2|, |j1−j2|+1, …, j1+j2 (the Clebsch–Gordan series).
///
/// # Convention
/// Increasing order, as e3nn's `Irrep.__mul__` (`CONVENTIONS.md#selection-rules`).
///
/// # Examples
/// ```
/// use racah_core::{couplings, Spin};
/// let js: Vec<String> =
///     couplings(Spin::from_twice(3), Spin::int(1)).map(|j| j.to_string()).collect();
/// assert_eq!(js, ["1/2", "3/2", "5/2"]);
/// ```
pub fn couplings(j1: Spin, j2: Spin) -> Couplings {
    let (a, b) = (j1.twice() as u64, j2.twice() as u64);
    let lo = a.abs_diff(b);
    // the largest representable doubled spin with the parity of the series
    let cap = u32::MAX as u64 - (u32::MAX as u64 - lo) % 2;
    let hi = (a + b).min(cap);
    let n = if hi < lo { 0 } else { (hi - lo) / 2 + 1 };
    Couplings { lo, n }
}

/// Iterator over the spins of j1 ⊗ j2, from [`couplings`].
///
/// Spins whose doubled value exceeds `u32::MAX` cannot be a [`Spin`] and are not produced;
/// that needs inputs beyond the documented 31-bit range of [`Spin::try_from_twice`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Couplings {
    /// Twice the next spin from the front.
    lo: u64,
    /// How many spins are left.
    n: u64,
}

impl Iterator for Couplings {
    type Item = Spin;

    fn next(&mut self) -> Option<Spin> {
        if self.n == 0 {
            return None;
        }
        let j = self.lo;
        self.lo += 2;
        self.n -= 1;
        Some(Spin::from_twice(j as u32))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.n as usize;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Couplings {
    fn next_back(&mut self) -> Option<Spin> {
        if self.n == 0 {
            return None;
        }
        self.n -= 1;
        Some(Spin::from_twice((self.lo + 2 * self.n) as u32))
    }
}

impl ExactSizeIterator for Couplings {}

impl FusedIterator for Couplings {}

/// Iterator over the irreps of a product of two irreps, from [`Irrep::tensor`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IrrepProduct {
    spins: Couplings,
    p: Parity,
}

impl Iterator for IrrepProduct {
    type Item = Irrep;

    fn next(&mut self) -> Option<Irrep> {
        self.spins.next().map(|j| Irrep::new(j, self.p))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.spins.size_hint()
    }
}

impl DoubleEndedIterator for IrrepProduct {
    fn next_back(&mut self) -> Option<Irrep> {
        self.spins.next_back().map(|j| Irrep::new(j, self.p))
    }
}

impl ExactSizeIterator for IrrepProduct {}

impl FusedIterator for IrrepProduct {}

impl Irrep {
    /// The irreps of `self ⊗ other`: spins from |j1−j2| to j1+j2, each with parity p1·p2.
    ///
    /// # Convention
    /// e3nn's `Irrep.__mul__` (`CONVENTIONS.md#selection-rules`); also available as `a * b`.
    ///
    /// # Examples
    /// ```
    /// use racah_core::Irrep;
    /// let v: Irrep = "1o".parse()?;
    /// let out: Vec<String> = v.tensor(v).map(|x| x.to_string()).collect();
    /// assert_eq!(out, ["0e", "1e", "2e"]);
    /// assert_eq!((v * "2e".parse::<Irrep>()?).count(), 3);
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn tensor(self, other: Irrep) -> IrrepProduct {
        IrrepProduct {
            spins: couplings(self.j(), other.j()),
            p: self.parity() * other.parity(),
        }
    }

    /// Whether `out` occurs in `self ⊗ other`: triangle condition on the spins and
    /// p_out = p1·p2.
    ///
    /// # Examples
    /// ```
    /// use racah_core::Irrep;
    /// let v: Irrep = "1o".parse()?;
    /// assert!(v.couples_to(v, "1e".parse()?));
    /// assert!(!v.couples_to(v, "1o".parse()?));
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn couples_to(self, other: Irrep, out: Irrep) -> bool {
        self.parity() * other.parity() == out.parity() && triangle(self.j(), other.j(), out.j())
    }
}

impl std::ops::Mul for Irrep {
    type Output = IrrepProduct;

    /// Same as [`Irrep::tensor`].
    fn mul(self, other: Irrep) -> IrrepProduct {
        self.tensor(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_triangle_table() {
        let t = |a, b, c| {
            triangle(
                Spin::from_twice(a),
                Spin::from_twice(b),
                Spin::from_twice(c),
            )
        };
        assert!(t(0, 0, 0));
        assert!(t(2, 2, 0) && t(2, 2, 2) && t(2, 2, 4));
        assert!(!t(2, 2, 6));
        assert!(!t(2, 0, 0));
        assert!(t(1, 1, 0) && t(1, 1, 2) && !t(1, 1, 1));
        assert!(t(3, 2, 1) && t(3, 2, 5) && !t(3, 2, 7) && !t(3, 2, 2));
        let big = u32::MAX;
        assert!(t(big, big, 0) && t(big, big, big - 1) && !t(big, big, big));
    }

    #[test]
    fn test_couplings_series() {
        let js = |a, b| -> Vec<u32> {
            couplings(Spin::from_twice(a), Spin::from_twice(b))
                .map(|j| j.twice())
                .collect()
        };
        assert_eq!(js(2, 4), vec![2, 4, 6]);
        assert_eq!(js(4, 2), vec![2, 4, 6]);
        assert_eq!(js(0, 0), vec![0]);
        assert_eq!(js(1, 1), vec![0, 2]);
        assert_eq!(js(3, 0), vec![3]);
        let c = couplings(Spin::int(3), Spin::int(2));
        assert_eq!(c.len(), 5);
        let back: Vec<u32> = c.rev().map(|j| j.twice()).collect();
        assert_eq!(back, vec![10, 8, 6, 4, 2]);
        let back: Vec<u32> = couplings(Spin::ZERO, Spin::int(1))
            .rev()
            .map(|j| j.twice())
            .collect();
        assert_eq!(back, vec![2]);
        let back: Vec<u32> = couplings(Spin::ZERO, Spin::ZERO)
            .rev()
            .map(|j| j.twice())
            .collect();
        assert_eq!(back, vec![0]);
    }

    #[test]
    fn couplings_stop_at_the_representable_range() {
        // inputs outside Spin's 31-bit range (only from_twice builds them): the series is
        // truncated at u32::MAX, never wrapped
        let top = Spin::from_twice(u32::MAX);
        let c = couplings(top, Spin::from_twice(3));
        assert_eq!(c.len(), 2);
        let v: Vec<u32> = c.map(|j| j.twice()).collect();
        assert_eq!(v, vec![u32::MAX - 3, u32::MAX - 1]);
    }

    #[test]
    fn test_m_range() {
        let r = |a, b, m| -> Vec<i32> {
            m_range(
                Spin::from_twice(a),
                Spin::from_twice(b),
                HalfInt::from_twice(m),
            )
            .map(|x| x.twice())
            .collect()
        };
        assert_eq!(r(2, 2, 0), vec![-2, 0, 2]);
        assert_eq!(r(2, 2, 4), vec![2]);
        assert_eq!(r(2, 2, 6), Vec::<i32>::new());
        assert_eq!(r(2, 2, 1), Vec::<i32>::new());
        assert_eq!(r(1, 2, -1), vec![-1, 1]);
        assert_eq!(r(3, 1, -4), vec![-3]);
        assert_eq!(r(0, 0, 0), vec![0]);
    }

    #[test]
    fn test_irrep_tensor_parity() {
        let a: Irrep = "1o".parse().unwrap();
        let b: Irrep = "1e".parse().unwrap();
        let out: Vec<String> = (a * b).map(|x| x.to_string()).collect();
        assert_eq!(out, ["0o", "1o", "2o"]);
        let h: Irrep = "1/2e".parse().unwrap();
        let out: Vec<String> = h.tensor(a).rev().map(|x| x.to_string()).collect();
        assert_eq!(out, ["3/2o", "1/2o"]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            rng_seed: proptest::test_runner::RngSeed::Fixed(21),
            ..Default::default()
        })]

        #[test]
        fn triangle_properties(a in 0u32..40, b in 0u32..40, c in 0u32..40) {
            let (sa, sb, sc) = (Spin::from_twice(a), Spin::from_twice(b), Spin::from_twice(c));
            let t = triangle(sa, sb, sc);
            // symmetric, and equivalent to membership in the CG series
            proptest::prop_assert_eq!(t, triangle(sb, sa, sc));
            proptest::prop_assert_eq!(t, triangle(sc, sb, sa));
            proptest::prop_assert_eq!(t, couplings(sa, sb).any(|j| j == sc));
        }

        #[test]
        fn couplings_dimension_count(a in 0u32..30, b in 0u32..30) {
            // Σ_J (2J+1) = (2j1+1)(2j2+1)
            let total: usize =
                couplings(Spin::from_twice(a), Spin::from_twice(b)).map(Spin::dim).sum();
            proptest::prop_assert_eq!(total, (a as usize + 1) * (b as usize + 1));
        }

        #[test]
        fn m_range_properties(a in 0u32..20, b in 0u32..20, m in -45i32..45) {
            let (j1, j2, hm) = (Spin::from_twice(a), Spin::from_twice(b), HalfInt::from_twice(m));
            let got: Vec<HalfInt> = m_range(j1, j2, hm).collect();
            // brute force over all m1 of j1
            let want: Vec<HalfInt> = j1
                .projections()
                .filter(|&m1| j2.projections().any(|m2| m1 + m2 == hm))
                .collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
