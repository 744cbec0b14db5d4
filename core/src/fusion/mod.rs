//! Fusion trees: binary coupling trees over k inputs, their admissible labellings and their
//! textual form.
//!
//! A fusion tree couples leaves l1 … lk pairwise into an output L. A [`FusionTree`] is only the
//! shape (which pairs are coupled, in which order); a [`LabelledFusionTree`] adds an irrep on
//! every internal edge and the output. For fixed leaves and output, the admissible labellings
//! of one shape form a basis of Hom_O(3)(V_l1 ⊗ … ⊗ V_lk, V_L), so their number is the same
//! for every shape and equals
//! [`Irreps::multiplicity_in_product`](crate::Irreps::multiplicity_in_product).
//!
//! ```text
//! ((1o,1o)->1e,1o)->0o      couple two vectors to a pseudo-vector, then with a third vector
//!                           to the pseudo-scalar (the triple product)
//! ```
//!
//! # Convention
//! Triangle condition and O(3) parity at every vertex (`CONVENTIONS.md#fusion-trees`).
//!
//! # Examples
//! ```
//! use racah_core::{fusion::FusionTree, Irrep};
//! let v = Irrep::harmonic(1);
//! for shape in FusionTree::all_shapes(4)? {
//!     assert_eq!(shape.count_paths(&[v; 4], Irrep::harmonic(0))?, 3);
//! }
//! # Ok::<(), racah_core::CoreError>(())
//! ```

mod diagram;
mod diagram_toml;
mod labelled;
mod parse;
mod tree;

pub use diagram::{
    Diagram, DiagramBuilder, DiagramError, DiagramVertex, Edge, EdgeId, EdgeLabel, VertexKind,
};
pub use labelled::{LabelledFusionTree, Vertex};
pub use tree::{FusionTree, Node, MAX_SHAPE_LEAVES, MAX_TREE_LEAVES};
