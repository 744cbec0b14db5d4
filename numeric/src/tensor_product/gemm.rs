//! Small dense matrix products for the kernels, through nalgebra (which calls matrixmultiply,
//! with runtime CPU-feature detection, for matrices larger than 5×5).
//!
//! The kernels are generic over [`Float`]; nalgebra needs concrete `f32`/`f64`. The operands
//! are always the kernels' own buffers (`Vec<T>`), so the element type is recovered by
//! downcasting those buffers (`std::any::Any`): no `unsafe`, no extra trait bound in the public
//! API.

use crate::Float;
use nalgebra::{DMatrixView, DMatrixViewMut};
use std::any::Any;

/// nalgebra's threshold for calling matrixmultiply.
const SMALL_DIM: usize = 5;

/// The element types nalgebra's `gemm` accepts, and that the kernels use.
pub(crate) trait GemmScalar: nalgebra::RealField + Copy {}

impl GemmScalar for f32 {}
impl GemmScalar for f64 {}

/// `(rows, cols, row stride, column stride)` of an operand stored row-major, possibly
/// transposed.
fn layout(rows: usize, cols: usize, transposed: bool) -> (usize, usize, usize, usize) {
    if transposed {
        // stored as cols × rows, row-major: op(X)[i][j] = X[j·rows + i]
        (rows, cols, 1, rows)
    } else {
        (rows, cols, cols, 1)
    }
}

fn gemm_concrete<S: GemmScalar>(
    (m, k, n): (usize, usize, usize),
    a: &[S],
    ta: bool,
    b: &[S],
    tb: bool,
    c: &mut [S],
    beta: S,
) {
    let (_, _, rsa, csa) = layout(m, k, ta);
    let (_, _, rsb, csb) = layout(k, n, tb);
    let av = DMatrixView::from_slice_with_strides(&a[..m * k], m, k, rsa, csa);
    let bv = DMatrixView::from_slice_with_strides(&b[..k * n], k, n, rsb, csb);
    let mut cv = DMatrixViewMut::from_slice_with_strides_mut(&mut c[..m * n], m, n, n, 1);
    cv.gemm(S::one(), &av, &bv, beta);
}

/// Naive product, for small matrices (and any other element type, never reached for the
/// sealed f32/f64).
fn gemm_generic<T: Float>(
    (m, k, n): (usize, usize, usize),
    a: &[T],
    ta: bool,
    b: &[T],
    tb: bool,
    c: &mut [T],
    beta: T,
) {
    let (_, _, rsa, csa) = layout(m, k, ta);
    let (_, _, rsb, csb) = layout(k, n, tb);
    for i in 0..m {
        for j in 0..n {
            let mut s = T::ZERO;
            for l in 0..k {
                s += a[i * rsa + l * csa] * b[l * rsb + j * csb];
            }
            let cij = &mut c[i * n + j];
            *cij = if beta == T::ZERO { s } else { beta * *cij + s };
        }
    }
}

