//! F-moves: exact recoupling of labelled fusion trees, and canonicalisation of any tree to the
//! left-associated basis.
//!
//! A labelled fusion tree is a map V_l1 ⊗ … ⊗ V_lk → V_L (its diagram, contracted). For fixed
//! leaves and output, the labellings of one shape form a basis of these maps, so a tree of
//! one shape is an exact linear combination of trees of another. The elementary moves, with A,
//! B, C, D arbitrary subtrees carrying a, b, c, d:
//!
//! ```text
//! F:      ((A,B)x, C)J = Σ_y F(y) (A,(B,C)y)J,
//!         F(y) = (−1)^(a+b+c+J) √((2x+1)(2y+1)) {a b x; c J y}        (and its inverse,
//!                                                                       the same numbers)
//! 9j:     ((A,B)e,(C,D)f)J = Σ_{g,h} √((2e+1)(2f+1)(2g+1)(2h+1)) {a b e; c d f; g h J}
//!                                                               ((A,C)g,(B,D)h)J
//! braid:  (A,B)c = (−1)^(a+b−c) (B,A)c
//! ```
//!
//! The coefficients are the overlaps of the coupled states (Racah's recoupling coefficients);
//! the tests check every move against direct contraction of both sides with `==`.
//!
//! # Convention
//! Complex (Condon–Shortley) basis, `CONVENTIONS.md#condon-shortley`; the moves act on the
//! coupled side and so hold in any basis of the leaves. Trees follow
//! `CONVENTIONS.md#fusion-trees`.
//!
//! # Examples
//! ```
//! use racah_core::fusion::LabelledFusionTree;
//! use racah_exact::fmove::f_move_right;
//! let t: LabelledFusionTree = "((1o,1o)->1e,1o)->0o".parse()?;
//! let c = f_move_right(&t)?; // (a×b)·c = a·(b×c)
//! assert_eq!(c.len(), 1);
//! assert_eq!(c.to_string(), "1 (1o,(1o,1o)->1e)->0o");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # References
//! Racah (1942), Phys. Rev. 62, 438; Edmonds (1957), eqs. (6.1.5), (6.4.2);
//! Varshalovich et al. (1988), §9.1.

use crate::{ExactError, NineJ, SixJ, SqrtRational, SqrtSum};
use racah_core::fusion::{FusionTree, LabelledFusionTree, Node};
use racah_core::{CoreError, Irrep, Spin};
use std::collections::HashMap;
use std::fmt;
use thiserror::Error;

