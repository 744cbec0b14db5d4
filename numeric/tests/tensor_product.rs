//! Tensor products and linear layers: construction (golden, failures, properties) here;
//! exactness, equivariance, gradients, e3nn golden values and `Linear` in the submodules.

#[path = "tensor_product_backward.rs"]
mod backward;
#[path = "tensor_product_equivariance.rs"]
mod equivariance;
#[path = "tensor_product_exact.rs"]
mod exact;
#[path = "tensor_product_golden.rs"]
mod golden;
#[path = "tensor_product_linear.rs"]
mod linear;

use crate::common::config;
use proptest::prelude::*;
use racah_core::{Irrep, Irreps, MulIrrep, Parity};
use racah_numeric::{
    channel_wise_instructions, ConnectionMode, Instruction, IrrepNormalization, O3Element,
    PathNormalization, TensorProduct, TensorProductError, TensorProductOptions, Weights,
};
use rand::{Rng, SeedableRng};

pub fn ir(s: &str) -> Irreps {
    s.parse().unwrap()
}

pub fn rng(seed: u64) -> rand_chacha::ChaCha8Rng {
    rand_chacha::ChaCha8Rng::seed_from_u64(seed)
}

/// `n` values uniform in [−1, 1).
pub fn uniform(rng: &mut impl Rng, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| (rng.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0)
        .collect()
}

/// `n` integers in `-k..=k`.
pub fn small_ints(rng: &mut impl Rng, n: usize, k: i64) -> Vec<i64> {
    (0..n)
        .map(|_| (rng.next_u64() % (2 * k as u64 + 1)) as i64 - k)
        .collect()
}

pub fn to_f32(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&x| x as f32).collect()
}

/// `g` acting on every row of an irreps array: each channel of a term (l, p) is multiplied by
/// p^k D^l(R).
pub fn act(irreps: &Irreps, g: &O3Element, x: &[f64]) -> Vec<f64> {
    let dim = irreps.dim();
    let mut y = vec![0.0; x.len()];
    let mut off = 0;
    for t in irreps.iter() {
        let d = t.irrep.dim();
        let m = g.d_irrep::<f64>(t.irrep).unwrap();
        for row in 0..x.len() / dim.max(1) {
            for u in 0..t.mul {
                let base = row * dim + off + u * d;
                for i in 0..d {
                    y[base + i] = (0..d).map(|j| m[i * d + j] * x[base + j]).sum();
                }
            }
        }
        off += t.dim();
    }
    y
}

/// The largest number of products summed into one output component (the term count of the
/// tolerances): Σ over the paths into a term of (pairs per output channel) × (nonzero
/// coefficients with that output component).
pub fn max_terms<T: racah_numeric::Float>(tp: &TensorProduct<T>) -> usize {
    let mut per_out: Vec<Vec<usize>> = tp
        .irreps_out()
        .iter()
        .map(|t| vec![0; t.irrep.dim()])
        .collect();
    for (n, ins) in tp.instructions().iter().enumerate() {
        let (m1, m2) = (
            tp.irreps_in1()[ins.i_in1].mul,
            tp.irreps_in2()[ins.i_in2].mul,
        );
        let fan = ins.mode.fan_in(m1, m2);
        for c in tp.path_coefficients(n).unwrap() {
            per_out[ins.i_out][c.k as usize] += fan;
        }
    }
    per_out.into_iter().flatten().max().unwrap_or(0).max(1)
}

/// Random inputs and weights of a batch.
pub struct Batch {
    pub x1: Vec<f64>,
    pub x2: Vec<f64>,
    pub w: Vec<f64>,
}

pub fn batch_for<T: racah_numeric::Float>(
    tp: &TensorProduct<T>,
    batch: usize,
    per_sample: bool,
    seed: u64,
) -> Batch {
    let mut r = rng(seed);
    let nw = tp.weight_numel() * if per_sample { batch } else { 1 };
    Batch {
        x1: uniform(&mut r, batch * tp.dim_in1()),
        x2: uniform(&mut r, batch * tp.dim_in2()),
        w: uniform(&mut r, nw),
    }
}

pub fn weights<'a, T>(w: &'a [T], numel: usize, per_sample: bool) -> Weights<'a, T> {
    if numel == 0 {
        Weights::None
    } else if per_sample {
        Weights::PerSample(w)
    } else {
        Weights::Shared(w)
    }
}

