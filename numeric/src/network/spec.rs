//! The TOML description of a network ([`NetworkSpec`]).
//!
//! ```toml
//! name = "mace-small"
//! architecture = "mace"          # or "cormorant"
//! species = ["H", "C", "O"]      # symbols or atomic numbers
//! cutoff = 4.0                   # Å (any length unit, used consistently)
//! seed = 7                       # weight initialisation
//! states = 1                     # number of energy outputs (electronic states)
//! avg_num_neighbors = 8.0        # messages are summed and divided by this
//!
//! [radial]
//! num_basis = 8                  # Bessel functions sin(nπr/r_c)/r
//! envelope_exponent = 6          # polynomial cutoff p
//! hidden = [16]                  # radial MLP (SiLU) producing the per-edge weights
//!
//! [features]
//! hidden = "16x0e+16x1o+16x2e"   # node features after each layer
//! sh_lmax = 3                    # spherical harmonics of the edge directions
//! layers = 2
//! correlation = 3                # body order ν of the product basis (mace)
//! parsimonious = true            # one path per independent symmetric coupling (mace)
//!
//! [readout]
//! hidden = 16                    # width of the last layer's scalar MLP
//! ```
//!
//! Deliberate defects (for testing certification) are listed as `[[defects]]` tables with
//! `kind = "wrong-parity" | "non-equivariant-gate" | "perturbed-cg" | "position-dependent"` and
//! `layer = 1…` (see [`Defect`]).

use super::elements::atomic_number;
use super::NetworkError;
use racah_core::{Irrep, Irreps, Parity};
use serde::Deserialize;

/// Which architecture a description builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Architecture {
    /// MACE: one-particle basis A, product basis by a fusion block of body order ν, linear
    /// update with a skip connection, per-layer energy readout.
    Mace,
    /// Cormorant: CG products of node features with themselves (channel by channel) and with
    /// edge features, mixed linearly; the CG product is the only nonlinearity.
    Cormorant,
}

/// A deliberate defect, for showing that certification catches broken models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DefectKind {
    /// The interaction's `1e` paths are relabelled `1o` (a wrong-parity path): rotations are
    /// fine, reflections are not.
    WrongParity,
    /// SiLU applied to every component of the layer's output, vectors included.
    NonEquivariantGate,
    /// One coefficient of the interaction's tensor product scaled by 1 + 10⁻⁶.
    PerturbedCg,
    /// Node features depend on the absolute position of the atom (breaks translations).
    PositionDependent,
}

/// A deliberate defect in one layer (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defect {
    /// What is broken.
    pub kind: DefectKind,
    /// In which layer (1-based).
    pub layer: usize,
}

/// The radial part of the edge features.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RadialSpec {
    /// Number of Bessel functions.
    #[serde(default = "default_num_basis")]
    pub num_basis: usize,
    /// Exponent p of the polynomial cutoff envelope.
    #[serde(default = "default_envelope")]
    pub envelope_exponent: u32,
    /// Hidden widths of the radial MLP.
    #[serde(default = "default_radial_hidden")]
    pub hidden: Vec<usize>,
}

impl Default for RadialSpec {
    fn default() -> Self {
        RadialSpec {
            num_basis: default_num_basis(),
            envelope_exponent: default_envelope(),
            hidden: default_radial_hidden(),
        }
    }
}

/// The node and edge features.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeaturesSpec {
    /// Irreps of the node features after each layer (e3nn grammar).
    pub hidden: String,
    /// Largest degree of the edge spherical harmonics.
    #[serde(default = "default_sh_lmax")]
    pub sh_lmax: u32,
    /// Number of message-passing layers.
    #[serde(default = "default_layers")]
    pub layers: usize,
    /// Body order ν of the product basis (MACE only).
    #[serde(default = "default_correlation")]
    pub correlation: usize,
    /// Keep one fusion path per independent symmetric coupling (MACE only; `false` keeps every
    /// labelled tree, linearly dependent ones included).
    #[serde(default = "default_true")]
    pub parsimonious: bool,
}

/// The readout.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadoutSpec {
    /// Width of the last layer's scalar MLP.
    #[serde(default = "default_readout_hidden")]
    pub hidden: usize,
}

impl Default for ReadoutSpec {
    fn default() -> Self {
        ReadoutSpec {
            hidden: default_readout_hidden(),
        }
    }
}

