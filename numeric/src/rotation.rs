//! Rotations SO(3) and O(3) elements: matrices, unit quaternions, e3nn Euler angles,
//! axis–angle, Haar-random sampling.
//!
//! Matrices act on column vectors (x, y, z) and are stored row-major, `m[row][col]`.

use crate::NumericError;
use rand::Rng;

type Mat3 = [[f64; 3]; 3];

const IDENTITY: Mat3 = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];

fn mat_mul(a: &Mat3, b: &Mat3) -> Mat3 {
    let mut c = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            c[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
        }
    }
    c
}

fn transpose(a: &Mat3) -> Mat3 {
    let mut t = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            t[i][j] = a[j][i];
        }
    }
    t
}

fn det(a: &Mat3) -> f64 {
    a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
        - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
        + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
}

fn apply(a: &Mat3, v: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|i| a[i][0] * v[0] + a[i][1] * v[1] + a[i][2] * v[2])
}

/// Checks finiteness and orthogonality; returns the determinant.
fn check_orthogonal(m: &Mat3, tolerance: f64) -> Result<f64, NumericError> {
    if let Some(index) = m.iter().flatten().position(|v| !v.is_finite()) {
        return Err(NumericError::NonFinite {
            what: "rotation matrix",
            index,
        });
    }
    let mtm = mat_mul(&transpose(m), m);
    let mut deviation: f64 = 0.0;
    for i in 0..3 {
        for j in 0..3 {
            deviation = deviation.max((mtm[i][j] - IDENTITY[i][j]).abs());
        }
    }
    if deviation.is_nan() || deviation > tolerance {
        return Err(NumericError::NotOrthogonal {
            matrix: *m,
            deviation,
            tolerance,
        });
    }
    Ok(det(m))
}

/// A uniform random number in [0, 1) with 53 random bits.
fn uniform<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A proper rotation R ∈ SO(3), acting on column vectors: x ↦ R x.
///
/// Constructed from an orthogonal matrix with determinant +1, a unit quaternion, e3nn's Euler
/// angles, an axis and an angle, or sampled from the Haar measure.
///
/// # Convention
/// Right-handed, active rotations; quaternions are `[w, x, y, z]` with
/// R(q) v = q v q*; Euler angles are e3nn's R(α, β, γ) = R_y(α) R_x(β) R_y(γ)
/// (`CONVENTIONS.md#rotations`).
///
/// # Examples
/// ```
/// use racah_numeric::Rotation;
/// let r = Rotation::from_axis_angle([0.0, 0.0, 1.0], std::f64::consts::FRAC_PI_2)?;
/// let v = r.apply([1.0, 0.0, 0.0]);
/// assert!(v[0].abs() < 1e-15 && (v[1] - 1.0).abs() < 1e-15);
/// # Ok::<(), racah_numeric::NumericError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rotation {
    m: Mat3,
}

impl Default for Rotation {
    fn default() -> Self {
        Rotation::IDENTITY
    }
}

impl Rotation {
    /// The identity rotation.
    pub const IDENTITY: Rotation = Rotation { m: IDENTITY };

    /// The default orthogonality tolerance of [`try_from_matrix`](Self::try_from_matrix):
    /// max |MᵀM − I| ≤ 1e-10 (f64 data; use
    /// [`try_from_matrix_with_tolerance`](Self::try_from_matrix_with_tolerance) for f32 data).
    pub const DEFAULT_TOLERANCE: f64 = 1e-10;

    /// The rotation with matrix `m` (row-major), stored as given.
    ///
    /// # Errors
    /// [`NumericError::NonFinite`] for NaN/∞ entries, [`NumericError::NotOrthogonal`] if
    /// max |MᵀM − I| > [`DEFAULT_TOLERANCE`](Self::DEFAULT_TOLERANCE),
    /// [`NumericError::NotProperRotation`] if det M < 0.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{NumericError, Rotation};
    /// let swap = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]];
    /// assert!(matches!(Rotation::try_from_matrix(swap), Err(NumericError::NotProperRotation { .. })));
    /// let skew = [[1.0, 0.1, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    /// assert!(matches!(Rotation::try_from_matrix(skew), Err(NumericError::NotOrthogonal { .. })));
    /// ```
    pub fn try_from_matrix(m: [[f64; 3]; 3]) -> Result<Self, NumericError> {
        Self::try_from_matrix_with_tolerance(m, Self::DEFAULT_TOLERANCE)
    }

