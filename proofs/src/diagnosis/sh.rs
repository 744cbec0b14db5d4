//! [`ShTable`]: real spherical harmonics of a batch of points.

use super::compare::Tolerances;
use super::engine::{group_max, numeric_tolerances, Choice, Dimension, Reference, Table};
use super::error::check_finite;
use super::{DiagnosisError, Dtype};
use racah_numeric::{lm_from_index, sh_dim, ShNormalization, SphericalHarmonics};
use std::cell::RefCell;
use std::collections::HashMap;

/// Real spherical harmonics Y_lm(r) for l = 0..=l_max of N points: `points` (N, 3) and
/// `values` (N, (l_max+1)²), entry `l² + l + m` (e3nn's layout).
///
/// The reference is racah's f64 kernel ([`SphericalHarmonics`]) with the stated normalisation
/// and `normalize` flag (not correctly rounded: its error is a few ulps times l), rounded to
/// the table's dtype.
///
/// Conventions diagnosed (racah's, i.e. the stated ones, first):
///
/// | dimension | options |
/// |---|---|
/// | `normalization` | the stated one, then the others of `component`, `norm`, `integral` |
/// | `normalize` | the stated one, then the other (`unit`: r scaled to length 1; `solid`: r^l Y(r̂)) |
/// | `axes` | `e3nn` (y polar, l = 1 block (x, y, z)), `yzx` (z polar: standard real harmonics, l = 1 block (y, z, x)) |
/// | `phase` | `e3nn` (no Condon–Shortley phase), `condon-shortley` ((−1)^m for odd \|m\|: real harmonics from Legendre functions with the phase, e.g. scipy's `lpmv`) |
///
/// # Convention
/// `CONVENTIONS.md#spherical-harmonics`, `#axes`.
///
/// # Examples
/// ```
/// use racah_numeric::ShNormalization;
/// use racah_proofs::diagnosis::{check, CheckOptions, Dtype, ShTable, Verdict};
/// // l ≤ 1 at (0, 0, 1) with the z axis as polar axis: Y_1 = √3 (y, z, x)
/// let s3 = 3f64.sqrt();
/// let t = ShTable::new(vec![0.0, 0.0, 1.0], vec![1.0, 0.0, s3, 0.0], 1,
///                      ShNormalization::Component, true, Dtype::F64)?;
/// let report = check(&t, &CheckOptions::default())?;
/// match report.diagnosis.unwrap().verdict {
///     Verdict::OtherConvention { matches } => assert_eq!(matches[0].name(), "axes=yzx"),
///     v => panic!("{v:?}"),
/// }
/// # Ok::<(), racah_proofs::diagnosis::DiagnosisError>(())
/// ```
#[derive(Debug)]
pub struct ShTable {
    dtype: Dtype,
    l_max: u32,
    normalization: ShNormalization,
    normalize: bool,
    points: Vec<f64>,
    values: Vec<f64>,
    base: RefCell<HashMap<(bool, bool), Vec<f64>>>,
}

const NORMS: [(ShNormalization, &str, &str); 3] = [
    (
        ShNormalization::Component,
        "component",
        "sum_m Y_lm^2 = 2l+1 on the sphere (e3nn default)",
    ),
    (
        ShNormalization::Norm,
        "norm",
        "sum_m Y_lm^2 = 1 on the sphere (component / sqrt(2l+1))",
    ),
    (
        ShNormalization::Integral,
        "integral",
        "orthonormal on the sphere (component / sqrt(4 pi))",
    ),
];

impl ShTable {
    /// A table of `values` at `points` (row-major `(N, 3)` and `(N, (l_max+1)²)`).
    ///
    /// # Errors
    /// [`DiagnosisError::Shape`] if `points` is not a multiple of 3 or `values` does not hold
    /// N·(l_max+1)² entries; [`DiagnosisError::NonFinite`] for NaN or infinite input;
    /// [`DiagnosisError::Numeric`] if `l_max` exceeds the kernel's limit.
    pub fn new(
        points: Vec<f64>,
        values: Vec<f64>,
        l_max: u32,
        normalization: ShNormalization,
        normalize: bool,
        dtype: Dtype,
    ) -> Result<Self, DiagnosisError> {
        SphericalHarmonics::<f64>::new(l_max, normalization, normalize)?;
        if points.len() % 3 != 0 {
            return Err(DiagnosisError::shape(
                "sh points",
                "(N, 3)",
                format!("{} numbers", points.len()),
            ));
        }
        let n = points.len() / 3;
        let dim = sh_dim(l_max);
        if values.len() != n * dim {
            return Err(DiagnosisError::shape(
                "sh values",
                format!("({n}, {dim}) for {n} points and l_max = {l_max}"),
                format!("{} numbers", values.len()),
            ));
        }
        check_finite("sh points", &points)?;
        check_finite("sh values", &values)?;
        Ok(ShTable {
            dtype,
            l_max,
            normalization,
            normalize,
            points,
            values,
            base: RefCell::new(HashMap::new()),
        })
    }

    /// The largest degree.
    pub fn l_max(&self) -> u32 {
        self.l_max
    }

    fn norm_options(&self) -> Vec<usize> {
        let given = NORMS
            .iter()
            .position(|n| n.0 == self.normalization)
            .unwrap_or(0);
        let mut v = vec![given];
        v.extend((0..3).filter(|&k| k != given));
        v
    }

