//! Real spherical harmonics in e3nn's convention, batched, with analytic gradients.

pub(crate) mod coeffs;
mod kernel;

use crate::dispatch::{dispatch, Kernel};
use crate::stream::{self, StoreMode};
use crate::{sh_dim, Float, NumericError};
use coeffs::ShTables;

/// Normalisation of the real spherical harmonics (e3nn's `normalization` argument).
///
/// ```text
/// Component:  Σ_m Y_lm(x̂)² = 2l+1       (e3nn's default; Y_1 = √3 x̂)
/// Norm:       Σ_m Y_lm(x̂)² = 1          (Y_1 = x̂)
/// Integral:   ∫_{S²} Y_lm² dΩ = 1        (Y_0 = 1/√(4π))
/// ```
///
/// # Convention
/// `Integral = Component / √(4π)`, `Norm = Component / √(2l+1)`, as in e3nn and e3nn-jax
/// (`CONVENTIONS.md#spherical-harmonics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ShNormalization {
    /// Each degree has squared norm 2l+1 on the unit sphere (e3nn's default).
    #[default]
    Component,
    /// Each degree has squared norm 1 on the unit sphere.
    Norm,
    /// Orthonormal on the sphere: ∫ Y_lm Y_l'm' dΩ = δ_ll' δ_mm'.
    Integral,
}

/// Whether gradients up to `l_max` take the per-point kernel vectorised over m
/// ([`kernel::gradients_padded`], fused with the values in
/// [`kernel::values_gradients_block`]) rather than the block kernel vectorised over points.
/// Measured single-thread on Zen 4 (`bench/sh_side_by_side.py`): the block kernel is ahead up
/// to l_max 11 in f64 (its `(3·dim, 8)` scratch block outgrows L1 at 12) and up to 16 in f32
/// (eight f32 points fill a 256-bit register).
#[inline(always)]
fn padded_gradients<T>(l_max: usize) -> bool {
    let from = if std::mem::size_of::<T>() == 4 {
        17
    } else {
        12
    };
    l_max >= from
}

/// The largest compile-time degree whose values are written row by row after a normalisation
/// in lanes (`serial_l`), rather than through the lane-major block and a transposing scatter.
#[inline(always)]
const fn rows_direct_max() -> usize {
    3
}

/// Points per parallel task (and the batch size below which no thread is spawned).
#[cfg(feature = "rayon")]
const CHUNK_POINTS: usize = 1024;

/// [`StoreMode::Auto`]'s policy: whether non-temporal stores pay for a kernel writing
/// `point_bytes` per point (values, plus gradients if asked). Measured single-thread at 10⁶
/// points on Zen 4 (`RACAH_SH_STORE` in `numeric/benches/sh.rs`, BENCHMARKS.md): in f64 they
/// win from 648 bytes per point (values at l_max 8: 56 against 69 ns; gradients at l_max 8 and
/// 16: 250 / 913 against 345 / 1320 ns) and lose below (values at l_max 2 and 4: 9.6 / 21.5
/// against 6.1 / 16.8 ns), where the recurrence, not the stores, is the bound; in f32, whose
/// recurrence is cheaper per byte, they win only at the largest outputs (gradients at
/// l_max 16, 4.6 kB per point: 580 against 640 ns) and tie or lose at l_max 8.
#[inline]
fn streaming_pays<T>(point_bytes: usize) -> bool {
    let from = if std::mem::size_of::<T>() == 4 {
        4096
    } else {
        640
    };
    point_bytes >= from
}

/// Output size (bytes) above which f64 values of degree ≥ 8 are computed point by point (see
/// `run`): well beyond the L2 caches the blocks were tuned in.
const POINTWISE_BYTES: usize = 4 << 20;

