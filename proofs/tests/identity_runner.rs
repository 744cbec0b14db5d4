//! The runner: deliberately wrong identities (test-only hooks that check perturbed relations
//! over the real enumerations) are reported as failures naming their arguments and both sides;
//! reports do not depend on chunking; deadlines and panics are reported, not hidden.

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use racah_core::testing::seeded;
use racah_exact::{SixJ, SqrtRational, SqrtSum};
use racah_proofs::identity::SixJSymmetries;
use racah_proofs::identity::{self, Case, Cases, Failure, Identity, RacahSumRule, RunConfig};
use racah_proofs::prove_report::IdentityReport;
use std::time::Instant;

fn six_j(t: [i64; 6]) -> SqrtRational {
    SixJ::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])
        .unwrap()
        .value()
}

/// Racah's sum rule with the phase (−1)^(p+q+x) dropped: wrong whenever two terms survive.
struct PhaselessRacah;

impl Identity for PhaselessRacah {
    fn name(&self) -> &'static str {
        "phaseless-racah"
    }
    fn description(&self) -> &'static str {
        "Σ_x (2x+1) {a b x; c d p}{a b x; d c q} = {a c q; b d p} (wrong: phase dropped)"
    }
    fn default_bound(&self) -> u32 {
        4
    }
    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        RacahSumRule.cases(max_twice_j)
    }
    fn check(&self, case: &Case) -> Result<(), Failure> {
        let [a, b, c, d, p, q] = case.array::<6>(6)?;
        let mut lhs = SqrtSum::zero();
        let lo = (a - b).abs().max((c - d).abs());
        for x in (lo..=(a + b).min(c + d)).step_by(2) {
            lhs += &(&(&six_j([a, b, x, c, d, p]) * &six_j([a, b, x, d, c, q]))
                * &SqrtRational::from(x + 1));
        }
        let rhs = SqrtSum::from(six_j([a, c, q, b, d, p]));
        if lhs == rhs {
            Ok(())
        } else {
            Err(Failure::new(case, "phaseless Racah sum rule", lhs, rhs))
        }
    }
}

/// A false "symmetry": exchanging upper and lower entries in a single column.
struct OneColumnFlip;

impl Identity for OneColumnFlip {
    fn name(&self) -> &'static str {
        "one-column-flip"
    }
    fn description(&self) -> &'static str {
        "{a b c; d e f} = {d b c; a e f} (wrong)"
    }
    fn default_bound(&self) -> u32 {
        4
    }
    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        SixJSymmetries.cases(max_twice_j)
    }
    fn check(&self, case: &Case) -> Result<(), Failure> {
        let [a, b, c, d, e, f] = case.array::<6>(6)?;
        let (lhs, rhs) = (six_j([a, b, c, d, e, f]), six_j([d, b, c, a, e, f]));
        if lhs == rhs {
            Ok(())
        } else {
            Err(Failure::new(
                case,
                "{a b c; d e f} = {d b c; a e f}",
                lhs,
                rhs,
            ))
        }
    }
}

/// Fails every seventh case; panics on case 5.
struct Faulty;

impl Identity for Faulty {
    fn name(&self) -> &'static str {
        "faulty"
    }
    fn description(&self) -> &'static str {
        "fails when the first argument is a multiple of 7"
    }
    fn default_bound(&self) -> u32 {
        0
    }
    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        Box::new((0..i64::from(max_twice_j)).map(|i| Case::new([i])))
    }
    fn check(&self, case: &Case) -> Result<(), Failure> {
        let [i] = case.array::<1>(0)?;
        if i == 5 {
            panic!("deliberate panic at {i}");
        }
        if i % 7 == 0 {
            return Err(Failure::new(case, "i mod 7 != 0", i % 7, "nonzero"));
        }
        Ok(())
    }
}

fn run(id: &dyn Identity, bound: u32, config: &RunConfig) -> IdentityReport {
    identity::run(id, bound, config, &indicatif::ProgressBar::hidden())
}

/// Failures by a plain sequential pass, for comparison with the parallel runner.
fn sequential_failures(id: &dyn Identity, bound: u32) -> Vec<(u64, Failure)> {
    id.cases(bound)
        .enumerate()
        .filter_map(|(i, c)| id.check(&c).err().map(|f| (i as u64, f)))
        .collect()
}

#[test]
fn a_wrong_phase_is_reported_with_its_arguments() {
    let r = run(&PhaselessRacah, 4, &RunConfig::default());
    let expected = sequential_failures(&PhaselessRacah, 4);
    assert!(!r.passed());
    assert!(r.complete);
    assert_eq!(r.cases_checked, 570);
    assert_eq!(r.failures, expected.len() as u64);
    assert!(
        r.failures > 10 && r.failures < r.cases_checked,
        "{}",
        r.failures
    );
    assert_eq!(r.first_failures.len(), 10);
    let cases: Vec<Case> = PhaselessRacah.cases(4).collect();
    for (rec, (i, f)) in r.first_failures.iter().zip(&expected) {
        assert_eq!(rec.index, *i);
        assert_eq!(&rec.failure, f);
        // The failure names the case's arguments and two different exact sides.
        assert_eq!(rec.failure.arguments, cases[*i as usize].to_string());
        assert_ne!(rec.failure.lhs, rec.failure.rhs);
    }
    // The real rule holds on the same enumeration.
    assert!(run(&RacahSumRule, 4, &RunConfig::default()).passed());
}

