//! Golden values with provenance: shared/design/conventions-reference.md §3.1 and §3.4 (facts
//! measured against sympy 1.14, WIGXJPF 1.13.3, libwignernj 0.8.0, GSL 2.7.1).

use racah_core::{HalfInt, Ket, Spin};
use racah_exact::{Cg, NineJ, RacahW, SixJ, SqrtRational, ThreeJ};
use rug::{Integer, Rational};

fn sr(neg: bool, num: u64, den: u64) -> SqrtRational {
    let v = SqrtRational::sqrt_of_ratio(num, den).unwrap();
    if neg {
        -v
    } else {
        v
    }
}

#[test]
fn test_cg() {
    // conventions-reference §3.4: ⟨½ ½ ½ −½|1 0⟩ = ⟨½ ½ ½ −½|0 0⟩ = 1/√2
    assert_eq!(
        Cg::from_twice(1, 1, 1, -1, 2, 0).unwrap().value(),
        sr(false, 1, 2)
    );
    assert_eq!(
        Cg::from_twice(1, 1, 1, -1, 0, 0).unwrap().value(),
        sr(false, 1, 2)
    );
    // ⟨1 1 1 0|2 1⟩ = 1/√2, ⟨1 0 1 1|1 1⟩ = −1/√2
    assert_eq!(
        Cg::from_twice(2, 2, 2, 0, 4, 2).unwrap().value(),
        sr(false, 1, 2)
    );
    assert_eq!(
        Cg::from_twice(2, 0, 2, 2, 2, 2).unwrap().value(),
        sr(true, 1, 2)
    );
    // ⟨2 2 2 −2|0 0⟩ = 1/√5
    assert_eq!(
        Cg::from_twice(4, 4, 4, -4, 0, 0).unwrap().value(),
        sr(false, 1, 5)
    );
    // §3.1 non-trivial zeros: ⟨2 1 2 1|3 2⟩ = 0, ⟨2 0 2 0|1 0⟩ = 0
    assert!(Cg::from_twice(4, 2, 4, 2, 6, 4).unwrap().value().is_zero());
    assert!(Cg::from_twice(4, 0, 4, 0, 2, 0).unwrap().value().is_zero());
    // Condon–Shortley: ⟨j1 j1 j2 (J−j1)|J J⟩ > 0
    for tj1 in 0..=8i64 {
        for tj2 in 0..=8i64 {
            let mut tj = (tj1 - tj2).abs();
            while tj <= tj1 + tj2 {
                let tm2 = tj - tj1;
                if tm2.abs() <= tj2 {
                    let v = Cg::from_twice(tj1, tj1, tj2, tm2, tj, tj).unwrap().value();
                    assert_eq!(v.sign(), 1, "<{tj1} {tj1} {tj2} {tm2}|{tj} {tj}>");
                }
                tj += 2;
            }
        }
    }
    // Typed constructors agree with doubled ones.
    let k = |j: u32, m: i32| Ket::new(Spin::from_twice(j), HalfInt::from_twice(m)).unwrap();
    assert_eq!(
        Cg::from_kets(k(2, 2), k(2, 0), k(4, 2)).unwrap().value(),
        Cg::from_twice(2, 2, 2, 0, 4, 2).unwrap().value()
    );
}

#[test]
fn cg_rejects_invalid_structure() {
    assert!(Cg::from_twice(-1, 1, 1, 1, 0, 0).is_err()); // negative spin
    let e = Cg::from_twice(2, 1, 2, 0, 2, 0).unwrap_err(); // j = 1, m = 1/2
    assert!(e.to_string().contains("1/2"), "{e}");
    assert!(Cg::from_twice(1 << 40, 0, 0, 0, 0, 0).is_err()); // too large
                                                              // |m| > j and m1 + m2 != M are zeros, not errors.
    assert!(Cg::from_twice(2, 4, 2, -2, 2, 2).unwrap().value().is_zero());
    assert!(Cg::from_twice(2, 2, 2, 2, 4, 0).unwrap().value().is_zero());
}

