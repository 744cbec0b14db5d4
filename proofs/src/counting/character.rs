//! Characters of O(3) = SO(3) × {1, inversion} as Laurent polynomials in q = e^{iθ}, graded
//! by parity.

use std::collections::BTreeMap;
use std::fmt;

use racah_core::{Irrep, Irreps, Parity, Spin};
use rug::Integer;

/// Weight (doubled projection 2m) → multiplicity.
type Weights = BTreeMap<i64, Integer>;

/// A (virtual) character of O(3), stored as its weight multiplicities split by parity.
///
/// ```text
/// χ(R_θ)      = E(q) + O(q),    χ(I·R_θ) = E(q) − O(q),    q = e^{iθ},
/// E(q) = Σ_m e_m q^m (even part),  O(q) = Σ_m o_m q^m (odd part),
/// ```
/// with m in half-integer steps (stored as doubled weights 2m), so V_j^p contributes
/// q^{−j} + … + q^{j} to its parity's part. Products, sums and Adams operations act on the
/// parts; the multiplicity of V_j^p is `w_p(j) − w_p(j+1)`, which equals the character
/// integral (1/π)∫₀^π χ(θ)χ_j(θ)(1−cos θ)dθ of MATH.md §5 (the Weyl integration formula on
/// the maximal torus). All coefficients are exact integers: no floating point anywhere.
///
/// # Convention
/// Parity `e`/`o` as in the e3nn grammar (`CONVENTIONS.md#irreps`); inversion acts on V_j^p
/// by p.
///
/// # Examples
/// ```
/// use racah_proofs::counting::O3Character;
/// let v = O3Character::from_irreps(&"1o".parse()?);
/// let vv = &v * &v; // 1o ⊗ 1o = 0e + 1e + 2e
/// assert_eq!(vv.decompose().iter().map(|(ir, m)| format!("{m}x{ir}")).collect::<Vec<_>>(),
///            ["1x0e", "1x1e", "1x2e"]);
/// # Ok::<(), racah_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct O3Character {
    even: Weights,
    odd: Weights,
}

fn add_into(acc: &mut Weights, w: i64, c: &Integer) {
    if *c == 0 {
        return;
    }
    let e = acc.entry(w).or_default();
    *e += c;
    if *e == 0 {
        acc.remove(&w);
    }
}

fn mul_weights(a: &Weights, b: &Weights, out: &mut Weights) {
    for (wa, ca) in a {
        for (wb, cb) in b {
            add_into(out, wa + wb, &Integer::from(ca * cb));
        }
    }
}

impl O3Character {
    /// The zero character.
    pub fn zero() -> Self {
        O3Character::default()
    }

    /// The character of the trivial representation `0e`.
    pub fn one() -> Self {
        O3Character::irrep(Irrep::harmonic(0))
    }

    /// The character of one irrep V_j^p: weights −j, …, j in the part of parity p.
    ///
    /// # Examples
    /// ```
    /// use racah_core::Parity;
    /// use racah_proofs::counting::O3Character;
    /// let c = O3Character::irrep("3/2o".parse()?);
    /// assert_eq!((c.dim(), c.weight(3, Parity::Odd), c.weight(3, Parity::Even)), (4.into(), 1.into(), 0.into()));
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn irrep(ir: Irrep) -> Self {
        let mut c = O3Character::zero();
        let tj = i64::from(ir.j().twice());
        let part = c.part_mut(ir.parity());
        for w in (-tj..=tj).step_by(2) {
            part.insert(w, Integer::from(1));
        }
        c
    }

    /// The character of `⊕ mul·irrep` (multiplicities respected).
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::counting::O3Character;
    /// assert_eq!(O3Character::from_irreps(&"2x0e+1o+0x2e".parse()?).to_string(), "2x0e+1x1o");
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn from_irreps(irreps: &Irreps) -> Self {
        let mut c = O3Character::zero();
        for t in irreps.iter() {
            c += &O3Character::irrep(t.irrep).scaled(&Integer::from(t.mul));
        }
        c
    }

