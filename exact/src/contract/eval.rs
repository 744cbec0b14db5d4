//! Sparse exact contraction of a diagram in the complex basis, vertex by vertex.
//!
//! The state is a map from the projections of the *active* edges (touched by a processed
//! vertex and not yet summed) to an exact partial sum. Processing a vertex multiplies in its
//! CG coefficients, enumerating only projections with m_l + m_r = m_c; an internal edge is
//! summed out as soon as both of its vertices are processed. Vertices are taken greedily,
//! fewest new active edges first, which keeps the state small for the usual trees and
//! 3nj graphs.

use crate::contract::acc::{Acc, Term};
use crate::contract::ContractError;
use crate::{cg_block_with, FactorialCache, SqrtRational};
use racah_core::fusion::{Diagram, EdgeId};
use std::collections::{BTreeMap, HashMap};

/// The CG block of one vertex as exact terms, `values[il * dr + ir]` for `ic = il + ir − off`.
struct VertexTable {
    dims: [usize; 3],
    off: i64,
    values: Vec<Option<Term>>,
}

impl VertexTable {
    fn new(tj: [u32; 3], cache: &mut FactorialCache) -> Result<Self, ContractError> {
        let [a, b, c] = tj.map(racah_core::Spin::from_twice);
        let block = cg_block_with(a, b, c, cache)?;
        let dims = block.shape();
        let mut values = vec![None; dims[0] * dims[1]];
        for (il, ir, _, v) in block.nonzeros() {
            values[il * dims[1] + ir] = Some(term(v));
        }
        Ok(VertexTable {
            dims,
            off: (tj[0] as i64 + tj[1] as i64 - tj[2] as i64) / 2,
            values,
        })
    }

    /// ⟨l r|c⟩ at indices, or `None` when it is 0.
    fn get(&self, il: usize, ir: usize, ic: usize) -> Option<&Term> {
        if il as i64 + ir as i64 - self.off != ic as i64 {
            return None;
        }
        self.values[il * self.dims[1] + ir].as_ref()
    }
}

fn term(v: &SqrtRational) -> Term {
    (v.radicand(), v.rational_part())
}

