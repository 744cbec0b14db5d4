//! Direct sums of irreps with multiplicities: [`MulIrrep`] and [`Irreps`], as in e3nn.
//!
//! The textual grammar (`"16x0e + 8x1o"`) is parsed in `irreps_parse.rs`; this file holds the
//! data types and the e3nn operations on them (`simplify`, `sort`, `slices`, …).

use crate::{Irrep, Parity};
use std::fmt;
use std::ops::{Add, Index, Range};

/// `mul` copies of one irrep, written `"16x0e"`.
///
/// # Convention
/// e3nn's `_MulIr`: the dimension is `mul · (2j+1)`; `mul = 0` is allowed
/// (`CONVENTIONS.md#irreps`).
///
/// # Examples
/// ```
/// use racah_core::{Irrep, MulIrrep};
/// let m: MulIrrep = "8x1o".parse()?;
/// assert_eq!(m, MulIrrep::new(8, "1o".parse::<Irrep>()?));
/// assert_eq!(m.dim(), 24);
/// assert_eq!(m.to_string(), "8x1o");
/// # Ok::<(), racah_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MulIrrep {
    /// The multiplicity (number of copies).
    pub mul: usize,
    /// The irrep that is repeated.
    pub irrep: Irrep,
}

impl MulIrrep {
    /// `mul` copies of `irrep`.
    pub const fn new(mul: usize, irrep: Irrep) -> Self {
        MulIrrep { mul, irrep }
    }

    /// The dimension `mul · (2j+1)`.
    ///
    /// # Panics
    /// If the product overflows `usize`; parsed values never do (the parser rejects them). Use
    /// [`MulIrrep::checked_dim`] for values built by hand from untrusted multiplicities.
    pub fn dim(self) -> usize {
        self.checked_dim()
            .expect("multiplicity times dimension overflows usize")
    }

    /// The dimension `mul · (2j+1)`, or `None` if it overflows `usize`.
    ///
    /// # Examples
    /// ```
    /// use racah_core::{Irrep, MulIrrep};
    /// assert_eq!(MulIrrep::new(2, Irrep::harmonic(1)).checked_dim(), Some(6));
    /// assert_eq!(MulIrrep::new(usize::MAX, Irrep::harmonic(1)).checked_dim(), None);
    /// ```
    pub fn checked_dim(self) -> Option<usize> {
        self.mul.checked_mul(self.irrep.dim())
    }
}

impl From<Irrep> for MulIrrep {
    /// One copy of the irrep.
    fn from(irrep: Irrep) -> Self {
        MulIrrep { mul: 1, irrep }
    }
}

impl fmt::Display for MulIrrep {
    /// Canonical form `"{mul}x{irrep}"`, the multiplicity always written (e3nn's `repr`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.mul, self.irrep)
    }
}

/// A direct sum of irreps with multiplicities, `"16x0e+8x1o+1x2e"`: e3nn's `Irreps`.
///
/// The order of the terms is significant (it is the memory layout of features) and equal
/// irreps may repeat; [`Irreps::simplify`] and [`Irreps::sort`] normalise, exactly as in e3nn.
///
/// # Convention
/// Grammar and semantics of e3nn 0.5/0.6 (`CONVENTIONS.md#irreps`): terms are separated by `+`,
/// each term is `MULxIRREP` or `IRREP` (multiplicity 1), whitespace around tokens is ignored,
/// the empty string is the empty sum. Printing always writes the multiplicity, so
/// `"16x0e + 8x1o+2e"` prints as `"16x0e+8x1o+1x2e"`, and printing then parsing is the identity.
///
/// # Examples
/// ```
/// use racah_core::Irreps;
/// let x: Irreps = "16x0e + 8x1o+2e".parse()?;
/// assert_eq!(x.to_string(), "16x0e+8x1o+1x2e");
/// assert_eq!(x.dim(), 16 + 24 + 5);
/// assert_eq!(x.num_irreps(), 25);
/// assert_eq!(x.len(), 3);
/// assert_eq!(x.slices(), vec![0..16, 16..40, 40..45]);
/// # Ok::<(), racah_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Irreps(Vec<MulIrrep>);

