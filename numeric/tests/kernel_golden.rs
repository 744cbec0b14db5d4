//! Golden regression tables of racah's own kernels: spherical harmonics, Wigner D, a fully
//! connected tensor product and a fusion block on fixed, seeded inputs.
//!
//! The table is `tests/golden/racah_kernels.json`. Regenerate it (and review the diff) with
//! `RACAH_UPDATE_GOLDEN=1 cargo test -p racah-numeric kernel_golden`. A change in any kernel's
//! output beyond 4 eps × max(|value|, 1) fails the test.

use racah_core::Irreps;
use racah_numeric::{
    FusionBlock, IrrepsArray, Rotation, ShNormalization, SphericalHarmonics, TensorProduct,
    Tolerance, Weights, WignerD,
};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/golden/racah_kernels.json"
);

fn uniform(rng: &mut impl Rng, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| (rng.next_u64() >> 11) as f64 * (2.0 / (1u64 << 53) as f64) - 1.0)
        .collect()
}

/// Every kernel's output on the fixed inputs, keyed by name.
fn outputs() -> Vec<(&'static str, Vec<f64>)> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20_261_125);
    let points = uniform(&mut rng, 3 * 8);
    let mut out = Vec::new();
    for (name, norm) in [
        ("sh_component_l8", ShNormalization::Component),
        ("sh_norm_l8", ShNormalization::Norm),
        ("sh_integral_l8", ShNormalization::Integral),
    ] {
        let sh = SphericalHarmonics::<f64>::new(8, norm, true).unwrap();
        let mut y = vec![0.0; 8 * sh.dim()];
        sh.compute(&points, &mut y);
        out.push((name, y));
    }
    let mut d_all = Vec::new();
    for _ in 0..3 {
        let r = Rotation::random(&mut rng);
        d_all.extend(WignerD::<f64>::new(4, &r).unwrap().to_dense());
    }
    out.push(("wigner_d_l4", d_all));
    let irreps: Irreps = "2x0e+2x1o+2x2e".parse().unwrap();
    let tp = TensorProduct::<f64>::fully_connected(&irreps, &irreps, &irreps).unwrap();
    let w = uniform(&mut rng, tp.weight_numel());
    let x1 = uniform(&mut rng, 4 * irreps.dim());
    let x2 = uniform(&mut rng, 4 * irreps.dim());
    out.push(("tp_uvw", tp.apply(&x1, &x2, Weights::Shared(&w)).unwrap()));
    let block = FusionBlock::<f64>::mace_symmetric_contraction(&irreps, &irreps, 3, 1).unwrap();
    let wb = uniform(&mut rng, block.weight_numel());
    let x = IrrepsArray::new(irreps.clone(), 4, x1.clone()).unwrap();
    out.push((
        "fusion_block_nu3",
        block.forward(&x, &wb).unwrap().data().to_vec(),
    ));
    out
}

#[test]
fn kernel_golden() {
    let ours = outputs();
    if std::env::var_os("RACAH_UPDATE_GOLDEN").is_some() {
        let mut doc = serde_json::Map::new();
        doc.insert(
            "_meta".into(),
            json!({
                "generated_by": "RACAH_UPDATE_GOLDEN=1 cargo test -p racah-numeric kernel_golden",
                "inputs": "ChaCha8 seed 20261125: 8 points, 3 Haar rotations (l<=4), TP and fusion block on 2x0e+2x1o+2x2e, batch 4",
                "tolerance": "4 eps x max(|value|, 1)",
            }),
        );
        for (k, v) in &ours {
            doc.insert((*k).into(), json!(v));
        }
        std::fs::write(
            PATH,
            serde_json::to_string(&Value::Object(doc)).unwrap() + "\n",
        )
        .unwrap();
        return;
    }
    let text = std::fs::read_to_string(PATH).expect("tests/golden/racah_kernels.json is committed");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let tol = Tolerance::scaled::<f64>(4.0);
    for (k, v) in &ours {
        let want: Vec<f64> = doc[*k]
            .as_array()
            .unwrap_or_else(|| panic!("{k} missing from the golden table"))
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(want.len(), v.len(), "{k}: length");
        for (i, (a, b)) in v.iter().zip(&want).enumerate() {
            assert!(
                tol.allows(a - b, b.abs()),
                "{k}[{i}]: racah {a:e}, golden {b:e}"
            );
        }
    }
}
