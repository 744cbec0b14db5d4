//! Rotations and O(3) elements: conversions, e3nn Euler angles, Haar sampling.

use crate::common::{config, rotation};
use proptest::prelude::*;
use racah_numeric::{
    angles_to_matrix, matrix_to_angles, NumericError, O3Element, Rotation, Tolerance,
};
use std::f64::consts::{FRAC_PI_2, PI};

fn close(a: [[f64; 3]; 3], b: [[f64; 3]; 3], units: f64) -> bool {
    let d = a
        .iter()
        .flatten()
        .zip(b.iter().flatten())
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    Tolerance::scaled::<f64>(units).allows(d, 1.0)
}

#[test]
fn test_rotation_golden() {
    // e3nn: angles_to_matrix(α, 0, 0) = R_y(α) = [[c, 0, s], [0, 1, 0], [−s, 0, c]].
    let (s, c) = 0.3f64.sin_cos();
    assert!(close(
        angles_to_matrix(0.3, 0.0, 0.0).matrix(),
        [[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]],
        1.0
    ));
    assert!(close(
        angles_to_matrix(0.0, 0.3, 0.0).matrix(),
        [[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]],
        1.0
    ));
    // α about y applied last: R(π/2, π/2, 0) e_y = R_y(π/2) (0, 0, 1) = (1, 0, 0)
    let v = angles_to_matrix(FRAC_PI_2, FRAC_PI_2, 0.0).apply([0.0, 1.0, 0.0]);
    assert!((v[0] - 1.0).abs() < 1e-15 && v[1].abs() < 1e-15 && v[2].abs() < 1e-15);
    // axis-angle = quaternion = Euler for a rotation about y
    let q = [(0.35f64).cos(), 0.0, (0.35f64).sin(), 0.0];
    let a = Rotation::from_quaternion(q).unwrap();
    let b = Rotation::from_axis_angle([0.0, 5.0, 0.0], 0.7).unwrap();
    let e = Rotation::from_euler_angles(0.7, 0.0, 0.0).unwrap();
    assert!(close(a.matrix(), b.matrix(), 2.0) && close(a.matrix(), e.matrix(), 2.0));
    // gimbal lock: β = 0 gives α = 0 (e3nn), γ carries the whole angle
    let [al, be, ga] = matrix_to_angles(&angles_to_matrix(0.4, 0.0, 0.2));
    assert!(al == 0.0 && be.abs() < 1e-15 && (ga - 0.6).abs() < 1e-15);
    let [al, be, ga] = matrix_to_angles(&angles_to_matrix(0.4, PI, 0.2));
    assert!((be - PI).abs() < 1e-15); // α, γ individually undefined at β = π
    assert!(close(
        angles_to_matrix(al, be, ga).matrix(),
        angles_to_matrix(0.4, PI, 0.2).matrix(),
        4.0
    ));
    // nalgebra interop
    let n: nalgebra::Rotation3<f64> = a.into();
    assert_eq!(Rotation::from(n), a);
}

#[test]
fn rotation_rejects_bad_input() {
    let nan = [[f64::NAN, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    assert_eq!(
        Rotation::try_from_matrix(nan),
        Err(NumericError::NonFinite {
            what: "rotation matrix",
            index: 0
        })
    );
    let scaled = [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 2.0]];
    let e = Rotation::try_from_matrix(scaled).unwrap_err();
    assert!(matches!(e, NumericError::NotOrthogonal { deviation, .. } if deviation == 3.0));
    assert!(
        e.to_string()
            .contains("is not orthogonal: max |MᵀM − I| = 3e0"),
        "{e}"
    );
    let minus = [[-1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, -1.0]];
    assert!(matches!(
        Rotation::try_from_matrix(minus),
        Err(NumericError::NotProperRotation { .. })
    ));
    assert!(matches!(
        Rotation::from_quaternion([0.0; 4]),
        Err(NumericError::NotUnitQuaternion { norm, .. }) if norm == 0.0
    ));
    assert_eq!(
        Rotation::from_quaternion([1.0, f64::INFINITY, 0.0, 0.0]),
        Err(NumericError::NonFinite {
            what: "quaternion",
            index: 1
        })
    );
    assert_eq!(
        Rotation::from_axis_angle([1.0, 0.0, 0.0], f64::NAN),
        Err(NumericError::NonFinite {
            what: "axis-angle",
            index: 3
        })
    );
    let g = O3Element::try_from_matrix(minus).unwrap();
    assert_eq!(g, O3Element::INVERSION);
    assert!(O3Element::try_from_matrix(scaled).is_err());
}

#[test]
fn rotation_haar_moments() {
    // Haar: E[R] = 0, E[tr R] = 0 and E[(tr R)²] = 1 (tr R is the l = 1 character).
    let mut rng = crate::common::rng(2024);
    let n = 20_000;
    let (mut mean, mut tr, mut tr2) = ([[0.0; 3]; 3], 0.0, 0.0);
    for _ in 0..n {
        let m = Rotation::random(&mut rng).matrix();
        let t = m[0][0] + m[1][1] + m[2][2];
        tr += t;
        tr2 += t * t;
        for i in 0..3 {
            for j in 0..3 {
                mean[i][j] += m[i][j];
            }
        }
    }
    let n = n as f64;
    // each is a mean of n bounded variables with variance ≤ 1: 5σ = 5/√n ≈ 0.035
    for v in mean.iter().flatten() {
        assert!((v / n).abs() < 0.035);
    }
    assert!(
        (tr / n).abs() < 0.035 && (tr2 / n - 1.0).abs() < 0.06,
        "{} {}",
        tr / n,
        tr2 / n
    );
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn rotation_conversions_round_trip(r in rotation()) {
        let m = r.matrix();
        prop_assert!(Rotation::try_from_matrix(m).is_ok());
        let q = r.to_quaternion();
        prop_assert!(q[0] >= 0.0);
        prop_assert!(close(Rotation::from_quaternion(q).unwrap().matrix(), m, 8.0));
        let [a, b, c] = r.to_euler_angles();
        prop_assert!((0.0..=PI).contains(&b));
        prop_assert!(close(angles_to_matrix(a, b, c).matrix(), m, 16.0));
        prop_assert!(close(r.compose(&r.inverse()).matrix(), Rotation::IDENTITY.matrix(), 8.0));
    }

    #[test]
    fn euler_angles_round_trip(a in -3.0f64..3.0, b in 0.01f64..3.13, c in -3.0f64..3.0) {
        let [a2, b2, c2] = matrix_to_angles(&angles_to_matrix(a, b, c));
        let tol = Tolerance::scaled::<f64>(1e3);
        prop_assert!(tol.allows(a2 - a, 1.0) && tol.allows(b2 - b, 1.0) && tol.allows(c2 - c, 1.0),
            "{:?}", [a2, b2, c2]);
    }

    #[test]
    fn o3_group_laws(g in crate::common::o3_element(), h in crate::common::o3_element(), x in crate::common::unit_vector()) {
        let gh = g.compose(&h);
        let lhs = gh.apply(x);
        let rhs = g.apply(h.apply(x));
        for i in 0..3 {
            prop_assert!(Tolerance::scaled::<f64>(8.0).allows(lhs[i] - rhs[i], 1.0));
        }
        prop_assert_eq!(O3Element::try_from_matrix(g.matrix()).unwrap(), g);
        let back = g.inverse().apply(g.apply(x));
        for i in 0..3 {
            prop_assert!(Tolerance::scaled::<f64>(8.0).allows(back[i] - x[i], 1.0));
        }
    }
}
