//! A single irreducible representation of O(3) (or of SU(2)×parity for half-integer j).

use crate::{CoreError, Parity, Spin};
use std::fmt;
use std::str::FromStr;

/// An irrep `(j, p)`: spin j with parity p, written as in e3nn: `"1o"`, `"2e"`, `"3/2e"`.
///
/// Integer j are the O(3) irreps used by equivariant networks; half-integer j are allowed for
/// SU(2) work (spinors). The dimension is 2j+1. See `CONVENTIONS.md#irreps`.
///
/// # Examples
/// ```
/// use racah_core::{Irrep, Parity};
/// let v: Irrep = "1o".parse()?;
/// assert_eq!(v.dim(), 3);
/// assert_eq!(v.parity(), Parity::Odd);
/// assert_eq!(Irrep::l(2, Parity::Even).to_string(), "2e");
/// # Ok::<(), racah_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Irrep {
    j: Spin,
    p: Parity,
}

impl Irrep {
    /// The irrep (j, p).
    pub const fn new(j: Spin, p: Parity) -> Self {
        Irrep { j, p }
    }

    /// The integer-spin irrep (l, p).
    pub const fn l(l: u32, p: Parity) -> Self {
        Irrep { j: Spin::int(l), p }
    }

    /// The irrep of degree-l spherical harmonics: (l, (−1)^l).
    pub const fn harmonic(l: u32) -> Self {
        Irrep {
            j: Spin::int(l),
            p: Parity::of_harmonic(l),
        }
    }

    /// The spin.
    pub const fn j(self) -> Spin {
        self.j
    }

    /// The integer degree l, or `None` for half-integer spin.
    pub const fn as_l(self) -> Option<u32> {
        if self.j.is_integer() {
            Some(self.j.twice() / 2)
        } else {
            None
        }
    }

    /// The parity.
    pub const fn parity(self) -> Parity {
        self.p
    }

    /// The dimension 2j+1.
    pub const fn dim(self) -> usize {
        self.j.dim()
    }

    /// Whether this is the trivial representation `0e`.
    pub fn is_scalar(self) -> bool {
        self.j == Spin::ZERO && self.p == Parity::Even
    }
}

/// Ordered as e3nn (torch) orders its `Irrep` tuples `(l, p)` with p = ±1: by j, then odd
/// (p = −1) before even (p = +1). So `0o < 0e < 1o < 1e`.
impl Ord for Irrep {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.j, self.p.sign()).cmp(&(o.j, o.p.sign()))
    }
}

impl PartialOrd for Irrep {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl fmt::Display for Irrep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.j, self.p)
    }
}

impl FromStr for Irrep {
    type Err = CoreError;
    /// Parses `"1o"`, `"2e"`, `"3/2o"`; `y` (parity (−1)^l, as in e3nn's `"1y"`) is accepted
    /// for integer l.
    fn from_str(s: &str) -> Result<Self, CoreError> {
        let t = s.trim();
        let bad = |at: usize, token: &str, kind: &str| CoreError::Parse {
            input: s.to_string(),
            at,
            token: token.to_string(),
            kind: kind.to_string(),
        };
        let last = t.chars().last().ok_or_else(|| bad(0, "", "empty irrep"))?;
        let body = &t[..t.len() - last.len_utf8()];
        if body.is_empty() {
            return Err(bad(0, t, "missing degree before parity"));
        }
        let j: Spin = body.parse().map_err(|_| bad(0, body, "bad degree"))?;
        let p = match last {
            'e' => Parity::Even,
            'o' => Parity::Odd,
            'y' if j.is_integer() => Parity::of_harmonic(j.twice() / 2),
            _ => {
                return Err(bad(
                    t.len() - last.len_utf8(),
                    &last.to_string(),
                    "parity must be 'e' or 'o' (or 'y' for (-1)^l)",
                ))
            }
        };
        Ok(Irrep { j, p })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_irrep_parse() {
        assert_eq!("1o".parse::<Irrep>().unwrap(), Irrep::l(1, Parity::Odd));
        assert_eq!("2y".parse::<Irrep>().unwrap(), Irrep::l(2, Parity::Even));
        assert_eq!("3y".parse::<Irrep>().unwrap(), Irrep::l(3, Parity::Odd));
        assert_eq!("3/2e".parse::<Irrep>().unwrap().dim(), 4);
        assert_eq!(Irrep::harmonic(5).to_string(), "5o");
    }

    #[test]
    fn irrep_rejects_malformed() {
        for s in ["", "1", "1x", "e", "-1o", "1.3e", "3/2y"] {
            assert!(s.parse::<Irrep>().is_err(), "{s}");
        }
    }

    #[test]
    fn irrep_order_is_e3nn() {
        // e3nn: Irrep is the tuple (l, p), p = ±1, so sorting puts p = -1 first
        let mut v: Vec<Irrep> = ["1e", "0o", "1o", "0e"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        v.sort();
        let s: Vec<String> = v.iter().map(|x| x.to_string()).collect();
        assert_eq!(s, ["0o", "0e", "1o", "1e"]);
    }
}
