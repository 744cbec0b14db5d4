//! Golden values of e3nn's real spherical harmonics, l ≤ 6.
//!
//! Provenance: `bench/scratch_sh/derive_e3nn_sh.py` (sympy 1.14) builds e3nn's real CG tensor
//! C^(1,l,l+1) exactly from the formula in conventions-reference §3.3 (su2 CG and the Q_l
//! change of basis with the (−i)^l phase), defines Y_{l+1} ∝ C^(1,l,l+1)·(x ⊗ Y_l) with
//! component normalisation (as e3nn), evaluates exactly at the normalised points below and
//! rounds to f64. The same script checks that the result equals the standard real SH without
//! Condon–Shortley phase at (z, x, y) for l ≤ 6, and that building with C^(l+1,1,l) (e3nn
//! torch's ordering) gives the same signs. Exact forms for l ≤ 3 at (1,2,3)/√14, e.g.:
//! Y_2 = (3√15/14, √15/7, −√5/14, 3√15/7, 2√15/7), Y_3[0] = 13√5/28, Y_3[3] = −11√2/14.

use racah_numeric::{ShNormalization, SphericalHarmonics, Tolerance};

/// (point (normalised before evaluation), Y_0..Y_6 component-normalised).
#[rustfmt::skip]
pub const GOLDEN: [([f64; 3], [f64; 49]); 4] = [
    (
        [1.0, 2.0, 3.0],
        [
            1.0, 0.4629100498862757, 0.9258200997725514, 1.3887301496588271,
            0.8299250027587322, 0.5532833351724882, -0.15971914124998499, 1.6598500055174643,
            1.1065666703449764, 1.0381744181249024, 1.1736911946539275, 0.18557687223952257,
            -1.1111677990074318, 0.5567306167185677, 1.5649215928719031, 0.7187361356249324,
            1.086626898936664, 1.6647827058586198, 0.7187361356249324, -0.33881546358946923,
            -1.0178571428571428, -1.0164463907684076, 0.9583148474999099, 1.1525418732867367,
            0.31693284552319373, 1.002602136880395, 1.92638359867987, 1.3526994689472958,
            -0.2780495223150758, -0.5517374161544961, 0.031657330729568514, -1.6552122484634884,
            -0.37073269642010104, 0.9364842477327432, 0.5618618829482954, -0.03807349886887576,
            0.8261034337061643, 1.932263186998437, 1.8772856004560883, 0.12376862697446844,
            -1.0139506748292992, -0.25892004395040347, 1.0531520944913948, -0.7767601318512104,
            -1.3519342331057322, 0.08568597252078584, 0.5475416334663591, -0.07337708305057355,
            -0.3106713767783866,
        ],
    ),
    (
        [-0.6, 0.0, 0.8],
        [
            1.0, -1.0392304845413263, 0.0, 1.3856406460551018,
            -1.8590320061795602, 0.0, -1.118033988749895, 0.0,
            0.5422176684690384, -1.9577844620897369, 0.0, 0.972111104761179,
            0.0, -1.296148139681572, 0.0, -0.7362608233499864,
            -1.1926816842728827, 0.0, 1.6099689437998486, 0.0,
            1.125, 0.0, -0.4695742752749558, 0.0,
            -1.8706644274160986, 0.17646555924598997, 0.0, 1.6233091202848582,
            0.0, -0.9633924433998847, 0.0, 1.284523257866513,
            0.0, 0.6104752247225107, 0.0, -2.3201125848544506,
            1.5958467867511592, 0.0, 0.9615707150282812, 0.0,
            -1.5674820573135757, 0.0, -1.1267347735824966, 0.0,
            0.4571822667164596, 0.0, 1.508177877440191, 0.0,
            -1.821677086702251,
        ],
    ),
    (
        [0.0, 1.0, 0.0],
        [
            1.0, 0.0, 1.7320508075688772, 0.0,
            0.0, 0.0, 2.23606797749979, 0.0,
            0.0, 0.0, 0.0, 0.0,
            2.6457513110645907, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0,
            3.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 3.3166247903554, 0.0,
            0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 3.605551275463989, 0.0,
            0.0, 0.0, 0.0, 0.0,
            0.0,
        ],
    ),
    (
        [1.0, -2.0, -2.0],
        [
            1.0, 0.5773502691896257, -1.1547005383792515, -1.1547005383792515,
            -0.8606629658238705, -0.8606629658238705, 0.37267799624996495, 1.721325931647741,
            0.6454972243679028, 0.852153730729151, 1.5180667801421628, 0.6600754415045043,
            0.6859355250908198, -1.3201508830090085, -1.1385500851066221, -0.15493704195075472,
            -0.6573421981221795, -1.704307461458302, -1.573529317499852, -0.058560697410525546,
            -1.2824074074074074, 0.11712139482105109, 1.180146988124889, 0.30987408390150945,
            -0.1917248077856357, 0.39258998417100704, 1.4534382866924878, 2.1197056413976068,
            0.8391429860724162, -0.5748638036748283, 1.0134131303863723, 1.1497276073496565,
            -0.6293572395543122, -0.38540102570865575, 0.4239195002853089, 0.3638638877682504,
            -0.14617322665978957, -0.9436688787747746, -2.060979756147722, -1.6753494782672536,
            0.34940443664397264, 0.8329350519043797, -0.06213269944858212, -1.6658701038087593,
            -0.2620533274829795, 0.30460899604859154, -0.6011190955430856, -0.8746199364254008,
            -0.38868789816353133,
        ],
    ),
];

