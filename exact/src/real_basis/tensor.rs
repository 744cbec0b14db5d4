//! [`RealCgTensor`]: e3nn's real coupling tensors, exactly.

use super::scaled_cg::ScaledCg;
use super::{check_l, q_unit};
use crate::{real_generators, ExactError, FactorialCache, SparseMatrix, SqrtRational, SqrtSum};
use std::collections::BTreeMap;

const ZERO: SqrtRational = SqrtRational::ZERO;

/// e3nn's real coupling tensor `C[a][b][c]` of `(l1, l2, l3)`, exactly, stored sparsely.
///
/// ```text
/// C[a,b,c] = Σ_{m1,m2,m3} Q1[m1,a] Q2[m2,b] conj(Q3[m3,c]) ⟨l1 m1 l2 m2|l3 m3⟩ / √(2l3+1)
/// ```
///
/// Shape `(2l1+1, 2l2+1, 2l3+1)`, indices are e3nn real indices `0 … 2l`. Every entry is a
/// single `r·√d` ([`SqrtRational`]): column `a` of `Q1` is nonzero only at `m1 = ±(a − l1)`, so
/// the sum has at most two nonzero terms, `(m1, m2, m3)` and `(−m1, −m2, −m3)`, whose CG values
/// differ by the sign `(−1)^(l1+l2−l3)` — the entry is `(u1 ± u2)·|Q1 Q2 Q3|·CG/√(2l3+1)` with
/// units `u1, u2 ∈ {±1, ±i}`, and the imaginary part of `u1 ± u2` vanishes (a debug assertion,
/// tested for every triple with l ≤ 8). The Frobenius norm
/// is exactly 1 for every triangle `(l1, l2, l3)`; a non-triangle triple gives the all-zero tensor.
///
/// # Convention
/// e3nn ≥ 0.5 / e3nn-jax `clebsch_gordan(l1, l2, l3)`, no further sign choice
/// (`CONVENTIONS.md#real-basis`). The l = 1 index order is (x, y, z) (`CONVENTIONS.md#axes`).
///
/// # Examples
/// ```
/// use racah_exact::{real_cg, SqrtRational};
/// let c = real_cg(1, 1, 1)?; // ε_ijk/√6
/// assert_eq!(c.shape(), [3, 3, 3]);
/// assert_eq!(*c.get(0, 1, 2), SqrtRational::sqrt_of_ratio(1, 6)?);
/// assert_eq!(*c.get(1, 0, 2), -SqrtRational::sqrt_of_ratio(1, 6)?);
/// assert!(c.get(0, 0, 1).is_zero());
/// assert_eq!(c.nonzeros().count(), 6);
/// assert_eq!(c.frobenius_norm_squared(), SqrtRational::ONE);
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RealCgTensor {
    l: [u32; 3],
    /// Row-major flat indices `(a·n2 + b)·n3 + c` of the nonzero entries, increasing.
    index: Vec<u32>,
    /// The nonzero values, parallel to `index`.
    values: Vec<SqrtRational>,
}

impl RealCgTensor {
    /// `[l1, l2, l3]`.
    pub fn l(&self) -> [u32; 3] {
        self.l
    }

    /// `[2l1+1, 2l2+1, 2l3+1]`.
    pub fn shape(&self) -> [usize; 3] {
        self.l.map(|l| 2 * l as usize + 1)
    }

    /// The number of entries, `(2l1+1)(2l2+1)(2l3+1)`.
    pub fn num_entries(&self) -> usize {
        self.shape().iter().product()
    }

    /// Whether every entry is 0 (exactly when `(l1, l2, l3)` is not a triangle).
    pub fn is_zero(&self) -> bool {
        self.values.is_empty()
    }

    /// The number of nonzero entries.
    pub fn num_nonzeros(&self) -> usize {
        self.values.len()
    }

    fn flat(&self, a: usize, b: usize, c: usize) -> usize {
        let [_, n2, n3] = self.shape();
        (a * n2 + b) * n3 + c
    }

    fn unflat(&self, i: usize) -> (usize, usize, usize) {
        let [_, n2, n3] = self.shape();
        (i / (n2 * n3), (i / n3) % n2, i % n3)
    }

