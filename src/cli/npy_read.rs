//! Reading NumPy `.npy` files and `.npz` archives robustly: every problem (not an npy file, a
//! truncated file, an unsupported dtype, a structured or pickled array) is an error that names
//! the file and the problem.

use npyz::{DType, NpyHeader, Order, TypeChar};
use std::fmt;
use std::io::{Cursor, Read};
use std::path::Path;

/// Why an array could not be read. Every message starts with the file (and, in an archive,
/// the array's name).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NpyReadError {
    /// The file could not be read.
    Io {
        /// The file.
        source_name: String,
        /// The I/O error.
        message: String,
    },
    /// The bytes are not an `.npy` file or the header is malformed.
    NotNpy {
        /// The file (or `archive.npz:name`).
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// The file is not a valid `.npz` (zip) archive.
    NotNpz {
        /// The file.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// The data is shorter (or longer) than the header declares.
    Truncated {
        /// The file.
        source_name: String,
        /// The declared shape.
        shape: Vec<usize>,
        /// The declared dtype.
        dtype: String,
        /// Bytes of data the header declares.
        expected: usize,
        /// Bytes present.
        got: usize,
    },
    /// The dtype is not a real number type racah reads.
    Dtype {
        /// The file.
        source_name: String,
        /// The dtype as numpy spells it (`<c16`, `|O`, …).
        dtype: String,
        /// What is supported instead.
        why: String,
    },
}

impl fmt::Display for NpyReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NpyReadError::Io {
                source_name,
                message,
            } => {
                write!(f, "{source_name}: cannot read: {message}")
            }
            NpyReadError::NotNpy {
                source_name,
                message,
            } => {
                write!(f, "{source_name}: not a valid .npy file: {message}")
            }
            NpyReadError::NotNpz {
                source_name,
                message,
            } => {
                write!(f, "{source_name}: not a valid .npz archive: {message}")
            }
            NpyReadError::Truncated {
                source_name,
                shape,
                dtype,
                expected,
                got,
            } => write!(
                f,
                "{source_name}: truncated or corrupt: the header declares shape {} of {dtype} \
                 ({expected} bytes of data), the file holds {got}",
                shape_text(shape)
            ),
            NpyReadError::Dtype {
                source_name,
                dtype,
                why,
            } => {
                write!(f, "{source_name}: unsupported dtype {dtype}: {why}")
            }
        }
    }
}

impl std::error::Error for NpyReadError {}

/// The element data of an array, widened to one of three types.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    /// float32.
    F32(Vec<f32>),
    /// float64.
    F64(Vec<f64>),
    /// Any integer type, widened to i64.
    Int(Vec<i64>),
}

/// An array read from a file: its name (the `.npz` key or the file stem), where it came from,
/// its shape and row-major data.
#[derive(Debug, Clone, PartialEq)]
pub struct NdArray {
    /// The `.npz` key, JSON key or `.npy` file stem.
    pub name: String,
    /// The file, or `archive.npz:key`, for messages.
    pub source: String,
    /// Shape (C order).
    pub shape: Vec<usize>,
    /// Row-major data.
    pub data: Data,
    /// The dtype as written in the file (`<f8`, `<i4`, …; `json` for JSON input).
    pub dtype: String,
}

impl NdArray {
    /// The shape as numpy prints it, e.g. `(10, 3)`.
    pub fn shape_text(&self) -> String {
        shape_text(&self.shape)
    }

    /// Whether the data are f32.
    pub fn is_f32(&self) -> bool {
        matches!(self.data, Data::F32(_))
    }

    /// The multi-index of flat position `i`, e.g. `[2, 5]`.
    pub fn index_text(&self, i: usize) -> String {
        let mut idx = vec![0; self.shape.len()];
        let mut r = i;
        for (k, &n) in self.shape.iter().enumerate().rev() {
            if n > 0 {
                idx[k] = r % n;
                r /= n;
            }
        }
        format!("{idx:?}")
    }

    /// The data as f64 (f32 and integers widened exactly).
    ///
    /// # Errors
    /// For a NaN or infinite value or an integer beyond 2^53, naming the file and the index.
    pub fn to_f64(&self) -> anyhow::Result<Vec<f64>> {
        let v: Vec<f64> = match &self.data {
            Data::F32(v) => v.iter().map(|&x| f64::from(x)).collect(),
            Data::F64(v) => v.clone(),
            Data::Int(v) => {
                if let Some(i) = v.iter().position(|x| x.unsigned_abs() > 1 << 53) {
                    anyhow::bail!(
                        "{}: integer {} at {} is too large to compare as a float",
                        self.source,
                        v[i],
                        self.index_text(i)
                    );
                }
                v.iter().map(|&x| x as f64).collect()
            }
        };
        if let Some(i) = v.iter().position(|x| !x.is_finite()) {
            anyhow::bail!(
                "{}: non-finite value {} at {}",
                self.source,
                v[i],
                self.index_text(i)
            );
        }
        Ok(v)
    }

