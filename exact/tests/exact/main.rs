//! racah-exact integration tests, one binary: golden values, exhaustive identities for 2j ≤ 8,
//! seeded properties up to 2j ≤ 60, correct rounding against MPFR, large-j smoke tests.

mod common;
mod golden;
mod identities;
mod properties;
mod rounding;
