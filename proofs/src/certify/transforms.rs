//! The transformations a model is tested under: exactly rational rotations, reflections
//! (inversion ∘ rotation), permutations of atoms and dyadic translations, acting on inputs
//! ([`Transform::apply_input`]) and on irreps-laid-out outputs ([`Transform::apply_row`]).
//!
//! # Convention
//! Rotations come from integer quaternions (w, x, y, z) = (a, b, c, d) with
//! n = a² + b² + c² + d²:
//!
//! ```text
//!         ⎡a²+b²−c²−d²   2(bc−ad)      2(bd+ac)   ⎤
//! R = 1/n ⎢2(bc+ad)      a²−b²+c²−d²   2(cd−ab)   ⎥
//!         ⎣2(bd−ac)      2(cd+ab)      a²−b²−c²+d²⎦
//! ```
//!
//! (`CONVENTIONS.md#rotations`, MATH.md §4), so every entry is a rational number, rounded once
//! to the element type. An O(3) element g = (R, k) with k inversions acts on a row of irrep
//! (l, p) as p^k D^l(R) (`CONVENTIONS.md#parity`); positions and cell vectors are polar
//! vectors (`1o`). A permutation π maps atom i of the new structure to atom π(i) of the old.

use crate::certify::model::{CertInput, ModelError};
use crate::certify::wigner::Representation;
use racah_core::Irreps;
use racah_numeric::Float;
use rand::{Rng, RngExt};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Positions and translations are multiples of 2⁻¹² (exact in `f32` for |x| < 2¹¹).
pub const DYADIC_STEP: f64 = 1.0 / 4096.0;

/// The four kinds of transformation the engine tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TransformKind {
    /// A proper rotation R (det +1).
    Rotation,
    /// Inversion composed with a rotation, x ↦ −R x (det −1).
    Reflection,
    /// A permutation of the atoms.
    Permutation,
    /// A translation x ↦ x + t.
    Translation,
}

impl TransformKind {
    /// All kinds, in report order.
    pub const ALL: [TransformKind; 4] = [
        TransformKind::Rotation,
        TransformKind::Reflection,
        TransformKind::Permutation,
        TransformKind::Translation,
    ];

    /// `"rotation"`, `"reflection"`, `"permutation"` or `"translation"`.
    pub fn name(self) -> &'static str {
        match self {
            TransformKind::Rotation => "rotation",
            TransformKind::Reflection => "reflection",
            TransformKind::Permutation => "permutation",
            TransformKind::Translation => "translation",
        }
    }
}

impl fmt::Display for TransformKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A rotation with rational entries, R = rot(a, b, c, d) / (a² + b² + c² + d²).
///
/// # Convention
/// Quaternion (w, x, y, z) = (a, b, c, d), active rotation (`CONVENTIONS.md#rotations`).
///
/// # Examples
/// ```
/// use racah_proofs::certify::RationalRotation;
/// // (1, 1, 0, 0): a quarter turn about x
/// let r = RationalRotation::new([1, 1, 0, 0]).unwrap();
/// assert_eq!(r.denominator(), 2);
/// assert_eq!(r.numerators(), [[2, 0, 0], [0, 0, -2], [0, 2, 0]]);
/// let m = r.matrix::<f64>();
/// assert_eq!(m[2][1], 1.0);
/// assert!(RationalRotation::new([0, 0, 0, 0]).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RationalRotation {
    /// The integer quaternion (a, b, c, d).
    pub quaternion: [i64; 4],
}

impl RationalRotation {
    /// The rotation of an integer quaternion, or `None` for the zero quaternion or one whose
    /// norm² overflows.
    pub fn new(quaternion: [i64; 4]) -> Option<Self> {
        let n = quaternion
            .iter()
            .try_fold(0i64, |acc, q| acc.checked_add(q.checked_mul(*q)?))?;
        // the numerators 2·q_i·q_j must fit as well
        (n > 0 && n < (1 << 30)).then_some(RationalRotation { quaternion })
    }

    /// n = a² + b² + c² + d².
    pub fn denominator(&self) -> i64 {
        self.quaternion.iter().map(|q| q * q).sum()
    }

    /// The integer matrix n·R.
    pub fn numerators(&self) -> [[i64; 3]; 3] {
        let [a, b, c, d] = self.quaternion;
        [
            [
                a * a + b * b - c * c - d * d,
                2 * (b * c - a * d),
                2 * (b * d + a * c),
            ],
            [
                2 * (b * c + a * d),
                a * a - b * b + c * c - d * d,
                2 * (c * d - a * b),
            ],
            [
                2 * (b * d - a * c),
                2 * (c * d + a * b),
                a * a - b * b - c * c + d * d,
            ],
        ]
    }

