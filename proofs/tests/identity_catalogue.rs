//! The identity catalogue: every identity holds exactly (`==`) on every case up to a small
//! bound, the enumerations are deterministic and have independently known sizes, the symmetry
//! groups are generated with the right orders, malformed or out-of-enumeration cases fail, and
//! random cases far beyond the exhaustive bounds hold (proptest, seeded).

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use racah_core::testing::seeded;
use racah_exact::testing as ex;
use racah_proofs::identity::{
    self, nine_j_symmetry_group, six_j_symmetry_group, BiedenharnElliott, Case, CgCompleteness,
    CgEquivariance, CgOrthogonality, FMove, Identity, NineJCgContraction, NineJOrthogonality,
    NineJSixJSum, NineJSymmetries, RacahSumRule, RunConfig, SixJOrthogonality, SixJSymmetries,
    ThreeJSymmetries, WignerEckart,
};
use std::collections::HashSet;

/// Exhaustive bound per identity for the debug test run (release `racah prove` goes further).
fn small_bound(name: &str) -> u32 {
    match name {
        "cg-orthogonality" | "cg-completeness" | "three-j-symmetries" | "cg-equivariance" => 8,
        "wigner-eckart" => 12,
        "six-j-symmetries" | "six-j-orthogonality" | "racah-sum-rule" | "f-move" => 6,
        _ => 3,
    }
}

#[test]
fn every_identity_holds_at_a_small_bound() {
    let bar = indicatif::ProgressBar::hidden();
    for id in identity::catalogue() {
        let bound = small_bound(id.name());
        let r = identity::run(*id, bound, &RunConfig::default(), &bar);
        assert!(r.passed(), "{}: {:?}", id.name(), r.first_failures);
        assert!(
            r.cases_checked > 0,
            "{} has no cases at bound {bound}",
            id.name()
        );
        assert_eq!(
            r.cases_checked,
            id.cases(bound).count() as u64,
            "{}",
            id.name()
        );
        assert_eq!(r.max_twice_j, bound);
    }
}

#[test]
fn catalogue_names_are_unique_kebab_case_and_findable() {
    let mut seen = HashSet::new();
    for id in identity::catalogue() {
        let n = id.name();
        assert!(seen.insert(n), "duplicate name {n}");
        assert!(
            n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{n}"
        );
        assert!(
            !n.starts_with('-') && !n.ends_with('-') && !n.contains("--"),
            "{n}"
        );
        assert_eq!(identity::find(n).map(|i| i.name()), Ok(n));
        assert!(!id.description().is_empty() && id.default_bound() > 0);
    }
    assert_eq!(seen.len(), 14);
}

#[test]
fn find_rejects_unknown_names_and_lists_the_valid_ones() {
    let err = identity::find("six-j-symetries")
        .map(|i| i.name())
        .unwrap_err();
    assert_eq!(err.name, "six-j-symetries");
    let msg = err.to_string();
    assert!(
        msg.starts_with("unknown identity `six-j-symetries`; valid names: "),
        "{msg}"
    );
    for id in identity::catalogue() {
        assert!(msg.contains(id.name()), "{msg}");
    }
    assert!(identity::find("").is_err());
}

/// Case counts at bounds 0..=4, recorded from this enumeration; the cross-identity equalities
/// (every admissible 6j is one Racah-sum-rule case and one labelled F-move; the three 9j
/// identities share one enumeration) are structural.
#[test]
fn enumeration_sizes_golden() {
    let golden: [(&str, [usize; 5]); 14] = [
        ("cg-orthogonality", [1, 6, 27, 83, 216]),
        ("cg-completeness", [1, 11, 56, 192, 517]),
        ("three-j-symmetries", [1, 7, 35, 113, 303]),
        ("six-j-symmetries", [1, 8, 47, 181, 570]),
        ("six-j-orthogonality", [1, 8, 49, 187, 590]),
        ("racah-sum-rule", [1, 8, 47, 181, 570]),
        ("biedenharn-elliott", [1, 16, 217, 1618, 9092]),
        ("nine-j-six-j-sum", [1, 16, 215, 1616, 9060]),
        ("nine-j-cg-contraction", [1, 16, 215, 1616, 9060]),
        ("nine-j-symmetries", [1, 16, 215, 1616, 9060]),
        ("nine-j-orthogonality", [1, 16, 233, 1690, 9536]),
        ("f-move", [1, 8, 47, 181, 570]),
        ("wigner-eckart", [8, 16, 24, 32, 40]),
        ("cg-equivariance", [1, 4, 11, 23, 42]),
    ];
    for (name, counts) in golden {
        let id = identity::find(name).unwrap();
        let got: Vec<usize> = (0..=4).map(|b| id.cases(b).count()).collect();
        assert_eq!(got, counts, "{name}");
    }
}