/// Why an F-move could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FMoveError {
    /// The root of the tree does not have the shape the move needs.
    #[error("{mv} needs a root of the form {needs}, got {tree}")]
    Shape {
        /// The move (`f_move_right`, …).
        mv: &'static str,
        /// The shape it needs (`((A,B),C)`).
        needs: &'static str,
        /// The tree that was given.
        tree: String,
    },
    /// A coefficient could not be evaluated (spins too large).
    #[error(transparent)]
    Exact(#[from] ExactError),
    /// A resulting tree could not be built (spins too large).
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// The recoupling coefficient of three spins:
///
/// ```text
/// ⟨(j1 (j2 j3)j23) J | ((j1 j2)j12 j3) J⟩ = (−1)^(j1+j2+j3+J) √((2j12+1)(2j23+1)) {j1 j2 j12; j3 J j23}
/// ```
///
/// so that ((j1 j2)j12, j3)J = Σ_j23 f_coefficient(…) (j1, (j2 j3)j23)J as trees, and
/// conversely (the matrix is real orthogonal). Zero when a triad is not admissible.
///
/// # Convention
/// `CONVENTIONS.md#six-j`, Condon–Shortley CG (`CONVENTIONS.md#condon-shortley`).
///
/// # Errors
/// [`ExactError::Overflow`] for spins beyond the exact engine's range.
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::{fmove::f_coefficient, SqrtRational};
/// let one = Spin::int(1);
/// // (−1)^4 √(3·3) {1 1 1; 1 1 1} = 3/6
/// assert_eq!(f_coefficient([one; 3], one, one, one)?, SqrtRational::rational(1, 2));
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
pub fn f_coefficient(
    [j1, j2, j3]: [Spin; 3],
    j: Spin,
    j12: Spin,
    j23: Spin,
) -> Result<SqrtRational, ExactError> {
    let t = |s: Spin| s.twice() as i64;
    let six = SixJ::from_twice(t(j1), t(j2), t(j12), t(j3), t(j), t(j23))?.value();
    if six.is_zero() {
        return Ok(SqrtRational::ZERO);
    }
    // admissible triads make j1 + j2 + j3 + J an integer
    let phase = ((t(j1) + t(j2) + t(j3) + t(j)) / 2) % 2 != 0;
    let root = SqrtRational::sqrt_of_ratio(j12.dim() as u64 * j23.dim() as u64, 1)?;
    let v = &root * &six;
    Ok(if phase { -v } else { v })
}

/// The (12)(34) → (13)(24) recoupling coefficient of four spins:
///
/// ```text
/// ⟨((j1 j3)j13, (j2 j4)j24) J | ((j1 j2)j12, (j3 j4)j34) J⟩
///     = √((2j12+1)(2j34+1)(2j13+1)(2j24+1)) {j1 j2 j12; j3 j4 j34; j13 j24 J}
/// ```
///
/// so that ((j1 j2)j12, (j3 j4)j34)J = Σ_{j13 j24} nine_j_coefficient(…) ((j1 j3)j13,
/// (j2 j4)j24)J as trees (and conversely, the matrix being real orthogonal).
///
/// # Convention
/// `CONVENTIONS.md#nine-j`.
///
/// # Errors
/// [`ExactError::Overflow`] for spins beyond the exact engine's range.
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::{fmove::nine_j_coefficient, SqrtRational};
/// let [one, zero] = [Spin::int(1), Spin::int(0)];
/// // 9 · {1 1 1; 1 1 1; 1 1 0} = 9/18
/// let c = nine_j_coefficient([one; 4], [one, one], [one, one], zero)?;
/// assert_eq!(c, SqrtRational::rational(1, 2));
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
pub fn nine_j_coefficient(
    [j1, j2, j3, j4]: [Spin; 4],
    [j12, j34]: [Spin; 2],
    [j13, j24]: [Spin; 2],
    j: Spin,
) -> Result<SqrtRational, ExactError> {
    let nine = NineJ::new([[j1, j2, j12], [j3, j4, j34], [j13, j24, j]])?.value();
    if nine.is_zero() {
        return Ok(SqrtRational::ZERO);
    }
    let d = |a: Spin, b: Spin| SqrtRational::sqrt_of_ratio(a.dim() as u64 * b.dim() as u64, 1);
    Ok(&(&d(j12, j34)? * &d(j13, j24)?) * &nine)
}

/// The phase of a braid at a vertex, (A,B)c = (−1)^(a+b−c) (B,A)c, as ±1 (from
/// ⟨a m_a b m_b | c m_c⟩ = (−1)^(a+b−c) ⟨b m_b a m_a | c m_c⟩).
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::fmove::braid_phase;
/// assert_eq!(braid_phase(Spin::int(1), Spin::int(1), Spin::int(1)), -1); // the cross product
/// assert_eq!(braid_phase(Spin::int(1), Spin::int(1), Spin::int(2)), 1);
/// ```
pub fn braid_phase(a: Spin, b: Spin, c: Spin) -> i32 {
    let e = a.twice() as i64 + b.twice() as i64 - c.twice() as i64;
    if (e / 2) % 2 == 0 {
        1
    } else {
        -1
    }
}

/// An exact linear combination Σ c_i T_i of labelled fusion trees with the same leaves and
/// output, zero coefficients dropped, sorted by the trees' text.
///
/// # Examples
/// ```
/// use racah_core::fusion::LabelledFusionTree;
/// use racah_exact::{fmove::to_left_associated, SqrtRational, SqrtSum};
/// let t: LabelledFusionTree = "(1o,(1o,1o)->1e)->1o".parse()?;
/// let c = to_left_associated(&t)?;
/// assert_eq!(c.len(), 3); // ((1o,1o)->x,1o)->1o for x = 0e, 1e, 2e
/// let half = SqrtSum::from(SqrtRational::rational(1, 2)); // 3 {1 1 1; 1 1 1}
/// assert_eq!(c.coefficient(&"((1o,1o)->1e,1o)->1o".parse()?), half);
/// assert!(c.coefficient(&"((1o,1o)->1e,1o)->0o".parse()?).is_zero());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeCombination {
    terms: Vec<(LabelledFusionTree, SqrtSum)>,
}

