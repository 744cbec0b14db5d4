//! [`Shard`]: one of `n` interleaved slices of a case enumeration.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Shard `k` of `n`: the cases whose index `i` satisfies `i mod n = k`.
///
/// Written `k/n` (`0/1` is the whole enumeration). Interleaving by index keeps the shards
/// balanced whatever the cost profile of the enumeration.
///
/// # Examples
/// ```
/// use racah_proofs::shard::Shard;
/// let s: Shard = "1/3".parse()?;
/// assert_eq!((s.k(), s.n()), (1, 3));
/// assert!(s.contains(4) && !s.contains(5));
/// assert_eq!(s.to_string(), "1/3");
/// assert!("3/3".parse::<Shard>().is_err());
/// # Ok::<(), racah_proofs::shard::ShardError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawShard", into = "RawShard")]
pub struct Shard {
    k: u64,
    n: u64,
}

/// Why a shard specification was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ShardError {
    /// The text is not of the form `k/n` with non-negative integers.
    #[error("shard `{text}` is not of the form k/n (e.g. 0/4)")]
    Syntax {
        /// The offending text.
        text: String,
    },
    /// `n` is 0.
    #[error("shard count must be at least 1, got {n}")]
    ZeroCount {
        /// The offending count.
        n: u64,
    },
    /// `k` is not below `n`.
    #[error("shard index {k} must be below the shard count {n}")]
    IndexOutOfRange {
        /// The offending index.
        k: u64,
        /// The shard count.
        n: u64,
    },
}

impl Shard {
    /// The whole enumeration, `0/1`.
    pub const ALL: Shard = Shard { k: 0, n: 1 };

    /// Shard `k` of `n`.
    ///
    /// # Errors
    /// [`ShardError::ZeroCount`] if `n = 0`, [`ShardError::IndexOutOfRange`] if `k ≥ n`.
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::shard::Shard;
    /// assert_eq!(Shard::new(0, 1)?, Shard::ALL);
    /// assert!(Shard::new(2, 2).is_err());
    /// # Ok::<(), racah_proofs::shard::ShardError>(())
    /// ```
    pub fn new(k: u64, n: u64) -> Result<Shard, ShardError> {
        if n == 0 {
            return Err(ShardError::ZeroCount { n });
        }
        if k >= n {
            return Err(ShardError::IndexOutOfRange { k, n });
        }
        Ok(Shard { k, n })
    }

    /// The shard index `k`.
    pub fn k(&self) -> u64 {
        self.k
    }

    /// The shard count `n`.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Whether the case with this index belongs to the shard (`index mod n = k`).
    pub fn contains(&self, index: u64) -> bool {
        index % self.n == self.k
    }
}

impl Default for Shard {
    fn default() -> Self {
        Shard::ALL
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let syntax = || ShardError::Syntax {
            text: s.to_string(),
        };
        let (k, n) = s.trim().split_once('/').ok_or_else(syntax)?;
        let parse = |x: &str| {
            let x = x.trim();
            if x.is_empty() || !x.bytes().all(|b| b.is_ascii_digit()) {
                return Err(syntax());
            }
            x.parse::<u64>().map_err(|_| syntax())
        };
        Shard::new(parse(k)?, parse(n)?)
    }
}

/// The serialised form `{"k": …, "n": …}`, validated on the way in.
#[derive(Serialize, Deserialize)]
struct RawShard {
    k: u64,
    n: u64,
}

impl TryFrom<RawShard> for Shard {
    type Error = ShardError;

    fn try_from(r: RawShard) -> Result<Self, Self::Error> {
        Shard::new(r.k, r.n)
    }
}

impl From<Shard> for RawShard {
    fn from(s: Shard) -> Self {
        RawShard { k: s.k, n: s.n }
    }
}