/// Independent sizes from `shared/design/conventions-reference.md` §3.1 (measured with
/// libwignernj/WIGXJPF): 254 395 triangle-valid 6j with integer j ≤ 10 and 109 631 9j with
/// integer j ≤ 4.
#[test]
fn six_j_and_nine_j_enumerations_match_independent_counts() {
    let integer = |c: &Case| c.args().iter().all(|t| t % 2 == 0);
    assert_eq!(SixJSymmetries.cases(20).filter(integer).count(), 254_395);
    assert_eq!(NineJSymmetries.cases(8).filter(integer).count(), 109_631);
}

#[test]
fn enumerations_are_deterministic_and_within_the_bound() {
    for id in identity::catalogue() {
        let a: Vec<Case> = id.cases(4).collect();
        let b: Vec<Case> = id.cases(4).collect();
        assert_eq!(a, b, "{}", id.name());
        let distinct: HashSet<&Case> = a.iter().collect();
        assert_eq!(distinct.len(), a.len(), "{} repeats a case", id.name());
        // Every bound-3 case appears among the bound-4 cases.
        let larger: HashSet<Case> = a.into_iter().collect();
        assert!(id.cases(3).all(|c| larger.contains(&c)), "{}", id.name());
    }
    // Symbol-type identities: every argument is a doubled spin within the bound.
    for id in [
        &SixJSymmetries as &dyn Identity,
        &NineJSymmetries,
        &FMove,
        &BiedenharnElliott,
    ] {
        assert!(id
            .cases(5)
            .all(|c| c.args().iter().all(|&t| (0..=5).contains(&t))));
    }
}

#[test]
fn six_j_group_is_generated_with_144_elements() {
    let g = six_j_symmetry_group();
    assert_eq!(g.len(), 144);
    assert_eq!(g.iter().filter(|m| m.is_permutation()).count(), 24);
    assert_eq!(g.iter().collect::<HashSet<_>>().len(), 144);
    // {1 2 3; 3 3 3} has 144 distinct images (its Bargmann array has no symmetry), all
    // admissible 6j symbols.
    let t = [2, 4, 6, 6, 6, 6];
    assert!(SixJSymmetries.cases(20).any(|c| c.args() == t));
    let images: HashSet<[i64; 6]> = g.iter().map(|m| m.apply(t).unwrap()).collect();
    assert_eq!(images.len(), 144);
    assert!(images.iter().all(|u| racah_exact::SixJ::from_twice(
        u[0], u[1], u[2], u[3], u[4], u[5]
    )
    .unwrap()
    .is_admissible()));
}

#[test]
fn six_j_map_rejects_non_spin_images() {
    // Regge's map on a symbol with an odd column sum gives half-odd doubled values.
    let regge_images = six_j_symmetry_group()
        .iter()
        .filter(|m| m.apply([0, 1, 0, 0, 0, 0]).is_none());
    assert!(regge_images.count() > 0);
    let failure = SixJSymmetries
        .check(&Case::new([0, 1, 0, 0, 0, 0]))
        .unwrap_err();
    assert!(failure.relation.contains("not a 6j symbol"), "{failure}");
    assert_eq!(failure.arguments, "0 1 0 0 0 0");
}

#[test]
fn nine_j_group_is_generated_with_72_elements() {
    let g = nine_j_symmetry_group();
    assert_eq!(g.len(), 72);
    assert_eq!(g.iter().filter(|m| m.is_odd()).count(), 36);
    let t = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    assert_eq!(
        g.iter().map(|m| m.apply(t)).collect::<HashSet<_>>().len(),
        72
    );
    // Transposition is even, a row exchange odd.
    let transpose = [1, 4, 7, 2, 5, 8, 3, 6, 9];
    let swapped = [4, 5, 6, 1, 2, 3, 7, 8, 9];
    assert!(g.iter().any(|m| m.apply(t) == transpose && !m.is_odd()));
    assert!(g.iter().any(|m| m.apply(t) == swapped && m.is_odd()));
}

