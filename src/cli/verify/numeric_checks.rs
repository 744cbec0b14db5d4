//! Numeric kernels against independent references: spherical harmonics against a 40-digit
//! mpmath evaluation and e3nn-jax, Wigner D against the harmonics (D(R) Y(x) = Y(R x)).
//! Tolerances are stated in units of the dtype's epsilon times a term count.

use super::{Check, Tally};
use racah_numeric::{Rotation, ShNormalization, SphericalHarmonics, Tolerance, WignerD};
use rand::SeedableRng;
use serde_json::Value;

pub(super) fn checks() -> Vec<Check> {
    vec![
        Check {
            section: "numeric",
            name: "sh-vs-mpmath",
            description: "spherical harmonics l <= 8 against a 40-digit mpmath reference, <= 16 eps x max(|Y_l|, 1) per degree",
            run: Some(sh_vs_mpmath),
            identity: None,
        },
        Check {
            section: "numeric",
            name: "sh-vs-e3nn-jax",
            description: "spherical harmonics l <= 8, 3 normalisations, against e3nn-jax, <= 64 eps x max(|Y_l|, 1) per degree (e3nn-jax's own error reaches 60 eps)",
            run: Some(sh_vs_e3nn),
            identity: None,
        },
        Check {
            section: "numeric",
            name: "wigner-d-equivariance",
            description: "D(R) Y(x) = Y(R x) for 64 Haar rotations, l <= 16, f64, <= 4(l+1) eps",
            run: Some(wigner_d_equivariance),
            identity: None,
        },
    ]
}

fn golden() -> Result<Value, String> {
    serde_json::from_str(include_str!("../../../tests/golden/e3nn_sh.json"))
        .map_err(|e| format!("e3nn_sh.json: {e}"))
}

fn rows(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            r.as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_f64)
                .collect()
        })
        .collect()
}

fn compare_sh(
    t: &mut Tally,
    doc: &Value,
    key: &str,
    norm: ShNormalization,
    normalize: bool,
    eps_count: f64,
) {
    let points = rows(&doc["points"]);
    let indices: Vec<usize> = if normalize {
        (0..points.len()).collect()
    } else {
        doc["normalize=False_point_indices"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i.as_u64().map(|i| i as usize))
            .collect()
    };
    let want = rows(&doc[key]);
    if want.len() != indices.len() || want.is_empty() {
        t.error(format!(
            "{key}: {} rows for {} points",
            want.len(),
            indices.len()
        ));
        return;
    }
    let sh = match SphericalHarmonics::<f64>::new(8, norm, normalize) {
        Ok(sh) => sh,
        Err(e) => return t.error(e.to_string()),
    };
    let tol = Tolerance::scaled::<f64>(eps_count);
    for (row, &i) in want.iter().zip(&indices) {
        let p = &points[i];
        let got = sh.compute_point([p[0], p[1], p[2]]);
        for l in 0..=8usize {
            let degree = l * l..(l + 1) * (l + 1);
            // errors are measured against the largest reference value of the degree (or 1)
            let scale = row[degree.clone()]
                .iter()
                .fold(1.0f64, |a, v| a.max(v.abs()));
            let err = Tolerance::max_abs_diff(&got[degree.clone()], &row[degree]);
            t.check(tol.allows(err, scale), || {
                format!("{key}: point {p:?} degree {l}: max error {err:e}, scale {scale:e}")
            });
        }
    }
}

fn sh_vs_mpmath() -> Tally {
    let mut t = Tally::default();
    match golden() {
        Ok(doc) => {
            for (key, normalize) in [
                (
                    "reference_mpmath,normalize=True,normalization=component",
                    true,
                ),
                (
                    "reference_mpmath,normalize=False,normalization=component",
                    false,
                ),
            ] {
                compare_sh(
                    &mut t,
                    &doc,
                    key,
                    ShNormalization::Component,
                    normalize,
                    16.0,
                );
            }
        }
        Err(e) => t.error(e),
    }
    t
}