/// Calculator for real spherical harmonics Y_lm, 0 ≤ l ≤ l_max, of many points at once.
///
/// For a point r = (x, y, z), e3nn's Y_l is the standard real spherical harmonic without the
/// Condon–Shortley phase evaluated at (x', y', z') = (z, x, y) — y is the polar axis — in the
/// order m = −l..=l:
///
/// ```text
/// Y_0 = 1,   Y_1 = √3 (x, y, z),
/// Y_2 = √15 (xz, xy, (2y² − x² − z²)/(2√3), yz, (z² − x²)/2),     (component, |r| = 1)
/// Y_l^{±m} = a_lm y Y_{l−1}^{±m} − b_lm r² Y_{l−2}^{±m},
/// Y_l^{+l} + i Y_l^{−l} = √((2l+1)/(2l)) (z + i x)(Y_{l−1}^{+(l−1)} + i Y_{l−1}^{−(l−1)}).
/// ```
///
/// With `normalize = true` (e3nn's default) the input is first scaled to unit length; with
/// `false` the output is the solid harmonic |r|^l Y_l(r̂), a homogeneous polynomial of degree l.
/// Every coefficient is √(p/q) rounded once from the exact value (and 1/√(4π) for `Integral`).
///
/// Output layout: row-major `(batch, (l_max+1)²)`, entry `l² + l + m` ([`crate::lm_index`]).
/// Gradients: row-major `(batch, (l_max+1)², 3)`, the derivatives by x, y, z.
///
/// Special inputs (no NaN from finite input):
/// - the zero vector with `normalize = true` gives Y_0 and zeros for l > 0 (as e3nn, which
///   divides by max(|r|, 1e-12)); its gradient is defined as 0;
/// - tiny and huge vectors are normalised without underflow or overflow (e3nn leaves vectors
///   with |r| < 1e-12 unnormalised; racah normalises them);
/// - solid harmonics of very large or very small vectors are evaluated as |r|^l Y_l(r̂), so they
///   overflow to ±∞ or underflow to 0 only where the true value does;
/// - a NaN or infinite coordinate makes that point's row (and gradient) NaN; use
///   [`SphericalHarmonics::try_compute`] to reject such input instead.
///
/// # Convention
/// `CONVENTIONS.md#axes` (e3nn axis order and signs, checked against
/// e3nn's CG recursion Y_{l+1} ∝ C^{(1,l,l+1)}·(x ⊗ Y_l) for l ≤ 6).
///
/// # Examples
/// ```
/// use racah_numeric::{ShNormalization, SphericalHarmonics};
/// let sh = SphericalHarmonics::<f64>::new(2, ShNormalization::Component, true)?;
/// let mut out = vec![0.0; 2 * sh.dim()];
/// sh.compute(&[1.0, 2.0, 3.0, 0.0, 0.0, 5.0], &mut out);
/// let n = 14f64.sqrt();
/// // e3nn: spherical_harmonics("1o", (1, 2, 3), normalize=True) = √3·(1, 2, 3)/√14
/// assert!((out[1] - 3f64.sqrt() / n).abs() < 1e-15);
/// assert!((out[3] - 3.0 * 3f64.sqrt() / n).abs() < 1e-15);
/// // on the z axis: Y_2 ∝ (z² − x²) only in the last component, √15/2
/// assert!((out[9 + 8] - 15f64.sqrt() / 2.0).abs() < 1e-15);
/// # Ok::<(), racah_numeric::NumericError>(())
/// ```
///
/// # References
/// Limpanuparb & Milthorpe, arXiv:1410.1748 (normalised recurrences); Bigi, Fraux, Browning &
/// Ceriotti, J. Chem. Phys. 159, 064802 (2023) (sphericart); e3nn, arXiv:2207.09453.
#[derive(Debug, Clone)]
pub struct SphericalHarmonics<T> {
    l_max: u32,
    normalization: ShNormalization,
    normalize: bool,
    store_mode: StoreMode,
    tables: ShTables<T>,
    /// Solid harmonics take the polynomial path for r² in [lo, hi] (or r² = 0).
    solid_r2_lo: T,
    solid_r2_hi: T,
}

impl<T: Float> SphericalHarmonics<T> {
    /// The largest supported `l_max`.
    pub const MAX_L_MAX: u32 = 1024;

    /// A calculator for degrees `0..=l_max`.
    ///
    /// # Errors
    /// [`NumericError::LMaxTooLarge`] if `l_max > MAX_L_MAX`.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{ShNormalization, SphericalHarmonics};
    /// let sh = SphericalHarmonics::<f32>::new(8, ShNormalization::Norm, true)?;
    /// assert_eq!(sh.dim(), 81);
    /// assert!(SphericalHarmonics::<f32>::new(5000, ShNormalization::Norm, true).is_err());
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn new(
        l_max: u32,
        normalization: ShNormalization,
        normalize: bool,
    ) -> Result<Self, NumericError> {
        if l_max > Self::MAX_L_MAX {
            return Err(NumericError::LMaxTooLarge {
                l_max,
                max: Self::MAX_L_MAX,
            });
        }
        // |r|^l_max·(2l_max+1) stays in [2^(8−E), 2^(E−8)] on the polynomial path, so no
        // intermediate overflows and nothing falls into the subnormal range.
        let e = T::MAX_EXP;
        let lm = l_max.max(1) as i32;
        let hi_exp = (2 * (e - 8 - 11) / lm).clamp(0, e - 3);
        let lo_exp = (-(2 * (e - 8)) / lm).clamp(-(e - 3), 0);
        Ok(SphericalHarmonics {
            l_max,
            normalization,
            normalize,
            store_mode: StoreMode::Auto,
            tables: ShTables::new(l_max as usize, normalization),
            solid_r2_lo: T::exp2i(lo_exp),
            solid_r2_hi: T::exp2i(hi_exp),
        })
    }

