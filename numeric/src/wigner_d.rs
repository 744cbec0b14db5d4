//! Wigner D matrices in e3nn's real basis, by a recursion built from the spherical harmonics'
//! own gradient rule.
//!
//! The gradient of the degree-l harmonics is an equivariant map G: H_l → ℝ³ ⊗ H_{l−1},
//! ∇Y_l = G Y_{l−1} (five-term rule in `sh/coeffs.rs`). Differentiating Y_l(Rx) = D^l Y_l(x)
//! and using that the Y_{l−1} components are linearly independent gives
//!
//! ```text
//! D^l = Ĝᵀ (R ⊗ D^{l−1}) Ĝ,   Ĝ = G / √(l(2l+1)),   D^0 = 1,  D^1 = R,
//! D^l[μ][μ'] = Σ_{(a,ν) ∈ Ĝ_μ} Σ_{(a',ν') ∈ Ĝ_μ'} Ĝ_{aμν} Ĝ_{a'μ'ν'} R[a][a'] D^{l−1}[ν][ν'],
//! ```
//!
//! where Ĝᵀ Ĝ = I because Σ_{a,ν} G_{aμν}² = l(2l+1) for every μ (Schur). Each D^l is thus
//! consistent with [`crate::SphericalHarmonics`] by construction, the recursion only ever
//! forms sums of ≤ 25 products of bounded numbers (numerically stable, like Ivanic–Ruedenberg),
//! and every coefficient is √(p/q) rounded once.

use crate::rotation::{O3Element, Rotation};
use crate::sh::coeffs::{gradient_terms, Ratio};
use crate::{Float, IrrepsArray, NumericError};
use racah_core::{Irrep, Parity};
use std::any::{Any, TypeId};
use std::sync::{Arc, Mutex};

/// Offset of block l in the packed storage: Σ_{k<l} (2k+1)² = l(4l²−1)/3.
const fn block_offset(l: usize) -> usize {
    (4 * l * l * l - l) / 3
}

/// Ĝ of one degree, flattened: the terms (axis, ν, coefficient) of row μ are
/// `terms[offsets[μ]..offsets[μ + 1]]`.
#[derive(Debug, Clone)]
struct Coupling<C> {
    terms: Vec<(usize, usize, C)>,
    offsets: Vec<usize>,
}

impl<C> Default for Coupling<C> {
    fn default() -> Self {
        Coupling {
            terms: Vec::new(),
            offsets: Vec::new(),
        }
    }
}

impl<C: Copy> Coupling<C> {
    fn row(&self, mu: usize) -> &[(usize, usize, C)] {
        &self.terms[self.offsets[mu]..self.offsets[mu + 1]]
    }

    fn map<D>(&self, f: impl Fn(C) -> D) -> Coupling<D> {
        Coupling {
            terms: self.terms.iter().map(|&(a, nu, c)| (a, nu, f(c))).collect(),
            offsets: self.offsets.clone(),
        }
    }
}

/// An exact coefficient ±√(p/q): the square and whether it is negative.
type ExactCoeff = (Ratio, bool);

/// ±√(p/q) rounded once to `T`.
fn round_coeff<T: Float>((sq, negative): ExactCoeff) -> T {
    let c: T = sq.sqrt();
    if negative {
        -c
    } else {
        c
    }
}

/// The normalised coupling Ĝ of degree l ≥ 2, exact.
fn coupling(l: usize) -> Coupling<ExactCoeff> {
    let norm = Ratio::new(1, (l * (2 * l + 1)) as u128);
    let mut out = Coupling {
        terms: Vec::new(),
        offsets: vec![0],
    };
    // gradient_terms is sorted by μ
    let terms = gradient_terms(l);
    for mu in 0..=2 * l {
        for t in terms.iter().filter(|t| t.mu == mu) {
            out.terms.push((t.axis, t.nu, (t.sq.mul(norm), t.negative)));
        }
        out.offsets.push(out.terms.len());
    }
    out
}

