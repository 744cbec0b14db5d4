//! A fusion tree with an irrep on every edge: [`LabelledFusionTree`] and its [`Vertex`] list.

use crate::fusion::{FusionTree, Node};
use crate::{CoreError, Irrep};
use std::fmt;

/// A fusion tree with every edge labelled: the leaf irreps, one irrep per internal edge and the
/// output irrep. Each coupling vertex is admissible (triangle condition on the spins, output
/// parity = product of the input parities).
///
/// The coupling labels are stored in post-order (left subtree, right subtree, node), so the
/// last one is the output. Textual form: a leaf is its irrep, a coupling is `(A,B)->X`, and the
/// outermost arrow gives the output, e.g. `((1o,1o)->1e,1o)->0o`. When the leaves of the shape
/// are not in order, each leaf carries its index: `((1o[0],1o[2])->0e,(1o[1],1o[3])->0e)->0e`.
///
/// # Convention
/// One labelling is one basis element of Hom(V_l1 ⊗ … ⊗ V_lk, V_L)
/// (`CONVENTIONS.md#fusion-trees`).
///
/// # Examples
/// ```
/// use racah_core::fusion::LabelledFusionTree;
/// let t: LabelledFusionTree = "((1o,1o)->1e,1o)->0o".parse()?;
/// assert_eq!(t.output().to_string(), "0o");
/// assert_eq!(t.internal()[0].to_string(), "1e");
/// assert_eq!(t.tree().to_string(), "((0,1),2)");
/// assert_eq!(t.to_string(), "((1o,1o)->1e,1o)->0o");
/// assert!("((1o,1o)->1o,1o)->0e".parse::<LabelledFusionTree>().is_err()); // 1o⊗1o has no 1o
/// # Ok::<(), racah_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LabelledFusionTree {
    tree: FusionTree,
    leaves: Vec<Irrep>,
    couplings: Vec<Irrep>,
}

/// One coupling vertex of a labelled tree: `left ⊗ right → out`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Vertex {
    /// The irrep on the left incoming edge.
    pub left: Irrep,
    /// The irrep on the right incoming edge.
    pub right: Irrep,
    /// The irrep on the outgoing edge.
    pub out: Irrep,
}

impl LabelledFusionTree {
    /// Labels `tree` with leaf irreps (indexed by leaf number), internal-edge irreps (one per
    /// coupling except the root, in post-order) and the output irrep.
    ///
    /// # Errors
    /// [`CoreError::Invalid`] for wrong list lengths, a parity mismatch at a vertex (the message
    /// names the vertex), or a one-leaf tree whose output differs from its leaf;
    /// [`CoreError::Triangle`] when a vertex's spins violate the triangle condition.
    ///
    /// # Examples
    /// ```
    /// use racah_core::{fusion::{FusionTree, LabelledFusionTree}, Irrep};
    /// let t = FusionTree::left_associated(3)?;
    /// let v = Irrep::harmonic(1);
    /// let e: Irrep = "1e".parse()?;
    /// let ok = LabelledFusionTree::new(t.clone(), vec![v; 3], vec![e], "0o".parse()?)?;
    /// assert_eq!(ok.to_string(), "((1o,1o)->1e,1o)->0o");
    /// // 1e ⊗ 1o is odd: no 0e
    /// assert!(LabelledFusionTree::new(t, vec![v; 3], vec![e], "0e".parse()?).is_err());
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn new(
        tree: FusionTree,
        leaves: Vec<Irrep>,
        internal: Vec<Irrep>,
        out: Irrep,
    ) -> Result<Self, CoreError> {
        let k = tree.num_leaves();
        if leaves.len() != k {
            return Err(CoreError::Invalid(format!(
                "tree {tree} has {k} leaves but {} leaf irreps were given",
                leaves.len()
            )));
        }
        if k == 1 {
            if !internal.is_empty() || out != leaves[0] {
                return Err(CoreError::Invalid(format!(
                    "a one-leaf tree outputs its leaf {} (no internal edges), got output {out} \
                     and {} internal labels",
                    leaves[0],
                    internal.len()
                )));
            }
            return Ok(LabelledFusionTree {
                tree,
                leaves,
                couplings: Vec::new(),
            });
        }
        if internal.len() != k - 2 {
            return Err(CoreError::Invalid(format!(
                "tree {tree} has {} internal edges but {} internal labels were given",
                k - 2,
                internal.len()
            )));
        }
        let mut couplings = internal;
        couplings.push(out);
        Self::from_parts(tree, leaves, couplings)
    }

    /// From a tree, its leaf irreps and all coupling labels in post-order (lengths known to
    /// match), checking every vertex.
    pub(crate) fn from_parts(
        tree: FusionTree,
        leaves: Vec<Irrep>,
        couplings: Vec<Irrep>,
    ) -> Result<Self, CoreError> {
        let t = LabelledFusionTree {
            tree,
            leaves,
            couplings,
        };
        let mut idx = 0;
        t.check(t.tree.root(), &mut idx)?;
        Ok(t)
    }