    /// The same calculator storing its batched output by `mode` ([`StoreMode::Auto`] by default:
    /// non-temporal stores for outputs larger than the last-level cache). The values are the
    /// same bits in every mode.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{ShNormalization, SphericalHarmonics, StoreMode};
    /// let sh = SphericalHarmonics::<f32>::new(4, ShNormalization::Component, true)?
    ///     .with_store_mode(StoreMode::Cached);
    /// assert_eq!(sh.store_mode(), StoreMode::Cached);
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn with_store_mode(mut self, mode: StoreMode) -> Self {
        self.store_mode = mode;
        self
    }

    /// How batched output is stored ([`with_store_mode`](Self::with_store_mode)).
    pub fn store_mode(&self) -> StoreMode {
        self.store_mode
    }

    /// The largest degree.
    pub fn l_max(&self) -> u32 {
        self.l_max
    }

    /// The number of outputs per point, (l_max+1)².
    pub fn dim(&self) -> usize {
        sh_dim(self.l_max)
    }

    /// The normalisation.
    pub fn normalization(&self) -> ShNormalization {
        self.normalization
    }

    /// Whether inputs are scaled to unit length first.
    pub fn normalize(&self) -> bool {
        self.normalize
    }

    /// Y(r) for each point of `xyz` (row-major `(batch, 3)`) into `out` (`(batch, dim)`).
    ///
    /// Batches of more than 1024 points are split over rayon's thread pool (feature `rayon`).
    ///
    /// # Panics
    /// If `xyz.len()` is not a multiple of 3 or `out.len() != xyz.len() / 3 · dim`.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{ShNormalization, SphericalHarmonics};
    /// let sh = SphericalHarmonics::<f64>::new(1, ShNormalization::Component, false)?;
    /// let mut out = [0.0; 4];
    /// sh.compute(&[1.0, 2.0, 3.0], &mut out);
    /// let s3 = 3f64.sqrt();
    /// assert_eq!(out, [1.0, s3, 2.0 * s3, 3.0 * s3]);
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    #[track_caller]
    pub fn compute(&self, xyz: &[T], out: &mut [T]) {
        let n = self.check_shapes(xyz, out.len(), None);
        self.run::<false>(n, xyz, out, &mut []);
    }

    /// Y(r) and its gradient dY/dr into `grad` (row-major `(batch, dim, 3)`).
    ///
    /// The gradient is analytic: ∇ of a solid harmonic of degree l is a combination of at most
    /// five of degree l−1 (coefficients √(p/q)); with `normalize`, the chain rule through
    /// r̂ = r/|r| gives (∇S(r̂) − l S(r̂) r̂)/|r|. At r = 0 with `normalize` the gradient is 0.
    ///
    /// # Panics
    /// As [`compute`](Self::compute), and if `grad.len() != 3 · out.len()`.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{ShNormalization, SphericalHarmonics};
    /// let sh = SphericalHarmonics::<f64>::new(1, ShNormalization::Component, false)?;
    /// let (mut out, mut grad) = ([0.0; 4], [0.0; 12]);
    /// sh.compute_with_gradients(&[0.3, -0.2, 0.9], &mut out, &mut grad);
    /// let s3 = 3f64.sqrt();
    /// assert_eq!(&grad[3..], &[s3, 0.0, 0.0, 0.0, s3, 0.0, 0.0, 0.0, s3]);
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    #[track_caller]
    pub fn compute_with_gradients(&self, xyz: &[T], out: &mut [T], grad: &mut [T]) {
        let n = self.check_shapes(xyz, out.len(), Some(grad.len()));
        self.run::<true>(n, xyz, out, grad);
    }

