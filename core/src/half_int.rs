//! Half-integers stored as doubled integers: [`HalfInt`], non-negative [`Spin`] and [`Ket`].
//!
//! See `CONVENTIONS.md#spins` for the textual forms. `HalfInt::from_twice(3)` is 3/2. There is
//! deliberately no constructor from `f64`: a float cannot be checked for being a half-integer.

use crate::CoreError;
use std::fmt;
use std::str::FromStr;

/// An integer or half-integer, stored as twice its value.
///
/// # Examples
/// ```
/// use racah_core::HalfInt;
/// let h: HalfInt = "-7/2".parse()?;
/// assert_eq!(h.twice(), -7);
/// assert_eq!(h.to_string(), "-7/2");
/// assert_eq!("3.5".parse::<HalfInt>()?, HalfInt::from_twice(7));
/// # Ok::<(), racah_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct HalfInt(i32);

impl HalfInt {
    /// Zero.
    pub const ZERO: HalfInt = HalfInt(0);

    /// The half-integer `twice / 2`.
    pub const fn from_twice(twice: i32) -> Self {
        HalfInt(twice)
    }

    /// The integer `n`.
    ///
    /// # Panics
    /// If `2n` overflows `i32`.
    pub const fn int(n: i32) -> Self {
        HalfInt(n * 2)
    }

    /// Twice the value.
    pub const fn twice(self) -> i32 {
        self.0
    }

    /// Whether the value is an integer.
    pub const fn is_integer(self) -> bool {
        self.0 % 2 == 0
    }

    /// The absolute value.
    pub const fn abs(self) -> Self {
        HalfInt(self.0.abs())
    }
}

impl std::ops::Add for HalfInt {
    type Output = HalfInt;
    fn add(self, o: HalfInt) -> HalfInt {
        HalfInt(self.0 + o.0)
    }
}

impl std::ops::Sub for HalfInt {
    type Output = HalfInt;
    fn sub(self, o: HalfInt) -> HalfInt {
        HalfInt(self.0 - o.0)
    }
}

impl std::ops::Neg for HalfInt {
    type Output = HalfInt;
    fn neg(self) -> HalfInt {
        HalfInt(-self.0)
    }
}

impl fmt::Display for HalfInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 % 2 == 0 {
            write!(f, "{}", self.0 / 2)
        } else {
            write!(f, "{}/2", self.0)
        }
    }
}

fn parse_twice(s: &str) -> Result<i32, CoreError> {
    let bad = || CoreError::NotHalfInteger {
        input: s.to_string(),
    };
    let t = s.trim();
    if t.is_empty() {
        return Err(bad());
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    let too_large = || CoreError::TooLarge {
        value: s.to_string(),
    };
    let twice: i64 = if let Some((num, den)) = body.split_once('/') {
        if !digits(num) || !digits(den) {
            return Err(bad());
        }
        let n: i64 = num.parse().map_err(|_| too_large())?;
        match den.trim_start_matches('0') {
            "1" => n.checked_mul(2).ok_or_else(too_large)?,
            "2" => n,
            _ => return Err(bad()),
        }
    } else if let Some((int, frac)) = body.split_once('.') {
        if !digits(int) || !(frac.is_empty() || digits(frac)) {
            return Err(bad());
        }
        let n: i64 = int.parse().map_err(|_| too_large())?;
        let frac = frac.trim_end_matches('0');
        let half = match frac {
            "" => 0,
            "5" => 1,
            _ => return Err(bad()),
        };
        n.checked_mul(2).ok_or_else(too_large)? + half
    } else {
        if !digits(body) {
            return Err(bad());
        }
        let n: i64 = body.parse().map_err(|_| too_large())?;
        n.checked_mul(2).ok_or_else(too_large)?
    };
    let twice = if neg { -twice } else { twice };
    i32::try_from(twice).map_err(|_| too_large())
}

impl FromStr for HalfInt {
    type Err = CoreError;
    /// Parses `"3"`, `"-7/2"`, `"3.5"`, `"14/4"` is rejected (only denominators 1 and 2).
    fn from_str(s: &str) -> Result<Self, CoreError> {
        parse_twice(s).map(HalfInt)
    }
}

/// A non-negative half-integer: an angular momentum j.
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// let j: Spin = "5/2".parse()?;
/// assert_eq!(j.dim(), 6);
/// assert!("-1".parse::<Spin>().is_err());
/// # Ok::<(), racah_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Spin(u32);

impl Spin {
    /// Spin 0.
    pub const ZERO: Spin = Spin(0);

    /// The spin `twice / 2`.
    pub const fn from_twice(twice: u32) -> Self {
        Spin(twice)
    }

    /// The spin `twice / 2`, rejecting negative values and values beyond `i32::MAX`.
    pub fn try_from_twice(twice: i64) -> Result<Self, CoreError> {
        if twice < 0 {
            return Err(CoreError::NegativeSpin {
                value: HalfInt(twice as i32).to_string(),
            });
        }
        if twice > i32::MAX as i64 {
            return Err(CoreError::TooLarge {
                value: format!("{twice}/2"),
            });
        }
        Ok(Spin(twice as u32))
    }

    /// The integer spin `l`.
    pub const fn int(l: u32) -> Self {
        Spin(2 * l)
    }

    /// Twice the spin.
    pub const fn twice(self) -> u32 {
        self.0
    }

    /// The dimension 2j + 1 of the irreducible representation.
    pub const fn dim(self) -> usize {
        self.0 as usize + 1
    }

    /// Whether the spin is an integer (a representation of SO(3), not only SU(2)).
    pub const fn is_integer(self) -> bool {
        self.0 % 2 == 0
    }

    /// As a signed half-integer.
    pub const fn as_half_int(self) -> HalfInt {
        HalfInt(self.0 as i32)
    }

    /// All projections m = −j, −j+1, …, j in increasing order.
    pub fn projections(self) -> impl DoubleEndedIterator<Item = HalfInt> + ExactSizeIterator {
        let j = self.0 as i32;
        (0..self.0 + 1).map(move |k| HalfInt(-j + 2 * k as i32))
    }
}

impl TryFrom<HalfInt> for Spin {
    type Error = CoreError;
    fn try_from(h: HalfInt) -> Result<Self, CoreError> {
        if h.0 < 0 {
            Err(CoreError::NegativeSpin {
                value: h.to_string(),
            })
        } else {
            Ok(Spin(h.0 as u32))
        }
    }
}

impl fmt::Display for Spin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_half_int().fmt(f)
    }
}

