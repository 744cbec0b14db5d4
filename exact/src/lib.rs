//! racah-exact: exact angular-momentum coupling coefficients.
#![forbid(unsafe_code)]

mod arith;
mod block;
mod cg;
mod error;
mod factorial;
mod fast;
mod nine_j;
mod racah_sum;
mod racah_w;
mod rounding;
mod six_j;
mod spins;
mod sqrt_rational;
mod sqrt_sum;
mod three_j;

pub use block::{cg_block, cg_block_f64, cg_block_with, CgBlock};
pub use cg::Cg;
pub use error::ExactError;
pub use factorial::FactorialCache;
pub use nine_j::NineJ;
pub use racah_w::RacahW;
pub use rounding::{sqrt_ratio_to_f32, sqrt_ratio_to_f64};
pub use six_j::SixJ;
pub use sqrt_rational::SqrtRational;
pub use sqrt_sum::SqrtSum;
pub use three_j::ThreeJ;
