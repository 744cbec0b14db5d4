//! [`SymbolTable`]: tables of CG, 3j, 6j and 9j values keyed by doubled arguments.

use super::engine::{Choice, Dimension, Reference, Table};
use super::error::check_finite;
use super::{DiagnosisError, Dtype};
use racah_exact::{Cg, ExactError, NineJ, RacahW, SixJ, SqrtRational, ThreeJ};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;

/// The symbol a [`SymbolTable`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SymbolKind {
    /// ⟨j1 m1 j2 m2 | J M⟩, arguments `j1 m1 j2 m2 J M`.
    Cg,
    /// (j1 j2 j3; m1 m2 m3), arguments `j1 j2 j3 m1 m2 m3`.
    ThreeJ,
    /// {j1 j2 j3; j4 j5 j6}, row-major.
    SixJ,
    /// {j1 j2 j3; j4 j5 j6; j7 j8 j9}, row-major.
    NineJ,
}

impl SymbolKind {
    /// `cg`, `3j`, `6j` or `9j`.
    pub fn keyword(self) -> &'static str {
        match self {
            SymbolKind::Cg => "cg",
            SymbolKind::ThreeJ => "3j",
            SymbolKind::SixJ => "6j",
            SymbolKind::NineJ => "9j",
        }
    }

    /// The number of arguments: 6 or 9.
    pub fn arity(self) -> usize {
        match self {
            SymbolKind::NineJ => 9,
            _ => 6,
        }
    }

    /// The kind of a keyword (`cg`, `3j`, `6j`, `9j`).
    pub fn from_keyword(s: &str) -> Option<SymbolKind> {
        [
            SymbolKind::Cg,
            SymbolKind::ThreeJ,
            SymbolKind::SixJ,
            SymbolKind::NineJ,
        ]
        .into_iter()
        .find(|k| k.keyword() == s)
    }
}

/// An exact value racah can compute for one row under some interpretation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Eval {
    Cg,
    /// ⟨…⟩/√(2J+1)
    CgOverSqrt,
    ThreeJ,
    SixJ,
    RacahW,
    /// (−1)^(j1+j2+j4+j5) √((2j3+1)(2j6+1)) {6j}
    SixJRecoupling,
    NineJ,
    /// √((2j3+1)(2j6+1)(2j7+1)(2j8+1)) {9j}
    NineJRecoupling,
}

fn sqrt_int(n: i64) -> Result<SqrtRational, ExactError> {
    SqrtRational::sqrt_of_ratio(n as u64, 1)
}

fn evaluate(e: Eval, t: &[i64]) -> Result<SqrtRational, ExactError> {
    Ok(match e {
        Eval::Cg => Cg::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])?.value(),
        Eval::CgOverSqrt => Cg::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])?
            .value()
            .checked_div(&sqrt_int(t[4] + 1)?)?,
        Eval::ThreeJ => ThreeJ::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])?.value(),
        Eval::SixJ => SixJ::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])?.value(),
        Eval::RacahW => RacahW::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])?.value(),
        Eval::SixJRecoupling => {
            let v = SixJ::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])?.value();
            let s = &v * &sqrt_int((t[2] + 1) * (t[5] + 1))?;
            // j1+j2+j4+j5 is an integer whenever the symbol is admissible; else v = 0
            if (t[0] + t[1] + t[3] + t[4]).rem_euclid(4) == 2 {
                -s
            } else {
                s
            }
        }
        Eval::NineJ => {
            NineJ::from_twice([t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8]])?.value()
        }
        Eval::NineJRecoupling => {
            let v =
                NineJ::from_twice([t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8]])?.value();
            &v * &sqrt_int((t[2] + 1) * (t[5] + 1) * (t[6] + 1) * (t[7] + 1))?
        }
    })
}