    /// The entry `C[a][b][c]`.
    ///
    /// # Panics
    /// If an index is outside [`shape`](Self::shape).
    #[track_caller]
    pub fn get(&self, a: usize, b: usize, c: usize) -> &SqrtRational {
        let [n1, n2, n3] = self.shape();
        assert!(
            a < n1 && b < n2 && c < n3,
            "index ({a}, {b}, {c}) out of shape {:?}",
            self.shape()
        );
        let f = self.flat(a, b, c) as u32;
        match self.index.binary_search(&f) {
            Ok(p) => &self.values[p],
            Err(_) => &ZERO,
        }
    }

    /// The nonzero entries `(a, b, c, value)` in row-major order.
    pub fn nonzeros(&self) -> impl ExactSizeIterator<Item = (usize, usize, usize, &SqrtRational)> {
        self.index.iter().zip(&self.values).map(|(&i, v)| {
            let (a, b, c) = self.unflat(i as usize);
            (a, b, c, v)
        })
    }

    /// Every entry `([a, b, c], value)`, zeros included, in row-major order.
    pub fn iter(&self) -> impl Iterator<Item = ([usize; 3], &SqrtRational)> {
        let mut next = 0;
        (0..self.num_entries()).map(move |i| {
            let (a, b, c) = self.unflat(i);
            let v = match self.index.get(next) {
                Some(&f) if f as usize == i => {
                    next += 1;
                    &self.values[next - 1]
                }
                _ => &ZERO,
            };
            ([a, b, c], v)
        })
    }

    /// The dense array, row-major `[a][b][c]`, exact.
    pub fn to_dense(&self) -> Vec<SqrtRational> {
        let mut out = vec![SqrtRational::ZERO; self.num_entries()];
        for (&i, v) in self.index.iter().zip(&self.values) {
            out[i as usize] = v.clone();
        }
        out
    }

    /// The dense array, row-major `[a][b][c]`, each entry correctly rounded to f64.
    ///
    /// # Convention
    /// Round to nearest, ties to even, once from the exact value (`CONVENTIONS.md#rounding`).
    pub fn to_f64(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.num_entries()];
        for (&i, v) in self.index.iter().zip(&self.values) {
            out[i as usize] = v.to_f64();
        }
        out
    }

    /// The dense array, row-major `[a][b][c]`, each entry correctly rounded to f32 (directly from
    /// the exact value, not via f64).
    ///
    /// # Convention
    /// `CONVENTIONS.md#rounding`.
    pub fn to_f32(&self) -> Vec<f32> {
        let mut out = vec![0.0; self.num_entries()];
        for (&i, v) in self.index.iter().zip(&self.values) {
            out[i as usize] = v.to_f32();
        }
        out
    }

    /// `Σ_{a,b,c} C[a,b,c]²`, exactly: 1 for every triangle `(l1, l2, l3)`, 0 otherwise.
    pub fn frobenius_norm_squared(&self) -> SqrtRational {
        let mut s = rug::Rational::new();
        for v in &self.values {
            s += v.square();
        }
        SqrtRational::from_rational(s)
    }

    /// Checks the storage invariant: flat indices strictly increasing and in range, values nonzero
    /// and canonical ([`SqrtRational::is_valid`]).
    pub fn is_valid(&self) -> bool {
        self.index.len() == self.values.len()
            && self.index.windows(2).all(|w| w[0] < w[1])
            && self
                .index
                .last()
                .is_none_or(|&i| (i as usize) < self.num_entries())
            && self.values.iter().all(|v| !v.is_zero() && v.is_valid())
    }

    /// Whether the tensor commutes exactly with the real generators ([`real_generators`]):
    /// for `X = L_x, L_y, L_z`,
    ///
    /// ```text
    /// Σ_c' X^(l3)[c,c'] C[a,b,c'] = Σ_a' C[a',b,c] X^(l1)[a',a] + Σ_b' C[a,b',c] X^(l2)[b',b]
    /// ```
    ///
    /// i.e. `X^(l3)·C = C·(X^(l1) ⊗ 1 + 1 ⊗ X^(l2))` as maps `V_l1 ⊗ V_l2 → V_l3`: the Lie-algebra
    /// form of SO(3)-equivariance, checked in Q(√2, √3, …) with `==`. True for every tensor
    /// [`real_cg`] returns; a certificate, not a tolerance.
    ///
    /// # Examples
    /// ```
    /// assert!(racah_exact::real_cg(2, 3, 4)?.is_equivariant());
    /// # Ok::<(), racah_exact::ExactError>(())
    /// ```
    pub fn is_equivariant(&self) -> bool {
        let gens = |l: u32| real_generators(l).map(|g| g.map(|x| adjacency(&x)));
        // Cannot fail: a tensor exists only for l within the generators' limit.
        let (Ok(g1), Ok(g2), Ok(g3t)) = (
            gens(self.l[0]),
            gens(self.l[1]),
            real_generators(self.l[2]).map(|g| g.map(|x| adjacency(&x.transpose()))),
        ) else {
            return false;
        };
        for k in 0..3 {
            let mut diff: BTreeMap<(usize, usize, usize), SqrtSum> = BTreeMap::new();
            for (a, b, c, v) in self.nonzeros() {
                // X3·C: column c of X3 is row c of X3ᵀ.
                for (c2, x) in &g3t[k][c] {
                    *diff.entry((a, b, *c2)).or_default() += &(x * v);
                }
                // C·(X1 ⊗ 1) and C·(1 ⊗ X2), subtracted.
                for (a2, x) in &g1[k][a] {
                    *diff.entry((*a2, b, c)).or_default() += &-(x * v);
                }
                for (b2, x) in &g2[k][b] {
                    *diff.entry((a, *b2, c)).or_default() += &-(x * v);
                }
            }
            if diff.values().any(|s| !s.is_zero()) {
                return false;
            }
        }
        true
    }
}

