//! Recurrence and gradient coefficients of the real spherical harmonics, each √(p/q) rounded
//! once to the element type.
//!
//! Derivation (standard frame X = z, Y = x, Z = y of e3nn's coordinates, component
//! normalisation Ŷ, so that Σ_m Ŷ_lm² = (2l+1) r^{2l}):
//!
//! ```text
//! sectoral:   Ŷ_l^{+l} + i Ŷ_l^{−l} = √((2l+1)/(2l)) (X + iY)(Ŷ_{l−1}^{+(l−1)} + i Ŷ_{l−1}^{−(l−1)}),
//!             Ŷ_1 = √3 (x, y, z)
//! vertical:   Ŷ_l^{±m} = a_lm Z Ŷ_{l−1}^{±m} − b_lm r² Ŷ_{l−2}^{±m}   (m ≤ l−1)
//!             a_lm² = (4l²−1)/(l²−m²),  b_lm² = (2l+1)((l−1)²−m²)/((2l−3)(l²−m²))
//! gradient:   ∂_Z Ŷ_l^{±m} = g Ŷ_{l−1}^{±m},             g² = (2l+1)(l+m)(l−m)/(2l−1)
//!             ∂_X Ŷ_l^{+m} = −P Ŷ_{l−1}^{+(m+1)} + M Ŷ_{l−1}^{+(m−1)}
//!             ∂_Y Ŷ_l^{+m} = −P Ŷ_{l−1}^{−(m+1)} − M Ŷ_{l−1}^{−(m−1)}
//!             ∂_X Ŷ_l^{−m} = −P Ŷ_{l−1}^{−(m+1)} + M Ŷ_{l−1}^{−(m−1)}
//!             ∂_Y Ŷ_l^{−m} = +P Ŷ_{l−1}^{+(m+1)} + M Ŷ_{l−1}^{+(m−1)}
//!             P² = (2l+1)(l−m)(l−m−1)/(4(2l−1)) (m ≥ 1),  (2l+1)l(l−1)/(2(2l−1)) (m = 0)
//!             M² = (2l+1)(l+m)(l+m−1)/(4(2l−1)) (m ≥ 2),  (2l+1)(l+1)l/(2(2l−1)) (m = 1)
//!             (terms with Ŷ^{−0} are absent; at m = 0 only the P and g terms exist).
//! ```
//! The vertical recurrence is Legendre's three-term recurrence with the normalisation folded
//! in; the gradient rules follow from ∂_Z T_l^m = (l+m) T_{l−1}^m,
//! (∂_X + i∂_Y) T_l^m = −T_{l−1}^{m+1}, (∂_X − i∂_Y) T_l^m = (l+m)(l+m−1) T_{l−1}^{m−1} for the
//! unnormalised complex solid harmonics T_l^m = r^l P_l^m(cos θ) e^{imφ} (no Condon–Shortley
//! phase). Other normalisations scale degree l by κ_l (κ_l² = 1/(2l+1) for `Norm`), which
//! multiplies each coefficient by a ratio κ_l/κ_{l−k}, again √(rational).
//!
//! Summing the squared gradient coefficients of one output gives l(2l+1) for every m
//! (Schur's lemma; tested), which normalises the Wigner-D recursion in `wigner_d.rs`.

use super::ShNormalization;
use crate::Float;

/// A rational p/q with small naturals (squares of coefficients).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ratio {
    pub num: u128,
    pub den: u128,
}

impl Ratio {
    pub const fn new(num: u128, den: u128) -> Ratio {
        Ratio { num, den }
    }

    pub fn mul(self, o: Ratio) -> Ratio {
        let (a, b) = (self.num * o.num, self.den * o.den);
        let g = gcd(a, b);
        Ratio::new(a / g, b / g)
    }