/// The result of [`Irreps::sort`]: the sorted irreps and the permutation that sorts them.
///
/// `p[i]` is the new position of old term `i` and `inv[k]` the old position of new term `k`
/// (so `irreps[p[i]] == old[i]` and `irreps[k] == old[inv[k]]`), exactly as e3nn's `sort()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SortedIrreps {
    /// The terms in increasing irrep order (stable for equal irreps).
    pub irreps: Irreps,
    /// Old index → new index.
    pub p: Vec<usize>,
    /// New index → old index.
    pub inv: Vec<usize>,
}

impl Irreps {
    /// The empty direct sum (dimension 0).
    pub const fn new() -> Self {
        Irreps(Vec::new())
    }

    /// The irreps of the spherical harmonics `Y^0, …, Y^lmax` with the default parity
    /// p = −1: `0e + 1o + 2e + 3o + …`.
    ///
    /// # Convention
    /// e3nn's `Irreps.spherical_harmonics(lmax, p=-1)`: term l has parity p^l
    /// (`CONVENTIONS.md#parity`).
    ///
    /// # Examples
    /// ```
    /// use racah_core::Irreps;
    /// assert_eq!(Irreps::spherical_harmonics(3).to_string(), "1x0e+1x1o+1x2e+1x3o");
    /// ```
    pub fn spherical_harmonics(lmax: u32) -> Self {
        Irreps::spherical_harmonics_with_parity(lmax, Parity::Odd)
    }

    /// The irreps `Y^0, …, Y^lmax` where term l has parity p^l (`Odd` gives (−1)^l, `Even`
    /// makes every term even).
    ///
    /// # Examples
    /// ```
    /// use racah_core::{Irreps, Parity};
    /// let y = Irreps::spherical_harmonics_with_parity(4, Parity::Even);
    /// assert_eq!(y.to_string(), "1x0e+1x1e+1x2e+1x3e+1x4e");
    /// ```
    pub fn spherical_harmonics_with_parity(lmax: u32, p: Parity) -> Self {
        (0..=lmax)
            .map(|l| {
                let pl = if p == Parity::Odd {
                    Parity::of_harmonic(l)
                } else {
                    Parity::Even
                };
                MulIrrep::new(1, Irrep::l(l, pl))
            })
            .collect()
    }

    /// Appends a term.
    pub fn push(&mut self, term: MulIrrep) {
        self.0.push(term);
    }