/// A table of CG, 3j, 6j or 9j values, one row of doubled arguments per value (the layout of
/// `racah table --format npy`: `twice_args` (N, 6 or 9) and the values (N,)).
///
/// The reference is exact and correctly rounded to the table's dtype. A row whose arguments
/// are not a valid symbol in racah's order (e.g. j − m not an integer) has no reference value;
/// a selection-rule zero is the value 0.
///
/// Conventions diagnosed (racah's first):
///
/// | kind | dimension | options |
/// |---|---|---|
/// | cg | `argument-order` | `racah` (j1 m1 j2 m2 J M), `sympy` (j1 j2 J m1 m2 M) |
/// | cg | `value` | `cg`, `su2-cg` (÷√(2J+1), e3nn-jax), `three-j` ((j1 j2 J; m1 m2 −M)) |
/// | cg | `factor-order` | `j1-j2`, `j2-j1` (⟨j2 m2 j1 m1\|J M⟩) |
/// | cg, 3j | `phase` | `condon-shortley`, `no-condon-shortley` (× (−1)^m per m > 0) |
/// | 3j | `argument-order` | `racah` (j1 j2 j3 m1 m2 m3), `interleaved` (j1 m1 j2 m2 j3 m3) |
/// | 3j | `value` | `three-j`, `cg` (⟨j1 m1 j2 m2\|j3 −m3⟩), `su2-cg` (÷√(2j3+1)) |
/// | 6j | `argument-order` | `row-major`, `column-major` (j1 j4 j2 j5 j3 j6) |
/// | 6j | `value` | `six-j`, `racah-w` (W(j1 j2 j5 j4; j3 j6)), `recoupling` |
/// | 9j | `value` | `nine-j`, `recoupling` (LS–jj, × √((2j3+1)(2j6+1)(2j7+1)(2j8+1))) |
/// | all | `sign` | `plus`, `negated` |
///
/// (A 9j symbol is invariant under transposition, so its argument order is not diagnosed.)
///
/// # Convention
/// `CONVENTIONS.md#argument-order`, `#condon-shortley`, `#three-j`, `#six-j`, `#nine-j`,
/// `#racah-w`; rounding `#rounding`.
///
/// # Examples
/// ```
/// use racah_proofs::diagnosis::{check, CheckOptions, Dtype, SymbolKind, SymbolTable};
/// // {1 1 1; 1 1 1} = 1/6
/// let t = SymbolTable::new(SymbolKind::SixJ, &[vec![2; 6]], vec![1.0 / 6.0], Dtype::F64)?;
/// assert!(check(&t, &CheckOptions::default())?.passed);
/// # Ok::<(), racah_proofs::diagnosis::DiagnosisError>(())
/// ```
#[derive(Debug, Clone)]
pub struct SymbolTable {
    kind: SymbolKind,
    dtype: Dtype,
    args: Vec<i64>,
    values: Vec<f64>,
    cache: RefCell<HashMap<(Eval, [i64; 9]), f64>>,
}

impl SymbolTable {
    /// A table of `kind` from rows of doubled arguments and their values (as written in a
    /// table of `dtype`).
    ///
    /// # Errors
    /// [`DiagnosisError::Shape`] if a row does not have 6 (9 for 9j) arguments or the counts
    /// of rows and values differ; [`DiagnosisError::NonFinite`] for a NaN or infinite value.
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::diagnosis::{DiagnosisError, Dtype, SymbolKind, SymbolTable};
    /// let bad = SymbolTable::new(SymbolKind::Cg, &[vec![1, 1, 1]], vec![0.5], Dtype::F64);
    /// assert!(matches!(bad, Err(DiagnosisError::Shape { .. })));
    /// let nan = SymbolTable::new(SymbolKind::SixJ, &[vec![2; 6]], vec![f64::NAN], Dtype::F64);
    /// assert!(matches!(nan, Err(DiagnosisError::NonFinite { .. })));
    /// ```
    pub fn new(
        kind: SymbolKind,
        rows: &[Vec<i64>],
        values: Vec<f64>,
        dtype: Dtype,
    ) -> Result<Self, DiagnosisError> {
        let k = kind.arity();
        if let Some(i) = rows.iter().position(|r| r.len() != k) {
            return Err(DiagnosisError::shape(
                format!("{} arguments, row {i}", kind.keyword()),
                format!("{k} doubled arguments"),
                format!("{} arguments", rows[i].len()),
            ));
        }
        Self::from_flat(kind, rows.concat(), values, dtype)
    }

