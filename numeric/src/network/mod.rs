//! Equivariant interatomic networks described in TOML: MACE-style (one-particle basis A and a
//! product basis by a fusion block of body order ν) and Cormorant-style (CG products of node
//! and edge features), with neighbour lists (cutoff, periodic cells), element embeddings,
//! seeded initialisation, several electronic states, and forces −∂E/∂x.
//!
//! One description runs in every element type of the kernels: `f32`, `f64`,
//! [`DoubleDouble`](crate::DoubleDouble) (the precision ladder of certification) and
//! [`Dual`](crate::Dual) numbers. Weights are drawn once in `f64` from the seed and rounded to
//! each type, so all types evaluate the same network.
//!
//! Forces come from the adjoint (reverse-mode) pass, [`Network::energies_and_forces`]: one
//! forward pass that keeps its intermediates, then one backward pass per state through the
//! transpose of every component. [`Network::energies_and_forces_forward_mode`] differentiates
//! the same computation with dual numbers (3·atoms passes) and is its cross-check; both are
//! derivatives of the computed function, exact up to roundoff.
//!
//! # The computation (per layer t = 1 … T)
//! ```text
//! h⁰_i      = W_emb[species_i]                                   (C × 0e)
//! m_ij      = TP_uvu( Linear_up(h_j), Y(r̂_ij); MLP(B(r_ij)) )    B: Bessel × envelope
//! A_i       = Linear_down( Σ_j m_ij / avg_num_neighbors )
//! MACE:       h'_i = Linear( FusionBlock_ν(A_i; species_i) ) + Linear_skip(h_i)
//! Cormorant:  h'_i = Linear(h_i) + Linear(A_i) + Linear( TP_uuu(h_i, h_i) )
//! E_s       = Σ_i ( E0[species_i][s] + Σ_t readout_t(h^t_i)_s )
//! F_s,i     = −∂E_s / ∂x_i
//! ```
//!
//! # Convention
//! Spherical harmonics with component normalisation of the normalised edge direction, e3nn's
//! real basis and parities (`CONVENTIONS.md#networks`).
//!
//! # Examples
//! ```
//! use racah_numeric::network::{Network, Structure};
//! let net = Network::from_toml_str(r#"
//!     name = "tiny"
//!     architecture = "mace"
//!     species = ["H", "O"]
//!     cutoff = 3.0
//!     states = 2
//!     [features]
//!     hidden = "4x0e+4x1o"
//!     sh_lmax = 2
//!     correlation = 2
//! "#)?;
//! let water = Structure::new(
//!     vec![[0.0, 0.0, 0.0], [0.96, 0.0, 0.0], [-0.24, 0.93, 0.0]], vec![8, 1, 1], None)?;
//! let p = net.energies_and_forces::<f64>(&water)?;
//! assert_eq!(p.energies.len(), 2);
//! assert_eq!(p.forces.len(), 2 * 3); // states × atoms
//! // Newton's third law: the forces of an isolated structure sum to zero
//! let fx: f64 = p.forces[..3].iter().map(|f| f[0]).sum();
//! assert!(fx.abs() < 1e-12);
//! # Ok::<(), racah_numeric::network::NetworkError>(())
//! ```

mod backward;
mod elements;
mod error;
mod forward;
mod init;
mod layers;
mod neighbours;
mod radial;
mod spec;
mod xyz;

pub use elements::{atomic_number, element_symbol};
pub use error::NetworkError;
pub use forward::{LayerOutput, Prediction};
pub use neighbours::{Edge, NeighbourList};
pub use radial::RadialBasis;
pub use spec::{
    Architecture, Defect, DefectKind, FeaturesSpec, NetworkSpec, RadialSpec, ReadoutSpec,
};
pub use xyz::{parse_xyz, XyzFrame};

