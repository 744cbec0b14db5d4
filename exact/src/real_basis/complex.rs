//! [`ComplexSqrtSum`] (exact elements of Q(√2, √3, …)(i)) and small dense [`ComplexMatrix`]es of
//! them.

use crate::{SqrtRational, SqrtSum};
use std::fmt;

/// An exact complex number `re + i·im` with [`SqrtSum`] real and imaginary parts: an element of
/// Q(√2, √3, √5, …)(i).
///
/// ```text
/// value = Σ_d r_d √d + i Σ_d s_d √d
/// ```
///
/// Both parts are canonical, so `==` is exact equality. `+`, `−`, `×` and [`conj`](Self::conj)
/// are exact. The entries of the change of basis [`q_matrix`](crate::q_matrix) are of this type.
///
/// # Examples
/// ```
/// use racah_exact::{ComplexSqrtSum, SqrtRational};
/// let h = SqrtRational::sqrt_of_ratio(1, 2)?;
/// let z = ComplexSqrtSum::new(h.clone().into(), h.into()); // (1 + i)/√2
/// assert_eq!(&z * &z, ComplexSqrtSum::i());                // a square root of i
/// assert_eq!(&z * &z.conj(), ComplexSqrtSum::one());
/// assert_eq!(z.to_string(), "sqrt(2)/2 + (sqrt(2)/2)*i");
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ComplexSqrtSum {
    /// The real part.
    pub re: SqrtSum,
    /// The imaginary part.
    pub im: SqrtSum,
}

impl ComplexSqrtSum {
    /// `re + i·im`.
    pub fn new(re: SqrtSum, im: SqrtSum) -> Self {
        ComplexSqrtSum { re, im }
    }

    /// 0.
    pub fn zero() -> Self {
        ComplexSqrtSum::default()
    }

    /// 1.
    pub fn one() -> Self {
        ComplexSqrtSum::from(SqrtRational::ONE)
    }

    /// The imaginary unit `i`.
    pub fn i() -> Self {
        ComplexSqrtSum::new(SqrtSum::zero(), SqrtRational::ONE.into())
    }

    /// `i^k · v` for a real `v` (k taken mod 4).
    pub fn i_pow_times(k: i64, v: &SqrtRational) -> Self {
        let (re, im) = match k.rem_euclid(4) {
            0 => (v.clone(), SqrtRational::ZERO),
            1 => (SqrtRational::ZERO, v.clone()),
            2 => (-v, SqrtRational::ZERO),
            _ => (SqrtRational::ZERO, -v),
        };
        ComplexSqrtSum::new(re.into(), im.into())
    }

    /// The complex conjugate `re − i·im`.
    pub fn conj(&self) -> Self {
        ComplexSqrtSum::new(self.re.clone(), -&self.im)
    }

    /// Whether the value is 0.
    pub fn is_zero(&self) -> bool {
        self.re.is_zero() && self.im.is_zero()
    }

    /// Whether the imaginary part is exactly 0.
    pub fn is_real(&self) -> bool {
        self.im.is_zero()
    }

    /// `(re, im)`, each correctly rounded to f64 (`CONVENTIONS.md#rounding`).
    pub fn to_f64(&self) -> (f64, f64) {
        (self.re.to_f64(), self.im.to_f64())
    }
}

impl From<SqrtRational> for ComplexSqrtSum {
    fn from(v: SqrtRational) -> Self {
        ComplexSqrtSum::new(v.into(), SqrtSum::zero())
    }
}

impl From<SqrtSum> for ComplexSqrtSum {
    fn from(v: SqrtSum) -> Self {
        ComplexSqrtSum::new(v, SqrtSum::zero())
    }
}

impl std::ops::Neg for &ComplexSqrtSum {
    type Output = ComplexSqrtSum;
    fn neg(self) -> ComplexSqrtSum {
        ComplexSqrtSum::new(-&self.re, -&self.im)
    }
}

impl std::ops::Add for &ComplexSqrtSum {
    type Output = ComplexSqrtSum;
    fn add(self, o: &ComplexSqrtSum) -> ComplexSqrtSum {
        ComplexSqrtSum::new(&self.re + &o.re, &self.im + &o.im)
    }
}

impl std::ops::AddAssign<&ComplexSqrtSum> for ComplexSqrtSum {
    fn add_assign(&mut self, o: &ComplexSqrtSum) {
        self.re += &o.re;
        self.im += &o.im;
    }
}

impl std::ops::Sub for &ComplexSqrtSum {
    type Output = ComplexSqrtSum;
    fn sub(self, o: &ComplexSqrtSum) -> ComplexSqrtSum {
        ComplexSqrtSum::new(&self.re - &o.re, &self.im - &o.im)
    }
}

