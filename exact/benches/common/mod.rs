//! Shared input builders for the exact benches (deterministic, built outside `b.iter`).

#![allow(dead_code)]

/// Whether doubled spins form an admissible triad.
pub fn triad(a: i64, b: i64, c: i64) -> bool {
    c <= a + b && c >= (a - b).abs() && (a + b + c) % 2 == 0
}

/// All admissible 6j (doubled arguments) with integer spins `j ≤ max_j`.
pub fn six_j_integer(max_j: i64) -> Vec<[i64; 6]> {
    let m = 2 * max_j;
    let mut out = Vec::new();
    for a in (0..=m).step_by(2) {
        for b in (0..=m).step_by(2) {
            for c in (0..=m).step_by(2) {
                if !triad(a, b, c) {
                    continue;
                }
                for d in (0..=m).step_by(2) {
                    for e in (0..=m).step_by(2) {
                        if !triad(d, e, c) {
                            continue;
                        }
                        for f in (0..=m).step_by(2) {
                            if triad(a, e, f) && triad(d, b, f) {
                                out.push([a, b, c, d, e, f]);
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// All CG `⟨l1 m1 l2 m2|L M⟩` (doubled) with integer `l ≤ max_l`, `M = m1 + m2`, triangle.
pub fn cg_integer(max_l: i64) -> Vec<[i64; 6]> {
    let m = 2 * max_l;
    let mut out = Vec::new();
    for a in (0..=m).step_by(2) {
        for b in (0..=m).step_by(2) {
            for c in ((a - b).abs()..=(a + b).min(m)).step_by(2) {
                for x in (-a..=a).step_by(2) {
                    for y in (-b..=b).step_by(2) {
                        if (x + y).abs() <= c {
                            out.push([a, x, b, y, c, x + y]);
                        }
                    }
                }
            }
        }
    }
    out
}

/// All admissible 9j (doubled, row-major) with integer spins `j ≤ max_j`.
pub fn nine_j_integer(max_j: i64) -> Vec<[i64; 9]> {
    let m = 2 * max_j;
    let tri = |a: i64, b: i64| ((a - b).abs()..=(a + b).min(m)).step_by(2);
    let mut out = Vec::new();
    for a in (0..=m).step_by(2) {
        for b in (0..=m).step_by(2) {
            for c in tri(a, b) {
                for d in (0..=m).step_by(2) {
                    for e in (0..=m).step_by(2) {
                        for f in tri(d, e) {
                            for g in tri(a, d) {
                                for h in tri(b, e) {
                                    for i in tri(c, f) {
                                        if triad(g, h, i) {
                                            out.push([a, b, c, d, e, f, g, h, i]);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}
