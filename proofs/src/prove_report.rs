//! The certificate of a `racah prove` run: per identity the bound, the counts, the first
//! failures, the time and the SHA-256 of the enumeration; and the merge of sharded runs.
//!
//! The enumeration hash of one identity on one shard is the SHA-256 of
//!
//! ```text
//! racah-prove <name> max_twice_j=<N> shard=<k>/<n>\n
//! <index> <case>\n            for every case of the shard that was checked, in order
//! ```
//!
//! where `<case>` is the case's canonical text ([`Case`]'s `Display`). Two runs with equal
//! hashes checked the same cases. [`merge`] re-enumerates each identity (cheap: no checks) to
//! confirm every shard's hash and to compute the hash of the whole enumeration, so a merged
//! certificate carries the same hash as an unsharded run.

use crate::identity::{self, Case, Failure, UnknownIdentity};
use crate::shard::Shard;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use thiserror::Error;

/// The certificate format written into every certificate.
pub const FORMAT: &str = "racah-prove-certificate/1";

/// The racah version recorded in certificates.
pub const RACAH_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A failure of one case, with the case's index in the enumeration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureRecord {
    /// The case's index in the (unsharded) enumeration.
    pub index: u64,
    /// What failed.
    #[serde(flatten)]
    pub failure: Failure,
}

/// The outcome of checking one identity up to a bound on one shard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdentityReport {
    /// The identity's name.
    pub name: String,
    /// Its description, with the formula.
    pub description: String,
    /// The bound on doubled spins.
    pub max_twice_j: u32,
    /// Cases checked.
    pub cases_checked: u64,
    /// Cases that failed.
    pub failures: u64,
    /// The first failures, in index order.
    pub first_failures: Vec<FailureRecord>,
    /// Time spent, in seconds rounded to microseconds (summed over shards in a merged
    /// certificate).
    pub seconds: f64,
    /// SHA-256 (hex) of the checked part of the enumeration (see the module docs).
    pub enumeration_sha256: String,
    /// Whether every case of the shard was checked (false when a time budget ran out).
    pub complete: bool,
}

impl IdentityReport {
    /// Whether every case of the shard was checked and none failed.
    pub fn passed(&self) -> bool {
        self.complete && self.failures == 0
    }
}

/// One shard that went into a merged certificate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardSummary {
    /// The shard.
    pub shard: Shard,
    /// Its overall enumeration hash.
    pub enumeration_sha256: String,
    /// Its wall time in seconds.
    pub wall_seconds: f64,
}

/// The certificate of a `racah prove` run (or of a merge of sharded runs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    /// Always [`FORMAT`].
    pub format: String,
    /// The racah version that produced it.
    pub racah_version: String,
    /// The git commit of the source, when known.
    pub git_commit: Option<String>,
    /// The shard covered (`0/1` for an unsharded run and for a merge).
    pub shard: Shard,
    /// One report per identity, in run order.
    pub identities: Vec<IdentityReport>,
    /// Cases checked, over all identities.
    pub cases_checked: u64,
    /// Failures, over all identities.
    pub failures: u64,
    /// Wall time in seconds (summed over shards in a merge).
    pub wall_seconds: f64,
    /// SHA-256 (hex) of the lines `<name> <max_twice_j> <identity hash>` of every identity.
    pub enumeration_sha256: String,
    /// The shards a merged certificate was made from (empty otherwise).
    #[serde(default)]
    pub merged_from: Vec<ShardSummary>,
}

