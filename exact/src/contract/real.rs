//! The complex → real (e3nn) change of basis on the open legs of a contracted tensor.
//!
//! ```text
//! T_real[r…] = Σ_m Π_inputs Q_l[m_i, r_i] · Π_outputs conj(Q_l[m_o, r_o]) · T[m…]
//! ```
//!
//! Every entry of Q_l = (−i)^l q is ±(1/√2)^h · i^k with h ∈ {0, 1}, so the sum is kept as a
//! pair of exact real parts (re, im) without a complex number type. Internal edges need no
//! change of basis: Q_l is unitary, so Σ_r conj(Q[m, r]) Q[m', r] = δ_mm'.

use crate::contract::acc::Acc;
use std::collections::BTreeMap;

/// One nonzero entry of a row of Q_l: the real index, its sign, whether it carries 1/√2, and
/// the power of i.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct QEntry {
    pub(crate) real: usize,
    pub(crate) negative: bool,
    pub(crate) half: bool,
    pub(crate) ipow: u32,
}

/// The nonzero entries of row `m` (complex index `l + m`) of Q_l, conjugated for outputs.
pub(crate) fn q_row(l: u32, complex: usize, conjugate: bool) -> Vec<QEntry> {
    let l_us = l as usize;
    let m = complex as i64 - l as i64;
    let a = m.unsigned_abs() as usize;
    // (−i)^l = i^(3l)
    let phase = (3 * l) % 4;
    let odd = m.rem_euclid(2) == 1;
    let mut row = if m == 0 {
        vec![QEntry {
            real: l_us,
            negative: false,
            half: false,
            ipow: 0,
        }]
    } else if m < 0 {
        // q[l+m, l+|m|] = 1/√2, q[l+m, l−|m|] = −i/√2
        vec![
            QEntry {
                real: l_us + a,
                negative: false,
                half: true,
                ipow: 0,
            },
            QEntry {
                real: l_us - a,
                negative: true,
                half: true,
                ipow: 1,
            },
        ]
    } else {
        // q[l+m, l+m] = (−1)^m/√2, q[l+m, l−m] = i(−1)^m/√2
        vec![
            QEntry {
                real: l_us + a,
                negative: odd,
                half: true,
                ipow: 0,
            },
            QEntry {
                real: l_us - a,
                negative: odd,
                half: true,
                ipow: 1,
            },
        ]
    };
    for e in &mut row {
        e.ipow = (e.ipow + phase) % 4;
        if conjugate {
            e.ipow = (4 - e.ipow) % 4;
        }
    }
    row
}

/// The real-basis tensor from the complex one. `legs[i] = (l, is_output)`.
///
/// Returns the real part; the imaginary part vanishes because every real-basis coupling
/// tensor is real (checked in debug builds).
pub(crate) fn to_real(
    complex: &BTreeMap<Vec<usize>, Acc>,
    legs: &[(u32, bool)],
) -> BTreeMap<Vec<usize>, Acc> {
    let rows: Vec<Vec<Vec<QEntry>>> = legs
        .iter()
        .map(|&(l, out)| (0..=2 * l as usize).map(|c| q_row(l, c, out)).collect())
        .collect();
    let mut acc: BTreeMap<Vec<usize>, [Acc; 2]> = BTreeMap::new();
    for (idx, val) in complex {
        let choices: Vec<&Vec<QEntry>> = idx.iter().zip(&rows).map(|(&c, r)| &r[c]).collect();
        let mut counter = vec![0usize; choices.len()];
        loop {
            let mut real = Vec::with_capacity(idx.len());
            let (mut negative, mut halves, mut ipow) = (false, 0u32, 0u32);
            for (c, row) in counter.iter().zip(&choices) {
                let e = row[*c];
                real.push(e.real);
                negative ^= e.negative;
                halves += e.half as u32;
                ipow += e.ipow;
            }
            // i^k: 0 → re, 1 → im, 2 → −re, 3 → −im
            let part = (ipow % 2) as usize;
            negative ^= ipow % 4 >= 2;
            acc.entry(real).or_default()[part].add_scaled_sqrt2(val, negative, halves);
            let mut advanced = false;
            for (c, row) in counter.iter_mut().zip(&choices) {
                *c += 1;
                if *c < row.len() {
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
    acc.into_iter()
        .filter_map(|(k, [re, im])| {
            debug_assert!(im.is_zero(), "imaginary part at {k:?} in the real basis");
            (!re.is_zero()).then_some((k, re))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_is_unitary_in_structure() {
        // every real index is hit by exactly the rows m = ±μ
        for l in 0..=4u32 {
            let mut hits = vec![0; 2 * l as usize + 1];
            for c in 0..=2 * l as usize {
                for e in q_row(l, c, false) {
                    hits[e.real] += 1;
                }
            }
            let want: Vec<i32> = (0..=2 * l as i64)
                .map(|r| if r == l as i64 { 1 } else { 2 })
                .collect();
            assert_eq!(hits, want, "l = {l}");
        }
        // l = 1: Q = −i q; row m = 1: q = (−1/√2 at x, −i/√2 at y... ) → entries at real 2 and 0
        let r = q_row(1, 2, false);
        assert_eq!(r[0].real, 2);
        assert_eq!(r[1].real, 0);
    }
}
