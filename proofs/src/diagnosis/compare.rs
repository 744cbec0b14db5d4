//! [`Comparison`]: how far a table is from racah's reference — absolute, relative and ulp
//! errors, an ulp histogram and the worst cases with their arguments.

use super::Dtype;
use serde::Serialize;

/// The pass criterion of a check: an entry passes if it is within `max_ulp` units in the last
/// place of the reference **or** within `atol` of it (the absolute bound covers entries whose
/// exact value is 0, where ulps are meaningless).
///
/// ```text
/// pass(entry) ⇔ ulps(table, reference) ≤ max_ulp  ∨  |table − reference| ≤ atol
/// ```
///
/// # Examples
/// ```
/// use racah_proofs::diagnosis::Tolerances;
/// let t = Tolerances { max_ulp: 2, atol: 1e-15 };
/// assert!(t.allows(2, 1.0));
/// assert!(t.allows(1000, 1e-16));
/// assert!(!t.allows(3, 1e-12));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tolerances {
    /// Largest accepted distance in ulps of the table's dtype.
    pub max_ulp: u64,
    /// Largest accepted absolute error.
    pub atol: f64,
}

impl Tolerances {
    /// Whether an entry `ulps` apart and `abs_err` away passes.
    pub fn allows(&self, ulps: u64, abs_err: f64) -> bool {
        ulps <= self.max_ulp || abs_err <= self.atol
    }
}

/// Upper bounds (inclusive) of the ulp histogram's buckets; the last bucket is open.
const BUCKETS: [u64; 12] = [0, 1, 2, 4, 8, 16, 64, 256, 1024, 1 << 16, 1 << 20, 1 << 32];

/// How many entries lie at each distance from the reference, in ulps of the table's dtype:
/// buckets `0`, `1`, `2`, `3-4`, `5-8`, `9-16`, `17-64`, …, and `>4294967296`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UlpHistogram {
    /// The buckets in increasing order (empty buckets included).
    pub buckets: Vec<UlpBucket>,
}

/// One bucket of an [`UlpHistogram`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UlpBucket {
    /// `"0"`, `"3-4"`, `">4294967296"`, ….
    pub label: String,
    /// The number of entries in the bucket.
    pub count: usize,
}

impl UlpHistogram {
    fn new() -> Self {
        let mut buckets = Vec::with_capacity(BUCKETS.len() + 1);
        let mut lo = 0;
        for &hi in &BUCKETS {
            let label = if lo == hi {
                hi.to_string()
            } else {
                format!("{lo}-{hi}")
            };
            buckets.push(UlpBucket { label, count: 0 });
            lo = hi + 1;
        }
        buckets.push(UlpBucket {
            label: format!(">{}", BUCKETS[BUCKETS.len() - 1]),
            count: 0,
        });
        UlpHistogram { buckets }
    }

    fn add(&mut self, ulps: u64) {
        let k = BUCKETS
            .iter()
            .position(|&hi| ulps <= hi)
            .unwrap_or(BUCKETS.len());
        self.buckets[k].count += 1;
    }

    /// The total number of entries counted.
    pub fn total(&self) -> usize {
        self.buckets.iter().map(|b| b.count).sum()
    }
}

/// One of the entries farthest from the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorstCase {
    /// Position of the entry in the table (row-major over the table's arrays).
    pub index: usize,
    /// The entry's arguments, e.g. `row 17: cg 1 1 1 0 2 1` or `point 3 (…), l=2 m=-1`.
    pub arguments: String,
    /// The value in the table.
    pub observed: f64,
    /// racah's value (rounded to the table's dtype).
    pub expected: f64,
    /// |observed − expected|.
    pub abs_err: f64,
    /// |observed − expected| / |expected|, `None` when the expected value is 0.
    pub rel_err: Option<f64>,
    /// Distance in ulps of the table's dtype.
    pub ulps: u64,
}