#[test]
fn test_three_j() {
    // §3.4: (1 1 1; 1 −1 0) = 1/√6
    assert_eq!(
        ThreeJ::from_twice(2, 2, 2, 2, -2, 0).unwrap().value(),
        sr(false, 1, 6)
    );
    // (j j 0; m −m 0) = (−1)^(j−m)/√(2j+1)
    assert_eq!(
        ThreeJ::from_twice(3, 3, 0, 1, -1, 0).unwrap().value(),
        sr(true, 1, 4)
    );
    assert_eq!(
        ThreeJ::from_twice(4, 4, 0, 2, -2, 0).unwrap().value(),
        sr(true, 1, 5)
    );
    // sympy: wigner_3j(2, 6, 4, 0, 0, 0) = sqrt(715)/143
    assert_eq!(
        ThreeJ::from_twice(4, 12, 8, 0, 0, 0).unwrap().value(),
        sr(false, 715, 143 * 143)
    );
    // odd J with all m = 0 vanishes
    assert!(ThreeJ::from_twice(2, 2, 2, 0, 0, 0)
        .unwrap()
        .value()
        .is_zero());
}

#[test]
fn three_j_rejects_invalid_structure() {
    assert!(ThreeJ::from_twice(2, 2, -2, 0, 0, 0).is_err());
    assert!(ThreeJ::from_twice(2, 2, 2, 1, -1, 0).is_err());
    assert!(ThreeJ::from_twice(2, 2, 2, 0, 0, 0)
        .unwrap()
        .swap_columns(0, 3)
        .is_err());
    // triangle violation: zero
    assert!(ThreeJ::from_twice(2, 2, 6, 0, 0, 0)
        .unwrap()
        .value()
        .is_zero());
}

#[test]
fn test_six_j() {
    let six = |t: i64| SixJ::from_twice(t, t, t, t, t, t).unwrap().value();
    // §3.4
    assert_eq!(six(2), SqrtRational::rational(1, 6));
    assert_eq!(six(6), SqrtRational::rational(-1, 14));
    assert_eq!(six(10), SqrtRational::rational(1, 52));
    assert_eq!(six(16), SqrtRational::rational(-12219, 965770));
    let n: Integer = "-689702489298339102537670065690020673546392459151"
        .parse()
        .unwrap();
    let d: Integer = "685156255050893201410177587912464646581542678203700"
        .parse()
        .unwrap();
    assert_eq!(
        six(120),
        SqrtRational::from_rational(Rational::from((n, d)))
    );
    // §3.1: {½ ½ ½; ½ ½ ½} = 0 (non-integer triad sum)
    assert!(six(1).is_zero());
    let one = Spin::int(1);
    assert_eq!(
        SixJ::new([one; 3], [one; 3]).unwrap().value(),
        SqrtRational::rational(1, 6)
    );
}

#[test]
fn six_j_rejects_invalid_structure() {
    assert!(SixJ::from_twice(2, 2, 2, 2, 2, -2).is_err());
    assert!(SixJ::from_twice(2, 2, 2, 2, 2, i64::MAX).is_err());
    let s = SixJ::from_twice(2, 2, 2, 2, 2, 2).unwrap();
    assert!(s.swap_columns(3, 0).is_err());
    assert!(s.swap_rows_in_columns(0, 7).is_err());
    // triangle violation: zero
    assert!(SixJ::from_twice(2, 2, 8, 2, 2, 2)
        .unwrap()
        .value()
        .is_zero());
}

#[test]
fn test_nine_j() {
    let nine = |t: [i64; 9]| NineJ::from_twice(t).unwrap().value();
    // §3.4
    assert_eq!(
        nine([2, 2, 2, 2, 2, 2, 2, 2, 0]),
        SqrtRational::rational(1, 18)
    );
    assert_eq!(
        nine([2, 4, 6, 6, 4, 2, 4, 2, 6]),
        sr(true, 16 * 70, 11025 * 11025)
    );
    assert_eq!(
        nine([2, 4, 6, 6, 4, 2, 4, 2, 6]).to_string(),
        "-4*sqrt(70)/11025"
    );
    assert_eq!(
        nine([6, 6, 4, 6, 6, 4, 6, 6, 4]).to_string(),
        "17*sqrt(6)/4410"
    );
    assert!(nine([10; 9]).is_zero());
}

