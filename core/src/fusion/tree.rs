//! Binary coupling-tree shapes ([`Node`], [`FusionTree`]) and path counting on them.

use crate::fusion::LabelledFusionTree;
use crate::{CoreError, Irrep};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The largest number of leaves [`FusionTree::all_shapes`] accepts: Catalan(15) = 9 694 845
/// shapes.
pub const MAX_SHAPE_LEAVES: usize = 16;

/// The largest number of leaves of a [`FusionTree`]. Trees are walked recursively, so this
/// bounds the recursion depth (and equivariant-network fusion trees have a handful of leaves).
pub const MAX_TREE_LEAVES: usize = 1024;

/// A node of a binary coupling tree: a leaf (an index into the list of inputs) or the coupling
/// of two subtrees.
///
/// # Examples
/// ```
/// use racah_core::fusion::Node;
/// let n = Node::couple(Node::couple(Node::Leaf(0), Node::Leaf(2)), Node::Leaf(1));
/// assert_eq!(n.to_string(), "((0,2),1)");
/// assert_eq!(n.leaf_order(), vec![0, 2, 1]);
/// assert_eq!(n.num_leaves(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    /// Input number `i` (0-based).
    Leaf(usize),
    /// The coupling of a left and a right subtree.
    Couple(Box<Node>, Box<Node>),
}

impl Node {
    /// The coupling `(left, right)`.
    pub fn couple(left: Node, right: Node) -> Node {
        Node::Couple(Box::new(left), Box::new(right))
    }

    /// The number of leaves below this node.
    pub fn num_leaves(&self) -> usize {
        self.leaf_order().len()
    }

    /// The leaf indices, left to right.
    pub fn leaf_order(&self) -> Vec<usize> {
        // an explicit stack, so that arbitrarily deep user-built nodes cannot overflow ours
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            match n {
                Node::Leaf(i) => out.push(*i),
                Node::Couple(l, r) => {
                    stack.push(r);
                    stack.push(l);
                }
            }
        }
        out
    }
}

impl fmt::Display for Node {
    /// `((0,1),2)`: leaves by index, couplings in parentheses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Leaf(i) => write!(f, "{i}"),
            Node::Couple(l, r) => write!(f, "({l},{r})"),
        }
    }
}

/// The shape of a fusion tree: a binary tree over k ≥ 1 leaves numbered 0..k, each number used
/// once. Its k − 1 internal nodes are the pairwise couplings.
///
/// The leaves usually appear in order (a *bracketing* of `0, 1, …, k−1`, e.g. `((0,1),2)`), but
/// any permutation is allowed, e.g. `((0,2),(1,3))` for the (13)(24) coupling of a 9j.
///
/// # Convention
/// For fixed leaf irreps and output, the admissible labellings of one shape are a basis of the
/// equivariant maps V_l1 ⊗ … ⊗ V_lk → V_L; their number does not depend on the shape
/// (`CONVENTIONS.md#fusion-trees`, MATH.md §2).
///
/// # Examples
/// ```
/// use racah_core::fusion::{FusionTree, Node};
/// let t = FusionTree::left_associated(3)?;
/// assert_eq!(t.to_string(), "((0,1),2)");
/// let right = Node::couple(Node::Leaf(1), Node::Leaf(2));
/// let u = FusionTree::new(Node::couple(Node::Leaf(0), right))?;
/// assert_eq!(u.to_string(), "(0,(1,2))");
/// assert_eq!(FusionTree::all_shapes(4)?.len(), 5); // Catalan(3)
/// # Ok::<(), racah_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FusionTree {
    root: Node,
    num_leaves: usize,
}