    /// The number of terms (e3nn's `len(irreps)`), not the number of irreps.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no terms.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The terms in order.
    pub fn iter(&self) -> std::slice::Iter<'_, MulIrrep> {
        self.0.iter()
    }

    /// The terms as a slice.
    pub fn as_slice(&self) -> &[MulIrrep] {
        &self.0
    }

    /// The terms as a vector.
    pub fn into_vec(self) -> Vec<MulIrrep> {
        self.0
    }

    /// The total dimension Σ mul·(2j+1).
    ///
    /// # Panics
    /// If the sum overflows `usize`. Parsed irreps never overflow (the parser checks), but a
    /// sum of two of them built with `+` can; use [`Irreps::checked_dim`] then.
    pub fn dim(&self) -> usize {
        self.checked_dim()
            .expect("irreps dimension overflows usize")
    }

    /// The total dimension, or `None` if it overflows `usize`.
    ///
    /// # Examples
    /// ```
    /// use racah_core::Irreps;
    /// assert_eq!("2x0e + 1e".parse::<Irreps>()?.checked_dim(), Some(5));
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn checked_dim(&self) -> Option<usize> {
        self.0
            .iter()
            .try_fold(0usize, |acc, t| acc.checked_add(t.checked_dim()?))
    }

    /// The number of irreps, Σ mul (e3nn's `num_irreps`).
    ///
    /// # Panics
    /// If the sum overflows `usize` (impossible when [`Irreps::checked_dim`] is `Some`).
    pub fn num_irreps(&self) -> usize {
        self.0
            .iter()
            .try_fold(0usize, |acc, t| acc.checked_add(t.mul))
            .expect("number of irreps overflows usize")
    }

    /// The largest spin among terms with non-zero multiplicity; `None` if there is none.
    ///
    /// # Convention
    /// e3nn's `lmax` is the maximum over `ls`, which repeats each l `mul` times, so terms with
    /// `mul = 0` do not count (e3nn raises where this returns `None`).
    ///
    /// # Examples
    /// ```
    /// use racah_core::{Irreps, Spin};
    /// let x: Irreps = "100x0e + 50x1e + 0x2e".parse()?;
    /// assert_eq!(x.lmax(), Some(Spin::int(1)));
    /// assert_eq!(Irreps::new().lmax(), None);
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn lmax(&self) -> Option<crate::Spin> {
        self.0
            .iter()
            .filter(|t| t.mul > 0)
            .map(|t| t.irrep.j())
            .max()
    }

    /// The total multiplicity of `irrep` (sum over all terms that carry it).
    ///
    /// # Panics
    /// If the sum overflows `usize` (impossible when [`Irreps::checked_dim`] is `Some`).
    ///
    /// # Examples
    /// ```
    /// use racah_core::{Irrep, Irreps};
    /// let x: Irreps = "2x1o + 0e + 3x1o".parse()?;
    /// assert_eq!(x.count("1o".parse::<Irrep>()?), 5);
    /// assert_eq!(x.count("1e".parse::<Irrep>()?), 0);
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn count(&self, irrep: Irrep) -> usize {
        self.0
            .iter()
            .filter(|t| t.irrep == irrep)
            .try_fold(0usize, |acc, t| acc.checked_add(t.mul))
            .expect("multiplicity overflows usize")
    }

    /// Whether some term carries `irrep`.
    ///
    /// # Convention
    /// As e3nn's `ir in irreps`, a term with multiplicity 0 still counts: `"0x1o"` contains
    /// `1o` (while [`Irreps::count`] is 0).
    ///
    /// # Examples
    /// ```
    /// use racah_core::{Irrep, Irreps};
    /// let x: Irreps = "0e + 0x2e".parse()?;
    /// assert!(x.contains("2e".parse::<Irrep>()?));
    /// assert!(!x.contains("1o".parse::<Irrep>()?));
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn contains(&self, irrep: Irrep) -> bool {
        self.0.iter().any(|t| t.irrep == irrep)
    }

    /// Whether every irrep with non-zero multiplicity is the scalar `0e` (true when empty).
    ///
    /// # Examples
    /// ```
    /// use racah_core::Irreps;
    /// assert!("8x0e + 0x1o".parse::<Irreps>()?.is_scalar());
    /// assert!(!"0e + 0o".parse::<Irreps>()?.is_scalar());
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn is_scalar(&self) -> bool {
        self.0.iter().all(|t| t.mul == 0 || t.irrep.is_scalar())
    }

    /// Merges *adjacent* equal irreps and drops terms of multiplicity 0, without sorting.
    ///
    /// # Convention
    /// Exactly e3nn's `simplify`: a term is merged into the previous *kept* term when the irreps
    /// are equal (so `"1e + 0x0e + 1e"` gives `"2x1e"`), otherwise it is kept only if `mul > 0`.
    ///
    /// # Panics
    /// If a merged multiplicity overflows `usize` (impossible when [`Irreps::checked_dim`] is
    /// `Some`).
    ///
    /// # Examples
    /// ```
    /// use racah_core::Irreps;
    /// let x: Irreps = "1e + 1e + 0e + 1e".parse()?;
    /// assert_eq!(x.simplify().to_string(), "2x1e+1x0e+1x1e");
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn simplify(&self) -> Irreps {
        let mut out: Vec<MulIrrep> = Vec::with_capacity(self.0.len());
        for &t in &self.0 {
            match out.last_mut() {
                Some(last) if last.irrep == t.irrep => {
                    last.mul = last
                        .mul
                        .checked_add(t.mul)
                        .expect("multiplicity overflows usize");
                }
                _ if t.mul > 0 => out.push(t),
                _ => {}
            }
        }
        Irreps(out)
    }

    /// Drops the terms with multiplicity 0, keeping the order.
    ///
    /// # Examples
    /// ```
    /// use racah_core::Irreps;
    /// let x: Irreps = "4x0e + 0x1o + 2x3e".parse()?;
    /// assert_eq!(x.remove_zero_multiplicities().to_string(), "4x0e+2x3e");
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn remove_zero_multiplicities(&self) -> Irreps {
        self.0.iter().copied().filter(|t| t.mul > 0).collect()
    }

    /// Sorts the terms by irrep (e3nn order: by j, then odd before even), stably, and returns
    /// the permutation.
    ///
    /// # Convention
    /// e3nn's `sort()`: ties keep their original order; `p` maps old → new positions, `inv`
    /// new → old. Multiplicities do not take part in the order.
    ///
    /// # Examples
    /// ```
    /// use racah_core::Irreps;
    /// let s = "2o + 1e + 0e + 1e".parse::<Irreps>()?.sort();
    /// assert_eq!(s.irreps.to_string(), "1x0e+1x1e+1x1e+1x2o");
    /// assert_eq!(s.p, vec![3, 1, 0, 2]);
    /// assert_eq!(s.inv, vec![2, 1, 3, 0]);
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn sort(&self) -> SortedIrreps {
        let mut inv: Vec<usize> = (0..self.0.len()).collect();
        // stable sort by irrep = e3nn's sort of (ir, i, mul) tuples, where i breaks ties
        inv.sort_by_key(|&i| self.0[i].irrep);
        let mut p = vec![0; inv.len()];
        for (new, &old) in inv.iter().enumerate() {
            p[old] = new;
        }
        let irreps = inv.iter().map(|&i| self.0[i]).collect();
        SortedIrreps { irreps, p, inv }
    }

    /// Sorts then simplifies: each irrep appears once, in increasing order, with its total
    /// multiplicity (e3nn's `regroup`).
    ///
    /// # Panics
    /// As [`Irreps::simplify`].
    ///
    /// # Examples
    /// ```
    /// use racah_core::Irreps;
    /// let x: Irreps = "1o + 0e + 2x1o + 0x2e".parse()?;
    /// assert_eq!(x.regroup().to_string(), "1x0e+3x1o");
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn regroup(&self) -> Irreps {
        self.sort().irreps.simplify()
    }

    /// The index range of each term in a feature vector laid out term after term.
    ///
    /// # Panics
    /// If the total dimension overflows `usize` (see [`Irreps::dim`]).
    ///
    /// # Examples
    /// ```
    /// use racah_core::Irreps;
    /// assert_eq!("2x0e + 1e".parse::<Irreps>()?.slices(), vec![0..2, 2..5]);
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn slices(&self) -> Vec<Range<usize>> {
        self.offsets().windows(2).map(|w| w[0]..w[1]).collect()
    }

    /// The running offsets `[0, d0, d0+d1, …, dim]`: `len() + 1` entries, term i occupying
    /// `offsets[i]..offsets[i+1]`.
    ///
    /// # Panics
    /// If the total dimension overflows `usize` (see [`Irreps::dim`]).
    ///
    /// # Examples
    /// ```
    /// use racah_core::Irreps;
    /// assert_eq!("2x0e + 1e".parse::<Irreps>()?.offsets(), vec![0, 2, 5]);
    /// assert_eq!(Irreps::new().offsets(), vec![0]);
    /// # Ok::<(), racah_core::CoreError>(())
    /// ```
    pub fn offsets(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.0.len() + 1);
        let mut acc = 0usize;
        out.push(acc);
        for t in &self.0 {
            acc = acc
                .checked_add(t.dim())
                .expect("irreps dimension overflows usize");
            out.push(acc);
        }
        out
    }
}