#[test]
fn a_false_symmetry_is_reported_with_both_values() {
    let r = run(
        &OneColumnFlip,
        3,
        &RunConfig {
            keep_failures: 3,
            ..RunConfig::default()
        },
    );
    assert!(r.failures > 3);
    assert_eq!(r.first_failures.len(), 3);
    let first = &r.first_failures[0].failure;
    // The failure's sides are the two 6j values at the failing arguments.
    let [a, b, c, d, e, f] = [0, 1, 2, 3, 4, 5].map(|k| {
        first
            .arguments
            .split(' ')
            .nth(k)
            .unwrap()
            .parse::<i64>()
            .unwrap()
    });
    assert_eq!(first.lhs, six_j([a, b, c, d, e, f]).to_string());
    assert_eq!(first.rhs, six_j([d, b, c, a, e, f]).to_string());
    assert_eq!(
        first.to_string(),
        format!(
            "{}: {}: lhs {}, rhs {}",
            first.arguments, first.relation, first.lhs, first.rhs
        )
    );
}

#[test]
fn panics_become_failures_and_indices_are_kept() {
    let r = run(&Faulty, 30, &RunConfig::default());
    assert_eq!(r.cases_checked, 30);
    let indices: Vec<u64> = r.first_failures.iter().map(|f| f.index).collect();
    assert_eq!(indices, [0, 5, 7, 14, 21, 28]);
    assert_eq!(r.failures, 6);
    let panicked = &r.first_failures[1].failure;
    assert_eq!(panicked.relation, "check panicked");
    assert!(panicked.lhs.contains("deliberate panic at 5"));
    assert_eq!(r.first_failures[2].failure.arguments, "7");
}

#[test]
fn a_past_deadline_gives_an_incomplete_report() {
    let config = RunConfig {
        deadline: Some(Instant::now()),
        ..RunConfig::default()
    };
    let r = run(&SixJSymmetries, 4, &config);
    assert!(!r.complete && !r.passed());
    assert_eq!(r.cases_checked, 0);
    // Nothing to check: complete even with the deadline passed.
    let r = run(&Faulty, 0, &config);
    assert!(r.complete && r.passed());
}

#[test]
fn progress_bars_get_the_shard_length() {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
    // A hidden bar is left alone; a visible one gets the number of cases as its length.
    let r = identity::run(&SixJSymmetries, 3, &RunConfig::default(), &bar);
    assert_eq!(r.cases_checked, 181);
    let visible = indicatif::ProgressBar::with_draw_target(
        None,
        indicatif::ProgressDrawTarget::term_like(Box::new(Sink)),
    );
    let config = RunConfig {
        shard: "1/2".parse().unwrap(),
        ..RunConfig::default()
    };
    let r = identity::run(&SixJSymmetries, 3, &config, &visible);
    assert_eq!(visible.length(), Some(90));
    assert_eq!(visible.position(), 90);
    assert_eq!(r.cases_checked, 90);
}

/// A terminal that discards output, so a "visible" bar can be tested without a TTY.
#[derive(Debug)]
struct Sink;

impl indicatif::TermLike for Sink {
    fn width(&self) -> u16 {
        80
    }
    fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn write_line(&self, _: &str) -> std::io::Result<()> {
        Ok(())
    }
    fn write_str(&self, _: &str) -> std::io::Result<()> {
        Ok(())
    }
    fn clear_line(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn flush(&self) -> std::io::Result<()> {
        Ok(())
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 24,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/identity_runner.txt",
        ))),
        ..seeded(0x4_0002)
    }
}

proptest! {
    #![proptest_config(config())]

    /// Chunking and thread scheduling do not change the report (only the time).
    #[test]
    fn reports_do_not_depend_on_chunking(chunk in 1usize..400, keep in 0usize..20) {
        let base = run(&PhaselessRacah, 3, &RunConfig { keep_failures: keep, ..RunConfig::default() });
        let other = run(
            &PhaselessRacah,
            3,
            &RunConfig { chunk_size: chunk, keep_failures: keep, ..RunConfig::default() },
        );
        prop_assert_eq!(IdentityReport { seconds: 0.0, ..base.clone() }, IdentityReport { seconds: 0.0, ..other });
        prop_assert_eq!(base.first_failures.len() as u64, base.failures.min(keep as u64));
    }
}