    /// As [`try_from_matrix`](Self::try_from_matrix) with an explicit tolerance on
    /// max |MᵀM − I|.
    ///
    /// # Errors
    /// As [`try_from_matrix`](Self::try_from_matrix).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::Rotation;
    /// let almost = [[1.0, 1e-4, 0.0], [-1e-4, 1.0, 0.0], [0.0, 0.0, 1.0]];
    /// assert!(Rotation::try_from_matrix(almost).is_err());
    /// assert!(Rotation::try_from_matrix_with_tolerance(almost, 1e-6).is_ok());
    /// ```
    pub fn try_from_matrix_with_tolerance(
        m: [[f64; 3]; 3],
        tolerance: f64,
    ) -> Result<Self, NumericError> {
        let d = check_orthogonal(&m, tolerance)?;
        if d < 0.0 {
            return Err(NumericError::NotProperRotation { matrix: m, det: d });
        }
        Ok(Rotation { m })
    }

    /// The rotation of a unit quaternion `[w, x, y, z]` (q and −q give the same rotation):
    ///
    /// ```text
    /// R = [[1−2(y²+z²), 2(xy−wz), 2(xz+wy)],
    ///      [2(xy+wz), 1−2(x²+z²), 2(yz−wx)],
    ///      [2(xz−wy), 2(yz+wx), 1−2(x²+y²)]]
    /// ```
    /// The quaternion is renormalised after the check, so R is orthogonal to rounding.
    ///
    /// # Errors
    /// [`NumericError::NonFinite`], or [`NumericError::NotUnitQuaternion`] if
    /// |‖q‖ − 1| > [`DEFAULT_TOLERANCE`](Self::DEFAULT_TOLERANCE).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::Rotation;
    /// let h = std::f64::consts::FRAC_1_SQRT_2;
    /// let r = Rotation::from_quaternion([h, 0.0, h, 0.0])?; // π/2 about y
    /// let v = r.apply([0.0, 0.0, 1.0]);
    /// assert!((v[0] - 1.0).abs() < 1e-15);
    /// assert!(Rotation::from_quaternion([1.0, 1.0, 0.0, 0.0]).is_err());
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn from_quaternion(q: [f64; 4]) -> Result<Self, NumericError> {
        if let Some(index) = q.iter().position(|v| !v.is_finite()) {
            return Err(NumericError::NonFinite {
                what: "quaternion",
                index,
            });
        }
        let norm = q.iter().map(|v| v * v).sum::<f64>().sqrt();
        let tolerance = Self::DEFAULT_TOLERANCE;
        if (norm - 1.0).abs().is_nan() || (norm - 1.0).abs() > tolerance {
            return Err(NumericError::NotUnitQuaternion {
                quaternion: q,
                norm,
                tolerance,
            });
        }
        Ok(Self::from_unit_quaternion(q.map(|v| v / norm)))
    }

    fn from_unit_quaternion([w, x, y, z]: [f64; 4]) -> Self {
        let m = [
            [
                1.0 - 2.0 * (y * y + z * z),
                2.0 * (x * y - w * z),
                2.0 * (x * z + w * y),
            ],
            [
                2.0 * (x * y + w * z),
                1.0 - 2.0 * (x * x + z * z),
                2.0 * (y * z - w * x),
            ],
            [
                2.0 * (x * z - w * y),
                2.0 * (y * z + w * x),
                1.0 - 2.0 * (x * x + y * y),
            ],
        ];
        Rotation { m }
    }

    /// e3nn's Euler angles: R(α, β, γ) = R_y(α) R_x(β) R_y(γ) (γ about y first, then β about
    /// x, then α about y), as [`angles_to_matrix`].
    ///
    /// # Errors
    /// [`NumericError::NonFinite`] (index 0, 1, 2 for α, β, γ).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::Rotation;
    /// let r = Rotation::from_euler_angles(0.3, 0.0, -0.3)?;
    /// assert!(r.matrix().iter().flatten().zip([1.0, 0., 0., 0., 1., 0., 0., 0., 1.])
    ///     .all(|(a, b)| (a - b).abs() < 1e-15));
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn from_euler_angles(alpha: f64, beta: f64, gamma: f64) -> Result<Self, NumericError> {
        if let Some(index) = [alpha, beta, gamma].iter().position(|v| !v.is_finite()) {
            return Err(NumericError::NonFinite {
                what: "Euler angles",
                index,
            });
        }
        Ok(angles_to_matrix(alpha, beta, gamma))
    }