/// The raw TOML schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    name: String,
    architecture: Architecture,
    species: Vec<toml::Value>,
    cutoff: f64,
    #[serde(default)]
    seed: u64,
    #[serde(default = "default_states")]
    states: usize,
    #[serde(default = "default_avg")]
    avg_num_neighbors: f64,
    #[serde(default)]
    atomic_energies: Option<Vec<Vec<f64>>>,
    #[serde(default)]
    radial: RadialSpec,
    features: FeaturesSpec,
    #[serde(default)]
    readout: ReadoutSpec,
    #[serde(default)]
    defects: Vec<Defect>,
}

/// A validated network description.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkSpec {
    /// A name for reports.
    pub name: String,
    /// The architecture.
    pub architecture: Architecture,
    /// Atomic numbers of the known species, in embedding order.
    pub species: Vec<u32>,
    /// Cutoff radius r_c.
    pub cutoff: f64,
    /// Seed of the weight initialisation.
    pub seed: u64,
    /// Number of energy outputs.
    pub states: usize,
    /// Divisor of the summed messages.
    pub avg_num_neighbors: f64,
    /// `atomic_energies[species][state]`, added per atom (zeros by default).
    pub atomic_energies: Vec<Vec<f64>>,
    /// Radial basis and MLP.
    pub radial: RadialSpec,
    /// Node features after each layer.
    pub hidden: Irreps,
    /// Largest degree of the edge spherical harmonics.
    pub sh_lmax: u32,
    /// Number of layers.
    pub layers: usize,
    /// Body order of the product basis (MACE).
    pub correlation: usize,
    /// Whether the product basis keeps only linearly independent symmetric paths.
    pub parsimonious: bool,
    /// Readout.
    pub readout: ReadoutSpec,
    /// Deliberate defects.
    pub defects: Vec<Defect>,
}

fn default_num_basis() -> usize {
    8
}
fn default_envelope() -> u32 {
    6
}
fn default_radial_hidden() -> Vec<usize> {
    vec![16]
}
fn default_sh_lmax() -> u32 {
    2
}
fn default_layers() -> usize {
    2
}
fn default_correlation() -> usize {
    3
}
fn default_readout_hidden() -> usize {
    16
}
fn default_true() -> bool {
    true
}
fn default_states() -> usize {
    1
}
fn default_avg() -> f64 {
    8.0
}

fn bad(field: &str, message: impl Into<String>) -> NetworkError {
    NetworkError::Spec {
        field: field.to_string(),
        message: message.into(),
    }
}

impl NetworkSpec {
    /// Parses and validates a TOML description.
    ///
    /// # Errors
    /// [`NetworkError::Toml`] for text that does not parse or has unknown or missing fields;
    /// [`NetworkError::Spec`] naming the field and the value otherwise (unknown irreps, a
    /// non-positive cutoff, a hidden irreps without `0e`, …); [`NetworkError::UnknownElement`].
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::network::NetworkSpec;
    /// let spec = NetworkSpec::from_toml_str(r#"
    ///     name = "tiny"
    ///     architecture = "mace"
    ///     species = ["H", "O"]
    ///     cutoff = 3.0
    ///     [features]
    ///     hidden = "4x0e+4x1o"
    /// "#)?;
    /// assert_eq!(spec.species, vec![1, 8]);
    /// let err = NetworkSpec::from_toml_str(&"cutoff = -1.0".to_string()).unwrap_err();
    /// assert!(err.to_string().contains("malformed"));
    /// # Ok::<(), racah_numeric::network::NetworkError>(())
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Self, NetworkError> {
        let raw: RawSpec = toml::from_str(text).map_err(|e| NetworkError::Toml(e.to_string()))?;
        raw.validate()
    }
}

