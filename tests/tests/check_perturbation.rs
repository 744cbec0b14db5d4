//! `racah check` (racah_proofs::diagnosis): a table with one entry perturbed by 1 ulp, 1e-12
//! and 1e-6 is reported with that entry as its worst case, passes or fails accordingly, and is
//! diagnosed as "racah's convention, inaccurate" (1e-12) or "wrong" (1e-6).

use proptest::prelude::*;
use racah_exact::{real_cg, Cg};
use racah_numeric::{
    ConnectionMode, Rotation, ShNormalization, SphericalHarmonics, TensorProduct,
    TensorProductOptions, Weights, WignerD,
};
use racah_proofs::diagnosis::{
    check, CheckOptions, Dtype, RealCgBlock, RealCgTable, Rotations, ShTable, SymbolKind,
    SymbolTable, Table, TpData, TpSpec, TpTable, Verdict, WignerDTable,
};

/// Doubled CG arguments with 2j ≤ n and their correctly rounded values.
fn cg_rows(n: i64) -> (Vec<Vec<i64>>, Vec<f64>) {
    let mut rows = Vec::new();
    for a in 0..=n {
        for b in 0..=n {
            for c in (a - b).abs()..=(a + b).min(n) {
                if (a + b + c) % 2 != 0 {
                    continue;
                }
                for ma in (-a..=a).step_by(2) {
                    for mb in (-b..=b).step_by(2) {
                        if (ma + mb).abs() <= c {
                            rows.push(vec![a, ma, b, mb, c, ma + mb]);
                        }
                    }
                }
            }
        }
    }
    let values = rows
        .iter()
        .map(|t| {
            Cg::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])
                .unwrap()
                .value_f64()
        })
        .collect();
    (rows, values)
}

#[derive(Debug, Clone, Copy)]
enum Perturbation {
    Ulps(u64),
    Abs(f64),
}

fn perturb(values: &mut [f64], k: usize, p: Perturbation) {
    values[k] = match p {
        Perturbation::Ulps(u) if values[k] >= 0.0 => f64::from_bits(values[k].to_bits() + u),
        Perturbation::Ulps(u) => f64::from_bits(values[k].to_bits() - u),
        Perturbation::Abs(d) => values[k] + d,
    };
}

/// Checks the report of a table whose only imperfect entry is `k`, perturbed by `p`.
fn assert_reported(table: &dyn Table, k: usize, p: Perturbation) {
    let report = check(table, &CheckOptions::default()).unwrap();
    let c = &report.comparison;
    assert_eq!(c.worst[0].index, k, "{report}");
    assert!(c.worst[0].arguments.contains(&table.label(k)), "{report}");
    match p {
        Perturbation::Ulps(u) => {
            assert_eq!(c.worst[0].ulps, u, "{report}");
            assert_eq!(report.passed, u <= report.tolerances.max_ulp, "{report}");
        }
        Perturbation::Abs(d) => {
            assert!(!report.passed, "{report}");
            assert_eq!(c.failures, 1, "{report}");
            let verdict = &report.diagnosis.as_ref().unwrap().verdict;
            if d < 1e-9 {
                assert_eq!(verdict, &Verdict::SameConvention, "{report}");
            } else {
                let Verdict::NoMatch { closest } = verdict else {
                    panic!("{report}")
                };
                assert!(
                    closest.differences.is_empty() && closest.disagreements == 1,
                    "{report}"
                );
            }
        }
    }
}

const PERTURBATIONS: [Perturbation; 3] = [
    Perturbation::Ulps(1),
    Perturbation::Abs(1e-12),
    Perturbation::Abs(1e-6),
];

/// The first entry with |value| ≥ 0.05 after `from` (relative perturbations stay small).
fn big_entry(values: &[f64], from: usize) -> usize {
    (from..values.len())
        .chain(0..from)
        .find(|&k| values[k].abs() >= 0.05)
        .unwrap()
}

#[test]
fn cg_table_perturbed() {
    let (rows, values) = cg_rows(4);
    for (n, p) in PERTURBATIONS.into_iter().enumerate() {
        let k = big_entry(&values, 37 * n + 11);
        let mut v = values.clone();
        perturb(&mut v, k, p);
        let t = SymbolTable::new(SymbolKind::Cg, &rows, v, Dtype::F64).unwrap();
        assert_reported(&t, k, p);
    }
}

#[test]
fn cg_table_in_f32_perturbed() {
    let (rows, _) = cg_rows(3);
    let values: Vec<f64> = rows
        .iter()
        .map(|t| {
            f64::from(
                Cg::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])
                    .unwrap()
                    .value_f32(),
            )
        })
        .collect();
    let ok = SymbolTable::new(SymbolKind::Cg, &rows, values.clone(), Dtype::F32).unwrap();
    assert_eq!(
        check(&ok, &CheckOptions::default())
            .unwrap()
            .comparison
            .max_ulps,
        0
    );
    let k = big_entry(&values, 5);
    let mut v = values.clone();
    v[k] = f64::from(f32::from_bits((v[k] as f32).to_bits() + 3)); // 3 f32 ulps
    let t = SymbolTable::new(SymbolKind::Cg, &rows, v, Dtype::F32).unwrap();
    let report = check(&t, &CheckOptions::default()).unwrap();
    assert_eq!(
        (
            report.comparison.worst[0].index,
            report.comparison.worst[0].ulps
        ),
        (k, 3)
    );
    assert!(report.passed);
}