/// A small tensor product exercising `mode`, built by construction: every (i1, i2, out) path
/// gets an output term whose multiplicity fits the mode; for `Uvw` and `Uuw` the paths into the
/// same irrep share one output term (several paths per term, as in a fully connected product).
pub fn mode_product(
    mode: ConnectionMode,
    terms1: &[(usize, u32, bool)],
    terms2: &[(usize, u32, bool)],
    weighted: bool,
    options: TensorProductOptions,
    path_weight: f64,
) -> Result<TensorProduct<f64>, TensorProductError> {
    let mk = |t: &[(usize, u32, bool)]| -> Irreps {
        t.iter()
            .map(|&(m, l, odd)| {
                MulIrrep::new(m, Irrep::l(l, if odd { Parity::Odd } else { Parity::Even }))
            })
            .collect()
    };
    let (a, b) = (mk(terms1), mk(terms2));
    let shared_out = matches!(mode, ConnectionMode::Uvw | ConnectionMode::Uuw) && weighted;
    let mut out: Vec<MulIrrep> = Vec::new();
    let mut instructions = Vec::new();
    let weighted = weighted || mode == ConnectionMode::Uvw;
    for (i1, t1) in a.iter().enumerate() {
        for (i2, t2) in b.iter().enumerate() {
            let uu = matches!(mode, ConnectionMode::Uuw | ConnectionMode::Uuu);
            if uu && t1.mul != t2.mul {
                continue;
            }
            for o in t1.irrep.tensor(t2.irrep) {
                let mul = match mode {
                    ConnectionMode::Uvw | ConnectionMode::Uuw if weighted => 3,
                    ConnectionMode::Uuw => 1,
                    ConnectionMode::Uvu | ConnectionMode::Uuu => t1.mul,
                    ConnectionMode::Uvv => t2.mul,
                    ConnectionMode::Uvuv => t1.mul * t2.mul,
                    ConnectionMode::Uvw => 3,
                };
                let i_out = match out.iter().position(|t| shared_out && t.irrep == o) {
                    Some(k) => k,
                    None => {
                        out.push(MulIrrep::new(mul, o));
                        out.len() - 1
                    }
                };
                let ins =
                    Instruction::new(i1, i2, i_out, mode, weighted).with_path_weight(path_weight);
                instructions.push(ins);
            }
        }
    }
    TensorProduct::new(&a, &b, &out.into(), instructions, options)
}

/// The configurations the exactness, equivariance and gradient tests sweep: every mode,
/// weighted and not, all normalisations, with terms up to l = 2 and repeated irreps.
pub fn sweep() -> Vec<(String, TensorProduct<f64>)> {
    let t1: &[(usize, u32, bool)] = &[(2, 0, false), (2, 1, true), (1, 2, false), (2, 1, false)];
    let t2: &[(usize, u32, bool)] = &[(2, 1, true), (1, 0, false), (2, 2, false)];
    let opts = [
        (IrrepNormalization::Component, PathNormalization::Element),
        (IrrepNormalization::Norm, PathNormalization::Path),
        (IrrepNormalization::None, PathNormalization::None),
    ];
    let mut v = Vec::new();
    for (n, mode) in ConnectionMode::ALL.into_iter().enumerate() {
        for weighted in [true, false] {
            if mode == ConnectionMode::Uvw && !weighted {
                continue;
            }
            let (irrep_normalization, path_normalization) = opts[(n + weighted as usize) % 3];
            let o = TensorProductOptions {
                irrep_normalization,
                path_normalization,
            };
            let pw = [1.0, 0.5, 3.0][n % 3];
            let tp = mode_product(mode, t1, t2, weighted, o, pw).unwrap();
            v.push((format!("{mode} weighted={weighted} {o:?} pw={pw}"), tp));
        }
    }
    let x = ir("8x0e + 8x1o + 4x2e");
    v.push((
        "fully_connected 8x".into(),
        TensorProduct::fully_connected(&x, &ir("0e + 1o + 2e"), &x).unwrap(),
    ));
    v.push((
        "channel_wise".into(),
        TensorProduct::channel_wise(
            &ir("4x0e + 3x1o + 2x2e"),
            &ir("0e + 1o + 2e"),
            &ir("0e + 1o + 1e + 2e"),
        )
        .unwrap(),
    ));
    v.push((
        "full".into(),
        TensorProduct::full(&ir("2x0e + 1o + 2e"), &ir("1o + 2x1e")).unwrap(),
    ));
    v.push((
        "elementwise".into(),
        TensorProduct::elementwise(&ir("2x0e + 2x1o + 2e"), &ir("1o + 1e + 2x1o + 2o")).unwrap(),
    ));
    v
}

