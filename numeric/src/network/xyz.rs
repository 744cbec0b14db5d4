//! Structures from XYZ text: one or more frames of
//!
//! ```text
//! N
//! comment (optionally extended XYZ: Lattice="ax ay az bx by bz cx cy cz")
//! Symbol x y z      (N lines; the symbol may be an atomic number; extra columns are ignored)
//! ```

use super::elements::atomic_number;
use super::{NetworkError, Structure};

/// One frame of an XYZ file.
#[derive(Debug, Clone, PartialEq)]
pub struct XyzFrame {
    /// The comment line.
    pub comment: String,
    /// The structure (periodic when the comment has a `Lattice="…"`).
    pub structure: Structure<f64>,
}

fn bad(line: usize, message: String) -> NetworkError {
    NetworkError::Spec {
        field: format!("xyz line {line}"),
        message,
    }
}

/// Parses every frame.
///
/// # Errors
/// [`NetworkError::Spec`] naming the line for a bad atom count, a missing or non-numeric
/// coordinate, an unknown element, a short file or a malformed lattice;
/// [`NetworkError::NonFinite`] for NaN or infinite coordinates.
///
/// # Examples
/// ```
/// use racah_numeric::network::parse_xyz;
/// let frames = parse_xyz("2\nH2\nH 0 0 0\nH 0.74 0 0\n")?;
/// assert_eq!(frames[0].structure.species, vec![1, 1]);
/// assert!(parse_xyz("2\nH2\nH 0 0 0\n").is_err());
/// # Ok::<(), racah_numeric::network::NetworkError>(())
/// ```
pub fn parse_xyz(text: &str) -> Result<Vec<XyzFrame>, NetworkError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut frames = Vec::new();
    let mut k = 0;
    while k < lines.len() {
        if lines[k].trim().is_empty() {
            k += 1;
            continue;
        }
        let n: usize = lines[k]
            .trim()
            .parse()
            .map_err(|_| bad(k + 1, format!("{:?} is not an atom count", lines[k].trim())))?;
        let comment = lines
            .get(k + 1)
            .ok_or_else(|| bad(k + 2, "missing comment line".into()))?
            .to_string();
        let cell = lattice(&comment).map_err(|m| bad(k + 2, m))?;
        let mut positions = Vec::with_capacity(n);
        let mut species = Vec::with_capacity(n);
        for a in 0..n {
            let ln = k + 2 + a;
            let line = lines.get(ln).ok_or_else(|| {
                bad(
                    ln + 1,
                    format!("the frame declares {n} atoms but the file ends after {a}"),
                )
            })?;
            let mut cols = line.split_whitespace();
            let sym = cols
                .next()
                .ok_or_else(|| bad(ln + 1, "empty atom line".into()))?;
            species.push(atomic_number(sym)?);
            let mut p = [0.0; 3];
            for (c, v) in p.iter_mut().enumerate() {
                let s = cols.next().ok_or_else(|| {
                    bad(
                        ln + 1,
                        format!("missing coordinate {}", "xyz".as_bytes()[c] as char),
                    )
                })?;
                *v = s
                    .parse()
                    .map_err(|_| bad(ln + 1, format!("{s:?} is not a number")))?;
            }
            positions.push(p);
        }
        frames.push(XyzFrame {
            comment,
            structure: Structure::new(positions, species, cell)?,
        });
        k += 2 + n;
    }
    Ok(frames)
}

fn lattice(comment: &str) -> Result<Option<[[f64; 3]; 3]>, String> {
    let Some(start) = comment.find("Lattice=\"") else {
        return Ok(None);
    };
    let rest = &comment[start + 9..];
    let end = rest
        .find('"')
        .ok_or_else(|| "unterminated Lattice=\"…\"".to_string())?;
    let v: Vec<f64> = rest[..end]
        .split_whitespace()
        .map(|s| {
            s.parse::<f64>()
                .map_err(|_| format!("lattice entry {s:?} is not a number"))
        })
        .collect::<Result<_, _>>()?;
    if v.len() != 9 {
        return Err(format!("Lattice has {} numbers, expected 9", v.len()));
    }
    Ok(Some([
        [v[0], v[1], v[2]],
        [v[3], v[4], v[5]],
        [v[6], v[7], v[8]],
    ]))
}