    /// As [`new`](Self::new), with the arguments flat, row-major `(N, 6 or 9)`.
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn from_flat(
        kind: SymbolKind,
        args: Vec<i64>,
        values: Vec<f64>,
        dtype: Dtype,
    ) -> Result<Self, DiagnosisError> {
        let k = kind.arity();
        if args.len() != values.len() * k {
            return Err(DiagnosisError::shape(
                format!("{} arguments", kind.keyword()),
                format!("({}, {k}) for {} values", values.len(), values.len()),
                format!("{} numbers", args.len()),
            ));
        }
        check_finite(&format!("{} values", kind.keyword()), &values)?;
        Ok(SymbolTable {
            kind,
            dtype,
            args,
            values,
            cache: RefCell::new(HashMap::new()),
        })
    }

    /// The symbol.
    pub fn symbol(&self) -> SymbolKind {
        self.kind
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The doubled arguments of row `i`.
    ///
    /// # Panics
    /// If `i` is out of range.
    pub fn row(&self, i: usize) -> &[i64] {
        let k = self.kind.arity();
        &self.args[i * k..(i + 1) * k]
    }

    fn cached(&self, e: Eval, t: &[i64]) -> f64 {
        let mut key = [0i64; 9];
        key[..t.len()].copy_from_slice(t);
        if let Some(&v) = self.cache.borrow().get(&(e, key)) {
            return v;
        }
        let v = evaluate(e, t).map_or(f64::NAN, |v| v.to_f64());
        self.cache.borrow_mut().insert((e, key), v);
        v
    }

    /// The candidate value of one row: `None` if the combination does not apply to it.
    fn candidate_row(&self, t: &[i64], c: &[usize]) -> f64 {
        let sign = |negate: bool, v: f64| if negate { -v } else { v };
        match self.kind {
            SymbolKind::Cg => {
                let [a, b, cc, d, e, f] = [t[0], t[1], t[2], t[3], t[4], t[5]];
                let (mut j1, mut m1, mut j2, mut m2, jj, mm) = match c[0] {
                    0 => (a, b, cc, d, e, f),
                    _ => (a, d, b, e, cc, f),
                };
                if c[2] == 1 {
                    std::mem::swap(&mut j1, &mut j2);
                    std::mem::swap(&mut m1, &mut m2);
                }
                let v = match c[1] {
                    0 => self.cached(Eval::Cg, &[j1, m1, j2, m2, jj, mm]),
                    1 => self.cached(Eval::CgOverSqrt, &[j1, m1, j2, m2, jj, mm]),
                    _ => self.cached(Eval::ThreeJ, &[j1, j2, jj, m1, m2, -mm]),
                };
                sign(c[4] == 1, v * phase(c[3] == 1, &[m1, m2, mm]))
            }
            SymbolKind::ThreeJ => {
                let [a, b, cc, d, e, f] = [t[0], t[1], t[2], t[3], t[4], t[5]];
                let (j1, j2, j3, m1, m2, m3) = match c[0] {
                    0 => (a, b, cc, d, e, f),
                    _ => (a, cc, e, b, d, f),
                };
                let v = match c[1] {
                    0 => self.cached(Eval::ThreeJ, &[j1, j2, j3, m1, m2, m3]),
                    1 => self.cached(Eval::Cg, &[j1, m1, j2, m2, j3, -m3]),
                    _ => self.cached(Eval::CgOverSqrt, &[j1, m1, j2, m2, j3, -m3]),
                };
                sign(c[3] == 1, v * phase(c[2] == 1, &[m1, m2, m3]))
            }
            SymbolKind::SixJ => {
                let s = match c[0] {
                    0 => [t[0], t[1], t[2], t[3], t[4], t[5]],
                    _ => [t[0], t[2], t[4], t[1], t[3], t[5]],
                };
                let v = match c[1] {
                    0 => self.cached(Eval::SixJ, &s),
                    // W(j1 j2 j5 j4; j3 j6)
                    1 => self.cached(Eval::RacahW, &[s[0], s[1], s[4], s[3], s[2], s[5]]),
                    _ => self.cached(Eval::SixJRecoupling, &s),
                };
                sign(c[2] == 1, v)
            }
            SymbolKind::NineJ => {
                let v = match c[0] {
                    0 => self.cached(Eval::NineJ, t),
                    _ => self.cached(Eval::NineJRecoupling, t),
                };
                sign(c[1] == 1, v)
            }
        }
    }
}

/// Π (−1)^m over the m > 0 (doubled), or NaN if some such m is half-integer.
fn phase(apply: bool, twice_m: &[i64]) -> f64 {
    if !apply {
        return 1.0;
    }
    let mut s = 1.0;
    for &tm in twice_m.iter().filter(|&&tm| tm > 0) {
        if tm % 2 != 0 {
            return f64::NAN;
        }
        if (tm / 2) % 2 == 1 {
            s = -s;
        }
    }
    s
}

/// A doubled integer as a spin: `3` → `3/2`, `4` → `2`.
pub(crate) fn spin_text(t: i64) -> String {
    if t % 2 == 0 {
        (t / 2).to_string()
    } else {
        format!("{t}/2")
    }
}

fn sign_dimension() -> Dimension {
    Dimension {
        name: "sign",
        options: vec![
            Choice::new("plus", "values as racah defines them"),
            Choice::new("negated", "every value multiplied by -1"),
        ],
    }
}

fn phase_dimension() -> Dimension {
    Dimension {
        name: "phase",
        options: vec![
            Choice::new(
                "condon-shortley",
                "kets |j m> with the Condon-Shortley phase",
            ),
            Choice::new(
                "no-condon-shortley",
                "kets without the Condon-Shortley phase: x (-1)^m for each m > 0 (integer j)",
            ),
        ],
    }
}

impl Table for SymbolTable {
    fn kind(&self) -> &'static str {
        self.kind.keyword()
    }

