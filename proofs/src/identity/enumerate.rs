//! Deterministic ranges of doubled spins and projections shared by the case enumerators, and
//! small formatting helpers.

use std::iter::StepBy;
use std::ops::RangeInclusive;

/// An iterator over doubled values in steps of 2.
pub(crate) type Steps = StepBy<RangeInclusive<i64>>;

/// `0, 1, …, max`: every doubled spin up to `max`.
pub(crate) fn spins(max: i64) -> RangeInclusive<i64> {
    0..=max
}

/// Doubled `x ≤ max` with `(a, b, x)` a triad: `|a−b|, |a−b|+2, …, min(a+b, max)`.
pub(crate) fn triads(a: i64, b: i64, max: i64) -> Steps {
    common_triads(&[(a, b)], max)
}

/// Doubled `x ≤ max` with `(a, b, x)` a triad for every pair `(a, b)` (empty when the pairs'
/// sums differ in parity, since then no x closes all triangles with integer perimeters).
pub(crate) fn common_triads(pairs: &[(i64, i64)], max: i64) -> Steps {
    let mut lo = 0i64;
    let mut hi = max;
    let parity = pairs
        .first()
        .map(|&(a, b)| (a + b).rem_euclid(2))
        .unwrap_or(0);
    for &(a, b) in pairs {
        if (a + b).rem_euclid(2) != parity {
            return empty();
        }
        lo = lo.max((a - b).abs());
        hi = hi.min(a + b);
    }
    if lo > hi {
        return empty();
    }
    (lo..=hi).step_by(2)
}

/// `−t, −t+2, …, t`: the doubled projections of the doubled spin `t`.
pub(crate) fn projections(t: i64) -> Steps {
    (-t..=t).step_by(2)
}

fn empty() -> Steps {
    let mut r = (0..=0).step_by(2);
    r.next();
    r
}

/// Whether doubled `(a, b, c)` satisfy the triangle condition with an integer perimeter.
pub(crate) fn triad(a: i64, b: i64, c: i64) -> bool {
    a >= 0 && b >= 0 && c >= 0 && c <= a + b && c >= (a - b).abs() && (a + b + c) % 2 == 0
}

/// Whether `(−1)^(t/2)` is −1, for an even doubled exponent `t`.
pub(crate) fn odd(t: i64) -> bool {
    (t / 2).rem_euclid(2) == 1
}

/// Text of a doubled value: `3/2`, `-1`.
pub(crate) fn half(t: i64) -> String {
    if t % 2 == 0 {
        (t / 2).to_string()
    } else {
        format!("{t}/2")
    }
}

/// Text of doubled values separated by `sep`.
pub(crate) fn halves(ts: &[i64], sep: &str) -> String {
    ts.iter().map(|&t| half(t)).collect::<Vec<_>>().join(sep)
}

/// `{a b c; d e f}` from doubled values.
pub(crate) fn six_j_text(t: [i64; 6]) -> String {
    format!("{{{}; {}}}", halves(&t[..3], " "), halves(&t[3..], " "))
}

/// `{a b c; d e f; g h i}` from doubled values.
pub(crate) fn nine_j_text(t: [i64; 9]) -> String {
    format!(
        "{{{}; {}; {}}}",
        halves(&t[..3], " "),
        halves(&t[3..6], " "),
        halves(&t[6..], " ")
    )
}

/// `⟨j1 m1 j2 m2|J M⟩` from doubled values.
pub(crate) fn cg_text(j1: i64, m1: i64, j2: i64, m2: i64, j: i64, m: i64) -> String {
    format!(
        "<{} {} {} {}|{} {}>",
        half(j1),
        half(m1),
        half(j2),
        half(m2),
        half(j),
        half(m)
    )
}

/// Every 6j symbol (doubled, row-major) whose four triads `(a b c)`, `(a e f)`, `(d b f)`,
/// `(d e c)` are admissible, with spins `≤ n`, in a fixed order.
pub(crate) fn admissible_six_j(n: i64) -> impl Iterator<Item = [i64; 6]> + Send {
    spins(n).flat_map(move |a| {
        spins(n).flat_map(move |b| {
            triads(a, b, n).flat_map(move |c| {
                spins(n).flat_map(move |d| {
                    triads(d, c, n).flat_map(move |e| {
                        common_triads(&[(a, e), (d, b)], n).map(move |f| [a, b, c, d, e, f])
                    })
                })
            })
        })
    })
}

/// Every 9j symbol (doubled, row-major) whose rows and columns are admissible triads, with
/// spins `≤ n`, in a fixed order.
pub(crate) fn admissible_nine_j(n: i64) -> impl Iterator<Item = [i64; 9]> + Send {
    // rows (a b c), (d e f), (g h i); columns (a d g), (b e h), (c f i)
    spins(n).flat_map(move |a| {
        spins(n).flat_map(move |b| {
            triads(a, b, n).flat_map(move |c| {
                spins(n).flat_map(move |d| {
                    triads(a, d, n).flat_map(move |g| {
                        spins(n).flat_map(move |e| {
                            triads(b, e, n).flat_map(move |h| {
                                triads(d, e, n).flat_map(move |f| {
                                    common_triads(&[(c, f), (g, h)], n)
                                        .map(move |i| [a, b, c, d, e, f, g, h, i])
                                })
                            })
                        })
                    })
                })
            })
        })
    })
}

/// Pairs of spins a label must couple with, as a function of four spins (a, b, c, d).
pub(crate) type CouplingPairs = fn(i64, i64, i64, i64) -> [(i64, i64); 2];

/// Every `[a, b, c, d, p, q]` with all 2j ≤ `n`, p admissible with both pairs `p_pairs(a, b, c, d)`
/// and q with both pairs `q_pairs(a, b, c, d)`, in lexicographic order: the enumeration of the
/// two-label 6j sum identities (orthogonality, Racah's sum rule).
pub(crate) fn four_spins_two_labels(
    n: i64,
    p_pairs: CouplingPairs,
    q_pairs: CouplingPairs,
) -> impl Iterator<Item = [i64; 6]> + Send {
    spins(n).flat_map(move |a| {
        spins(n).flat_map(move |b| {
            spins(n).flat_map(move |c| {
                spins(n).flat_map(move |d| {
                    common_triads(&p_pairs(a, b, c, d), n).flat_map(move |p| {
                        common_triads(&q_pairs(a, b, c, d), n).map(move |q| [a, b, c, d, p, q])
                    })
                })
            })
        })
    })
}
