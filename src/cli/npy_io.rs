//! Writing numeric tables as NumPy `.npy` files and `.npz` archives (via npyz).

use anyhow::{Context, Result};
use npyz::WriterBuilder;
use std::path::Path;

/// An array to write: a name (the `.npz` key or file stem), a shape and row-major data.
pub enum Array {
    /// float64 data.
    F64 {
        /// Key / stem.
        name: String,
        /// Shape.
        shape: Vec<u64>,
        /// Row-major values.
        data: Vec<f64>,
    },
    /// int64 data.
    I64 {
        /// Key / stem.
        name: String,
        /// Shape.
        shape: Vec<u64>,
        /// Row-major values.
        data: Vec<i64>,
    },
}

impl Array {
    fn name(&self) -> &str {
        match self {
            Array::F64 { name, .. } | Array::I64 { name, .. } => name,
        }
    }
}

/// Writes several arrays into one `.npz` archive, keyed by their names.
pub fn write_npz(path: &Path, arrays: &[Array]) -> Result<()> {
    let mut npz = npyz::npz::NpzWriter::create(path)
        .with_context(|| format!("creating {}", path.display()))?;
    for a in arrays {
        match a {
            Array::F64 { shape, data, .. } => {
                let mut w = npz
                    .array::<f64>(a.name(), Default::default())?
                    .default_dtype()
                    .shape(shape)
                    .begin_nd()?;
                w.extend(data.iter().copied())?;
                w.finish()?;
            }
            Array::I64 { shape, data, .. } => {
                let mut w = npz
                    .array::<i64>(a.name(), Default::default())?
                    .default_dtype()
                    .shape(shape)
                    .begin_nd()?;
                w.extend(data.iter().copied())?;
                w.finish()?;
            }
        }
    }
    Ok(())
}
