//! [`ExactTensor`]: a sparse tensor with exact [`SqrtSum`] entries over labelled legs.

use crate::contract::{Basis, ContractError};
use crate::SqrtSum;
use racah_core::fusion::EdgeLabel;
use std::collections::BTreeMap;
use std::fmt;

/// Whether a leg of an [`ExactTensor`] is an input (a factor of the domain V1 ⊗ … ⊗ Vk) or an
/// output (a factor of the codomain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegRole {
    /// A factor of the domain.
    Input,
    /// A factor of the codomain.
    Output,
}

/// One leg of an [`ExactTensor`]: the irrep (or spin) it carries and its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Leg {
    /// The irrep or spin; the leg's dimension is 2j + 1.
    pub label: EdgeLabel,
    /// Input or output.
    pub role: LegRole,
}

impl Leg {
    /// An input leg.
    pub fn input(label: impl Into<EdgeLabel>) -> Leg {
        Leg {
            label: label.into(),
            role: LegRole::Input,
        }
    }

    /// An output leg.
    pub fn output(label: impl Into<EdgeLabel>) -> Leg {
        Leg {
            label: label.into(),
            role: LegRole::Output,
        }
    }
}

/// The value 0, returned by reference for entries that are not stored.
static ZERO: SqrtSum = SqrtSum::zero();

/// A tensor with exact entries in Q(√2, √3, …), stored sparsely: the matrix of a linear map
/// V_in1 ⊗ … ⊗ V_ink → V_out1 ⊗ … in the complex or the real basis.
///
/// ```text
/// T[i_1, …, i_n],   legs = inputs then outputs,
/// i = j + m (complex basis, m = −j first)   or   the e3nn real index 0 … 2l (real basis)
/// ```
///
/// Only nonzero entries are stored; a rank-0 tensor (a closed diagram) has the single index
/// `[]`.
///
/// # Convention
/// Complex basis: Condon–Shortley (`CONVENTIONS.md#condon-shortley`); real basis: e3nn's
/// (`CONVENTIONS.md#real-basis`).
///
/// # Examples
/// ```
/// use racah_core::Irrep;
/// use racah_exact::contract::{Basis, ExactTensor, Leg};
/// use racah_exact::{SqrtRational, SqrtSum};
/// let v = Irrep::harmonic(1);
/// let mut id = ExactTensor::zeros(Basis::Real, vec![Leg::input(v), Leg::output(v)])?;
/// for i in 0..3 {
///     id.set(&[i, i], SqrtSum::from(SqrtRational::ONE))?;
/// }
/// assert_eq!(id.shape(), vec![3, 3]);
/// assert_eq!(id.nonzeros().count(), 3);
/// assert!(id.get(&[0, 1]).is_zero());
/// assert_eq!(id.to_f64(), vec![1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
/// # Ok::<(), racah_exact::contract::ContractError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactTensor {
    basis: Basis,
    legs: Vec<Leg>,
    entries: BTreeMap<Vec<usize>, SqrtSum>,
}

impl ExactTensor {
    /// The zero tensor with these legs.
    ///
    /// # Errors
    /// [`ContractError::HalfIntegerInRealBasis`] for a half-integer leg in the real basis.
    pub fn zeros(basis: Basis, legs: Vec<Leg>) -> Result<Self, ContractError> {
        if basis == Basis::Real {
            if let Some((i, l)) = legs
                .iter()
                .enumerate()
                .find(|(_, l)| !l.label.j().is_integer())
            {
                return Err(ContractError::HalfIntegerInRealBasis {
                    edge: format!("leg {i}"),
                    j: l.label.j().to_string(),
                });
            }
        }
        Ok(ExactTensor {
            basis,
            legs,
            entries: BTreeMap::new(),
        })
    }