// ------------------------------------------------------------------ construction: golden

#[test]
fn test_tensor_product_constructors() {
    // FullyConnectedTensorProduct("16x0e+16x1o+16x2e" x same -> same): 11 paths, (16,16,16)
    let x = ir("16x0e + 16x1o + 16x2e");
    let fc = TensorProduct::<f32>::fully_connected(&x, &x, &x).unwrap();
    let order: Vec<(usize, usize, usize)> = fc
        .instructions()
        .iter()
        .map(|i| (i.i_in1, i.i_in2, i.i_out))
        .collect();
    assert_eq!(
        order,
        [
            (0, 0, 0),
            (0, 1, 1),
            (0, 2, 2),
            (1, 0, 1),
            (1, 1, 0),
            (1, 1, 2),
            (1, 2, 1),
            (2, 0, 2),
            (2, 1, 1),
            (2, 2, 0),
            (2, 2, 2)
        ]
    );
    assert_eq!(fc.weight_numel(), 11 * 4096);
    assert_eq!(fc.weight_range(3), Some(3 * 4096..4 * 4096));
    assert_eq!(fc.weight_shape(3), Some(vec![16, 16, 16]));
    // e3nn: element normalisation of out 0e = 16·16·3 paths; α = 1/768
    assert_eq!(fc.path_normalization(4).unwrap().to_string(), "sqrt(3)/48");
    // FullTensorProduct("2x0e + 1o", "1o"): sorted output, uvuv, no weights
    let full = TensorProduct::<f64>::full(&ir("2x0e + 1o"), &ir("1o")).unwrap();
    assert_eq!(full.irreps_out().to_string(), "1x0e+2x1o+1x1e+1x2e");
    let ins: Vec<_> = full
        .instructions()
        .iter()
        .map(|i| (i.i_in1, i.i_in2, i.i_out, i.mode, i.has_weight))
        .collect();
    assert_eq!(
        ins,
        [
            (0, 0, 1, ConnectionMode::Uvuv, false),
            (1, 0, 0, ConnectionMode::Uvuv, false),
            (1, 0, 2, ConnectionMode::Uvuv, false),
            (1, 0, 3, ConnectionMode::Uvuv, false)
        ]
    );
    assert_eq!(full.weight_numel(), 0);
    // ElementwiseTensorProduct("5x1o + 5x1e", "10x1e") (e3nn's docstring example, unfiltered)
    let ew = TensorProduct::<f64>::elementwise(&ir("5x1o + 5x1e"), &ir("10x1e")).unwrap();
    assert_eq!(ew.irreps_in2().to_string(), "5x1e+5x1e");
    assert_eq!(ew.irreps_out().to_string(), "5x0o+5x1o+5x2o+5x0e+5x1e+5x2e");
    // MACE: 32x(0e+1o+2e) ⊗ (0e+1o+2e) filtered to 0e+1o+2e
    let cw = TensorProduct::<f64>::channel_wise(
        &ir("32x0e + 32x1o + 32x2e"),
        &ir("0e + 1o + 2e"),
        &ir("0e + 1o + 2e"),
    )
    .unwrap();
    assert_eq!(cw.weight_numel(), 11 * 32);
    assert!(cw
        .instructions()
        .iter()
        .all(|i| i.mode == ConnectionMode::Uvu && i.has_weight));
    assert_eq!(cw.dim_out(), 32 * (3 + 4 * 3 + 4 * 5));
    // channel-wise instructions remap outputs by the stable sort
    let (out, ins) = channel_wise_instructions(&ir("1o"), &ir("1o"), &ir("0e + 1e + 2e"));
    assert_eq!(out.to_string(), "1x0e+1x1e+1x2e");
    assert_eq!(ins.iter().map(|i| i.i_out).collect::<Vec<_>>(), [0, 1, 2]);
    // useful flops: 1x0e ⊗ 1x0e → 1x0e uvw: 3·1·1 + 2·1·1
    let tiny = TensorProduct::<f64>::fully_connected(&ir("0e"), &ir("0e"), &ir("0e")).unwrap();
    assert_eq!(tiny.flops_per_sample(), 5);
}