/// Precomputed couplings for Wigner D matrices up to a maximum degree.
///
/// Building the couplings costs about as much as one evaluation at the same `l_max`; keep a
/// calculator to evaluate many rotations.
///
/// # Examples
/// ```
/// use racah_numeric::{Rotation, WignerDCalculator};
/// let calc = WignerDCalculator::new(4)?;
/// let d = calc.compute::<f64>(&Rotation::IDENTITY);
/// assert_eq!(d.get(4, 2, 2), 1.0);
/// # Ok::<(), racah_numeric::NumericError>(())
/// ```
#[derive(Debug, Clone)]
pub struct WignerDCalculator {
    l_max: u32,
    exact: Vec<Coupling<ExactCoeff>>,
    couplings: Vec<Coupling<f64>>,
    typed: TypedCouplings,
}

/// The couplings rounded to each element type used so far by `compute_from_matrix`, keyed by
/// type (shared between clones: they hold the same values).
#[derive(Debug, Clone, Default)]
struct TypedCouplings(Arc<Mutex<Vec<(TypeId, AnyCouplings)>>>);

/// A type-erased `Arc<Vec<Coupling<T>>>`.
type AnyCouplings = Arc<dyn Any + Send + Sync>;

impl WignerDCalculator {
    /// The largest supported degree.
    pub const MAX_L_MAX: u32 = 512;

    /// A calculator for degrees `0..=l_max`.
    ///
    /// # Errors
    /// [`NumericError::LMaxTooLarge`] if `l_max > MAX_L_MAX`.
    pub fn new(l_max: u32) -> Result<Self, NumericError> {
        if l_max > Self::MAX_L_MAX {
            return Err(NumericError::LMaxTooLarge {
                l_max,
                max: Self::MAX_L_MAX,
            });
        }
        let exact: Vec<_> = (0..=l_max as usize)
            .map(|l| {
                if l >= 2 {
                    coupling(l)
                } else {
                    Coupling::default()
                }
            })
            .collect();
        let couplings = exact.iter().map(|c| c.map(round_coeff::<f64>)).collect();
        Ok(WignerDCalculator {
            l_max,
            exact,
            couplings,
            typed: TypedCouplings::default(),
        })
    }

    /// The largest degree.
    pub fn l_max(&self) -> u32 {
        self.l_max
    }

    /// D^l(R) for l = 0..=l_max, computed in f64 and rounded once to `T`.
    pub fn compute<T: Float>(&self, rotation: &Rotation) -> WignerD<T> {
        let data = blocks(self.l_max, &self.couplings, rotation.matrix());
        WignerD {
            l_max: self.l_max,
            data: data.into_iter().map(T::from_f64).collect(),
        }
    }

    /// D^l(m) for l = 0..=l_max, the recursion evaluated in `T` with every coupling
    /// √(p/q) rounded once to `T` ([`Float::sqrt_ratio`]), for a rotation matrix `m` given in
    /// `T`: [`DoubleDouble`](crate::DoubleDouble) gives D to ~2⁻¹⁰⁴,
    /// [`Dual`](crate::Dual) entries give the derivative of D along the direction of `m.eps`.
    ///
    /// `m` is not checked (use [`WignerD::from_matrix_in`] for a checked version); for a
    /// non-orthogonal `m` the result is the same polynomial in the entries, not a
    /// representation. The couplings are rounded to `T` on the first call for each `T` and
    /// cached in the calculator; `compute_from_matrix::<f64>` gives the same bits as
    /// [`compute`](Self::compute).
    ///
    /// ```text
    /// D^0 = 1,  D^1 = m,  D^l = Ĝᵀ (m ⊗ D^{l−1}) Ĝ
    /// ```
    ///
    /// # Convention
    /// `CONVENTIONS.md#rotations`, `CONVENTIONS.md#extended-precision`.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{DoubleDouble, Float, WignerDCalculator};
    /// // the rational rotation of the quaternion (1, 2, 3, 4)/√30, entries in double-double
    /// let q = |n: i64| DoubleDouble::from_ratio(n, 30);
    /// let m = [[q(-20), q(4), q(22)], [q(20), q(-10), q(20)], [q(10), q(28), q(4)]];
    /// let d = WignerDCalculator::new(2)?.compute_from_matrix(m);
    /// // D^2 is orthogonal to double-double precision: row 0 has norm 1
    /// let n: DoubleDouble = d.block(2)[..5].iter().map(|&v| v * v).sum();
    /// assert!((n - DoubleDouble::ONE).abs() < DoubleDouble::from_f64(1e-30));
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn compute_from_matrix<T: Float>(&self, m: [[T; 3]; 3]) -> WignerD<T> {
        let couplings = self.couplings_in::<T>();
        WignerD {
            l_max: self.l_max,
            data: blocks(self.l_max, &couplings, m),
        }
    }