    /// The data as integers (floats accepted when every value is an integer).
    ///
    /// # Errors
    /// For a float that is not an integer, naming its index and value.
    pub fn to_i64(&self) -> anyhow::Result<Vec<i64>> {
        let from_float = |v: Vec<f64>| -> anyhow::Result<Vec<i64>> {
            v.iter()
                .enumerate()
                .map(|(i, &x)| {
                    if x.is_finite() && x.fract() == 0.0 && x.abs() < 9e15 {
                        Ok(x as i64)
                    } else {
                        anyhow::bail!(
                            "{}: value {x} at {} is not an integer",
                            self.source,
                            self.index_text(i)
                        )
                    }
                })
                .collect()
        };
        match &self.data {
            Data::Int(v) => Ok(v.clone()),
            _ => from_float(self.to_f64()?),
        }
    }
}

/// `(a, b, c)`, with numpy's trailing comma for one dimension.
pub fn shape_text(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => {
            let s: Vec<String> = shape.iter().map(|n| n.to_string()).collect();
            format!("({})", s.join(", "))
        }
    }
}

/// Reverses Fortran order into C order.
fn to_c_order<T: Copy>(data: Vec<T>, shape: &[usize]) -> Vec<T> {
    if shape.len() < 2 {
        return data;
    }
    let n = data.len();
    let mut out = Vec::with_capacity(n);
    let mut idx = vec![0usize; shape.len()];
    // Fortran strides
    let mut strides = vec![1usize; shape.len()];
    for k in 1..shape.len() {
        strides[k] = strides[k - 1] * shape[k - 1];
    }
    for _ in 0..n {
        let f: usize = idx.iter().zip(&strides).map(|(i, s)| i * s).sum();
        out.push(data[f]);
        for k in (0..shape.len()).rev() {
            idx[k] += 1;
            if idx[k] < shape[k] {
                break;
            }
            idx[k] = 0;
        }
    }
    out
}