fn sh_vs_e3nn() -> Tally {
    let mut t = Tally::default();
    match golden() {
        Ok(doc) => {
            for normalize in [true, false] {
                for (name, norm) in [
                    ("component", ShNormalization::Component),
                    ("norm", ShNormalization::Norm),
                    ("integral", ShNormalization::Integral),
                ] {
                    let key = format!(
                        "normalize={},normalization={name}",
                        if normalize { "True" } else { "False" }
                    );
                    compare_sh(&mut t, &doc, &key, norm, normalize, 64.0);
                }
            }
        }
        Err(e) => t.error(e),
    }
    t
}

fn wigner_d_equivariance() -> Tally {
    let mut t = Tally::default();
    let l_max = 16u32;
    let sh = match SphericalHarmonics::<f64>::new(l_max, ShNormalization::Component, true) {
        Ok(sh) => sh,
        Err(e) => {
            t.error(e.to_string());
            return t;
        }
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20261125);
    for _ in 0..64 {
        let r = Rotation::random(&mut rng);
        let x = Rotation::random(&mut rng).apply([0.3, -0.8, 0.5]);
        let d = match WignerD::<f64>::new(l_max, &r) {
            Ok(d) => d,
            Err(e) => {
                t.error(e.to_string());
                return t;
            }
        };
        let y = sh.compute_point(x);
        let mut dy = vec![0.0; y.len()];
        d.apply_sh(&y, &mut dy);
        let y_rx = sh.compute_point(r.apply(x));
        for l in 0..=l_max {
            let s = (l * l) as usize..((l + 1) * (l + 1)) as usize;
            let err = Tolerance::max_abs_diff(&dy[s.clone()], &y_rx[s]);
            let tol = Tolerance::scaled::<f64>(4.0 * (l + 1) as f64);
            // |Y_l| <= sqrt(2l+1) in component normalisation
            t.check(tol.allows(err, ((2 * l + 1) as f64).sqrt()), || {
                format!("l = {l}: |D Y(x) - Y(R x)| = {err:e}")
            });
        }
    }
    t
}

/// Equivariance of the learnable kernels: f(g·x) = g·f(x) for random O(3) elements g (parity
/// included). The error is measured in units of eps × max(1, ‖f(x)‖∞); the bound 256 covers
/// three Wigner-D applications (≤ 4(l+1) eps each for l ≤ 2, measured) and the summation of the
/// products over channels and paths (≤ 48 terms per output here), with margin.
pub(super) fn kernel_checks() -> Vec<Check> {
    vec![
        Check {
            section: "numeric",
            name: "tp-equivariance",
            description: "fully connected TP 4x0e+4x1o+4x2e (x) same -> same, f64, 64 O(3) elements: <= 256 eps x max(|out|, 1)",
            run: Some(tp_equivariance),
            identity: None,
        },
        Check {
            section: "numeric",
            name: "fusion-block-equivariance",
            description: "MACE-style fusion block 4x0e+4x1o+4x2e, body order 3, f64, 64 O(3) elements: <= 256 eps x max(|out|, 1)",
            run: Some(fusion_block_equivariance),
            identity: None,
        },
    ]
}

fn random_vec(rng: &mut impl rand::Rng, n: usize) -> Vec<f64> {
    // uniform in [-1, 1) from the top 53 bits
    (0..n)
        .map(|_| (rng.next_u64() >> 11) as f64 * (2.0 / (1u64 << 53) as f64) - 1.0)
        .collect()
}

/// A map from one feature vector (batch 1) to another.
type FeatureMap<'a> = dyn Fn(&[f64]) -> Result<Vec<f64>, String> + 'a;