impl TreeCombination {
    fn from_nodes(nodes: Vec<(LNode, SqrtSum)>) -> Result<Self, FMoveError> {
        let mut merged: HashMap<LNode, SqrtSum> = HashMap::new();
        for (n, c) in nodes {
            *merged.entry(n).or_default() += &c;
        }
        let mut terms = Vec::with_capacity(merged.len());
        for (n, c) in merged {
            if !c.is_zero() {
                terms.push((n.to_tree()?, c));
            }
        }
        terms.sort_by_cached_key(|(t, _)| t.to_string());
        Ok(TreeCombination { terms })
    }

    /// The terms `(tree, coefficient)`, sorted by the trees' text.
    pub fn terms(&self) -> &[(LabelledFusionTree, SqrtSum)] {
        &self.terms
    }

    /// The coefficient of `tree` (0 when absent).
    pub fn coefficient(&self, tree: &LabelledFusionTree) -> SqrtSum {
        self.terms
            .iter()
            .find(|(t, _)| t == tree)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    }

    /// The number of nonzero terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the combination is 0.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

impl fmt::Display for TreeCombination {
    /// `c1 T1 + c2 T2`, each coefficient in [`SqrtSum`]'s form (parenthesised when it has
    /// several terms); `0` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.terms.is_empty() {
            return f.write_str("0");
        }
        for (i, (t, c)) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(" + ")?;
            }
            if c.num_terms() > 1 {
                write!(f, "({c}) {t}")?;
            } else {
                write!(f, "{c} {t}")?;
            }
        }
        Ok(())
    }
}

/// A labelled tree node: a leaf (its index and irrep) or a coupling with its label.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum LNode {
    Leaf(usize, Irrep),
    Couple(Box<LNode>, Box<LNode>, Irrep),
}

type Comb = Vec<(LNode, SqrtSum)>;

impl LNode {
    fn couple(l: LNode, r: LNode, c: Irrep) -> LNode {
        LNode::Couple(Box::new(l), Box::new(r), c)
    }

    fn irrep(&self) -> Irrep {
        match self {
            LNode::Leaf(_, x) | LNode::Couple(_, _, x) => *x,
        }
    }

    fn from_tree(t: &LabelledFusionTree) -> LNode {
        let labels: Vec<Irrep> = t.vertices().iter().map(|v| v.out).collect();
        fn walk(n: &Node, leaves: &[Irrep], labels: &[Irrep], next: &mut usize) -> LNode {
            match n {
                Node::Leaf(i) => LNode::Leaf(*i, leaves[*i]),
                Node::Couple(l, r) => {
                    let l = walk(l, leaves, labels, next);
                    let r = walk(r, leaves, labels, next);
                    let c = labels[*next];
                    *next += 1;
                    LNode::couple(l, r, c)
                }
            }
        }
        walk(t.tree().root(), t.leaves(), &labels, &mut 0)
    }

