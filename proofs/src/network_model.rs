//! racah's own networks ([`racah_numeric::network::Network`]) as [`CertifiableModel`]s.
//!
//! Outputs, per state s: `energy[state s]` (`1x0e`, one per structure) and, when forces are
//! asked for, `forces[state s]` (`1x1o`, one per atom; polar vectors, so a reflection flips
//! them). Layer features (A, product basis, layer output) are returned for locating a
//! symmetry break, and every tensor product, fusion block and linear map is audited exactly,
//! together with the wiring between them (the irreps one component produces must be the ones
//! the next reads).

use crate::certify::{
    CertInput, CertOutput, CertifiableModel, ComponentAudit, LayerFeatures, ModelError,
    ModelSignature, OutputSpec, Precision,
};
use racah_numeric::network::{Component, Network, Structure};
use racah_numeric::Float;

/// A network with the outputs to certify.
#[derive(Debug, Clone)]
pub struct NetworkModel {
    net: Network,
    forces: bool,
    precisions: Vec<Precision>,
}

impl NetworkModel {
    /// Energies and forces of every state, in f32, f64 and double-double.
    pub fn new(net: Network) -> Self {
        NetworkModel {
            net,
            forces: true,
            precisions: Precision::LADDER.to_vec(),
        }
    }

    /// Whether forces are outputs (computed by the network's reverse pass,
    /// `Network::energies_and_forces`).
    pub fn with_forces(mut self, forces: bool) -> Self {
        self.forces = forces;
        self
    }

    /// The precisions to evaluate in.
    pub fn with_precisions(mut self, precisions: Vec<Precision>) -> Self {
        self.precisions = precisions;
        self
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.net
    }
}

impl CertifiableModel for NetworkModel {
    fn signature(&self) -> ModelSignature {
        let spec = self.net.spec();
        let mut outputs = Vec::new();
        for s in 0..spec.states {
            outputs.push(OutputSpec {
                name: format!("energy[state {s}]"),
                irreps: "1x0e".parse().expect("valid irreps"),
                per_atom: false,
            });
        }
        if self.forces {
            for s in 0..spec.states {
                outputs.push(OutputSpec {
                    name: format!("forces[state {s}]"),
                    irreps: "1x1o".parse().expect("valid irreps"),
                    per_atom: true,
                });
            }
        }
        ModelSignature {
            name: spec.name.clone(),
            species: spec.species.clone(),
            input_features: None,
            outputs,
            precisions: self.precisions.clone(),
            periodic: true,
        }
    }

    fn evaluate<T: Float>(&self, input: &CertInput<T>) -> Result<CertOutput<T>, ModelError> {
        let err = |e: racah_numeric::network::NetworkError| ModelError::new(e.to_string());
        let s = Structure::new(input.positions.clone(), input.species.clone(), input.cell)
            .map_err(err)?;
        let p = self.net.energies_with_layers(&s).map_err(err)?;
        let mut outputs: Vec<Vec<T>> = p.energies.iter().map(|&e| vec![e]).collect();
        if self.forces {
            let f = self.net.energies_and_forces(&s).map_err(err)?;
            let n = s.len();
            for st in 0..self.net.spec().states {
                outputs.push(
                    f.forces[st * n..(st + 1) * n]
                        .iter()
                        .flatten()
                        .copied()
                        .collect(),
                );
            }
        }
        let layers = p
            .layers
            .into_iter()
            .map(|l| LayerFeatures {
                name: l.name,
                irreps: l.irreps,
                values: l.values,
            })
            .collect();
        Ok(CertOutput { outputs, layers })
    }

    fn component_audits(&self) -> Vec<ComponentAudit> {
        let mut audits = Vec::new();
        let visited = self.net.visit_components::<f64>(|layer, name, c| match c {
            Component::TensorProduct(tp) => audits.extend(crate::certify::audit_tensor_product(
                &format!("{layer}: {name}"),
                tp,
            )),
            Component::FusionBlock(b) => audits.extend(crate::certify::audit_fusion_block(
                &format!("{layer}: {name}"),
                b,
            )),
            Component::Linear(l) => {
                audits.extend(crate::certify::audit_linear(&format!("{layer}: {name}"), l))
            }
            _ => {}
        });
        if let Err(e) = visited {
            audits.push(ComponentAudit {
                layer: "network".into(),
                component: "planning in f64".into(),
                holds: false,
                detail: e.to_string(),
            });
        }
        match self.net.wiring() {
            Ok(wiring) => {
                for w in wiring {
                    let holds = w.produced == w.consumed;
                    audits.push(ComponentAudit {
                        layer: w.layer.clone(),
                        component: format!("wiring: {}", w.connection),
                        holds,
                        detail: if holds {
                            format!("irreps agree: {}", w.produced)
                        } else {
                            format!(
                                "the producer's output is {} but the consumer reads it as {}",
                                w.produced, w.consumed
                            )
                        },
                    });
                }
            }
            Err(e) => audits.push(ComponentAudit {
                layer: "network".into(),
                component: "wiring".into(),
                holds: false,
                detail: e.to_string(),
            }),
        }
        audits
    }
}
