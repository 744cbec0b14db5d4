//! Machine-integer fast paths. Each agrees exactly with the big-integer route, which it falls
//! back to on overflow; the agreement is tested exhaustively for small spins.

pub(crate) mod dd;
pub(crate) mod sum;
pub(crate) mod table;

#[cfg(test)]
mod tests;