    /// The rotation by `angle` (radians, right-handed) about `axis` (any non-zero length).
    ///
    /// # Errors
    /// [`NumericError::NonFinite`] (index 0..=2 for the axis, 3 for the angle),
    /// [`NumericError::ZeroAxis`].
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::Rotation;
    /// let r = Rotation::from_axis_angle([0.0, 2.0, 0.0], 0.7)?;
    /// let e = Rotation::from_euler_angles(0.7, 0.0, 0.0)?;
    /// let d = r.matrix().iter().flatten().zip(e.matrix().iter().flatten())
    ///     .map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    /// assert!(d < 1e-15);
    /// assert!(Rotation::from_axis_angle([0.0; 3], 1.0).is_err());
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn from_axis_angle(axis: [f64; 3], angle: f64) -> Result<Self, NumericError> {
        let all = [axis[0], axis[1], axis[2], angle];
        if let Some(index) = all.iter().position(|v| !v.is_finite()) {
            return Err(NumericError::NonFinite {
                what: "axis-angle",
                index,
            });
        }
        let s = axis.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        if s == 0.0 {
            return Err(NumericError::ZeroAxis { axis });
        }
        let a = axis.map(|v| v / s);
        let n = (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]).sqrt();
        let (sh, ch) = (0.5 * angle).sin_cos();
        Ok(Self::from_unit_quaternion([
            ch,
            sh * a[0] / n,
            sh * a[1] / n,
            sh * a[2] / n,
        ]))
    }

    /// A Haar-random rotation (uniform on SO(3)), from a uniform unit quaternion
    /// (Shoemake's subgroup algorithm).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::Rotation;
    /// use rand::SeedableRng;
    /// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    /// let r = Rotation::random(&mut rng);
    /// assert!(Rotation::try_from_matrix(r.matrix()).is_ok());
    /// ```
    ///
    /// # References
    /// K. Shoemake, "Uniform random rotations", Graphics Gems III (1992).
    pub fn random<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let (u1, u2, u3) = (uniform(rng), uniform(rng), uniform(rng));
        let tau = std::f64::consts::TAU;
        let (a, b) = ((1.0 - u1).sqrt(), u1.sqrt());
        let (s2, c2) = (tau * u2).sin_cos();
        let (s3, c3) = (tau * u3).sin_cos();
        Self::from_unit_quaternion([b * c3, a * s2, a * c2, b * s3])
    }

    /// The matrix, row-major.
    pub fn matrix(&self) -> [[f64; 3]; 3] {
        self.m
    }

    /// R v.
    pub fn apply(&self, v: [f64; 3]) -> [f64; 3] {
        apply(&self.m, v)
    }

    /// The product `self · other` (apply `other` first).
    pub fn compose(&self, other: &Rotation) -> Rotation {
        Rotation {
            m: mat_mul(&self.m, &other.m),
        }
    }

    /// The inverse Rᵀ.
    pub fn inverse(&self) -> Rotation {
        Rotation {
            m: transpose(&self.m),
        }
    }

    /// A unit quaternion `[w, x, y, z]` with w ≥ 0 (Shepperd's method).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::Rotation;
    /// let q = [0.5, 0.5, -0.5, 0.5];
    /// let back = Rotation::from_quaternion(q)?.to_quaternion();
    /// assert!(back.iter().zip(q).all(|(a, b)| (a - b).abs() < 1e-15));
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn to_quaternion(&self) -> [f64; 4] {
        let m = &self.m;
        let tr = m[0][0] + m[1][1] + m[2][2];
        let q = if tr >= m[0][0] && tr >= m[1][1] && tr >= m[2][2] {
            let s = 2.0 * (1.0 + tr).sqrt();
            [
                0.25 * s,
                (m[2][1] - m[1][2]) / s,
                (m[0][2] - m[2][0]) / s,
                (m[1][0] - m[0][1]) / s,
            ]
        } else if m[0][0] >= m[1][1] && m[0][0] >= m[2][2] {
            let s = 2.0 * (1.0 + m[0][0] - m[1][1] - m[2][2]).sqrt();
            [
                (m[2][1] - m[1][2]) / s,
                0.25 * s,
                (m[0][1] + m[1][0]) / s,
                (m[0][2] + m[2][0]) / s,
            ]
        } else if m[1][1] >= m[2][2] {
            let s = 2.0 * (1.0 + m[1][1] - m[0][0] - m[2][2]).sqrt();
            [
                (m[0][2] - m[2][0]) / s,
                (m[0][1] + m[1][0]) / s,
                0.25 * s,
                (m[1][2] + m[2][1]) / s,
            ]
        } else {
            let s = 2.0 * (1.0 + m[2][2] - m[0][0] - m[1][1]).sqrt();
            [
                (m[1][0] - m[0][1]) / s,
                (m[0][2] + m[2][0]) / s,
                (m[1][2] + m[2][1]) / s,
                0.25 * s,
            ]
        };
        let n = q.iter().map(|v| v * v).sum::<f64>().sqrt();
        let sign = if q[0] < 0.0 { -1.0 } else { 1.0 };
        q.map(|v| sign * v / n)
    }

    /// e3nn's Euler angles `[α, β, γ]` with R = R_y(α) R_x(β) R_y(γ), as [`matrix_to_angles`].
    pub fn to_euler_angles(&self) -> [f64; 3] {
        matrix_to_angles(self)
    }
}