    fn part_mut(&mut self, p: Parity) -> &mut Weights {
        match p {
            Parity::Even => &mut self.even,
            Parity::Odd => &mut self.odd,
        }
    }

    fn part(&self, p: Parity) -> &Weights {
        match p {
            Parity::Even => &self.even,
            Parity::Odd => &self.odd,
        }
    }

    /// The weight multiplicity of doubled weight `twice_m` in the part of parity `p`.
    pub fn weight(&self, twice_m: i64, p: Parity) -> Integer {
        self.part(p).get(&twice_m).cloned().unwrap_or_default()
    }

    /// The dimension χ(identity) = Σ of all weight multiplicities.
    pub fn dim(&self) -> Integer {
        self.even.values().chain(self.odd.values()).sum()
    }

    /// `true` for the zero character.
    pub fn is_zero(&self) -> bool {
        self.even.is_empty() && self.odd.is_empty()
    }

    /// Every coefficient times `k`.
    pub fn scaled(&self, k: &Integer) -> Self {
        let f = |w: &Weights| -> Weights {
            w.iter()
                .map(|(&m, c)| (m, Integer::from(c * k)))
                .filter(|(_, c)| *c != 0)
                .collect()
        };
        O3Character {
            even: f(&self.even),
            odd: f(&self.odd),
        }
    }

    /// Every coefficient divided by `k`, or `None` unless every division is exact (or k = 0).
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::counting::{Integer, O3Character};
    /// let v = O3Character::from_irreps(&"2x1o".parse()?);
    /// assert_eq!(v.div_exact(&Integer::from(2)), Some(O3Character::irrep("1o".parse()?)));
    /// assert_eq!(v.div_exact(&Integer::from(3)), None);
    /// assert_eq!(v.scaled(&Integer::from(3)).to_string(), "6x1o");
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn div_exact(&self, k: &Integer) -> Option<Self> {
        if *k == 0 {
            return None;
        }
        let f = |w: &Weights| -> Option<Weights> {
            w.iter()
                .map(|(&m, c)| c.is_divisible(k).then(|| (m, Integer::from(c / k))))
                .collect()
        };
        Some(O3Character {
            even: f(&self.even)?,
            odd: f(&self.odd)?,
        })
    }

    /// The Adams operation ψ^k: g ↦ χ(g^k). Rotation by θ becomes rotation by kθ (q → q^k);
    /// the inversion I^k is I for odd k and the identity for even k, so for even k the odd
    /// part joins the even part.
    ///
    /// ```text
    /// ψ^k(E, O) = (E(q^k), O(q^k))           k odd
    /// ψ^k(E, O) = (E(q^k) + O(q^k), 0)       k even
    /// ```
    ///
    /// # Panics
    /// Never for `k ≥ 1`; `k = 0` gives the constant χ(identity) = dim in the even part.
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::counting::O3Character;
    /// let v = O3Character::irrep("1o".parse()?);
    /// // Sym²(1o) = (χ(g)² + χ(g²)) / 2 = 0e + 2e
    /// let sym2 = (&(&v * &v) + &v.adams(2)).div_exact(&2.into()).unwrap();
    /// assert_eq!(sym2.to_string(), "1x0e+1x2e");
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn adams(&self, k: u32) -> Self {
        let k64 = i64::from(k);
        let scale = |w: &Weights| -> Weights {
            let mut out = Weights::new();
            for (&m, c) in w {
                add_into(&mut out, m * k64, c);
            }
            out
        };
        let (even, odd) = (scale(&self.even), scale(&self.odd));
        if k % 2 == 1 {
            O3Character { even, odd }
        } else {
            let mut e = even;
            for (&m, c) in &odd {
                add_into(&mut e, m, c);
            }
            O3Character {
                even: e,
                odd: Weights::new(),
            }
        }
    }

