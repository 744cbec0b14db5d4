//! Seeded property tests beyond the exhaustive range: spins up to 2j ≤ 60.

use crate::common::{nearest_f32, nearest_f64, phase, root};
use proptest::prelude::*;
use racah_core::Spin;
use racah_exact::testing::{
    admissible_cg, admissible_nine_j, admissible_six_j, admissible_three_j, triangle_triple,
};
use racah_exact::{cg_block, Cg, FactorialCache, RacahW, SixJ, SqrtRational};

const MAX: i64 = 60;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x5EED_6A7C),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn cg_properties(c in admissible_cg(MAX)) {
        let v = c.value();
        prop_assert!(v.is_valid());
        let [a, b, j] = c.twice_j();
        let [x, y, z] = c.twice_m();
        // relation to 3j
        let rel = &(&phase(a - b + z) * &root(j as u64 + 1)) * &c.to_three_j().value();
        prop_assert_eq!(&v, &rel);
        // exchange and sign-reversal symmetries
        let ph = phase(a + b - j);
        prop_assert_eq!(c.swap_factors().value(), &ph * &v);
        prop_assert_eq!(c.negate_ms().value(), &ph * &v);
        // explicit cache gives the same value; correct rounding
        prop_assert_eq!(c.value_with(&mut FactorialCache::new()), v.clone());
        prop_assert_eq!(c.value_f64(), nearest_f64(&v));
        prop_assert_eq!(c.value_f32(), nearest_f32(&v));
        prop_assert_eq!(Cg::from_twice(a, x, b, y, j, z).unwrap(), c);
    }

    #[test]
    fn three_j_properties(t in admissible_three_j(MAX)) {
        let v = t.value();
        let [a, b, c] = t.twice_j();
        let odd = phase(a + b + c);
        prop_assert_eq!(t.swap_columns(0, 2).unwrap().value(), &odd * &v);
        prop_assert_eq!(t.negate_ms().value(), &odd * &v);
        prop_assert_eq!(t.swap_columns(0, 1).unwrap().swap_columns(0, 2).unwrap().value(), v.clone());
        prop_assert_eq!(t.value_f64(), nearest_f64(&v));
    }

    #[test]
    fn six_j_properties(s in admissible_six_j(MAX)) {
        let v = s.value();
        prop_assert!(v.is_valid());
        for (i, k) in [(0, 1), (1, 2), (0, 2)] {
            prop_assert_eq!(s.swap_columns(i, k).unwrap().value(), v.clone());
            prop_assert_eq!(s.swap_rows_in_columns(i, k).unwrap().value(), v.clone());
        }
        let r = s.regge().unwrap();
        prop_assert_eq!(r.value(), v.clone());
        prop_assert_eq!(s.value_f64(), nearest_f64(&v));
        prop_assert_eq!(s.value_f32(), nearest_f32(&v));
        // Racah W relation: W(a b c d; e f) = (−1)^(a+b+c+d) {a b e; d c f}
        let [a, b, e, d, c, f] = s.twice_j();
        let w = RacahW::from_twice(a, b, c, d, e, f).unwrap().value();
        prop_assert_eq!(w, &phase(a + b + c + d) * &v);
    }

    #[test]
    fn nine_j_properties(n in admissible_nine_j(24)) {
        let v = n.value();
        prop_assert!(v.is_valid());
        let total: i64 = n.twice_j().iter().sum();
        prop_assert_eq!(n.transpose().value(), v.clone());
        prop_assert_eq!(n.swap_rows(0, 2).unwrap().value(), &phase(total) * &v);
        prop_assert_eq!(n.swap_cols(1, 2).unwrap().value(), &phase(total) * &v);
        prop_assert_eq!(n.value_f64(), nearest_f64(&v));
    }

    #[test]
    fn cg_block_properties([a, b, c] in triangle_triple(16)) {
        let block = cg_block(Spin::from_twice(a as u32), Spin::from_twice(b as u32), Spin::from_twice(c as u32)).unwrap();
        let dense = block.to_dense_f64();
        let [n1, n2, n3] = block.shape();
        // Each column M of the block is a unit vector: Σ_{m1 m2} ⟨..|J M⟩² = 1.
        for k in 0..n3 {
            let mut s = rug::Rational::new();
            for i1 in 0..n1 {
                for i2 in 0..n2 {
                    s += block.get(i1, i2, k).square();
                    prop_assert_eq!(dense[(i1 * n2 + i2) * n3 + k], block.get(i1, i2, k).to_f64());
                }
            }
            prop_assert_eq!(s, 1);
        }
    }
}

#[test]
fn sqrt_rational_arithmetic_properties() {
    let mut runner = proptest::test_runner::TestRunner::new(config(512));
    let small = (1u64..5000, 1u64..5000, -50i64..50, 1i64..60);
    runner
        .run(
            &(small.clone(), small),
            |((p, q, n, d), (p2, q2, n2, d2))| {
                let x = &SqrtRational::sqrt_of_ratio(p, q).unwrap() * &SqrtRational::rational(n, d);
                let y =
                    &SqrtRational::sqrt_of_ratio(p2, q2).unwrap() * &SqrtRational::rational(n2, d2);
                prop_assert!(x.is_valid() && y.is_valid());
                let xy = &x * &y;
                prop_assert!(xy.is_valid());
                prop_assert_eq!(xy.square(), x.square() * y.square());
                prop_assert_eq!(xy.sign(), x.sign() * y.sign());
                if !y.is_zero() {
                    prop_assert_eq!(&(&x / &y) * &y, x.clone());
                }
                // order agrees with f64 when the f64 values differ
                let (fx, fy) = (x.to_f64(), y.to_f64());
                if fx < fy {
                    prop_assert!(x < y);
                }
                // a + b − b = a in SqrtSum; sign of a sum agrees with its rounded value
                let s = &x + &y;
                prop_assert_eq!(
                    (&s - &racah_exact::SqrtSum::from(&y)).to_sqrt_rational(),
                    Some(x.clone())
                );
                let fs = s.to_f64();
                prop_assert_eq!(
                    fs.partial_cmp(&0.0).map(|o| o as i32).unwrap_or(0),
                    s.sign()
                );
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn six_j_strategy_reaches_every_small_case() {
    // The strategy should produce every admissible 6j with 2j ≤ 2 given enough draws.
    let mut runner = proptest::test_runner::TestRunner::new(config(1));
    let strat = admissible_six_j(2);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..4000 {
        let s = proptest::strategy::ValueTree::current(
            &proptest::strategy::Strategy::new_tree(&strat, &mut runner).unwrap(),
        );
        seen.insert(s.twice_j());
    }
    let mut all = 0;
    for t in 0..729 {
        let d = [
            t % 3,
            t / 3 % 3,
            t / 9 % 3,
            t / 27 % 3,
            t / 81 % 3,
            t / 243 % 3,
        ]
        .map(|x| x as i64);
        if SixJ::from_twice(d[0], d[1], d[2], d[3], d[4], d[5])
            .unwrap()
            .is_admissible()
        {
            all += 1;
            assert!(seen.contains(&d), "never drew {d:?}");
        }
    }
    assert!(all > 5);
}