impl From<nalgebra::Rotation3<f64>> for Rotation {
    fn from(r: nalgebra::Rotation3<f64>) -> Self {
        let m = r.matrix();
        Rotation {
            m: [0, 1, 2].map(|i| [m[(i, 0)], m[(i, 1)], m[(i, 2)]]),
        }
    }
}

impl From<Rotation> for nalgebra::Rotation3<f64> {
    fn from(r: Rotation) -> Self {
        let m = r.m;
        nalgebra::Rotation3::from_matrix_unchecked(nalgebra::Matrix3::from_fn(|i, j| m[i][j]))
    }
}

/// e3nn's `angles_to_matrix`: R_y(α) R_x(β) R_y(γ) with
///
/// ```text
/// R_y(t) = [[cos t, 0, sin t], [0, 1, 0], [−sin t, 0, cos t]]
/// R_x(t) = [[1, 0, 0], [0, cos t, −sin t], [0, sin t, cos t]]
/// ```
///
/// # Convention
/// `CONVENTIONS.md#rotations` (e3nn: y is the polar axis; α, γ about y, β about x).
///
/// # Examples
/// ```
/// use racah_numeric::{angles_to_matrix, matrix_to_angles};
/// let r = angles_to_matrix(0.1, 0.2, 0.3);
/// let [a, b, c] = matrix_to_angles(&r);
/// assert!((a - 0.1).abs() < 1e-15 && (b - 0.2).abs() < 1e-15 && (c - 0.3).abs() < 1e-15);
/// ```
pub fn angles_to_matrix(alpha: f64, beta: f64, gamma: f64) -> Rotation {
    let ry = |t: f64| {
        let (s, c) = t.sin_cos();
        [[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]]
    };
    let (s, c) = beta.sin_cos();
    let rx = [[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]];
    Rotation {
        m: mat_mul(&mat_mul(&ry(alpha), &rx), &ry(gamma)),
    }
}

/// e3nn's `matrix_to_angles`: `[α, β, γ]` with α, γ ∈ (−π, π], β ∈ [0, π].
///
/// R e_y = (sin α sin β, cos β, cos α sin β) gives α = atan2(x, z) and β; then
/// R_y(γ) = (R_y(α) R_x(β))ᵀ R gives γ. At β ∈ {0, π} (gimbal lock) α = 0, as in e3nn.
///
/// # Examples
/// ```
/// use racah_numeric::{angles_to_matrix, matrix_to_angles};
/// let [a, b, c] = matrix_to_angles(&angles_to_matrix(1.0, 0.0, 0.5));
/// assert!(a.abs() < 1e-15 && b.abs() < 1e-15 && (c - 1.5).abs() < 1e-15);
/// ```
pub fn matrix_to_angles(r: &Rotation) -> [f64; 3] {
    let v = [r.m[0][1], r.m[1][1], r.m[2][1]];
    let alpha = v[0].atan2(v[2]);
    let beta = (v[0] * v[0] + v[2] * v[2]).sqrt().atan2(v[1]);
    let rest = mat_mul(&transpose(&angles_to_matrix(alpha, beta, 0.0).m), &r.m);
    let gamma = rest[0][2].atan2(rest[0][0]);
    [alpha, beta, gamma]
}