impl Certificate {
    /// A certificate for these identity reports; totals and the overall hash are computed.
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::identity::{self, RunConfig};
    /// use racah_proofs::prove_report::Certificate;
    /// use racah_proofs::shard::Shard;
    /// let id = identity::find("cg-equivariance")?;
    /// let report = identity::run(id, 2, &RunConfig::default(), &indicatif::ProgressBar::hidden());
    /// let cert = Certificate::new(vec![report], Shard::ALL, None, 0.0);
    /// assert!(cert.passed());
    /// assert_eq!(cert.cases_checked, 11); // triads (j1 j2 J) with 2j ≤ 2: (0 0 0), (0 1 1), …
    /// # Ok::<(), racah_proofs::identity::UnknownIdentity>(())
    /// ```
    pub fn new(
        identities: Vec<IdentityReport>,
        shard: Shard,
        git_commit: Option<String>,
        wall_seconds: f64,
    ) -> Certificate {
        Certificate {
            format: FORMAT.to_string(),
            racah_version: RACAH_VERSION.to_string(),
            git_commit,
            shard,
            cases_checked: identities.iter().map(|r| r.cases_checked).sum(),
            failures: identities.iter().map(|r| r.failures).sum(),
            enumeration_sha256: combined_sha256(&identities),
            identities,
            wall_seconds: round_seconds(wall_seconds),
            merged_from: Vec::new(),
        }
    }

    /// Whether every identity was checked completely without a failure.
    pub fn passed(&self) -> bool {
        self.identities.iter().all(IdentityReport::passed)
    }

    /// The certificate as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A certificate from JSON.
    ///
    /// # Errors
    /// [`MergeError::Json`] if the text is not a certificate.
    pub fn from_json(text: &str) -> Result<Certificate, MergeError> {
        serde_json::from_str(text).map_err(|e| MergeError::Json {
            message: e.to_string(),
        })
    }
}

/// Seconds rounded to whole microseconds, so that they survive a JSON round trip exactly.
pub(crate) fn round_seconds(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// SHA-256 (hex) over `<name> <max_twice_j> <enumeration_sha256>\n` for each report in order.
pub fn combined_sha256(identities: &[IdentityReport]) -> String {
    let mut h = Sha256::new();
    for r in identities {
        h.update(format!("{} {} {}\n", r.name, r.max_twice_j, r.enumeration_sha256).as_bytes());
    }
    hex(h)
}

fn hex(h: Sha256) -> String {
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The incremental enumeration hash of one identity on one shard (see the module docs).
///
/// # Examples
/// ```
/// use racah_proofs::identity::Case;
/// use racah_proofs::prove_report::CaseHasher;
/// use racah_proofs::shard::Shard;
/// let mut h = CaseHasher::new("f-move", 2, Shard::ALL);
/// h.add(0, &Case::new([0, 0, 0, 0, 0, 0]));
/// assert_eq!(h.finish().len(), 64);
/// ```
#[derive(Clone, Debug)]
pub struct CaseHasher {
    h: Sha256,
}

impl CaseHasher {
    /// Starts the hash of `name` at bound `max_twice_j` on `shard`.
    pub fn new(name: &str, max_twice_j: u32, shard: Shard) -> CaseHasher {
        let mut h = Sha256::new();
        h.update(
            format!("racah-prove {name} max_twice_j={max_twice_j} shard={shard}\n").as_bytes(),
        );
        CaseHasher { h }
    }

    /// Adds the case with this index.
    pub fn add(&mut self, index: u64, case: &Case) {
        self.h.update(format!("{index} {case}\n").as_bytes());
    }

    /// The hex digest.
    pub fn finish(self) -> String {
        hex(self.h)
    }
}

/// Why shard certificates could not be merged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MergeError {
    /// No certificates were given.
    #[error("nothing to merge: no certificates given")]
    Empty,
    /// A file is not a certificate.
    #[error("not a racah prove certificate: {message}")]
    Json {
        /// The parser's message.
        message: String,
    },
    /// A certificate has another format or racah version than the first.
    #[error("certificate {index} is {found}, expected {expected}")]
    Version {
        /// Position of the certificate in the input.
        index: usize,
        /// What it has.
        found: String,
        /// What the first certificate has.
        expected: String,
    },
    /// Certificates come from different git commits.
    #[error("certificates come from different git commits: {first} and {other}")]
    Commit {
        /// The first commit seen.
        first: String,
        /// A different one.
        other: String,
    },
    /// A certificate has another shard count than the first.
    #[error("certificate {index} is shard {shard}, but the first has {n} shards")]
    ShardCount {
        /// Position of the certificate in the input.
        index: usize,
        /// Its shard.
        shard: Shard,
        /// The first certificate's shard count.
        n: u64,
    },
    /// A shard appears twice.
    #[error("shard {shard} appears more than once")]
    Duplicate {
        /// The repeated shard.
        shard: Shard,
    },
    /// A shard is missing.
    #[error("shard {k}/{n} is missing")]
    Missing {
        /// The missing index.
        k: u64,
        /// The shard count.
        n: u64,
    },
    /// A certificate's identity list or bounds differ from the first's.
    #[error("shard {shard} checked [{found}], but the first shard checked [{expected}]")]
    Identities {
        /// The differing shard.
        shard: Shard,
        /// Its identities and bounds.
        found: String,
        /// The first shard's.
        expected: String,
    },
    /// An identity run in a shard stopped before its last case.
    #[error("identity {name} in shard {shard} is incomplete ({cases} cases checked)")]
    Incomplete {
        /// The identity.
        name: String,
        /// The shard.
        shard: Shard,
        /// Cases it checked.
        cases: u64,
    },
    /// An identity is not in this build's catalogue, so its enumeration cannot be confirmed.
    #[error(transparent)]
    Unknown(#[from] UnknownIdentity),
    /// A shard's recorded enumeration (hash or count) differs from the re-enumeration.
    #[error(
        "identity {name} in shard {shard}: recorded {found_cases} cases with hash {found}, \
         but this build enumerates {cases} cases with hash {expected}"
    )]
    Enumeration {
        /// The identity.
        name: String,
        /// The shard.
        shard: Shard,
        /// Recorded hash.
        found: String,
        /// Recomputed hash.
        expected: String,
        /// Recorded count.
        found_cases: u64,
        /// Recomputed count.
        cases: u64,
    },
}

