//! Memory layout of spherical-harmonic coefficients: `(l, m)` ↔ flat index.
//!
//! A vector of all degrees `l = 0..=l_max` has `(l_max+1)²` entries; degree `l` occupies the
//! contiguous range `l²..(l+1)²`, ordered `m = −l..=l`, so `(l, m)` sits at `l² + l + m`
//! (e3nn's order). Batched arrays are row-major `(batch, (l_max+1)²)`; [`IrrepsArray`] pairs
//! such data with its [`Irreps`].

use crate::{Float, NumericError};
use racah_core::Irreps;
use std::ops::Range;

/// The flat index `l² + l + m` of `(l, m)`.
///
/// # Convention
/// e3nn order, `m = −l..=l` within each degree (`CONVENTIONS.md#axes`).
///
/// # Panics
/// If `|m| > l` (use [`checked_lm_index`] for unchecked input).
///
/// # Examples
/// ```
/// use racah_numeric::lm_index;
/// assert_eq!(lm_index(0, 0), 0);
/// assert_eq!(lm_index(1, -1), 1);
/// assert_eq!(lm_index(2, 2), 8);
/// ```
#[track_caller]
pub const fn lm_index(l: u32, m: i32) -> usize {
    match checked_lm_index(l, m) {
        Some(i) => i,
        None => panic!("lm_index: |m| > l"),
    }
}

/// The flat index `l² + l + m` of `(l, m)`, or `None` if `|m| > l`.
///
/// # Examples
/// ```
/// use racah_numeric::checked_lm_index;
/// assert_eq!(checked_lm_index(3, -3), Some(9));
/// assert_eq!(checked_lm_index(1, 2), None);
/// ```
pub const fn checked_lm_index(l: u32, m: i32) -> Option<usize> {
    if m.unsigned_abs() > l {
        return None;
    }
    let l = l as isize;
    Some((l * l + l + m as isize) as usize)
}

/// The `(l, m)` at flat index `i` (inverse of [`lm_index`]).
///
/// # Examples
/// ```
/// use racah_numeric::{lm_from_index, lm_index};
/// assert_eq!(lm_from_index(5), (2, -1));
/// assert_eq!(lm_index(2, -1), 5);
/// ```
pub const fn lm_from_index(i: usize) -> (u32, i32) {
    let l = i.isqrt();
    (l as u32, (i - l * l) as i32 - l as i32)
}

/// The number `(l_max+1)²` of coefficients of all degrees up to `l_max`.
///
/// # Examples
/// ```
/// assert_eq!(racah_numeric::sh_dim(3), 16);
/// ```
pub const fn sh_dim(l_max: u32) -> usize {
    let n = l_max as usize + 1;
    n * n
}

/// A batch of feature vectors laid out by an [`Irreps`]: row-major `(batch, irreps.dim())`.
///
/// Within a row, term i of the irreps (`mul × irrep`) occupies `irreps.slices()[i]`, stored as
/// `mul` consecutive copies of the `2l+1` components (e3nn's layout).
///
/// # Convention
/// e3nn's `IrrepsArray` / `(…, irreps.dim)` tensors (`CONVENTIONS.md#irreps`).
///
/// # Examples
/// ```
/// use racah_numeric::IrrepsArray;
/// let irreps = "2x0e + 1x1o".parse()?;
/// let a = IrrepsArray::new(irreps, 2, vec![0.0f64; 10])?;
/// assert_eq!((a.batch(), a.dim()), (2, 5));
/// assert_eq!(a.term(1, 1), &[0.0; 3]);
/// assert!(IrrepsArray::new("1x1o".parse()?, 2, vec![0.0f64; 5]).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct IrrepsArray<T> {
    irreps: Irreps,
    slices: Vec<Range<usize>>,
    batch: usize,
    data: Vec<T>,
}

impl<T: Float> IrrepsArray<T> {
    /// Wraps `data` of shape `(batch, irreps.dim())`.
    ///
    /// # Errors
    /// [`NumericError::ShapeMismatch`] if `data.len() != batch · irreps.dim()` (or the product
    /// overflows, reported with `expected = usize::MAX`).
    pub fn new(irreps: Irreps, batch: usize, data: Vec<T>) -> Result<Self, NumericError> {
        let expected = irreps.checked_dim().and_then(|d| d.checked_mul(batch));
        if expected != Some(data.len()) {
            return Err(NumericError::ShapeMismatch {
                what: "IrrepsArray data (batch × irreps.dim())",
                expected: expected.unwrap_or(usize::MAX),
                got: data.len(),
            });
        }
        Ok(IrrepsArray {
            slices: irreps.slices(),
            irreps,
            batch,
            data,
        })
    }