impl FusionTree {
    /// A tree with the given root.
    ///
    /// # Errors
    /// [`CoreError::Invalid`] unless the leaf indices are exactly 0..k, each once, with
    /// k ≤ [`MAX_TREE_LEAVES`].
    ///
    /// # Examples
    /// ```
    /// use racah_core::fusion::{FusionTree, Node};
    /// assert!(FusionTree::new(Node::couple(Node::Leaf(1), Node::Leaf(0))).is_ok());
    /// assert!(FusionTree::new(Node::couple(Node::Leaf(0), Node::Leaf(0))).is_err());
    /// assert!(FusionTree::new(Node::couple(Node::Leaf(0), Node::Leaf(2))).is_err());
    /// ```
    pub fn new(root: Node) -> Result<Self, CoreError> {
        let order = root.leaf_order();
        let k = order.len();
        check_arity(k)?;
        let mut seen = vec![false; k];
        for &i in &order {
            if i >= k {
                return Err(CoreError::Invalid(format!(
                    "leaf index {i} is out of range for a tree with {k} leaves in {root}"
                )));
            }
            if std::mem::replace(&mut seen[i], true) {
                return Err(CoreError::Invalid(format!(
                    "leaf index {i} appears twice in {root}"
                )));
            }
        }
        Ok(FusionTree {
            root,
            num_leaves: k,
        })
    }

    /// The tree from a root already known to be valid (internal constructors).
    pub(crate) fn from_valid_root(root: Node) -> Self {
        let num_leaves = root.num_leaves();
        FusionTree { root, num_leaves }
    }

    /// The left-associated (sequential) tree `((…((0,1),2)…),k−1)`.
    ///
    /// # Errors
    /// [`CoreError::Invalid`] if `k == 0` or `k >` [`MAX_TREE_LEAVES`].
    ///
    /// # Examples
    /// ```
    /// use racah_core::fusion::FusionTree;
    /// assert_eq!(FusionTree::left_associated(4)?.to_string(), "(((0,1),2),3)");
    /// assert_eq!(FusionTree::left_associated(1)?.to_string(), "0");
    /// assert!(FusionTree::left_associated(0).is_err());
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn left_associated(k: usize) -> Result<Self, CoreError> {
        check_arity(k)?;
        let root = (1..k).fold(Node::Leaf(0), |acc, i| Node::couple(acc, Node::Leaf(i)));
        Ok(FusionTree::from_valid_root(root))
    }

    /// The right-associated tree `(0,(1,(…,(k−2,k−1)…)))`.
    ///
    /// # Errors
    /// [`CoreError::Invalid`] if `k == 0` or `k >` [`MAX_TREE_LEAVES`].
    ///
    /// # Examples
    /// ```
    /// use racah_core::fusion::FusionTree;
    /// assert_eq!(FusionTree::right_associated(3)?.to_string(), "(0,(1,2))");
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn right_associated(k: usize) -> Result<Self, CoreError> {
        check_arity(k)?;
        let root = (0..k - 1)
            .rev()
            .fold(Node::Leaf(k - 1), |acc, i| Node::couple(Node::Leaf(i), acc));
        Ok(FusionTree::from_valid_root(root))
    }

    /// Every bracketing of the ordered leaves `0, …, k−1`: Catalan(k−1) trees.
    ///
    /// Deterministic order: by the size of the root's left subtree, largest first, then
    /// recursively left before right; so the first tree is [`FusionTree::left_associated`] and
    /// the last [`FusionTree::right_associated`].
    ///
    /// # Errors
    /// [`CoreError::Invalid`] if `k == 0` or `k >` [`MAX_SHAPE_LEAVES`] (the list would not
    /// fit in memory much beyond that).
    ///
    /// # Examples
    /// ```
    /// use racah_core::fusion::FusionTree;
    /// let shapes: Vec<String> =
    ///     FusionTree::all_shapes(3)?.iter().map(|t| t.to_string()).collect();
    /// assert_eq!(shapes, ["((0,1),2)", "(0,(1,2))"]);
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn all_shapes(k: usize) -> Result<Vec<Self>, CoreError> {
        check_arity(k)?;
        if k > MAX_SHAPE_LEAVES {
            return Err(CoreError::Invalid(format!(
                "all_shapes supports at most {MAX_SHAPE_LEAVES} leaves, got {k}"
            )));
        }
        Ok(shapes(0, k)
            .into_iter()
            .map(FusionTree::from_valid_root)
            .collect())
    }

    /// The root node.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// The number of leaves k.
    pub fn num_leaves(&self) -> usize {
        self.num_leaves
    }

    /// The number of couplings (internal nodes), k − 1.
    pub fn num_couplings(&self) -> usize {
        self.num_leaves - 1
    }

    /// The leaf indices, left to right.
    pub fn leaf_order(&self) -> Vec<usize> {
        self.root.leaf_order()
    }

