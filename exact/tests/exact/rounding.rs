//! Correct rounding of symbol values, checked against an independent MPFR evaluation.

use crate::common::{nearest_f32, nearest_f64};
use racah_exact::{sqrt_ratio_to_f32, sqrt_ratio_to_f64, SixJ, SqrtRational, ThreeJ};

#[test]
fn six_j_f64_is_correctly_rounded_exhaustively() {
    // every admissible 6j with 2j ≤ 8 (both fast path and rounding)
    let m = 8;
    let mut n = 0;
    for t in 0..(m + 1i64).pow(6) {
        let mut d = [0i64; 6];
        let mut r = t;
        for x in &mut d {
            *x = r % (m + 1);
            r /= m + 1;
        }
        let s = SixJ::from_twice(d[0], d[1], d[2], d[3], d[4], d[5]).unwrap();
        if !s.is_admissible() {
            continue;
        }
        let v = s.value();
        assert_eq!(s.value_f64(), nearest_f64(&v), "{s} = {v}");
        assert_eq!(s.value_f32(), nearest_f32(&v), "{s} = {v}");
        n += 1;
    }
    assert!(n > 10_000, "{n}");
}

#[test]
fn sqrt_ratio_matches_exact_rounding() {
    for p in 1..200u64 {
        for q in 1..60u64 {
            let v = SqrtRational::sqrt_of_ratio(p, q).unwrap();
            assert_eq!(
                sqrt_ratio_to_f64(p as u128, q as u128),
                nearest_f64(&v),
                "√({p}/{q})"
            );
            assert_eq!(
                sqrt_ratio_to_f32(p as u128, q as u128),
                nearest_f32(&v),
                "√({p}/{q})"
            );
            assert_eq!(v.to_f64(), nearest_f64(&v));
        }
    }
}

#[test]
fn large_values_round_correctly() {
    // Big-integer representation (j = 200): exact route of the rounding.
    // WIGXJPF 1.13.3 (measured here, %.17g): {1000 1001 999; 1000 1002 1000} = 7.6364589532861956e-06,
    // (200 150 250; 5 −2 −3) = −0.0011620222340600695; ours are the nearest doubles, within 2 ulp.
    let s = SixJ::from_twice(2000, 2002, 1998, 2000, 2004, 2000).unwrap();
    let w = s.value_f64();
    assert!(
        (w.to_bits() as i64 - 7.636_458_953_286_196e-6f64.to_bits() as i64).abs() <= 2,
        "{w:e}"
    );
    assert_eq!(w, nearest_f64(&s.value()));
    let t = ThreeJ::from_twice(400, 300, 500, 10, -4, -6).unwrap();
    let w = t.value_f64();
    assert!(
        (w.to_bits() as i64 - (-0.0011620222340600695f64).to_bits() as i64).abs() <= 2,
        "{w:e}"
    );
    let s = SixJ::from_twice(400, 402, 398, 400, 404, 400).unwrap();
    let v = s.value();
    assert!(v.is_valid());
    assert_eq!(s.value_f64(), nearest_f64(&v));
    let t = ThreeJ::from_twice(400, 300, 500, 10, -4, -6).unwrap();
    let v = t.value();
    assert_eq!(t.value_f64(), nearest_f64(&v));
    assert_eq!(t.value_f32(), nearest_f32(&v));
}
