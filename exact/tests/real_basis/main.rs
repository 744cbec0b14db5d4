//! Tests of the real (e3nn) basis: the change of basis Q_l, the real coupling tensors
//! (`real_cg`) and the angular-momentum generators, against the worked examples of
//! conventions-reference.md §3.3, e3nn-jax golden files, an exact dense reference computation, and
//! exact identities (norm, orthogonality, equivariance, commutation relations).

mod generators;
mod golden;
mod json;
mod tensor_properties;

use racah_exact::{SparseMatrix, SqrtRational, SqrtSum};
use std::collections::BTreeMap;

/// `±√(num/den)`, exactly.
pub(crate) fn sr(sign: i64, num: u64, den: u64) -> SqrtRational {
    let v = SqrtRational::sqrt_of_ratio(num, den).unwrap();
    if sign < 0 {
        -v
    } else {
        v
    }
}

/// The golden directory of the workspace (`tests/golden`).
pub(crate) fn golden_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/golden")
        .join(name)
}

/// A sparse exact matrix for test-side products: `(row, col) → value`, zeros dropped on compare.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mat {
    pub(crate) dim: usize,
    pub(crate) e: BTreeMap<(usize, usize), SqrtSum>,
}

impl Mat {
    pub(crate) fn from_sparse(m: &SparseMatrix) -> Mat {
        Mat {
            dim: m.dim(),
            e: m.nonzeros()
                .map(|(r, c, v)| ((r, c), SqrtSum::from(v)))
                .collect(),
        }
    }

    pub(crate) fn identity_times(dim: usize, v: &SqrtRational) -> Mat {
        Mat {
            dim,
            e: (0..dim).map(|i| ((i, i), SqrtSum::from(v))).collect(),
        }
    }

    pub(crate) fn mul(&self, o: &Mat) -> Mat {
        let mut rows: BTreeMap<usize, Vec<(usize, &SqrtSum)>> = BTreeMap::new();
        for ((k, j), v) in &o.e {
            rows.entry(*k).or_default().push((*j, v));
        }
        let mut e: BTreeMap<(usize, usize), SqrtSum> = BTreeMap::new();
        for ((i, k), a) in &self.e {
            for (j, b) in rows.get(k).map(|v| v.as_slice()).unwrap_or(&[]) {
                *e.entry((*i, *j)).or_default() += &(a * *b);
            }
        }
        Mat { dim: self.dim, e }
    }

    pub(crate) fn add(&self, o: &Mat) -> Mat {
        let mut e = self.e.clone();
        for (k, v) in &o.e {
            *e.entry(*k).or_default() += v;
        }
        Mat { dim: self.dim, e }
    }

    pub(crate) fn scale(&self, s: &SqrtRational) -> Mat {
        Mat {
            dim: self.dim,
            e: self.e.iter().map(|(k, v)| (*k, v * s)).collect(),
        }
    }

    pub(crate) fn sub(&self, o: &Mat) -> Mat {
        self.add(&o.scale(&SqrtRational::rational(-1, 1)))
    }

    /// `AB − BA`.
    pub(crate) fn comm(&self, o: &Mat) -> Mat {
        self.mul(o).sub(&o.mul(self))
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.e.values().all(|v| v.is_zero())
    }

    pub(crate) fn same(&self, o: &Mat) -> bool {
        self.dim == o.dim && self.sub(o).is_zero()
    }
}
