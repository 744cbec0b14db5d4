//! Radial features of an edge: Bessel functions with a smooth polynomial cutoff.
//!
//! ```text
//! B_n(r) = √(2/r_c) · sin(nπ r / r_c) / r,   n = 1 … N
//! u(r)   = 1 − (p+1)(p+2)/2 · x^p + p(p+2) · x^(p+1) − p(p+1)/2 · x^(p+2),   x = r / r_c < 1
//! ```
//!
//! and u = 0 beyond the cutoff, so that features (and their first two derivatives) go to zero
//! smoothly at r_c (the basis and envelope of MACE and DimeNet).

use crate::Float;

/// Bessel basis times polynomial envelope, evaluated in `T`.
///
/// # Examples
/// ```
/// use racah_numeric::network::RadialBasis;
/// let rb = RadialBasis::new(4, 5.0, 6);
/// let mut out = [0.0f64; 4];
/// rb.compute(5.0, &mut out);
/// assert_eq!(out, [0.0; 4]); // vanishes at the cutoff
/// rb.compute(1.0, &mut out);
/// let b1 = (2.0f64 / 5.0).sqrt() * (std::f64::consts::PI / 5.0).sin();
/// let x: f64 = 0.2;
/// let u = 1.0 - 28.0 * x.powi(6) + 48.0 * x.powi(7) - 21.0 * x.powi(8);
/// assert!((out[0] - b1 * u).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RadialBasis {
    num_basis: usize,
    cutoff: f64,
    p: u32,
}

impl RadialBasis {
    /// N Bessel functions with cutoff r_c and envelope exponent p.
    pub fn new(num_basis: usize, cutoff: f64, p: u32) -> Self {
        RadialBasis {
            num_basis,
            cutoff,
            p,
        }
    }

    /// Number of functions.
    pub fn len(&self) -> usize {
        self.num_basis
    }

    /// Whether there are no functions.
    pub fn is_empty(&self) -> bool {
        self.num_basis == 0
    }

    /// The envelope u(r).
    pub fn envelope<T: Float>(&self, r: T) -> T {
        let rc = T::from_f64(self.cutoff);
        if r.partial_cmp(&rc) != Some(std::cmp::Ordering::Less) {
            return T::ZERO;
        }
        let x = r / rc;
        let p = self.p as i64;
        let mut xp = T::ONE;
        for _ in 0..p {
            xp *= x;
        }
        let c = |v: i64| T::from_ratio(v, 1);
        T::ONE - c((p + 1) * (p + 2) / 2) * xp + c(p * (p + 2)) * xp * x
            - c(p * (p + 1) / 2) * xp * x * x
    }

    /// The envelope's derivative u'(r) = −p(p+1)(p+2)/(2 r_c) · x^(p−1) (1 − x)², x = r/r_c
    /// (0 at and beyond the cutoff, where u is 0 with zero slope).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::network::RadialBasis;
    /// use racah_numeric::Dual;
    /// let rb = RadialBasis::new(4, 5.0, 6);
    /// let u = rb.envelope(Dual::variable(2.0f64));
    /// assert!((rb.envelope_derivative(2.0f64) - u.eps).abs() < 8.0 * f64::EPSILON);
    /// assert_eq!(rb.envelope_derivative(5.0f64), 0.0);
    /// ```
    pub fn envelope_derivative<T: Float>(&self, r: T) -> T {
        let rc = T::from_f64(self.cutoff);
        if r.partial_cmp(&rc) != Some(std::cmp::Ordering::Less) {
            return T::ZERO;
        }
        let x = r / rc;
        let p = self.p as i64;
        let mut xp = T::ONE;
        for _ in 1..p {
            xp *= x;
        }
        let one_minus = T::ONE - x;
        -T::from_ratio(p * (p + 1) * (p + 2) / 2, 1) * xp * one_minus * one_minus / rc
    }

    /// [`compute`](Self::compute) (the same values, bit for bit) and d/dr of each function
    /// into `deriv`:
    ///
    /// ```text
    /// f_n(r)  = √(2/r_c) · u(r) · sin(nπr/r_c) / r
    /// f_n'(r) = √(2/r_c) · [ (u'(r) − u(r)/r) · sin(nπr/r_c) + u(r) · (nπ/r_c) · cos(nπr/r_c) ] / r
    /// ```
    ///
    /// # Panics
    /// If `out.len()` or `deriv.len()` is not `self.len()`.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::network::RadialBasis;
    /// use racah_numeric::Dual;
    /// let rb = RadialBasis::new(3, 4.0, 5);
    /// let (mut f, mut d) = ([0.0f64; 3], [0.0f64; 3]);
    /// rb.compute_with_derivatives(1.5, &mut f, &mut d);
    /// let mut fd = [Dual::constant(0.0f64); 3];
    /// rb.compute(Dual::variable(1.5f64), &mut fd);
    /// for n in 0..3 {
    ///     assert_eq!(f[n], fd[n].re);
    ///     assert!((d[n] - fd[n].eps).abs() < 32.0 * f64::EPSILON);
    /// }
    /// ```
    pub fn compute_with_derivatives<T: Float>(&self, r: T, out: &mut [T], deriv: &mut [T]) {
        assert_eq!(out.len(), self.num_basis, "radial basis output length");
        assert_eq!(
            deriv.len(),
            self.num_basis,
            "radial basis derivative length"
        );
        let u = self.envelope(r);
        if u == T::ZERO {
            out.fill(T::ZERO);
            deriv.fill(T::ZERO);
            return;
        }
        let rc = T::from_f64(self.cutoff);
        let norm = (T::from_ratio(2, 1) / rc).sqrt();
        let pref = norm * u / r;
        let dpref = norm * (self.envelope_derivative(r) - u / r) / r;
        let w = T::pi() * r / rc;
        let dw = T::pi() / rc;
        for (n, (o, d)) in out.iter_mut().zip(deriv.iter_mut()).enumerate() {
            let k = T::from_ratio(n as i64 + 1, 1);
            let (s, c) = ((k * w).sin(), (k * w).cos());
            *o = pref * s;
            *d = dpref * s + pref * c * k * dw;
        }
    }

    /// B_n(r)·u(r) for n = 1…N into `out`.
    ///
    /// # Panics
    /// If `out.len() != self.len()`.
    pub fn compute<T: Float>(&self, r: T, out: &mut [T]) {
        assert_eq!(out.len(), self.num_basis, "radial basis output length");
        let u = self.envelope(r);
        if u == T::ZERO {
            out.fill(T::ZERO);
            return;
        }
        let rc = T::from_f64(self.cutoff);
        let pref = (T::from_ratio(2, 1) / rc).sqrt() * u / r;
        let w = T::pi() * r / rc;
        for (n, o) in out.iter_mut().enumerate() {
            *o = pref * (T::from_ratio(n as i64 + 1, 1) * w).sin();
        }
    }
}
