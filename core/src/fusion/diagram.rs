//! Clebsch–Gordan diagrams: networks of fusion and splitting vertices ([`Diagram`]).

use crate::fusion::{LabelledFusionTree, Node};
use crate::{CoreError, Irrep, Parity, Spin};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// The label of a diagram edge: an O(3) irrep (`1o`, `3/2e`) or a bare SU(2) spin (`1`, `3/2`)
/// for work without parity.
///
/// Parity is checked at a vertex whose three edges all carry irreps; a vertex may not mix the
/// two kinds.
///
/// # Examples
/// ```
/// use racah_core::{fusion::EdgeLabel, Irrep, Spin};
/// let v: EdgeLabel = "1o".parse()?;
/// assert_eq!(v, EdgeLabel::Irrep(Irrep::harmonic(1)));
/// let s: EdgeLabel = "3/2".parse()?;
/// assert_eq!(s, EdgeLabel::Spin(Spin::from_twice(3)));
/// assert_eq!((v.dim(), s.dim()), (3, 4));
/// assert_eq!(s.to_string(), "3/2");
/// # Ok::<(), racah_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeLabel {
    /// An irrep (j, p).
    Irrep(Irrep),
    /// A spin j without parity.
    Spin(Spin),
}

impl EdgeLabel {
    /// The spin j.
    pub fn j(self) -> Spin {
        match self {
            EdgeLabel::Irrep(i) => i.j(),
            EdgeLabel::Spin(s) => s,
        }
    }

    /// The parity, or `None` for a bare spin.
    pub fn parity(self) -> Option<Parity> {
        match self {
            EdgeLabel::Irrep(i) => Some(i.parity()),
            EdgeLabel::Spin(_) => None,
        }
    }

    /// The dimension 2j + 1.
    pub fn dim(self) -> usize {
        self.j().dim()
    }
}

impl From<Irrep> for EdgeLabel {
    fn from(i: Irrep) -> Self {
        EdgeLabel::Irrep(i)
    }
}

impl From<Spin> for EdgeLabel {
    fn from(s: Spin) -> Self {
        EdgeLabel::Spin(s)
    }
}

impl fmt::Display for EdgeLabel {
    /// The irrep (`1o`) or the spin (`3/2`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EdgeLabel::Irrep(i) => i.fmt(f),
            EdgeLabel::Spin(s) => s.fmt(f),
        }
    }
}

impl FromStr for EdgeLabel {
    type Err = CoreError;
    /// An irrep when the text ends in a parity letter (`e`, `o`, `y`), a spin otherwise.
    fn from_str(s: &str) -> Result<Self, CoreError> {
        let t = s.trim();
        if t.ends_with(['e', 'o', 'y']) {
            Ok(EdgeLabel::Irrep(t.parse()?))
        } else {
            Ok(EdgeLabel::Spin(t.parse()?))
        }
    }
}

/// An edge of a [`Diagram`], by its position in [`Diagram::edges`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EdgeId(pub usize);

impl EdgeId {
    /// The position in [`Diagram::edges`].
    pub fn index(self) -> usize {
        self.0
    }
}

/// A named, labelled edge of a [`Diagram`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edge {
    /// The name (letters, digits, `_` and `-`).
    pub name: String,
    /// The irrep or spin it carries.
    pub label: EdgeLabel,
}

/// Whether a vertex fuses two edges into one or splits one into two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VertexKind {
    /// `left ⊗ right → coupled`: the map |l m_l⟩|r m_r⟩ ↦ Σ ⟨l m_l r m_r|c m_c⟩ |c m_c⟩.
    Fuse,
    /// `coupled → left ⊗ right`: the transpose, |c m_c⟩ ↦ Σ ⟨l m_l r m_r|c m_c⟩ |l m_l⟩|r m_r⟩.
    Split,
}

/// A Clebsch–Gordan vertex ⟨left m_l right m_r | coupled m_c⟩ of a [`Diagram`].
///
/// For [`VertexKind::Fuse`], `left` and `right` are incoming and `coupled` outgoing; for
/// [`VertexKind::Split`] the other way round. The coefficient is the same in both cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DiagramVertex {
    /// Fusion or splitting.
    pub kind: VertexKind,
    /// The first factor j_l of the coupling.
    pub left: EdgeId,
    /// The second factor j_r of the coupling.
    pub right: EdgeId,
    /// The coupled spin j_c.
    pub coupled: EdgeId,
}