    /// The couplings rounded to `T`, computed on first use and cached.
    fn couplings_in<T: Float>(&self) -> Arc<Vec<Coupling<T>>> {
        let key = TypeId::of::<T>();
        // a poisoned lock only means another thread panicked while inserting: the entries
        // present are complete
        let mut cache = self.typed.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, c)) = cache.iter().find(|(k, _)| *k == key) {
            if let Ok(c) = Arc::clone(c).downcast::<Vec<Coupling<T>>>() {
                return c;
            }
        }
        let c: Arc<Vec<Coupling<T>>> =
            Arc::new(self.exact.iter().map(|c| c.map(round_coeff::<T>)).collect());
        cache.push((key, c.clone()));
        c
    }
}

/// The packed blocks D^0 … D^l_max of the matrix `r`, by the recursion in `T`.
fn blocks<T: Float>(l_max: u32, couplings: &[Coupling<T>], r: [[T; 3]; 3]) -> Vec<T> {
    let l_max = l_max as usize;
    let mut data = vec![T::ZERO; block_offset(l_max + 1)];
    data[0] = T::ONE;
    if l_max >= 1 {
        data[1..10].copy_from_slice(&[r[0], r[1], r[2]].concat());
    }
    let mut t = Vec::new();
    let mut rg: Vec<(usize, [T; 3])> = Vec::new();
    for l in 2..=l_max {
        let (p, n) = (2 * l - 1, 2 * l + 1);
        let (done, rest) = data.split_at_mut(block_offset(l));
        let prev = &done[block_offset(l - 1)..];
        let cur = &mut rest[..n * n];
        let g = &couplings[l];
        // t[a][ν][μ'] = Σ_{(a',ν',c) ∈ Ĝ_μ'} c R[a][a'] D^{l−1}[ν][ν'], with the products
        // c R[·][a'] formed once per degree.
        rg.clear();
        rg.extend(
            g.terms
                .iter()
                .map(|&(a2, nu2, c)| (nu2, [0, 1, 2].map(|a| c * r[a][a2]))),
        );
        t.clear();
        t.resize(3 * p * n, T::ZERO);
        for nu in 0..p {
            let prow = &prev[nu * p..(nu + 1) * p];
            for (mu2, w) in g.offsets.windows(2).enumerate() {
                let mut s = [T::ZERO; 3];
                for &(nu2, rc) in &rg[w[0]..w[1]] {
                    let v = prow[nu2];
                    s[0] += rc[0] * v;
                    s[1] += rc[1] * v;
                    s[2] += rc[2] * v;
                }
                for (a, sa) in s.into_iter().enumerate() {
                    t[(a * p + nu) * n + mu2] = sa;
                }
            }
        }
        // D^l[μ][·] = Σ_{(a,ν,c) ∈ Ĝ_μ} c t[a][ν][·]
        for mu in 0..n {
            let out = &mut cur[mu * n..(mu + 1) * n];
            for &(a, nu, c) in g.row(mu) {
                let src = &t[(a * p + nu) * n..(a * p + nu + 1) * n];
                for (o, &v) in out.iter_mut().zip(src) {
                    *o += c * v;
                }
            }
        }
    }
    data
}

