//! Exhaustive exact identities for all spins with 2j ≤ 8, compared with `==`.

use crate::common::{dot, phase, root, tri, triad};
use racah_exact::{Cg, NineJ, SixJ, SqrtRational, SqrtSum, ThreeJ};

const MAX: i64 = 8;

fn cg(a: i64, x: i64, b: i64, y: i64, c: i64, z: i64) -> SqrtRational {
    Cg::from_twice(a, x, b, y, c, z).unwrap().value()
}

#[test]
fn cg_orthogonality_both_kinds() {
    let one = SqrtSum::from(SqrtRational::ONE);
    for a in 0..=MAX {
        for b in 0..=MAX {
            // Σ_{m1 m2} ⟨m1 m2|J M⟩⟨m1 m2|J' M'⟩ = δ_JJ' δ_MM'  (M = M' forced by m1 + m2)
            for c in tri(a, b, a + b) {
                for c2 in tri(a, b, a + b) {
                    for z in (-c.min(c2)..=c.min(c2)).step_by(2) {
                        let s = dot((-a..=a).step_by(2).filter_map(|x| {
                            let y = z - x;
                            (y.abs() <= b).then(|| (cg(a, x, b, y, c, z), cg(a, x, b, y, c2, z)))
                        }));
                        let want = if c == c2 {
                            one.clone()
                        } else {
                            SqrtSum::zero()
                        };
                        assert_eq!(s, want, "j1={a} j2={b} J={c} J'={c2} M={z} (doubled)");
                    }
                }
            }
            // Σ_{J M} ⟨m1 m2|J M⟩⟨m1' m2'|J M⟩ = δ_m1m1' δ_m2m2'
            for x in (-a..=a).step_by(2) {
                for x2 in (-a..=a).step_by(2) {
                    for y in (-b..=b).step_by(2) {
                        let y2 = x + y - x2; // same M
                        if y2.abs() > b {
                            continue;
                        }
                        let s = dot(tri(a, b, a + b)
                            .filter(|&c| (x + y).abs() <= c)
                            .map(|c| (cg(a, x, b, y, c, x + y), cg(a, x2, b, y2, c, x + y))));
                        let want = if x == x2 {
                            one.clone()
                        } else {
                            SqrtSum::zero()
                        };
                        assert_eq!(s, want, "({a} {x} {b} {y}) vs ({a} {x2} {b} {y2})");
                    }
                }
            }
        }
    }
}