    /// [`compute`](Self::compute) for user data: shapes and finiteness checked, no panics.
    ///
    /// # Errors
    /// [`NumericError::ShapeMismatch`] for a wrong buffer length, [`NumericError::NonFinite`]
    /// (with the flat index into `xyz`) for a NaN or infinite coordinate; `out` is untouched
    /// then.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{NumericError, ShNormalization, SphericalHarmonics};
    /// let sh = SphericalHarmonics::<f64>::new(2, ShNormalization::Component, true)?;
    /// let mut out = vec![0.0; 9];
    /// let err = sh.try_compute(&[1.0, f64::NAN, 0.0], &mut out).unwrap_err();
    /// assert_eq!(err, NumericError::NonFinite { what: "xyz", index: 1 });
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn try_compute(&self, xyz: &[T], out: &mut [T]) -> Result<(), NumericError> {
        if xyz.len() % 3 != 0 {
            return Err(NumericError::ShapeMismatch {
                what: "xyz (a multiple of 3)",
                expected: xyz.len() / 3 * 3,
                got: xyz.len(),
            });
        }
        let expected = xyz.len() / 3 * self.dim();
        if out.len() != expected {
            return Err(NumericError::ShapeMismatch {
                what: "out",
                expected,
                got: out.len(),
            });
        }
        if let Some(index) = xyz.iter().position(|v| !v.is_finite()) {
            return Err(NumericError::NonFinite { what: "xyz", index });
        }
        self.compute(xyz, out);
        Ok(())
    }

    /// Y(r) for each point of `xyz` as an [`IrrepsArray`](crate::IrrepsArray) with irreps `0e + 1o + 2e + …`
    /// (e3nn's `Irreps.spherical_harmonics(l_max)`), checked as [`try_compute`](Self::try_compute).
    ///
    /// # Errors
    /// As [`try_compute`](Self::try_compute).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{ShNormalization, SphericalHarmonics};
    /// let sh = SphericalHarmonics::<f64>::new(2, ShNormalization::Component, true)?;
    /// let y = sh.compute_array(&[0.0, 0.0, 1.0, 1.0, 0.0, 0.0])?;
    /// assert_eq!(y.irreps().to_string(), "1x0e+1x1o+1x2e");
    /// assert_eq!(y.batch(), 2);
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn compute_array(&self, xyz: &[T]) -> Result<crate::IrrepsArray<T>, NumericError> {
        let mut out = vec![T::ZERO; xyz.len() / 3 * self.dim()];
        self.try_compute(xyz, &mut out)?;
        let irreps = racah_core::Irreps::spherical_harmonics(self.l_max);
        crate::IrrepsArray::new(irreps, xyz.len() / 3, out)
    }

    /// Y(r) of one point as a new vector of length `dim` (no threads).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{ShNormalization, SphericalHarmonics};
    /// let sh = SphericalHarmonics::<f64>::new(1, ShNormalization::Norm, true)?;
    /// assert_eq!(sh.compute_point([0.0, 0.0, -2.0]), vec![1.0, 0.0, 0.0, -1.0]);
    /// # Ok::<(), racah_numeric::NumericError>(())
    /// ```
    pub fn compute_point(&self, xyz: [T; 3]) -> Vec<T> {
        let mut out = vec![T::ZERO; self.dim()];
        self.point::<false>(xyz, &mut out, &mut []);
        out
    }

    #[track_caller]
    fn check_shapes(&self, xyz: &[T], out_len: usize, grad_len: Option<usize>) -> usize {
        assert!(
            xyz.len() % 3 == 0,
            "xyz has {} entries, not a multiple of 3",
            xyz.len()
        );
        let n = xyz.len() / 3;
        let dim = self.dim();
        assert!(
            out_len == n * dim,
            "out has {out_len} entries, expected {n} points × {dim} = {}",
            n * dim
        );
        if let Some(g) = grad_len {
            assert!(
                g == 3 * n * dim,
                "grad has {g} entries, expected {}",
                3 * n * dim
            );
        }
        n
    }