/// The Wigner D matrices D^l(R), l = 0..=l_max, of one rotation in e3nn's real basis.
///
/// D^l(R) is the (2l+1)×(2l+1) orthogonal matrix with Y_l(R x) = D^l(R) Y_l(x) for the real
/// spherical harmonics of [`crate::SphericalHarmonics`]; D^1(R) = R (basis x, y, z) and
/// D^l(R₁R₂) = D^l(R₁) D^l(R₂). In e3nn's Euler angles D(α, β, γ) = D_y(α) D_x(β) D_y(γ).
///
/// ```text
/// D^l = Ĝᵀ (R ⊗ D^{l−1}) Ĝ    (Ĝ: the normalised gradient rule of the harmonics)
/// ```
///
/// Storage: block l is row-major, `D^l[l+m][l+m']` for m, m' ∈ −l..=l.
///
/// # Convention
/// `CONVENTIONS.md#rotations` (real basis, e3nn order, y polar; equal to e3nn's `D_from_matrix`).
///
/// # Examples
/// ```
/// use racah_numeric::{ShNormalization, SphericalHarmonics, Rotation, WignerD};
/// let r = Rotation::from_euler_angles(0.4, 1.1, -0.7)?;
/// let d = WignerD::<f64>::new(3, &r)?;
/// let sh = SphericalHarmonics::<f64>::new(3, ShNormalization::Component, true)?;
/// let x = [0.3, -0.5, 0.8];
/// let (y, y_rot) = (sh.compute_point(x), sh.compute_point(r.apply(x)));
/// let mut dy = vec![0.0; 16];
/// d.apply_sh(&y, &mut dy);
/// assert!(dy.iter().zip(&y_rot).all(|(a, b)| (a - b).abs() < 1e-14));
/// # Ok::<(), racah_numeric::NumericError>(())
/// ```
///
/// # References
/// Ivanic & Ruedenberg, J. Phys. Chem. 100, 6342 (1996) (the same idea in the standard basis).
#[derive(Debug, Clone, PartialEq)]
pub struct WignerD<T> {
    l_max: u32,
    data: Vec<T>,
}

impl<T: Float> WignerD<T> {
    /// D^l(R) for l = 0..=l_max (builds a [`WignerDCalculator`]; keep one for many rotations).
    ///
    /// # Errors
    /// [`NumericError::LMaxTooLarge`] if `l_max > WignerDCalculator::MAX_L_MAX`.
    pub fn new(l_max: u32, rotation: &Rotation) -> Result<Self, NumericError> {
        Ok(WignerDCalculator::new(l_max)?.compute(rotation))
    }

    /// From a rotation matrix (checked as in [`Rotation::try_from_matrix`]).
    ///
    /// # Errors
    /// As [`Rotation::try_from_matrix`] and [`WignerD::new`].
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::WignerD;
    /// let r = [[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]];
    /// let d = WignerD::<f64>::from_matrix(1, r)?;
    /// assert_eq!(d.block(1), &[0.0, -1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
    /// assert!(WignerD::<f64>::from_matrix(1, [[2.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]).is_err());
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn from_matrix(l_max: u32, m: [[f64; 3]; 3]) -> Result<Self, NumericError> {
        Self::new(l_max, &Rotation::try_from_matrix(m)?)
    }

    /// From a rotation matrix given in `T`, with the recursion evaluated in `T`
    /// ([`WignerDCalculator::compute_from_matrix`]): the extended-precision and
    /// forward-mode-derivative version of [`from_matrix`](Self::from_matrix). The check is
    /// that of [`Rotation::try_from_matrix`] on the leading f64 of each entry
    /// ([`Float::hi`]); derivative parts of [`Dual`](crate::Dual) entries are not checked.
    ///
    /// # Errors
    /// As [`Rotation::try_from_matrix`] (on the leading f64s) and [`WignerD::new`].
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{Dual, Float, WignerD};
    /// // rotation by θ about z, differentiated in θ at θ = 0: D^1' = the generator
    /// let th = Dual::variable(0.0f64);
    /// let (c, s, o, z) = (th.cos(), th.sin(), Dual::ONE, Dual::ZERO);
    /// let d = WignerD::from_matrix_in(1, [[c, -s, z], [s, c, z], [z, z, o]])?;
    /// let eps: Vec<f64> = d.block(1).iter().map(|v| v.eps).collect();
    /// assert_eq!(eps, [0.0, -1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    /// assert!(WignerD::from_matrix_in(1, [[Dual::constant(2.0), z, z], [z, o, z], [z, z, o]]).is_err());
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn from_matrix_in(l_max: u32, m: [[T; 3]; 3]) -> Result<Self, NumericError> {
        Rotation::try_from_matrix(m.map(|row| row.map(T::hi)))?;
        Ok(WignerDCalculator::new(l_max)?.compute_from_matrix(m))
    }

