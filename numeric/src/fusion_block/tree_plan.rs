//! The prefix trie of left-associated fusion trees and the paths read off it.
//!
//! A node is a fused prefix `((x_{t1} ⊗ x_{t2})→J2 ⊗ x_{t3})→J3 …`: its parent is the prefix one
//! leaf shorter, `leaf` is the input term fused last and `irrep` the coupled irrep. Every path
//! (a full tree with one admissible labelling) ends at a node whose irrep is an output irrep, so
//! paths that share a prefix share the nodes of that prefix and its evaluation.

use std::collections::BTreeMap;
use std::fmt;

use racah_core::{Irrep, Irreps, Parity};
use racah_exact::{real_cg, SqrtRational};

use super::FusionBlockError;

/// One node of the prefix trie.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// The prefix one leaf shorter (`None` for a single leaf).
    pub parent: Option<usize>,
    /// The input term fused last.
    pub leaf: usize,
    /// The coupled irrep of the prefix.
    pub irrep: Irrep,
    /// Number of leaves in the prefix.
    pub depth: usize,
}

/// The exact real-basis coupling `(l1, l2) → l3`, as its nonzero entries.
#[derive(Debug, Clone)]
pub(crate) struct ExactCoupling {
    pub entries: Vec<(usize, usize, usize, SqrtRational)>,
}

/// One path of a fusion block: a left-associated tree over input terms with an admissible
/// internal labelling, ending in an output term.
///
/// Displayed as a text tree, e.g. `((1o,1o)->1e,1o)->0o`; a body-order-1 path is its single
/// leaf, e.g. `1o`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FusionPath {
    pub(crate) node: usize,
    leaf_terms: Vec<usize>,
    leaves: Vec<Irrep>,
    internal: Vec<Irrep>,
    output: Irrep,
    output_term: usize,
}

impl FusionPath {
    /// The body order (number of leaves).
    pub fn body_order(&self) -> usize {
        self.leaves.len()
    }

    /// The leaf irreps, left to right.
    pub fn leaves(&self) -> &[Irrep] {
        &self.leaves
    }

    /// The indices of the input terms at the leaves, left to right.
    pub fn leaf_terms(&self) -> &[usize] {
        &self.leaf_terms
    }

    /// The intermediate irreps `J_2, …, J_{k−1}` (empty for body order ≤ 2).
    pub fn internal(&self) -> &[Irrep] {
        &self.internal
    }

    /// The output irrep.
    pub fn output(&self) -> Irrep {
        self.output
    }

    /// The index of the output term this path writes to.
    pub fn output_term(&self) -> usize {
        self.output_term
    }
}

impl fmt::Display for FusionPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = self.leaves[0].to_string();
        for (i, leaf) in self.leaves.iter().enumerate().skip(1) {
            let j = if i + 1 == self.leaves.len() {
                self.output
            } else {
                self.internal[i - 1]
            };
            s = format!("({s},{leaf})->{j}");
        }
        f.write_str(&s)
    }
}

/// The trie, its paths and the exact couplings it needs.
#[derive(Debug, Clone)]
pub(crate) struct TreePlan {
    pub nodes: Vec<Node>,
    pub paths: Vec<FusionPath>,
    /// Per node (index), the coupling `(parent irrep, leaf irrep) → irrep` (depth ≥ 2).
    pub coupling_of: Vec<Option<[u32; 3]>>,
    pub couplings: BTreeMap<[u32; 3], ExactCoupling>,
}

/// Largest number of trie nodes before pruning.
pub(crate) const MAX_NODES: usize = 1 << 18;

/// Largest l of an input, output or intermediate irrep.
pub(crate) const MAX_L: u32 = 12;

fn l_of(i: Irrep) -> u32 {
    i.as_l().expect("checked integer irreps")
}

impl TreePlan {
    /// Every left-associated tree of 1..=`correlation` leaves over the input terms (leaf
    /// sequences non-decreasing in term index when `sorted`), every admissible O(3) labelling,
    /// ending in an output irrep.
    pub fn enumerate(
        input: &Irreps,
        output: &Irreps,
        correlation: usize,
        sorted: bool,
    ) -> Result<Self, FusionBlockError> {
        let ins: Vec<Irrep> = input.iter().map(|t| t.irrep).collect();
        let outs: Vec<Irrep> = output.iter().map(|t| t.irrep).collect();
        let lin_max = ins.iter().map(|&i| l_of(i)).max().unwrap_or(0);
        let lout_max = outs.iter().map(|&i| l_of(i)).max().unwrap_or(0);
        let mut nodes: Vec<Node> = (0..ins.len())
            .map(|t| Node {
                parent: None,
                leaf: t,
                irrep: ins[t],
                depth: 1,
            })
            .collect();
        let mut level = 0..nodes.len();
        for depth in 2..=correlation {
            // an intermediate above this bound cannot come back down to an output irrep
            let bound = (lout_max + (correlation - depth) as u32 * lin_max).min(MAX_L);
            let start = nodes.len();
            for n in level.clone() {
                if nodes.len() > MAX_NODES {
                    return Err(FusionBlockError::TooLarge {
                        depth,
                        max: MAX_NODES,
                    });
                }
                let first = if sorted { nodes[n].leaf } else { 0 };
                for t in first..ins.len() {
                    let (l1, l2) = (l_of(nodes[n].irrep), l_of(ins[t]));
                    let p: Parity = nodes[n].irrep.parity() * ins[t].parity();
                    for l in l1.abs_diff(l2)..=(l1 + l2).min(bound) {
                        nodes.push(Node {
                            parent: Some(n),
                            leaf: t,
                            irrep: Irrep::l(l, p),
                            depth,
                        });
                    }
                }
            }
            level = start..nodes.len();
        }
        let mut plan = TreePlan::from_nodes(nodes, &ins, &outs, None);
        plan.fill_couplings(&ins)?;
        Ok(plan)
    }