    fn to_tree(&self) -> Result<LabelledFusionTree, CoreError> {
        fn walk(n: &LNode, leaves: &mut Vec<(usize, Irrep)>, couplings: &mut Vec<Irrep>) -> Node {
            match n {
                LNode::Leaf(i, x) => {
                    leaves.push((*i, *x));
                    Node::Leaf(*i)
                }
                LNode::Couple(l, r, c) => {
                    let l = walk(l, leaves, couplings);
                    let r = walk(r, leaves, couplings);
                    couplings.push(*c);
                    Node::couple(l, r)
                }
            }
        }
        let (mut leaves, mut couplings) = (Vec::new(), Vec::new());
        let root = walk(self, &mut leaves, &mut couplings);
        leaves.sort_by_key(|(i, _)| *i);
        let leaves: Vec<Irrep> = leaves.into_iter().map(|(_, x)| x).collect();
        let out = couplings.pop().unwrap_or(leaves[0]);
        LabelledFusionTree::new(FusionTree::new(root)?, leaves, couplings, out)
    }

    fn max_leaf(&self) -> usize {
        match self {
            LNode::Leaf(i, _) => *i,
            LNode::Couple(l, r, _) => l.max_leaf().max(r.max_leaf()),
        }
    }
}

fn one() -> SqrtSum {
    SqrtSum::from(SqrtRational::ONE)
}

fn f_coef(
    a: Irrep,
    b: Irrep,
    c: Irrep,
    j: Irrep,
    x: Irrep,
    y: Irrep,
) -> Result<SqrtSum, ExactError> {
    Ok(SqrtSum::from(f_coefficient(
        [a.j(), b.j(), c.j()],
        j.j(),
        x.j(),
        y.j(),
    )?))
}

/// The labels y with a ⊗ b ∋ y and y ⊗ c ∋ j (spins and parity).
fn middle(a: Irrep, b: Irrep, c: Irrep, j: Irrep) -> impl Iterator<Item = Irrep> {
    a.tensor(b).filter(move |&y| y.couples_to(c, j))
}

/// ((A,B)x, C)J → Σ_y F (A,(B,C)y)J.
fn right(n: &LNode) -> Result<Option<Comb>, ExactError> {
    let LNode::Couple(l, c, j) = n else {
        return Ok(None);
    };
    let LNode::Couple(a, b, x) = l.as_ref() else {
        return Ok(None);
    };
    let (ai, bi, ci) = (a.irrep(), b.irrep(), c.irrep());
    let mut out = Vec::new();
    for y in middle(bi, ci, ai, *j) {
        let coef = f_coef(ai, bi, ci, *j, *x, y)?;
        let bc = LNode::couple((**b).clone(), (**c).clone(), y);
        out.push((LNode::couple((**a).clone(), bc, *j), coef));
    }
    Ok(Some(out))
}

/// (A,(B,C)y)J → Σ_x F ((A,B)x, C)J.
fn left(n: &LNode) -> Result<Option<Comb>, ExactError> {
    let LNode::Couple(a, r, j) = n else {
        return Ok(None);
    };
    let LNode::Couple(b, c, y) = r.as_ref() else {
        return Ok(None);
    };
    let (ai, bi, ci) = (a.irrep(), b.irrep(), c.irrep());
    let mut out = Vec::new();
    for x in middle(ai, bi, ci, *j) {
        let coef = f_coef(ai, bi, ci, *j, x, *y)?;
        let ab = LNode::couple((**a).clone(), (**b).clone(), x);
        out.push((LNode::couple(ab, (**c).clone(), *j), coef));
    }
    Ok(Some(out))
}

fn shape_error(mv: &'static str, needs: &'static str, t: &LabelledFusionTree) -> FMoveError {
    FMoveError::Shape {
        mv,
        needs,
        tree: t.to_string(),
    }
}