/// How many failures a merged report keeps per identity.
const KEEP_FAILURES: usize = 10;

/// Merges the certificates of all shards `0/n … (n−1)/n` of one run into one certificate for
/// the whole enumeration (shard `0/1`).
///
/// Checks that the certificates agree on format, racah version, git commit (when recorded),
/// shard count, identities and bounds; that every shard appears exactly once; that every
/// identity run is complete; and, by re-enumerating each identity from this build's catalogue,
/// that every shard's count and enumeration hash are the ones this build produces. Counts,
/// failures and times are summed; the merged hashes are those of the whole enumeration, equal
/// to an unsharded run's.
///
/// # Errors
/// A [`MergeError`] naming the first inconsistency.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{self, RunConfig};
/// use racah_proofs::prove_report::{merge, Certificate};
/// use racah_proofs::shard::Shard;
/// let id = identity::find("three-j-symmetries")?;
/// let bar = indicatif::ProgressBar::hidden();
/// let cert = |shard: Shard| {
///     let config = RunConfig { shard, ..RunConfig::default() };
///     Certificate::new(vec![identity::run(id, 3, &config, &bar)], shard, None, 0.0)
/// };
/// let whole = cert(Shard::ALL);
/// let merged = merge(&[cert(Shard::new(1, 2)?), cert(Shard::new(0, 2)?)])?;
/// assert_eq!(merged.enumeration_sha256, whole.enumeration_sha256);
/// assert_eq!(merged.cases_checked, whole.cases_checked);
/// assert!(merge(&[cert(Shard::new(0, 2)?)]).is_err()); // shard 1/2 missing
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn merge(certs: &[Certificate]) -> Result<Certificate, MergeError> {
    let first = certs.first().ok_or(MergeError::Empty)?;
    let n = first.shard.n();
    let signature = |c: &Certificate| {
        c.identities
            .iter()
            .map(|r| format!("{} {}", r.name, r.max_twice_j))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let expected = signature(first);
    let mut commit: Option<&str> = None;
    let mut seen = BTreeSet::new();
    for (index, c) in certs.iter().enumerate() {
        for (found, want) in [
            (&c.format, &first.format),
            (&c.racah_version, &first.racah_version),
        ] {
            if found != want || c.format != FORMAT {
                return Err(MergeError::Version {
                    index,
                    found: format!("{} {}", c.format, c.racah_version),
                    expected: format!("{FORMAT} {}", first.racah_version),
                });
            }
        }
        if let Some(g) = c.git_commit.as_deref() {
            match commit {
                Some(f) if f != g => {
                    return Err(MergeError::Commit {
                        first: f.to_string(),
                        other: g.to_string(),
                    })
                }
                _ => commit = Some(g),
            }
        }
        if c.shard.n() != n {
            return Err(MergeError::ShardCount {
                index,
                shard: c.shard,
                n,
            });
        }
        if !seen.insert(c.shard.k()) {
            return Err(MergeError::Duplicate { shard: c.shard });
        }
        let found = signature(c);
        if found != expected {
            return Err(MergeError::Identities {
                shard: c.shard,
                found,
                expected,
            });
        }
        for r in &c.identities {
            if !r.complete {
                return Err(MergeError::Incomplete {
                    name: r.name.clone(),
                    shard: c.shard,
                    cases: r.cases_checked,
                });
            }
        }
    }
    if let Some(k) = (0..n).find(|k| !seen.contains(k)) {
        return Err(MergeError::Missing { k, n });
    }
    let mut by_k: Vec<&Certificate> = certs.iter().collect();
    by_k.sort_by_key(|c| c.shard.k());

    let mut merged = Vec::with_capacity(first.identities.len());
    for (slot, r0) in first.identities.iter().enumerate() {
        let id = identity::find(&r0.name)?;
        let bound = r0.max_twice_j;
        let shards: Vec<Shard> = (0..n)
            .map(|k| Shard::new(k, n))
            .collect::<Result<_, _>>()
            .map_err(|_| MergeError::ShardCount {
                index: 0,
                shard: first.shard,
                n,
            })?;
        let mut hashers: Vec<CaseHasher> = shards
            .iter()
            .map(|&s| CaseHasher::new(&r0.name, bound, s))
            .collect();
        let mut counts = vec![0u64; n as usize];
        let mut whole = CaseHasher::new(&r0.name, bound, Shard::ALL);
        for (i, case) in id.cases(bound).enumerate() {
            let i = i as u64;
            let k = (i % n) as usize;
            hashers[k].add(i, &case);
            counts[k] += 1;
            whole.add(i, &case);
        }
        let mut report = IdentityReport {
            name: r0.name.clone(),
            description: r0.description.clone(),
            max_twice_j: bound,
            cases_checked: 0,
            failures: 0,
            first_failures: Vec::new(),
            seconds: 0.0,
            enumeration_sha256: whole.finish(),
            complete: true,
        };
        for ((c, hasher), count) in by_k.iter().zip(hashers).zip(counts) {
            let r = &c.identities[slot];
            let expected = hasher.finish();
            if r.enumeration_sha256 != expected || r.cases_checked != count {
                return Err(MergeError::Enumeration {
                    name: r.name.clone(),
                    shard: c.shard,
                    found: r.enumeration_sha256.clone(),
                    expected,
                    found_cases: r.cases_checked,
                    cases: count,
                });
            }
            report.cases_checked += r.cases_checked;
            report.failures += r.failures;
            report.seconds += r.seconds;
            report
                .first_failures
                .extend(r.first_failures.iter().cloned());
        }
        report.seconds = round_seconds(report.seconds);
        report.first_failures.sort_by_key(|f| f.index);
        report.first_failures.truncate(KEEP_FAILURES);
        merged.push(report);
    }
    let wall = by_k.iter().map(|c| c.wall_seconds).sum();
    let mut out = Certificate::new(merged, Shard::ALL, commit.map(str::to_string), wall);
    out.racah_version = first.racah_version.clone();
    out.merged_from = by_k
        .iter()
        .map(|c| ShardSummary {
            shard: c.shard,
            enumeration_sha256: c.enumeration_sha256.clone(),
            wall_seconds: c.wall_seconds,
        })
        .collect();
    Ok(out)
}
