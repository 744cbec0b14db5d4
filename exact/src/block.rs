//! Whole blocks of Clebsch–Gordan coefficients for one `(j1, j2, J)`.

use crate::fast::sum::{assemble as fast_assemble, assemble_rounded as fast_rounded, fact_sum};
use crate::fast::table::{add, sub, Exps, FACT, MAX_N};
use crate::rounding::Target;
use crate::spins::{half, triad};
use crate::three_j::{self, Scale};
use crate::{ExactError, FactorialCache, SqrtRational};
use racah_core::Spin;

/// All Clebsch–Gordan coefficients `⟨j1 m1 j2 m2 | J M⟩` of one triple `(j1, j2, J)`, stored
/// sparsely (only `M = m1 + m2` can be nonzero) and readable as a dense
/// `[2j1+1][2j2+1][2J+1]` array.
///
/// Indices are `i1 = j1 + m1`, `i2 = j2 + m2`, `k = J + M` (m = −j first).
///
/// # Convention
/// Condon–Shortley (`CONVENTIONS.md#condon-shortley`).
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::{cg_block, Cg};
/// let one = Spin::int(1);
/// let b = cg_block(one, one, Spin::int(2))?;
/// assert_eq!(b.shape(), [3, 3, 5]);
/// assert_eq!(*b.get(2, 1, 3), Cg::from_twice(2, 2, 2, 0, 4, 2)?.value()); // ⟨1 1 1 0|2 1⟩
/// assert!(b.get(0, 0, 1).is_zero()); // M ≠ m1 + m2
/// assert_eq!(*b.get(0, 0, 0), racah_exact::SqrtRational::ONE); // ⟨1 −1 1 −1|2 −2⟩
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgBlock {
    tj: [i64; 3],
    /// `values[i1 * (2j2+1) + i2]` = ⟨j1 m1 j2 m2 | J m1+m2⟩ (zero when |m1+m2| > J).
    values: Vec<SqrtRational>,
}

const ZERO: SqrtRational = SqrtRational::ZERO;

impl CgBlock {
    /// `[2j1+1, 2j2+1, 2J+1]`.
    pub fn shape(&self) -> [usize; 3] {
        self.tj.map(|t| t as usize + 1)
    }

    /// `⟨j1 m1 j2 m2 | J M⟩` at indices `i1 = j1+m1`, `i2 = j2+m2`, `k = J+M`.
    ///
    /// # Panics
    /// If an index is outside [`CgBlock::shape`].
    #[track_caller]
    pub fn get(&self, i1: usize, i2: usize, k: usize) -> &SqrtRational {
        let [n1, n2, n3] = self.shape();
        assert!(
            i1 < n1 && i2 < n2 && k < n3,
            "index ({i1}, {i2}, {k}) out of shape {:?}",
            self.shape()
        );
        // M + J = (m1 + j1) + (m2 + j2) − (j1 + j2 − J)
        let kk = i1 as i64 + i2 as i64 - (self.tj[0] + self.tj[1] - self.tj[2]) / 2;
        if kk != k as i64 || (self.tj[0] + self.tj[1] + self.tj[2]) % 2 != 0 {
            return &ZERO;
        }
        &self.values[i1 * n2 + i2]
    }

    /// The nonzero entries as `(i1, i2, k, value)`.
    pub fn nonzeros(&self) -> impl Iterator<Item = (usize, usize, usize, &SqrtRational)> {
        let [_, n2, _] = self.shape();
        let off = (self.tj[0] + self.tj[1] - self.tj[2]) / 2;
        self.values
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_zero())
            .map(move |(idx, v)| {
                let (i1, i2) = (idx / n2, idx % n2);
                (i1, i2, (i1 as i64 + i2 as i64 - off) as usize, v)
            })
    }

    /// The dense array, row-major `[i1][i2][k]`, correctly rounded to f64.
    pub fn to_dense_f64(&self) -> Vec<f64> {
        let [n1, n2, n3] = self.shape();
        let mut out = vec![0.0; n1 * n2 * n3];
        for (i1, i2, k, v) in self.nonzeros() {
            out[(i1 * n2 + i2) * n3 + k] = v.to_f64();
        }
        out
    }

    /// The dense array, row-major `[i1][i2][k]`, exact (mostly zeros).
    pub fn to_dense(&self) -> Vec<SqrtRational> {
        let [n1, n2, n3] = self.shape();
        let mut out = vec![SqrtRational::ZERO; n1 * n2 * n3];
        for (i1, i2, k, v) in self.nonzeros() {
            out[(i1 * n2 + i2) * n3 + k] = v.clone();
        }
        out
    }
}