    /// A tensor from `(index, value)` pairs (later pairs overwrite earlier ones; zeros are not
    /// stored).
    ///
    /// # Errors
    /// As [`ExactTensor::zeros`] and [`ExactTensor::set`].
    pub fn from_entries(
        basis: Basis,
        legs: Vec<Leg>,
        entries: impl IntoIterator<Item = (Vec<usize>, SqrtSum)>,
    ) -> Result<Self, ContractError> {
        let mut t = ExactTensor::zeros(basis, legs)?;
        for (idx, v) in entries {
            t.set(&idx, v)?;
        }
        Ok(t)
    }

    /// From entries already known to be in shape and nonzero.
    pub(crate) fn from_map_unchecked(
        basis: Basis,
        legs: Vec<Leg>,
        entries: BTreeMap<Vec<usize>, SqrtSum>,
    ) -> Self {
        debug_assert!(entries.values().all(|v| !v.is_zero()));
        ExactTensor {
            basis,
            legs,
            entries,
        }
    }

    fn check_index(&self, index: &[usize]) -> Result<(), ContractError> {
        let shape = self.shape();
        if index.len() != shape.len() || index.iter().zip(&shape).any(|(i, n)| i >= n) {
            return Err(ContractError::IndexOutOfShape {
                index: index.to_vec(),
                shape,
            });
        }
        Ok(())
    }

    /// Sets one entry.
    ///
    /// # Errors
    /// [`ContractError::IndexOutOfShape`] if the index has the wrong rank or is out of range.
    pub fn set(&mut self, index: &[usize], value: SqrtSum) -> Result<(), ContractError> {
        self.check_index(index)?;
        if value.is_zero() {
            self.entries.remove(index);
        } else {
            self.entries.insert(index.to_vec(), value);
        }
        Ok(())
    }

    /// The basis the indices refer to.
    pub fn basis(&self) -> Basis {
        self.basis
    }

    /// The legs: inputs then outputs for a contracted diagram.
    pub fn legs(&self) -> &[Leg] {
        &self.legs
    }

    /// The dimensions 2j + 1 of the legs.
    pub fn shape(&self) -> Vec<usize> {
        self.legs.iter().map(|l| l.label.dim()).collect()
    }

    /// The number of legs.
    pub fn rank(&self) -> usize {
        self.legs.len()
    }