#[test]
fn three_j_symmetries_and_cg_relation() {
    let mut checked = 0;
    for a in 0..=MAX {
        for b in 0..=MAX {
            for c in 0..=MAX {
                for x in (-a..=a).step_by(2) {
                    for y in (-b..=b).step_by(2) {
                        let z = -x - y;
                        if z.abs() > c || (c - z) % 2 != 0 {
                            continue;
                        }
                        let t = ThreeJ::from_twice(a, b, c, x, y, z).unwrap();
                        let v = t.value();
                        let odd = if (a + b + c) % 2 == 0 {
                            phase(a + b + c)
                        } else {
                            SqrtRational::ONE
                        };
                        // odd permutations and m → −m: (−1)^(j1+j2+j3); cyclic: invariant
                        for (i, k) in [(0, 1), (1, 2), (0, 2)] {
                            assert_eq!(
                                t.swap_columns(i, k).unwrap().value(),
                                &odd * &v,
                                "{t} swap {i}{k}"
                            );
                        }
                        let cyc = t.swap_columns(0, 1).unwrap().swap_columns(1, 2).unwrap();
                        assert_eq!(cyc.value(), v, "{t} cyclic");
                        assert_eq!(t.negate_ms().value(), &odd * &v, "{t} -m");
                        // ⟨j1 m1 j2 m2|J M⟩ = (−1)^(j1−j2+M) √(2J+1) (j1 j2 J; m1 m2 −M)
                        let c_val = cg(a, x, b, y, c, -z);
                        if triad(a, b, c) {
                            let rel = &(&phase(a - b - z) * &root(c as u64 + 1)) * &v;
                            assert_eq!(c_val, rel, "{t}");
                        } else {
                            assert!(v.is_zero() && c_val.is_zero());
                        }
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 5000, "{checked}");
}

fn six(t: [i64; 6]) -> SqrtRational {
    SixJ::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])
        .unwrap()
        .value()
}

#[test]
fn six_j_symmetries_including_regge() {
    let mut nonzero = 0;
    for a in 0..=MAX {
        for b in 0..=MAX {
            for c in 0..=MAX {
                for d in 0..=MAX {
                    for e in 0..=MAX {
                        for f in 0..=MAX {
                            let s = SixJ::from_twice(a, b, c, d, e, f).unwrap();
                            let v = s.value();
                            if !s.is_admissible() {
                                assert!(v.is_zero(), "{s}");
                                continue;
                            }
                            nonzero += usize::from(!v.is_zero());
                            for (i, k) in [(0, 1), (1, 2), (0, 2)] {
                                assert_eq!(s.swap_columns(i, k).unwrap().value(), v, "{s}");
                                assert_eq!(s.swap_rows_in_columns(i, k).unwrap().value(), v, "{s}");
                            }
                            let r = s.regge().expect("admissible symbols have a Regge image");
                            assert!(r.is_admissible(), "{s} -> {r}");
                            assert_eq!(r.value(), v, "Regge {s} -> {r}");
                        }
                    }
                }
            }
        }
    }
    assert!(nonzero > 1000, "{nonzero}");
}

#[test]
fn six_j_orthogonality() {
    // Σ_x (2x+1)(2f+1) {a b x; c d f}{a b x; c d f'} = δ_ff' when (a d f), (b c f) admissible
    for a in 0..=MAX {
        for b in 0..=MAX {
            for c in 0..=MAX {
                for d in 0..=MAX {
                    let fs: Vec<i64> = (0..=MAX)
                        .filter(|&f| triad(a, d, f) && triad(b, c, f))
                        .collect();
                    for &f in &fs {
                        for &f2 in &fs {
                            let mut s = SqrtSum::zero();
                            for x in tri(a, b, MAX + MAX) {
                                let p = &six([a, b, x, c, d, f]) * &six([a, b, x, c, d, f2]);
                                let w = SqrtRational::rational((x + 1) * (f + 1), 1);
                                s += &(&p * &w);
                            }
                            let want = if f == f2 {
                                SqrtSum::from(SqrtRational::ONE)
                            } else {
                                SqrtSum::zero()
                            };
                            assert_eq!(s, want, "a={a} b={b} c={c} d={d} f={f} f'={f2}");
                        }
                    }
                }
            }
        }
    }
}

/// Every admissible 9j with 2j ≤ `max`, row-major doubled spins.
fn all_nine_j(max: i64) -> Vec<[i64; 9]> {
    let mut out = Vec::new();
    for a in 0..=max {
        for b in 0..=max {
            for c in tri(a, b, max) {
                for d in 0..=max {
                    for e in 0..=max {
                        for f in tri(d, e, max) {
                            for g in tri(a, d, max) {
                                for h in tri(b, e, max) {
                                    for i in tri(c, f, max) {
                                        if triad(g, h, i) {
                                            out.push([a, b, c, d, e, f, g, h, i]);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

#[test]
fn nine_j_symmetries() {
    // All 1 079 573 admissible 9j with 2j ≤ 8 are evaluated once; every symmetric image is
    // admissible too, so the relations are checked by lookup (keys: 4 bits per doubled spin).
    let key = |t: [i64; 9]| {
        t.iter()
            .enumerate()
            .fold(0u64, |k, (i, &x)| k | (x as u64) << (4 * i))
    };
    let all = all_nine_j(MAX);
    assert_eq!(all.len(), 1_079_573);
    let values: std::collections::HashMap<u64, SqrtRational> = all
        .iter()
        .map(|&t| (key(t), NineJ::from_twice(t).unwrap().value()))
        .collect();
    for &t in &all {
        let n = NineJ::from_twice(t).unwrap();
        let v = &values[&key(t)];
        let odd = &phase(t.iter().sum()) * v;
        let get = |m: NineJ| &values[&key(m.twice_j())];
        assert_eq!(get(n.transpose()), v, "{n}");
        assert_eq!(*get(n.swap_rows(0, 1).unwrap()), odd, "{n}");
        assert_eq!(*get(n.swap_rows(1, 2).unwrap()), odd, "{n}");
        assert_eq!(*get(n.swap_cols(0, 2).unwrap()), odd, "{n}");
        // Reflection in the anti-diagonal: an even number of swaps.
        let anti = n
            .transpose()
            .swap_rows(0, 2)
            .unwrap()
            .swap_cols(0, 2)
            .unwrap();
        assert_eq!(get(anti), v, "{n}");
    }
}

#[test]
fn nine_j_as_sum_of_six_j() {
    // {a b c; d e f; g h i} = Σ_x (−1)^(2x)(2x+1){a b c; f i x}{d e f; b x h}{g h i; x a d}
    let max = 6;
    for (k, t) in all_nine_j(max).into_iter().enumerate() {
        if k % 5 != 0 {
            continue;
        }
        let [a, b, c, d, e, f, g, h, i] = t;
        let mut s = SqrtSum::zero();
        for x in (0..=2 * max).filter(|&x| triad(a, i, x) && triad(b, f, x) && triad(d, h, x)) {
            let p =
                &(&six([a, b, c, f, i, x]) * &six([d, e, f, b, x, h])) * &six([g, h, i, x, a, d]);
            let w = SqrtRational::rational(if x % 2 == 0 { x + 1 } else { -(x + 1) }, 1);
            s += &(&p * &w);
        }
        assert_eq!(
            s,
            SqrtSum::from(NineJ::from_twice(t).unwrap().value()),
            "{t:?}"
        );
    }
}