    /// Whether the leaves appear in the order 0, 1, …, k−1.
    pub fn is_ordered(&self) -> bool {
        self.leaf_order()
            .into_iter()
            .enumerate()
            .all(|(i, l)| i == l)
    }

    /// The number of admissible labellings for leaf irreps `leaves` (indexed by leaf number)
    /// and output `out`, counted without enumerating them.
    ///
    /// Equals [`Irreps::multiplicity_in_product`](crate::Irreps::multiplicity_in_product) for
    /// every shape.
    ///
    /// # Errors
    /// [`CoreError::Invalid`] if `leaves.len() != k`; [`CoreError::Overflow`] if the count
    /// overflows `u64`.
    ///
    /// # Examples
    /// ```
    /// use racah_core::{fusion::FusionTree, Irrep};
    /// let v = Irrep::harmonic(1);
    /// let t = FusionTree::left_associated(4)?;
    /// assert_eq!(t.count_paths(&[v; 4], Irrep::harmonic(0))?, 3);
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn count_paths(&self, leaves: &[Irrep], out: Irrep) -> Result<u64, CoreError> {
        self.check_leaves(leaves)?;
        let counts = count_node(&self.root, leaves)?;
        Ok(counts.get(&out).copied().unwrap_or(0))
    }

    /// All admissible labellings of this shape with the given leaf irreps (indexed by leaf
    /// number) and output: an irrep on every internal edge such that at every coupling the
    /// spins satisfy the triangle condition and the parity is the product of the children's.
    ///
    /// Deterministic order: lexicographic in the internal labels taken in post-order (left
    /// subtree, right subtree, node), each in increasing irrep order. The number of results is
    /// [`FusionTree::count_paths`].
    ///
    /// # Errors
    /// [`CoreError::Invalid`] if `leaves.len() != k`.
    ///
    /// # Examples
    /// ```
    /// use racah_core::{fusion::FusionTree, Irrep};
    /// let v = Irrep::harmonic(1);
    /// let t = FusionTree::left_associated(3)?;
    /// let all: Vec<String> = t.labellings(&[v; 3], v)?.iter().map(|x| x.to_string()).collect();
    /// assert_eq!(all, ["((1o,1o)->0e,1o)->1o", "((1o,1o)->1e,1o)->1o", "((1o,1o)->2e,1o)->1o"]);
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn labellings(
        &self,
        leaves: &[Irrep],
        out: Irrep,
    ) -> Result<Vec<LabelledFusionTree>, CoreError> {
        self.check_leaves(leaves)?;
        let reach = reachable(&self.root, leaves);
        let labels = enumerate(&self.root, &reach, leaves, out);
        Ok(labels
            .into_iter()
            .map(|couplings| {
                LabelledFusionTree::from_parts_unchecked(self.clone(), leaves.to_vec(), couplings)
            })
            .collect())
    }

    fn check_leaves(&self, leaves: &[Irrep]) -> Result<(), CoreError> {
        if leaves.len() != self.num_leaves {
            return Err(CoreError::Invalid(format!(
                "tree {self} has {} leaves but {} leaf irreps were given",
                self.num_leaves,
                leaves.len()
            )));
        }
        Ok(())
    }
}

impl fmt::Display for FusionTree {
    /// `((0,1),2)`: leaves by index, couplings in parentheses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.root.fmt(f)
    }
}

fn check_arity(k: usize) -> Result<(), CoreError> {
    if k == 0 {
        Err(CoreError::Invalid(
            "a fusion tree needs at least one leaf, got 0".into(),
        ))
    } else if k > MAX_TREE_LEAVES {
        Err(CoreError::Invalid(format!(
            "a fusion tree has at most {MAX_TREE_LEAVES} leaves, got {k}"
        )))
    } else {
        Ok(())
    }
}

/// All bracketings of leaves `first..first + k`, left subtree size decreasing.
fn shapes(first: usize, k: usize) -> Vec<Node> {
    if k == 1 {
        return vec![Node::Leaf(first)];
    }
    let mut out = Vec::new();
    for left in (1..k).rev() {
        let ls = shapes(first, left);
        let rs = shapes(first + left, k - left);
        for l in &ls {
            for r in &rs {
                out.push(Node::couple(l.clone(), r.clone()));
            }
        }
    }
    out
}