/// Row lists of a sparse matrix: `rows[r] = [(c, A[r][c])]`.
fn adjacency(m: &SparseMatrix) -> Vec<Vec<(usize, SqrtRational)>> {
    let mut rows = vec![Vec::new(); m.dim()];
    for (r, c, v) in m.nonzeros() {
        rows[r].push((c, v.clone()));
    }
    rows
}

/// e3nn's real coupling tensor of `(l1, l2, l3)`, exactly (see [`RealCgTensor`]).
///
/// ```text
/// C[a,b,c] = Σ Q1[m1,a] Q2[m2,b] conj(Q3[m3,c]) ⟨l1 m1 l2 m2|l3 m3⟩ / √(2l3+1)
/// ```
///
/// No dense sum over m is formed. Each real entry receives at most two complex terms,
/// `(m1, m2, m3)` and `(−m1, −m2, −m3)`, whose CG values agree up to `(−1)^(l1+l2−l3)`, so an
/// entry is `(u1 ± u2)·|Q1 Q2 Q3|·CG/√(2l3+1)` with units `u1, u2 ∈ {±1, ±i}`. The magnitudes
/// `CG/√(2l3+1)` (times `1/√2` when all three m are nonzero) are evaluated once per orbit
/// `{±(m1, m2)}` — about a third of the CG block — by Racah's sum in machine
/// integers with the triangle coefficient shared and the scale folded into the prime exponents
/// (big integers beyond that range), and shared by the up to eight entries of the orbit. When
/// `l1 = l2`, the exchange symmetry `⟨l m1 l m2|L M⟩ = (−1)^L ⟨l m2 l m1|L M⟩` gives half of the
/// orbit values from the other half, so only about a sixth of the block is summed.
///
/// # Convention
/// `CONVENTIONS.md#real-basis`: matches e3nn (≥ 0.5) and e3nn-jax `clebsch_gordan`, signs
/// included.
///
/// # Errors
/// [`ExactError::Overflow`] if some `l > 2^21`, or if the tensor has more than 2^26 entries
/// (the limit of [`cg_block`](crate::cg_block)). A triple that violates the triangle condition is
/// not an error: it gives the all-zero tensor.
///
/// # Examples
/// ```
/// use racah_exact::{real_cg, SqrtRational};
/// let c = real_cg(1, 1, 2)?;
/// assert_eq!(*c.get(1, 1, 2), SqrtRational::sqrt_of_ratio(4, 30)?); // 2/√30
/// assert_eq!(*c.get(0, 0, 4), -SqrtRational::sqrt_of_ratio(1, 10)?);
/// assert!(real_cg(1, 1, 3)?.is_zero()); // not a triangle: zero, not an error
/// assert!(real_cg(1 << 22, 0, 1 << 22).is_err());
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
pub fn real_cg(l1: u32, l2: u32, l3: u32) -> Result<RealCgTensor, ExactError> {
    real_cg_impl([l1, l2, l3], None)
}