    /// From parts already known to be admissible (the enumerator builds only those).
    pub(crate) fn from_parts_unchecked(
        tree: FusionTree,
        leaves: Vec<Irrep>,
        couplings: Vec<Irrep>,
    ) -> Self {
        let t = LabelledFusionTree {
            tree,
            leaves,
            couplings,
        };
        debug_assert!(t.check(t.tree.root(), &mut 0).is_ok(), "{t}");
        t
    }

    /// Checks the vertices below and at `node`; returns the node's label.
    fn check(&self, node: &Node, idx: &mut usize) -> Result<Irrep, CoreError> {
        match node {
            Node::Leaf(i) => Ok(self.leaves[*i]),
            Node::Couple(l, r) => {
                let a = self.check(l, idx)?;
                let b = self.check(r, idx)?;
                let c = self.couplings[*idx];
                *idx += 1;
                if !crate::triangle(a.j(), b.j(), c.j()) {
                    return Err(CoreError::Triangle {
                        j1: a.j().to_string(),
                        j2: b.j().to_string(),
                        j3: c.j().to_string(),
                    });
                }
                if a.parity() * b.parity() != c.parity() {
                    let mut text = String::new();
                    // post-order index of the first coupling inside this subtree
                    let mut j = *idx - (node.num_leaves() - 1);
                    let show = !self.tree.is_ordered();
                    self.write_node(node, &mut j, show, &mut text)
                        .expect("writing to a String");
                    return Err(CoreError::Invalid(format!(
                        "parity mismatch at vertex {text}: {a} ⊗ {b} has parity {} but the \
                         vertex is labelled {c}",
                        a.parity() * b.parity()
                    )));
                }
                Ok(c)
            }
        }
    }

    /// The shape.
    pub fn tree(&self) -> &FusionTree {
        &self.tree
    }

    /// The leaf irreps, indexed by leaf number.
    pub fn leaves(&self) -> &[Irrep] {
        &self.leaves
    }

    /// The internal-edge labels (every coupling but the root), in post-order; empty for k ≤ 2.
    pub fn internal(&self) -> &[Irrep] {
        let n = self.couplings.len();
        &self.couplings[..n.saturating_sub(1)]
    }

    /// The output irrep (the leaf itself for a one-leaf tree).
    pub fn output(&self) -> Irrep {
        self.couplings.last().copied().unwrap_or(self.leaves[0])
    }

    /// The coupling vertices `left ⊗ right → out` in post-order (the root last).
    ///
    /// # Examples
    /// ```
    /// use racah_core::fusion::LabelledFusionTree;
    /// let t: LabelledFusionTree = "(1o,(1o,1o)->1e)->0o".parse()?;
    /// let v: Vec<String> = t
    ///     .vertices()
    ///     .iter()
    ///     .map(|v| format!("{}x{}->{}", v.left, v.right, v.out))
    ///     .collect();
    /// assert_eq!(v, ["1ox1o->1e", "1ox1e->0o"]);
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn vertices(&self) -> Vec<Vertex> {
        let mut out = Vec::with_capacity(self.couplings.len());
        self.collect_vertices(self.tree.root(), &mut out);
        out
    }

    fn collect_vertices(&self, node: &Node, out: &mut Vec<Vertex>) -> Irrep {
        match node {
            Node::Leaf(i) => self.leaves[*i],
            Node::Couple(l, r) => {
                let left = self.collect_vertices(l, out);
                let right = self.collect_vertices(r, out);
                let v = Vertex {
                    left,
                    right,
                    out: self.couplings[out.len()],
                };
                out.push(v);
                v.out
            }
        }
    }

    fn write_node(
        &self,
        node: &Node,
        idx: &mut usize,
        show_index: bool,
        f: &mut impl fmt::Write,
    ) -> fmt::Result {
        match node {
            Node::Leaf(i) if show_index => write!(f, "{}[{i}]", self.leaves[*i]),
            Node::Leaf(i) => write!(f, "{}", self.leaves[*i]),
            Node::Couple(l, r) => {
                f.write_str("(")?;
                self.write_node(l, idx, show_index, f)?;
                f.write_str(",")?;
                self.write_node(r, idx, show_index, f)?;
                let c = self.couplings[*idx];
                *idx += 1;
                write!(f, ")->{c}")
            }
        }
    }
}

impl fmt::Display for LabelledFusionTree {
    /// `((1o,1o)->1e,1o)->0o`; leaves carry `[index]` when the shape's leaves are not in order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_node(self.tree.root(), &mut 0, !self.tree.is_ordered(), f)
    }
}