#[test]
fn test_sh_golden_e3nn_l_le_6() {
    // Each value is a recurrence of ≤ l steps of 3-term sums of values ≤ √(2l+1): error
    // ≤ 2·(l+1) eps per unit of scale; scale √(2l+1) ≤ √13.
    let tol = Tolerance::scaled::<f64>(2.0 * 7.0);
    let sh = SphericalHarmonics::<f64>::new(6, ShNormalization::Component, true).unwrap();
    for (p, want) in GOLDEN {
        let got = sh.compute_point(p);
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                tol.allows(g - w, 13f64.sqrt()),
                "point {p:?}, index {i}: {g} vs {w}"
            );
        }
    }
}

#[test]
fn test_sh_golden_f32() {
    let tol = Tolerance::scaled::<f32>(2.0 * 7.0);
    let sh = SphericalHarmonics::<f32>::new(6, ShNormalization::Component, true).unwrap();
    for (p, want) in GOLDEN {
        let got = sh.compute_point(p.map(|v| v as f32));
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                tol.allows(f64::from(*g) - w, 13f64.sqrt()),
                "point {p:?}, index {i}"
            );
        }
    }
}

#[test]
fn test_sh_e3nn_worked_examples() {
    // e3nn: spherical_harmonics("1o", (1, 2, 3), normalize=True, normalization="component")
    // = √3·(1, 2, 3)/√14 (conventions-reference §3.3); normalize=False gives √3·(1, 2, 3).
    let s3 = 3f64.sqrt();
    let sh = SphericalHarmonics::<f64>::new(1, ShNormalization::Component, false).unwrap();
    assert_eq!(
        sh.compute_point([1.0, 2.0, 3.0]),
        vec![1.0, s3, 2.0 * s3, 3.0 * s3]
    );
    let sh = SphericalHarmonics::<f64>::new(1, ShNormalization::Component, true).unwrap();
    let got = sh.compute_point([1.0, 2.0, 3.0]);
    let n = 14f64.sqrt();
    let tol = Tolerance::scaled::<f64>(4.0);
    for (g, w) in got[1..].iter().zip([s3 / n, 2.0 * s3 / n, 3.0 * s3 / n]) {
        assert!(tol.allows(g - w, 1.0));
    }
    // l = 2 components ∝ (xz, xy, 2y²−x²−z², yz, z²−x²) with factors √15, √15, √5/2, √15, √15/2.
    let sh = SphericalHarmonics::<f64>::new(2, ShNormalization::Component, false).unwrap();
    let [x, y, z] = [0.5, -1.5, 2.0];
    let want = [
        15f64.sqrt() * x * z,
        15f64.sqrt() * x * y,
        5f64.sqrt() / 2.0 * (2.0 * y * y - x * x - z * z),
        15f64.sqrt() * y * z,
        15f64.sqrt() / 2.0 * (z * z - x * x),
    ];
    let got = sh.compute_point([x, y, z]);
    for (g, w) in got[4..].iter().zip(want) {
        assert!(
            Tolerance::scaled::<f64>(8.0).allows(g - w, 10.0),
            "{g} vs {w}"
        );
    }
}
