//! Sharding and certificates: `k/n` parsing, the union of all shards equals the unsharded run
//! (same counts, same hashes after merging), merging rejects inconsistent shard sets, and
//! certificates survive a JSON round trip.

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use racah_core::testing::seeded;
use racah_proofs::identity::{self, RunConfig};
use racah_proofs::prove_report::{merge, Certificate, MergeError, FORMAT};
use racah_proofs::shard::{Shard, ShardError};

const IDS: [(&str, u32); 4] = [
    ("three-j-symmetries", 4),
    ("six-j-orthogonality", 4),
    ("f-move", 3),
    ("wigner-eckart", 5),
];

fn certificate(shard: Shard) -> Certificate {
    let bar = indicatif::ProgressBar::hidden();
    let reports = IDS
        .iter()
        .map(|&(name, bound)| {
            let config = RunConfig {
                shard,
                ..RunConfig::default()
            };
            identity::run(identity::find(name).unwrap(), bound, &config, &bar)
        })
        .collect();
    Certificate::new(reports, shard, Some("abc123".into()), 1.0)
}

fn shards(n: u64) -> Vec<Certificate> {
    (0..n)
        .map(|k| certificate(Shard::new(k, n).unwrap()))
        .collect()
}

#[test]
fn shard_text_golden() {
    let s: Shard = "2/5".parse().unwrap();
    assert_eq!((s.k(), s.n(), s.to_string()), (2, 5, "2/5".to_string()));
    assert_eq!(" 0/1 ".parse::<Shard>(), Ok(Shard::ALL));
    assert_eq!(Shard::default(), Shard::ALL);
    assert!(Shard::ALL.contains(12345));
    assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"k":2,"n":5}"#);
}