/// The F-move at the root, ((A,B)x, C)J → Σ_y F(y) (A,(B,C)y)J, with A, B, C any subtrees:
///
/// ```text
/// F(y) = (−1)^(a+b+c+J) √((2x+1)(2y+1)) {a b x; c J y}      (see f_coefficient)
/// ```
///
/// # Convention
/// `CONVENTIONS.md#fusion-trees`; Condon–Shortley (`CONVENTIONS.md#condon-shortley`).
///
/// # Errors
/// [`FMoveError::Shape`] unless the root's left child is a coupling.
///
/// # Examples
/// ```
/// use racah_core::fusion::LabelledFusionTree;
/// use racah_exact::fmove::f_move_right;
/// let t: LabelledFusionTree = "((1o,1o)->0e,1o)->1o".parse()?;
/// let c = f_move_right(&t)?; // (a·b) c = Σ_y F(y) a ⊗ (b, c)_y
/// let texts: Vec<String> = c.terms().iter().map(|(t, c)| format!("{c} {t}")).collect();
/// assert_eq!(texts, [
///     "1/3 (1o,(1o,1o)->0e)->1o",
///     "-sqrt(3)/3 (1o,(1o,1o)->1e)->1o",
///     "sqrt(5)/3 (1o,(1o,1o)->2e)->1o",
/// ]);
/// assert!(f_move_right(&"(1o,(1o,1o)->0e)->1o".parse()?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn f_move_right(tree: &LabelledFusionTree) -> Result<TreeCombination, FMoveError> {
    let n = LNode::from_tree(tree);
    match right(&n)? {
        Some(c) => TreeCombination::from_nodes(c),
        None => Err(shape_error("f_move_right", "((A,B),C)", tree)),
    }
}

/// The inverse F-move at the root, (A,(B,C)y)J → Σ_x F(x) ((A,B)x, C)J, with the same
/// coefficients as [`f_move_right`] (the recoupling matrix is real orthogonal).
///
/// # Convention
/// `CONVENTIONS.md#fusion-trees`; Condon–Shortley (`CONVENTIONS.md#condon-shortley`).
///
/// # Errors
/// [`FMoveError::Shape`] unless the root's right child is a coupling.
///
/// # Examples
/// ```
/// use racah_core::fusion::LabelledFusionTree;
/// use racah_exact::fmove::{f_move_left, f_move_right};
/// let t: LabelledFusionTree = "(1o,(1o,1o)->1e)->0o".parse()?;
/// let c = f_move_left(&t)?;
/// assert_eq!(c.to_string(), "1 ((1o,1o)->1e,1o)->0o");
/// assert_eq!(f_move_right(&c.terms()[0].0)?.to_string(), format!("1 {t}"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn f_move_left(tree: &LabelledFusionTree) -> Result<TreeCombination, FMoveError> {
    let n = LNode::from_tree(tree);
    match left(&n)? {
        Some(c) => TreeCombination::from_nodes(c),
        None => Err(shape_error("f_move_left", "(A,(B,C))", tree)),
    }
}

/// The 9j move at the root, ((A,B)e,(C,D)f)J → Σ_{g,h} N(g,h) ((A,C)g,(B,D)h)J:
///
/// ```text
/// N(g,h) = √((2e+1)(2f+1)(2g+1)(2h+1)) {a b e; c d f; g h J}      (see nine_j_coefficient)
/// ```
///
/// Applying it twice gives back the tree (the matrix is real orthogonal and symmetric under
/// the exchange of B and C).
///
/// # Convention
/// `CONVENTIONS.md#nine-j`; Condon–Shortley (`CONVENTIONS.md#condon-shortley`).
///
/// # Errors
/// [`FMoveError::Shape`] unless both children of the root are couplings.
///
/// # Examples
/// ```
/// use racah_core::fusion::LabelledFusionTree;
/// use racah_exact::fmove::nine_j_move;
/// let t: LabelledFusionTree = "((1o,1o)->0e,(1o,1o)->0e)->0e".parse()?;
/// let c = nine_j_move(&t)?; // onto ((1o[0],1o[2])->g,(1o[1],1o[3])->g)->0e, g = 0e, 1e, 2e
/// assert_eq!(c.len(), 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn nine_j_move(tree: &LabelledFusionTree) -> Result<TreeCombination, FMoveError> {
    let n = LNode::from_tree(tree);
    let err = || shape_error("nine_j_move", "((A,B),(C,D))", tree);
    let LNode::Couple(l, r, j) = &n else {
        return Err(err());
    };
    let (LNode::Couple(a, b, e), LNode::Couple(c, d, f)) = (l.as_ref(), r.as_ref()) else {
        return Err(err());
    };
    let [ai, bi, ci, di] = [a, b, c, d].map(|x| x.irrep());
    let mut out = Vec::new();
    for g in ai.tensor(ci) {
        for h in bi.tensor(di) {
            if !g.couples_to(h, *j) {
                continue;
            }
            let coef = nine_j_coefficient(
                [ai.j(), bi.j(), ci.j(), di.j()],
                [e.j(), f.j()],
                [g.j(), h.j()],
                j.j(),
            )?;
            let ac = LNode::couple((**a).clone(), (**c).clone(), g);
            let bd = LNode::couple((**b).clone(), (**d).clone(), h);
            out.push((LNode::couple(ac, bd, *j), SqrtSum::from(coef)));
        }
    }
    TreeCombination::from_nodes(out)
}

