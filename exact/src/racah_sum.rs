//! The exact engine shared by every symbol: alternating factorial sums and the assembly of
//! `integer × √(∏ p^e)` into a canonical [`SqrtRational`], with big integers (GMP).
//!
//! A Racah-type sum
//! ```text
//! S = Σ_{t=t0}^{t1} (−1)^t ∏_a (t+a)! / ( ∏_b (t+b)! ∏_c (c−t)! )
//! ```
//! is evaluated by Horner's rule on the ratio of consecutive terms,
//! `c_{t+1}/c_t = −N_t/D_t` with `N_t = ∏_a (t+1+a) ∏_c (c−t)` and `D_t = ∏_b (t+1+b)`:
//! only multiplications of a big integer by machine words, no division and no gcd. The result is
//! `S = (−1)^{t0} · A · ∏_a (t0+a)! / ( ∏_b (t1+b)! ∏_c (c−t0)! )`, with the factorials kept as
//! prime-exponent vectors.

use crate::{FactorialCache, SqrtRational};
use rug::{Integer, Rational};

/// `value = a · ∏_i p_i^{exps[i]}` (exponents may be negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Factored {
    pub a: Integer,
    pub exps: Vec<i64>,
}

/// One alternating factorial sum; the caller guarantees `t0 <= t1` and non-negative factorial
/// arguments over the whole range.
pub(crate) struct FactSum<'a> {
    pub num: &'a [i64],
    pub den_plus: &'a [i64],
    pub den_minus: &'a [i64],
    pub t0: i64,
    pub t1: i64,
}

/// Multiplies `x` by the product of `factors` (each < 2^63), batching them into machine words.
fn mul_small(x: &mut Integer, factors: impl Iterator<Item = u64>) {
    let mut acc: u64 = 1;
    for f in factors {
        match acc.checked_mul(f) {
            Some(v) => acc = v,
            None => {
                *x *= acc;
                acc = f;
            }
        }
    }
    if acc != 1 {
        *x *= acc;
    }
}

impl FactSum<'_> {
    pub fn eval(&self, cache: &mut FactorialCache) -> Factored {
        debug_assert!(self.t0 <= self.t1);
        let mut a = Integer::from(1);
        let mut b = Integer::from(1);
        for t in (self.t0..self.t1).rev() {
            // X_t = 1 − (N_t/D_t)·X_{t+1}, X_{t+1} = a/b  ⇒  a ← D_t·b − N_t·a, b ← D_t·b.
            mul_small(&mut b, self.den_plus.iter().map(|&x| (t + 1 + x) as u64));
            mul_small(
                &mut a,
                self.num
                    .iter()
                    .map(|&x| (t + 1 + x) as u64)
                    .chain(self.den_minus.iter().map(|&c| (c - t) as u64)),
            );
            a -= &b;
            a = -a;
        }
        if self.t0 % 2 != 0 {
            a = -a;
        }
        let mut exps = Vec::new();
        for &x in self.num {
            cache.add_factorial(&mut exps, (self.t0 + x) as u32, 1);
        }
        for &x in self.den_plus {
            cache.add_factorial(&mut exps, (self.t1 + x) as u32, -1);
        }
        for &c in self.den_minus {
            cache.add_factorial(&mut exps, (c - self.t0) as u32, -1);
        }
        Factored { a, exps }
    }
}

/// `a · √(∏ p_i^{e2[i]})` as a canonical [`SqrtRational`] (`e2` may have odd and negative
/// entries; the radicand is the product of the primes with odd exponent).
pub(crate) fn assemble(a: Integer, e2: &[i64], primes: &[u32]) -> SqrtRational {
    if a == 0 {
        return SqrtRational::ZERO;
    }
    let mut num_f: Vec<u64> = Vec::new();
    let mut den_f: Vec<u64> = Vec::new();
    let mut rad_f: Vec<u64> = Vec::new();
    for (&e, &p) in e2.iter().zip(primes) {
        if e == 0 {
            continue;
        }
        let (q, r) = (e.div_euclid(2), e.rem_euclid(2));
        if r == 1 {
            rad_f.push(p as u64);
        }
        let target = if q > 0 { &mut num_f } else { &mut den_f };
        for _ in 0..q.unsigned_abs() {
            target.push(p as u64);
        }
    }
    let mut num = a;
    mul_small(&mut num, num_f.into_iter());
    let mut den = Integer::from(1);
    mul_small(&mut den, den_f.into_iter());
    let mut rad = Integer::from(1);
    mul_small(&mut rad, rad_f.into_iter());
    SqrtRational::from_big_unchecked(Rational::from((num, den)), rad)
}

/// `Σ_k a_k ∏ p^{e_k}` as a [`Factored`] with the componentwise-minimum exponents pulled out.
pub(crate) fn sum_factored(terms: Vec<Factored>, primes: &[u32]) -> Factored {
    let len = terms.iter().map(|t| t.exps.len()).max().unwrap_or(0);
    let mut g = vec![i64::MAX; len];
    for t in &terms {
        for (i, gi) in g.iter_mut().enumerate() {
            *gi = (*gi).min(t.exps.get(i).copied().unwrap_or(0));
        }
    }
    let mut total = Integer::new();
    for t in terms {
        let mut x = t.a;
        let mut factors = Vec::new();
        for (i, &gi) in g.iter().enumerate() {
            let d = t.exps.get(i).copied().unwrap_or(0) - gi;
            for _ in 0..d {
                factors.push(primes[i] as u64);
            }
        }
        mul_small(&mut x, factors.into_iter());
        total += x;
    }
    Factored { a: total, exps: g }
}
