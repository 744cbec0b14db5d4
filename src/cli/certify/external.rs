//! An external model: a command that reads its inputs from `.npy` files and writes its outputs
//! as `.npy` files, certified as a black box (the protocol is described in
//! [`crate::cli::certify`]).

use super::command::{self, describe_status, tail, RunError};
use crate::cli::check::npy_read::{read_npy, Data, NdArray, NpyReadError};
use racah_core::Irreps;
use racah_numeric::Float;
use racah_proofs::certify::{
    CertInput, CertOutput, CertifiableModel, ModelError, ModelSignature, OutputSpec, Precision,
};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Version of the file protocol, written into `request.json`.
pub const PROTOCOL_VERSION: u32 = 1;

/// Why an external model could not be evaluated. Every message names the command or the file.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ExternalError {
    /// The engine asked for a precision the command does not run in.
    Precision {
        /// The precision asked for (`f32`, `f64`, `f64x2`).
        asked: &'static str,
        /// The command's dtype.
        dtype: Precision,
    },
    /// The inputs could not be written (or the I/O directory made).
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// `sh` could not start the command.
    Spawn {
        /// The command.
        command: String,
        /// The error.
        message: String,
    },
    /// The command exited with a non-zero status or was killed by a signal.
    Exit {
        /// The command.
        command: String,
        /// `exit status 3`, `signal 11 (segmentation fault)`, …
        status: String,
        /// The end of its stderr (or stdout).
        output: String,
    },
    /// The command ran longer than the timeout and was killed.
    Timeout {
        /// The command.
        command: String,
        /// The timeout in seconds.
        seconds: f64,
        /// The end of its stderr (or stdout) before the kill.
        output: String,
    },
    /// The command exited successfully but did not write an output file.
    Missing {
        /// The missing file.
        file: String,
        /// The files the I/O directory does hold.
        present: Vec<String>,
    },
    /// An output file is not a readable `.npy` file.
    Read(NpyReadError),
    /// An output file has the wrong dtype.
    Dtype {
        /// The file.
        file: String,
        /// Its dtype as numpy spells it.
        found: String,
        /// The dtype `request.json` asked for.
        expected: Precision,
    },
    /// An output file has the wrong shape.
    Shape {
        /// The file.
        file: String,
        /// Its shape, e.g. `(4, 2)`.
        found: String,
        /// The shape `request.json` asked for.
        expected: String,
        /// What the dimensions mean.
        meaning: String,
    },
    /// An output holds NaN or an infinity.
    NonFinite {
        /// The file.
        file: String,
        /// The value (`NaN`, `inf`, `-inf`).
        value: f64,
        /// Its index, e.g. `[1, 0, 2]`.
        index: String,
    },
}

impl fmt::Display for ExternalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let with_output = |f: &mut fmt::Formatter<'_>, output: &str| {
            if output.is_empty() {
                f.write_str(" (it printed nothing on stderr)")
            } else {
                write!(f, "; its output ends with:\n{}", indent(output))
            }
        };
        match self {
            ExternalError::Precision { asked, dtype } => write!(
                f,
                "an external model runs in one precision, {dtype} (--dtype), not {asked}"
            ),
            ExternalError::Io { path, message } => {
                write!(f, "cannot write {}: {message}", path.display())
            }
            ExternalError::Spawn { command, message } => {
                write!(f, "cannot run `{command}` with sh: {message}")
            }
            ExternalError::Exit {
                command,
                status,
                output,
            } => {
                write!(f, "external model `{command}` failed with {status}")?;
                with_output(f, output)
            }
            ExternalError::Timeout {
                command,
                seconds,
                output,
            } => {
                write!(
                    f,
                    "external model `{command}` timed out after {seconds} s and was killed \
                     (raise --timeout)"
                )?;
                with_output(f, output)
            }
            ExternalError::Missing { file, present } => write!(
                f,
                "external model did not write {file} (the directory holds: {})",
                present.join(", ")
            ),
            ExternalError::Read(e) => write!(f, "{e}"),
            ExternalError::Dtype {
                file,
                found,
                expected,
            } => write!(
                f,
                "{file}: dtype {found}, but request.json asks for {} ({expected})",
                match expected {
                    Precision::F32 => "float32 `<f4`",
                    _ => "float64 `<f8`",
                }
            ),
            ExternalError::Shape {
                file,
                found,
                expected,
                meaning,
            } => write!(f, "{file}: shape {found}, expected {expected} ({meaning})"),
            ExternalError::NonFinite { file, value, index } => {
                write!(f, "{file}: non-finite value {value} at index {index}")
            }
        }
    }
}