/// All CG coefficients of `(j1, j2, J)` at once; a triple that violates the triangle condition
/// gives an all-zero block.
///
/// The triangle coefficient `Δ(j1 j2 J)·(2J+1)` is computed once for the block and only the
/// `(2j1+1)(2j2+1)` entries with `M = m1 + m2` are evaluated, each by the machine-integer Racah
/// sum when it fits (exact; big integers otherwise).
///
/// # Convention
/// Condon–Shortley (`CONVENTIONS.md#condon-shortley`).
///
/// # Errors
/// [`ExactError::Overflow`] for spins beyond `2^21`, or a block of more than 2^26 entries.
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::cg_block;
/// let h = Spin::from_twice(1);
/// let b = cg_block(h, h, Spin::int(0))?;
/// assert_eq!(b.nonzeros().count(), 2); // ⟨½ ±½ ½ ∓½|0 0⟩ = ±1/√2
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
pub fn cg_block(j1: Spin, j2: Spin, j: Spin) -> Result<CgBlock, ExactError> {
    cg_block_impl(j1, j2, j, None)
}

/// [`cg_block`] with an explicit [`FactorialCache`].
///
/// # Errors
/// As [`cg_block`].
pub fn cg_block_with(
    j1: Spin,
    j2: Spin,
    j: Spin,
    cache: &mut FactorialCache,
) -> Result<CgBlock, ExactError> {
    cg_block_impl(j1, j2, j, Some(cache))
}

/// The dense `[2j1+1][2j2+1][2J+1]` CG array of `(j1, j2, J)`, row-major, correctly rounded to
/// f64.
///
/// Equal to `cg_block(j1, j2, J)?.to_dense_f64()`, bit for bit, but each machine-integer Racah
/// sum is rounded directly, without forming the canonical exact value first.
///
/// # Convention
/// Condon–Shortley (`CONVENTIONS.md#condon-shortley`); round to nearest, ties to even
/// (`CONVENTIONS.md#rounding`).
///
/// # Errors
/// As [`cg_block`].
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::cg_block_f64;
/// let h = Spin::from_twice(1);
/// let d = cg_block_f64(h, h, Spin::int(1))?; // shape [2, 2, 3]
/// assert_eq!(d[(0 * 2 + 1) * 3 + 1], std::f64::consts::FRAC_1_SQRT_2); // ⟨½ −½ ½ ½|1 0⟩
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
pub fn cg_block_f64(j1: Spin, j2: Spin, j: Spin) -> Result<Vec<f64>, ExactError> {
    let tj = check_block(j1, j2, j)?;
    let [a, b, c] = tj;
    let [n2, n3] = [b as usize + 1, c as usize + 1];
    let mut out = vec![0.0; (a as usize + 1) * n2 * n3];
    if !triad(a, b, c) {
        return Ok(out);
    }
    let common = block_common(tj);
    for i1 in 0..=a {
        let x = 2 * i1 - a; // 2m1
        for i2 in 0..=b {
            let y = 2 * i2 - b; // 2m2
            let z = x + y; // 2M
            if z.abs() > c {
                continue;
            }
            let slot = (i1 as usize * n2 + i2 as usize) * n3 + ((c + z) / 2) as usize;
            // Rounded straight from the machine-integer sum (no canonical exact value).
            out[slot] = match common.map(|e| fast_entry(tj, &e, x, y)) {
                Some(Entry::Zero) => continue,
                Some(Entry::Sum(s, e2)) => {
                    match fast_rounded(s, &e2, (a + b + c) / 2 + 1, Target::F64) {
                        Some(v) => v,
                        None => three_j::eval_rounded(tj, [x, y, -z], Scale::Cg, Target::F64),
                    }
                }
                _ => three_j::eval_rounded(tj, [x, y, -z], Scale::Cg, Target::F64),
            };
        }
    }
    Ok(out)
}

