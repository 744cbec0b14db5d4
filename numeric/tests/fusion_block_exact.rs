//! Fusion blocks against the exact side and under symmetry: every path on small-integer inputs
//! against an exact `SqrtSum` evaluation of its tree, O(3) equivariance, and permutation
//! invariance of the neighbourhood form A = Σ_j φ_j.
//!
//! Error bound used throughout. A coupling `C: V_a ⊗ V_b → V_k` has Frobenius norm 1, so
//! |C(u, v)| ≤ ‖u‖‖v‖ and a body-order-k path satisfies |Tree_p(x)| ≤ ‖x_c‖^k (‖x_c‖ the norm of
//! the channel's whole feature). Each coupling output sums at most `n ≤ d²` products
//! (d = 2l_max+1 ≤ 5 here, intermediates ≤ 2·l_max) of three rounded factors, so per level the
//! relative error is ≤ (n + 3)·eps; over ν levels and the weighted sum over paths the error of an
//! output component is ≤ eps · ν · (d_int² + 3) · S, with S = Σ_p |w_{p,c}| · max(1, ‖x_c‖)^k_p.
//! The tests allow K = 2 · ν · (d_int² + 3) + 2·l_out + 1 (the last term for the Wigner D
//! product) units of eps · S.

use super::fusion_block::{block, cast, irreps, small_ints, uniform};
use crate::common::{config, rng};
use proptest::prelude::*;
use racah_exact::{real_cg, SqrtRational, SqrtSum};
use racah_numeric::{Float, FusionBlock, FusionPath, IrrepsArray, LeafOrder, O3Element, Tolerance};

/// The exact value of `Tree_p(x, …, x)` for one channel with integer entries (`x` per input
/// term, component-major).
fn exact_path(path: &FusionPath, x: &[Vec<i64>]) -> Vec<SqrtSum> {
    let int = |v: i64| SqrtSum::from(SqrtRational::rational(v, 1));
    let t0 = path.leaf_terms()[0];
    let mut cur: Vec<SqrtSum> = x[t0].iter().map(|&v| int(v)).collect();
    let mut l_cur = path.leaves()[0].as_l().unwrap();
    let k = path.body_order();
    for i in 1..k {
        let leaf = path.leaves()[i].as_l().unwrap();
        let j = if i + 1 == k {
            path.output()
        } else {
            path.internal()[i - 1]
        };
        let lj = j.as_l().unwrap();
        let c = real_cg(l_cur, leaf, lj).unwrap();
        let mut next = vec![SqrtSum::from(SqrtRational::rational(0, 1)); 2 * lj as usize + 1];
        for (a, b, kk, v) in c.nonzeros() {
            let xb = x[path.leaf_terms()[i]][b];
            if xb == 0 || cur[a].is_zero() {
                continue;
            }
            let term = &cur[a] * &(v * &SqrtRational::rational(xb, 1));
            next[kk] += &term;
        }
        cur = next;
        l_cur = lj;
    }
    cur
}

fn exact_vs_numeric<T: Float>(spec: &str, nu: usize, order: LeafOrder, seed: u64) -> f64 {
    let b = block::<T>(spec, nu, spec, order, false);
    let mut r = rng(seed);
    let ch = b.channels();
    let dims: Vec<usize> = b.irreps_in().iter().map(|t| t.irrep.dim()).collect();
    let dint = 2 * 2 * b.irreps_in().lmax().unwrap().twice() as usize / 2 + 1;
    let k_units = 2.0 * nu as f64 * ((dint * dint) as f64 + 3.0);
    let raw = small_ints(&mut r, b.irreps_in().dim(), 3);
    let x = IrrepsArray::new(
        b.irreps_in().clone(),
        1,
        raw.iter().map(|&v| T::from_f64(v as f64)).collect(),
    )
    .unwrap();
    let slices = b.irreps_in().slices();
    let mut worst: f64 = 0.0;
    for c in 0..ch {
        let per_term: Vec<Vec<i64>> = slices
            .iter()
            .zip(&dims)
            .map(|(s, &d)| raw[s.start + c * d..s.start + (c + 1) * d].to_vec())
            .collect();
        let norm = per_term
            .iter()
            .flatten()
            .map(|&v| (v * v) as f64)
            .sum::<f64>()
            .sqrt();
        let got = b.path_values(&x, 0, c).unwrap();
        for (p, g) in b.paths().iter().zip(&got) {
            let want = exact_path(p, &per_term);
            let scale = norm.max(1.0).powi(p.body_order() as i32);
            for (w, g) in want.iter().zip(g) {
                // the exact value, correctly rounded, compared in f64
                let err = (w.to_f64() - g.to_f64()).abs();
                let units = err / (T::EPSILON.to_f64() * scale);
                assert!(units <= k_units, "{p}: {} vs {g}, {units} eps", w.to_f64());
                worst = worst.max(units);
            }
        }
    }
    worst
}