    fn dtype(&self) -> Dtype {
        self.dtype
    }

    fn observed(&self) -> &[f64] {
        &self.values
    }

    fn label(&self, index: usize) -> String {
        let args: Vec<String> = self.row(index).iter().map(|&t| spin_text(t)).collect();
        format!("row {index}: {} {}", self.kind.keyword(), args.join(" "))
    }

    fn reference(&self) -> Result<Reference, DiagnosisError> {
        let mut values = Vec::with_capacity(self.len());
        let mut missing = Vec::new();
        let e = match self.kind {
            SymbolKind::Cg => Eval::Cg,
            SymbolKind::ThreeJ => Eval::ThreeJ,
            SymbolKind::SixJ => Eval::SixJ,
            SymbolKind::NineJ => Eval::NineJ,
        };
        for i in 0..self.len() {
            match evaluate(e, self.row(i)) {
                Ok(v) => values.push(match self.dtype {
                    Dtype::F64 => v.to_f64(),
                    Dtype::F32 => f64::from(v.to_f32()),
                }),
                Err(err) => {
                    values.push(f64::NAN);
                    missing.push((
                        i,
                        format!(
                            "not a valid {} in racah's order: {err}",
                            self.kind.keyword()
                        ),
                    ));
                }
            }
        }
        Ok(Reference {
            values,
            missing,
            source: format!("exact, correctly rounded to {}", self.dtype),
        })
    }

