//! `racah table real-cg`: e3nn real-basis coupling tensors.

use super::table::TableArgs;
use anyhow::{bail, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes the real-basis tables; returns the files written and the number of tensors.
pub fn write_real_cg_table(
    args: &TableArgs,
    _sink: &mut dyn Write,
    _dir: Option<&Path>,
) -> Result<(Vec<PathBuf>, usize)> {
    bail!("real-cg tables (lmax {}) are not available yet", args.lmax)
}