/// `(a + ib)(c + id) = (ac − bd) + i(ad + bc)`, exactly.
impl std::ops::Mul for &ComplexSqrtSum {
    type Output = ComplexSqrtSum;
    fn mul(self, o: &ComplexSqrtSum) -> ComplexSqrtSum {
        let mut re = &self.re * &o.re;
        let mut im = SqrtSum::zero();
        if !self.im.is_zero() && !o.im.is_zero() {
            re = &re - &(&self.im * &o.im);
        }
        if !o.im.is_zero() {
            im = &self.re * &o.im;
        }
        if !self.im.is_zero() {
            im += &(&self.im * &o.re);
        }
        ComplexSqrtSum::new(re, im)
    }
}

/// `re`, `(im)*i` or `re + (im)*i`, with the parts in [`SqrtSum`]'s format.
impl fmt::Display for ComplexSqrtSum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.re.is_zero(), self.im.is_zero()) {
            (_, true) => write!(f, "{}", self.re),
            (true, false) => write!(f, "({})*i", self.im),
            (false, false) => write!(f, "{} + ({})*i", self.re, self.im),
        }
    }
}

/// A dense square matrix of exact complex numbers, row-major.
///
/// Small and exact: used for the change of basis [`q_matrix`](crate::q_matrix) and for
/// reference computations (`Q†·X·Q`, `Q†Q = 1`), not for hot loops.
///
/// # Examples
/// ```
/// use racah_exact::{q_matrix, ComplexMatrix};
/// let q = q_matrix(2)?;
/// assert_eq!(q.adjoint().matmul(&q), ComplexMatrix::identity(5));
/// assert!(q.is_unitary());
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ComplexMatrix {
    dim: usize,
    data: Vec<ComplexSqrtSum>,
}

impl ComplexMatrix {
    /// The `dim × dim` zero matrix.
    pub fn zeros(dim: usize) -> Self {
        ComplexMatrix {
            dim,
            data: vec![ComplexSqrtSum::zero(); dim * dim],
        }
    }

    /// The `dim × dim` identity.
    pub fn identity(dim: usize) -> Self {
        let mut m = ComplexMatrix::zeros(dim);
        for i in 0..dim {
            m.data[i * dim + i] = ComplexSqrtSum::one();
        }
        m
    }

    /// From a row-major list of `dim²` entries.
    ///
    /// # Panics
    /// If `data.len() != dim * dim`.
    #[track_caller]
    pub fn from_row_major(dim: usize, data: Vec<ComplexSqrtSum>) -> Self {
        assert_eq!(
            data.len(),
            dim * dim,
            "{} entries do not form a {dim}×{dim} matrix",
            data.len()
        );
        ComplexMatrix { dim, data }
    }

    /// The number of rows (= columns).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The entry in row `r`, column `c`.
    ///
    /// # Panics
    /// If `r` or `c` is not below [`dim`](Self::dim).
    #[track_caller]
    pub fn get(&self, r: usize, c: usize) -> &ComplexSqrtSum {
        assert!(
            r < self.dim && c < self.dim,
            "index ({r}, {c}) out of a {0}×{0} matrix",
            self.dim
        );
        &self.data[r * self.dim + c]
    }

    /// Sets the entry in row `r`, column `c`.
    ///
    /// # Panics
    /// If `r` or `c` is not below [`dim`](Self::dim).
    #[track_caller]
    pub fn set(&mut self, r: usize, c: usize, v: ComplexSqrtSum) {
        assert!(
            r < self.dim && c < self.dim,
            "index ({r}, {c}) out of a {0}×{0} matrix",
            self.dim
        );
        self.data[r * self.dim + c] = v;
    }

    /// The conjugate transpose `A†`.
    pub fn adjoint(&self) -> Self {
        let n = self.dim;
        let mut out = ComplexMatrix::zeros(n);
        for r in 0..n {
            for c in 0..n {
                out.data[c * n + r] = self.data[r * n + c].conj();
            }
        }
        out
    }

    /// The exact product `self · other` (zero entries are skipped).
    ///
    /// # Panics
    /// If the dimensions differ.
    #[track_caller]
    pub fn matmul(&self, other: &ComplexMatrix) -> Self {
        assert_eq!(self.dim, other.dim, "dimension mismatch in matmul");
        let n = self.dim;
        let mut out = ComplexMatrix::zeros(n);
        for r in 0..n {
            for k in 0..n {
                let a = &self.data[r * n + k];
                if a.is_zero() {
                    continue;
                }
                for c in 0..n {
                    let b = &other.data[k * n + c];
                    if !b.is_zero() {
                        out.data[r * n + c] += &(a * b);
                    }
                }
            }
        }
        out
    }

    /// Whether `A†A = 1` exactly.
    pub fn is_unitary(&self) -> bool {
        self.adjoint().matmul(self) == ComplexMatrix::identity(self.dim)
    }
}
