//! Double-double arithmetic (an unevaluated sum `hi + lo` of two f64, ≈ 106 bits).
//!
//! Used only to *propose* a correctly rounded result quickly; every proposal is accepted only when
//! a rigorous error bound keeps the exact value away from a rounding boundary (see
//! [`crate::rounding`]). Products use Dekker's splitting, so no FMA is needed. All inputs here are
//! bounded by 2^200 in magnitude, far from where splitting could overflow.

/// `hi + lo` with `|lo| <= ulp(hi) / 2` after normalisation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Dd {
    pub hi: f64,
    pub lo: f64,
}

#[inline(always)]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

#[inline(always)]
fn quick_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

#[inline(always)]
fn split(a: f64) -> (f64, f64) {
    const SPLITTER: f64 = 134_217_729.0; // 2^27 + 1
    let t = SPLITTER * a;
    let hi = t - (t - a);
    (hi, a - hi)
}

/// `a * b` exactly as `p + e` (Dekker).
#[inline(always)]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

impl Dd {
    /// A u64, exactly.
    #[inline(always)]
    pub fn from_u64(x: u64) -> Dd {
        let hi = x as f64;
        if x < 1 << 53 {
            return Dd { hi, lo: 0.0 };
        }
        // |x − hi| < 2^11; hi may be 2^64 itself (not a u64). No i128 arithmetic: its
        // conversion to f64 is a slow library call.
        let lo = if hi >= 18_446_744_073_709_551_616.0 {
            -(((u64::MAX - x) + 1) as f64)
        } else {
            let h = hi as u64;
            if x >= h {
                (x - h) as f64
            } else {
                -((h - x) as f64)
            }
        };
        Dd { hi, lo }
    }

    /// A u128, with relative error below 2^-105.
    #[inline(always)]
    pub fn from_u128(x: u128) -> Dd {
        let h = (x >> 64) as u64;
        let l = x as u64;
        if h == 0 {
            return Dd::from_u64(l);
        }
        let a = Dd::from_u64(h);
        let scale = 18_446_744_073_709_551_616.0; // 2^64
        Dd {
            hi: a.hi * scale,
            lo: a.lo * scale,
        }
        .add(Dd::from_u64(l))
    }

    /// Sum (relative error below 2^-104 for operands of equal sign).
    #[inline(always)]
    pub fn add(self, b: Dd) -> Dd {
        let (s, e) = two_sum(self.hi, b.hi);
        let (t, f) = two_sum(self.lo, b.lo);
        let e = e + t;
        let (s, e) = quick_two_sum(s, e);
        let e = e + f;
        let (hi, lo) = quick_two_sum(s, e);
        Dd { hi, lo }
    }

    /// Product.
    #[inline(always)]
    pub fn mul(self, b: Dd) -> Dd {
        let (p, e) = two_prod(self.hi, b.hi);
        let e = e + (self.hi * b.lo + self.lo * b.hi);
        let (hi, lo) = quick_two_sum(p, e);
        Dd { hi, lo }
    }

    /// Quotient (`b` nonzero).
    #[inline(always)]
    pub fn div(self, b: Dd) -> Dd {
        let q1 = self.hi / b.hi;
        let (p1, p2) = two_prod(q1, b.hi);
        let s = ((self.hi - p1) - p2 + self.lo) - q1 * b.lo;
        let q2 = s / b.hi;
        let (q1, q2b) = quick_two_sum(q1, q2);
        // One correction step keeps the error at a few units of 2^-106.
        let r = Dd { hi: q1, lo: q2b };
        let prod = r.mul(b);
        let (d, de) = two_sum(self.hi, -prod.hi);
        let q3 = (d + (de + self.lo - prod.lo)) / b.hi;
        let (hi, lo) = quick_two_sum(r.hi, r.lo + q3);
        Dd { hi, lo }
    }

    /// Square root (`self` positive).
    #[inline(always)]
    pub fn sqrt(self) -> Dd {
        let s = self.hi.sqrt();
        let (p1, p2) = two_prod(s, s);
        let e = ((self.hi - p1) - p2 + self.lo) / (2.0 * s);
        let (hi, lo) = quick_two_sum(s, e);
        Dd { hi, lo }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rug::{Float, Integer};

    fn exact(d: Dd) -> Float {
        Float::with_val(300, d.hi) + Float::with_val(300, d.lo)
    }

    fn rel_err(got: Dd, want: &Float) -> f64 {
        let diff = Float::with_val(300, &exact(got) - want);
        (diff / want).abs().to_f64()
    }

    #[test]
    fn dd_ops_are_accurate() {
        let bound = 2f64.powi(-100);
        let mut x: u128 = 0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C834;
        for _ in 0..2000 {
            x = x
                .wrapping_mul(0x2545_F491_4F6C_DD1D_1234_5678_9ABC_DEF1)
                .wrapping_add(12345);
            let a = x >> (x % 97);
            let b = (x.rotate_left(37) >> (x % 113)) | 1;
            let fa = Float::with_val(300, Integer::from(a));
            let fb = Float::with_val(300, Integer::from(b));
            let (da, db) = (Dd::from_u128(a), Dd::from_u128(b));
            for v in [
                a as u64,
                u64::MAX - (a as u64 % 4096),
                (1 << 53) + (a as u64 % 4096),
            ] {
                let d = Dd::from_u64(v);
                assert_eq!(exact(d), Float::with_val(300, v), "from_u64({v})");
            }
            if a > 0 {
                assert!(rel_err(da, &fa) < bound, "from_u128({a})");
            }
            let q = da.div(db);
            if a > 0 {
                assert!(
                    rel_err(q, &Float::with_val(300, &fa / &fb)) < bound,
                    "{a}/{b}"
                );
                let s = q.sqrt();
                let want = Float::with_val(300, &fa / &fb).sqrt();
                assert!(rel_err(s, &want) < bound, "sqrt({a}/{b})");
                let m = q.mul(db);
                assert!(rel_err(m, &fa) < bound, "({a}/{b})*{b}");
            }
        }
    }
}
