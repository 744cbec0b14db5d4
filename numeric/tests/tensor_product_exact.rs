//! Every plan coefficient is the exact `C·√α` rounded once, and outputs on integer inputs agree
//! with an exact evaluation in Q(√2, √3, …).

use super::{ir, max_terms, mode_product, rng, small_ints, sweep};
use racah_exact::{real_cg, SqrtRational, SqrtSum};
use racah_numeric::{
    ConnectionMode, Float, Instruction, IrrepNormalization, PathNormalization, TensorProduct,
    TensorProductOptions, Tolerance, Weights,
};

/// √α from e3nn's formula, recomputed here independently of the library (exact rationals).
fn expected_norm<T: Float>(tp: &TensorProduct<T>, n: usize) -> SqrtRational {
    let ins = tp.instructions()[n];
    let (a, b, o) = (tp.irreps_in1(), tp.irreps_in2(), tp.irreps_out());
    let fan = |i: &Instruction| -> u64 {
        let (m1, m2) = (a[i.i_in1].mul as u64, b[i.i_in2].mul as u64);
        match i.mode {
            ConnectionMode::Uvw => m1 * m2,
            ConnectionMode::Uvu => m2,
            ConnectionMode::Uvv | ConnectionMode::Uuw => m1,
            ConnectionMode::Uuu | ConnectionMode::Uvuv => 1,
        }
    };
    let (d1, d2, dout) = (
        a[ins.i_in1].irrep.dim() as u64,
        b[ins.i_in2].irrep.dim() as u64,
        o[ins.i_out].irrep.dim() as u64,
    );
    let opts = tp.options();
    let num = match opts.irrep_normalization {
        IrrepNormalization::Component => dout,
        IrrepNormalization::Norm => d1 * d2,
        IrrepNormalization::None => 1,
    };
    let same: Vec<&Instruction> = tp
        .instructions()
        .iter()
        .filter(|i| i.i_out == ins.i_out)
        .collect();
    let den = match opts.path_normalization {
        PathNormalization::Element => same.iter().map(|i| fan(i)).sum(),
        PathNormalization::Path => fan(&ins) * same.len() as u64,
        PathNormalization::None => 1,
    };
    // the sweep's path weights are 1, 1/2, 3, 1/8
    let pw = ins.path_weight;
    let (pn, pd) = [(1, 1), (1, 2), (3, 1), (1, 8)]
        .into_iter()
        .find(|&(p, q)| p as f64 / q as f64 == pw)
        .expect("sweep path weight");
    SqrtRational::sqrt_of_ratio(num * pn, den.max(1) * pd).unwrap()
}

fn check_coefficients<T: Float>(
    name: &str,
    tp: &TensorProduct<T>,
    round: impl Fn(&SqrtRational) -> T,
) -> usize {
    let mut checked = 0;
    for (n, ins) in tp.instructions().iter().enumerate() {
        let norm = expected_norm(tp, n);
        assert_eq!(
            tp.path_normalization(n),
            Some(&norm),
            "{name}: √α of instruction {n}"
        );
        let l = |irreps: &racah_core::Irreps, i: usize| irreps[i].irrep.as_l().unwrap();
        let cg = real_cg(
            l(tp.irreps_in1(), ins.i_in1),
            l(tp.irreps_in2(), ins.i_in2),
            l(tp.irreps_out(), ins.i_out),
        )
        .unwrap();
        let got = tp.path_coefficients(n).unwrap();
        let mut want: Vec<(u32, u32, u32, T)> = cg
            .nonzeros()
            .filter(|_| !norm.is_zero())
            .map(|(i, j, k, c)| (i as u32, j as u32, k as u32, round(&(c * &norm))))
            .collect();
        want.sort_by_key(|w| (w.2, w.0, w.1));
        assert_eq!(got.len(), want.len(), "{name}: instruction {n}");
        for (g, w) in got.iter().zip(&want) {
            // exact identity: the rounded exact product, compared with ==
            assert_eq!((g.i, g.j, g.k, g.value), *w, "{name}: instruction {n}");
        }
        checked += got.len();
    }
    checked
}