/// [`real_cg`] with an explicit [`FactorialCache`] (used only when a value needs the
/// big-integer route: beyond the machine-integer range, about `l1 + l2 + l3 > 57`).
///
/// # Errors
/// As [`real_cg`].
pub fn real_cg_with(
    l1: u32,
    l2: u32,
    l3: u32,
    cache: &mut FactorialCache,
) -> Result<RealCgTensor, ExactError> {
    real_cg_impl([l1, l2, l3], Some(cache))
}

fn real_cg_impl(
    l: [u32; 3],
    cache: Option<&mut FactorialCache>,
) -> Result<RealCgTensor, ExactError> {
    let [l1, l2, l3] = [check_l(l[0])?, check_l(l[1])?, check_l(l[2])?];
    let t = RealCgTensor {
        l,
        index: Vec::new(),
        values: Vec::new(),
    };
    if t.shape().iter().map(|&n| n as u64).product::<u64>() > 1 << 26 {
        return Err(ExactError::Overflow {
            value: format!("({l1}, {l2}, {l3})"),
            what: "real_cg is limited to 2^26 dense entries",
        });
    }
    if l3 < (l1 - l2).abs() || l3 > l1 + l2 {
        return Ok(t);
    }
    let mut cg = ScaledCg::new([l1, l2, l3], cache)?;
    Ok(fill(t, [l1, l2, l3], &mut cg, true))
}