impl DiagramVertex {
    /// The edges flowing into the vertex.
    pub fn incoming(&self) -> Vec<EdgeId> {
        match self.kind {
            VertexKind::Fuse => vec![self.left, self.right],
            VertexKind::Split => vec![self.coupled],
        }
    }

    /// The edges flowing out of the vertex.
    pub fn outgoing(&self) -> Vec<EdgeId> {
        match self.kind {
            VertexKind::Fuse => vec![self.coupled],
            VertexKind::Split => vec![self.left, self.right],
        }
    }
}

/// Why a [`Diagram`] (or its TOML text) is not valid. Messages name the offending edge or
/// vertex (vertices are numbered from 0 in declaration order).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DiagramError {
    /// An edge name that is empty or has characters other than letters, digits, `_`, `-`.
    #[error("edge name {name:?} is not valid (use letters, digits, '_' and '-')")]
    BadEdgeName {
        /// The offending name.
        name: String,
    },
    /// The same edge name declared twice.
    #[error("edge {name:?} is declared twice")]
    DuplicateEdge {
        /// The offending name.
        name: String,
    },
    /// An edge label that is neither an irrep nor a spin.
    #[error("edge {edge:?} has a bad label: {source}")]
    BadLabel {
        /// The edge.
        edge: String,
        /// Why the label did not parse.
        source: CoreError,
    },
    /// A vertex, input or output names an edge that was not declared.
    #[error("{place} uses the undeclared edge {edge:?}")]
    UndeclaredEdge {
        /// The undeclared name.
        edge: String,
        /// Where it was used (`vertex 2 (fuse a, b -> c)`, `the input list`).
        place: String,
    },
    /// An edge without exactly one source (a diagram input or a vertex output).
    #[error("edge {edge:?} must have exactly one source (a diagram input or a vertex output), has {found}")]
    Source {
        /// The edge.
        edge: String,
        /// The sources found, or `none`.
        found: String,
    },
    /// An edge without exactly one sink (a diagram output or a vertex input).
    #[error("edge {edge:?} must have exactly one sink (a diagram output or a vertex input), has {found}")]
    Sink {
        /// The edge.
        edge: String,
        /// The sinks found, or `none`.
        found: String,
    },
    /// A vertex whose spins violate the triangle condition (or have a non-integer sum).
    #[error("{vertex}: ({j1}, {j2}, {j3}) violates the triangle condition")]
    Triangle {
        /// The vertex, e.g. `vertex 0 (fuse a, b -> ab)`.
        vertex: String,
        /// The left spin.
        j1: String,
        /// The right spin.
        j2: String,
        /// The coupled spin.
        j3: String,
    },
    /// A vertex whose coupled parity is not the product of the other two.
    #[error("{vertex}: parity mismatch, {left} ⊗ {right} has parity {product} but the coupled edge is {coupled}")]
    Parity {
        /// The vertex.
        vertex: String,
        /// The left irrep.
        left: String,
        /// The right irrep.
        right: String,
        /// The parity of the product.
        product: String,
        /// The coupled irrep.
        coupled: String,
    },
    /// A vertex with both irrep and bare-spin labels.
    #[error("{vertex} mixes irrep and spin labels ({labels}); label all three edges the same way")]
    MixedLabels {
        /// The vertex.
        vertex: String,
        /// The three labels.
        labels: String,
    },
    /// A diagram without edges.
    #[error("a diagram needs at least one edge")]
    Empty,
    /// Malformed TOML, or TOML that does not describe a diagram.
    #[error("diagram TOML: {message}")]
    Toml {
        /// What was wrong, with the key or value.
        message: String,
    },
}