impl FromStr for Spin {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, CoreError> {
        Spin::try_from(s.parse::<HalfInt>()?)
    }
}

/// A state |j m⟩: a spin with a projection, checked so that |m| ≤ j and j − m is an integer.
///
/// Symbols take kets, so j and m cannot be swapped by accident.
///
/// # Examples
/// ```
/// use racah_core::{Ket, Spin, HalfInt};
/// let k = Ket::new(Spin::from_twice(3), HalfInt::from_twice(-1))?;
/// assert_eq!(k.to_string(), "|3/2 -1/2>");
/// assert!(Ket::new(Spin::int(1), HalfInt::int(2)).is_err());
/// # Ok::<(), racah_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ket {
    /// The spin j.
    pub j: Spin,
    /// The projection m.
    pub m: HalfInt,
}

impl Ket {
    /// The state |j m⟩, or an error if |m| > j or j − m is not an integer.
    pub fn new(j: Spin, m: HalfInt) -> Result<Self, CoreError> {
        let (tj, tm) = (j.twice() as i64, m.twice() as i64);
        if (tj - tm) % 2 != 0 {
            return Err(CoreError::ProjectionParity {
                j: j.to_string(),
                m: m.to_string(),
            });
        }
        if tm.abs() > tj {
            return Err(CoreError::ProjectionOutOfRange {
                j: j.to_string(),
                m: m.to_string(),
            });
        }
        Ok(Ket { j, m })
    }

    /// From doubled integers `(2j, 2m)`.
    pub fn from_twice(twice_j: i64, twice_m: i64) -> Result<Self, CoreError> {
        let j = Spin::try_from_twice(twice_j)?;
        let m = i32::try_from(twice_m).map_err(|_| CoreError::TooLarge {
            value: format!("{twice_m}/2"),
        })?;
        Ket::new(j, HalfInt::from_twice(m))
    }

    /// Index of m in 0..2j+1 (m = −j is 0): the complex-basis position used by dense tables.
    pub fn index(self) -> usize {
        ((self.j.twice() as i64 + self.m.twice() as i64) / 2) as usize
    }
}

impl fmt::Display for Ket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "|{} {}>", self.j, self.m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_half_int_parse() {
        let cases = [
            ("3", 6),
            ("7/2", 7),
            ("3.5", 7),
            ("-1/2", -1),
            ("-0.5", -1),
            ("0", 0),
            ("+2", 4),
            ("4/1", 8),
            ("2.0", 4),
            (" 1 ", 2),
        ];
        for (s, t) in cases {
            assert_eq!(s.parse::<HalfInt>().unwrap().twice(), t, "{s}");
        }
    }

    #[test]
    fn half_int_rejects_non_half_integers() {
        for s in ["2.3", "1/3", "x", "", "1/0", "3.25", "--1", "1e3", "2/4"] {
            let e = s.parse::<HalfInt>().unwrap_err();
            assert!(matches!(e, CoreError::NotHalfInteger { .. }), "{s}: {e}");
            assert!(e.to_string().contains(&format!("{s:?}")), "{e}");
        }
        assert!(matches!(
            "99999999999".parse::<HalfInt>(),
            Err(CoreError::TooLarge { .. })
        ));
    }

    #[test]
    fn spin_rejects_negative() {
        let e = "-3/2".parse::<Spin>().unwrap_err();
        assert_eq!(e.to_string(), "spin must be non-negative, got -3/2");
    }

    #[test]
    fn ket_checks() {
        let e = Ket::new(Spin::int(1), HalfInt::from_twice(1)).unwrap_err();
        assert!(matches!(e, CoreError::ProjectionParity { .. }));
        let e = Ket::new(Spin::from_twice(3), HalfInt::from_twice(5)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "projection m = 5/2 is out of range for j = 3/2 (need -j <= m <= j)"
        );
        assert_eq!(Ket::from_twice(3, -3).unwrap().index(), 0);
        assert_eq!(Ket::from_twice(3, 3).unwrap().index(), 3);
    }

    #[test]
    fn projections_enumerate() {
        let ms: Vec<i32> = Spin::from_twice(3)
            .projections()
            .map(|m| m.twice())
            .collect();
        assert_eq!(ms, vec![-3, -1, 1, 3]);
    }

    proptest::proptest! {
        #[test]
        fn half_int_display_round_trips(t in -10_000i32..10_000) {
            let h = HalfInt::from_twice(t);
            proptest::prop_assert_eq!(h.to_string().parse::<HalfInt>().unwrap(), h);
        }
    }
}