#[test]
fn test_tensor_product_normalisations() {
    // α for out term fed by two uvw paths (mul 2·3 = 6 and 4·3 = 12) and the irrep factors
    let a = ir("2x1o + 4x1o");
    let b = ir("3x1o");
    let out = ir("5x2e");
    let ins = vec![
        Instruction::new(0, 0, 0, ConnectionMode::Uvw, true),
        Instruction::new(1, 0, 0, ConnectionMode::Uvw, true).with_path_weight(0.5),
    ];
    let norm = |i, p| {
        let o = TensorProductOptions {
            irrep_normalization: i,
            path_normalization: p,
        };
        let tp = TensorProduct::<f64>::new(&a, &b, &out, ins.clone(), o).unwrap();
        (
            tp.path_normalization(0).unwrap().to_string(),
            tp.path_normalization(1).unwrap().to_string(),
        )
    };
    // component/element: 5/18 and 5/18·1/2
    assert_eq!(
        norm(IrrepNormalization::Component, PathNormalization::Element),
        ("sqrt(10)/6".into(), "sqrt(5)/6".into())
    );
    // norm/path: 9/(6·2) and 9/(12·2)·1/2
    assert_eq!(
        norm(IrrepNormalization::Norm, PathNormalization::Path),
        ("sqrt(3)/2".into(), "sqrt(3)/4".into())
    );
    // none/none: 1 and 1/2
    assert_eq!(
        norm(IrrepNormalization::None, PathNormalization::None),
        ("1".into(), "sqrt(2)/2".into())
    );
}

// ------------------------------------------------------------------ construction: failures

#[test]
fn tensor_product_rejects_bad_instructions() {
    let new = |a: &str, b: &str, o: &str, ins: Instruction| {
        TensorProduct::<f64>::new(
            &ir(a),
            &ir(b),
            &ir(o),
            vec![Instruction::new(0, 0, 0, ConnectionMode::Uvu, true), ins],
            Default::default(),
        )
        .unwrap_err()
    };
    let ok = Instruction::new(0, 0, 0, ConnectionMode::Uvu, true);
    let e = new("1o", "1o", "1e", Instruction { i_in2: 3, ..ok });
    assert_eq!(
        e,
        TensorProductError::IndexOutOfRange {
            instruction: 1,
            field: "i_in2",
            index: 3,
            len: 1
        }
    );
    assert_eq!(
        e.to_string(),
        "instruction 1: i_in2 = 3 is out of range (1 terms)"
    );
    // parity: 1o ⊗ 1o has no 1o; triangle: 1o ⊗ 1o has no 3e
    let e = new("1o", "1o", "1e + 1o", Instruction { i_out: 1, ..ok });
    assert_eq!(
        e.to_string(),
        "instruction 1: 1o is not in 1o ⊗ 1o (triangle or parity)"
    );
    assert!(matches!(
        new("1o", "1o", "1e + 3e", Instruction { i_out: 1, ..ok }),
        TensorProductError::Selection { instruction: 1, .. }
    ));
    // multiplicities per mode
    let cases = [
        (
            ConnectionMode::Uvu,
            "2x1o",
            "3x1o",
            "3x1e",
            "mul_out = mul1",
        ),
        (
            ConnectionMode::Uvv,
            "2x1o",
            "3x1o",
            "2x1e",
            "mul_out = mul2",
        ),
        (ConnectionMode::Uuw, "2x1o", "3x1o", "2x1e", "mul1 = mul2"),
        (
            ConnectionMode::Uuu,
            "2x1o",
            "2x1o",
            "3x1e",
            "mul1 = mul2 = mul_out",
        ),
        (
            ConnectionMode::Uvuv,
            "2x1o",
            "3x1o",
            "5x1e",
            "mul_out = mul1·mul2",
        ),
    ];
    for (mode, a, b, o, rule) in cases {
        let tp = TensorProduct::<f64>::new(
            &ir(a),
            &ir(b),
            &ir(o),
            vec![Instruction::new(0, 0, 0, mode, true)],
            Default::default(),
        );
        let e = tp.unwrap_err();
        assert!(
            matches!(e, TensorProductError::Multiplicity { instruction: 0, rule: r, .. } if r == rule),
            "{mode}: {e}"
        );
    }
    let e = TensorProduct::<f64>::new(
        &ir("2x1o"),
        &ir("2x1o"),
        &ir("2x1e"),
        vec![Instruction::new(0, 0, 0, ConnectionMode::Uuw, false)],
        Default::default(),
    )
    .unwrap_err();
    assert!(matches!(
        e,
        TensorProductError::Multiplicity {
            rule: "mul_out = 1 without weights",
            ..
        }
    ));
    // uvw without weights, bad path weights, half-integer spins
    let e = new(
        "1o",
        "1o",
        "1e",
        Instruction::new(0, 0, 0, ConnectionMode::Uvw, false),
    );
    assert_eq!(
        e,
        TensorProductError::MissingWeight {
            instruction: 1,
            mode: "uvw"
        }
    );
    for w in [-0.5, f64::NAN, f64::INFINITY, 1e200] {
        assert!(
            matches!(
                new("1o", "1o", "1e", ok.with_path_weight(w)),
                TensorProductError::PathWeight { instruction: 1, .. }
            ),
            "{w}"
        );
    }
    let e = TensorProduct::<f64>::full(&ir("1/2e"), &ir("1/2e")).unwrap_err();
    assert!(
        matches!(
            e,
            TensorProductError::HalfIntegerIrrep {
                which: "irreps_in1",
                term: 0,
                ..
            }
        ),
        "{e}"
    );
    let e = TensorProduct::<f64>::elementwise(&ir("2x1o"), &ir("3x1o")).unwrap_err();
    assert_eq!(
        e,
        TensorProductError::ElementwiseMismatch { num1: 2, num2: 3 }
    );
    assert!(matches!(
        "uvu<v".parse::<ConnectionMode>(),
        Err(TensorProductError::UnknownMode { .. })
    ));
}