    /// The multiplicity of V_j^p: `w_p(j) − w_p(j+1)` (negative only for a virtual character).
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::counting::O3Character;
    /// let v = O3Character::irrep("2e".parse()?);
    /// let vv = &v * &v; // 0e + 1e + 2e + 3e + 4e
    /// assert_eq!(vv.multiplicity("3e".parse()?), 1);
    /// assert_eq!(vv.multiplicity("3o".parse()?), 0);
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn multiplicity(&self, ir: Irrep) -> Integer {
        let tj = i64::from(ir.j().twice());
        self.weight(tj, ir.parity()) - self.weight(tj + 2, ir.parity())
    }

    /// Every irrep with a nonzero multiplicity, sorted as [`Irrep`] (by spin, then parity).
    ///
    /// # Examples
    /// See [`O3Character`].
    pub fn decompose(&self) -> Vec<(Irrep, Integer)> {
        let mut out = Vec::new();
        for p in [Parity::Even, Parity::Odd] {
            // V_j has a nonzero multiplicity only if weight j or j+1 is present
            let spins: std::collections::BTreeSet<i64> = self
                .part(p)
                .keys()
                .flat_map(|&w| [w, w - 2])
                .filter(|&w| w >= 0)
                .collect();
            for tj in spins {
                let Ok(tj) = u32::try_from(tj) else { continue };
                let ir = Irrep::new(Spin::from_twice(tj), p);
                let m = self.multiplicity(ir);
                if m != 0 {
                    out.push((ir, m));
                }
            }
        }
        out.sort_by_key(|a| a.0);
        out
    }
}

impl std::ops::AddAssign<&O3Character> for O3Character {
    fn add_assign(&mut self, rhs: &O3Character) {
        for (&w, c) in &rhs.even {
            add_into(&mut self.even, w, c);
        }
        for (&w, c) in &rhs.odd {
            add_into(&mut self.odd, w, c);
        }
    }
}

impl std::ops::Add for &O3Character {
    type Output = O3Character;
    fn add(self, rhs: &O3Character) -> O3Character {
        let mut out = self.clone();
        out += rhs;
        out
    }
}

/// The character of the tensor product: (E₁, O₁)(E₂, O₂) = (E₁E₂ + O₁O₂, E₁O₂ + O₁E₂).
impl std::ops::Mul for &O3Character {
    type Output = O3Character;
    fn mul(self, rhs: &O3Character) -> O3Character {
        let mut out = O3Character::zero();
        mul_weights(&self.even, &rhs.even, &mut out.even);
        mul_weights(&self.odd, &rhs.odd, &mut out.even);
        mul_weights(&self.even, &rhs.odd, &mut out.odd);
        mul_weights(&self.odd, &rhs.even, &mut out.odd);
        out
    }
}

/// The decomposition, e.g. `1x0e+1x1e+1x2e` (`0` for the zero character).
impl fmt::Display for O3Character {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.decompose();
        if d.is_empty() {
            return f.write_str("0");
        }
        let terms: Vec<String> = d.iter().map(|(ir, m)| format!("{m}x{ir}")).collect();
        f.write_str(&terms.join("+"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ir(s: &str) -> Irrep {
        s.parse().unwrap()
    }

    #[test]
    fn test_adams_parity() {
        let v = O3Character::irrep(ir("1o"));
        // ψ² of 1o: weights −2, 0, 2, all even: V_2 − V_1 + V_0 as a virtual character
        let p2 = v.adams(2);
        assert_eq!(p2.to_string(), "1x0e+-1x1e+1x2e");
        assert_eq!(v.adams(3).multiplicity(ir("3o")), 1);
        assert_eq!(v.adams(3).multiplicity(ir("3e")), 0);
    }

    #[test]
    fn test_half_integer_product() {
        let h = O3Character::irrep(ir("1/2e"));
        assert_eq!((&h * &h).to_string(), "1x0e+1x1e");
        assert!(O3Character::zero().is_zero());
        assert_eq!(O3Character::zero().to_string(), "0");
        assert_eq!(O3Character::one().dim(), 1);
        assert_eq!(h.div_exact(&Integer::from(2)), None);
        assert_eq!(h.div_exact(&Integer::from(0)), None);
    }
}