    /// From a unit quaternion `[w, x, y, z]` (see [`Rotation::from_quaternion`]).
    ///
    /// # Errors
    /// As [`Rotation::from_quaternion`] and [`WignerD::new`].
    pub fn from_quaternion(l_max: u32, q: [f64; 4]) -> Result<Self, NumericError> {
        Self::new(l_max, &Rotation::from_quaternion(q)?)
    }

    /// From e3nn's Euler angles: D(α, β, γ) = D_y(α) D_x(β) D_y(γ).
    ///
    /// # Errors
    /// As [`Rotation::from_euler_angles`] and [`WignerD::new`].
    pub fn from_euler_angles(
        l_max: u32,
        alpha: f64,
        beta: f64,
        gamma: f64,
    ) -> Result<Self, NumericError> {
        Self::new(l_max, &Rotation::from_euler_angles(alpha, beta, gamma)?)
    }

    /// From an axis and an angle (see [`Rotation::from_axis_angle`]).
    ///
    /// # Errors
    /// As [`Rotation::from_axis_angle`] and [`WignerD::new`].
    pub fn from_axis_angle(l_max: u32, axis: [f64; 3], angle: f64) -> Result<Self, NumericError> {
        Self::new(l_max, &Rotation::from_axis_angle(axis, angle)?)
    }

    /// The largest degree.
    pub fn l_max(&self) -> u32 {
        self.l_max
    }

    /// D^l, row-major (2l+1)×(2l+1).
    ///
    /// # Panics
    /// If `l > l_max` (see [`try_block`](Self::try_block)).
    #[track_caller]
    pub fn block(&self, l: u32) -> &[T] {
        match self.try_block(l) {
            Ok(b) => b,
            Err(e) => panic!("{e}"),
        }
    }

    /// D^l, row-major (2l+1)×(2l+1).
    ///
    /// # Errors
    /// [`NumericError::DegreeOutOfRange`] if `l > l_max`.
    pub fn try_block(&self, l: u32) -> Result<&[T], NumericError> {
        if l > self.l_max {
            return Err(NumericError::DegreeOutOfRange {
                l,
                l_max: self.l_max,
            });
        }
        let l = l as usize;
        Ok(&self.data[block_offset(l)..block_offset(l + 1)])
    }

    /// The entry `D^l[m][m']` (m, m' ∈ −l..=l).
    ///
    /// # Panics
    /// If `l > l_max`, |m| > l or |m'| > l.
    #[track_caller]
    pub fn get(&self, l: u32, m: i32, m_prime: i32) -> T {
        assert!(
            m.unsigned_abs() <= l && m_prime.unsigned_abs() <= l,
            "|m| or |m'| exceeds l = {l}"
        );
        let n = 2 * l as usize + 1;
        self.block(l)[(l as i32 + m) as usize * n + (l as i32 + m_prime) as usize]
    }

    /// out = D^l v for a vector of length 2l+1.
    ///
    /// # Panics
    /// If `l > l_max` or a length is not 2l+1.
    #[track_caller]
    pub fn apply(&self, l: u32, v: &[T], out: &mut [T]) {
        let n = 2 * l as usize + 1;
        assert!(
            v.len() == n && out.len() == n,
            "apply: vectors must have length 2l+1 = {n}"
        );
        for (o, row) in out.iter_mut().zip(self.block(l).chunks_exact(n)) {
            *o = row.iter().zip(v).map(|(&a, &b)| a * b).sum();
        }
    }

    /// out = (⊕_l D^l) v for a vector of all degrees, length (l_max+1)² (layout of
    /// [`crate::lm_index`]).
    ///
    /// # Panics
    /// If a length is not (l_max+1)².
    #[track_caller]
    pub fn apply_sh(&self, v: &[T], out: &mut [T]) {
        let dim = crate::sh_dim(self.l_max);
        assert!(
            v.len() == dim && out.len() == dim,
            "apply_sh: vectors must have length {dim}"
        );
        for l in 0..=self.l_max {
            let r = (l * l) as usize..((l + 1) * (l + 1)) as usize;
            self.apply(l, &v[r.clone()], &mut out[r]);
        }
    }