    /// Component-normalised harmonics with `normalize`, at the points or (z-polar) at (y, z, x).
    fn base(&self, normalize: bool, z_polar: bool) -> Result<Vec<f64>, DiagnosisError> {
        if let Some(v) = self.base.borrow().get(&(normalize, z_polar)) {
            return Ok(v.clone());
        }
        let sh = SphericalHarmonics::<f64>::new(self.l_max, ShNormalization::Component, normalize)?;
        let pts: Vec<f64> = if z_polar {
            // Y_std(x, y, z) = Y_e3nn(y, z, x), since Y_e3nn(x, y, z) = Y_std(z, x, y)
            self.points
                .chunks_exact(3)
                .flat_map(|p| [p[1], p[2], p[0]])
                .collect()
        } else {
            self.points.clone()
        };
        let mut out = vec![0.0; self.values.len()];
        sh.try_compute(&pts, &mut out)?;
        self.base
            .borrow_mut()
            .insert((normalize, z_polar), out.clone());
        Ok(out)
    }
}

impl Table for ShTable {
    fn kind(&self) -> &'static str {
        "sh"
    }

    fn dtype(&self) -> Dtype {
        self.dtype
    }

    fn observed(&self) -> &[f64] {
        &self.values
    }

    fn label(&self, index: usize) -> String {
        let dim = sh_dim(self.l_max);
        let (p, k) = (index / dim, index % dim);
        let (l, m) = lm_from_index(k);
        let x = &self.points[3 * p..3 * p + 3];
        format!("point {p} ({}, {}, {}) l={l} m={m}", x[0], x[1], x[2])
    }

    fn reference(&self) -> Result<Reference, DiagnosisError> {
        let sh = SphericalHarmonics::<f64>::new(self.l_max, self.normalization, self.normalize)?;
        let mut out = vec![0.0; self.values.len()];
        sh.try_compute(&self.points, &mut out)?;
        Ok(Reference {
            values: out.into_iter().map(|v| self.dtype.round(v)).collect(),
            missing: vec![],
            source: format!(
                "racah's f64 spherical harmonics ({:?}, normalize = {}), rounded to {}",
                self.normalization, self.normalize, self.dtype
            )
            .to_lowercase(),
        })
    }

    fn default_tolerances(&self) -> Tolerances {
        numeric_tolerances(self.dtype)
    }

    fn scales(&self, reference: &[f64]) -> Vec<f64> {
        // one group per point and degree: solid harmonics of one point span many magnitudes
        let dim = sh_dim(self.l_max);
        let n = reference.len() / dim.max(1);
        let groups = (0..n).flat_map(move |p| {
            (0..=self.l_max as usize).map(move |l| p * dim + l * l..p * dim + (l + 1) * (l + 1))
        });
        group_max(reference, groups)
    }

    fn dimensions(&self) -> Vec<Dimension> {
        let norm = self
            .norm_options()
            .into_iter()
            .map(|k| Choice::new(NORMS[k].1, NORMS[k].2))
            .collect();
        let unit = Choice::new(
            "unit",
            "points scaled to unit length first (e3nn normalize=True)",
        );
        let solid = Choice::new(
            "solid",
            "solid harmonics |r|^l Y(r/|r|) (e3nn normalize=False)",
        );
        vec![
            Dimension {
                name: "normalization",
                options: norm,
            },
            Dimension {
                name: "normalize",
                options: if self.normalize {
                    vec![unit, solid]
                } else {
                    vec![solid, unit]
                },
            },
            Dimension {
                name: "axes",
                options: vec![
                    Choice::new(
                        "e3nn",
                        "y is the polar axis: Y(x, y, z) = Y_std(z, x, y), l=1 block (x, y, z)",
                    ),
                    Choice::new(
                        "yzx",
                        "z is the polar axis (standard real harmonics: scipy, sphericart, \
                         Wikipedia), l=1 block (y, z, x)",
                    ),
                ],
            },
            Dimension {
                name: "phase",
                options: vec![
                    Choice::new("e3nn", "no Condon-Shortley phase"),
                    Choice::new(
                        "condon-shortley",
                        "(-1)^m on the components with odd |m| (Legendre functions with the \
                         Condon-Shortley phase)",
                    ),
                ],
            },
        ]
    }

    fn candidate(&self, c: &[usize]) -> Result<Option<Vec<f64>>, DiagnosisError> {
        let norm = NORMS[self.norm_options()[c[0]]].0;
        let normalize = self.normalize != (c[1] == 1);
        let mut v = self.base(normalize, c[2] == 1)?;
        let dim = sh_dim(self.l_max);
        let inv_sqrt_4pi = 1.0 / (4.0 * std::f64::consts::PI).sqrt();
        let factors: Vec<f64> = (0..dim)
            .map(|k| {
                let (l, m) = lm_from_index(k);
                let n = match norm {
                    ShNormalization::Norm => 1.0 / ((2 * l + 1) as f64).sqrt(),
                    ShNormalization::Integral => inv_sqrt_4pi,
                    _ => 1.0,
                };
                let s = if c[3] == 1 && m.rem_euclid(2) == 1 {
                    -1.0
                } else {
                    1.0
                };
                n * s
            })
            .collect();
        for row in v.chunks_exact_mut(dim) {
            for (x, f) in row.iter_mut().zip(&factors) {
                *x *= f;
            }
        }
        Ok(Some(v))
    }
}