    /// Zeros of shape `(batch, irreps.dim())`.
    ///
    /// # Errors
    /// [`NumericError::ShapeMismatch`] if the size overflows.
    pub fn zeros(irreps: Irreps, batch: usize) -> Result<Self, NumericError> {
        let len = irreps
            .checked_dim()
            .and_then(|d| d.checked_mul(batch))
            .ok_or(NumericError::ShapeMismatch {
                what: "IrrepsArray data (batch × irreps.dim())",
                expected: usize::MAX,
                got: 0,
            })?;
        Self::new(irreps, batch, vec![T::ZERO; len])
    }

    /// The irreps of a row.
    pub fn irreps(&self) -> &Irreps {
        &self.irreps
    }

    /// The number of rows.
    pub fn batch(&self) -> usize {
        self.batch
    }

    /// The length of a row, `irreps.dim()`.
    pub fn dim(&self) -> usize {
        self.slices.last().map_or(0, |r| r.end)
    }

    /// All data, row-major.
    pub fn data(&self) -> &[T] {
        &self.data
    }

    /// All data, row-major, mutable (the shape cannot change).
    pub fn data_mut(&mut self) -> &mut [T] {
        &mut self.data
    }

    /// The data vector.
    pub fn into_data(self) -> Vec<T> {
        self.data
    }

    /// Row `b`.
    ///
    /// # Panics
    /// If `b >= batch`.
    #[track_caller]
    pub fn row(&self, b: usize) -> &[T] {
        let d = self.dim();
        &self.data[b * d..(b + 1) * d]
    }

    /// Row `b`, mutable.
    ///
    /// # Panics
    /// If `b >= batch`.
    #[track_caller]
    pub fn row_mut(&mut self, b: usize) -> &mut [T] {
        let d = self.dim();
        &mut self.data[b * d..(b + 1) * d]
    }

    /// Term `i` (`mul × (2l+1)` values) of row `b`.
    ///
    /// # Panics
    /// If `b >= batch` or `i >= irreps.len()`.
    #[track_caller]
    pub fn term(&self, b: usize, i: usize) -> &[T] {
        let r = self.slices[i].clone();
        &self.row(b)[r]
    }

    /// The ranges of the terms within a row (`irreps.slices()`).
    pub fn slices(&self) -> &[Range<usize>] {
        &self.slices
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_lm_index() {
        assert_eq!(lm_index(0, 0), 0);
        assert_eq!(lm_index(1, 1), 3);
        assert_eq!(lm_index(3, 0), 12);
        assert_eq!(sh_dim(0), 1);
        assert_eq!(sh_dim(32), 1089);
    }

    #[test]
    fn lm_index_rejects_out_of_range() {
        assert_eq!(checked_lm_index(0, 1), None);
        assert_eq!(checked_lm_index(2, -3), None);
        assert!(std::panic::catch_unwind(|| lm_index(1, -2)).is_err());
    }

    #[test]
    fn test_irreps_array() {
        let irreps: Irreps = "2x0e + 1x1o + 1x2e".parse().unwrap();
        let data: Vec<f64> = (0..20).map(f64::from).collect();
        let a = IrrepsArray::new(irreps.clone(), 2, data).unwrap();
        assert_eq!(a.dim(), 10);
        assert_eq!(a.term(1, 0), &[10.0, 11.0]);
        assert_eq!(a.term(1, 1), &[12.0, 13.0, 14.0]);
        assert_eq!(a.term(0, 2), &[5.0, 6.0, 7.0, 8.0, 9.0]);
        let z = IrrepsArray::<f32>::zeros(irreps, 3).unwrap();
        assert_eq!(z.data().len(), 30);
    }

    #[test]
    fn irreps_array_rejects_bad_shape() {
        let irreps: Irreps = "1x1o".parse().unwrap();
        let e = IrrepsArray::new(irreps.clone(), 2, vec![0.0f64; 7]).unwrap_err();
        assert_eq!(
            e,
            NumericError::ShapeMismatch {
                what: "IrrepsArray data (batch × irreps.dim())",
                expected: 6,
                got: 7
            }
        );
        assert!(IrrepsArray::<f64>::zeros(irreps, usize::MAX).is_err());
    }

    #[test]
    fn lm_index_properties() {
        let mut next = 0;
        for l in 0..=40u32 {
            for m in -(l as i32)..=l as i32 {
                assert_eq!(lm_index(l, m), next);
                assert_eq!(lm_from_index(next), (l, m));
                next += 1;
            }
            assert_eq!(next, sh_dim(l));
        }
    }
}