    /// R with each entry num/n rounded once to `T`.
    pub fn matrix<T: Float>(&self) -> [[T; 3]; 3] {
        let n = self.denominator();
        self.numerators()
            .map(|row| row.map(|num| T::from_ratio(num, n)))
    }

    /// A random rotation with quaternion components in −6 … 6, excluding the signed
    /// permutation matrices (too special to reveal a broken component).
    pub fn random<R: Rng + ?Sized>(rng: &mut R) -> Self {
        loop {
            let q = [(); 4].map(|_| rng.random_range(-6i64..=6));
            if let Some(r) = RationalRotation::new(q) {
                let n = r.denominator();
                let special = r
                    .numerators()
                    .iter()
                    .flatten()
                    .all(|&e| e == 0 || e.abs() == n);
                if !special {
                    return r;
                }
            }
        }
    }
}

/// One transformation of a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transform {
    /// x ↦ R x.
    Rotation(RationalRotation),
    /// x ↦ −R x.
    Reflection(RationalRotation),
    /// New atom i is old atom `perm[i]`.
    Permutation(Vec<usize>),
    /// x ↦ x + t·2⁻¹², with `t` integer.
    Translation([i64; 3]),
}

/// 3×3 matrix times vector in `T`.
fn mat_vec<T: Float>(m: &[[T; 3]; 3], v: [T; 3]) -> [T; 3] {
    m.map(|row| row[0] * v[0] + row[1] * v[1] + row[2] * v[2])
}

impl Transform {
    /// Which kind of transformation this is.
    pub fn kind(&self) -> TransformKind {
        match self {
            Transform::Rotation(_) => TransformKind::Rotation,
            Transform::Reflection(_) => TransformKind::Reflection,
            Transform::Permutation(_) => TransformKind::Permutation,
            Transform::Translation(_) => TransformKind::Translation,
        }
    }

    /// A random transformation of `kind` for structures of `atoms` atoms: a rotation from
    /// [`RationalRotation::random`], a permutation that moves at least one atom when
    /// `atoms ≥ 2`, a translation with components in ±8 Å on the 2⁻¹² grid.
    pub fn random<R: Rng + ?Sized>(kind: TransformKind, atoms: usize, rng: &mut R) -> Self {
        match kind {
            TransformKind::Rotation => Transform::Rotation(RationalRotation::random(rng)),
            TransformKind::Reflection => Transform::Reflection(RationalRotation::random(rng)),
            TransformKind::Permutation => {
                let mut perm: Vec<usize> = (0..atoms).collect();
                for i in (1..atoms).rev() {
                    let j = rng.random_range(0..=i);
                    perm.swap(i, j);
                }
                if atoms >= 2 && perm.iter().enumerate().all(|(i, &p)| i == p) {
                    perm.rotate_left(1);
                }
                Transform::Permutation(perm)
            }
            TransformKind::Translation => {
                Transform::Translation([(); 3].map(|_| rng.random_range(-32768i64..=32768)))
            }
        }
    }

    /// The rotation part and the number of inversions, if this is an O(3) element.
    fn o3(&self) -> Option<(RationalRotation, bool)> {
        match self {
            Transform::Rotation(r) => Some((*r, false)),
            Transform::Reflection(r) => Some((*r, true)),
            _ => None,
        }
    }

    /// The transformed structure: positions (and cell vectors) rotated, reflected, permuted
    /// or translated; per-atom features transformed by `ρ(g)` of `feature_irreps` (and
    /// permuted with the atoms).
    ///
    /// # Errors
    /// A [`ModelError`] if a permutation does not match the number of atoms or the features
    /// do not have `atoms × feature_irreps.dim()` values.
    pub fn apply_input<T: Float>(
        &self,
        input: &CertInput<T>,
        feature_irreps: Option<&Irreps>,
        rep: &Representation<T>,
    ) -> Result<CertInput<T>, ModelError> {
        let n = input.positions.len();
        let mut out = input.clone();
        if let Some(feats) = &input.features {
            let irreps = feature_irreps.ok_or_else(|| {
                ModelError::new("input has features but the model declares no feature irreps")
            })?;
            out.features = Some(self.apply_rows(irreps, feats, n, rep, "input features")?);
        }
        match self {
            Transform::Rotation(_) | Transform::Reflection(_) => {
                let (r, inv) = self.o3().expect("o3 element");
                let mut m = r.matrix::<T>();
                if inv {
                    m = m.map(|row| row.map(|e| -e));
                }
                out.positions = input.positions.iter().map(|&x| mat_vec(&m, x)).collect();
                out.cell = input.cell.map(|c| c.map(|a| mat_vec(&m, a)));
            }
            Transform::Permutation(perm) => {
                check_perm(perm, n)?;
                out.positions = perm.iter().map(|&p| input.positions[p]).collect();
                out.species = perm.iter().map(|&p| input.species[p]).collect();
            }
            Transform::Translation(t) => {
                let t = t.map(|k| T::from_ratio(k, 4096));
                out.positions = input
                    .positions
                    .iter()
                    .map(|x| [x[0] + t[0], x[1] + t[1], x[2] + t[2]])
                    .collect();
            }
        }
        Ok(out)
    }