    pub fn sqrt<T: Float>(self) -> T {
        T::sqrt_ratio(self.num, self.den)
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// κ_l² / κ_k², the squared ratio of the degree-l and degree-k normalisation factors.
fn kappa_ratio(norm: ShNormalization, l: usize, k: usize) -> Ratio {
    match norm {
        ShNormalization::Component | ShNormalization::Integral => Ratio::new(1, 1),
        ShNormalization::Norm => Ratio::new(2 * k as u128 + 1, 2 * l as u128 + 1),
    }
}

/// One term of ∂_axis Y_l[μ] = Σ coeff · Y_{l−1}[ν] (indices within the degree, 0..2l).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct GradTerm {
    /// Output index μ = l + m within degree l.
    pub mu: usize,
    /// 0, 1, 2 for ∂/∂x, ∂/∂y, ∂/∂z (e3nn coordinates).
    pub axis: usize,
    /// Source index ν = (l−1) + m' within degree l−1.
    pub nu: usize,
    /// Sign of the coefficient.
    pub negative: bool,
    /// The squared coefficient, component normalisation.
    pub sq: Ratio,
}

/// The gradient rule of degree l ≥ 1 in component normalisation, sorted by (μ, axis).
pub(crate) fn gradient_terms(l: usize) -> Vec<GradTerm> {
    assert!(l >= 1);
    let li = l as i64;
    let (x, y, z) = (0, 1, 2);
    let idx = |m: i64| -> Option<usize> { (m.abs() < li).then(|| (li - 1 + m) as usize) };
    let q = |n: i64, d: i64| Ratio::new(n as u128, d as u128).mul(Ratio::new(1, 1));
    let mut terms = Vec::new();
    let mut push = |mu: i64, axis: usize, src: i64, negative: bool, sq: Ratio| {
        if sq.num == 0 {
            return;
        }
        let nu = idx(src).expect("non-zero gradient coefficient has a source in degree l−1");
        terms.push(GradTerm {
            mu: (li + mu) as usize,
            axis,
            nu,
            negative,
            sq,
        });
    };
    let two_l_m1 = 2 * li - 1;
    let two_l_p1 = 2 * li + 1;
    for m in -li..=li {
        let am = m.abs();
        let g = q(two_l_p1 * (li + am) * (li - am), two_l_m1);
        let p = if am == 0 {
            q(two_l_p1 * li * (li - 1), 2 * two_l_m1)
        } else {
            q(two_l_p1 * (li - am) * (li - am - 1).max(0), 4 * two_l_m1)
        };
        let mm = match am {
            0 => q(0, 1),
            1 => q(two_l_p1 * (li + 1) * li, 2 * two_l_m1),
            _ => q(two_l_p1 * (li + am) * (li + am - 1), 4 * two_l_m1),
        };
        if m == 0 {
            push(m, x, -1, true, p);
            push(m, y, 0, false, g);
            push(m, z, 1, true, p);
        } else if m > 0 {
            // ∂_x = ∂_Y, ∂_y = ∂_Z, ∂_z = ∂_X
            push(m, x, -(am + 1), true, p);
            if am >= 2 {
                push(m, x, -(am - 1), true, mm);
            }
            push(m, y, m, false, g);
            push(m, z, am + 1, true, p);
            push(m, z, am - 1, false, mm);
        } else {
            push(m, x, am + 1, false, p);
            push(m, x, am - 1, false, mm);
            push(m, y, m, false, g);
            push(m, z, -(am + 1), true, p);
            if am >= 2 {
                push(m, z, -(am - 1), false, mm);
            }
        }
    }
    terms.sort_by_key(|t| (t.mu, t.axis, t.nu));
    terms
}

/// All coefficients of one [`super::SphericalHarmonics`] calculator.
#[derive(Debug, Clone)]
pub(crate) struct ShTables<T> {
    /// Y_1 = y1 · (x, y, z) (before the final `Integral` factor).
    pub y1: T,
    /// `sect[l]`, l ≥ 2: Y_l^{+l} + iY_l^{−l} = sect_l (X + iY)(Y_{l−1}^{+(l−1)} + iY_{l−1}^{−(l−1)}).
    pub sect: Vec<T>,
    /// `edge[l]`, l ≥ 2: Y_l^{±(l−1)} = edge_l Z Y_{l−1}^{±(l−1)}.
    pub edge: Vec<T>,
    /// For l ≥ 2, `a_lm` for m = −(l−2)..=(l−2) at offset (l−2)².
    pub a: Vec<T>,
    /// For l ≥ 2, `b_lm` for m = −(l−2)..=(l−2) at offset (l−2)².
    pub b: Vec<T>,
    /// Gradient terms of all degrees, exactly two per gradient row `3·(l² + μ) + axis`:
    /// `(source index (l−1)² + ν in the value row, coefficient)`. Rows with fewer terms are
    /// padded with `(dim, 0)`, and index `dim` reads as zero.
    pub grad_pairs: Vec<[(u32, T); 2]>,
    /// The same gradient coefficients by shape, for the kernel that is vectorised over m
    /// ([`super::kernel::gradients_padded`]): entry `l² + μ` of each table multiplies the source
    /// of degree l−1 at ν = 2l−μ (`gxa`), 2l−2−μ (`gxb`) for ∂/∂x; ν = μ−1 (`gy`) for ∂/∂y;
    /// ν = μ (`gza`), μ−2 (`gzb`) for ∂/∂z; 0 where the term is absent or ν is out of range.
    pub gxa: Vec<T>,
    /// See [`ShTables::gxa`].
    pub gxb: Vec<T>,
    /// See [`ShTables::gxa`].
    pub gy: Vec<T>,
    /// See [`ShTables::gxa`].
    pub gza: Vec<T>,
    /// See [`ShTables::gxa`].
    pub gzb: Vec<T>,
    /// Final factor for `Integral` (1/√(4π)), `None` otherwise.
    pub scale: Option<T>,
}

impl<T: Float> ShTables<T> {
    pub fn new(l_max: usize, norm: ShNormalization) -> Self {
        let n = l_max + 1;
        let mut sect = vec![T::ZERO; n.max(2)];
        let mut edge = vec![T::ZERO; n.max(2)];
        let rows = l_max.saturating_sub(1) * l_max.saturating_sub(1);
        let mut a = Vec::with_capacity(rows);
        let mut b = Vec::with_capacity(rows);
        let y1 = Ratio::new(3, 1).mul(kappa_ratio(norm, 1, 0)).sqrt();
        for l in 2..=l_max {
            let lu = l as u128;
            let k1 = kappa_ratio(norm, l, l - 1);
            let k2 = kappa_ratio(norm, l, l - 2);
            sect[l] = Ratio::new(2 * lu + 1, 2 * lu).mul(k1).sqrt();
            edge[l] = Ratio::new(2 * lu + 1, 1).mul(k1).sqrt();
            for m in -(l as i64 - 2)..=(l as i64 - 2) {
                let m2 = (m * m) as u128;
                let den = lu * lu - m2;
                a.push(Ratio::new(4 * lu * lu - 1, den).mul(k1).sqrt());
                let bn = (2 * lu + 1) * ((lu - 1) * (lu - 1) - m2);
                b.push(Ratio::new(bn, (2 * lu - 3) * den).mul(k2).sqrt());
            }
        }
        // (destination, source, coefficient), sorted by destination.
        let mut grad: Vec<(u32, u32, T)> = Vec::new();
        let mut shaped = [(); 5].map(|_| vec![T::ZERO; n * n]);
        for l in 1..=l_max {
            let k1 = kappa_ratio(norm, l, l - 1);
            for t in gradient_terms(l) {
                let c: T = t.sq.mul(k1).sqrt();
                let table = match (t.axis, t.nu + t.mu) {
                    (0, s) if s == 2 * l => 0,
                    (0, s) if s + 2 == 2 * l => 1,
                    (1, _) if t.nu + 1 == t.mu => 2,
                    (2, _) if t.nu == t.mu => 3,
                    (2, _) if t.nu + 2 == t.mu => 4,
                    _ => unreachable!("gradient term outside the five shapes: {t:?}"),
                };
                shaped[table][l * l + t.mu] = if t.negative { -c } else { c };
                let dst = 3 * (l * l + t.mu) + t.axis;
                let src = (l - 1) * (l - 1) + t.nu;
                grad.push((dst as u32, src as u32, if t.negative { -c } else { c }));
            }
        }
        debug_assert!(grad.windows(2).all(|w| w[0].0 <= w[1].0));
        let dim3 = 3 * n * n;
        let mut grad_offsets = Vec::with_capacity(dim3 + 1);
        let mut next = 0usize;
        for d in 0..=dim3 {
            while next < grad.len() && (grad[next].0 as usize) < d {
                next += 1;
            }
            grad_offsets.push(next as u32);
        }
        let zero_lane = (n * n) as u32;
        let grad_pairs = grad_offsets
            .windows(2)
            .map(|w| {
                let terms = &grad[w[0] as usize..w[1] as usize];
                assert!(terms.len() <= 2, "a gradient row has at most two terms");
                let get = |i: usize| {
                    terms
                        .get(i)
                        .map_or((zero_lane, T::ZERO), |&(_, s, c)| (s, c))
                };
                [get(0), get(1)]
            })
            .collect();
        let scale = (norm == ShNormalization::Integral).then(T::frac_1_sqrt_4pi);
        let [gxa, gxb, gy, gza, gzb] = shaped;
        ShTables {
            y1,
            sect,
            edge,
            a,
            b,
            grad_pairs,
            gxa,
            gxb,
            gy,
            gza,
            gzb,
            scale,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_coefficients_sum_to_l_2l_plus_1() {
        // Schur: Σ_{axis, ν} G_{axis μ ν}² = l(2l+1) for every μ.
        for l in 1..=40usize {
            let terms = gradient_terms(l);
            for mu in 0..=2 * l {
                let mut num = 0u128;
                let mut den = 1u128;
                for t in terms.iter().filter(|t| t.mu == mu) {
                    // num/den += t.sq
                    num = num * t.sq.den + t.sq.num * den;
                    den *= t.sq.den;
                    let g = gcd(num, den);
                    (num, den) = (num / g, den / g);
                }
                assert_eq!(
                    (num, den),
                    ((l * (2 * l + 1)) as u128, 1),
                    "l = {l}, μ = {mu}"
                );
            }
        }
    }

    #[test]
    fn shaped_gradient_tables_hold_the_same_terms_as_the_pairs() {
        for norm in [ShNormalization::Component, ShNormalization::Norm] {
            let l_max = 24;
            let t = ShTables::<f64>::new(l_max, norm);
            let dim = (l_max + 1) * (l_max + 1);
            for l in 1..=l_max {
                for mu in 0..=2 * l {
                    let k = l * l + mu;
                    let base = (l - 1) * (l - 1);
                    // (table, ν) per axis, ν = None outside degree l−1
                    let nu = |v: i64| (0..2 * l as i64 - 1).contains(&v).then_some(v as usize);
                    let (li, mi) = (l as i64, mu as i64);
                    let shaped = [
                        vec![(t.gxa[k], nu(2 * li - mi)), (t.gxb[k], nu(2 * li - 2 - mi))],
                        vec![(t.gy[k], nu(mi - 1))],
                        vec![(t.gza[k], nu(mi)), (t.gzb[k], nu(mi - 2))],
                    ];
                    for (a, terms) in shaped.iter().enumerate() {
                        let mut got: Vec<(u32, f64)> = terms
                            .iter()
                            .filter(|(c, _)| *c != 0.0)
                            .map(|&(c, v)| ((base + v.expect("coefficient in range")) as u32, c))
                            .collect();
                        let mut want: Vec<(u32, f64)> = t.grad_pairs[3 * k + a]
                            .iter()
                            .filter(|&&(src, _)| src as usize != dim)
                            .copied()
                            .collect();
                        got.sort_by_key(|p| p.0);
                        want.sort_by_key(|p| p.0);
                        assert_eq!(got, want, "l = {l}, μ = {mu}, axis {a}");
                    }
                }
            }
        }
    }

    #[test]
    fn gradient_terms_l1_is_sqrt3_identity() {
        let t = gradient_terms(1);
        assert_eq!(t.len(), 3);
        for (i, term) in t.iter().enumerate() {
            assert_eq!(
                (term.mu, term.axis, term.nu, term.negative),
                (i, i, 0, false)
            );
            assert_eq!(term.sq, Ratio::new(3, 1));
        }
    }
}
