//! [`run`]: checks one identity over its cases in parallel, with progress, sharding, counts and
//! the enumeration hash.

use crate::identity::{Case, Failure, Identity};
use crate::prove_report::{CaseHasher, FailureRecord, IdentityReport};
use crate::shard::Shard;
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

/// How [`run`] proceeds.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// The shard of the enumeration to check (default: all of it).
    pub shard: Shard,
    /// How many failures to keep, in index order (default 10).
    pub keep_failures: usize,
    /// Cases handed to the thread pool at a time (default 256).
    pub chunk_size: usize,
    /// Stop (and report the run as incomplete) once this instant has passed; checked between
    /// chunks.
    pub deadline: Option<Instant>,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            shard: Shard::ALL,
            keep_failures: 10,
            chunk_size: 256,
            deadline: None,
        }
    }
}

/// Checks `identity` on every case of `config.shard` with doubled spins `≤ max_twice_j`.
///
/// Cases are taken from [`Identity::cases`] in order, those with `index mod n = k` kept, and
/// checked in parallel (rayon) a chunk at a time; counts, the first failures (in index order)
/// and the enumeration hash are accumulated in order, so the report does not depend on the
/// thread count. A check that panics is recorded as a failure. `progress` gets the number of
/// cases as its length (unless hidden) and advances per chunk.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{self, RunConfig};
/// let id = identity::find("six-j-symmetries")?;
/// let report = identity::run(id, 2, &RunConfig::default(), &indicatif::ProgressBar::hidden());
/// assert!(report.passed());
/// assert_eq!(report.cases_checked, id.cases(2).count() as u64);
/// # Ok::<(), racah_proofs::identity::UnknownIdentity>(())
/// ```
pub fn run(
    identity: &dyn Identity,
    max_twice_j: u32,
    config: &RunConfig,
    progress: &ProgressBar,
) -> IdentityReport {
    let start = Instant::now();
    let shard = config.shard;
    let in_shard = move |(i, c): (usize, Case)| shard.contains(i as u64).then_some((i as u64, c));
    if !progress.is_hidden() {
        let total = identity
            .cases(max_twice_j)
            .enumerate()
            .filter_map(in_shard)
            .count();
        progress.set_length(total as u64);
    }
    let mut hasher = CaseHasher::new(identity.name(), max_twice_j, shard);
    let mut cases = identity.cases(max_twice_j).enumerate().filter_map(in_shard);
    let (mut checked, mut failures) = (0u64, 0u64);
    let mut first = Vec::new();
    let mut complete = true;
    let chunk_size = config.chunk_size.max(1);
    loop {
        if config.deadline.is_some_and(|d| Instant::now() >= d) {
            complete = cases.next().is_none();
            break;
        }
        let chunk: Vec<(u64, Case)> = cases.by_ref().take(chunk_size).collect();
        if chunk.is_empty() {
            break;
        }
        let results: Vec<Option<Failure>> = chunk
            .par_iter()
            .map(|(_, case)| check_caught(identity, case).err())
            .collect();
        for ((index, case), result) in chunk.iter().zip(results) {
            hasher.add(*index, case);
            checked += 1;
            if let Some(failure) = result {
                failures += 1;
                if first.len() < config.keep_failures {
                    first.push(FailureRecord {
                        index: *index,
                        failure,
                    });
                }
            }
        }
        progress.inc(chunk.len() as u64);
    }
    IdentityReport {
        name: identity.name().to_string(),
        description: identity.description().to_string(),
        max_twice_j,
        cases_checked: checked,
        failures,
        first_failures: first,
        seconds: crate::prove_report::round_seconds(start.elapsed().as_secs_f64()),
        enumeration_sha256: hasher.finish(),
        complete,
    }
}

/// [`Identity::check`], with a panic turned into a failure.
fn check_caught(identity: &dyn Identity, case: &Case) -> Result<(), Failure> {
    match catch_unwind(AssertUnwindSafe(|| identity.check(case))) {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic payload".to_string());
            Err(Failure::new(case, "check panicked", msg, ""))
        }
    }
}