    /// ρ(g) applied to an output: per structure (`atoms = None`, one row) or per atom (rows
    /// permuted with the atoms). Translations leave every output unchanged.
    ///
    /// # Errors
    /// A [`ModelError`] naming `what` if the values do not fill whole rows of `irreps`, or an
    /// irrep is half-integer.
    pub fn apply_row<T: Float>(
        &self,
        irreps: &Irreps,
        values: &[T],
        atoms: Option<usize>,
        rep: &Representation<T>,
        what: &str,
    ) -> Result<Vec<T>, ModelError> {
        match atoms {
            Some(n) => self.apply_rows(irreps, values, n, rep, what),
            None => {
                if values.len() != irreps.dim() {
                    return Err(ModelError::new(format!(
                        "{what} has {} values, expected {} ({irreps})",
                        values.len(),
                        irreps.dim()
                    )));
                }
                match self {
                    Transform::Permutation(_) | Transform::Translation(_) => Ok(values.to_vec()),
                    _ => self.rotate_row(irreps, values, rep, what),
                }
            }
        }
    }

    fn apply_rows<T: Float>(
        &self,
        irreps: &Irreps,
        values: &[T],
        atoms: usize,
        rep: &Representation<T>,
        what: &str,
    ) -> Result<Vec<T>, ModelError> {
        let dim = irreps.dim();
        if values.len() != atoms * dim {
            return Err(ModelError::new(format!(
                "{what} has {} values, expected {atoms} atoms × {dim} ({irreps})",
                values.len()
            )));
        }
        match self {
            Transform::Translation(_) => Ok(values.to_vec()),
            Transform::Permutation(perm) => {
                check_perm(perm, atoms)?;
                Ok(perm
                    .iter()
                    .flat_map(|&p| values[p * dim..(p + 1) * dim].iter().copied())
                    .collect())
            }
            _ => {
                let mut out = Vec::with_capacity(values.len());
                for row in values.chunks(dim.max(1)).take(atoms) {
                    out.extend(self.rotate_row(irreps, row, rep, what)?);
                }
                Ok(out)
            }
        }
    }

    /// p^k D^l(R) on each irrep of one row.
    fn rotate_row<T: Float>(
        &self,
        irreps: &Irreps,
        row: &[T],
        rep: &Representation<T>,
        what: &str,
    ) -> Result<Vec<T>, ModelError> {
        let inv = matches!(self, Transform::Reflection(_));
        let mut out = vec![T::ZERO; row.len()];
        let mut off = 0;
        for term in irreps.iter() {
            let l = term.irrep.as_l().ok_or_else(|| {
                ModelError::new(format!(
                    "{what}: half-integer irrep {} cannot be rotated by O(3)",
                    term.irrep
                ))
            })?;
            let d = rep.block(l).ok_or_else(|| {
                ModelError::new(format!(
                    "{what}: irrep {} beyond the engine's l_max {}",
                    term.irrep,
                    rep.l_max()
                ))
            })?;
            let n = 2 * l as usize + 1;
            let flip = inv && term.irrep.parity().sign() < 0;
            for _ in 0..term.mul {
                for mu in 0..n {
                    let mut s = T::ZERO;
                    for nu in 0..n {
                        s += d[mu * n + nu] * row[off + nu];
                    }
                    out[off + mu] = if flip { -s } else { s };
                }
                off += n;
            }
        }
        Ok(out)
    }
}

fn check_perm(perm: &[usize], n: usize) -> Result<(), ModelError> {
    let mut seen = vec![false; n];
    if perm.len() != n
        || perm
            .iter()
            .any(|&p| p >= n || std::mem::replace(&mut seen[p], true))
    {
        return Err(ModelError::new(format!(
            "permutation {perm:?} is not a permutation of {n} atoms"
        )));
    }
    Ok(())
}

impl fmt::Display for Transform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transform::Rotation(r) => write!(f, "rotation q = {:?}", r.quaternion),
            Transform::Reflection(r) => write!(f, "inversion ∘ rotation q = {:?}", r.quaternion),
            Transform::Permutation(p) => write!(f, "permutation {p:?}"),
            Transform::Translation(t) => write!(f, "translation {t:?}·2^-12"),
        }
    }
}
