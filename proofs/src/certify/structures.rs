//! Random test structures for a model's signature: positions on the dyadic grid 2⁻¹²·ℤ (exact
//! in `f32`, `f64` and double-double), species drawn from the model's, a minimum distance
//! between atoms, optional periodic cell and per-atom features.

use crate::certify::model::{CertInput, ModelError, ModelSignature};
use crate::certify::transforms::DYADIC_STEP;
use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How to draw random structures.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StructureSpec {
    /// Atoms per structure.
    pub atoms: usize,
    /// Minimum distance between two atoms (Å); in a periodic structure, between images too.
    pub min_distance: f64,
    /// Number density (atoms per Å³) that sets the box or cell size.
    pub density: f64,
    /// Whether to draw a periodic cell.
    pub periodic: bool,
}

impl Default for StructureSpec {
    /// 6 atoms, at least 0.9 Å apart, 0.05 atoms/Å³, not periodic.
    fn default() -> Self {
        StructureSpec {
            atoms: 6,
            min_distance: 0.9,
            density: 0.05,
            periodic: false,
        }
    }
}

/// A value rounded to the dyadic grid 2⁻¹²·ℤ.
fn dyadic(x: f64) -> f64 {
    (x / DYADIC_STEP).round() * DYADIC_STEP
}

/// A uniform value in `[-h, h]` on the dyadic grid.
fn uniform<R: Rng + ?Sized>(rng: &mut R, h: f64) -> f64 {
    dyadic(rng.random_range(-h..=h))
}

/// One random structure for `signature`.
///
/// ```text
/// side = (atoms / density)^(1/3);   positions uniform in [0, side)³ (or [−side/2, side/2]³),
/// every coordinate a multiple of 2⁻¹²;   |x_i − x_j| ≥ min_distance
/// ```
///
/// A periodic structure has a cell of three dyadic lattice vectors (a skewed box of side
/// `side`), and the minimum distance holds between periodic images (nearest image over the
/// 27 neighbouring cells). Features, if the model takes any, are uniform in [−1, 1] on the
/// dyadic grid.
///
/// # Errors
/// A [`ModelError`] if the signature has no species, `atoms` is 0, the density or minimum
/// distance is not positive and finite, or 10 000 attempts did not place the atoms.
///
/// # Examples
/// ```
/// use racah_proofs::certify::{random_structure, ModelSignature, StructureSpec};
/// use rand::SeedableRng;
/// let sig = ModelSignature {
///     name: "toy".into(), species: vec![1, 8], input_features: None,
///     outputs: vec![], precisions: vec![], periodic: false,
/// };
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
/// let s = random_structure(&sig, &StructureSpec::default(), &mut rng)?;
/// assert_eq!(s.positions.len(), 6);
/// assert!(s.positions.iter().flatten().all(|x| (x * 4096.0).fract() == 0.0));
/// assert!(s.species.iter().all(|z| [1, 8].contains(z)));
/// # Ok::<(), racah_proofs::certify::ModelError>(())
/// ```
pub fn random_structure<R: Rng + ?Sized>(
    signature: &ModelSignature,
    spec: &StructureSpec,
    rng: &mut R,
) -> Result<CertInput<f64>, ModelError> {
    if signature.species.is_empty() {
        return Err(ModelError::new(format!(
            "model {} declares no species",
            signature.name
        )));
    }
    if spec.atoms == 0 {
        return Err(ModelError::new("a structure needs at least 1 atom, got 0"));
    }
    for (what, v) in [
        ("density", spec.density),
        ("min_distance", spec.min_distance),
    ] {
        if !(v.is_finite() && v > 0.0) {
            return Err(ModelError::new(format!(
                "{what} must be positive and finite, got {v}"
            )));
        }
    }
    let side = (spec.atoms as f64 / spec.density)
        .cbrt()
        .max(spec.min_distance * 2.0);
    let cell = spec.periodic.then(|| {
        let skew = 0.1 * side;
        [
            [dyadic(side), 0.0, 0.0],
            [uniform(rng, skew), dyadic(side), 0.0],
            [uniform(rng, skew), uniform(rng, skew), dyadic(side)],
        ]
    });
    let mut positions: Vec<[f64; 3]> = Vec::with_capacity(spec.atoms);
    let mut attempts = 0;
    while positions.len() < spec.atoms {
        attempts += 1;
        if attempts > 10_000 {
            return Err(ModelError::new(format!(
                "could not place {} atoms at least {} Å apart at density {}",
                spec.atoms, spec.min_distance, spec.density
            )));
        }
        let x = match &cell {
            Some(c) => {
                let f = [(); 3].map(|_| rng.random_range(0.0..1.0));
                [0, 1, 2].map(|k| dyadic(f[0] * c[0][k] + f[1] * c[1][k] + f[2] * c[2][k]))
            }
            None => [(); 3].map(|_| uniform(rng, side / 2.0)),
        };
        let far = positions
            .iter()
            .all(|y| min_image_distance(&x, y, cell.as_ref()) >= spec.min_distance);
        if far {
            positions.push(x);
        }
    }
    let species = (0..spec.atoms)
        .map(|_| signature.species[rng.random_range(0..signature.species.len())])
        .collect();
    let features = signature.input_features.as_ref().map(|irreps| {
        (0..spec.atoms * irreps.dim())
            .map(|_| uniform(rng, 1.0))
            .collect()
    });
    Ok(CertInput {
        positions,
        species,
        cell,
        features,
    })
}