/// A network of Clebsch–Gordan vertices: edges carry an irrep (or a spin), every vertex couples
/// two edges into one ([`VertexKind::Fuse`]) or splits one into two ([`VertexKind::Split`]).
///
/// ```text
/// T[m_inputs…, m_outputs…] = Σ_{m of internal edges} Π_vertices ⟨j_l m_l j_r m_r | j_c m_c⟩
/// ```
///
/// The open edges are the ordered inputs and outputs; every other edge is internal and is
/// summed over its projections. Each edge has exactly one source (a diagram input or a vertex
/// output) and exactly one sink (a diagram output or a vertex input); an edge that is both an
/// input and an output is an identity wire. A diagram without open edges is *closed* and
/// evaluates to a scalar (the theta graph to 2c + 1, the tetrahedron to a 6j and the 9j graph
/// to a 9j, times normalisations; see `racah_exact::contract`).
///
/// The text form is TOML ([`Diagram::from_toml`], [`Diagram::to_toml`], also `FromStr` and
/// `Display`):
///
/// ```toml
/// inputs = ["a", "b", "c"]
/// outputs = ["out"]
///
/// [edges]
/// a = "1o"
/// b = "1o"
/// c = "1o"
/// ab = "1e"
/// out = "0o"
///
/// [[vertex]]
/// fuse = ["a", "b"]
/// into = "ab"
///
/// [[vertex]]
/// fuse = ["ab", "c"]
/// into = "out"
/// ```
///
/// A splitting vertex is written `split = "x"`, `into = ["y", "z"]`. Labels are irreps (`"1o"`)
/// or bare spins (`"3/2"`).
///
/// # Convention
/// Each vertex is the Condon–Shortley coefficient ⟨j_l m_l j_r m_r | j_c m_c⟩, left factor
/// first (`CONVENTIONS.md#condon-shortley`); a labelled fusion tree is the diagram of its
/// vertices (`CONVENTIONS.md#fusion-trees`).
///
/// # Examples
/// ```
/// use racah_core::fusion::{Diagram, LabelledFusionTree};
/// let theta = Diagram::builder()
///     .edge("a", "1o")
///     .edge("b", "1o")
///     .edge("c", "1e")
///     .fuse("a", "b", "c")
///     .split("c", "a", "b")
///     .build()?;
/// assert!(theta.is_closed());
/// let t: LabelledFusionTree = "((1o,1o)->1e,1o)->0o".parse()?;
/// let d = racah_core::fusion::Diagram::from(&t);
/// assert_eq!(d.inputs().len(), 3);
/// assert_eq!(d.to_toml().parse::<Diagram>()?, d); // round trip
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagram {
    edges: Vec<Edge>,
    vertices: Vec<DiagramVertex>,
    inputs: Vec<EdgeId>,
    outputs: Vec<EdgeId>,
}

impl Diagram {
    /// A [`DiagramBuilder`] (edges and vertices by name, validated by
    /// [`DiagramBuilder::build`]).
    pub fn builder() -> DiagramBuilder {
        DiagramBuilder::default()
    }

    /// A diagram from its parts, validated.
    ///
    /// # Errors
    /// [`DiagramError`] naming the edge or vertex: a bad or duplicate edge name, an edge id out
    /// of range, an edge without exactly one source and one sink, a triangle or parity
    /// violation at a vertex, mixed labels at a vertex, or no edges at all.
    ///
    /// # Examples
    /// ```
    /// use racah_core::fusion::{Diagram, DiagramVertex, Edge, EdgeId, VertexKind};
    /// let e = |name: &str, l: &str| Edge { name: name.into(), label: l.parse().unwrap() };
    /// let edges = vec![e("a", "1o"), e("b", "1o"), e("c", "2e")];
    /// let v = DiagramVertex {
    ///     kind: VertexKind::Fuse,
    ///     left: EdgeId(0),
    ///     right: EdgeId(1),
    ///     coupled: EdgeId(2),
    /// };
    /// let d = Diagram::new(edges, vec![v], vec![EdgeId(0), EdgeId(1)], vec![EdgeId(2)])?;
    /// assert_eq!(d.num_vertices(), 1);
    /// # Ok::<(), racah_core::fusion::DiagramError>(())
    /// ```
    pub fn new(
        edges: Vec<Edge>,
        vertices: Vec<DiagramVertex>,
        inputs: Vec<EdgeId>,
        outputs: Vec<EdgeId>,
    ) -> Result<Self, DiagramError> {
        if edges.is_empty() {
            return Err(DiagramError::Empty);
        }
        let mut seen = HashMap::new();
        for e in &edges {
            check_name(&e.name)?;
            if seen.insert(e.name.as_str(), ()).is_some() {
                return Err(DiagramError::DuplicateEdge {
                    name: e.name.clone(),
                });
            }
        }
        let d = Diagram {
            edges,
            vertices,
            inputs,
            outputs,
        };
        d.check_ids()?;
        d.check_flow()?;
        for i in 0..d.vertices.len() {
            d.check_vertex(i)?;
        }
        Ok(d)
    }