    /// The sub-plan keeping only the paths `keep` (indices into `self.paths`, increasing) and
    /// the nodes they use.
    pub fn restrict(&self, keep: &[usize], ins: &[Irrep], outs: &[Irrep]) -> Self {
        let wanted: Vec<(usize, usize)> = keep
            .iter()
            .map(|&p| (self.paths[p].node, self.paths[p].output_term))
            .collect();
        let mut plan = TreePlan::from_nodes(self.nodes.clone(), ins, outs, Some(&wanted));
        plan.couplings = self.couplings.clone();
        plan.couplings
            .retain(|k, _| plan.coupling_of.iter().any(|c| c.as_ref() == Some(k)));
        plan
    }

    /// Compacts `nodes` to those on a path and lists the paths (all `(node, output)` pairs with
    /// matching irreps, or only `wanted` ones).
    fn from_nodes(
        nodes: Vec<Node>,
        ins: &[Irrep],
        outs: &[Irrep],
        wanted: Option<&[(usize, usize)]>,
    ) -> Self {
        let is_path = |n: usize, o: usize| match wanted {
            Some(w) => w.contains(&(n, o)),
            None => nodes[n].irrep == outs[o],
        };
        let mut useful = vec![false; nodes.len()];
        for n in (0..nodes.len()).rev() {
            if (0..outs.len()).any(|o| is_path(n, o)) {
                useful[n] = true;
            }
            if useful[n] {
                if let Some(p) = nodes[n].parent {
                    useful[p] = true;
                }
            }
        }
        let mut remap = vec![usize::MAX; nodes.len()];
        let mut kept: Vec<Node> = Vec::new();
        let mut paths = Vec::new();
        for (n, node) in nodes.iter().enumerate() {
            if !useful[n] {
                continue;
            }
            remap[n] = kept.len();
            let mut node = node.clone();
            node.parent = node.parent.map(|p| remap[p]);
            kept.push(node);
        }
        // paths in node order (so by body order), then output term
        for (n, node) in nodes.iter().enumerate() {
            for (o, &out) in outs.iter().enumerate() {
                if useful[n] && is_path(n, o) {
                    let mut chain = vec![n];
                    while let Some(p) = nodes[*chain.last().expect("nonempty")].parent {
                        chain.push(p);
                    }
                    chain.reverse();
                    let leaf_terms: Vec<usize> = chain.iter().map(|&c| nodes[c].leaf).collect();
                    paths.push(FusionPath {
                        node: remap[n],
                        leaves: leaf_terms.iter().map(|&t| ins[t]).collect(),
                        leaf_terms,
                        internal: chain
                            .iter()
                            .take(chain.len().saturating_sub(1))
                            .skip(1)
                            .map(|&c| nodes[c].irrep)
                            .collect(),
                        output: out,
                        output_term: o,
                    });
                    debug_assert_eq!(node.irrep, out);
                }
            }
        }
        let coupling_of = kept
            .iter()
            .map(|n| {
                n.parent
                    .map(|p| [l_of(kept[p].irrep), l_of(ins[n.leaf]), l_of(n.irrep)])
            })
            .collect();
        TreePlan {
            nodes: kept,
            paths,
            coupling_of,
            couplings: BTreeMap::new(),
        }
    }

    fn fill_couplings(&mut self, _ins: &[Irrep]) -> Result<(), FusionBlockError> {
        for key in self.coupling_of.iter().flatten() {
            if self.couplings.contains_key(key) {
                continue;
            }
            let [l1, l2, l3] = *key;
            let t = real_cg(l1, l2, l3).map_err(|e| FusionBlockError::Exact {
                l1,
                l2,
                l3,
                message: e.to_string(),
            })?;
            let entries = t
                .nonzeros()
                .map(|(a, b, c, v)| (a, b, c, v.clone()))
                .collect();
            self.couplings.insert(*key, ExactCoupling { entries });
        }
        Ok(())
    }
}
