//! Instructions of a tensor product and the normalisation options, as in e3nn.

use std::fmt;
use std::str::FromStr;

/// How the multiplicities (channels) of the two inputs and the output are connected by one
/// instruction.
///
/// With `u`, `v`, `w` the channels of the first input, second input and output, `x ⊗ y` the
/// real-basis Clebsch–Gordan coupling of one channel pair and `W` the weights:
///
/// ```text
/// Uvw:  z_w      = Σ_{u,v} W_uvw (x_u ⊗ y_v)      weights (mul1, mul2, mul_out)
/// Uvu:  z_u      = Σ_v     W_uv  (x_u ⊗ y_v)      weights (mul1, mul2),   mul_out = mul1
/// Uvv:  z_v      = Σ_u     W_uv  (x_u ⊗ y_v)      weights (mul1, mul2),   mul_out = mul2
/// Uuw:  z_w      = Σ_u     W_uw  (x_u ⊗ y_u)      weights (mul1, mul_out), mul1 = mul2
/// Uuu:  z_u      =         W_u   (x_u ⊗ y_u)      weights (mul1,),  mul1 = mul2 = mul_out
/// Uvuv: z_(u,v)  =         W_uv  (x_u ⊗ y_v)      weights (mul1, mul2),   mul_out = mul1·mul2
/// ```
///
/// Without weights (`has_weight = false`) every `W` is 1: `Uvu` then sums over `v`, `Uuw`
/// needs `mul_out = 1`, and `Uvw` is not allowed (as in e3nn).
///
/// # Convention
/// e3nn's connection modes `"uvw"`, `"uvu"`, `"uvv"`, `"uuw"`, `"uuu"`, `"uvuv"`; weight
/// shapes and the output channel `(u, v) ↦ u·mul2 + v` of `Uvuv` are e3nn's
/// (`CONVENTIONS.md#tensor-products`).
///
/// # Examples
/// ```
/// use racah_numeric::ConnectionMode;
/// let m: ConnectionMode = "uvu".parse()?;
/// assert_eq!(m, ConnectionMode::Uvu);
/// assert_eq!(m.weight_shape(8, 1, 8), vec![8, 1]);
/// assert_eq!(m.to_string(), "uvu");
/// # Ok::<(), racah_numeric::TensorProductError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionMode {
    /// Fully connected: every `(u, v)` to every `w`.
    Uvw,
    /// Channel-wise in the first input: `(u, v) → u`.
    Uvu,
    /// Channel-wise in the second input: `(u, v) → v`.
    Uvv,
    /// Paired inputs, mixed output: `(u, u) → w`.
    Uuw,
    /// Element-wise: `(u, u) → u`.
    Uuu,
    /// Outer product of channels: `(u, v) → (u, v)`.
    Uvuv,
}

impl ConnectionMode {
    /// All modes, in e3nn's order.
    pub const ALL: [ConnectionMode; 6] = [
        ConnectionMode::Uvw,
        ConnectionMode::Uvu,
        ConnectionMode::Uvv,
        ConnectionMode::Uuw,
        ConnectionMode::Uuu,
        ConnectionMode::Uvuv,
    ];

    /// e3nn's name of the mode (`"uvw"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            ConnectionMode::Uvw => "uvw",
            ConnectionMode::Uvu => "uvu",
            ConnectionMode::Uvv => "uvv",
            ConnectionMode::Uuw => "uuw",
            ConnectionMode::Uuu => "uuu",
            ConnectionMode::Uvuv => "uvuv",
        }
    }

    /// The shape of the weights of one instruction (e3nn's `path_shape`).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::ConnectionMode;
    /// assert_eq!(ConnectionMode::Uvw.weight_shape(2, 3, 4), vec![2, 3, 4]);
    /// assert_eq!(ConnectionMode::Uuw.weight_shape(2, 2, 4), vec![2, 4]);
    /// assert_eq!(ConnectionMode::Uuu.weight_shape(2, 2, 2), vec![2]);
    /// ```
    pub fn weight_shape(self, mul1: usize, mul2: usize, mul_out: usize) -> Vec<usize> {
        match self {
            ConnectionMode::Uvw => vec![mul1, mul2, mul_out],
            ConnectionMode::Uvu | ConnectionMode::Uvv | ConnectionMode::Uvuv => vec![mul1, mul2],
            ConnectionMode::Uuw => vec![mul1, mul_out],
            ConnectionMode::Uuu => vec![mul1],
        }
    }

    /// The number of channel pairs summed into one output channel (e3nn's `num_elements`,
    /// the fan-in used by [`PathNormalization`]).
    ///
    /// ```text
    /// Uvw: mul1·mul2   Uvu: mul2   Uvv: mul1   Uuw: mul1   Uuu: 1   Uvuv: 1
    /// ```
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::ConnectionMode;
    /// assert_eq!(ConnectionMode::Uvw.fan_in(4, 5), 20);
    /// assert_eq!(ConnectionMode::Uvu.fan_in(4, 5), 5);
    /// ```
    pub const fn fan_in(self, mul1: usize, mul2: usize) -> usize {
        match self {
            ConnectionMode::Uvw => mul1 * mul2,
            ConnectionMode::Uvu => mul2,
            ConnectionMode::Uvv | ConnectionMode::Uuw => mul1,
            ConnectionMode::Uuu | ConnectionMode::Uvuv => 1,
        }
    }
}