/// An entry of the table that has no counterpart in the reference (arguments that are not a
/// valid symbol in racah's order, a block of the wrong shape, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// Position of the entry in the table.
    pub index: usize,
    /// The entry's arguments.
    pub arguments: String,
    /// Why the reference has no value there.
    pub reason: String,
}

/// The distance between a table and racah's reference.
///
/// Entries without a counterpart in the reference ([`Missing`]) count as failures and are
/// left out of the error statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Number of entries in the table.
    pub entries: usize,
    /// Entries compared with a reference value.
    pub compared: usize,
    /// Largest |observed − expected|.
    pub max_abs_err: f64,
    /// Largest |observed − expected| / |expected| over entries with expected ≠ 0.
    pub max_rel_err: f64,
    /// Largest distance in ulps.
    pub max_ulps: u64,
    /// Entries whose reference is exactly 0 but whose table value is not.
    pub spurious_nonzeros: usize,
    /// Distances in ulps.
    pub histogram: UlpHistogram,
    /// Entries outside the tolerance, missing ones included.
    pub failures: usize,
    /// The entries farthest from the reference, worst first: entries outside the tolerance
    /// before those within it, then by ulps, then by absolute error.
    pub worst: Vec<WorstCase>,
    /// Number of entries without a counterpart in the reference.
    pub missing_count: usize,
    /// The first few of them.
    pub missing: Vec<Missing>,
}

/// How many missing entries a [`Comparison`] lists.
const MISSING_SHOWN: usize = 10;