    fn check_ids(&self) -> Result<(), DiagramError> {
        let n = self.edges.len();
        let bad = |id: EdgeId, place: String| DiagramError::UndeclaredEdge {
            edge: format!("#{}", id.0),
            place,
        };
        for (i, v) in self.vertices.iter().enumerate() {
            for id in [v.left, v.right, v.coupled] {
                if id.0 >= n {
                    return Err(bad(id, format!("vertex {i}")));
                }
            }
        }
        for (ids, place) in [
            (&self.inputs, "the input list"),
            (&self.outputs, "the output list"),
        ] {
            if let Some(&id) = ids.iter().find(|id| id.0 >= n) {
                return Err(bad(id, place.to_string()));
            }
        }
        Ok(())
    }

    /// Every edge has exactly one source and exactly one sink.
    fn check_flow(&self) -> Result<(), DiagramError> {
        let n = self.edges.len();
        let mut sources: Vec<Vec<String>> = vec![Vec::new(); n];
        let mut sinks: Vec<Vec<String>> = vec![Vec::new(); n];
        for (k, id) in self.inputs.iter().enumerate() {
            sources[id.0].push(format!("input {k}"));
        }
        for (k, id) in self.outputs.iter().enumerate() {
            sinks[id.0].push(format!("output {k}"));
        }
        for (i, v) in self.vertices.iter().enumerate() {
            for id in v.outgoing() {
                sources[id.0].push(format!("vertex {i}"));
            }
            for id in v.incoming() {
                sinks[id.0].push(format!("vertex {i}"));
            }
        }
        let found = |v: &[String]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(" and ")
            }
        };
        for (e, (so, si)) in self.edges.iter().zip(sources.iter().zip(&sinks)) {
            if so.len() != 1 {
                return Err(DiagramError::Source {
                    edge: e.name.clone(),
                    found: found(so),
                });
            }
            if si.len() != 1 {
                return Err(DiagramError::Sink {
                    edge: e.name.clone(),
                    found: found(si),
                });
            }
        }
        Ok(())
    }

    fn check_vertex(&self, i: usize) -> Result<(), DiagramError> {
        let v = self.vertices[i];
        let [l, r, c] = [v.left, v.right, v.coupled].map(|id| self.edges[id.0].label);
        match (l, r, c) {
            (EdgeLabel::Irrep(a), EdgeLabel::Irrep(b), EdgeLabel::Irrep(x)) => {
                if a.parity() * b.parity() != x.parity() {
                    return Err(DiagramError::Parity {
                        vertex: self.describe_vertex(i),
                        left: a.to_string(),
                        right: b.to_string(),
                        product: (a.parity() * b.parity()).to_string(),
                        coupled: x.to_string(),
                    });
                }
            }
            (EdgeLabel::Spin(_), EdgeLabel::Spin(_), EdgeLabel::Spin(_)) => {}
            _ => {
                return Err(DiagramError::MixedLabels {
                    vertex: self.describe_vertex(i),
                    labels: format!("{l}, {r}, {c}"),
                })
            }
        }
        if !crate::triangle(l.j(), r.j(), c.j()) {
            return Err(DiagramError::Triangle {
                vertex: self.describe_vertex(i),
                j1: l.j().to_string(),
                j2: r.j().to_string(),
                j3: c.j().to_string(),
            });
        }
        Ok(())
    }

    /// `vertex 2 (fuse a, b -> ab)` or `vertex 3 (split x -> y, z)`, for messages.
    ///
    /// # Panics
    /// If `i` is not a vertex index.
    #[track_caller]
    pub fn describe_vertex(&self, i: usize) -> String {
        let v = self.vertices[i];
        let n = |id: EdgeId| self.edges[id.0].name.as_str();
        match v.kind {
            VertexKind::Fuse => format!(
                "vertex {i} (fuse {}, {} -> {})",
                n(v.left),
                n(v.right),
                n(v.coupled)
            ),
            VertexKind::Split => format!(
                "vertex {i} (split {} -> {}, {})",
                n(v.coupled),
                n(v.left),
                n(v.right)
            ),
        }
    }

    /// The edges, in declaration order.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The edge with this id.
    ///
    /// # Panics
    /// If the id is not an edge of this diagram.
    #[track_caller]
    pub fn edge(&self, id: EdgeId) -> &Edge {
        &self.edges[id.0]
    }

    /// The id of the edge called `name`.
    pub fn edge_id(&self, name: &str) -> Option<EdgeId> {
        self.edges.iter().position(|e| e.name == name).map(EdgeId)
    }

    /// The vertices, in declaration order.
    pub fn vertices(&self) -> &[DiagramVertex] {
        &self.vertices
    }

    /// The number of vertices.
    pub fn num_vertices(&self) -> usize {
        self.vertices.len()
    }

    /// The input edges, in order.
    pub fn inputs(&self) -> &[EdgeId] {
        &self.inputs
    }

    /// The output edges, in order.
    pub fn outputs(&self) -> &[EdgeId] {
        &self.outputs
    }

    /// The open edges: inputs, then outputs (the legs of the diagram's tensor).
    pub fn open_edges(&self) -> Vec<EdgeId> {
        self.inputs.iter().chain(&self.outputs).copied().collect()
    }

    /// Whether the diagram has no open edges (it evaluates to a scalar).
    pub fn is_closed(&self) -> bool {
        self.inputs.is_empty() && self.outputs.is_empty()
    }
}