/// Fills the nonzero entries of `t`.
///
/// For an orbit `{(m1, m2, m3), (−m1, −m2, −m3)}` with `m ≠ 0` the unit sum `u1 ± u2` of two
/// real units is 0 or ±2, and then `n ≥ 2` of the three Q entries are `1/√2`; for `m = 0` there
/// is one term with `u = ±1` and `n = 0`. So each entry is `±CG/√(2l3+1)` (`n = 0, 2`) or
/// `±CG/√(2(2l3+1))` (`n = 3`), one value per orbit shared by its ≤ 2 entries. With `swap` and
/// `l1 = l2`, half of the orbit values come from the other half by the exchange symmetry.
fn fill(
    mut t: RealCgTensor,
    [l1, l2, l3]: [i64; 3],
    cg: &mut ScaledCg<'_>,
    swap: bool,
) -> RealCgTensor {
    let [_, n2, n3] = t.shape().map(|n| n as i64);
    // ⟨l1 −m1 l2 −m2|l3 −m3⟩ = (−1)^(l1+l2−l3) ⟨l1 m1 l2 m2|l3 m3⟩, as a power of i.
    let parity_k = 2 * (l1 + l2 - l3);
    // kt[j][a] = [k at m = −ν, k at m = +ν] of column a of Q_lj (Q[m, a] = i^k·|Q[m, a]|).
    let kt = [l1, l2, l3].map(|l| {
        (0..=2 * l)
            .map(|a| {
                let nu = (a - l).abs();
                [-nu, nu].map(|m| q_unit(l, m, a).map_or(0, |(k, _)| k))
            })
            .collect::<Vec<_>>()
    });
    // The orbit values, shared by the (up to 4) columns (a, b) = (l1 ± ν1, l2 ± ν2):
    // vals[(ν1·(l2+1) + ν2)·2 + o] for the orbit (m1, m2) = (ν1, ±ν2), o = 0 for +, 1 for −.
    let w2 = l2 as usize + 1;
    let mut vals = vec![SqrtRational::ZERO; (l1 as usize + 1) * w2 * 2];
    for nu1 in 0..=l1 {
        for nu2 in 0..=l2 {
            for (o, m2) in [nu2, -nu2].into_iter().enumerate() {
                let nu3 = (nu1 + m2).abs();
                if (o == 1 && (nu1 == 0 || nu2 == 0)) || nu3 > l3 {
                    continue;
                }
                let slot = (nu1 as usize * w2 + nu2 as usize) * 2 + o;
                if swap && l1 == l2 && nu2 < nu1 {
                    // ⟨l m1 l m2|L M⟩ = (−1)^L ⟨l m2 l m1|L M⟩ and ⟨l −m1 l −m2|L −M⟩ =
                    // (−1)^L ⟨l m1 l m2|L M⟩: orbit (ν1, ν2) is (−1)^L times orbit (ν2, ν1), orbit
                    // (ν1, −ν2) equals orbit (ν2, −ν1); both were filled at the earlier ν1 = ν2'.
                    let src = &vals[(nu2 as usize * w2 + nu1 as usize) * 2 + o];
                    vals[slot] = if o == 0 && l3 % 2 == 1 {
                        -src
                    } else {
                        src.clone()
                    };
                    continue;
                }
                let n = (nu1 > 0) as usize + (nu2 > 0) as usize + (nu3 > 0) as usize;
                debug_assert!(n != 1);
                vals[slot] = cg.value(nu1, m2, n == 3);
            }
        }
    }
    let cap = 2 * (n2 as usize) * (2 * l1 as usize + 1);
    t.index.reserve(cap);
    t.values.reserve(cap);
    // Real part of u1 ± u2 for the entry (a, b, c) of orbit (m1, m2, m3); `pair` unless
    // m1 = m2 = 0 (one complex term).
    let re_at = |a: i64, b: i64, c: i64, (m1, m2, m3): (i64, i64, i64), pair: bool| -> i32 {
        let (ka, kb, kc) = (&kt[0][a as usize], &kt[1][b as usize], &kt[2][c as usize]);
        // Re(i^k) and Im(i^k) for k mod 4 (k & 3 is k mod 4 in two's complement).
        const RE: [i32; 4] = [1, 0, -1, 0];
        const IM: [i32; 4] = [0, 1, 0, -1];
        let k = ka[(m1 > 0) as usize] + kb[(m2 > 0) as usize] - kc[(m3 > 0) as usize];
        let (mut re, mut im) = (RE[(k & 3) as usize], IM[(k & 3) as usize]);
        if pair {
            let k =
                ka[(m1 < 0) as usize] + kb[(m2 < 0) as usize] - kc[(m3 < 0) as usize] + parity_k;
            re += RE[(k & 3) as usize];
            im += IM[(k & 3) as usize];
        }
        // The (−i)^l phase makes the tensor real (CONVENTIONS.md#real-basis).
        debug_assert_eq!(im, 0, "imaginary part at ({a}, {b}, {c})");
        debug_assert!(re == 0 || re.abs() == if pair { 2 } else { 1 });
        re
    };
    for a in 0..=2 * l1 {
        let nu1 = (a - l1).abs();
        for b in 0..=2 * l2 {
            let nu2 = (b - l2).abs();
            let row = ((a * n2 + b) * n3) as u32;
            let base = (nu1 as usize * w2 + nu2 as usize) * 2;
            // Orbit A = (ν1, ν2) has ν3 = ν1 + ν2, orbit B = (ν1, −ν2) has ν3 = |ν1 − ν2| (only
            // when both are nonzero). In increasing c the entries are A−, B−, B+, A+.
            let orbit_a = (nu1, nu2, nu1 + nu2);
            let orbit_b = (nu1, -nu2, nu1 - nu2);
            let nu3a = orbit_a.2;
            let nu3b = orbit_b.2.abs();
            let live_a = nu3a <= l3 && !vals[base].is_zero();
            let live_b = nu1 != 0 && nu2 != 0 && nu3b <= l3 && !vals[base + 1].is_zero();
            let pair_a = nu1 != 0 || nu2 != 0;
            let mut push = |c: i64, r: i32, vi: usize| {
                if r != 0 {
                    t.index.push(row + c as u32);
                    t.values
                        .push(if r < 0 { -&vals[vi] } else { vals[vi].clone() });
                }
            };
            if live_a && nu3a > 0 {
                let c = l3 - nu3a;
                push(c, re_at(a, b, c, orbit_a, pair_a), base);
            }
            if live_b {
                let c = l3 - nu3b;
                push(c, re_at(a, b, c, orbit_b, true), base + 1);
                if nu3b > 0 {
                    let c = l3 + nu3b;
                    push(c, re_at(a, b, c, orbit_b, true), base + 1);
                }
            }
            if live_a {
                let c = l3 + nu3a;
                push(c, re_at(a, b, c, orbit_a, pair_a), base);
            }
        }
    }
    t
}