/// Irrep → number of labellings of the subtree with that irrep on its top edge.
fn count_node(node: &Node, leaves: &[Irrep]) -> Result<BTreeMap<Irrep, u64>, CoreError> {
    match node {
        Node::Leaf(i) => Ok(BTreeMap::from([(leaves[*i], 1)])),
        Node::Couple(l, r) => {
            let (cl, cr) = (count_node(l, leaves)?, count_node(r, leaves)?);
            let mut out: BTreeMap<Irrep, u64> = BTreeMap::new();
            for (&a, &na) in &cl {
                for (&b, &nb) in &cr {
                    let n = na.checked_mul(nb).ok_or_else(|| too_many(node))?;
                    for c in a.tensor(b) {
                        let m = out.entry(c).or_insert(0);
                        *m = m.checked_add(n).ok_or_else(|| too_many(node))?;
                    }
                }
            }
            Ok(out)
        }
    }
}

fn too_many(node: &Node) -> CoreError {
    CoreError::Overflow {
        what: format!("number of labellings of subtree {node}"),
        ty: "u64",
    }
}

/// For every node (in pre-order), the irreps its top edge can carry.
struct Reach {
    labels: BTreeSet<Irrep>,
    children: Option<Box<(Reach, Reach)>>,
}

fn reachable(node: &Node, leaves: &[Irrep]) -> Reach {
    match node {
        Node::Leaf(i) => Reach {
            labels: BTreeSet::from([leaves[*i]]),
            children: None,
        },
        Node::Couple(l, r) => {
            let (rl, rr) = (reachable(l, leaves), reachable(r, leaves));
            let labels = rl
                .labels
                .iter()
                .flat_map(|&a| rr.labels.iter().flat_map(move |&b| a * b))
                .collect();
            Reach {
                labels,
                children: Some(Box::new((rl, rr))),
            }
        }
    }
}