/// Doubled spins of a block, checked (spin range and the 2^26-entry limit).
fn check_block(j1: Spin, j2: Spin, j: Spin) -> Result<[i64; 3], ExactError> {
    let tj = [j1, j2, j].map(|s| s.twice() as i64);
    for t in tj {
        crate::spins::twice_j(t)?;
    }
    let [a, b, c] = tj;
    let n = (a as u64 + 1) * (b as u64 + 1);
    if n * (c as u64 + 1) > 1 << 26 {
        return Err(ExactError::Overflow {
            value: format!("({}, {}, {})", half(a), half(b), half(c)),
            what: "cg_block is limited to 2^26 dense entries",
        });
    }
    Ok(tj)
}

/// `Δ(j1 j2 J)·(2J+1)` as exponents, shared by a block, when the machine-integer route applies.
fn block_common([a, b, c]: [i64; 3]) -> Option<Exps> {
    let kk = (a + b + c) / 2 + 1;
    (kk <= MAX_N && c < MAX_N).then(|| {
        let mut e = FACT[((a + b - c) / 2) as usize];
        add(&mut e, &FACT[((a - b + c) / 2) as usize]);
        add(&mut e, &FACT[((-a + b + c) / 2) as usize]);
        sub(&mut e, &FACT[kk as usize]);
        add(&mut e, &FACT[(c + 1) as usize]);
        sub(&mut e, &FACT[c as usize]);
        e
    })
}

/// One block entry by the machine-integer route.
pub(crate) enum Entry {
    /// An empty Racah sum: the value 0.
    Zero,
    /// `s·√(∏ p^e2)`.
    Sum(i128, Exps),
    /// Overflow: use the general route.
    Overflow,
}

/// `⟨j1 m1 j2 m2 | J m1+m2⟩` (doubled `x = 2m1`, `y = 2m2`, `|m1+m2| ≤ J`) from the block's
/// shared exponents `common`.
#[inline]
pub(crate) fn fast_entry([a, b, c]: [i64; 3], common: &Exps, x: i64, y: i64) -> Entry {
    let z = x + y;
    let den_plus = [0, (c - b + x) / 2, (c - a - y) / 2];
    let den_minus = [(a + b - c) / 2, (a - x) / 2, (b + y) / 2];
    let t0 = 0.max(-den_plus[1]).max(-den_plus[2]);
    let t1 = den_minus.into_iter().min().unwrap_or(0);
    if t0 > t1 {
        return Entry::Zero;
    }
    let Some((s, g)) = fact_sum([], den_plus, den_minus, t0, t1) else {
        return Entry::Overflow;
    };
    let mut e2 = *common;
    for f in [
        (a + x) / 2,
        (a - x) / 2,
        (b + y) / 2,
        (b - y) / 2,
        (c + z) / 2,
        (c - z) / 2,
    ] {
        add(&mut e2, &FACT[f as usize]);
    }
    add(&mut e2, &g);
    add(&mut e2, &g);
    Entry::Sum(s, e2)
}

fn cg_block_impl(
    j1: Spin,
    j2: Spin,
    j: Spin,
    mut cache: Option<&mut FactorialCache>,
) -> Result<CgBlock, ExactError> {
    let tj = check_block(j1, j2, j)?;
    let [a, b, c] = tj;
    let mut values = vec![SqrtRational::ZERO; ((a + 1) * (b + 1)) as usize];
    if !triad(a, b, c) {
        return Ok(CgBlock { tj, values });
    }
    let kk = (a + b + c) / 2 + 1;
    let common = block_common(tj);
    for i1 in 0..=a {
        let x = 2 * i1 - a; // 2m1
        for i2 in 0..=b {
            let y = 2 * i2 - b; // 2m2
            let z = x + y; // 2M
            if z.abs() > c {
                continue;
            }
            let slot = (i1 * (b + 1) + i2) as usize;
            match common.map(|e| fast_entry(tj, &e, x, y)) {
                Some(Entry::Zero) => continue,
                Some(Entry::Sum(s, e2)) => {
                    if let Some(v) = fast_assemble(s, &e2, kk) {
                        values[slot] = v;
                        continue;
                    }
                }
                _ => {}
            }
            values[slot] = three_j::eval(tj, [x, y, -z], Scale::Cg, cache.as_deref_mut());
        }
    }
    Ok(CgBlock { tj, values })
}