/// The braid at the root, (A,B)c → (−1)^(a+b−c) (B,A)c (one term).
///
/// # Convention
/// `CONVENTIONS.md#three-j` (the odd-permutation symmetry of 3j).
///
/// # Errors
/// [`FMoveError::Shape`] for a one-leaf tree.
///
/// # Examples
/// ```
/// use racah_core::fusion::LabelledFusionTree;
/// use racah_exact::fmove::braid;
/// let t: LabelledFusionTree = "(1o,2e)->2o".parse()?;
/// assert_eq!(braid(&t)?.to_string(), "-1 (2e[1],1o[0])->2o");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn braid(tree: &LabelledFusionTree) -> Result<TreeCombination, FMoveError> {
    match LNode::from_tree(tree) {
        LNode::Couple(a, b, c) => {
            let s = braid_phase(a.irrep().j(), b.irrep().j(), c.j());
            TreeCombination::from_nodes(vec![(
                LNode::Couple(b, a, c),
                SqrtSum::from(SqrtRational::from(s as i64)),
            )])
        }
        LNode::Leaf(..) => Err(shape_error("braid", "(A,B)", tree)),
    }
}

/// Any labelled tree (any shape, leaves in any order) as an exact combination of
/// left-associated trees `((…((l0,l1)x1,l2)x2…),l(k−1))L` with the leaves in order, by F-moves
/// and braids. The result is the tree's expansion in the left-associated basis of
/// Hom(V_l0 ⊗ … ⊗ V_l(k−1), V_L).
///
/// # Convention
/// `CONVENTIONS.md#fusion-trees`; Condon–Shortley (`CONVENTIONS.md#condon-shortley`).
///
/// # Errors
/// [`FMoveError::Exact`] or [`FMoveError::Core`] for spins beyond the exact engine's range.
///
/// # Examples
/// ```
/// use racah_core::fusion::LabelledFusionTree;
/// use racah_exact::fmove::to_left_associated;
/// let t: LabelledFusionTree = "((1o,1o)->1e,1o)->0o".parse()?;
/// assert_eq!(to_left_associated(&t)?.to_string(), format!("1 {t}")); // already canonical
/// let u: LabelledFusionTree = "((1o[0],1o[2])->1e,1o[1])->0o".parse()?;
/// assert_eq!(to_left_associated(&u)?.to_string(), "-1 ((1o,1o)->1e,1o)->0o");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_left_associated(tree: &LabelledFusionTree) -> Result<TreeCombination, FMoveError> {
    TreeCombination::from_nodes(canon(&LNode::from_tree(tree))?)
}