    fn run<const GRAD: bool>(&self, n: usize, xyz: &[T], out: &mut [T], grad: &mut [T]) {
        // Outputs beyond the last-level cache that are store-bound stream out through
        // non-temporal stores ([`StoreMode`], `streaming_pays`). Otherwise, f64 values of
        // degree ≥ 8 whose output does not stay in L2 go one point at a time, each row in one
        // sequential stream, which measured 1.2–1.8× faster than the 8-point blocks with
        // normal stores (BENCHMARKS.md). Every route gives the same bits.
        let row_bytes = self.dim() * std::mem::size_of::<T>();
        let point_bytes = if GRAD { 4 * row_bytes } else { row_bytes };
        let streaming = self.store_mode.streams::<T>(
            n.saturating_mul(point_bytes),
            streaming_pays::<T>(point_bytes),
        );
        let pointwise = !GRAD
            && !streaming
            && std::mem::size_of::<T>() == 8
            && self.l_max >= 8
            && n.saturating_mul(row_bytes) > POINTWISE_BYTES;
        let route = Route {
            pointwise,
            streaming,
        };
        #[cfg(feature = "rayon")]
        if n > CHUNK_POINTS {
            use rayon::prelude::*;
            let dim = self.dim();
            let gdim = if GRAD { 3 * dim } else { 0 };
            let points = xyz
                .par_chunks(3 * CHUNK_POINTS)
                .zip(out.par_chunks_mut(dim * CHUNK_POINTS));
            if GRAD {
                points
                    .zip(grad.par_chunks_mut(gdim * CHUNK_POINTS))
                    .for_each(|((p, o), g)| {
                        self.serial::<GRAD>(p, o, g, route);
                    });
            } else {
                points.for_each(|(p, o)| self.serial::<GRAD>(p, o, &mut [], route));
            }
            return;
        }
        let _ = n;
        self.serial::<GRAD>(xyz, out, grad, route);
    }

    /// Dispatches to a loop with `l_max` known at compile time for small degrees, each
    /// compiled per instruction set ([`crate::dispatch`]).
    fn serial<const GRAD: bool>(&self, xyz: &[T], out: &mut [T], grad: &mut [T], route: Route) {
        match self.l_max {
            0 => self.serial_dispatch::<GRAD, 0, 8>(xyz, out, grad, route),
            1 => self.serial_dispatch::<GRAD, 1, 8>(xyz, out, grad, route),
            2 => self.serial_dispatch::<GRAD, 2, 8>(xyz, out, grad, route),
            3 => self.serial_dispatch::<GRAD, 3, 8>(xyz, out, grad, route),
            4 => self.serial_dispatch::<GRAD, 4, 8>(xyz, out, grad, route),
            5 => self.serial_dispatch::<GRAD, 5, 8>(xyz, out, grad, route),
            6 => self.serial_dispatch::<GRAD, 6, 8>(xyz, out, grad, route),
            // Larger blocks stop fitting in L1 (gradients are 3× the values).
            l if l <= 16 => self.serial_dispatch::<GRAD, { usize::MAX }, 8>(xyz, out, grad, route),
            // gradients: one 256-bit register of points for the fused values + gradients
            _ if GRAD && std::mem::size_of::<T>() == 4 => {
                self.serial_dispatch::<GRAD, { usize::MAX }, 8>(xyz, out, grad, route)
            }
            _ if GRAD => self.serial_dispatch::<GRAD, { usize::MAX }, 4>(xyz, out, grad, route),
            // values: one SSE2 register of points per lane
            _ if std::mem::size_of::<T>() == 4 => {
                self.serial_dispatch::<GRAD, { usize::MAX }, 4>(xyz, out, grad, route)
            }
            _ => self.serial_dispatch::<GRAD, { usize::MAX }, 2>(xyz, out, grad, route),
        }
    }

    fn serial_dispatch<const GRAD: bool, const L: usize, const B: usize>(
        &self,
        xyz: &[T],
        out: &mut [T],
        grad: &mut [T],
        route: Route,
    ) {
        let run = SerialRun::<T, GRAD, L, B> {
            sh: self,
            xyz,
            out,
            grad,
            route,
        };
        // Measured on Zen 4 (BENCHMARKS.md, `RACAH_BASELINE_ONLY` A/B): the wide clone speeds
        // up gradients at every degree, f32 values from l_max 8 and f64 values written row by
        // row (l_max ≤ 3: 5.0 against 5.5 ns per point), but slows the other block values at
        // small degrees and in f64 (stack spills between the recurrence and the row writes),
        // and f32 values row by row (4.6 against 4.2 ns at l_max 2).
        let wide = GRAD
            || (L == usize::MAX && std::mem::size_of::<T>() == 4)
            || (L <= rows_direct_max() && std::mem::size_of::<T>() == 8);
        if wide {
            dispatch(run)
        } else {
            run.run()
        }
    }