#[test]
fn coefficients_are_rounded_exact_products() {
    let mut total = 0;
    for (name, tp) in sweep() {
        total += check_coefficients(&name, &tp, SqrtRational::to_f64);
    }
    // the f32 plans round directly from the exact value (not through f64)
    let t: &[(usize, u32, bool)] = &[(2, 1, true), (1, 2, false), (1, 3, true)];
    for (pw, mode) in [
        (1.0, ConnectionMode::Uvw),
        (0.125, ConnectionMode::Uvuv),
        (3.0, ConnectionMode::Uuu),
    ] {
        let o = TensorProductOptions {
            irrep_normalization: IrrepNormalization::Norm,
            path_normalization: PathNormalization::Element,
        };
        let tp64 = mode_product(mode, t, t, true, o, pw).unwrap();
        let tp = TensorProduct::<f32>::new(
            tp64.irreps_in1(),
            tp64.irreps_in2(),
            tp64.irreps_out(),
            tp64.instructions().to_vec(),
            o,
        )
        .unwrap();
        total += check_coefficients("f32", &tp, SqrtRational::to_f32);
    }
    assert!(total > 1000, "only {total} coefficients checked");
}

/// The exact output of a product on integer inputs and weights, as `SqrtSum`s, and for each
/// output component the number of terms and Σ|term| (for the rounding bound).
fn exact_output(
    tp: &TensorProduct<f64>,
    x1: &[i64],
    x2: &[i64],
    w: &[i64],
) -> Vec<(SqrtSum, usize, f64)> {
    let mut out: Vec<(SqrtSum, usize, f64)> = vec![(SqrtSum::zero(), 0, 0.0); tp.dim_out()];
    let off = |irreps: &racah_core::Irreps| irreps.offsets();
    let (o1, o2, oo) = (
        off(tp.irreps_in1()),
        off(tp.irreps_in2()),
        off(tp.irreps_out()),
    );
    for (n, ins) in tp.instructions().iter().enumerate() {
        let (t1, t2, to) = (
            tp.irreps_in1()[ins.i_in1],
            tp.irreps_in2()[ins.i_in2],
            tp.irreps_out()[ins.i_out],
        );
        let (m1, m2, mo) = (t1.mul, t2.mul, to.mul);
        let (d1, d2, dout) = (t1.irrep.dim(), t2.irrep.dim(), to.irrep.dim());
        let l = [t1, t2, to].map(|t| t.irrep.as_l().unwrap());
        let cg = real_cg(l[0], l[1], l[2]).unwrap();
        let norm = tp.path_normalization(n).unwrap();
        let wr = tp.weight_range(n);
        // (u, v, w, weight index) of every connection
        let mut conns = Vec::new();
        for u in 0..m1 {
            for v in 0..m2 {
                let (uv, ww): (usize, Vec<usize>) = match ins.mode {
                    ConnectionMode::Uvw => (u * m2 + v, (0..mo).collect()),
                    ConnectionMode::Uvu => (u * m2 + v, vec![u]),
                    ConnectionMode::Uvv => (u * m2 + v, vec![v]),
                    ConnectionMode::Uvuv => (u * m2 + v, vec![u * m2 + v]),
                    ConnectionMode::Uuw if u == v => (u, (0..mo).collect()),
                    ConnectionMode::Uuu if u == v => (u, vec![u]),
                    _ => continue,
                };
                for wo in ww {
                    let widx = match ins.mode {
                        ConnectionMode::Uvw => uv * mo + wo,
                        ConnectionMode::Uuw => u * mo + wo,
                        _ => uv,
                    };
                    conns.push((u, v, wo, widx));
                }
            }
        }
        for (u, v, wo, widx) in conns {
            let wv = wr.clone().map_or(1, |r| w[r.start + widx]);
            for (i, j, k, c) in cg.nonzeros() {
                let prod = wv * x1[o1[ins.i_in1] + u * d1 + i] * x2[o2[ins.i_in2] + v * d2 + j];
                let term = &(c * norm) * &SqrtRational::rational(prod, 1);
                let slot = &mut out[oo[ins.i_out] + wo * dout + k];
                slot.2 += term.to_f64().abs();
                slot.0 += &term;
                slot.1 += 1;
            }
        }
    }
    out
}