fn check_name(name: &str) -> Result<(), DiagramError> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(DiagramError::BadEdgeName {
            name: name.to_string(),
        })
    }
}

/// Builds a [`Diagram`] from names: declare edges with their labels, add vertices, inputs and
/// outputs, then [`DiagramBuilder::build`] validates everything at once (the first error wins).
///
/// # Examples
/// ```
/// use racah_core::fusion::Diagram;
/// let d = Diagram::builder()
///     .edge("x", "1o")
///     .edge("y", "1o")
///     .edge("z", "0e")
///     .split("z", "x", "y")
///     .output("x")
///     .output("y")
///     .input("z")
///     .build()?;
/// assert_eq!(d.describe_vertex(0), "vertex 0 (split z -> x, y)");
/// assert!(Diagram::builder().edge("x", "1o").fuse("x", "w", "x").build().is_err());
/// # Ok::<(), racah_core::fusion::DiagramError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct DiagramBuilder {
    /// `Ok(label)`, or `Err(text)` to be parsed by `build`.
    edges: Vec<(String, Result<EdgeLabel, String>)>,
    vertices: Vec<(VertexKind, [String; 3])>,
    inputs: Vec<String>,
    outputs: Vec<String>,
}

impl DiagramBuilder {
    /// Declares an edge with a label given as text (`"1o"`, `"3/2"`), parsed by
    /// [`DiagramBuilder::build`].
    pub fn edge(mut self, name: &str, label: &str) -> Self {
        self.edges.push((name.to_string(), Err(label.to_string())));
        self
    }

    /// Declares an edge with a typed label ([`EdgeLabel`], [`Irrep`] or [`Spin`]).
    pub fn edge_label(mut self, name: &str, label: impl Into<EdgeLabel>) -> Self {
        self.edges.push((name.to_string(), Ok(label.into())));
        self
    }

    /// Adds a fusion vertex `left ⊗ right → into`.
    pub fn fuse(mut self, left: &str, right: &str, into: &str) -> Self {
        self.vertices
            .push((VertexKind::Fuse, [left, right, into].map(String::from)));
        self
    }

    /// Adds a splitting vertex `from → left ⊗ right`.
    pub fn split(mut self, from: &str, left: &str, right: &str) -> Self {
        self.vertices
            .push((VertexKind::Split, [left, right, from].map(String::from)));
        self
    }

    /// Appends an input edge.
    pub fn input(mut self, name: &str) -> Self {
        self.inputs.push(name.to_string());
        self
    }

    /// Appends an output edge.
    pub fn output(mut self, name: &str) -> Self {
        self.outputs.push(name.to_string());
        self
    }

