//! Scaled Clebsch–Gordan values `⟨l1 m1 l2 m2|l3 m3⟩ / √(2l3+1)` (optionally `/√2` more): the
//! magnitudes of the real-basis entries, with the scale folded into the prime exponents so that
//! no product of exact numbers is formed.

use crate::block::{fast_entry, Entry};
use crate::fast::sum::assemble;
use crate::fast::table::{add, sub, Exps, FACT, MAX_N};
use crate::three_j::{self, Scale};
use crate::{ExactError, FactorialCache, SqrtRational};

/// Evaluator of `⟨l1 m1 l2 m2|l3 m1+m2⟩ / √(2l3+1)` (times `1/√2` on request) for one triangle
/// `(l1, l2, l3)`.
///
/// ```text
/// ⟨l1 m1 l2 m2|l3 M⟩/√(2l3+1) = √[Δ(l1 l2 l3) Π (l±m)!] Σ_t (−1)^t / [t! (l1+l2−l3−t)! …]
/// ```
///
/// `Δ` is computed once as a prime-exponent vector; each value is one machine-integer Racah sum
/// (the CG block's fast path without its `(2l3+1)` factor). Values beyond the machine-integer
/// range fall back to the big-integer CG and one exact product.
pub(crate) struct ScaledCg<'c> {
    /// Doubled spins `[2l1, 2l2, 2l3]`.
    tj: [i64; 3],
    /// Exponents of `Δ(l1 l2 l3)`, when the fast path applies.
    common: Option<Exps>,
    /// `[1/√(2l3+1), 1/√(2(2l3+1))]` for the fallback.
    scale: [SqrtRational; 2],
    cache: Option<&'c mut FactorialCache>,
}

impl<'c> ScaledCg<'c> {
    /// For a triangle `(l1, l2, l3)`.
    pub(crate) fn new(
        [l1, l2, l3]: [i64; 3],
        cache: Option<&'c mut FactorialCache>,
    ) -> Result<Self, ExactError> {
        let [a, b, c] = [2 * l1, 2 * l2, 2 * l3];
        let kk = (a + b + c) / 2 + 1;
        let common = (kk <= MAX_N).then(|| {
            let mut e = FACT[((a + b - c) / 2) as usize];
            add(&mut e, &FACT[((a - b + c) / 2) as usize]);
            add(&mut e, &FACT[((-a + b + c) / 2) as usize]);
            sub(&mut e, &FACT[kk as usize]);
            e
        });
        let d = c as u64 + 1;
        Ok(ScaledCg {
            tj: [a, b, c],
            common,
            scale: [
                SqrtRational::sqrt_of_ratio(1, d)?,
                SqrtRational::sqrt_of_ratio(1, 2 * d)?,
            ],
            cache,
        })
    }

    /// `⟨l1 m1 l2 m2|l3 m1+m2⟩ / √(2l3+1)`, divided by `√2` if `half`.
    pub(crate) fn value(&mut self, m1: i64, m2: i64, half: bool) -> SqrtRational {
        let [a, b, c] = self.tj;
        let (x, y) = (2 * m1, 2 * m2);
        let z = x + y;
        if x.abs() > a || y.abs() > b || z.abs() > c {
            return SqrtRational::ZERO;
        }
        if let Some(common) = self.common {
            match fast_entry(self.tj, &common, x, y) {
                Entry::Zero => return SqrtRational::ZERO,
                Entry::Sum(s, mut e2) => {
                    if half {
                        e2[0] -= 1; // the prime 2
                    }
                    // max_arg ≥ 2 so that the prime 2 of `half` is visited.
                    if let Some(v) = assemble(s, &e2, ((a + b + c) / 2 + 1).max(2)) {
                        return v;
                    }
                }
                Entry::Overflow => {}
            }
        }
        let cg = three_j::eval(self.tj, [x, y, -z], Scale::Cg, self.cache.as_deref_mut());
        &cg * &self.scale[half as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_path_equals_big_integer_fallback() {
        let mut checked = 0;
        for l1 in 0..=6i64 {
            for l2 in 0..=6i64 {
                for l3 in (l1 - l2).abs()..=l1 + l2 {
                    let mut fast = ScaledCg::new([l1, l2, l3], None).unwrap();
                    assert!(fast.common.is_some());
                    let mut slow = ScaledCg::new([l1, l2, l3], None).unwrap();
                    slow.common = None;
                    for m1 in -l1..=l1 {
                        for m2 in -l2..=l2 {
                            for half in [false, true] {
                                let v = fast.value(m1, m2, half);
                                assert_eq!(
                                    v,
                                    slow.value(m1, m2, half),
                                    "({l1},{l2},{l3}) {m1} {m2}"
                                );
                                assert!(v.is_valid());
                                checked += !v.is_zero() as usize;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 5000, "{checked}");
        // Beyond the machine-integer range the fallback is taken.
        assert!(ScaledCg::new([20, 20, 20], None).unwrap().common.is_none());
    }
}