/// Compares `observed` with `expected` entry by entry in `dtype`. A NaN in `expected` marks an
/// entry without counterpart; its reason is looked up in `reasons` (sorted by index).
pub(crate) fn compare(
    observed: &[f64],
    expected: &[f64],
    reasons: &[(usize, String)],
    dtype: Dtype,
    tolerances: Tolerances,
    worst_n: usize,
    label: &dyn Fn(usize) -> String,
) -> Comparison {
    debug_assert_eq!(observed.len(), expected.len());
    let mut c = Comparison {
        entries: observed.len(),
        compared: 0,
        max_abs_err: 0.0,
        max_rel_err: 0.0,
        max_ulps: 0,
        spurious_nonzeros: 0,
        histogram: UlpHistogram::new(),
        failures: 0,
        worst: Vec::new(),
        missing_count: 0,
        missing: Vec::new(),
    };
    // (outside the tolerance, ulps, abs error, index)
    let mut ranked: Vec<(bool, u64, f64, usize)> = Vec::new();
    for (i, (&o, &e)) in observed.iter().zip(expected).enumerate() {
        let Some(ulps) = dtype.ulps(o, e) else {
            c.missing_count += 1;
            c.failures += 1;
            if c.missing.len() < MISSING_SHOWN {
                let reason = reasons
                    .binary_search_by_key(&i, |r| r.0)
                    .map(|k| reasons[k].1.clone())
                    .unwrap_or_else(|_| "no reference value".to_string());
                c.missing.push(Missing {
                    index: i,
                    arguments: label(i),
                    reason,
                });
            }
            continue;
        };
        let abs = (o - e).abs();
        c.compared += 1;
        c.histogram.add(ulps);
        c.max_abs_err = c.max_abs_err.max(abs);
        c.max_ulps = c.max_ulps.max(ulps);
        if e != 0.0 {
            c.max_rel_err = c.max_rel_err.max(abs / e.abs());
        } else if o != 0.0 {
            c.spurious_nonzeros += 1;
        }
        let fails = !tolerances.allows(ulps, abs);
        if fails {
            c.failures += 1;
        }
        if ulps > 0 {
            ranked.push((fails, ulps, abs, i));
        }
    }
    let key = |a: &(bool, u64, f64, usize), b: &(bool, u64, f64, usize)| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(b.2.total_cmp(&a.2))
            .then(a.3.cmp(&b.3))
    };
    if ranked.len() > worst_n && worst_n > 0 {
        ranked.select_nth_unstable_by(worst_n - 1, key);
    }
    ranked.truncate(worst_n);
    ranked.sort_by(key);
    c.worst = ranked
        .into_iter()
        .map(|(_, ulps, abs_err, i)| {
            let (o, e) = (observed[i], expected[i]);
            WorstCase {
                index: i,
                arguments: label(i),
                observed: o,
                expected: e,
                abs_err,
                rel_err: (e != 0.0).then(|| abs_err / e.abs()),
                ulps,
            }
        })
        .collect();
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn label(i: usize) -> String {
        format!("entry {i}")
    }

    #[test]
    fn test_compare() {
        let e = [1.0, 0.5, 0.0, 0.25, f64::NAN];
        let mut o = e;
        o[1] = f64::from_bits(0.5f64.to_bits() + 3);
        o[2] = 1e-17;
        o[4] = 2.0;
        let reasons = vec![(4, "invalid".to_string())];
        let t = Tolerances {
            max_ulp: 2,
            atol: 0.0,
        };
        let c = compare(&o, &e, &reasons, Dtype::F64, t, 10, &label);
        assert_eq!((c.entries, c.compared, c.missing_count), (5, 4, 1));
        assert_eq!(c.missing[0].reason, "invalid");
        assert_eq!(c.spurious_nonzeros, 1);
        assert_eq!(c.failures, 3); // 3 ulps, the spurious nonzero, the missing entry
        assert_eq!(c.worst[0].index, 2); // 1e-17 is ~4e18 ulps from 0
        assert_eq!(c.worst[1].index, 1);
        assert_eq!(c.worst[1].ulps, 3);
        assert_eq!(c.worst[1].arguments, "entry 1");
        assert_eq!(c.max_rel_err, (o[1] - 0.5) / 0.5);
        assert_eq!(c.histogram.total(), 4);
        assert_eq!(c.histogram.buckets[0].count, 2);
        assert_eq!(c.histogram.buckets[3].label, "3-4");
        assert_eq!(c.histogram.buckets[3].count, 1);
        // failing entries first: with atol 1e-16 the spurious nonzero passes and ranks last
        let t2 = Tolerances {
            max_ulp: 2,
            atol: 1e-16,
        };
        let c2 = compare(&o, &e, &reasons, Dtype::F64, t2, 10, &label);
        assert_eq!(c2.worst[0].index, 1);
        assert_eq!(c2.worst[1].index, 2);
        // with an absolute tolerance the spurious nonzero passes
        let t = Tolerances {
            max_ulp: 2,
            atol: 1e-16,
        };
        assert_eq!(
            compare(&o, &e, &reasons, Dtype::F64, t, 1, &label).failures,
            2
        );
    }

    #[test]
    fn compare_with_no_worst_cases_requested() {
        let c = compare(
            &[1.0],
            &[2.0],
            &[],
            Dtype::F32,
            Tolerances {
                max_ulp: 0,
                atol: 0.0,
            },
            0,
            &label,
        );
        assert!(c.worst.is_empty());
        assert_eq!(c.failures, 1);
    }

    proptest! {
        #![proptest_config(ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(42),
            ..ProptestConfig::default() })]

        #[test]
        fn compare_properties(v in proptest::collection::vec(-10f64..10.0, 1..50),
                              k in 0usize..50, bump in 1u64..100) {
            let k = k % v.len();
            let mut o = v.clone();
            o[k] = f64::from_bits(o[k].to_bits() + bump);
            let t = Tolerances { max_ulp: 0, atol: 0.0 };
            let c = compare(&o, &v, &[], Dtype::F64, t, 3, &label);
            prop_assert_eq!(c.failures, 1);
            prop_assert_eq!(c.worst.len(), 1);
            prop_assert_eq!(c.worst[0].index, k);
            prop_assert_eq!(c.worst[0].ulps, bump);
            prop_assert_eq!(c.histogram.total(), v.len());
            prop_assert_eq!(c.max_ulps, bump);
        }
    }
}
