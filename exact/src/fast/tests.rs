//! The machine-integer fast paths against the big-integer engine, exhaustively for small spins.

use crate::three_j::{self, Scale};
use crate::{cg_block, nine_j, six_j, spins::triad, FactorialCache, SqrtRational};
use racah_core::Spin;

#[test]
fn three_j_and_cg_fast_paths_match_big_integers() {
    let max = 12i64;
    let mut nonzero = 0;
    for a in 0..=max {
        for b in 0..=max {
            let mut c = (a - b).abs();
            while c <= (a + b).min(max) {
                for x in (-a..=a).step_by(2) {
                    for y in (-b..=b).step_by(2) {
                        let z = -x - y;
                        if z.abs() > c {
                            continue;
                        }
                        for scale in [Scale::None, Scale::Cg] {
                            let fast = three_j::eval([a, b, c], [x, y, z], scale, None);
                            let big = three_j::eval_big([a, b, c], [x, y, z], scale);
                            assert_eq!(fast, big, "({a} {b} {c}; {x} {y} {z})");
                            assert!(fast.is_valid());
                            nonzero += usize::from(!fast.is_zero());
                        }
                    }
                }
                c += 2;
            }
        }
    }
    assert!(nonzero > 10_000);
}

#[test]
fn six_j_fast_path_matches_big_integers() {
    let max = 8i64;
    let mut cache = FactorialCache::new();
    let mut count = 0;
    for a in 0..=max {
        for b in 0..=max {
            for c in 0..=max {
                if !triad(a, b, c) {
                    continue;
                }
                for d in 0..=max {
                    for e in 0..=max {
                        if !triad(d, e, c) {
                            continue;
                        }
                        for f in 0..=max {
                            let t = [a, b, c, d, e, f];
                            let fast = six_j::eval(t, None, true);
                            let big = six_j::eval(t, Some(&mut cache), false);
                            assert_eq!(fast, big, "{t:?}");
                            assert!(fast.is_valid());
                            count += usize::from(!fast.is_zero());
                        }
                    }
                }
            }
        }
    }
    assert!(count > 1000, "{count}");
    // Larger spins along a few lines, through the fast/big boundary (β ≈ 62).
    for t in (0..=44).step_by(1) {
        for s in [
            [t, t, t, t, t, t],
            [t, t + 2, 2, t, t, 2],
            [t, 20, t, 20, t, 20],
        ] {
            assert_eq!(
                six_j::eval(s, None, true),
                six_j::eval(s, Some(&mut cache), false),
                "{s:?}"
            );
        }
    }
}

#[test]
fn nine_j_fast_path_matches_big_integers() {
    let max = 4i64;
    let mut cache = FactorialCache::new();
    let mut count = 0;
    let tri = |a: i64, b: i64| ((a - b).abs()..=(a + b).min(max)).step_by(2);
    for a in 0..=max {
        for b in 0..=max {
            for c in tri(a, b) {
                for d in 0..=max {
                    for e in 0..=max {
                        for f in tri(d, e) {
                            for g in tri(a, d) {
                                for h in tri(b, e) {
                                    for i in tri(c, f) {
                                        if !triad(g, h, i) {
                                            continue;
                                        }
                                        let t = [a, b, c, d, e, f, g, h, i];
                                        let fast = nine_j::eval(t, None, true);
                                        let big = nine_j::eval(t, Some(&mut cache), false);
                                        assert_eq!(fast, big, "{t:?}");
                                        count += usize::from(!fast.is_zero());
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(count > 1000, "{count}");
}

#[test]
fn cg_block_matches_one_by_one() {
    for a in 0..=10u32 {
        for b in 0..=10u32 {
            let mut c = a.abs_diff(b);
            while c <= a + b {
                let block = cg_block(
                    Spin::from_twice(a),
                    Spin::from_twice(b),
                    Spin::from_twice(c),
                )
                .unwrap();
                let dense = block.to_dense();
                let [n1, n2, n3] = block.shape();
                for i1 in 0..n1 {
                    for i2 in 0..n2 {
                        for k in 0..n3 {
                            let (x, y, z) = (
                                2 * i1 as i64 - a as i64,
                                2 * i2 as i64 - b as i64,
                                2 * k as i64 - c as i64,
                            );
                            let want = three_j::eval(
                                [a as i64, b as i64, c as i64],
                                [x, y, -z],
                                Scale::Cg,
                                None,
                            );
                            assert_eq!(dense[(i1 * n2 + i2) * n3 + k], want);
                            assert_eq!(*block.get(i1, i2, k), want);
                        }
                    }
                }
                c += 2;
            }
        }
    }
    // Beyond the fast tables the block falls back to big integers.
    let j = Spin::int(40);
    let block = cg_block(j, j, Spin::int(60)).unwrap();
    assert_eq!(
        *block.get(40, 40, 60),
        three_j::eval([80, 80, 120], [0, 0, 0], Scale::Cg, None)
    );
    assert_ne!(*block.get(40, 40, 60), SqrtRational::ZERO);
}

#[test]
fn rounded_fast_path_matches_rounding_the_exact_value() {
    // Every CG and 3j with 2j ≤ 14 (and a few beyond the machine-integer range): the direct
    // rounding of the machine-integer sum equals rounding the canonical exact value, bit for bit.
    let max = 14i64;
    let mut nonzero = 0;
    for a in 0..=max {
        for b in 0..=max {
            let mut c = (a - b).abs();
            while c <= a + b {
                for x in (-a..=a).step_by(2) {
                    for y in (-b..=b).step_by(2) {
                        let z = x + y;
                        if z.abs() > c {
                            continue;
                        }
                        let cg = crate::Cg::from_twice(a, x, b, y, c, z).unwrap();
                        let exact = cg.value();
                        assert_eq!(cg.value_f64().to_bits(), exact.to_f64().to_bits(), "{cg}");
                        assert_eq!(cg.value_f32().to_bits(), exact.to_f32().to_bits(), "{cg}");
                        let tj = cg.to_three_j();
                        let exact = tj.value();
                        assert_eq!(tj.value_f64().to_bits(), exact.to_f64().to_bits(), "{tj}");
                        assert_eq!(tj.value_f32().to_bits(), exact.to_f32().to_bits(), "{tj}");
                        nonzero += usize::from(!exact.is_zero());
                    }
                }
                c += 2;
            }
        }
    }
    assert!(nonzero > 50_000, "{nonzero}");
    for t in [40i64, 56, 58, 60, 80] {
        let cg = crate::Cg::from_twice(t, 2, t, 0, t, 2).unwrap();
        assert_eq!(
            cg.value_f64().to_bits(),
            cg.value().to_f64().to_bits(),
            "{cg}"
        );
    }
}

#[test]
fn cg_block_f64_matches_rounding_the_exact_block() {
    let check = |a: u32, b: u32, c: u32| {
        let (j1, j2, j) = (
            Spin::from_twice(a),
            Spin::from_twice(b),
            Spin::from_twice(c),
        );
        let want = cg_block(j1, j2, j).unwrap().to_dense_f64();
        let got = crate::cg_block_f64(j1, j2, j).unwrap();
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g.to_bits(), w.to_bits(), "({a} {b} {c})");
        }
    };
    for a in 0..=14u32 {
        for b in 0..=14u32 {
            // Includes non-triangle and wrong-parity triples (all-zero blocks).
            for c in 0..=a + b + 1 {
                check(a, b, c);
            }
        }
    }
    // Beyond the machine-integer tables: the general route.
    check(80, 80, 120);
    check(41, 40, 79);
}