    fn dimensions(&self) -> Vec<Dimension> {
        match self.kind {
            SymbolKind::Cg => vec![
                Dimension {
                    name: "argument-order",
                    options: vec![
                        Choice::new("racah", "j1 m1 j2 m2 J M (racah, libwignernj, wigners)"),
                        Choice::new("sympy", "j1 j2 J m1 m2 M (sympy clebsch_gordan, py3nj)"),
                    ],
                },
                Dimension {
                    name: "value",
                    options: vec![
                        Choice::new("cg", "<j1 m1 j2 m2|J M>"),
                        Choice::new(
                            "su2-cg",
                            "<j1 m1 j2 m2|J M>/sqrt(2J+1): Frobenius (3j) normalisation, \
                             e3nn-jax su2_clebsch_gordan",
                        ),
                        Choice::new(
                            "three-j",
                            "the 3j symbol (j1 j2 J; m1 m2 -M) = (-1)^(j1-j2+M)/sqrt(2J+1) <..>",
                        ),
                    ],
                },
                Dimension {
                    name: "factor-order",
                    options: vec![
                        Choice::new("j1-j2", "j1 coupled with j2"),
                        Choice::new(
                            "j2-j1",
                            "factors swapped: <j2 m2 j1 m1|J M> = (-1)^(j1+j2-J) <j1 m1 j2 m2|J M>",
                        ),
                    ],
                },
                phase_dimension(),
                sign_dimension(),
            ],
            SymbolKind::ThreeJ => vec![
                Dimension {
                    name: "argument-order",
                    options: vec![
                        Choice::new("racah", "j1 j2 j3 m1 m2 m3 (sympy, WIGXJPF, GSL)"),
                        Choice::new(
                            "interleaved",
                            "j1 m1 j2 m2 j3 m3 (wigner-symbols Wigner3jm)",
                        ),
                    ],
                },
                Dimension {
                    name: "value",
                    options: vec![
                        Choice::new("three-j", "(j1 j2 j3; m1 m2 m3)"),
                        Choice::new("cg", "the CG coefficient <j1 m1 j2 m2|j3 -m3>"),
                        Choice::new(
                            "su2-cg",
                            "<j1 m1 j2 m2|j3 -m3>/sqrt(2j3+1): the 3j symbol without its phase \
                             (-1)^(j1-j2-m3)",
                        ),
                    ],
                },
                phase_dimension(),
                sign_dimension(),
            ],
            SymbolKind::SixJ => vec![
                Dimension {
                    name: "argument-order",
                    options: vec![
                        Choice::new("row-major", "{j1 j2 j3; j4 j5 j6} as j1 j2 j3 j4 j5 j6"),
                        Choice::new("column-major", "columns first: j1 j4 j2 j5 j3 j6"),
                    ],
                },
                Dimension {
                    name: "value",
                    options: vec![
                        Choice::new("six-j", "{j1 j2 j3; j4 j5 j6}"),
                        Choice::new(
                            "racah-w",
                            "Racah W(j1 j2 j5 j4; j3 j6) = (-1)^(j1+j2+j4+j5) {j1 j2 j3; j4 j5 j6}",
                        ),
                        Choice::new(
                            "recoupling",
                            "<(j1 j2)j3, j4; j5|j1, (j2 j4)j6; j5> = (-1)^(j1+j2+j4+j5) \
                             sqrt((2j3+1)(2j6+1)) {..}",
                        ),
                    ],
                },
                sign_dimension(),
            ],
            SymbolKind::NineJ => vec![
                Dimension {
                    name: "value",
                    options: vec![
                        Choice::new("nine-j", "{j1 j2 j3; j4 j5 j6; j7 j8 j9}"),
                        Choice::new(
                            "recoupling",
                            "LS-jj recoupling coefficient sqrt((2j3+1)(2j6+1)(2j7+1)(2j8+1)) {9j}",
                        ),
                    ],
                },
                sign_dimension(),
            ],
        }
    }

    fn candidate(&self, choice: &[usize]) -> Result<Option<Vec<f64>>, DiagnosisError> {
        Ok(Some(
            (0..self.len())
                .map(|i| self.candidate_row(self.row(i), choice))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_phase_and_spin_text() {
        assert_eq!(phase(true, &[2, -4, 4]), -1.0);
        assert_eq!(phase(true, &[4, 0, 4]), 1.0);
        assert!(phase(true, &[1, -1, 0]).is_nan());
        assert_eq!(phase(false, &[1]), 1.0);
        assert_eq!(spin_text(3), "3/2");
        assert_eq!(spin_text(-1), "-1/2");
        assert_eq!(spin_text(4), "2");
    }

    #[test]
    fn recoupling_values() {
        // {1/2 1/2 0; 1/2 1/2 0}: (−1)^(j1+j2+j4+j5) = (−1)^2 and √((2·0+1)(2·0+1)) = 1
        let six = evaluate(Eval::SixJ, &[1, 1, 0, 1, 1, 0]).unwrap();
        let rec = evaluate(Eval::SixJRecoupling, &[1, 1, 0, 1, 1, 0]).unwrap();
        assert_eq!(rec, six); // (−1)^2 = +1, √(1·1) = 1
        let nine = evaluate(Eval::NineJRecoupling, &[2, 2, 2, 2, 2, 2, 2, 2, 0]).unwrap();
        // {1 1 1; 1 1 1; 1 1 0} = 1/18, times √(3·3·3·3) = 9 → 1/2
        assert_eq!(nine, SqrtRational::rational(1, 2));
    }
}