#[test]
fn tensor_product_rejects_bad_shapes() {
    let tp = TensorProduct::<f64>::fully_connected(&ir("2x0e + 1o"), &ir("1o"), &ir("3x1o + 0e"))
        .unwrap();
    let (d1, d2, dout, nw) = (tp.dim_in1(), tp.dim_in2(), tp.dim_out(), tp.weight_numel());
    let (x1, x2, w) = (vec![0.5; 2 * d1], vec![0.5; 2 * d2], vec![0.5; nw]);
    let mut out = vec![0.0; 2 * dout];
    let shape = |what, expected, got| TensorProductError::ShapeMismatch {
        what,
        expected,
        got,
    };
    assert_eq!(
        tp.forward(&x1, &x2[1..], Weights::Shared(&w), &mut out),
        Err(shape("x2", 2 * d2, 2 * d2 - 1))
    );
    assert_eq!(
        tp.forward(&x1, &x2, Weights::Shared(&w), &mut out[1..]),
        Err(shape("out", 2 * dout, 2 * dout - 1))
    );
    assert_eq!(
        tp.forward(&x1, &x2, Weights::None, &mut out),
        Err(shape("weights", nw, 0))
    );
    assert_eq!(
        tp.forward(&x1, &x2, Weights::PerSample(&w), &mut out),
        Err(shape("weights", 2 * nw, nw))
    );
    assert_eq!(
        tp.forward(&x1[1..], &x2, Weights::Shared(&w), &mut out),
        Err(shape("x1", d1, 2 * d1 - 1))
    );
    let (mut g1, mut g2, mut gw) = (vec![0.0; 2 * d1], vec![0.0; 2 * d2], vec![0.0; nw]);
    assert_eq!(
        tp.backward(
            &x1,
            &x2,
            Weights::Shared(&w),
            &out,
            &mut g1[1..],
            &mut g2,
            &mut gw
        ),
        Err(shape("grad_x1", 2 * d1, 2 * d1 - 1))
    );
    assert_eq!(
        tp.backward(
            &x1,
            &x2,
            Weights::Shared(&w),
            &out,
            &mut g1,
            &mut g2,
            &mut gw[1..]
        ),
        Err(shape("grad_weights", nw, nw - 1))
    );
    assert_eq!(
        tp.backward(
            &x1,
            &x2,
            Weights::Shared(&w),
            &out[2..],
            &mut g1,
            &mut g2,
            &mut gw
        ),
        Err(shape("out", 2 * dout, 2 * dout - 2))
    );
    // nothing was written on error
    assert!(out.iter().all(|&v| v == 0.0));
    // an empty batch is fine
    assert_eq!(tp.forward(&[], &[], Weights::Shared(&w), &mut []), Ok(()));
}