/// The complex-basis tensor of `d` over its open legs (inputs then outputs), as index → value.
pub(crate) fn contract_complex(d: &Diagram) -> Result<BTreeMap<Vec<usize>, Acc>, ContractError> {
    let ne = d.edges().len();
    let dims: Vec<usize> = d.edges().iter().map(|e| e.label.dim()).collect();
    let mut open = vec![false; ne];
    for id in d.open_edges() {
        open[id.0] = true;
    }
    // the vertices at the two ends of each internal edge
    let mut ends: Vec<Vec<usize>> = vec![Vec::new(); ne];
    for (i, v) in d.vertices().iter().enumerate() {
        for id in [v.left, v.right, v.coupled] {
            ends[id.0].push(i);
        }
    }
    let mut cache = FactorialCache::new();
    let mut tables: HashMap<[u32; 3], VertexTable> = HashMap::new();
    for v in d.vertices() {
        let tj = [v.left, v.right, v.coupled].map(|id| d.edge(id).label.j().twice());
        if let std::collections::hash_map::Entry::Vacant(e) = tables.entry(tj) {
            e.insert(VertexTable::new(tj, &mut cache)?);
        }
    }

    let mut active: Vec<EdgeId> = Vec::new();
    let mut state: HashMap<Vec<u32>, Acc> = HashMap::from([(Vec::new(), Acc::one())]);
    let mut done = vec![false; d.num_vertices()];
    for _ in 0..d.num_vertices() {
        let vi = next_vertex(d, &done, &active, &ends, &open);
        done[vi] = true;
        let v = d.vertices()[vi];
        let tj = [v.left, v.right, v.coupled].map(|id| d.edge(id).label.j().twice());
        let table = &tables[&tj];
        // edges of this vertex that are new to the state
        let mut new_edges: Vec<EdgeId> = Vec::new();
        for id in [v.left, v.right, v.coupled] {
            if !active.contains(&id) && !new_edges.contains(&id) {
                new_edges.push(id);
            }
        }
        let mut next_active = active.clone();
        next_active.extend(&new_edges);
        // edges summed out after this vertex: internal, all their vertices processed
        let keep: Vec<bool> = next_active
            .iter()
            .map(|id| open[id.0] || !ends[id.0].iter().all(|&w| done[w]))
            .collect();
        let slot = |id: EdgeId| next_active.iter().position(|&x| x == id).expect("active");
        let pos = [slot(v.left), slot(v.right), slot(v.coupled)];
        // one new edge that appears once in the triple can be solved for
        let solved = new_edges.iter().rposition(|id| {
            [v.left, v.right, v.coupled]
                .iter()
                .filter(|&&x| x == *id)
                .count()
                == 1
        });
        let free: Vec<usize> = (0..new_edges.len())
            .filter(|&k| Some(k) != solved)
            .collect();

        let mut next: HashMap<Vec<u32>, Acc> = HashMap::new();
        let mut idx = vec![0u32; next_active.len()];
        for (key, val) in &state {
            idx[..key.len()].copy_from_slice(key);
            // odometer over the free new edges
            let mut counter = vec![0usize; free.len()];
            'odometer: loop {
                for (c, &k) in counter.iter().zip(&free) {
                    idx[active.len() + k] = *c as u32;
                }
                let ok = match solved {
                    None => true,
                    Some(k) => solve(&mut idx, active.len() + k, pos, table.off, &dims, &v),
                };
                if ok {
                    let [il, ir, ic] = pos.map(|p| idx[p] as usize);
                    if let Some((rad, r)) = table.get(il, ir, ic) {
                        let reduced: Vec<u32> = idx
                            .iter()
                            .zip(&keep)
                            .filter(|(_, &k)| k)
                            .map(|(&i, _)| i)
                            .collect();
                        next.entry(reduced).or_default().add_product(val, (rad, r));
                    }
                }
                // advance
                for (c, &k) in counter.iter_mut().zip(&free) {
                    *c += 1;
                    if *c < dims[new_edges[k].0] {
                        continue 'odometer;
                    }
                    *c = 0;
                }
                break;
            }
        }
        next.retain(|_, a| !a.is_zero());
        state = next;
        active = next_active
            .into_iter()
            .zip(&keep)
            .filter(|(_, &k)| k)
            .map(|(id, _)| id)
            .collect();
    }

    // open legs: inputs then outputs; a wire (input and output, no vertex) ranges freely
    let legs = d.open_edges();
    let mut wires: Vec<EdgeId> = Vec::new();
    for &id in &legs {
        if !active.contains(&id) && !wires.contains(&id) {
            wires.push(id);
        }
    }
    let mut out = BTreeMap::new();
    for (key, val) in state {
        let mut counter = vec![0usize; wires.len()];
        loop {
            let index: Vec<usize> = legs
                .iter()
                .map(|id| match active.iter().position(|x| x == id) {
                    Some(p) => key[p] as usize,
                    None => counter[wires.iter().position(|x| x == id).expect("wire")],
                })
                .collect();
            out.insert(index, val.clone());
            let mut advanced = false;
            for (c, id) in counter.iter_mut().zip(&wires) {
                *c += 1;
                if *c < dims[id.0] {
                    advanced = true;
                    break;
                }
                *c = 0;
            }
            if !advanced {
                break;
            }
        }
    }
    Ok(out)
}

/// Sets `idx[target]` from m_l + m_r = m_c; `false` when out of range.
fn solve(
    idx: &mut [u32],
    target: usize,
    pos: [usize; 3],
    off: i64,
    dims: &[usize],
    v: &racah_core::fusion::DiagramVertex,
) -> bool {
    let [pl, pr, pc] = pos;
    let get = |p: usize| idx[p] as i64;
    // ic = il + ir − off
    let (value, edge) = if target == pc {
        (get(pl) + get(pr) - off, v.coupled)
    } else if target == pl {
        (get(pc) + off - get(pr), v.left)
    } else {
        (get(pc) + off - get(pl), v.right)
    };
    if value < 0 || value as usize >= dims[edge.0] {
        return false;
    }
    idx[target] = value as u32;
    true
}

/// The unprocessed vertex adding the fewest new active edges, then closing the most, then
/// the first.
fn next_vertex(
    d: &Diagram,
    done: &[bool],
    active: &[EdgeId],
    ends: &[Vec<usize>],
    open: &[bool],
) -> usize {
    let mut best = (i64::MAX, usize::MAX);
    for (i, v) in d.vertices().iter().enumerate() {
        if done[i] {
            continue;
        }
        let mut edges = vec![v.left, v.right, v.coupled];
        edges.dedup();
        edges.sort();
        edges.dedup();
        let new = edges.iter().filter(|id| !active.contains(id)).count() as i64;
        let closed = edges
            .iter()
            .filter(|id| !open[id.0] && ends[id.0].iter().all(|&w| w == i || done[w]))
            .count() as i64;
        let score = new - closed;
        if score < best.0 {
            best = (score, i);
        }
    }
    best.1
}
