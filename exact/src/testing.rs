//! Proptest strategies for symbols with admissible arguments (feature `testing`).
//!
//! Strategies construct admissible arguments directly (draw `j1`, `j2`, then `j3` from
//! `|j1−j2|..=j1+j2`) instead of filtering. All spins are doubled integers `≤ max_twice`.

use crate::{Cg, NineJ, SixJ, ThreeJ};
use proptest::prelude::*;

/// A doubled spin in `0..=max_twice`.
pub fn twice_spin(max_twice: i64) -> impl Strategy<Value = i64> + Clone {
    0..=max_twice
}

/// Doubled `(j1, j2, j3)` with the triangle condition and an integer sum.
pub fn triangle_triple(max_twice: i64) -> impl Strategy<Value = [i64; 3]> + Clone {
    (twice_spin(max_twice), twice_spin(max_twice)).prop_flat_map(move |(a, b)| {
        let lo = (a - b).abs();
        let hi = (a + b).min(max_twice - (max_twice - lo) % 2);
        // hi has the parity of lo, so (hi − lo)/2 steps fit.
        (Just(a), Just(b), 0..=(hi - lo) / 2).prop_map(move |(a, b, k)| [a, b, lo + 2 * k])
    })
}

/// A doubled projection `2m` for the doubled spin `tj` (`|m| ≤ j`, `j − m` integer).
pub fn twice_projection(tj: i64) -> impl Strategy<Value = i64> + Clone {
    (0..=tj).prop_map(move |k| 2 * k - tj)
}

/// A CG coefficient with a triangle triple and `M = m1 + m2`, `|M| ≤ J` (mostly nonzero).
pub fn admissible_cg(max_twice: i64) -> impl Strategy<Value = Cg> {
    triangle_triple(max_twice)
        .prop_flat_map(|[a, b, c]| (Just([a, b, c]), twice_projection(a)))
        .prop_flat_map(|([a, b, c], x)| {
            // m2 such that |m1 + m2| ≤ J and |m2| ≤ j2.
            let lo = (-b).max(-c - x);
            let hi = b.min(c - x);
            (Just([a, b, c]), Just(x), 0..=(hi - lo) / 2)
                .prop_map(move |(t, x, k)| (t, x, lo + 2 * k))
        })
        .prop_map(|([a, b, c], x, y)| Cg::from_twice(a, x, b, y, c, x + y).expect("admissible"))
}

/// A 3j symbol with a triangle triple and `m1 + m2 + m3 = 0`.
pub fn admissible_three_j(max_twice: i64) -> impl Strategy<Value = ThreeJ> {
    admissible_cg(max_twice).prop_map(|cg| cg.to_three_j())
}

/// A 6j symbol whose four triads are admissible.
pub fn admissible_six_j(max_twice: i64) -> impl Strategy<Value = SixJ> {
    (triangle_triple(max_twice), twice_spin(max_twice))
        .prop_flat_map(move |([a, b, c], d)| {
            // e with (d, e, c) a triad
            let lo = (d - c).abs();
            let hi = (d + c).min(max_twice - (max_twice - lo) % 2);
            let n = if hi >= lo { (hi - lo) / 2 } else { 0 };
            (Just([a, b, c, d]), 0..=n).prop_map(move |(t, k)| (t, lo + 2 * k))
        })
        .prop_flat_map(move |([a, b, c, d], e)| {
            // f with (a, e, f) and (d, b, f) triads
            let lo = (a - e).abs().max((d - b).abs());
            let hi = (a + e).min(d + b).min(max_twice);
            let hi = hi - (hi - lo).rem_euclid(2);
            let n = if hi >= lo { (hi - lo) / 2 } else { 0 };
            (Just([a, b, c, d, e]), Just(lo), 0..=n)
        })
        .prop_map(|([a, b, c, d, e], lo, k)| {
            SixJ::from_twice(a, b, c, d, e, lo + 2 * k).expect("spins in range")
        })
        .prop_filter("four admissible triads", |s| s.is_admissible())
}

/// A 9j symbol whose rows and columns are admissible triads.
pub fn admissible_nine_j(max_twice: i64) -> impl Strategy<Value = NineJ> {
    (triangle_triple(max_twice), triangle_triple(max_twice))
        .prop_flat_map(move |([a, b, c], [d, e, f])| {
            let range = move |x: i64, y: i64| {
                let lo = (x - y).abs();
                let hi = (x + y).min(max_twice - (max_twice - lo) % 2);
                (lo, if hi >= lo { (hi - lo) / 2 } else { 0 })
            };
            let (gl, gn) = range(a, d);
            let (hl, hn) = range(b, e);
            (Just([a, b, c, d, e, f]), 0..=gn, 0..=hn)
                .prop_map(move |(t, kg, kh)| (t, gl + 2 * kg, hl + 2 * kh))
        })
        .prop_flat_map(move |([a, b, c, d, e, f], g, h)| {
            let lo = (c - f).abs().max((g - h).abs());
            let hi = (c + f).min(g + h).min(max_twice);
            let hi = hi - (hi - lo).rem_euclid(2);
            let n = if hi >= lo { (hi - lo) / 2 } else { 0 };
            (Just([a, b, c, d, e, f, g, h]), Just(lo), 0..=n)
        })
        .prop_map(|(t, lo, k)| {
            NineJ::from_twice([t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], lo + 2 * k])
                .expect("spins in range")
        })
        .prop_filter("admissible rows and columns", |n| n.is_admissible())
}
