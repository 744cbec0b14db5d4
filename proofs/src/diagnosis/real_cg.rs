//! [`RealCgTable`]: e3nn-style real coupling tensors C[l1,l2,l3], one block per triple.

use super::engine::{group_max, Choice, Dimension, Reference, Table};
use super::error::check_finite;
use super::{DiagnosisError, Dtype};
use racah_exact::{real_cg, Cg, ThreeJ};
use std::cell::OnceCell;

/// One block of a [`RealCgTable`]: the tensor of `(l1, l2, l3)` as given, with its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct RealCgBlock {
    /// `[l1, l2, l3]` (from the key `"l1,l2,l3"` or `l1_l2_l3`).
    pub l: [u32; 3],
    /// The shape of the array as given; racah's is `[2l1+1, 2l2+1, 2l3+1]`.
    pub shape: [usize; 3],
    /// Row-major values.
    pub values: Vec<f64>,
}

/// Axis permutations: table axis k is racah's axis `PERMS[p][k]`.
const PERMS: [([usize; 3], &str); 6] = [
    ([0, 1, 2], "abc"),
    ([0, 2, 1], "acb"),
    ([1, 0, 2], "bac"),
    ([1, 2, 0], "bca"),
    ([2, 0, 1], "cab"),
    ([2, 1, 0], "cba"),
];

/// racah's values of one block in every basis and normalisation (f64, racah's axis order).
struct Base {
    /// e3nn's real tensor C.
    real: Vec<f64>,
    /// ⟨l1 m1 l2 m2|l3 m3⟩ at [m1+l1][m2+l2][m3+l3].
    complex_cg: Vec<f64>,
    /// (l1 l2 l3; m1 m2 m3) at [m1+l1][m2+l2][m3+l3].
    complex_3j: Vec<f64>,
}

/// e3nn's real coupling tensors `C[l1,l2,l3][a,b,c]`, one block per triple, as written by
/// `racah table real-cg` (JSON `{"l1,l2,l3": nested array}` or an `.npz` keyed `l1_l2_l3`), by
/// e3nn (`o3.wigner_3j`) or e3nn-jax (`clebsch_gordan`).
///
/// The reference is exact ([`racah_exact::real_cg`]) and correctly rounded to the dtype. A block
/// whose shape is not `(2l1+1, 2l2+1, 2l3+1)` has no reference (it may be transposed: the
/// diagnosis says so).
///
/// Conventions diagnosed (racah's first):
///
/// | dimension | options |
/// |---|---|
/// | `basis` | `real` (e3nn), `complex` (index m + l) |
/// | `normalization` | `frobenius` (Σ C² = 1; complex: CG/√(2l3+1), e3nn-jax su2_clebsch_gordan), `cg` (× √(2l3+1); complex: the CG coefficients), `three-j` (real: the real-basis 3j tensor (−1)^(l1+l2+l3) C; complex: the 3j symbols) |
/// | `sign-rule` | `e3nn-0.5` (current), `e3nn-0.4` (before e3nn PR #341: permutations of (1, l, l), l ≥ 2, negated — measured against e3nn 0.4.4 for l ≤ 4) |
/// | `index-order` | `abc`, `acb`, `bac`, `bca`, `cab`, `cba` (the table's axes in terms of racah's a, b, c) |
/// | `phase` | `condon-shortley`, `no-condon-shortley` (complex basis only: (−1)^m for m > 0 on each leg) |
/// | `sign` | `plus`, `negated` |
///
/// The Cartesian axis order (e3nn's y-polar x-y-z against the z-polar y-z-x order) and the
/// Condon–Shortley phase of the real harmonics ((−1)^m for odd |m|) are not dimensions of the
/// real basis: each changes the real basis by a rotation (a cyclic permutation of the axes; π
/// about the polar axis), and a real coupling tensor is invariant under a common rotation of
/// its three legs, so both conventions give the same tensor.
///
/// # Convention
/// `CONVENTIONS.md#real-basis`, `#axes`, `#rounding`.
///
/// # Examples
/// ```
/// use racah_proofs::diagnosis::{check, CheckOptions, Dtype, RealCgBlock, RealCgTable};
/// // (1,1,0): δ_ij/√3
/// let s = 1.0 / 3f64.sqrt();
/// let block = RealCgBlock { l: [1, 1, 0], shape: [3, 3, 1],
///                           values: vec![s, 0.0, 0.0, 0.0, s, 0.0, 0.0, 0.0, s] };
/// let t = RealCgTable::new(vec![block], Dtype::F64)?;
/// assert!(check(&t, &CheckOptions::default())?.passed);
/// # Ok::<(), racah_proofs::diagnosis::DiagnosisError>(())
/// ```
#[derive(Debug)]
pub struct RealCgTable {
    dtype: Dtype,
    blocks: Vec<RealCgBlock>,
    /// Offset of each block in `observed`.
    offsets: Vec<usize>,
    observed: Vec<f64>,
    bases: OnceCell<Vec<Base>>,
}