#[test]
fn nine_j_rejects_invalid_structure() {
    assert!(NineJ::from_twice([2, 2, 2, 2, 2, 2, 2, 2, -2]).is_err());
    let n = NineJ::from_twice([2; 9]).unwrap();
    assert!(n.swap_rows(0, 3).is_err());
    assert!(n.swap_cols(5, 0).is_err());
    assert!(NineJ::from_twice([2, 2, 8, 2, 2, 2, 2, 2, 2])
        .unwrap()
        .value()
        .is_zero());
}

#[test]
fn test_racah_w() {
    // §3.1 check value: W(1, 3/2, 2, 5/2; 3/2, 2) = √2/60 = 0.023570226039551584
    let w = RacahW::from_twice(2, 3, 4, 5, 3, 4).unwrap();
    assert_eq!(w.value().to_string(), "sqrt(2)/60");
    assert_eq!(w.value_f64(), 0.023570226039551584);
    // §3.4: W(3,3,3,3;3,3) = −1/14; W(5.5,7.5,9.5,6.5;8,9) = −719√598/1158924
    assert_eq!(
        RacahW::from_twice(6, 6, 6, 6, 6, 6).unwrap().value(),
        SqrtRational::rational(-1, 14)
    );
    let w = RacahW::from_twice(11, 15, 19, 13, 16, 18).unwrap().value();
    assert_eq!(w.to_string(), "-719*sqrt(598)/1158924");
}

#[test]
fn racah_w_rejects_invalid_structure() {
    assert!(RacahW::from_twice(2, 3, 4, 5, 3, -4).is_err());
    assert!(RacahW::from_twice(2, 2, 2, 2, 2, 20)
        .unwrap()
        .value()
        .is_zero());
}

#[test]
fn large_j_smoke() {
    // j = 10 000: finite, no panic; values are small but far from underflow.
    let t = 20_000;
    let v = SixJ::from_twice(t, t, t, t, t, t).unwrap().value_f64();
    assert!(v.is_finite() && v != 0.0 && v.abs() < 1e-3, "{v}");
    let w = ThreeJ::from_twice(t, t, t, 0, 0, 0).unwrap().value_f64();
    assert!(w.is_finite() && w != 0.0 && w.abs() < 1e-2, "{w}");
    let w = ThreeJ::from_twice(t, t, t, 2, 4, -6).unwrap().value_f32();
    assert!(w.is_finite() && w != 0.0, "{w}");
}

#[test]
fn test_cg_block() {
    // ⟨1 m1 1 m2|1 M⟩: antisymmetric block with entries ±1/√2
    let one = Spin::int(1);
    let b = racah_exact::cg_block(one, one, one).unwrap();
    assert_eq!(b.shape(), [3, 3, 3]);
    assert_eq!(b.nonzeros().count(), 6);
    for (i1, i2, k, v) in b.nonzeros() {
        assert_eq!(v.abs(), sr(false, 1, 2), "({i1}, {i2}, {k})");
        assert_eq!(*b.get(i2, i1, k), -v.clone());
    }
    let dense = racah_exact::cg_block_f64(one, one, Spin::int(2)).unwrap();
    assert_eq!(dense.len(), 45);
    assert_eq!(dense[(2 * 3 + 2) * 5 + 4], 1.0); // ⟨1 1 1 1|2 2⟩ = 1
}

#[test]
fn cg_block_rejects_too_large() {
    let big = Spin::int(200);
    let e = racah_exact::cg_block(big, big, Spin::int(400)).unwrap_err();
    assert!(e.to_string().contains("(200, 200, 400)"), "{e}");
    assert!(racah_exact::cg_block(
        Spin::from_twice(1 << 23),
        Spin::ZERO,
        Spin::from_twice(1 << 23)
    )
    .is_err());
    // triangle violation: an all-zero block, not an error
    let z = racah_exact::cg_block(Spin::int(1), Spin::int(1), Spin::int(3)).unwrap();
    assert_eq!(z.nonzeros().count(), 0);
}