/// `C ← op(A)·op(B) + β·C` for row-major buffers: `op(A)` is `m × k` (`A` stored `m × k`, or
/// `k × m` when `ta`), `op(B)` is `k × n` (`B` stored `k × n`, or `n × k` when `tb`), `C` is
/// `m × n`. Only the first `m·k`, `k·n`, `m·n` elements of the buffers are used; with
/// `β = 0`, `C` is not read.
///
/// # Panics
/// If a buffer is shorter than its matrix (internal invariant of the kernels).
#[allow(clippy::ptr_arg)] // `&Vec<T>`: a sized type, so it can be downcast to `Vec<f32>`/`Vec<f64>`
pub(crate) fn gemm_rowmajor<T: Float>(
    dims: (usize, usize, usize),
    a: &Vec<T>,
    ta: bool,
    b: &Vec<T>,
    tb: bool,
    c: &mut Vec<T>,
    beta: T,
) {
    let (m, k, n) = dims;
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        for v in &mut c[..m * n] {
            *v = if beta == T::ZERO { T::ZERO } else { beta * *v };
        }
        return;
    }
    // nalgebra hands only matrices above 5×5 to matrixmultiply; its own fallback for small
    // sizes indexes strided views incorrectly (a debug-assertion failure in nalgebra 0.35)
    if m <= SMALL_DIM || k <= SMALL_DIM || n <= SMALL_DIM {
        return gemm_generic(dims, a, ta, b, tb, c, beta);
    }
    let beta64 = beta.to_f64();
    if let (Some(a), Some(b)) = (
        (a as &dyn Any).downcast_ref::<Vec<f32>>(),
        (b as &dyn Any).downcast_ref::<Vec<f32>>(),
    ) {
        if let Some(c) = (c as &mut dyn Any).downcast_mut::<Vec<f32>>() {
            return gemm_concrete(dims, a, ta, b, tb, c, beta64 as f32);
        }
    }
    if let (Some(a), Some(b)) = (
        (a as &dyn Any).downcast_ref::<Vec<f64>>(),
        (b as &dyn Any).downcast_ref::<Vec<f64>>(),
    ) {
        if let Some(c) = (c as &mut dyn Any).downcast_mut::<Vec<f64>>() {
            return gemm_concrete(dims, a, ta, b, tb, c, beta64);
        }
    }
    gemm_generic(dims, a, ta, b, tb, c, beta);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(m: usize, k: usize, n: usize, a: &[f64], ta: bool, b: &[f64], tb: bool) -> Vec<f64> {
        let mut c = vec![0.0; m * n];
        gemm_generic((m, k, n), a, ta, b, tb, &mut c, 0.0);
        c
    }

    #[test]
    fn gemm_matches_naive_all_transpositions() {
        let (m, k, n) = (9, 13, 7);
        let a: Vec<f64> = (0..m * k).map(|i| (i % 7) as f64 - 3.0).collect();
        let b: Vec<f64> = (0..k * n).map(|i| (i % 5) as f64 - 2.0).collect();
        for ta in [false, true] {
            for tb in [false, true] {
                let mut c = vec![1.0; m * n];
                gemm_rowmajor((m, k, n), &a, ta, &b, tb, &mut c, 0.0);
                assert_eq!(c, naive(m, k, n, &a, ta, &b, tb), "ta={ta} tb={tb}");
                // accumulate: C = AB + 1·C
                gemm_rowmajor((m, k, n), &a, ta, &b, tb, &mut c, 1.0);
                let twice: Vec<f64> = naive(m, k, n, &a, ta, &b, tb)
                    .iter()
                    .map(|v| 2.0 * v)
                    .collect();
                assert_eq!(c, twice);
                let a32: Vec<f32> = a.iter().map(|&v| v as f32).collect();
                let b32: Vec<f32> = b.iter().map(|&v| v as f32).collect();
                let mut c32 = vec![0.0f32; m * n];
                gemm_rowmajor((m, k, n), &a32, ta, &b32, tb, &mut c32, 0.0);
                let c64: Vec<f64> = c32.iter().map(|&v| v as f64).collect();
                assert_eq!(c64, naive(m, k, n, &a, ta, &b, tb)); // small integers: exact
            }
        }
    }

    #[test]
    fn gemm_small_sizes_use_the_naive_product() {
        let (m, k, n) = (3, 7, 9);
        let a: Vec<f64> = (0..m * k).map(|i| i as f64).collect();
        let b: Vec<f64> = (0..k * n).map(|i| 1.0 - i as f64).collect();
        let mut c = vec![0.0; m * n];
        gemm_rowmajor((m, k, n), &a, false, &b, true, &mut c, 0.0);
        assert_eq!(c, naive(m, k, n, &a, false, &b, true));
    }

    #[test]
    fn gemm_handles_empty_inner_dimension() {
        let mut c = vec![3.0f64; 4];
        gemm_rowmajor((2, 0, 2), &vec![], false, &vec![], false, &mut c, 0.0);
        assert_eq!(c, vec![0.0; 4]);
    }
}