#[test]
fn malformed_cases_fail_with_their_arguments() {
    for id in identity::catalogue() {
        let f = id.check(&Case::new([])).unwrap_err();
        assert_eq!(f.relation, "malformed case", "{}", id.name());
        assert!(f.lhs.contains("0 arguments"), "{}: {f}", id.name());
        let n = id.cases(2).next().unwrap().args().len();
        let mut bad = [0i64; 9];
        bad[0] = -2;
        let case = match n {
            2 => Case::new([-2, 0]),
            3 => Case::new([-2, 0, 0]),
            5 => Case::new([-2, 0, 0, 0, 0]),
            6 => Case::new([-2, 0, 0, 0, 0, 0]),
            9 => Case::new(bad),
            _ => panic!("{} has {n} arguments", id.name()),
        };
        let f = id.check(&case).unwrap_err();
        assert!(
            f.lhs.contains("negative doubled spin -2"),
            "{}: {f}",
            id.name()
        );
        assert!(f.arguments.starts_with("-2 0"), "{}: {f}", id.name());
    }
    let f = WignerEckart.check(&Case::new([2, 99])).unwrap_err();
    assert!(f.lhs.contains("operator index 99"), "{f}");
}

/// The δ-type identities compare both sides: outside their enumeration (a coupled spin that
/// breaks a triangle) the sum vanishes while the δ does not, and the failure says so.
#[test]
fn delta_identities_fail_outside_their_enumeration() {
    // J = J' = 3 is not in 1 ⊗ 1: every CG is 0, but δ_JJ' = 1.
    let f = CgOrthogonality
        .check(&Case::new([2, 2, 6, 6, 0]))
        .unwrap_err();
    assert_eq!((f.lhs.as_str(), f.rhs.as_str()), ("0", "1"));
    assert!(f.relation.contains("<1 m1 1 M-m1|3 0>"), "{f}");
    // m1 = m1' = 2 is outside j1 = 1.
    let f = CgCompleteness
        .check(&Case::new([2, 2, 4, 0, 4, 0]))
        .unwrap_err();
    assert_eq!((f.lhs.as_str(), f.rhs.as_str()), ("0", "1"));
    // y = y' = 3 is not in 1 ⊗ 1.
    let f = SixJOrthogonality
        .check(&Case::new([2, 2, 2, 2, 6, 6]))
        .unwrap_err();
    assert_eq!((f.lhs.as_str(), f.rhs.as_str()), ("0", "1"));
    // g = g' = 3 is not in 1 ⊗ 1.
    let f = NineJOrthogonality
        .check(&Case::new([2, 2, 2, 2, 2, 6, 2, 6, 2]))
        .unwrap_err();
    assert_eq!((f.lhs.as_str(), f.rhs.as_str()), ("0", "1"));
}

#[test]
fn worked_cases_hold() {
    let ok: [(&dyn Identity, Case); 14] = [
        (&CgOrthogonality, Case::new([2, 2, 2, 4, 0])),
        (&CgCompleteness, Case::new([1, 1, 1, -1, -1, 1])),
        (&ThreeJSymmetries, Case::new([2, 2, 2, 2, -2, 0])),
        (&SixJSymmetries, Case::new([6, 6, 6, 6, 6, 6])),
        (&SixJOrthogonality, Case::new([2, 2, 2, 2, 0, 4])),
        (&RacahSumRule, Case::new([2, 2, 2, 2, 2, 4])),
        (&BiedenharnElliott, Case::new([2, 2, 2, 2, 2, 2, 2, 2, 2])),
        (&NineJSixJSum, Case::new([2, 4, 6, 6, 4, 2, 4, 2, 6])),
        (&NineJCgContraction, Case::new([2, 4, 6, 6, 4, 2, 4, 2, 6])),
        (&NineJSymmetries, Case::new([6, 6, 4, 6, 6, 4, 6, 6, 4])),
        (&NineJOrthogonality, Case::new([2, 2, 2, 2, 2, 2, 2, 0, 2])),
        (&FMove, Case::new([3, 1, 2, 2, 3, 2])),
        (&WignerEckart, Case::new([7, 7])),
        (&CgEquivariance, Case::new([5, 4, 3])),
    ];
    for (id, case) in ok {
        assert_eq!(id.check(&case), Ok(()), "{} {case}", id.name());
    }
}

fn twice(s: racah_core::Spin) -> i64 {
    i64::from(s.twice())
}