/// All post-order label lists of the couplings below and at `node`, given its top label.
fn enumerate(node: &Node, reach: &Reach, leaves: &[Irrep], target: Irrep) -> Vec<Vec<Irrep>> {
    match (node, &reach.children) {
        (Node::Leaf(i), _) => {
            if leaves[*i] == target {
                vec![Vec::new()]
            } else {
                Vec::new()
            }
        }
        (Node::Couple(l, r), Some(kids)) => {
            let (rl, rr) = (&kids.0, &kids.1);
            let mut out = Vec::new();
            for &a in &rl.labels {
                for &b in &rr.labels {
                    if !a.couples_to(b, target) {
                        continue;
                    }
                    let left = enumerate(l, rl, leaves, a);
                    if left.is_empty() {
                        continue;
                    }
                    let right = enumerate(r, rr, leaves, b);
                    for x in &left {
                        for y in &right {
                            let mut v = Vec::with_capacity(x.len() + y.len() + 1);
                            v.extend_from_slice(x);
                            v.extend_from_slice(y);
                            v.push(target);
                            out.push(v);
                        }
                    }
                }
            }
            out
        }
        (Node::Couple(..), None) => unreachable!("reach mirrors the tree"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Irreps;

    fn catalan(n: usize) -> usize {
        (0..n).fold(1, |c, i| c * 2 * (2 * i + 1) / (i + 2))
    }

    #[test]
    fn test_all_shapes_catalan() {
        for k in 1..=8 {
            let s = FusionTree::all_shapes(k).unwrap();
            assert_eq!(s.len(), catalan(k - 1), "k = {k}");
            let distinct: BTreeSet<String> = s.iter().map(|t| t.to_string()).collect();
            assert_eq!(distinct.len(), s.len());
            assert!(s.iter().all(|t| t.is_ordered() && t.num_leaves() == k));
            assert_eq!(s[0], FusionTree::left_associated(k).unwrap());
            assert_eq!(s[s.len() - 1], FusionTree::right_associated(k).unwrap());
        }
        let four: Vec<String> = FusionTree::all_shapes(4)
            .unwrap()
            .iter()
            .map(|t| t.to_string())
            .collect();
        assert_eq!(
            four,
            [
                "(((0,1),2),3)",
                "((0,(1,2)),3)",
                "((0,1),(2,3))",
                "(0,((1,2),3))",
                "(0,(1,(2,3)))"
            ]
        );
    }

    #[test]
    fn fusion_tree_rejects_bad_shapes() {
        assert!(FusionTree::all_shapes(0).is_err());
        let e = FusionTree::all_shapes(MAX_SHAPE_LEAVES + 1).unwrap_err();
        assert!(e.to_string().contains("17"), "{e}");
        let e = FusionTree::left_associated(MAX_TREE_LEAVES + 1).unwrap_err();
        assert!(
            e.to_string().contains("at most 1024 leaves, got 1025"),
            "{e}"
        );
        let e = FusionTree::new(Node::couple(Node::Leaf(1), Node::Leaf(1))).unwrap_err();
        assert_eq!(e.to_string(), "leaf index 1 appears twice in (1,1)");
        let e = FusionTree::new(Node::couple(Node::Leaf(0), Node::Leaf(5))).unwrap_err();
        assert!(
            e.to_string().contains("leaf index 5 is out of range"),
            "{e}"
        );
        let t = FusionTree::left_associated(3).unwrap();
        let e = t
            .count_paths(&[Irrep::harmonic(1); 2], Irrep::harmonic(1))
            .unwrap_err();
        assert!(e.to_string().contains("3 leaves but 2"), "{e}");
        assert!(t
            .labellings(&[Irrep::harmonic(1); 4], Irrep::harmonic(1))
            .is_err());
    }

    #[test]
    fn test_count_paths_math_md() {
        // shared/design/MATH.md §2, natural-parity leaves; every shape agrees
        let h = Irrep::harmonic;
        let cases: [(&[Irrep], Irrep, u64); 6] = [
            (&[h(1), h(1)], h(0), 1),
            (&[h(1), h(1), h(1)], h(1), 3),
            (&[h(1), h(1), h(1), h(1)], h(0), 3),
            (&[h(1), h(2), h(3), h(4)], h(2), 12),
            (&[h(2), h(2), h(2), h(2)], h(2), 16),
            (&[h(3), h(3), h(3), h(3)], h(0), 7),
        ];
        for (leaves, out, want) in cases {
            for t in FusionTree::all_shapes(leaves.len()).unwrap() {
                assert_eq!(t.count_paths(leaves, out).unwrap(), want, "{t} {leaves:?}");
                assert_eq!(t.labellings(leaves, out).unwrap().len() as u64, want, "{t}");
            }
            assert_eq!(Irreps::multiplicity_in_product(leaves, out).unwrap(), want);
        }
        let v = h(1);
        let t = FusionTree::left_associated(3).unwrap();
        assert_eq!(t.count_paths(&[v; 3], "0o".parse().unwrap()).unwrap(), 1);
        assert_eq!(t.count_paths(&[v; 3], h(0)).unwrap(), 0);
        assert!(t.labellings(&[v; 3], h(0)).unwrap().is_empty());
    }

    #[test]
    fn test_permuted_leaves() {
        // (13)(24): leaves 0 and 2 coupled first
        let t = FusionTree::new(Node::couple(
            Node::couple(Node::Leaf(0), Node::Leaf(2)),
            Node::couple(Node::Leaf(1), Node::Leaf(3)),
        ))
        .unwrap();
        assert!(!t.is_ordered());
        assert_eq!(t.leaf_order(), vec![0, 2, 1, 3]);
        let leaves = [
            Irrep::harmonic(1),
            Irrep::harmonic(2),
            Irrep::harmonic(3),
            Irrep::harmonic(4),
        ];
        assert_eq!(t.count_paths(&leaves, Irrep::harmonic(2)).unwrap(), 12);
        let first = &t.labellings(&leaves, Irrep::harmonic(2)).unwrap()[0];
        assert_eq!(
            first.to_string(),
            "((1o[0],3o[2])->2e,(2e[1],4e[3])->2e)->2e"
        );
    }

    #[test]
    fn count_paths_reports_overflow() {
        let t = FusionTree::left_associated(40).unwrap();
        let e = t
            .count_paths(&[Irrep::harmonic(10); 40], Irrep::harmonic(0))
            .unwrap_err();
        assert!(matches!(e, CoreError::Overflow { ty: "u64", .. }), "{e}");
    }
}
