//! `multiplicity_in_product` against the character formula (MATH.md §5):
//! m_L = (1/2π) ∫₀^{2π} Π_i χ_{l_i}(θ) χ_L(θ) (1 − cos θ) dθ, χ_l(θ) = Σ_{m=−l}^{l} cos(mθ).
//!
//! The integrand is a trigonometric polynomial of degree D = Σ l_i + L + 1, so the trapezoid rule
//! with N > D equally spaced points on the period is exact up to rounding; the result is rounded
//! to the nearest integer after checking it is within 1e-6 of it.

use racah_core::{Irrep, Irreps, Parity};

fn character(l: u32, theta: f64) -> f64 {
    (-(l as i64)..=l as i64)
        .map(|m| (m as f64 * theta).cos())
        .sum()
}

fn character_multiplicity(ls: &[u32], out: u32) -> u64 {
    let degree: u32 = ls.iter().sum::<u32>() + out + 1;
    let n = 2 * degree as usize + 8;
    let mut sum = 0.0;
    for k in 0..n {
        let theta = std::f64::consts::TAU * k as f64 / n as f64;
        let chi: f64 = ls.iter().map(|&l| character(l, theta)).product();
        sum += chi * character(out, theta) * (1.0 - theta.cos());
    }
    let m = sum / n as f64;
    assert!(
        (m - m.round()).abs() < 1e-6,
        "{ls:?} -> {out}: {m} is not an integer"
    );
    m.round() as u64
}

#[test]
fn multiplicities_match_the_character_formula() {
    let mut checked = 0;
    for a in 0..=3u32 {
        for b in 0..=3u32 {
            for c in 0..=3u32 {
                for d in 0..=2u32 {
                    let ls = [a, b, c, d];
                    let leaves: Vec<Irrep> = ls.iter().map(|&l| Irrep::harmonic(l)).collect();
                    let parity = Parity::of_harmonic(a + b + c + d);
                    for out in 0..=(a + b + c + d) {
                        let want = character_multiplicity(&ls, out);
                        let got = Irreps::multiplicity_in_product(&leaves, Irrep::l(out, parity))
                            .unwrap();
                        assert_eq!(got, want, "{ls:?} -> {out}{parity}");
                        // the other parity never appears in a product of natural-parity irreps
                        let wrong = Irrep::l(out, parity * Parity::Odd);
                        assert_eq!(Irreps::multiplicity_in_product(&leaves, wrong).unwrap(), 0);
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 500);
}

#[test]
fn character_formula_reproduces_math_md_counts() {
    // MATH.md section 2
    assert_eq!(character_multiplicity(&[1, 1, 1], 1), 3);
    assert_eq!(character_multiplicity(&[1, 2, 3, 4], 2), 12);
    assert_eq!(character_multiplicity(&[2, 2, 2, 2], 2), 16);
    assert_eq!(character_multiplicity(&[3, 3, 3, 3], 0), 7);
}