    /// Blocks of [`kernel::B`] points through the vectorised block kernel; points that need
    /// special handling (zero, non-finite, extreme |r|) and the tail go through [`Self::point_l`].
    #[inline(always)]
    fn serial_l<const GRAD: bool, const L: usize, const B: usize>(
        &self,
        xyz: &[T],
        out: &mut [T],
        grad: &mut [T],
        route: Route,
    ) {
        use kernel::Lane;
        let t = &self.tables;
        let dim = self.dim();
        let gdim = if GRAD { 3 * dim } else { 0 };
        let l_max = if L == usize::MAX {
            self.l_max as usize
        } else {
            L
        };
        let n = xyz.len() / 3;
        let full = if route.pointwise { 0 } else { n / B * B };
        let rows_direct = !GRAD && L <= rows_direct_max();
        let streaming = route.streaming && full > 0;
        // Scratch blocks: one allocation per call (a rayon task is ≥ 1024 points).
        let mut buf: Vec<Lane<T, B>> =
            vec![[T::ZERO; B]; if full > 0 && !rows_direct { dim + 1 } else { 0 }];
        // Rows of the full blocks through staging buffers and non-temporal stores ([`stream`]).
        let (mut out, tail_out) = out.split_at_mut(full * dim);
        let (mut grad, tail_grad) = grad.split_at_mut(if GRAD { full * gdim } else { 0 });
        let mut writers = streaming.then(|| {
            (
                stream::StreamWriter::new(std::mem::take(&mut out), B * dim),
                stream::StreamWriter::new(std::mem::take(&mut grad), B * gdim),
            )
        });
        // From a degree on ([`padded_gradients`]), gradients are per point, vectorised over
        // m, from padded source rows (their zeros are written here).
        let padded = GRAD && padded_gradients::<T>(l_max);
        let mut gbuf: Vec<Lane<T, B>> =
            vec![[T::ZERO; B]; if full > 0 && !padded { gdim } else { 0 }];
        let plen = kernel::pad_len(l_max);
        let mut spad: Vec<T> = vec![T::ZERO; if padded { plen } else { 0 }];
        // two padded degrees per point for the fused block kernel
        let slots = 2 * (2 * l_max + 5);
        let mut spads: Vec<T> = vec![T::ZERO; if padded && full > 0 { B * slots } else { 0 }];
        let mut sbuf: Vec<Lane<T, B>> = vec![
            [T::ZERO; B];
            if GRAD && self.normalize && full > 0 && !padded {
                dim + 1
            } else {
                0
            }
        ];
        let scale = t.scale.unwrap_or(T::ONE);
        for start in (0..full).step_by(B) {
            let p = &xyz[3 * start..3 * (start + B)];
            let (o, g): (&mut [T], &mut [T]) = if let Some((wo, wg)) = writers.as_mut() {
                (
                    wo.rows(B * dim),
                    if GRAD { wg.rows(B * gdim) } else { &mut [] },
                )
            } else {
                (
                    &mut out[start * dim..(start + B) * dim],
                    if GRAD {
                        &mut grad[start * gdim..(start + B) * gdim]
                    } else {
                        &mut []
                    },
                )
            };
            // one scalar pass to split (x, y, z): the wide clone would otherwise emit gathers,
            // which are slower than this on every CPU measured (BENCHMARKS.md)
            let (mut x, mut y, mut z): (Lane<T, B>, Lane<T, B>, Lane<T, B>) =
                ([T::ZERO; B], [T::ZERO; B], [T::ZERO; B]);
            for (i, q) in p.chunks_exact(3).enumerate() {
                (x[i], y[i], z[i]) = (q[0], q[1], q[2]);
            }
            let r2: Lane<T, B> = std::array::from_fn(|i| x[i] * x[i] + y[i] * y[i] + z[i] * z[i]);
            let regular: [bool; B] = std::array::from_fn(|i| {
                if self.normalize {
                    r2[i] >= T::MIN_POSITIVE && r2[i] <= T::MAX
                } else {
                    (r2[i] >= self.solid_r2_lo && r2[i] <= self.solid_r2_hi) || r2[i] == T::ZERO
                }
            });
            let all_regular = regular.iter().all(|&r| r);
            if !all_regular {
                // Irregular points get a harmless stand-in here and are recomputed below.
                for i in (0..B).filter(|&i| !regular[i]) {
                    (x[i], y[i], z[i]) = (T::ZERO, T::ONE, T::ZERO);
                }
            }
            let r2: Lane<T, B> = std::array::from_fn(|i| x[i] * x[i] + y[i] * y[i] + z[i] * z[i]);
            // unit vectors and 1/|r| (normalised), or the point itself and 1 (solid)
            let (u, inv_r): ([Lane<T, B>; 3], Lane<T, B>) = if self.normalize {
                let inv_r: Lane<T, B> = std::array::from_fn(|i| T::ONE / r2[i].sqrt());
                let u = [x, y, z].map(|c| std::array::from_fn(|i| c[i] * inv_r[i]));
                (u, inv_r)
            } else {
                ([x, y, z], [T::ONE; B])
            };
            let u3 = [&u[0], &u[1], &u[2]];
            if rows_direct {
                // Small degrees: each row in one go from the lanes.
                for (i, row) in o.chunks_exact_mut(dim).enumerate() {
                    let p = [u[0][i], u[1][i], u[2][i]];
                    if self.normalize {
                        kernel::values::<T, true>(t, l_max, p, T::ONE, row);
                    } else {
                        kernel::values::<T, false>(t, l_max, p, r2[i], row);
                    }
                    if let Some(c) = t.scale {
                        row.iter_mut().for_each(|v| *v *= c);
                    }
                }
            } else if self.normalize {
                if padded {
                    kernel::values_gradients_block::<T, true, B>(
                        t, l_max, u3, &r2, u3, &inv_r, &mut buf, &mut spads, o, scale, g,
                    );
                    if let Some(c) = t.scale {
                        g.iter_mut().for_each(|v| *v *= c);
                    }
                } else {
                    kernel::values_block::<T, true, B>(t, l_max, u3, &r2, &mut buf);
                }
                if GRAD && !padded {
                    kernel::gradients_block::<T, true, B>(
                        t, l_max, &buf, &mut sbuf, &mut gbuf, u3, &inv_r,
                    );
                }
            } else {
                // solid harmonics: the chain rule through r/|r| drops out (unit = 1, 1/|r| = 1)
                let one = &inv_r;
                if padded {
                    kernel::values_gradients_block::<T, false, B>(
                        t,
                        l_max,
                        u3,
                        &r2,
                        [one, one, one],
                        one,
                        &mut buf,
                        &mut spads,
                        o,
                        scale,
                        g,
                    );
                    if let Some(c) = t.scale {
                        g.iter_mut().for_each(|v| *v *= c);
                    }
                } else {
                    kernel::values_block::<T, false, B>(t, l_max, u3, &r2, &mut buf);
                }
                if GRAD && !padded {
                    kernel::gradients_block::<T, false, B>(
                        t,
                        l_max,
                        &buf,
                        &mut sbuf,
                        &mut gbuf,
                        [one, one, one],
                        one,
                    );
                }
            }
            if !padded && !rows_direct {
                kernel::scatter_block(&buf[..dim], o, scale);
            }
            if GRAD && !padded {
                kernel::scatter_block(&gbuf, g, scale);
            }
            if !all_regular {
                for i in (0..B).filter(|&i| !regular[i]) {
                    let j = start + i;
                    let q = [xyz[3 * j], xyz[3 * j + 1], xyz[3 * j + 2]];
                    let gi = if GRAD {
                        &mut g[i * gdim..(i + 1) * gdim]
                    } else {
                        &mut [][..]
                    };
                    self.point_l::<GRAD>(l_max, q, &mut o[i * dim..(i + 1) * dim], gi, &mut spad);
                }
            }
        }
        if let Some((wo, wg)) = writers {
            wo.finish();
            wg.finish();
        }
        let (out, grad) = (tail_out, tail_grad);
        for j in full..n {
            let q = [xyz[3 * j], xyz[3 * j + 1], xyz[3 * j + 2]];
            let k = j - full;
            let g = if GRAD {
                &mut grad[k * gdim..(k + 1) * gdim]
            } else {
                &mut [][..]
            };
            self.point_l::<GRAD>(l_max, q, &mut out[k * dim..(k + 1) * dim], g, &mut spad);
        }
    }