#[test]
fn real_cg_table_perturbed() {
    let mut blocks = Vec::new();
    for l in [[1, 1, 0], [1, 1, 2], [2, 1, 2], [2, 2, 2], [1, 2, 3]] {
        let shape = l.map(|x: u32| 2 * x as usize + 1);
        blocks.push(RealCgBlock {
            l,
            shape,
            values: real_cg(l[0], l[1], l[2]).unwrap().to_f64(),
        });
    }
    let flat: Vec<f64> = blocks.iter().flat_map(|b| b.values.clone()).collect();
    for (n, p) in PERTURBATIONS.into_iter().enumerate() {
        let k = big_entry(&flat, 50 * n + 20);
        let mut bs = blocks.clone();
        let (mut i, mut off) = (0, 0);
        while off + bs[i].values.len() <= k {
            off += bs[i].values.len();
            i += 1;
        }
        perturb(&mut bs[i].values, k - off, p);
        assert_reported(&RealCgTable::new(bs, Dtype::F64).unwrap(), k, p);
    }
}

fn points() -> Vec<f64> {
    (0..24).map(|k| ((k * 7 % 17) as f64 - 8.0) / 5.0).collect()
}

#[test]
fn numeric_tables_perturbed() {
    // spherical harmonics
    let sh = SphericalHarmonics::<f64>::new(3, ShNormalization::Component, true).unwrap();
    let pts = points();
    let mut y = vec![0.0; pts.len() / 3 * sh.dim()];
    sh.compute(&pts, &mut y);
    for (n, p) in PERTURBATIONS.into_iter().enumerate() {
        let k = big_entry(&y, 9 * n + 4);
        let mut v = y.clone();
        perturb(&mut v, k, p);
        let t = ShTable::new(
            pts.clone(),
            v,
            3,
            ShNormalization::Component,
            true,
            Dtype::F64,
        )
        .unwrap();
        assert_reported(&t, k, p);
    }
    // Wigner D, l = 2
    let rots: Vec<Rotation> = [[0.3, 1.1, -0.4], [2.0, -0.5, 0.9]]
        .iter()
        .map(|&[a, b, c]| Rotation::from_euler_angles(a, b, c).unwrap())
        .collect();
    let d: Vec<f64> = rots
        .iter()
        .flat_map(|r| WignerD::<f64>::new(2, r).unwrap().block(2).to_vec())
        .collect();
    let mats = rots.iter().map(Rotation::matrix).collect::<Vec<_>>();
    for (n, p) in PERTURBATIONS.into_iter().enumerate() {
        let k = big_entry(&d, 13 * n + 2);
        let mut v = d.clone();
        perturb(&mut v, k, p);
        let t =
            WignerDTable::new(Rotations::Matrices(mats.clone()), vec![(2, v)], Dtype::F64).unwrap();
        assert_reported(&t, k, p);
    }
    // tensor product 2x1o ⊗ 1o → 2x0e + 2x1e + 2x2e, weighted uvw
    let ir = |s: &str| s.parse::<racah_core::Irreps>().unwrap();
    let (a, b, o) = (ir("2x1o"), ir("1o"), ir("2x0e+2x1e+2x2e"));
    let ins = TpSpec::instructions_for_mode(&a, &b, &o, ConnectionMode::Uvw, true);
    let tp = TensorProduct::<f64>::new(&a, &b, &o, ins.clone(), TensorProductOptions::default())
        .unwrap();
    let x1: Vec<f64> = pts[..12].to_vec();
    let x2: Vec<f64> = pts[12..18].to_vec();
    let w: Vec<f64> = (0..tp.weight_numel())
        .map(|k| 1.0 - k as f64 / 7.0)
        .collect();
    let out = tp.apply(&x1, &x2, Weights::Shared(&w)).unwrap();
    for (n, p) in PERTURBATIONS.into_iter().enumerate() {
        let k = big_entry(&out, 5 * n + 1);
        let mut v = out.clone();
        perturb(&mut v, k, p);
        let spec = TpSpec {
            irreps_in1: a.clone(),
            irreps_in2: b.clone(),
            irreps_out: o.clone(),
            instructions: ins.clone(),
            options: TensorProductOptions::default(),
        };
        let data = TpData {
            x1: x1.clone(),
            x2: x2.clone(),
            weights: Some(w.clone()),
            out: v,
        };
        assert_reported(&TpTable::new(spec, data, Dtype::F64).unwrap(), k, p);
    }
}

fn perturbation() -> impl Strategy<Value = Perturbation> {
    prop_oneof![
        (1u64..=8).prop_map(Perturbation::Ulps),
        (1e-13f64..1e-10).prop_map(Perturbation::Abs),
        (1e-7f64..1e-3).prop_map(Perturbation::Abs),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, rng_seed: proptest::test_runner::RngSeed::Fixed(8),
        ..ProptestConfig::default() })]

    #[test]
    fn any_single_perturbation_is_the_worst_case(k in 0usize..1000, p in perturbation(), negate in any::<bool>()) {
        let (rows, values) = cg_rows(3);
        let k = big_entry(&values, k % values.len());
        let mut v = values.clone();
        let p = match p {
            Perturbation::Abs(d) if negate => Perturbation::Abs(-d),
            p => p,
        };
        perturb(&mut v, k, p);
        let t = SymbolTable::new(SymbolKind::Cg, &rows, v, Dtype::F64).unwrap();
        let report = check(&t, &CheckOptions::default()).unwrap();
        prop_assert_eq!(report.comparison.worst[0].index, k);
        prop_assert_eq!(report.comparison.worst.len(), 1);
        let big = matches!(p, Perturbation::Abs(d) if d.abs() > 1e-9);
        prop_assert_eq!(report.diagnosis.is_some(), !report.passed);
        if big {
            let closest_is_racah = matches!(&report.diagnosis.unwrap().verdict,
                Verdict::NoMatch { closest } if closest.differences.is_empty());
            prop_assert!(closest_is_racah);
        }
    }
}
