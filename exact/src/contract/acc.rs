//! [`Acc`]: a mutable exact sum Σ r_d √d used while contracting (cheaper to grow term by term
//! than [`SqrtSum`], which re-sorts on every addition).

use crate::{SqrtRational, SqrtSum};
use rug::{Integer, Rational};

/// One term r·√d (d square-free, r ≠ 0).
pub(crate) type Term = (Integer, Rational);

/// Σ r_d √d over distinct square-free d, sorted by d, no zero r_d.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Acc {
    terms: Vec<Term>,
}

impl Acc {
    /// The value 1.
    pub(crate) fn one() -> Acc {
        Acc {
            terms: vec![(Integer::from(1), Rational::from(1))],
        }
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// `self += r·√d` (d square-free).
    pub(crate) fn add_term(&mut self, d: Integer, r: Rational) {
        if r == 0 {
            return;
        }
        match self.terms.binary_search_by(|(x, _)| x.cmp(&d)) {
            Ok(i) => {
                self.terms[i].1 += r;
                if self.terms[i].1 == 0 {
                    self.terms.remove(i);
                }
            }
            Err(i) => self.terms.insert(i, (d, r)),
        }
    }

    /// `self += a · (r·√d)`: √a·√b = g·√(ab/g²) with g = gcd(a, b).
    pub(crate) fn add_product(&mut self, a: &Acc, (d, r): (&Integer, &Rational)) {
        for (d1, r1) in &a.terms {
            let g = Integer::from(d1.gcd_ref(d));
            let rad = Integer::from(d1 / &g) * Integer::from(d / &g);
            let coef = Rational::from(r1 * r) * g;
            self.add_term(rad, coef);
        }
    }

    /// `self += sign · a · 2^(-halves/2)` (the factor (1/√2)^halves of the real basis).
    pub(crate) fn add_scaled_sqrt2(&mut self, a: &Acc, negative: bool, halves: u32) {
        // (1/√2)^n = 2^(-n/2): rational for even n, √2/2^((n+1)/2) for odd n
        let (rad, den_pow) = if halves % 2 == 0 {
            (Integer::from(1), halves / 2)
        } else {
            (Integer::from(2), halves.div_ceil(2))
        };
        let mut r = Rational::from((1, Integer::from(1) << den_pow));
        if negative {
            r = -r;
        }
        self.add_product(a, (&rad, &r));
    }

    pub(crate) fn to_sqrt_sum(&self) -> SqrtSum {
        let mut s = SqrtSum::zero();
        for (d, r) in &self.terms {
            s += &SqrtRational::from_big_unchecked(r.clone(), d.clone());
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acc_matches_sqrt_sum() {
        let r = |n: u64| SqrtRational::sqrt_of_ratio(n, 3).unwrap();
        let mut a = Acc::default();
        for v in [r(2), r(5)] {
            a.add_term(v.radicand(), v.rational_part());
        }
        let mut b = Acc::default();
        b.add_product(&a, (&Integer::from(10), &Rational::from((1, 2))));
        let want = &(&r(2) + &r(5)) * &SqrtSum::from(SqrtRational::sqrt_of_ratio(10, 4).unwrap());
        assert_eq!(b.to_sqrt_sum(), want);
        let mut c = Acc::default();
        c.add_scaled_sqrt2(&Acc::one(), true, 3);
        assert_eq!(
            c.to_sqrt_sum(),
            SqrtSum::from(-SqrtRational::sqrt_of_ratio(1, 8).unwrap())
        );
        c.add_scaled_sqrt2(&Acc::one(), false, 3);
        assert!(c.is_zero());
    }
}