#[test]
fn test_fusion_block_exact_paths() {
    let mut worst = 0.0f64;
    for (spec, nu, order) in [
        ("2x0e+2x1o+2x2e", 3, LeafOrder::All),
        ("1x1o+1x2e", 4, LeafOrder::Sorted),
        ("2x0e+2x1o+2x1e", 3, LeafOrder::All),
    ] {
        worst = worst.max(exact_vs_numeric::<f64>(spec, nu, order, 11));
        worst = worst.max(exact_vs_numeric::<f32>(spec, nu, order, 12));
    }
    eprintln!("fusion block vs exact: worst {worst:.3} eps · ‖x‖^k");
    // far inside the stated bound; it still catches any wrong coefficient or sign
    assert!(worst < 4.0, "worst {worst} eps");
}

/// max over rows, channels and components of |a − b| / (eps · S_row,c), S as in the module doc.
fn equivariance_units<T: Float>(b: &FusionBlock<T>, g: &O3Element, seed: u64) -> f64 {
    let batch = 4;
    let mut r = rng(seed);
    let x = IrrepsArray::new(
        b.irreps_in().clone(),
        batch,
        cast::<T>(&uniform(&mut r, batch * b.irreps_in().dim())),
    )
    .unwrap();
    let w = cast::<T>(&uniform(&mut r, b.weight_numel()));
    let lhs = b.forward(&x, &w).unwrap().transformed(g).unwrap();
    let rhs = b.forward(&x.transformed(g).unwrap(), &w).unwrap();
    scaled_error(b, &x, &w, lhs.data(), rhs.data())
}

fn scaled_error<T: Float>(
    b: &FusionBlock<T>,
    x: &IrrepsArray<T>,
    w: &[T],
    lhs: &[T],
    rhs: &[T],
) -> f64 {
    let ch = b.channels();
    let in_slices = b.irreps_in().slices();
    let out_slices = b.irreps_out().slices();
    let mut worst: f64 = 0.0;
    for row in 0..x.batch() {
        for c in 0..ch {
            let norm = b
                .irreps_in()
                .iter()
                .zip(&in_slices)
                .map(|(t, s)| {
                    let d = t.irrep.dim();
                    x.row(row)[s.start + c * d..s.start + (c + 1) * d]
                        .iter()
                        .map(|v| v.to_f64() * v.to_f64())
                        .sum::<f64>()
                })
                .sum::<f64>()
                .sqrt();
            let s: f64 = b
                .paths()
                .iter()
                .enumerate()
                .map(|(p, path)| {
                    w[p * ch + c].to_f64().abs() * norm.max(1.0).powi(path.body_order() as i32)
                })
                .sum::<f64>()
                .max(1.0);
            for (t, sl) in b.irreps_out().iter().zip(&out_slices) {
                let d = t.irrep.dim();
                let off = row * b.irreps_out().dim() + sl.start + c * d;
                for k in off..off + d {
                    let err = (lhs[k].to_f64() - rhs[k].to_f64()).abs();
                    worst = worst.max(Tolerance::in_eps::<T>(err) / s);
                }
            }
        }
    }
    worst
}

fn allowed(nu: usize, lmax: usize) -> f64 {
    let dint = 4 * lmax + 1;
    2.0 * nu as f64 * ((dint * dint) as f64 + 3.0) + (2 * 2 * lmax + 1) as f64
}