    fn point<const GRAD: bool>(&self, p: [T; 3], row: &mut [T], grad: &mut [T]) {
        let mut spad = if GRAD && padded_gradients::<T>(self.l_max as usize) {
            vec![T::ZERO; kernel::pad_len(self.l_max as usize)]
        } else {
            Vec::new()
        };
        self.point_l::<GRAD>(self.l_max as usize, p, row, grad, &mut spad);
    }

    /// One point; `spad` is a zeroed padded row ([`kernel::pad_len`]) when `GRAD` and
    /// `padded_gradients::<T>(l_max)`, and may be empty otherwise.
    #[inline(always)]
    fn point_l<const GRAD: bool>(
        &self,
        l_max: usize,
        p: [T; 3],
        row: &mut [T],
        grad: &mut [T],
        spad: &mut [T],
    ) {
        let t = &self.tables;
        let dim = (l_max + 1) * (l_max + 1);
        let padded = GRAD && padded_gradients::<T>(l_max);
        let [x, y, z] = p;
        let r2 = x * x + y * y + z * z;
        if self.normalize {
            if r2 >= T::MIN_POSITIVE && r2 <= T::MAX {
                let inv_r = T::ONE / r2.sqrt();
                let u = [x * inv_r, y * inv_r, z * inv_r];
                kernel::values::<T, true>(t, l_max, u, T::ONE, row);
                if padded {
                    kernel::fill_padded::<T, true>(l_max, |k| row[k], inv_r, spad);
                    kernel::gradients_padded::<T, true>(t, l_max, spad, grad, u);
                } else if GRAD {
                    kernel::gradients::<T, true>(t, l_max, row, grad, u, inv_r);
                }
            } else {
                self.point_slow::<GRAD>(l_max, p, row, grad);
            }
        } else if (r2 >= self.solid_r2_lo && r2 <= self.solid_r2_hi) || r2 == T::ZERO {
            kernel::values::<T, false>(t, l_max, p, r2, row);
            if padded {
                kernel::fill_padded::<T, false>(l_max, |k| row[k], T::ONE, spad);
                kernel::gradients_padded::<T, false>(t, l_max, spad, grad, [T::ONE; 3]);
            } else if GRAD {
                kernel::gradients::<T, false>(t, l_max, row, grad, [T::ONE; 3], T::ONE);
            }
        } else {
            self.point_slow::<GRAD>(l_max, p, row, grad);
        }
        if let Some(c) = t.scale {
            row[..dim].iter_mut().for_each(|v| *v *= c);
            if GRAD {
                grad[..3 * dim].iter_mut().for_each(|v| *v *= c);
            }
        }
    }