    /// The validated diagram.
    ///
    /// # Errors
    /// As [`Diagram::new`], plus [`DiagramError::BadLabel`] for a label text that does not
    /// parse and [`DiagramError::UndeclaredEdge`] for a name without an edge.
    pub fn build(self) -> Result<Diagram, DiagramError> {
        let mut edges = Vec::with_capacity(self.edges.len());
        for (name, label) in self.edges {
            let label = match label {
                Ok(l) => l,
                Err(text) => text.parse().map_err(|source| DiagramError::BadLabel {
                    edge: name.clone(),
                    source,
                })?,
            };
            edges.push(Edge { name, label });
        }
        let id = |name: &str, place: &dyn Fn() -> String| {
            edges
                .iter()
                .position(|e| e.name == name)
                .map(EdgeId)
                .ok_or_else(|| DiagramError::UndeclaredEdge {
                    edge: name.to_string(),
                    place: place(),
                })
        };
        let mut vertices = Vec::with_capacity(self.vertices.len());
        for (i, (kind, [l, r, c])) in self.vertices.iter().enumerate() {
            let place = || match kind {
                VertexKind::Fuse => format!("vertex {i} (fuse {l}, {r} -> {c})"),
                VertexKind::Split => format!("vertex {i} (split {c} -> {l}, {r})"),
            };
            vertices.push(DiagramVertex {
                kind: *kind,
                left: id(l, &place)?,
                right: id(r, &place)?,
                coupled: id(c, &place)?,
            });
        }
        let inputs = self
            .inputs
            .iter()
            .map(|n| id(n, &|| "the input list".to_string()))
            .collect::<Result<_, _>>()?;
        let outputs = self
            .outputs
            .iter()
            .map(|n| id(n, &|| "the output list".to_string()))
            .collect::<Result<_, _>>()?;
        Diagram::new(edges, vertices, inputs, outputs)
    }
}

/// A labelled fusion tree is a diagram of fusion vertices: leaf `i` is input edge `l{i}` (the
/// inputs in leaf order), the couplings are edges `c0, c1, …` in post-order, the root's edge is
/// the single output `out`. A one-leaf tree is the identity wire `l0`.
impl From<&LabelledFusionTree> for Diagram {
    fn from(t: &LabelledFusionTree) -> Diagram {
        let k = t.leaves().len();
        let mut edges: Vec<Edge> = t
            .leaves()
            .iter()
            .enumerate()
            .map(|(i, &l)| Edge {
                name: format!("l{i}"),
                label: l.into(),
            })
            .collect();
        let inputs: Vec<EdgeId> = (0..k).map(EdgeId).collect();
        let mut vertices = Vec::with_capacity(k.saturating_sub(1));
        let coupling_labels: Vec<Irrep> = t.vertices().iter().map(|v| v.out).collect();
        let n_couplings = coupling_labels.len();
        for (c, &label) in coupling_labels.iter().enumerate() {
            let name = if c + 1 == n_couplings {
                "out".to_string()
            } else {
                format!("c{c}")
            };
            edges.push(Edge {
                name,
                label: label.into(),
            });
        }
        // post-order walk: each coupling's edge is k + its post-order index
        fn walk(n: &Node, next: &mut usize, k: usize, out: &mut Vec<DiagramVertex>) -> EdgeId {
            match n {
                Node::Leaf(i) => EdgeId(*i),
                Node::Couple(l, r) => {
                    let left = walk(l, next, k, out);
                    let right = walk(r, next, k, out);
                    let coupled = EdgeId(k + *next);
                    *next += 1;
                    out.push(DiagramVertex {
                        kind: VertexKind::Fuse,
                        left,
                        right,
                        coupled,
                    });
                    coupled
                }
            }
        }
        let root = walk(t.tree().root(), &mut 0, k, &mut vertices);
        let d = Diagram {
            edges,
            vertices,
            inputs,
            outputs: vec![root],
        };
        debug_assert!(
            Diagram::new(
                d.edges.clone(),
                d.vertices.clone(),
                d.inputs.clone(),
                d.outputs.clone()
            )
            .is_ok(),
            "{t}"
        );
        d
    }
}