impl std::error::Error for ExternalError {}

impl From<ExternalError> for ModelError {
    fn from(e: ExternalError) -> Self {
        ModelError::new(e.to_string())
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A command certified as a black box through `.npy` files.
///
/// Each call of [`CertifiableModel::evaluate_batch`] makes a fresh directory, writes every
/// input of the batch into it, runs the command once and reads one `<name>.npy` per output.
#[derive(Debug)]
pub struct ExternalModel {
    /// The command line, run with `sh -c` and the I/O directory as its last argument.
    pub command: String,
    /// A name for reports.
    pub name: String,
    /// The species (atomic numbers) test structures are drawn from.
    pub species: Vec<u32>,
    /// The outputs and how they transform.
    pub outputs: Vec<OutputSpec>,
    /// Irreps of per-atom input features (`features.npy`), if the model takes any.
    pub input_features: Option<Irreps>,
    /// Whether the model accepts a periodic cell (`cell.npy`).
    pub periodic: bool,
    /// The one precision the command runs in: [`Precision::F64`] or [`Precision::F32`].
    pub dtype: Precision,
    /// How long one run may take.
    pub timeout: Duration,
    /// Where to make the I/O directories and keep them (default: the system's temporary
    /// directory, removed after each run).
    pub keep_io: Option<PathBuf>,
    runs: AtomicUsize,
}

impl ExternalModel {
    /// A model running `command` in `dtype` (f64 or f32) with the default 60 s timeout, no
    /// features, not periodic.
    pub fn new(
        command: impl Into<String>,
        species: Vec<u32>,
        outputs: Vec<OutputSpec>,
        dtype: Precision,
    ) -> Self {
        let command = command.into();
        ExternalModel {
            name: command.clone(),
            command,
            species,
            outputs,
            input_features: None,
            periodic: false,
            dtype,
            timeout: Duration::from_secs(60),
            keep_io: None,
            runs: AtomicUsize::new(0),
        }
    }

    /// How many times the command has run.
    pub fn runs(&self) -> usize {
        self.runs.load(Ordering::Relaxed)
    }

    fn fresh_dir(&self) -> Result<PathBuf, ExternalError> {
        // unique in the process even with several models at once
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        self.runs.fetch_add(1, Ordering::Relaxed);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let base = self.keep_io.clone().unwrap_or_else(std::env::temp_dir);
        let dir = base.join(format!("racah-io-{}-{n}", std::process::id()));
        if dir.exists() {
            let _ = fs::remove_dir_all(&dir);
        }
        fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        Ok(dir)
    }

    /// Runs the command once for inputs that share atom count, cell and features presence.
    fn run_group<T: Float>(
        &self,
        inputs: &[&CertInput<T>],
    ) -> Result<Vec<CertOutput<T>>, ExternalError> {
        let dir = self.fresh_dir()?;
        let result = self.run_in(&dir, inputs);
        if self.keep_io.is_none() {
            let _ = fs::remove_dir_all(&dir);
        }
        result
    }

    fn run_in<T: Float>(
        &self,
        dir: &Path,
        inputs: &[&CertInput<T>],
    ) -> Result<Vec<CertOutput<T>>, ExternalError> {
        write_inputs(dir, inputs, self)?;
        let finished = command::run(&self.command, dir, self.timeout).map_err(|e| match e {
            RunError::Spawn(message) => ExternalError::Spawn {
                command: self.command.clone(),
                message,
            },
            RunError::Timeout { output } => ExternalError::Timeout {
                command: self.command.clone(),
                seconds: self.timeout.as_secs_f64(),
                output,
            },
        })?;
        if !finished.status.success() {
            let output = if finished.stderr.trim().is_empty() {
                tail(&finished.stdout)
            } else {
                tail(&finished.stderr)
            };
            return Err(ExternalError::Exit {
                command: self.command.clone(),
                status: describe_status(&finished.status),
                output,
            });
        }
        let batch = inputs.len();
        let atoms = inputs[0].positions.len();
        let mut per_output = Vec::with_capacity(self.outputs.len());
        for spec in &self.outputs {
            per_output.push(read_output::<T>(dir, spec, batch, atoms, self.dtype)?);
        }
        Ok((0..batch)
            .map(|b| CertOutput {
                outputs: per_output.iter().map(|rows| rows[b].clone()).collect(),
                layers: Vec::new(),
            })
            .collect())
    }
}

fn io_err(path: &Path, e: impl fmt::Display) -> ExternalError {
    ExternalError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Writes one `.npy` file of `shape` with npyz's default dtype for `E`.
fn write_npy<E>(
    path: &Path,
    shape: &[u64],
    data: impl IntoIterator<Item = E>,
) -> Result<(), ExternalError>
where
    E: npyz::AutoSerialize,
{
    use npyz::WriterBuilder;
    let file = fs::File::create(path).map_err(|e| io_err(path, e))?;
    let mut w = npyz::WriteOptions::new()
        .default_dtype()
        .shape(shape)
        .writer(std::io::BufWriter::new(file))
        .begin_nd()
        .map_err(|e| io_err(path, e))?;
    w.extend(data).map_err(|e| io_err(path, e))?;
    w.finish().map_err(|e| io_err(path, e))
}

/// Writes floats in the model's dtype.
fn write_floats<T: Float>(
    path: &Path,
    shape: &[u64],
    values: impl Iterator<Item = T>,
    dtype: Precision,
) -> Result<(), ExternalError> {
    match dtype {
        // T is f32 here, so the conversion through f64 is exact
        Precision::F32 => write_npy(path, shape, values.map(|v| v.to_f64() as f32)),
        _ => write_npy(path, shape, values.map(Float::to_f64)),
    }
}

/// `positions.npy`, `species.npy`, optional `cell.npy` and `features.npy`, and `request.json`.
fn write_inputs<T: Float>(
    dir: &Path,
    inputs: &[&CertInput<T>],
    model: &ExternalModel,
) -> Result<(), ExternalError> {
    let b = inputs.len() as u64;
    let n = inputs[0].positions.len() as u64;
    let dtype = model.dtype;
    write_floats(
        &dir.join("positions.npy"),
        &[b, n, 3],
        inputs
            .iter()
            .flat_map(|x| x.positions.iter().flatten().copied()),
        dtype,
    )?;
    write_npy(
        &dir.join("species.npy"),
        &[b, n],
        inputs
            .iter()
            .flat_map(|x| x.species.iter().map(|&z| i64::from(z))),
    )?;
    let with_cell = inputs[0].cell.is_some();
    if with_cell {
        write_floats(
            &dir.join("cell.npy"),
            &[b, 3, 3],
            inputs
                .iter()
                .flat_map(|x| x.cell.iter().flatten().flatten().copied()),
            dtype,
        )?;
    }
    let features_dim = model.input_features.as_ref().map(Irreps::dim);
    let with_features = inputs[0].features.is_some();
    if with_features {
        let dim = features_dim.unwrap_or_else(|| {
            inputs[0].features.as_ref().map_or(0, Vec::len) / inputs[0].positions.len().max(1)
        });
        write_floats(
            &dir.join("features.npy"),
            &[b, n, dim as u64],
            inputs
                .iter()
                .flat_map(|x| x.features.iter().flatten().copied()),
            dtype,
        )?;
    }
    let outputs: Vec<serde_json::Value> = model
        .outputs
        .iter()
        .map(|o| {
            let dim = o.irreps.dim();
            let shape = if o.per_atom {
                vec![b as usize, n as usize, dim]
            } else {
                vec![b as usize, dim]
            };
            serde_json::json!({
                "name": o.name,
                "irreps": o.irreps.to_string(),
                "dim": dim,
                "per_atom": o.per_atom,
                "file": format!("{}.npy", o.name),
                "shape": shape,
            })
        })
        .collect();
    let request = serde_json::json!({
        "protocol": PROTOCOL_VERSION,
        "model": model.name,
        "batch": b,
        "atoms": n,
        "dtype": dtype.name(),
        "inputs": {
            "positions": "positions.npy",
            "species": "species.npy",
            "cell": if with_cell { Some("cell.npy") } else { None },
            "features": if with_features { Some("features.npy") } else { None },
            "features_irreps": model.input_features.as_ref().map(|i| i.to_string()),
        },
        "outputs": outputs,
    });
    let path = dir.join("request.json");
    let text = serde_json::to_string_pretty(&request).map_err(|e| io_err(&path, e))?;
    fs::write(&path, text + "\n").map_err(|e| io_err(&path, e))
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|it| {
            it.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Reads `<name>.npy` and splits it into one row block per copy of the batch.
///
/// Accepted shapes: `(batch, dim)` per structure and `(batch, atoms, dim)` per atom; when
/// `dim` is 1 the last axis may be left out.
fn read_output<T: Float>(
    dir: &Path,
    spec: &OutputSpec,
    batch: usize,
    atoms: usize,
    dtype: Precision,
) -> Result<Vec<Vec<T>>, ExternalError> {
    let file = format!("{}.npy", spec.name);
    let path = dir.join(&file);
    if !path.exists() {
        return Err(ExternalError::Missing {
            file,
            present: listing(dir),
        });
    }
    let array = read_npy(&path).map_err(ExternalError::Read)?;
    let values = check_output_array(&array, &file, spec, batch, atoms, dtype)?;
    let per_copy = values.len() / batch.max(1);
    Ok(values
        .chunks(per_copy.max(1))
        .take(batch)
        .map(|c| c.iter().map(|&v| T::from_f64(v)).collect())
        .collect())
}

/// The array's values as f64 after checking dtype, shape and finiteness.
fn check_output_array(
    array: &NdArray,
    file: &str,
    spec: &OutputSpec,
    batch: usize,
    atoms: usize,
    dtype: Precision,
) -> Result<Vec<f64>, ExternalError> {
    let values: Vec<f64> = match (&array.data, dtype) {
        (Data::F64(v), Precision::F64) => v.clone(),
        (Data::F32(v), Precision::F32) => v.iter().map(|&x| f64::from(x)).collect(),
        _ => {
            return Err(ExternalError::Dtype {
                file: file.to_string(),
                found: array.dtype.clone(),
                expected: dtype,
            })
        }
    };
    let dim = spec.irreps.dim();
    let (full, short, meaning) = if spec.per_atom {
        (
            vec![batch, atoms, dim],
            vec![batch, atoms],
            format!("batch {batch} × atoms {atoms} × {} ({})", dim, spec.irreps),
        )
    } else {
        (
            vec![batch, dim],
            vec![batch],
            format!("batch {batch} × {} ({})", dim, spec.irreps),
        )
    };
    if array.shape != full && !(dim == 1 && array.shape == short) {
        return Err(ExternalError::Shape {
            file: file.to_string(),
            found: array.shape_text(),
            expected: crate::cli::check::npy_read::shape_text(&full),
            meaning,
        });
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(ExternalError::NonFinite {
            file: file.to_string(),
            value: values[i],
            index: array.index_text(i),
        });
    }
    Ok(values)
}

impl CertifiableModel for ExternalModel {
    fn signature(&self) -> ModelSignature {
        ModelSignature {
            name: self.name.clone(),
            species: self.species.clone(),
            input_features: self.input_features.clone(),
            outputs: self.outputs.clone(),
            precisions: vec![self.dtype],
            periodic: self.periodic,
        }
    }

    fn evaluate<T: Float>(&self, input: &CertInput<T>) -> Result<CertOutput<T>, ModelError> {
        let mut out = self.evaluate_batch(std::slice::from_ref(input))?;
        Ok(out.remove(0))
    }

    /// Runs the command once per group of inputs with the same number of atoms and the same
    /// presence of cell and features (normally once for the whole batch).
    fn evaluate_batch<T: Float>(
        &self,
        inputs: &[CertInput<T>],
    ) -> Result<Vec<CertOutput<T>>, ModelError> {
        if T::NAME != self.dtype.name() {
            return Err(ExternalError::Precision {
                asked: T::NAME,
                dtype: self.dtype,
            }
            .into());
        }
        let mut groups: Vec<((usize, bool, bool), Vec<usize>)> = Vec::new();
        for (i, x) in inputs.iter().enumerate() {
            let key = (x.positions.len(), x.cell.is_some(), x.features.is_some());
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(i),
                None => groups.push((key, vec![i])),
            }
        }
        let mut out: Vec<Option<CertOutput<T>>> = vec![None; inputs.len()];
        for (_, idx) in groups {
            let group: Vec<&CertInput<T>> = idx.iter().map(|&i| &inputs[i]).collect();
            for (i, o) in idx.into_iter().zip(self.run_group(&group)?) {
                out[i] = Some(o);
            }
        }
        Ok(out.into_iter().flatten().collect())
    }
}