impl From<Vec<MulIrrep>> for Irreps {
    fn from(terms: Vec<MulIrrep>) -> Self {
        Irreps(terms)
    }
}

impl From<Irrep> for Irreps {
    /// The one-term sum `1x{irrep}`.
    fn from(irrep: Irrep) -> Self {
        Irreps(vec![MulIrrep::from(irrep)])
    }
}

impl From<Irreps> for Vec<MulIrrep> {
    fn from(irreps: Irreps) -> Self {
        irreps.0
    }
}

impl FromIterator<MulIrrep> for Irreps {
    fn from_iter<I: IntoIterator<Item = MulIrrep>>(iter: I) -> Self {
        Irreps(iter.into_iter().collect())
    }
}

impl Extend<MulIrrep> for Irreps {
    fn extend<I: IntoIterator<Item = MulIrrep>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl IntoIterator for Irreps {
    type Item = MulIrrep;
    type IntoIter = std::vec::IntoIter<MulIrrep>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Irreps {
    type Item = &'a MulIrrep;
    type IntoIter = std::slice::Iter<'a, MulIrrep>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Index<usize> for Irreps {
    type Output = MulIrrep;
    /// The term at position `i`.
    ///
    /// # Panics
    /// If `i >= len()` (as slice indexing; use `as_slice().get(i)` to check).
    fn index(&self, i: usize) -> &MulIrrep {
        &self.0[i]
    }
}

impl Add for Irreps {
    type Output = Irreps;
    /// Concatenation (e3nn's `+`): `"0e" + "1o"` is `"1x0e+1x1o"`, not simplified.
    fn add(mut self, rhs: Irreps) -> Irreps {
        self.0.extend(rhs.0);
        self
    }
}

impl Add<&Irreps> for &Irreps {
    type Output = Irreps;
    /// Concatenation (e3nn's `+`).
    fn add(self, rhs: &Irreps) -> Irreps {
        Irreps(self.0.iter().chain(&rhs.0).copied().collect())
    }
}

impl fmt::Display for Irreps {
    /// Canonical form: terms `MULxIRREP` joined by `+` with no spaces; empty for no terms.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("+")?;
            }
            write!(f, "{t}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ir(s: &str) -> Irreps {
        s.parse().unwrap()
    }

    #[test]
    fn test_irreps_accessors() {
        let x = ir("16x0e + 8x1o+2e");
        assert_eq!(x.dim(), 45);
        assert_eq!(x.num_irreps(), 25);
        assert_eq!(x.len(), 3);
        assert_eq!(x[1], MulIrrep::new(8, Irrep::harmonic(1)));
        assert_eq!(x.lmax(), Some(crate::Spin::int(2)));
        assert_eq!(x.offsets(), vec![0, 16, 40, 45]);
        assert!(!x.is_scalar());
        assert!(ir("3x0e + 0x1o").is_scalar());
        assert_eq!(ir("0x3o").lmax(), None);
    }

    #[test]
    fn test_simplify_is_e3nn() {
        // e3nn docstrings and the zero-multiplicity cases of its loop
        assert_eq!(ir("1e + 1e + 0e").simplify().to_string(), "2x1e+1x0e");
        assert_eq!(
            ir("1e + 1e + 0e + 1e").simplify().to_string(),
            "2x1e+1x0e+1x1e"
        );
        assert_eq!(ir("1e + 0x0e + 1e").simplify().to_string(), "2x1e");
        assert_eq!(ir("1e + 0x1e").simplify().to_string(), "1x1e");
        assert_eq!(ir("0x1e + 0x1e").simplify().to_string(), "");
        assert_eq!(ir("0x0e + 2x0e").simplify().to_string(), "2x0e");
    }

    #[test]
    fn test_sort_is_stable_with_inverse() {
        let x = ir("1e + 0e + 1e");
        assert_eq!(x.sort().irreps.to_string(), "1x0e+1x1e+1x1e");
        let x = ir("3x1e + 0o + 2x1e + 0e");
        let s = x.sort();
        assert_eq!(s.irreps.to_string(), "1x0o+1x0e+3x1e+2x1e");
        for i in 0..x.len() {
            assert_eq!(s.irreps[s.p[i]], x[i]);
            assert_eq!(s.inv[s.p[i]], i);
        }
    }

    #[test]
    fn test_add_concatenates() {
        let a = ir("0e");
        let b = ir("1o + 0e");
        assert_eq!((&a + &b).to_string(), "1x0e+1x1o+1x0e");
        assert_eq!((a + b).simplify().to_string(), "1x0e+1x1o+1x0e");
    }

    #[test]
    fn checked_dim_reports_overflow() {
        let x = Irreps::from(vec![
            MulIrrep::new(usize::MAX / 2, Irrep::harmonic(0)),
            MulIrrep::new(usize::MAX / 2 + 2, Irrep::harmonic(0)),
        ]);
        assert_eq!(x.checked_dim(), None);
        assert_eq!(
            MulIrrep::new(usize::MAX, Irrep::harmonic(2)).checked_dim(),
            None
        );
    }
}