impl fmt::Display for ConnectionMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ConnectionMode {
    type Err = crate::TensorProductError;

    /// e3nn's names; `"uvu<v"` and `"u<vw"` are not supported.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ConnectionMode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| crate::TensorProductError::UnknownMode {
                mode: s.to_string(),
            })
    }
}

/// One path of a tensor product: term `i_in1` of the first input times term `i_in2` of the
/// second, projected on the irrep of output term `i_out`, with channels connected by `mode`.
///
/// # Convention
/// e3nn's instruction tuple `(i_in1, i_in2, i_out, mode, has_weight, path_weight)`: indices
/// refer to the irreps *as given* (not simplified) and `path_weight` multiplies the
/// normalisation constant α under the square root (`CONVENTIONS.md#tensor-products`).
///
/// # Examples
/// ```
/// use racah_numeric::{ConnectionMode, Instruction};
/// let ins = Instruction::new(0, 1, 2, ConnectionMode::Uvu, true).with_path_weight(0.5);
/// assert_eq!((ins.i_in2, ins.path_weight), (1, 0.5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Instruction {
    /// Term of the first input.
    pub i_in1: usize,
    /// Term of the second input.
    pub i_in2: usize,
    /// Term of the output.
    pub i_out: usize,
    /// How channels are connected.
    pub mode: ConnectionMode,
    /// Whether the path has learnable weights.
    pub has_weight: bool,
    /// A fixed factor multiplying α (so the output scales by √path_weight); 1 by default.
    pub path_weight: f64,
}

impl Instruction {
    /// An instruction with path weight 1.
    pub const fn new(
        i_in1: usize,
        i_in2: usize,
        i_out: usize,
        mode: ConnectionMode,
        has_weight: bool,
    ) -> Self {
        Instruction {
            i_in1,
            i_in2,
            i_out,
            mode,
            has_weight,
            path_weight: 1.0,
        }
    }

    /// The same instruction with another path weight.
    pub const fn with_path_weight(self, path_weight: f64) -> Self {
        Instruction {
            path_weight,
            ..self
        }
    }
}

/// The normalisation assumed for the irreps of inputs and outputs: the factor of α.
///
/// ```text
/// Component: α ∝ 2l_out + 1            (each component has unit variance)
/// Norm:      α ∝ (2l1 + 1)(2l2 + 1)    (each irrep has unit norm)
/// None:      α ∝ 1
/// ```
///
/// # Convention
/// e3nn's `irrep_normalization`, default `"component"` (`CONVENTIONS.md#tensor-products`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum IrrepNormalization {
    /// e3nn's default: α ∝ 2l_out + 1.
    #[default]
    Component,
    /// α ∝ (2l1 + 1)(2l2 + 1).
    Norm,
    /// α ∝ 1: the bare coupling tensor of Frobenius norm 1.
    None,
}

/// How α is divided by the fan-in of each output term.
///
/// With `n(ins)` the [`ConnectionMode::fan_in`] of an instruction and the sums over the
/// instructions into the same output term:
///
/// ```text
/// Element: α /= Σ_{ins' → i_out} n(ins')
/// Path:    α /= n(ins) · #{ins' → i_out}
/// None:    α unchanged
/// ```
///
/// (no division when the divisor is 0). [`crate::Linear`] uses the same rule with the input
/// multiplicity as fan-in.
///
/// # Convention
/// e3nn's `path_normalization`, default `"element"` (`CONVENTIONS.md#tensor-products`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PathNormalization {
    /// e3nn's default: divide by the total fan-in of the output term.
    #[default]
    Element,
    /// Divide by the fan-in of the path times the number of paths into the output term.
    Path,
    /// No division.
    None,
}

/// The options of [`TensorProduct::new`](crate::TensorProduct::new), e3nn's defaults by
/// [`Default`].
///
/// # Examples
/// ```
/// use racah_numeric::{IrrepNormalization, PathNormalization, TensorProductOptions};
/// let o = TensorProductOptions::default();
/// assert_eq!(o.irrep_normalization, IrrepNormalization::Component);
/// assert_eq!(o.path_normalization, PathNormalization::Element);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TensorProductOptions {
    /// The irrep normalisation.
    pub irrep_normalization: IrrepNormalization,
    /// The path normalisation.
    pub path_normalization: PathNormalization,
}