/// Seeded, with regressions kept in `proofs/proptest-regressions/` (integration tests have no
/// `lib.rs` for proptest's default source-relative persistence).
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/identity_catalogue.txt",
        ))),
        ..seeded(0x4_0001)
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn six_j_identities_hold_for_random_symbols(s in racah_core::testing::admissible_six_j(40)) {
        let t = s.map(twice);
        prop_assert_eq!(SixJSymmetries.check(&Case::new(t)), Ok(()));
        // {a c q; b d p} admissible ⇔ (a, b, c, d, p, q) is a Racah-sum-rule case.
        let [a, c, q, b, d, p] = t;
        prop_assert_eq!(RacahSumRule.check(&Case::new([a, b, c, d, p, q])), Ok(()));
        // {j1 j2 j12; j3 J j23} admissible ⇔ a labelling of both F-move trees.
        let [j1, j2, j12, j3, j, j23] = t;
        if j <= 16 {
            prop_assert_eq!(FMove.check(&Case::new([j1, j2, j3, j12, j23, j])), Ok(()));
        }
    }

    #[test]
    fn six_j_orthogonality_holds_for_random_arguments(
        s in racah_core::testing::admissible_six_j(30),
        pick in 0usize..64,
    ) {
        let [a, b, _, c, d, y] = s.map(twice);
        // y' runs over the same series as y: (a d y') and (c b y') admissible.
        let lo = (a - d).abs().max((c - b).abs());
        let ys: Vec<i64> = (lo..=(a + d).min(c + b)).step_by(2).collect();
        let y2 = ys[pick % ys.len()];
        prop_assert_eq!(SixJOrthogonality.check(&Case::new([a, b, c, d, y, y2])), Ok(()));
    }

    #[test]
    fn nine_j_identities_hold_for_random_symbols(s in racah_core::testing::admissible_nine_j(14)) {
        let t = s.map(twice);
        prop_assert_eq!(NineJSixJSum.check(&Case::new(t)), Ok(()));
        prop_assert_eq!(NineJSymmetries.check(&Case::new(t)), Ok(()));
        if t.iter().take(4).map(|&x| x + 1).product::<i64>() <= 400 {
            prop_assert_eq!(NineJCgContraction.check(&Case::new(t)), Ok(()));
        }
    }

    #[test]
    fn biedenharn_elliott_holds_for_random_arguments(
        ad in proptest::array::uniform4(0i64..=10),
        picks in proptest::array::uniform5(0usize..64),
    ) {
        // Constructed, not filtered: each spin is drawn from the series that closes its
        // triads; r closes (a e r) and, when possible, (b f r) (else both sides vanish).
        let series = |x: i64, y: i64| -> Vec<i64> { ((x - y).abs()..=x + y).step_by(2).collect() };
        let pick = |v: &[i64], k: usize| v[picks[k] % v.len()];
        let [a, d, b, e] = ad;
        let p = pick(&series(a, d), 0);
        let c = pick(&series(b, p), 1);
        let q = pick(&series(d, e), 2);
        let f = pick(&series(c, q), 3);
        let (ae, bf) = (series(a, e), series(b, f));
        let both: Vec<i64> = ae.iter().copied().filter(|r| bf.contains(r)).collect();
        let r = pick(if both.is_empty() { &ae } else { &both }, 4);
        prop_assert_eq!(BiedenharnElliott.check(&Case::new([a, b, c, d, e, f, p, q, r])), Ok(()));
    }

    #[test]
    fn cg_identities_hold_for_random_arguments(cg in ex::admissible_cg(24), pick in 0usize..64) {
        let [a, b, c] = cg.twice_j();
        let [x, y, z] = cg.twice_m();
        prop_assert_eq!(CgEquivariance.check(&Case::new([a, b, c])), Ok(()));
        let js: Vec<i64> = ((a - b).abs()..=a + b).step_by(2).filter(|&j| j >= z.abs()).collect();
        let c2 = js[pick % js.len()];
        prop_assert_eq!(CgOrthogonality.check(&Case::new([a, b, c, c2, z])), Ok(()));
        let xs: Vec<i64> = (-a..=a).step_by(2).filter(|&x2| (z - x2).abs() <= b).collect();
        let x2 = xs[pick % xs.len()];
        prop_assert_eq!(CgCompleteness.check(&Case::new([a, b, x, y, x2, z - x2])), Ok(()));
    }

    #[test]
    fn three_j_symmetries_hold_for_random_symbols(s in ex::admissible_three_j(60)) {
        let [a, b, c] = s.twice_j();
        let [x, y, z] = s.twice_m();
        prop_assert_eq!(ThreeJSymmetries.check(&Case::new([a, b, c, x, y, z])), Ok(()));
    }

    #[test]
    fn wigner_eckart_holds_for_random_spins(tj in 0i64..=40, op in 0i64..8) {
        prop_assert_eq!(WignerEckart.check(&Case::new([tj, op])), Ok(()));
    }

    #[test]
    fn case_text_is_its_arguments(args in proptest::array::uniform7(-50i64..50)) {
        let c = Case::new(args);
        prop_assert_eq!(c.args(), &args[..]);
        let parsed: Vec<i64> = c.to_string().split(' ').map(|s| s.parse().unwrap()).collect();
        prop_assert_eq!(parsed, args.to_vec());
        prop_assert_eq!(c.array::<7>(0), Ok(args));
    }
}