use crate::Float;
use layers::Plans;
use racah_core::Irreps;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One structure: positions, atomic numbers and an optional periodic cell (rows are lattice
/// vectors, periodic in all three directions).
#[derive(Debug, Clone, PartialEq)]
pub struct Structure<T> {
    /// Cartesian positions.
    pub positions: Vec<[T; 3]>,
    /// Atomic numbers.
    pub species: Vec<u32>,
    /// Lattice vectors (rows).
    pub cell: Option<[[T; 3]; 3]>,
}

impl<T: Float> Structure<T> {
    /// A structure, checked for matching lengths and finite numbers.
    ///
    /// # Errors
    /// [`NetworkError::ShapeMismatch`] if `species` has a different length than `positions`;
    /// [`NetworkError::NonFinite`] for a NaN or infinite coordinate or cell entry.
    pub fn new(
        positions: Vec<[T; 3]>,
        species: Vec<u32>,
        cell: Option<[[T; 3]; 3]>,
    ) -> Result<Self, NetworkError> {
        if positions.len() != species.len() {
            return Err(NetworkError::ShapeMismatch {
                what: "species (one per atom)".into(),
                expected: positions.len(),
                got: species.len(),
            });
        }
        check_finite("positions", positions.iter().flatten())?;
        if let Some(c) = &cell {
            check_finite("cell", c.iter().flatten())?;
        }
        Ok(Structure {
            positions,
            species,
            cell,
        })
    }

    /// Number of atoms.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether there are no atoms.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }
}

fn check_finite<'a, T: Float>(
    what: &str,
    values: impl Iterator<Item = &'a T>,
) -> Result<(), NetworkError> {
    for (index, v) in values.enumerate() {
        if !v.is_finite() {
            return Err(NetworkError::NonFinite {
                what: what.into(),
                index,
                value: v.hi(),
            });
        }
    }
    Ok(())
}

/// Parameters of one group (the embedding or a layer): its name and `(component, count)`.
pub type ParameterGroup = (String, Vec<(String, usize)>);

/// A network built from a [`NetworkSpec`]: plans for each element type are made on first use
/// and cached.
pub struct Network {
    spec: NetworkSpec,
    plans: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl std::fmt::Debug for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Network").field("spec", &self.spec).finish()
    }
}

impl Clone for Network {
    fn clone(&self) -> Self {
        Network {
            spec: self.spec.clone(),
            plans: Mutex::new(HashMap::new()),
        }
    }
}

impl Network {
    /// Builds a network (and its `f64` plans, so that a bad description fails here).
    ///
    /// # Errors
    /// Any [`NetworkError`] of the description or of planning its kernels.
    pub fn new(spec: NetworkSpec) -> Result<Self, NetworkError> {
        let net = Network {
            spec,
            plans: Mutex::new(HashMap::new()),
        };
        net.plans::<f64>()?;
        Ok(net)
    }

    /// Parses, validates and builds a TOML description.
    ///
    /// # Errors
    /// As [`NetworkSpec::from_toml_str`] and [`Network::new`].
    pub fn from_toml_str(text: &str) -> Result<Self, NetworkError> {
        Network::new(NetworkSpec::from_toml_str(text)?)
    }

