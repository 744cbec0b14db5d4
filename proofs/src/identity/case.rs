//! [`Case`]: the arguments of one instance of an identity.

use crate::identity::Failure;
use std::fmt;

/// Most arguments a [`Case`] can hold.
pub const MAX_ARGS: usize = 12;

/// The free arguments of one instance of an identity: doubled spins and projections, in the
/// identity's own order.
///
/// Its canonical text (`Display`) is the arguments separated by single spaces, e.g.
/// `2 2 2 2 2 2` for the 6j `{1 1 1; 1 1 1}`; the enumeration hash of a run is computed from
/// these texts.
///
/// # Convention
/// Doubled integers (`CONVENTIONS.md#spins`).
///
/// # Examples
/// ```
/// use racah_proofs::identity::Case;
/// let c = Case::new([2, 1, -1]);
/// assert_eq!(c.args(), &[2, 1, -1]);
/// assert_eq!(c.to_string(), "2 1 -1");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Case {
    len: u8,
    args: [i64; MAX_ARGS],
}

impl Case {
    /// A case with the given arguments (at most [`MAX_ARGS`], checked at compile time).
    pub fn new<const N: usize>(args: [i64; N]) -> Case {
        const { assert!(N <= MAX_ARGS, "a case holds at most MAX_ARGS arguments") };
        let mut out = [0i64; MAX_ARGS];
        out[..N].copy_from_slice(&args);
        Case {
            len: N as u8,
            args: out,
        }
    }

    /// The arguments.
    pub fn args(&self) -> &[i64] {
        &self.args[..self.len as usize]
    }

    /// The arguments as an array of exactly `N` entries.
    ///
    /// # Errors
    /// A [`Failure`] ("malformed case") if the case does not have `N` arguments or if one of
    /// the first `spins` arguments (doubled spins) is negative.
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::identity::Case;
    /// let [a, b] = Case::new([3, 1]).array::<2>(2)?;
    /// assert_eq!((a, b), (3, 1));
    /// assert!(Case::new([3, 1]).array::<3>(3).is_err());
    /// assert!(Case::new([-1, 1]).array::<2>(1).is_err());
    /// # Ok::<(), racah_proofs::identity::Failure>(())
    /// ```
    pub fn array<const N: usize>(&self, spins: usize) -> Result<[i64; N], Failure> {
        let a = self.args();
        let malformed = |why: String| Failure::new(self, "malformed case", why, "");
        if a.len() != N {
            return Err(malformed(format!("{} arguments, expected {N}", a.len())));
        }
        if let Some(t) = a.iter().take(spins).find(|&&t| t < 0) {
            return Err(malformed(format!("negative doubled spin {t}")));
        }
        let mut out = [0i64; N];
        out.copy_from_slice(a);
        Ok(out)
    }
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, a) in self.args().iter().enumerate() {
            if k > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}