/// Parses the bytes of one `.npy` file.
///
/// # Errors
/// [`NpyReadError`] naming `source` and the problem.
pub fn parse_npy(bytes: &[u8], source: &str, name: &str) -> Result<NdArray, NpyReadError> {
    let not_npy = |message: String| NpyReadError::NotNpy {
        source_name: source.to_string(),
        message,
    };
    if !bytes.starts_with(b"\x93NUMPY") {
        return Err(not_npy(
            "it does not start with the .npy magic bytes \\x93NUMPY".to_string(),
        ));
    }
    let mut cur = Cursor::new(bytes);
    let header =
        NpyHeader::from_reader(&mut cur).map_err(|e| not_npy(format!("bad header: {e}")))?;
    let offset = cur.position() as usize;
    let dtype = header.dtype();
    let descr = dtype.descr().trim_matches('\'').to_string();
    let bad_dtype = |why: &str| NpyReadError::Dtype {
        source_name: source.to_string(),
        dtype: descr.clone(),
        why: why.to_string(),
    };
    let ts = match &dtype {
        DType::Plain(ts) => ts.clone(),
        _ => {
            return Err(bad_dtype(
                "structured arrays are not supported (expected float32 or float64)",
            ))
        }
    };
    let size = ts.size_field() as usize;
    let kind = ts.type_char();
    let ok = match kind {
        TypeChar::Float => size == 4 || size == 8,
        TypeChar::Int | TypeChar::Uint => matches!(size, 1 | 2 | 4 | 8),
        _ => false,
    };
    if !ok {
        let why = match kind {
            TypeChar::Complex => "complex values are not supported (expected float32 or float64)",
            TypeChar::Object => {
                "pickled Python objects are not supported (expected float32 or float64)"
            }
            TypeChar::Float => "only float32 and float64 are supported",
            TypeChar::Bool => "booleans are not numbers (expected float32, float64 or integers)",
            _ => "expected float32, float64 or an integer type",
        };
        return Err(bad_dtype(why));
    }
    let shape: Vec<usize> = header.shape().iter().map(|&n| n as usize).collect();
    let count: usize = shape.iter().product();
    let expected = count * size;
    let got = bytes.len() - offset;
    if got != expected {
        return Err(NpyReadError::Truncated {
            source_name: source.to_string(),
            shape,
            dtype: descr,
            expected,
            got,
        });
    }
    let fortran = header.order() == Order::Fortran;
    let file = npyz::NpyFile::with_header(header, &bytes[offset..]);
    let io = |e: std::io::Error| not_npy(format!("cannot decode the data: {e}"));
    fn c<T: Copy>(v: Vec<T>, fortran: bool, shape: &[usize]) -> Vec<T> {
        if fortran {
            to_c_order(v, shape)
        } else {
            v
        }
    }
    let data = match (kind, size) {
        (TypeChar::Float, 4) => Data::F32(c(file.into_vec::<f32>().map_err(io)?, fortran, &shape)),
        (TypeChar::Float, _) => Data::F64(c(file.into_vec::<f64>().map_err(io)?, fortran, &shape)),
        (TypeChar::Int, 1) => Data::Int(
            file.into_vec::<i8>()
                .map_err(io)?
                .into_iter()
                .map(i64::from)
                .collect(),
        ),
        (TypeChar::Int, 2) => Data::Int(
            file.into_vec::<i16>()
                .map_err(io)?
                .into_iter()
                .map(i64::from)
                .collect(),
        ),
        (TypeChar::Int, 4) => Data::Int(
            file.into_vec::<i32>()
                .map_err(io)?
                .into_iter()
                .map(i64::from)
                .collect(),
        ),
        (TypeChar::Int, _) => Data::Int(file.into_vec::<i64>().map_err(io)?),
        (_, 1) => Data::Int(
            file.into_vec::<u8>()
                .map_err(io)?
                .into_iter()
                .map(i64::from)
                .collect(),
        ),
        (_, 2) => Data::Int(
            file.into_vec::<u16>()
                .map_err(io)?
                .into_iter()
                .map(i64::from)
                .collect(),
        ),
        (_, 4) => Data::Int(
            file.into_vec::<u32>()
                .map_err(io)?
                .into_iter()
                .map(i64::from)
                .collect(),
        ),
        (_, _) => Data::Int(
            file.into_vec::<u64>()
                .map_err(io)?
                .into_iter()
                .map(|x| i64::try_from(x).unwrap_or(i64::MAX))
                .collect(),
        ),
    };
    let data = match data {
        Data::Int(v) if fortran => Data::Int(to_c_order(v, &shape)),
        d => d,
    };
    Ok(NdArray {
        name: name.to_string(),
        source: source.to_string(),
        shape,
        data,
        dtype: descr,
    })
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, NpyReadError> {
    std::fs::read(path).map_err(|e| NpyReadError::Io {
        source_name: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Reads one `.npy` file; the array is named by the file stem.
///
/// # Errors
/// [`NpyReadError`] naming the file.
pub fn read_npy(path: &Path) -> Result<NdArray, NpyReadError> {
    let bytes = read_bytes(path)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    parse_npy(&bytes, &path.display().to_string(), &stem)
}

/// Reads every array of an `.npz` archive, in archive order.
///
/// # Errors
/// [`NpyReadError`] naming the archive (and the array).
pub fn read_npz(path: &Path) -> Result<Vec<NdArray>, NpyReadError> {
    let src = path.display().to_string();
    let not_npz = |message: String| NpyReadError::NotNpz {
        source_name: src.clone(),
        message,
    };
    // read the file first so that a missing file is an I/O error, not a zip error
    let bytes = read_bytes(path)?;
    let mut archive =
        npyz::npz::NpzArchive::new(Cursor::new(bytes)).map_err(|e| not_npz(e.to_string()))?;
    // by index: the archive's own order (numpy's keyword order), not a hash order
    let zip = archive.zip_archive();
    let mut out = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| not_npz(format!("entry {i}: {e}")))?;
        let file_name = entry.name().to_string();
        let name = npyz::npz::array_name_from_file_name(&file_name)
            .unwrap_or(&file_name)
            .to_string();
        let mut buf = Vec::new();
        entry
            .read_to_end(&mut buf)
            .map_err(|e| not_npz(format!("array {name}: {e}")))?;
        drop(entry);
        out.push(parse_npy(&buf, &format!("{src}:{name}"), &name)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal .npy v1.0 file.
    fn npy(descr: &str, fortran: bool, shape: &str, data: &[u8]) -> Vec<u8> {
        let mut h = format!(
            "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}",
            if fortran { "True" } else { "False" }
        );
        while (10 + h.len() + 1) % 64 != 0 {
            h.push(' ');
        }
        h.push('\n');
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend_from_slice(&(h.len() as u16).to_le_bytes());
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(data);
        out
    }

    fn f64_bytes(v: &[f64]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    #[test]
    fn test_parse_npy() {
        let b = npy(
            "<f8",
            false,
            "(2, 3)",
            &f64_bytes(&[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]),
        );
        let a = parse_npy(&b, "a.npy", "a").unwrap();
        assert_eq!(a.shape, vec![2, 3]);
        assert_eq!(a.data, Data::F64(vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]));
        // Fortran order: column-major data read back in C order
        let b = npy(
            "<f8",
            true,
            "(2, 3)",
            &f64_bytes(&[0.0, 3.0, 1.0, 4.0, 2.0, 5.0]),
        );
        assert_eq!(
            parse_npy(&b, "f.npy", "f").unwrap().data,
            Data::F64(vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
        );
        let b = npy("<i4", false, "(2,)", &[7, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff]);
        assert_eq!(
            parse_npy(&b, "i.npy", "i").unwrap().to_i64().unwrap(),
            vec![7, -2]
        );
        let b = npy(">f4", false, "(1,)", &1.5f32.to_be_bytes());
        let a = parse_npy(&b, "be.npy", "be").unwrap();
        assert!(a.is_f32());
        assert_eq!(a.to_f64().unwrap(), vec![1.5]);
        assert_eq!(shape_text(&[4]), "(4,)");
    }

    #[test]
    fn bad_npy_files_name_the_problem() {
        let e = parse_npy(b"PK\x03\x04", "x.npy", "x")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("x.npy: not a valid .npy file") && e.contains("magic"),
            "{e}"
        );
        let full = npy("<f8", false, "(10, 3)", &f64_bytes(&[1.0; 30]));
        let e = parse_npy(&full[..full.len() - 20], "t.npy", "t")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("t.npy: truncated") && e.contains("240 bytes") && e.contains("220"),
            "{e}"
        );
        let e = parse_npy(&npy("<c16", false, "(1,)", &[0; 16]), "c.npy", "c")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("c.npy: unsupported dtype <c16") && e.contains("complex"),
            "{e}"
        );
        let e = parse_npy(&npy("|b1", false, "(1,)", &[1]), "b.npy", "b")
            .unwrap_err()
            .to_string();
        assert!(e.contains("b.npy") && e.contains("|b1"), "{e}");
        let e = parse_npy(&npy("<f2", false, "(1,)", &[0, 0]), "h.npy", "h")
            .unwrap_err()
            .to_string();
        assert!(e.contains("<f2"), "{e}");
        let e = parse_npy(&full[..12], "h.npy", "h")
            .unwrap_err()
            .to_string();
        assert!(e.contains("h.npy: not a valid .npy file"), "{e}");
        let b = npy("<f8", false, "(2,)", &f64_bytes(&[1.5, 2.0]));
        let e = parse_npy(&b, "n.npy", "n")
            .unwrap()
            .to_i64()
            .unwrap_err()
            .to_string();
        assert!(e.contains("n.npy: value 1.5 at [0]"), "{e}");
    }

    #[test]
    fn reads_files_and_archives() {
        let dir = std::env::temp_dir().join(format!("racah-npy-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("points.npy");
        std::fs::write(
            &p,
            npy("<f8", false, "(1, 3)", &f64_bytes(&[0.0, 0.0, 1.0])),
        )
        .unwrap();
        let a = read_npy(&p).unwrap();
        assert_eq!((a.name.as_str(), a.shape.clone()), ("points", vec![1, 3]));
        let e = read_npy(&dir.join("missing.npy")).unwrap_err().to_string();
        assert!(e.contains("missing.npy: cannot read"), "{e}");
        let z = dir.join("t.npz");
        crate::cli::npy_io::write_npz(
            &z,
            &[crate::cli::npy_io::Array::F64 {
                name: "values".into(),
                shape: vec![2],
                data: vec![1.0, 2.0],
            }],
        )
        .unwrap();
        let arrays = read_npz(&z).unwrap();
        assert_eq!(arrays[0].name, "values");
        assert_eq!(arrays[0].source, format!("{}:values", z.display()));
        let e = read_npz(&p).unwrap_err().to_string();
        assert!(e.contains("not a valid .npz archive"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
