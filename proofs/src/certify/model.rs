//! The interface between a model and the certification engine: what a model takes
//! ([`CertInput`]), what it returns ([`CertOutput`]) and what it declares about itself
//! ([`ModelSignature`]).
//!
//! A model is anything that maps a structure (positions, species, optional periodic cell and
//! optional per-atom input features) to named outputs laid out by irreps, either one row per
//! structure (energies, dipoles) or one row per atom (forces, charges). The engine transforms
//! the input (rotations, reflections, permutations of atoms, translations), evaluates the
//! model on every copy in each supported [`Precision`] and compares the outputs with the
//! transformed outputs of the original input.
//!
//! # Convention
//! Per-atom arrays are row-major `(atoms, dim)`; positions are Cartesian `[x, y, z]` in e3nn's
//! axis convention (`CONVENTIONS.md#axes`); a cell is three lattice vectors as rows.

use racah_core::Irreps;
use racah_numeric::Float;
use std::fmt;

/// The element type a model is evaluated in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Precision {
    /// IEEE single precision (`f32`).
    F32,
    /// IEEE double precision (`f64`).
    F64,
    /// Double-double (`racah_numeric::DoubleDouble`, about 106 significant bits).
    Extended,
}

impl Precision {
    /// All precisions, lowest first (the ladder).
    pub const LADDER: [Precision; 3] = [Precision::F32, Precision::F64, Precision::Extended];

    /// `"f32"`, `"f64"` or `"f64x2"`.
    pub fn name(self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::F64 => "f64",
            Precision::Extended => "f64x2",
        }
    }

    /// Machine epsilon of the precision, as `f64`.
    pub fn epsilon(self) -> f64 {
        match self {
            Precision::F32 => f64::from(f32::EPSILON),
            Precision::F64 => f64::EPSILON,
            Precision::Extended => 2f64.powi(-104),
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One named output of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    /// A name for reports, e.g. `"energy[state 1]"` or `"forces[state 0]"`.
    pub name: String,
    /// How one row of the output transforms (e.g. `1x0e` for an energy, `1x1o` for a force).
    pub irreps: Irreps,
    /// One row per atom (permuted with the atoms) rather than one row per structure.
    pub per_atom: bool,
}

/// What a model declares about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSignature {
    /// A name for reports.
    pub name: String,
    /// The species (atomic numbers) the model accepts.
    pub species: Vec<u32>,
    /// Irreps of the per-atom input features, if the model takes any besides species.
    pub input_features: Option<Irreps>,
    /// The outputs, in the order of [`CertOutput::outputs`].
    pub outputs: Vec<OutputSpec>,
    /// The precisions the model can be evaluated in.
    pub precisions: Vec<Precision>,
    /// Whether the model accepts a periodic cell.
    pub periodic: bool,
}

/// One input structure in element type `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct CertInput<T> {
    /// Cartesian positions, one per atom.
    pub positions: Vec<[T; 3]>,
    /// Atomic numbers, one per atom.
    pub species: Vec<u32>,
    /// Lattice vectors as rows, for a periodic structure.
    pub cell: Option<[[T; 3]; 3]>,
    /// Per-atom input features `(atoms, dim)` laid out by [`ModelSignature::input_features`].
    pub features: Option<Vec<T>>,
}

/// Per-atom intermediate features of one layer, for locating a symmetry break.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerFeatures<T> {
    /// The layer's name, e.g. `"interaction 1"` or `"product 2"`.
    pub name: String,
    /// How one row transforms.
    pub irreps: Irreps,
    /// `(atoms, irreps.dim())`, row-major.
    pub values: Vec<T>,
}

/// What a model returns for one [`CertInput`].
#[derive(Debug, Clone, PartialEq)]
pub struct CertOutput<T> {
    /// One entry per [`OutputSpec`]: `dim` values for a per-structure output, `atoms × dim`
    /// for a per-atom output.
    pub outputs: Vec<Vec<T>>,
    /// Intermediate features in evaluation order (may be empty).
    pub layers: Vec<LayerFeatures<T>>,
}

/// Why a model could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    /// What went wrong, naming the bad value.
    pub message: String,
}

impl ModelError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        ModelError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ModelError {}

/// The result of an exact check of one linear component (a tensor product, a fusion block, a
/// linear map) of a model.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ComponentAudit {
    /// The layer the component belongs to.
    pub layer: String,
    /// The component, e.g. `"tensor product (uvu) path 3: 1o ⊗ 2e → 1o"`.
    pub component: String,
    /// Whether every check passed.
    pub holds: bool,
    /// What was checked and, if it failed, the first offending entry.
    pub detail: String,
}

/// A model the certification engine can test.
///
/// `evaluate` is generic over the element type so that the same model runs in f32, f64 and
/// double-double (the precision ladder); a model that supports only some precisions lists
/// them in [`ModelSignature::precisions`] and may return an error for the others.
pub trait CertifiableModel: Sync {
    /// What the model takes and returns.
    fn signature(&self) -> ModelSignature;

    /// The outputs (and, optionally, intermediate layer features) for one input.
    ///
    /// # Errors
    /// A [`ModelError`] naming the bad value (a species the model does not know, NaN in an
    /// output, a crashed external command, …).
    fn evaluate<T: Float>(&self, input: &CertInput<T>) -> Result<CertOutput<T>, ModelError>;

    /// [`evaluate`](Self::evaluate) for many inputs at once (an external model runs its
    /// command once per batch); by default one by one.
    ///
    /// # Errors
    /// As [`evaluate`](Self::evaluate).
    fn evaluate_batch<T: Float>(
        &self,
        inputs: &[CertInput<T>],
    ) -> Result<Vec<CertOutput<T>>, ModelError> {
        inputs.iter().map(|i| self.evaluate(i)).collect()
    }

    /// Exact checks of the model's linear components (empty if the model has none to show).
    fn component_audits(&self) -> Vec<ComponentAudit> {
        Vec::new()
    }
}

impl CertInput<f64> {
    /// A structure with every coordinate rounded to the dyadic grid 2⁻¹²·ℤ
    /// ([`DYADIC_STEP`](crate::certify::DYADIC_STEP)), so that it is exact in f32, f64 and
    /// double-double and the same structure is tested in every precision; no input features.
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::certify::CertInput;
    /// let s = CertInput::on_dyadic_grid(&[[0.1, -1.0, 2.5]], vec![8], None);
    /// assert_eq!(s.positions[0], [410.0 / 4096.0, -1.0, 2.5]);
    /// ```
    pub fn on_dyadic_grid(
        positions: &[[f64; 3]],
        species: Vec<u32>,
        cell: Option<[[f64; 3]; 3]>,
    ) -> Self {
        let grid = |x: f64| (x / crate::certify::DYADIC_STEP).round() * crate::certify::DYADIC_STEP;
        CertInput {
            positions: positions.iter().map(|p| p.map(grid)).collect(),
            species,
            cell: cell.map(|c| c.map(|r| r.map(grid))),
            features: None,
        }
    }
}