impl std::fmt::Debug for Base {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Base")
    }
}

fn dims_of(l: [u32; 3]) -> [usize; 3] {
    l.map(|l| 2 * l as usize + 1)
}

fn key(l: [u32; 3]) -> String {
    format!("{},{},{}", l[0], l[1], l[2])
}

impl RealCgTable {
    /// A table from its blocks.
    ///
    /// # Errors
    /// [`DiagnosisError::Shape`] if a block's shape is not a permutation of
    /// `(2l1+1, 2l2+1, 2l3+1)` or does not hold `values.len()` entries;
    /// [`DiagnosisError::Invalid`] for a repeated triple or an `l` above 1000;
    /// [`DiagnosisError::NonFinite`] for a NaN or infinite value.
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::diagnosis::{DiagnosisError, Dtype, RealCgBlock, RealCgTable};
    /// let b = RealCgBlock { l: [1, 1, 0], shape: [3, 3, 3], values: vec![0.0; 27] };
    /// assert!(matches!(RealCgTable::new(vec![b], Dtype::F64), Err(DiagnosisError::Shape { .. })));
    /// ```
    pub fn new(blocks: Vec<RealCgBlock>, dtype: Dtype) -> Result<Self, DiagnosisError> {
        let mut seen = std::collections::HashSet::new();
        let mut offsets = Vec::with_capacity(blocks.len());
        let mut observed = Vec::new();
        for b in &blocks {
            let what = format!("real-cg block {}", key(b.l));
            if let Some(&l) = b.l.iter().find(|&&l| l > 1000) {
                return Err(DiagnosisError::invalid(
                    what,
                    format!("l = {l} exceeds 1000"),
                ));
            }
            if !seen.insert(b.l) {
                return Err(DiagnosisError::invalid(what, "the triple appears twice"));
            }
            let mut want = dims_of(b.l);
            let mut got = b.shape;
            want.sort_unstable();
            got.sort_unstable();
            let n = dims_of(b.l);
            if want != got {
                return Err(DiagnosisError::shape(
                    what,
                    format!("({}, {}, {}) or a permutation of it", n[0], n[1], n[2]),
                    format!("({}, {}, {})", b.shape[0], b.shape[1], b.shape[2]),
                ));
            }
            if b.values.len() != b.shape.iter().product::<usize>() {
                return Err(DiagnosisError::shape(
                    what,
                    format!("{} values", b.shape.iter().product::<usize>()),
                    format!("{} values", b.values.len()),
                ));
            }
            check_finite(&what, &b.values)?;
            offsets.push(observed.len());
            observed.extend_from_slice(&b.values);
        }
        Ok(RealCgTable {
            dtype,
            blocks,
            offsets,
            observed,
            bases: OnceCell::new(),
        })
    }

    /// The blocks.
    pub fn blocks(&self) -> &[RealCgBlock] {
        &self.blocks
    }

    fn bases(&self) -> Result<&[Base], DiagnosisError> {
        if let Some(b) = self.bases.get() {
            return Ok(b);
        }
        let mut out = Vec::with_capacity(self.blocks.len());
        for b in &self.blocks {
            let [l1, l2, l3] = b.l;
            let n = dims_of(b.l);
            let real = real_cg(l1, l2, l3)?.to_f64();
            let mut complex_cg = vec![0.0; n[0] * n[1] * n[2]];
            let mut complex_3j = vec![0.0; n[0] * n[1] * n[2]];
            let (t1, t2, t3) = (2 * l1 as i64, 2 * l2 as i64, 2 * l3 as i64);
            for a in 0..n[0] {
                for bb in 0..n[1] {
                    let (m1, m2) = (2 * a as i64 - t1, 2 * bb as i64 - t2);
                    let m3 = m1 + m2;
                    if m3.abs() <= t3 {
                        let c = ((m3 + t3) / 2) as usize;
                        complex_cg[(a * n[1] + bb) * n[2] + c] =
                            Cg::from_twice(t1, m1, t2, m2, t3, m3)?.value_f64();
                    }
                    if (-m3).abs() <= t3 {
                        let c = ((-m3 + t3) / 2) as usize;
                        complex_3j[(a * n[1] + bb) * n[2] + c] =
                            ThreeJ::from_twice(t1, t2, t3, m1, m2, -m3)?.value_f64();
                    }
                }
            }
            out.push(Base {
                real,
                complex_cg,
                complex_3j,
            });
        }
        Ok(self.bases.get_or_init(|| out))
    }