impl RawSpec {
    fn validate(self) -> Result<NetworkSpec, NetworkError> {
        let mut species = Vec::new();
        for v in &self.species {
            let z = match v {
                toml::Value::String(s) => atomic_number(s)?,
                toml::Value::Integer(i) if (1..=118).contains(i) => *i as u32,
                other => return Err(bad("species", format!("{other} is not an element"))),
            };
            if species.contains(&z) {
                return Err(bad("species", format!("{v} is listed twice")));
            }
            species.push(z);
        }
        if species.is_empty() {
            return Err(bad("species", "the list is empty"));
        }
        if !(self.cutoff.is_finite() && self.cutoff > 0.0) {
            return Err(bad(
                "cutoff",
                format!("{} is not a positive length", self.cutoff),
            ));
        }
        if self.states == 0 || self.states > 64 {
            return Err(bad("states", format!("{} is not in 1..=64", self.states)));
        }
        if !(self.avg_num_neighbors.is_finite() && self.avg_num_neighbors > 0.0) {
            return Err(bad(
                "avg_num_neighbors",
                format!("{} is not positive", self.avg_num_neighbors),
            ));
        }
        let atomic_energies = match self.atomic_energies {
            None => vec![vec![0.0; self.states]; species.len()],
            Some(e) => {
                if e.len() != species.len() || e.iter().any(|r| r.len() != self.states) {
                    return Err(bad(
                        "atomic_energies",
                        format!(
                            "needs {} rows (species) of {} values (states)",
                            species.len(),
                            self.states
                        ),
                    ));
                }
                if let Some(x) = e.iter().flatten().find(|x| !x.is_finite()) {
                    return Err(bad("atomic_energies", format!("{x} is not finite")));
                }
                e
            }
        };
        let r = &self.radial;
        if r.num_basis == 0 || r.num_basis > 64 {
            return Err(bad(
                "radial.num_basis",
                format!("{} is not in 1..=64", r.num_basis),
            ));
        }
        if !(2..=16).contains(&r.envelope_exponent) {
            return Err(bad(
                "radial.envelope_exponent",
                format!("{} is not in 2..=16", r.envelope_exponent),
            ));
        }
        if let Some(w) = r.hidden.iter().find(|w| **w == 0 || **w > 1024) {
            return Err(bad(
                "radial.hidden",
                format!("width {w} is not in 1..=1024"),
            ));
        }
        let f = &self.features;
        let hidden: Irreps = f
            .hidden
            .parse()
            .map_err(|e| bad("features.hidden", format!("{:?}: {e}", f.hidden)))?;
        if hidden.iter().any(|t| t.irrep.as_l().is_none()) {
            return Err(bad(
                "features.hidden",
                format!("{hidden} has a half-integer irrep"),
            ));
        }
        let scalar = Irrep::l(0, Parity::Even);
        if hidden.count(scalar) == 0 {
            return Err(bad(
                "features.hidden",
                format!("{hidden} has no 0e channels for the readout"),
            ));
        }
        let channels = hidden.iter().map(|t| t.mul).max().unwrap_or(0);
        if hidden.iter().any(|t| t.mul != channels) || hidden.len() != hidden.regroup().len() {
            return Err(bad(
                "features.hidden",
                format!("{hidden} must list each irrep once with the same multiplicity"),
            ));
        }
        if f.sh_lmax == 0 || f.sh_lmax > 8 {
            return Err(bad(
                "features.sh_lmax",
                format!("{} is not in 1..=8", f.sh_lmax),
            ));
        }
        if f.layers == 0 || f.layers > 8 {
            return Err(bad(
                "features.layers",
                format!("{} is not in 1..=8", f.layers),
            ));
        }
        if f.correlation == 0 || f.correlation > crate::MAX_CORRELATION {
            return Err(bad(
                "features.correlation",
                format!("{} is not in 1..={}", f.correlation, crate::MAX_CORRELATION),
            ));
        }
        if self.readout.hidden == 0 || self.readout.hidden > 1024 {
            return Err(bad(
                "readout.hidden",
                format!("{} is not in 1..=1024", self.readout.hidden),
            ));
        }
        if let Some(d) = self
            .defects
            .iter()
            .find(|d| d.layer == 0 || d.layer > f.layers)
        {
            return Err(bad(
                "defects.layer",
                format!("{} is not a layer (1..={})", d.layer, f.layers),
            ));
        }
        Ok(NetworkSpec {
            name: self.name,
            architecture: self.architecture,
            species,
            cutoff: self.cutoff,
            seed: self.seed,
            states: self.states,
            avg_num_neighbors: self.avg_num_neighbors,
            atomic_energies,
            radial: self.radial,
            hidden,
            sh_lmax: f.sh_lmax,
            layers: f.layers,
            correlation: f.correlation,
            parsimonious: f.parsimonious,
            readout: self.readout,
            defects: self.defects,
        })
    }
}

impl NetworkSpec {
    /// Channels per irrep of the hidden features.
    pub fn channels(&self) -> usize {
        self.hidden.iter().map(|t| t.mul).max().unwrap_or(0)
    }

    /// Whether layer `layer` (1-based) has a defect of this kind.
    pub fn has_defect(&self, layer: usize, kind: DefectKind) -> bool {
        self.defects
            .iter()
            .any(|d| d.layer == layer && d.kind == kind)
    }
}