/// An element of O(3) = SO(3) × {1, −1}: the rotation R, followed by the inversion x ↦ −x if
/// `inversion`. Its matrix is ±R.
///
/// On an irrep (l, p) it acts as p^k D^l(R) with k = 1 if `inversion` (see
/// [`O3Element::d_irrep`]).
///
/// # Convention
/// `CONVENTIONS.md#parity` (e3nn: parity p = ±1 is the sign under −I).
///
/// # Examples
/// ```
/// use racah_numeric::{O3Element, Rotation};
/// let mirror = [[-1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
/// let g = O3Element::try_from_matrix(mirror)?;
/// assert!(g.inversion);
/// assert_eq!(g.matrix(), mirror);
/// assert_eq!(g.apply([1.0, 2.0, 3.0]), [-1.0, 2.0, 3.0]);
/// # Ok::<(), racah_numeric::NumericError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct O3Element {
    /// The rotation part R ∈ SO(3).
    pub rotation: Rotation,
    /// Whether the element contains the inversion −I (determinant −1).
    pub inversion: bool,
}

impl O3Element {
    /// The identity.
    pub const IDENTITY: O3Element = O3Element {
        rotation: Rotation::IDENTITY,
        inversion: false,
    };

    /// The inversion x ↦ −x.
    pub const INVERSION: O3Element = O3Element {
        rotation: Rotation::IDENTITY,
        inversion: true,
    };

    /// The element (R, inversion).
    pub fn new(rotation: Rotation, inversion: bool) -> Self {
        O3Element {
            rotation,
            inversion,
        }
    }

    /// The element with orthogonal matrix `m` (det ±1), split as m = ±R.
    ///
    /// # Errors
    /// [`NumericError::NonFinite`], [`NumericError::NotOrthogonal`] (tolerance
    /// [`Rotation::DEFAULT_TOLERANCE`]).
    pub fn try_from_matrix(m: [[f64; 3]; 3]) -> Result<Self, NumericError> {
        let d = check_orthogonal(&m, Rotation::DEFAULT_TOLERANCE)?;
        let inversion = d < 0.0;
        let m = if inversion {
            m.map(|r| r.map(|v| -v))
        } else {
            m
        };
        Ok(O3Element {
            rotation: Rotation { m },
            inversion,
        })
    }

    /// A random element: Haar-random rotation, inversion with probability 1/2.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::O3Element;
    /// use rand::SeedableRng;
    /// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    /// let n = (0..200).filter(|_| O3Element::random(&mut rng).inversion).count();
    /// assert!((60..140).contains(&n));
    /// ```
    pub fn random<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let rotation = Rotation::random(rng);
        O3Element {
            rotation,
            inversion: rng.next_u64() >> 63 == 1,
        }
    }

    /// The matrix ±R, row-major.
    pub fn matrix(&self) -> [[f64; 3]; 3] {
        let s = if self.inversion { -1.0 } else { 1.0 };
        self.rotation.m.map(|r| r.map(|v| s * v))
    }

    /// ±R v.
    pub fn apply(&self, v: [f64; 3]) -> [f64; 3] {
        apply(&self.matrix(), v)
    }

    /// The product `self · other` (−I is central, so the inversions just add).
    pub fn compose(&self, other: &O3Element) -> O3Element {
        O3Element {
            rotation: self.rotation.compose(&other.rotation),
            inversion: self.inversion != other.inversion,
        }
    }

    /// The inverse.
    pub fn inverse(&self) -> O3Element {
        O3Element {
            rotation: self.rotation.inverse(),
            inversion: self.inversion,
        }
    }
}