fn equivariance_tally(
    irreps_in: &racah_core::Irreps,
    irreps_out: &racah_core::Irreps,
    f: &FeatureMap<'_>,
) -> Tally {
    use racah_numeric::{IrrepsArray, O3Element};
    let mut t = Tally::default();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let tol = Tolerance::scaled::<f64>(256.0);
    for _ in 0..64 {
        let g = O3Element::random(&mut rng);
        let x = random_vec(&mut rng, irreps_in.dim());
        let result = (|| -> Result<f64, String> {
            let gx = IrrepsArray::new(irreps_in.clone(), 1, x.clone())
                .and_then(|a| a.transformed(&g))
                .map_err(|e| e.to_string())?;
            let f_gx = f(gx.data())?;
            let fx = f(&x)?;
            let g_fx = IrrepsArray::new(irreps_out.clone(), 1, fx.clone())
                .and_then(|a| a.transformed(&g))
                .map_err(|e| e.to_string())?;
            let scale = fx.iter().fold(1.0f64, |a, v| a.max(v.abs()));
            Ok(Tolerance::max_abs_diff(&f_gx, g_fx.data()) / scale)
        })();
        match result {
            Ok(err) => t.check(tol.allows(err, 1.0), || {
                format!("|f(gx) - g f(x)| / max(|f(x)|, 1) = {err:e} for g = {g:?}")
            }),
            Err(e) => t.error(e),
        }
    }
    t
}

fn tp_equivariance() -> Tally {
    use racah_numeric::{TensorProduct, Weights};
    let irreps: racah_core::Irreps = "4x0e+4x1o+4x2e".parse().expect("literal irreps");
    let tp = match TensorProduct::<f64>::fully_connected(&irreps, &irreps, &irreps) {
        Ok(tp) => tp,
        Err(e) => {
            let mut t = Tally::default();
            t.error(e.to_string());
            return t;
        }
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let w = random_vec(&mut rng, tp.weight_numel());
    // f(x) = TP(x, x): both inputs transform with g, so f is equivariant when the TP is
    equivariance_tally(&irreps, &irreps, &|x: &[f64]| {
        tp.apply(x, x, Weights::Shared(&w))
            .map_err(|e| e.to_string())
    })
}

fn fusion_block_equivariance() -> Tally {
    use racah_numeric::{FusionBlock, IrrepsArray};
    let irreps: racah_core::Irreps = "4x0e+4x1o+4x2e".parse().expect("literal irreps");
    let block = match FusionBlock::<f64>::mace_symmetric_contraction(&irreps, &irreps, 3, 1) {
        Ok(b) => b,
        Err(e) => {
            let mut t = Tally::default();
            t.error(e.to_string());
            return t;
        }
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(13);
    let w = random_vec(&mut rng, block.weight_numel());
    let irreps_in = irreps.clone();
    equivariance_tally(&irreps, &irreps, &move |x: &[f64]| {
        let a = IrrepsArray::new(irreps_in.clone(), 1, x.to_vec()).map_err(|e| e.to_string())?;
        block
            .forward(&a, &w)
            .map(|o| o.data().to_vec())
            .map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivariance_check_rejects_a_broken_map() {
        let irreps: racah_core::Irreps = "1x0e+1x1o".parse().unwrap();
        // identity is equivariant; squaring every component is not
        let ok = equivariance_tally(&irreps, &irreps, &|x: &[f64]| Ok(x.to_vec()));
        assert_eq!((ok.cases, ok.failures), (64, 0));
        let bad = equivariance_tally(&irreps, &irreps, &|x: &[f64]| {
            Ok(x.iter().map(|v| v * v).collect())
        });
        assert!(bad.failures > 0);
        // a wrong parity (treating the 1o block as 1e) is caught too
        let even: racah_core::Irreps = "1x0e+1x1e".parse().unwrap();
        let parity = equivariance_tally(&irreps, &even, &|x: &[f64]| Ok(x.to_vec()));
        assert!(parity.failures > 0);
    }
}