    /// The entry at `index` (0 when not stored).
    ///
    /// # Panics
    /// If the index has the wrong rank or is out of range ([`ExactTensor::try_get`] does not
    /// panic).
    #[track_caller]
    pub fn get(&self, index: &[usize]) -> &SqrtSum {
        match self.try_get(index) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    /// The entry at `index` (0 when not stored).
    ///
    /// # Errors
    /// [`ContractError::IndexOutOfShape`] if the index has the wrong rank or is out of range.
    pub fn try_get(&self, index: &[usize]) -> Result<&SqrtSum, ContractError> {
        self.check_index(index)?;
        Ok(self.entries.get(index).unwrap_or(&ZERO))
    }

    /// The nonzero entries in lexicographic order of their indices.
    pub fn nonzeros(&self) -> impl ExactSizeIterator<Item = (&[usize], &SqrtSum)> {
        self.entries.iter().map(|(k, v)| (k.as_slice(), v))
    }

    /// The number of nonzero entries.
    pub fn num_nonzeros(&self) -> usize {
        self.entries.len()
    }

    /// Whether every entry is 0.
    pub fn is_zero(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of a rank-0 tensor (a closed diagram), `None` for a tensor with legs.
    pub fn scalar(&self) -> Option<SqrtSum> {
        self.legs
            .is_empty()
            .then(|| self.entries.get(&Vec::new()).cloned().unwrap_or_default())
    }

    /// The dense array, row-major over the legs, each entry correctly rounded to f64.
    ///
    /// # Convention
    /// Round to nearest, ties to even, once from the exact value (`CONVENTIONS.md#rounding`).
    pub fn to_f64(&self) -> Vec<f64> {
        let shape = self.shape();
        let mut out = vec![0.0; shape.iter().product()];
        for (idx, v) in &self.entries {
            let flat = idx.iter().zip(&shape).fold(0, |acc, (i, n)| acc * n + i);
            out[flat] = v.to_f64();
        }
        out
    }

    /// `self += c · other`.
    ///
    /// # Errors
    /// [`ContractError::LegMismatch`] unless both tensors have the same basis and legs.
    ///
    /// # Examples
    /// ```
    /// use racah_core::Spin;
    /// use racah_exact::contract::{Basis, ExactTensor, Leg};
    /// use racah_exact::{SqrtRational, SqrtSum};
    /// let h = Spin::from_twice(1);
    /// let one = SqrtSum::from(SqrtRational::ONE);
    /// let e = ExactTensor::from_entries(Basis::Complex, vec![Leg::input(h)], [(vec![1], one.clone())])?;
    /// let mut t = e.clone();
    /// t.add_scaled(&e, &-one)?;
    /// assert!(t.is_zero());
    /// # Ok::<(), racah_exact::contract::ContractError>(())
    /// ```
    pub fn add_scaled(&mut self, other: &ExactTensor, c: &SqrtSum) -> Result<(), ContractError> {
        if self.basis != other.basis || self.legs != other.legs {
            return Err(ContractError::LegMismatch {
                left: self.describe_legs(),
                right: other.describe_legs(),
            });
        }
        for (idx, v) in &other.entries {
            let add = c * v;
            let sum = match self.entries.get(idx) {
                Some(old) => old + &add,
                None => add,
            };
            if sum.is_zero() {
                self.entries.remove(idx);
            } else {
                self.entries.insert(idx.clone(), sum);
            }
        }
        Ok(())
    }

    /// e3nn's real coupling tensor as a map V_l1 ⊗ V_l2 → V_l3 in the real basis: inputs
    /// `l1`, `l2` with parity (−1)^l, output `l3` with the product parity.
    ///
    /// # Convention
    /// `CONVENTIONS.md#real-basis`.
    ///
    /// # Examples
    /// ```
    /// use racah_exact::{real_cg, ExactTensor, SqrtRational, SqrtSum};
    /// let t = ExactTensor::from_real_cg(&real_cg(1, 1, 1)?);
    /// assert_eq!(t.describe_legs(), "(1o, 1o -> 1e; real)");
    /// assert_eq!(*t.get(&[0, 1, 2]), SqrtSum::from(SqrtRational::sqrt_of_ratio(1, 6)?));
    /// # Ok::<(), racah_exact::ExactError>(())
    /// ```
    pub fn from_real_cg(c: &crate::RealCgTensor) -> ExactTensor {
        use racah_core::Irrep;
        let [l1, l2, l3] = c.l();
        let (a, b) = (Irrep::harmonic(l1), Irrep::harmonic(l2));
        let out = Irrep::l(l3, a.parity() * b.parity());
        let entries = c
            .nonzeros()
            .map(|(i, j, k, v)| (vec![i, j, k], SqrtSum::from(v)))
            .collect();
        ExactTensor::from_map_unchecked(
            Basis::Real,
            vec![Leg::input(a), Leg::input(b), Leg::output(out)],
            entries,
        )
    }

    /// `(1o, 1o -> 0o; complex)`: the legs and basis, for messages.
    pub fn describe_legs(&self) -> String {
        let side = |role| {
            self.legs
                .iter()
                .filter(|l| l.role == role)
                .map(|l| l.label.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "({} -> {}; {})",
            side(LegRole::Input),
            side(LegRole::Output),
            self.basis
        )
    }
}

impl fmt::Display for ExactTensor {
    /// The legs, then one line `[i, j, …] = value` per nonzero entry.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.describe_legs())?;
        for (idx, v) in &self.entries {
            writeln!(f, "{idx:?} = {v}")?;
        }
        Ok(())
    }
}