#[test]
fn fusion_block_is_equivariant() {
    let spec = "3x0e+3x1o+3x2e";
    let out = "3x0e+3x0o+3x1o+3x1e+3x2e+3x3o";
    let b64 = block::<f64>(spec, 3, out, LeafOrder::All, false);
    let b32 = block::<f32>(spec, 3, out, LeafOrder::Sorted, true);
    let sc =
        FusionBlock::<f64>::mace_symmetric_contraction(&irreps(spec), &irreps(spec), 3, 1).unwrap();
    let mut r = rng(21);
    for s in 0..6 {
        let g = O3Element::random(&mut r);
        let e64 = equivariance_units(&b64, &g, s);
        let e32 = equivariance_units(&b32, &g, s);
        let esc = equivariance_units(&sc, &g, s);
        eprintln!("equivariance: f64 {e64:.3}, f32 {e32:.3}, mace {esc:.3} eps·S");
        for e in [e64, e32, esc] {
            assert!(e <= allowed(3, 2), "{e} eps (allowed {})", allowed(3, 2));
        }
    }
}

/// A = Σ_j φ_j summed in two neighbour orders. With integer φ both sums are exact, so B is
/// bit-identical. With real φ, |ΔA| ≤ (n−1)·eps·Σ_j|φ_j| per component, and B, a polynomial
/// of degree ≤ ν with the operator-norm bound above, moves by at most
/// ν·(n−1)·eps·S (S evaluated at ‖Σ_j|φ_j|‖) plus twice the evaluation error.
#[test]
fn fusion_block_is_permutation_invariant() {
    let spec = "2x0e+2x1o+2x2e";
    let b = block::<f64>(spec, 3, spec, LeafOrder::Sorted, true);
    let dim = b.irreps_in().dim();
    let n = 7;
    let mut r = rng(31);
    let w = uniform(&mut r, b.weight_numel());
    let perm = [3, 6, 0, 5, 1, 4, 2];
    let sum = |phi: &[Vec<f64>], order: &[usize]| {
        let mut a = vec![0.0; dim];
        for &j in order {
            a.iter_mut().zip(&phi[j]).for_each(|(a, p)| *a += p);
        }
        IrrepsArray::new(irreps(spec), 1, a).unwrap()
    };
    let id: Vec<usize> = (0..n).collect();
    // integers: exact sums, identical B
    let phi: Vec<Vec<f64>> = (0..n)
        .map(|_| {
            small_ints(&mut r, dim, 2)
                .iter()
                .map(|&v| v as f64)
                .collect()
        })
        .collect();
    let b1 = b.forward(&sum(&phi, &id), &w).unwrap();
    let b2 = b.forward(&sum(&phi, &perm), &w).unwrap();
    assert_eq!(b1.data(), b2.data());
    // reals: within the stated bound
    let phi: Vec<Vec<f64>> = (0..n).map(|_| uniform(&mut r, dim)).collect();
    let a1 = sum(&phi, &id);
    let b1 = b.forward(&a1, &w).unwrap();
    let b2 = b.forward(&sum(&phi, &perm), &w).unwrap();
    let abs: Vec<f64> = (0..dim)
        .map(|i| phi.iter().map(|p| p[i].abs()).sum())
        .collect();
    let abs = IrrepsArray::new(irreps(spec), 1, abs).unwrap();
    let units = scaled_error(&b, &abs, &w, b1.data(), b2.data());
    let bound = 3.0 * (n - 1) as f64 + 2.0 * allowed(3, 2);
    eprintln!("permutation: {units:.3} eps·S (bound {bound})");
    assert!(units <= bound, "{units} eps > {bound}");
}

proptest! {
    #![proptest_config(config(16))]

    /// Equivariance for random O(3) elements, body orders and leaf orders, in f64 and f32.
    #[test]
    fn fusion_block_equivariance_properties(
        seed in any::<u64>(), g in crate::common::o3_element(), nu in 1usize..=3, pars: bool
    ) {
        let spec = "2x0e+2x1o+2x2e";
        let out = "2x0e+2x0o+2x1o+2x1e+2x2e+2x2o";
        let b = block::<f64>(spec, nu, out, LeafOrder::Sorted, pars);
        prop_assert!(equivariance_units(&b, &g, seed) <= allowed(nu, 2));
        let b = block::<f32>(spec, nu, out, LeafOrder::All, pars);
        prop_assert!(equivariance_units(&b, &g, seed) <= allowed(nu, 2));
    }
}