/// The distance between x and the nearest image of y (over the 27 neighbouring cells).
fn min_image_distance(x: &[f64; 3], y: &[f64; 3], cell: Option<&[[f64; 3]; 3]>) -> f64 {
    let d = [x[0] - y[0], x[1] - y[1], x[2] - y[2]];
    let Some(c) = cell else {
        return d.iter().map(|v| v * v).sum::<f64>().sqrt();
    };
    let mut best = f64::INFINITY;
    for i in -1i32..=1 {
        for j in -1i32..=1 {
            for k in -1i32..=1 {
                let (fi, fj, fk) = (f64::from(i), f64::from(j), f64::from(k));
                let s: f64 = (0..3)
                    .map(|a| {
                        let v = d[a] + fi * c[0][a] + fj * c[1][a] + fk * c[2][a];
                        v * v
                    })
                    .sum();
                best = best.min(s.sqrt());
            }
        }
    }
    best
}

/// `count` random structures from a seed: the odd-numbered ones periodic when `spec.periodic`
/// is set and the model accepts a cell, the others open.
///
/// # Errors
/// As [`random_structure`].
///
/// # Examples
/// ```
/// use racah_proofs::certify::{random_structures, ModelSignature, StructureSpec};
/// let sig = ModelSignature {
///     name: "toy".into(), species: vec![6], input_features: Some("2x0e+1o".parse().unwrap()),
///     outputs: vec![], precisions: vec![], periodic: true,
/// };
/// let spec = StructureSpec { periodic: true, ..StructureSpec::default() };
/// let s = random_structures(&sig, &spec, 2, 7)?;
/// assert!(s[0].cell.is_none() && s[1].cell.is_some());
/// assert_eq!(s[1].features.as_ref().unwrap().len(), 6 * 5);
/// assert_eq!(s, random_structures(&sig, &spec, 2, 7)?); // seeded
/// # Ok::<(), racah_proofs::certify::ModelError>(())
/// ```
pub fn random_structures(
    signature: &ModelSignature,
    spec: &StructureSpec,
    count: usize,
    seed: u64,
) -> Result<Vec<CertInput<f64>>, ModelError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|i| {
            let periodic = spec.periodic && signature.periodic && i % 2 == 1;
            let s = StructureSpec { periodic, ..*spec };
            random_structure(signature, &s, &mut rng)
        })
        .collect()
}