    /// Reads a TOML description from a file.
    ///
    /// # Errors
    /// [`NetworkError::Toml`] naming the path if it cannot be read; otherwise as
    /// [`Network::from_toml_str`].
    pub fn from_path(path: &std::path::Path) -> Result<Self, NetworkError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| NetworkError::Toml(format!("{}: {e}", path.display())))?;
        Network::from_toml_str(&text).map_err(|e| match e {
            NetworkError::Toml(m) => NetworkError::Toml(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    /// The description.
    pub fn spec(&self) -> &NetworkSpec {
        &self.spec
    }

    /// Irreps of the node features after each layer.
    pub fn hidden_irreps(&self) -> &Irreps {
        &self.spec.hidden
    }

    pub(crate) fn plans<T: Float>(&self) -> Result<Arc<Plans<T>>, NetworkError> {
        let key = TypeId::of::<T>();
        if let Some(p) = self.plans.lock().expect("plan cache").get(&key) {
            return Ok(Arc::clone(p)
                .downcast::<Plans<T>>()
                .expect("cache keyed by type"));
        }
        let built = Arc::new(Plans::<T>::build(&self.spec)?);
        self.plans
            .lock()
            .expect("plan cache")
            .insert(key, built.clone() as Arc<dyn Any + Send + Sync>);
        Ok(built)
    }

    /// Number of parameters per component, layer by layer (`("layer 1", [(component, n)])`),
    /// with the embedding first.
    ///
    /// # Errors
    /// As [`Network::new`] (never, once built).
    pub fn parameter_table(&self) -> Result<Vec<ParameterGroup>, NetworkError> {
        let p = self.plans::<f64>()?;
        let mut out = vec![(
            "embedding".to_string(),
            vec![("species → 0e channels".to_string(), p.embedding.len())],
        )];
        for l in &p.layers {
            out.push((format!("layer {}", l.index), layers::layer_parameters(l)));
        }
        Ok(out)
    }

    /// Total number of parameters.
    ///
    /// # Errors
    /// As [`Network::parameter_table`].
    pub fn num_parameters(&self) -> Result<usize, NetworkError> {
        Ok(self
            .parameter_table()?
            .iter()
            .flat_map(|(_, c)| c.iter().map(|(_, n)| n))
            .sum())
    }
}

/// A planned linear component of a network, for exact audits.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Component<'a, T: Float> {
    /// A tensor product (the interaction's edge product, or Cormorant's CG square).
    TensorProduct(&'a crate::TensorProduct<T>),
    /// A fusion block (MACE's product basis).
    FusionBlock(&'a crate::FusionBlock<T>),
    /// An e3nn linear map.
    Linear(&'a crate::Linear<T>),
}

impl Network {
    /// Calls `f(layer, component name, component)` for every linear component planned in `T`
    /// (tensor products, fusion blocks, linear maps), in evaluation order.
    ///
    /// # Errors
    /// As [`Network::new`] (planning in `T`).
    pub fn visit_components<T: Float>(
        &self,
        mut f: impl FnMut(&str, &str, Component<'_, T>),
    ) -> Result<(), NetworkError> {
        let plans = self.plans::<T>()?;
        for l in &plans.layers {
            let name = format!("layer {}", l.index);
            let i = &l.interaction;
            f(
                &name,
                "interaction: linear up",
                Component::Linear(&i.up.lin),
            );
            f(
                &name,
                "interaction: edge tensor product (uvu)",
                Component::TensorProduct(&i.tp),
            );
            f(
                &name,
                "interaction: linear down",
                Component::Linear(&i.down.lin),
            );
            match &l.update {
                layers::Update::Mace {
                    block, out, skip, ..
                } => {
                    f(
                        &name,
                        "product: fusion block",
                        Component::FusionBlock(block),
                    );
                    f(&name, "product: linear", Component::Linear(&out.lin));
                    f(&name, "skip: linear", Component::Linear(&skip.lin));
                }
                layers::Update::Cormorant {
                    self_tp,
                    lin_self,
                    lin_msg,
                    lin_prod,
                    ..
                } => {
                    f(&name, "CG square (uuu)", Component::TensorProduct(self_tp));
                    f(
                        &name,
                        "update: linear (self)",
                        Component::Linear(&lin_self.lin),
                    );
                    f(
                        &name,
                        "update: linear (messages)",
                        Component::Linear(&lin_msg.lin),
                    );
                    f(
                        &name,
                        "update: linear (CG square)",
                        Component::Linear(&lin_prod.lin),
                    );
                }
            }
        }
        Ok(())
    }
}

/// Where one component's output is read by the next: the irreps produced and the irreps the
/// reader assumes. They must be equal; a deliberately wrong parity shows up here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wiring {
    /// The layer.
    pub layer: String,
    /// `"edge tensor product → linear down"`.
    pub connection: String,
    /// The irreps the producer's output has.
    pub produced: Irreps,
    /// The irreps the consumer reads it as.
    pub consumed: Irreps,
}

impl Network {
    /// The connections between components whose irreps must agree.
    ///
    /// # Errors
    /// As [`Network::new`].
    pub fn wiring(&self) -> Result<Vec<Wiring>, NetworkError> {
        let plans = self.plans::<f64>()?;
        let mut out = Vec::new();
        for l in &plans.layers {
            let layer = format!("layer {}", l.index);
            let i = &l.interaction;
            out.push(Wiring {
                layer: layer.clone(),
                connection: "edge tensor product → linear down".into(),
                produced: i.tp.irreps_out().clone(),
                consumed: i.down.lin.irreps_in().clone(),
            });
            out.push(Wiring {
                layer: layer.clone(),
                connection: "node features → edge tensor product".into(),
                produced: i.up.lin.irreps_out().clone(),
                consumed: i.tp.irreps_in1().clone(),
            });
            if let layers::Update::Mace { block, out: o, .. } = &l.update {
                out.push(Wiring {
                    layer: layer.clone(),
                    connection: "linear down → fusion block".into(),
                    produced: i.down.lin.irreps_out().clone(),
                    consumed: block.irreps_in().clone(),
                });
                out.push(Wiring {
                    layer,
                    connection: "fusion block → linear".into(),
                    produced: block.irreps_out().clone(),
                    consumed: o.lin.irreps_in().clone(),
                });
            }
        }
        Ok(out)
    }
}