#[test]
fn output_matches_exact_evaluation_on_integer_inputs() {
    let mut worst_units: f64 = 0.0;
    for (name, tp) in sweep()
        .into_iter()
        .filter(|(n, _)| !n.starts_with("fully_connected"))
    {
        let mut r = rng(name.len() as u64);
        let (x1, x2, w) = (
            small_ints(&mut r, tp.dim_in1(), 3),
            small_ints(&mut r, tp.dim_in2(), 3),
            small_ints(&mut r, tp.weight_numel(), 3),
        );
        let f = |v: &[i64]| v.iter().map(|&x| x as f64).collect::<Vec<f64>>();
        let wf = f(&w);
        let wts = if tp.weight_numel() > 0 {
            Weights::Shared(&wf[..])
        } else {
            Weights::None
        };
        let out = tp.apply(&f(&x1), &f(&x2), wts).unwrap();
        let exact = exact_output(&tp, &x1, &x2, &w);
        for (k, ((e, n_terms, abs_sum), &got)) in exact.iter().zip(&out).enumerate() {
            // each term: coefficient rounded once (½ ulp) and two exact-integer products; the
            // sum of n terms adds ≤ n roundings of the running sum ≤ Σ|t|: (n + 2) eps Σ|t|
            let bound = (*n_terms as f64 + 2.0) * f64::EPSILON * abs_sum;
            let err = (got - e.to_f64()).abs();
            assert!(
                err <= bound.max(f64::MIN_POSITIVE),
                "{name}: out[{k}] = {got}, exact {e} ({n_terms} terms)"
            );
            if *abs_sum > 0.0 {
                worst_units = worst_units.max(err / (f64::EPSILON * abs_sum));
            }
        }
        // the f32 kernel against the same exact values, with f32's epsilon
        let tp32 = TensorProduct::<f32>::new(
            tp.irreps_in1(),
            tp.irreps_in2(),
            tp.irreps_out(),
            tp.instructions().to_vec(),
            tp.options(),
        )
        .unwrap();
        let g = |v: &[i64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
        let w32 = g(&w);
        let wts = if tp.weight_numel() > 0 {
            Weights::Shared(&w32[..])
        } else {
            Weights::None
        };
        let out32 = tp32.apply(&g(&x1), &g(&x2), wts).unwrap();
        for ((e, n_terms, abs_sum), &got) in exact.iter().zip(&out32) {
            let tol = Tolerance::scaled::<f32>(*n_terms as f64 + 2.0);
            assert!(
                tol.allows(f64::from(got) - e.to_f64(), *abs_sum),
                "{name} f32: {got} vs {e}"
            );
        }
    }
    // the observed error is far below the bound (usually ≤ 1 eps·Σ|t|)
    assert!(worst_units < 4.0, "worst error {worst_units} eps·Σ|t|");
}

#[test]
fn gemm_path_matches_exact_evaluation() {
    // 8x… ⊗ … → 8x…: Uvw paths with mul1·mul2 ≥ 6 and mul_out ≥ 6 run as matrix products
    let (name, tp) = sweep()
        .into_iter()
        .find(|(n, _)| n.starts_with("fully_connected"))
        .unwrap();
    let mut r = rng(99);
    let (x1, x2, w) = (
        small_ints(&mut r, tp.dim_in1(), 2),
        small_ints(&mut r, tp.dim_in2(), 2),
        small_ints(&mut r, tp.weight_numel(), 2),
    );
    let f = |v: &[i64]| v.iter().map(|&x| x as f64).collect::<Vec<f64>>();
    let wf = f(&w);
    let out = tp.apply(&f(&x1), &f(&x2), Weights::Shared(&wf)).unwrap();
    let exact = exact_output(&tp, &x1, &x2, &w);
    assert!(max_terms(&tp) >= 64);
    for ((e, n_terms, abs_sum), &got) in exact.iter().zip(&out) {
        let bound = (*n_terms as f64 + 2.0) * f64::EPSILON * abs_sum;
        assert!((got - e.to_f64()).abs() <= bound, "{name}: {got} vs {e}");
    }
    // a zero path weight gives a zero path, exactly
    let ins = vec![Instruction::new(0, 0, 0, ConnectionMode::Uvu, true).with_path_weight(0.0)];
    let z = TensorProduct::<f64>::new(&ir("2x1o"), &ir("1o"), &ir("2x1e"), ins, Default::default())
        .unwrap();
    assert!(z.path_coefficients(0).unwrap().is_empty());
    assert_eq!(
        z.apply(&[1.0; 6], &[1.0; 3], Weights::Shared(&[1.0, 1.0]))
            .unwrap(),
        vec![0.0; 6]
    );
}