    fn block_of(&self, index: usize) -> usize {
        // blocks are never empty (every dimension is ≥ 1), so offsets increase strictly
        match self.offsets.binary_search(&index) {
            Ok(k) => k,
            Err(k) => k - 1,
        }
    }
}

/// (−1)^m for m > 0, m = i − l: a complex-basis component without the Condon–Shortley phase.
fn cs_sign(i: usize, l: u32) -> f64 {
    let m = i as i64 - l as i64;
    if m > 0 && m % 2 == 1 {
        -1.0
    } else {
        1.0
    }
}

/// Whether e3nn < 0.5 had the opposite sign: a permutation of (1, l, l) with l ≥ 2.
fn old_e3nn_flip(l: [u32; 3]) -> bool {
    let mut s = l;
    s.sort_unstable();
    s[0] == 1 && s[1] == s[2] && s[1] >= 2
}

impl Table for RealCgTable {
    fn kind(&self) -> &'static str {
        "real-cg"
    }

    fn dtype(&self) -> Dtype {
        self.dtype
    }

    fn observed(&self) -> &[f64] {
        &self.observed
    }

    fn label(&self, index: usize) -> String {
        let k = self.block_of(index);
        let b = &self.blocks[k];
        let r = index - self.offsets[k];
        let [_, s1, s2] = b.shape;
        format!(
            "block {} [{}][{}][{}]",
            key(b.l),
            r / (s1 * s2),
            (r / s2) % s1,
            r % s2
        )
    }

    fn reference(&self) -> Result<Reference, DiagnosisError> {
        let mut values = Vec::with_capacity(self.observed.len());
        let mut missing = Vec::new();
        for b in &self.blocks {
            let n = dims_of(b.l);
            if b.shape != n {
                let reason = format!(
                    "block {} has shape ({}, {}, {}), racah's is ({}, {}, {})",
                    key(b.l),
                    b.shape[0],
                    b.shape[1],
                    b.shape[2],
                    n[0],
                    n[1],
                    n[2]
                );
                for _ in 0..b.values.len() {
                    missing.push((values.len(), reason.clone()));
                    values.push(f64::NAN);
                }
                continue;
            }
            let c = real_cg(b.l[0], b.l[1], b.l[2])?;
            match self.dtype {
                Dtype::F64 => values.extend(c.to_f64()),
                Dtype::F32 => values.extend(c.to_f32().into_iter().map(f64::from)),
            }
        }
        Ok(Reference {
            values,
            missing,
            source: format!("exact real_cg, correctly rounded to {}", self.dtype),
        })
    }

    fn scales(&self, reference: &[f64]) -> Vec<f64> {
        let ends = self
            .offsets
            .iter()
            .skip(1)
            .copied()
            .chain([self.observed.len()]);
        group_max(
            reference,
            self.offsets.iter().copied().zip(ends).map(|(a, b)| a..b),
        )
    }

    fn dimensions(&self) -> Vec<Dimension> {
        let perm_desc = |p: [usize; 3]| {
            let idx = ["i", "j", "k"];
            format!(
                "table[{}][{}][{}] = C[i][j][k]",
                idx[p[0]], idx[p[1]], idx[p[2]]
            )
        };
        vec![
            Dimension {
                name: "basis",
                options: vec![
                    Choice::new(
                        "real",
                        "e3nn's real basis (index l+m of the real harmonics)",
                    ),
                    Choice::new("complex", "complex basis |l m>, index m+l"),
                ],
            },
            Dimension {
                name: "normalization",
                options: vec![
                    Choice::new(
                        "frobenius",
                        "sum C^2 = 1 (e3nn wigner_3j, e3nn-jax clebsch_gordan; complex basis: \
                         CG/sqrt(2l3+1), e3nn-jax su2_clebsch_gordan)",
                    ),
                    Choice::new(
                        "cg",
                        "C*sqrt(2l3+1): sum_ab C[a,b,c]^2 = 1 for each c (complex basis: the \
                         CG coefficients <l1 m1 l2 m2|l3 m3>)",
                    ),
                    Choice::new(
                        "three-j",
                        "3j normalisation: the 3j symbols (l1 l2 l3; m1 m2 m3) (real basis: \
                         (-1)^(l1+l2+l3) C)",
                    ),
                ],
            },
            Dimension {
                name: "sign-rule",
                options: vec![
                    Choice::new("e3nn-0.5", "e3nn >= 0.5 signs (after e3nn PR #341)"),
                    Choice::new(
                        "e3nn-0.4",
                        "e3nn < 0.5 signs (before PR #341): triples (1,l,l), l >= 2, and their \
                         permutations negated (measured against e3nn 0.4.4 for l <= 4)",
                    ),
                ],
            },
            Dimension {
                name: "index-order",
                options: PERMS
                    .iter()
                    .map(|&(p, id)| Choice::new(id, perm_desc(p)))
                    .collect(),
            },
            Dimension {
                name: "phase",
                options: vec![
                    Choice::new(
                        "condon-shortley",
                        "kets |l m> with the Condon-Shortley phase",
                    ),
                    Choice::new(
                        "no-condon-shortley",
                        "complex basis without the Condon-Shortley phase: (-1)^m for m > 0 on \
                         each leg",
                    ),
                ],
            },
            Dimension {
                name: "sign",
                options: vec![
                    Choice::new("plus", "values as racah defines them"),
                    Choice::new("negated", "every value multiplied by -1"),
                ],
            },
        ]
    }

    fn candidate(&self, c: &[usize]) -> Result<Option<Vec<f64>>, DiagnosisError> {
        let complex = c[0] == 1;
        if complex && c[2] != 0 {
            return Ok(None); // the sign rule is a property of the real tensors
        }
        if !complex && c[4] != 0 {
            return Ok(None); // a rotation of the real basis: the same tensors
        }
        let bases = self.bases()?;
        let mut out = Vec::with_capacity(self.observed.len());
        for (b, base) in self.blocks.iter().zip(bases) {
            let n = dims_of(b.l);
            let p = PERMS[c[3]].0;
            if [n[p[0]], n[p[1]], n[p[2]]] != b.shape {
                out.extend(std::iter::repeat_n(f64::NAN, b.values.len()));
                continue;
            }
            let sqrt3 = ((2 * b.l[2] + 1) as f64).sqrt();
            let (data, scale) = match (complex, c[1]) {
                (false, 0) => (&base.real, 1.0),
                (false, 1) => (&base.real, sqrt3),
                (false, _) => (
                    &base.real,
                    if (b.l[0] + b.l[1] + b.l[2]) % 2 == 1 {
                        -1.0
                    } else {
                        1.0
                    },
                ),
                (true, 0) => (&base.complex_cg, 1.0 / sqrt3),
                (true, 1) => (&base.complex_cg, 1.0),
                (true, _) => (&base.complex_3j, 1.0),
            };
            let mut factor = scale;
            if c[2] == 1 && old_e3nn_flip(b.l) {
                factor = -factor;
            }
            if c[5] == 1 {
                factor = -factor;
            }
            let [s0, s1, s2] = b.shape;
            for i0 in 0..s0 {
                for i1 in 0..s1 {
                    for i2 in 0..s2 {
                        let mut r = [0usize; 3];
                        r[p[0]] = i0;
                        r[p[1]] = i1;
                        r[p[2]] = i2;
                        let mut v = data[(r[0] * n[1] + r[1]) * n[2] + r[2]] * factor;
                        if c[4] == 1 {
                            v *= cs_sign(r[0], b.l[0])
                                * cs_sign(r[1], b.l[1])
                                * cs_sign(r[2], b.l[2]);
                        }
                        out.push(v);
                    }
                }
            }
        }
        Ok(Some(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_e3nn_triples() {
        // bench/README.md: e3nn 0.4.4 differs in sign for exactly these 9 triples with l ≤ 4
        let mut flipped = Vec::new();
        for l1 in 0..=4u32 {
            for l2 in 0..=4u32 {
                for l3 in l1.abs_diff(l2)..=(l1 + l2).min(4) {
                    if old_e3nn_flip([l1, l2, l3]) {
                        flipped.push([l1, l2, l3]);
                    }
                }
            }
        }
        assert_eq!(
            flipped,
            vec![
                [1, 2, 2],
                [1, 3, 3],
                [1, 4, 4],
                [2, 1, 2],
                [2, 2, 1],
                [3, 1, 3],
                [3, 3, 1],
                [4, 1, 4],
                [4, 4, 1]
            ]
        );
    }

    #[test]
    fn labels_name_block_and_index() {
        let b1 = RealCgBlock {
            l: [0, 0, 0],
            shape: [1, 1, 1],
            values: vec![1.0],
        };
        let b2 = RealCgBlock {
            l: [1, 1, 0],
            shape: [3, 3, 1],
            values: vec![0.0; 9],
        };
        let t = RealCgTable::new(vec![b1, b2], Dtype::F64).unwrap();
        assert_eq!(t.label(0), "block 0,0,0 [0][0][0]");
        assert_eq!(t.label(1), "block 1,1,0 [0][0][0]");
        assert_eq!(t.label(5), "block 1,1,0 [1][1][0]");
        assert_eq!(cs_sign(4, 2), 1.0);
        assert_eq!(cs_sign(3, 2), -1.0);
        assert_eq!(cs_sign(1, 2), 1.0);
    }
}
