//! Integration tests of racah-core, one binary (as nalgebra): properties against independent
//! oracles, using the crate's own `testing` strategies.

mod characters;
mod fusion;
mod irreps;
mod oracle;
mod product;