impl From<LabelledFusionTree> for Diagram {
    fn from(t: LabelledFusionTree) -> Diagram {
        Diagram::from(&t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_tree_to_diagram() {
        let t: LabelledFusionTree = "(1o,(1o,1o)->1e)->0o".parse().unwrap();
        let d = Diagram::from(&t);
        let names: Vec<&str> = d.edges().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["l0", "l1", "l2", "c0", "out"]);
        assert_eq!(d.describe_vertex(0), "vertex 0 (fuse l1, l2 -> c0)");
        assert_eq!(d.describe_vertex(1), "vertex 1 (fuse l0, c0 -> out)");
        assert_eq!(d.outputs(), &[EdgeId(4)]);
        let one: LabelledFusionTree = "2e".parse().unwrap();
        let w = Diagram::from(&one);
        assert_eq!(
            (w.inputs(), w.outputs()),
            (&[EdgeId(0)][..], &[EdgeId(0)][..])
        );
        assert_eq!(w.num_vertices(), 0);
    }

    #[test]
    fn diagram_rejects_bad_flow() {
        let e = Diagram::builder()
            .edge("a", "1o")
            .edge("b", "1o")
            .edge("c", "0e")
            .fuse("a", "b", "c")
            .input("a")
            .input("b")
            .build()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "edge \"c\" must have exactly one sink (a diagram output or a vertex input), has none"
        );
        let e = Diagram::builder()
            .edge("a", "1o")
            .edge("c", "0e")
            .fuse("a", "a", "c")
            .input("a")
            .output("c")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("vertex 0 and vertex 0"), "{e}");
        let e = Diagram::builder()
            .edge("a", "1o")
            .edge("b", "0e")
            .fuse("a", "a", "b")
            .split("b", "a", "a")
            .build()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "edge \"a\" must have exactly one source (a diagram input or a vertex output), \
             has vertex 1 and vertex 1"
        );
        let e = Diagram::builder()
            .edge("a", "1o")
            .input("a")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("has none"), "{e}");
    }

    #[test]
    fn diagram_rejects_bad_vertices() {
        let three = |la: &str, lb: &str, lc: &str| {
            Diagram::builder()
                .edge("a", la)
                .edge("b", lb)
                .edge("c", lc)
                .fuse("a", "b", "c")
                .input("a")
                .input("b")
                .output("c")
                .build()
        };
        assert!(three("1o", "2e", "3o").is_ok());
        assert!(three("1", "1/2", "3/2").is_ok());
        let e = three("1o", "1o", "3e").unwrap_err();
        assert_eq!(
            e.to_string(),
            "vertex 0 (fuse a, b -> c): (1, 1, 3) violates the triangle condition"
        );
        let e = three("1/2", "1/2", "1/2").unwrap_err();
        assert!(matches!(e, DiagramError::Triangle { .. }), "{e}");
        let e = three("1o", "1o", "1o").unwrap_err();
        assert_eq!(
            e.to_string(),
            "vertex 0 (fuse a, b -> c): parity mismatch, 1o ⊗ 1o has parity e but the coupled \
             edge is 1o"
        );
        let e = three("1o", "1", "1e").unwrap_err();
        assert!(
            e.to_string()
                .contains("vertex 0 (fuse a, b -> c) mixes irrep and spin labels (1o, 1, 1e)"),
            "{e}"
        );
        let e = Diagram::builder()
            .edge("a", "1o")
            .edge("a", "1o")
            .build()
            .unwrap_err();
        assert_eq!(e, DiagramError::DuplicateEdge { name: "a".into() });
        let e = Diagram::builder()
            .edge("a", "1o")
            .split("a", "x", "a")
            .build()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "vertex 0 (split a -> x, a) uses the undeclared edge \"x\""
        );
        assert_eq!(Diagram::builder().build().unwrap_err(), DiagramError::Empty);
        let e = Diagram::new(
            vec![Edge {
                name: "a".into(),
                label: "1o".parse().unwrap(),
            }],
            vec![],
            vec![EdgeId(0)],
            vec![EdgeId(3)],
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("the output list uses the undeclared edge \"#3\""),
            "{e}"
        );
        assert!("1x".parse::<EdgeLabel>().is_err());
        assert!("-1".parse::<EdgeLabel>().is_err());
    }
}