#[test]
fn shard_text_failures_name_the_bad_value() {
    for (text, err) in [
        ("2/2", ShardError::IndexOutOfRange { k: 2, n: 2 }),
        ("0/0", ShardError::ZeroCount { n: 0 }),
        ("1", ShardError::Syntax { text: "1".into() }),
        (
            "-1/2",
            ShardError::Syntax {
                text: "-1/2".into(),
            },
        ),
        ("a/b", ShardError::Syntax { text: "a/b".into() }),
        (
            "1/2/3",
            ShardError::Syntax {
                text: "1/2/3".into(),
            },
        ),
        (
            "+1/2",
            ShardError::Syntax {
                text: "+1/2".into(),
            },
        ),
        ("", ShardError::Syntax { text: "".into() }),
    ] {
        assert_eq!(text.parse::<Shard>(), Err(err.clone()), "{text}");
    }
    assert_eq!(
        "3/2".parse::<Shard>().unwrap_err().to_string(),
        "shard index 3 must be below the shard count 2"
    );
    assert!(serde_json::from_str::<Shard>(r#"{"k":2,"n":2}"#).is_err());
}

#[test]
fn union_of_shards_equals_the_unsharded_run() {
    let whole = certificate(Shard::ALL);
    assert!(whole.passed());
    for n in [2, 3] {
        let mut parts = shards(n);
        // Shard order in the input does not matter.
        parts.reverse();
        let total: u64 = parts.iter().map(|c| c.cases_checked).sum();
        assert_eq!(total, whole.cases_checked);
        for c in &parts {
            assert_ne!(c.enumeration_sha256, whole.enumeration_sha256);
        }
        let merged = merge(&parts).unwrap();
        assert_eq!(merged.shard, Shard::ALL);
        assert_eq!(merged.cases_checked, whole.cases_checked);
        assert_eq!(merged.failures, 0);
        assert_eq!(merged.enumeration_sha256, whole.enumeration_sha256);
        assert_eq!(merged.git_commit.as_deref(), Some("abc123"));
        assert_eq!(merged.merged_from.len() as u64, n);
        assert!(merged
            .merged_from
            .iter()
            .enumerate()
            .all(|(k, s)| s.shard.k() == k as u64));
        for (m, w) in merged.identities.iter().zip(&whole.identities) {
            assert_eq!(
                (
                    &m.name,
                    m.max_twice_j,
                    m.cases_checked,
                    &m.enumeration_sha256,
                    m.complete
                ),
                (
                    &w.name,
                    w.max_twice_j,
                    w.cases_checked,
                    &w.enumeration_sha256,
                    w.complete
                )
            );
        }
        assert!(merged.passed());
    }
}

#[test]
fn hashes_identify_the_enumeration() {
    let a = certificate(Shard::ALL);
    let b = certificate(Shard::ALL);
    assert_eq!(a.enumeration_sha256, b.enumeration_sha256);
    assert_eq!(a.enumeration_sha256.len(), 64);
    // Another bound is another enumeration.
    let bar = indicatif::ProgressBar::hidden();
    let id = identity::find("f-move").unwrap();
    let r3 = identity::run(id, 3, &RunConfig::default(), &bar);
    let r4 = identity::run(id, 4, &RunConfig::default(), &bar);
    assert_ne!(r3.enumeration_sha256, r4.enumeration_sha256);
    assert_eq!(r3.enumeration_sha256, a.identities[2].enumeration_sha256);
}

#[test]
fn merge_rejects_inconsistent_shards() {
    let parts = shards(3);
    let err = |certs: Vec<Certificate>| merge(&certs).unwrap_err();

    assert_eq!(err(vec![]), MergeError::Empty);
    assert_eq!(
        err(vec![parts[0].clone(), parts[2].clone()]),
        MergeError::Missing { k: 1, n: 3 }
    );
    assert!(matches!(
        err(vec![parts[0].clone(), parts[1].clone(), parts[1].clone()]),
        MergeError::Duplicate { shard } if shard.k() == 1
    ));
    let two = shards(2);
    assert!(matches!(
        err(vec![parts[0].clone(), two[1].clone(), parts[2].clone()]),
        MergeError::ShardCount { index: 1, n: 3, .. }
    ));

    // Another bound for one identity in one shard.
    let mut other = parts.clone();
    other[1] = {
        let bar = indicatif::ProgressBar::hidden();
        let shard = Shard::new(1, 3).unwrap();
        let mut reports = parts[1].identities.clone();
        let config = RunConfig {
            shard,
            ..RunConfig::default()
        };
        reports[2] = identity::run(identity::find("f-move").unwrap(), 4, &config, &bar);
        Certificate::new(reports, shard, Some("abc123".into()), 1.0)
    };
    let e = err(other);
    assert!(matches!(&e, MergeError::Identities { .. }), "{e}");
    assert!(e.to_string().contains("f-move 4"), "{e}");

    // Another identity list.
    let mut fewer = parts.clone();
    fewer[2].identities.pop();
    assert!(matches!(err(fewer), MergeError::Identities { .. }));

    // A tampered hash or count is caught by re-enumeration.
    let mut tampered = parts.clone();
    tampered[1].identities[0].enumeration_sha256 = "0".repeat(64);
    let e = err(tampered);
    assert!(
        matches!(&e, MergeError::Enumeration { name, shard, .. } if name == "three-j-symmetries" && shard.k() == 1),
        "{e}"
    );
    let mut short = parts.clone();
    short[0].identities[3].cases_checked -= 1;
    assert!(matches!(err(short), MergeError::Enumeration { .. }));

    // An incomplete shard.
    let mut cut = parts.clone();
    cut[2].identities[1].complete = false;
    assert!(matches!(err(cut), MergeError::Incomplete { .. }));

    // Another racah version or format, another commit.
    let mut version = parts.clone();
    version[1].racah_version = "9.9.9".into();
    assert!(matches!(err(version), MergeError::Version { index: 1, .. }));
    let mut format = parts.clone();
    format[0].format = "something-else/1".into();
    assert!(matches!(err(format), MergeError::Version { index: 0, .. }));
    let mut commit = parts.clone();
    commit[2].git_commit = Some("def456".into());
    assert!(matches!(err(commit), MergeError::Commit { .. }));
    // A shard without a recorded commit is fine.
    let mut unknown = parts.clone();
    unknown[0].git_commit = None;
    assert!(merge(&unknown).is_ok());

    // An identity this build does not know cannot be re-enumerated.
    let mut renamed = shards(1);
    renamed[0].identities[0].name = "no-such-identity".into();
    assert!(matches!(err(renamed), MergeError::Unknown(_)));
}

#[test]
fn merged_failures_keep_index_order() {
    // Shards of a run with a failure (injected into the report) merge with the failure kept.
    let mut parts = shards(2);
    let failure = racah_proofs::identity::Failure::new("2 2 2", "injected", "1", "2");
    parts[1].identities[0].failures = 1;
    parts[1].identities[0]
        .first_failures
        .push(racah_proofs::prove_report::FailureRecord {
            index: 7,
            failure: failure.clone(),
        });
    let merged = merge(&parts).unwrap();
    assert_eq!(merged.failures, 1);
    assert!(!merged.passed());
    assert_eq!(merged.identities[0].first_failures[0].failure, failure);
}

#[test]
fn certificates_round_trip_through_json() {
    let c = certificate(Shard::new(1, 2).unwrap());
    let json = c.to_json();
    assert!(json.contains(FORMAT));
    assert_eq!(Certificate::from_json(&json), Ok(c.clone()));
    assert!(matches!(
        Certificate::from_json("{}"),
        Err(MergeError::Json { .. })
    ));
    let bad_shard = json.replacen(r#""k": 1"#, r#""k": 7"#, 1);
    assert!(matches!(
        Certificate::from_json(&bad_shard),
        Err(MergeError::Json { .. })
    ));
    let m = merge(&shards(2)).unwrap();
    assert_eq!(Certificate::from_json(&m.to_json()), Ok(m));
}

#[test]
fn every_case_is_in_exactly_one_shard() {
    let id = identity::find("six-j-symmetries").unwrap();
    let n = id.cases(4).count() as u64;
    for shards in 1..=5u64 {
        let counts: Vec<u64> = (0..shards)
            .map(|k| {
                let s = Shard::new(k, shards).unwrap();
                (0..n).filter(|&i| s.contains(i)).count() as u64
            })
            .collect();
        assert_eq!(counts.iter().sum::<u64>(), n);
        assert!(counts.iter().max().unwrap() - counts.iter().min().unwrap() <= 1);
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/identity_shards.txt",
        ))),
        ..seeded(0x4_0003)
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn shard_text_round_trips_and_partitions(n in 1u64..1000, k in 0u64..1000, i in 0u64..1_000_000) {
        let k = k % n;
        let s = Shard::new(k, n).unwrap();
        prop_assert_eq!(s.to_string().parse::<Shard>(), Ok(s));
        let owners = (0..n).filter(|&kk| Shard::new(kk, n).unwrap().contains(i)).count();
        prop_assert_eq!(owners, 1);
        prop_assert_eq!(format!("{}/{}", n + k, n).parse::<Shard>(), Err(ShardError::IndexOutOfRange { k: n + k, n }));
    }
}