    /// Non-finite input, zero vectors (normalised), and |r| outside the direct range.
    #[cold]
    #[inline(never)]
    fn point_slow<const GRAD: bool>(&self, l_max: usize, p: [T; 3], row: &mut [T], grad: &mut [T]) {
        let t = &self.tables;
        let dim = (l_max + 1) * (l_max + 1);
        let (row, grad) = (
            &mut row[..dim],
            if GRAD { &mut grad[..3 * dim] } else { grad },
        );
        if !p.iter().all(|v| v.is_finite()) {
            row.fill(T::NAN);
            grad.fill(T::NAN);
            return;
        }
        let s = p[0].abs().max(p[1].abs()).max(p[2].abs());
        if s == T::ZERO {
            // Only reached with `normalize`: Y_0 and zeros, gradient 0 (see the type docs).
            row.fill(T::ZERO);
            row[0] = T::ONE;
            grad.fill(T::ZERO);
            return;
        }
        // Scale by the largest coordinate (|q| ∈ [1, √3]), then normalise.
        let q = [p[0] / s, p[1] / s, p[2] / s];
        let rq = (q[0] * q[0] + q[1] * q[1] + q[2] * q[2]).sqrt();
        let u = [q[0] / rq, q[1] / rq, q[2] / rq];
        kernel::values::<T, true>(t, l_max, u, T::ONE, row);
        let inv_r = T::ONE / rq / s;
        if self.normalize {
            if GRAD {
                kernel::gradients::<T, true>(t, l_max, row, grad, u, inv_r);
            }
            return;
        }
        // Solid harmonics |r|^l Y_l(r̂); exact zeros stay zero even where |r|^l overflows.
        let r = s * rq;
        let mut rl = T::ONE;
        for l in 1..=l_max {
            rl *= r;
            for v in &mut row[l * l..(l + 1) * (l + 1)] {
                if *v != T::ZERO {
                    *v *= rl;
                }
            }
        }
        if GRAD {
            kernel::gradients::<T, false>(t, l_max, row, grad, [T::ONE; 3], T::ONE);
        }
    }
}

/// How a serial run stores its rows.
#[derive(Debug, Clone, Copy)]
struct Route {
    /// Every point through the single-point kernel (no blocks).
    pointwise: bool,
    /// Blocks are computed into a staging buffer and streamed out ([`stream`]).
    streaming: bool,
}

/// A serial run of [`SphericalHarmonics`] over some points, as a dispatched kernel.
struct SerialRun<'a, T: Float, const GRAD: bool, const L: usize, const B: usize> {
    sh: &'a SphericalHarmonics<T>,
    xyz: &'a [T],
    out: &'a mut [T],
    grad: &'a mut [T],
    route: Route,
}

impl<T: Float, const GRAD: bool, const L: usize, const B: usize> Kernel
    for SerialRun<'_, T, GRAD, L, B>
{
    type Output = ();

    #[inline(always)]
    fn run(self) {
        self.sh
            .serial_l::<GRAD, L, B>(self.xyz, self.out, self.grad, self.route)
    }
}