    /// The block-diagonal matrix ⊕_l D^l, row-major (l_max+1)² × (l_max+1)².
    pub fn to_dense(&self) -> Vec<T> {
        let dim = crate::sh_dim(self.l_max);
        let mut m = vec![T::ZERO; dim * dim];
        for l in 0..=self.l_max as usize {
            let (s, n) = (l * l, 2 * l + 1);
            for (i, row) in self.block(l as u32).chunks_exact(n).enumerate() {
                m[(s + i) * dim + s..(s + i) * dim + s + n].copy_from_slice(row);
            }
        }
        m
    }
}

impl O3Element {
    /// The matrix of this element on the O(3) irrep (l, p): p^k D^l(R), where k = 1 if the
    /// element contains the inversion, so that e.g. Y_l(−R x) = (−1)^l D^l(R) Y_l(x).
    ///
    /// # Errors
    /// [`NumericError::HalfIntegerIrrep`] for half-integer spin; [`NumericError::LMaxTooLarge`].
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::O3Element;
    /// use racah_core::Irrep;
    /// let d = O3Element::INVERSION.d_irrep::<f64>("1o".parse()?)?;
    /// assert_eq!(d, vec![-1.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, -1.0]);
    /// let d = O3Element::INVERSION.d_irrep::<f64>("1e".parse()?)?;
    /// assert_eq!(d[0], 1.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn d_irrep<T: Float>(&self, irrep: Irrep) -> Result<Vec<T>, NumericError> {
        let l = irrep.as_l().ok_or_else(|| NumericError::HalfIntegerIrrep {
            irrep: irrep.to_string(),
        })?;
        let d = WignerD::<f64>::new(l, &self.rotation)?;
        let sign = if self.inversion && irrep.parity() == Parity::Odd {
            -1.0
        } else {
            1.0
        };
        Ok(d.block(l).iter().map(|&v| T::from_f64(sign * v)).collect())
    }
}

impl<T: Float> IrrepsArray<T> {
    /// The array acted on by an O(3) element: each `(l, p)` copy of each row becomes
    /// p^k D^l(R) times itself ([`O3Element::d_irrep`]), so that features of the transformed
    /// input are compared with `x.transformed(g)` in equivariance tests.
    ///
    /// # Errors
    /// [`NumericError::HalfIntegerIrrep`] if the irreps contain a half-integer spin;
    /// [`NumericError::LMaxTooLarge`].
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{O3Element, ShNormalization, SphericalHarmonics, Tolerance};
    /// use rand::SeedableRng;
    /// let g = O3Element::random(&mut rand_chacha::ChaCha8Rng::seed_from_u64(3));
    /// let sh = SphericalHarmonics::<f64>::new(3, ShNormalization::Component, true)?;
    /// let x = [0.3, -0.4, 0.5];
    /// let y = sh.compute_array(&x)?.transformed(&g)?;
    /// let y_gx = sh.compute_array(&g.apply(x))?;
    /// let err = Tolerance::max_abs_diff(y.data(), y_gx.data());
    /// assert!(Tolerance::scaled::<f64>(64.0).allows(err, 3.0));
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn transformed(&self, g: &O3Element) -> Result<IrrepsArray<T>, NumericError> {
        let mut blocks: Vec<(Irrep, Vec<T>)> = Vec::new();
        let mut out = self.clone();
        for (term, range) in self.irreps().iter().zip(self.slices()) {
            let irrep = term.irrep;
            if !blocks.iter().any(|(i, _)| *i == irrep) {
                blocks.push((irrep, g.d_irrep::<T>(irrep)?));
            }
            let d = &blocks
                .iter()
                .find(|(i, _)| *i == irrep)
                .expect("just inserted")
                .1;
            let n = irrep.dim();
            for b in 0..self.batch() {
                let src = &self.row(b)[range.clone()];
                let dst = &mut out.row_mut(b)[range.clone()];
                for (s, o) in src.chunks_exact(n).zip(dst.chunks_exact_mut(n)) {
                    for (oi, drow) in o.iter_mut().zip(d.chunks_exact(n)) {
                        *oi = drow.iter().zip(s).map(|(&a, &v)| a * v).sum();
                    }
                }
            }
        }
        Ok(out)
    }
}
