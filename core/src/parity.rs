//! O(3) parity: how a representation transforms under the inversion x ↦ −x.

use std::fmt;

/// Parity under inversion: `Even` (`e`, +1) or `Odd` (`o`, −1).
///
/// The spherical harmonics Y_l have parity (−1)^l ([`Parity::of_harmonic`]); a polar vector is
/// `1o`, a pseudo-vector `1e`, a pseudo-scalar `0o`.
///
/// # Examples
/// ```
/// use racah_core::Parity;
/// assert_eq!(Parity::Odd * Parity::Odd, Parity::Even);
/// assert_eq!(Parity::of_harmonic(3), Parity::Odd);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Parity {
    /// +1 under inversion, written `e`.
    Even,
    /// −1 under inversion, written `o`.
    Odd,
}

impl Parity {
    /// The parity (−1)^l of the degree-l spherical harmonics.
    pub const fn of_harmonic(l: u32) -> Parity {
        if l % 2 == 0 {
            Parity::Even
        } else {
            Parity::Odd
        }
    }

    /// +1 or −1.
    pub const fn sign(self) -> i32 {
        match self {
            Parity::Even => 1,
            Parity::Odd => -1,
        }
    }

    /// The letter used by the e3nn grammar.
    pub const fn letter(self) -> char {
        match self {
            Parity::Even => 'e',
            Parity::Odd => 'o',
        }
    }

    /// From `'e'`/`'o'` (also `'y'` for (−1)^l is *not* accepted here: it needs l).
    pub const fn from_letter(c: char) -> Option<Parity> {
        match c {
            'e' => Some(Parity::Even),
            'o' => Some(Parity::Odd),
            _ => None,
        }
    }
}

impl std::ops::Mul for Parity {
    type Output = Parity;
    fn mul(self, o: Parity) -> Parity {
        if self == o {
            Parity::Even
        } else {
            Parity::Odd
        }
    }
}

impl fmt::Display for Parity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parity_table() {
        use Parity::*;
        assert_eq!(Even * Even, Even);
        assert_eq!(Even * Odd, Odd);
        assert_eq!(Odd * Even, Odd);
        assert_eq!(Odd * Odd, Even);
        assert_eq!(Odd.sign(), -1);
        assert_eq!(Parity::from_letter('x'), None);
        for l in 0..10 {
            assert_eq!(
                Parity::of_harmonic(l).sign(),
                if l % 2 == 0 { 1 } else { -1 }
            );
        }
    }
}