/// The Gaussian integer `u1 ± u2` of every real entry of `(l1, l2, l3)` whose CG factor is not a
/// parity zero, as `(a, b, c, re, im)`: lets the tests check that the imaginary parts vanish.
#[cfg(test)]
pub(crate) fn unit_sums(l1: i64, l2: i64, l3: i64) -> Vec<(i64, i64, i64, i32, i32)> {
    let parity_k = 2 * (l1 + l2 - l3);
    let q = |l: i64, m: i64, a: i64| q_unit(l, m, a).map_or(0, |(k, _)| k);
    let mut out = Vec::new();
    for a in 0..=2 * l1 {
        for b in 0..=2 * l2 {
            for c in 0..=2 * l3 {
                let (nu1, nu2, nu3) = ((a - l1).abs(), (b - l2).abs(), (c - l3).abs());
                let ms = |nu: i64| if nu == 0 { vec![0] } else { vec![-nu, nu] };
                for m1 in ms(nu1) {
                    for m2 in ms(nu2) {
                        let m3 = m1 + m2;
                        // Each orbit once: its representative has m1 > 0, or m1 = 0 and m2 ≥ 0.
                        if m3.abs() != nu3 || m1 < 0 || (m1 == 0 && m2 < 0) {
                            continue;
                        }
                        // ⟨l1 0 l2 0|l3 0⟩ = 0 for odd l1 + l2 + l3: nothing to cancel.
                        if m1 == 0 && m2 == 0 && (l1 + l2 + l3) % 2 == 1 {
                            continue;
                        }
                        let mut u = super::UnitSum::default();
                        u.add_power(q(l1, m1, a) + q(l2, m2, b) - q(l3, m3, c));
                        if m1 != 0 || m2 != 0 {
                            u.add_power(q(l1, -m1, a) + q(l2, -m2, b) - q(l3, -m3, c) + parity_k);
                        }
                        out.push((a, b, c, u.re, u.im));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imaginary_parts_cancel_exactly() {
        let mut count = 0;
        for l1 in 0..=8i64 {
            for l2 in 0..=8i64 {
                for l3 in (l1 - l2).abs()..=l1 + l2 {
                    for (a, b, c, re, im) in unit_sums(l1, l2, l3) {
                        assert_eq!(im, 0, "({l1},{l2},{l3})[{a},{b},{c}] has u = {re} + {im}i");
                        count += 1;
                    }
                }
            }
        }
        assert!(count > 10_000, "{count}");
    }

    #[test]
    fn exchange_symmetry_shortcut_is_exact() {
        for l in 0..=9i64 {
            for l3 in 0..=2 * l {
                let build = |swap: bool| {
                    let t = RealCgTensor {
                        l: [l as u32, l as u32, l3 as u32],
                        index: Vec::new(),
                        values: Vec::new(),
                    };
                    let mut cg = ScaledCg::new([l, l, l3], None).unwrap();
                    fill(t, [l, l, l3], &mut cg, swap)
                };
                let (fast, slow) = (build(true), build(false));
                assert_eq!(fast, slow, "({l},{l},{l3})");
                assert!(fast.is_valid() && !fast.is_zero());
            }
        }
        // Beyond the machine-integer range (big-integer fallback) as well.
        let t = real_cg(20, 20, 3).unwrap();
        assert_eq!(t.frobenius_norm_squared(), SqrtRational::ONE);
    }

    #[test]
    fn a_perturbed_tensor_is_not_equivariant() {
        let t = real_cg(2, 1, 2).unwrap();
        assert!(t.is_equivariant() && t.is_valid());
        for p in 0..t.num_nonzeros() {
            let mut bad = t.clone();
            bad.values[p] = -&bad.values[p];
            assert!(!bad.is_equivariant(), "sign flip at {p} not detected");
        }
        let mut bad = t.clone();
        bad.values[0] = SqrtRational::ZERO;
        assert!(!bad.is_valid());
    }
}