// ------------------------------------------------------------------ construction: properties

fn term() -> impl Strategy<Value = (usize, u32, bool)> {
    (1usize..=3, 0u32..=2, any::<bool>())
}

proptest! {
    #![proptest_config(config(48))]

    /// For random irreps and every mode: the weight layout is contiguous in instruction order,
    /// every coefficient lies inside its irrep's range, a selection-rule-free product is
    /// bilinear, and batching (chunks, threads, GEMM) equals row-by-row evaluation.
    #[test]
    fn tensor_product_properties(
        t1 in prop::collection::vec(term(), 1..=3),
        t2 in prop::collection::vec(term(), 1..=3),
        mode_ix in 0usize..6,
        weighted in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let mode = ConnectionMode::ALL[mode_ix];
        let tp = mode_product(mode, &t1, &t2, weighted, Default::default(), 1.0).unwrap();
        let mut next = 0;
        for (n, ins) in tp.instructions().iter().enumerate() {
            if let Some(r) = tp.weight_range(n) {
                prop_assert_eq!(r.start, next);
                let shape = tp.weight_shape(n).unwrap();
                prop_assert_eq!(r.len(), shape.iter().product::<usize>());
                next = r.end;
            }
            let dims = [tp.irreps_in1()[ins.i_in1].irrep.dim(), tp.irreps_in2()[ins.i_in2].irrep.dim(), tp.irreps_out()[ins.i_out].irrep.dim()];
            for c in tp.path_coefficients(n).unwrap() {
                prop_assert!((c.i as usize) < dims[0] && (c.j as usize) < dims[1] && (c.k as usize) < dims[2]);
                prop_assert!(c.value != 0.0);
            }
        }
        prop_assert_eq!(next, tp.weight_numel());

        let batch = 37; // two chunks, the second partial
        let per_sample = seed % 2 == 0;
        let b = batch_for(&tp, batch, per_sample, seed);
        let wts = weights(&b.w, tp.weight_numel(), per_sample);
        let out = tp.apply(&b.x1, &b.x2, wts).unwrap();
        let scale = 4.0 * max_terms(&tp) as f64 * f64::EPSILON;
        // row by row
        for row in [0, 17, 36] {
            let wr = if per_sample { weights(&b.w[row * tp.weight_numel()..(row + 1) * tp.weight_numel()], tp.weight_numel(), false) } else { wts };
            let one = tp.apply(&b.x1[row * tp.dim_in1()..(row + 1) * tp.dim_in1()], &b.x2[row * tp.dim_in2()..(row + 1) * tp.dim_in2()], wr).unwrap();
            let err = racah_numeric::Tolerance::max_abs_diff(&one, &out[row * tp.dim_out()..(row + 1) * tp.dim_out()]);
            prop_assert!(err <= scale, "row {}: {:e}", row, err);
        }
        // linear in x1: f(2·x1 − x1') = 2 f(x1) − f(x1')
        let mut r = rng(seed ^ 1);
        let x1b = uniform(&mut r, b.x1.len());
        let comb: Vec<f64> = b.x1.iter().zip(&x1b).map(|(a, c)| 2.0 * a - c).collect();
        let lhs = tp.apply(&comb, &b.x2, wts).unwrap();
        let o2 = tp.apply(&x1b, &b.x2, wts).unwrap();
        let rhs: Vec<f64> = out.iter().zip(&o2).map(|(a, c)| 2.0 * a - c).collect();
        let err = racah_numeric::Tolerance::max_abs_diff(&lhs, &rhs);
        prop_assert!(err <= 4.0 * scale, "bilinearity {:e}", err);
    }
}