/// The left-associated, leaf-ordered expansion of a subtree (same top label).
fn canon(n: &LNode) -> Result<Comb, ExactError> {
    match n {
        LNode::Leaf(..) => Ok(vec![(n.clone(), one())]),
        LNode::Couple(l, r, c) => {
            let (cl, cr) = (canon(l)?, canon(r)?);
            let mut out = Vec::new();
            for (a, alpha) in &cl {
                for (b, beta) in &cr {
                    let ab = alpha * beta;
                    for (t, gamma) in merge(a, b, *c)? {
                        out.push((t, &ab * &gamma));
                    }
                }
            }
            Ok(collect(out))
        }
    }
}

/// (l, r)c with l, r canonical over disjoint leaf sets, as canonical trees over the union.
fn merge(l: &LNode, r: &LNode, c: Irrep) -> Result<Comb, ExactError> {
    match r {
        LNode::Leaf(..) => insert(l, r, c),
        LNode::Couple(r1, y, b) => {
            // (l, (r1, y)b)c = Σ_x F ((l, r1)x, y)c
            let (li, r1i, yi) = (l.irrep(), r1.irrep(), y.irrep());
            let mut out = Vec::new();
            for x in middle(li, r1i, yi, c) {
                let f = f_coef(li, r1i, yi, c, x, *b)?;
                if f.is_zero() {
                    continue;
                }
                for (t, g) in merge(l, r1, x)? {
                    let fg = &f * &g;
                    for (u, h) in insert(&t, y, c)? {
                        out.push((u, &fg * &h));
                    }
                }
            }
            Ok(collect(out))
        }
    }
}

/// (t, x)c with t canonical and x a leaf, as canonical trees (x moved into place).
fn insert(t: &LNode, x: &LNode, c: Irrep) -> Result<Comb, ExactError> {
    let LNode::Leaf(xi, xr) = x else {
        unreachable!("insert takes a leaf")
    };
    match t {
        LNode::Leaf(zi, zr) => {
            if zi < xi {
                Ok(vec![(LNode::couple(t.clone(), x.clone(), c), one())])
            } else {
                let s = braid_phase(zr.j(), xr.j(), c.j());
                Ok(vec![(
                    LNode::couple(x.clone(), t.clone(), c),
                    SqrtSum::from(SqrtRational::from(s as i64)),
                )])
            }
        }
        LNode::Couple(t1, y, d) => {
            if y.max_leaf() < *xi {
                return Ok(vec![(LNode::couple(t.clone(), x.clone(), c), one())]);
            }
            // ((t1, y)d, x)c = Σ_e X(e) ((t1, x)e, y)c,
            // X(e) = Σ_f F(t1 y x; d → f) (−1)^(y+x−f) F(t1 x y; e ← f)
            let (ti, yi) = (t1.irrep(), y.irrep());
            let mut out = Vec::new();
            for e in middle(ti, *xr, yi, c) {
                let mut coef = SqrtSum::zero();
                for f in middle(yi, *xr, ti, c) {
                    let a = f_coef(ti, yi, *xr, c, *d, f)?;
                    let b = f_coef(ti, *xr, yi, c, e, f)?;
                    let s = braid_phase(yi.j(), xr.j(), f.j());
                    let ab = &a * &b;
                    coef += &(if s < 0 { -ab } else { ab });
                }
                if coef.is_zero() {
                    continue;
                }
                for (s, g) in insert(t1, x, e)? {
                    out.push((LNode::couple(s, (**y).clone(), c), &coef * &g));
                }
            }
            Ok(collect(out))
        }
    }
}

/// Merges equal trees and drops zero coefficients.
fn collect(v: Comb) -> Comb {
    let mut merged: HashMap<LNode, SqrtSum> = HashMap::new();
    let mut order = Vec::new();
    for (n, c) in v {
        match merged.get_mut(&n) {
            Some(x) => *x += &c,
            None => {
                order.push(n.clone());
                merged.insert(n, c);
            }
        }
    }
    order
        .into_iter()
        .filter_map(|n| {
            let c = merged.remove(&n).expect("present");
            (!c.is_zero()).then_some((n, c))
        })
        .collect()
}
