//! Output declarations of an external model on the command line: `--output energy=1x0e`
//! (one row per structure) and `--atom-output forces=1x1o` (one row per atom).

use racah_core::Irreps;
use racah_proofs::certify::OutputSpec;
use std::fmt;

/// Why an output declaration was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeclareError {
    /// No `=` between name and irreps.
    MissingIrreps {
        /// The declaration as given.
        given: String,
    },
    /// The name is empty or not usable as a file stem (`<name>.npy`).
    BadName {
        /// The name.
        name: String,
    },
    /// The irreps do not parse.
    BadIrreps {
        /// The output's name.
        name: String,
        /// The parser's message.
        message: String,
    },
    /// The irreps are empty (dimension 0).
    Empty {
        /// The output's name.
        name: String,
    },
    /// Two outputs with the same name.
    Duplicate {
        /// The name.
        name: String,
    },
    /// No output declared at all.
    NoOutputs,
}

impl fmt::Display for DeclareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeclareError::MissingIrreps { given } => {
                write!(
                    f,
                    "output `{given}` has no irreps: write NAME=IRREPS, e.g. energy=1x0e"
                )
            }
            DeclareError::BadName { name } => write!(
                f,
                "output name `{name}` must be non-empty and use only letters, digits, `_`, `-` \
                 and `.` (it names the file {name}.npy)"
            ),
            DeclareError::BadIrreps { name, message } => {
                write!(f, "irreps of output `{name}`: {message}")
            }
            DeclareError::Empty { name } => write!(f, "output `{name}` has no components"),
            DeclareError::Duplicate { name } => write!(f, "output `{name}` is declared twice"),
            DeclareError::NoOutputs => f.write_str(
                "no output declared: give at least one --output NAME=IRREPS or \
                 --atom-output NAME=IRREPS",
            ),
        }
    }
}

impl std::error::Error for DeclareError {}

/// One declaration `NAME=IRREPS`, per structure or per atom.
///
/// # Errors
/// [`DeclareError`] naming the declaration: no `=`, a name that is not a plain file stem, or
/// irreps that do not parse or are empty.
pub fn parse_output(given: &str, per_atom: bool) -> Result<OutputSpec, DeclareError> {
    let (name, irreps) = given
        .split_once('=')
        .ok_or_else(|| DeclareError::MissingIrreps {
            given: given.to_string(),
        })?;
    let name = name.trim();
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    if name.is_empty() || name.starts_with('.') || !name.chars().all(plain) {
        return Err(DeclareError::BadName {
            name: name.to_string(),
        });
    }
    let irreps: Irreps =
        irreps
            .trim()
            .parse()
            .map_err(|e: racah_core::CoreError| DeclareError::BadIrreps {
                name: name.to_string(),
                message: e.to_string(),
            })?;
    if irreps.dim() == 0 {
        return Err(DeclareError::Empty {
            name: name.to_string(),
        });
    }
    Ok(OutputSpec {
        name: name.to_string(),
        irreps,
        per_atom,
    })
}

/// All declarations: per-structure outputs first, then per-atom ones, each in the order given.
///
/// # Errors
/// The first bad declaration, a duplicate name, or [`DeclareError::NoOutputs`].
pub fn parse_outputs(
    per_structure: &[String],
    per_atom: &[String],
) -> Result<Vec<OutputSpec>, DeclareError> {
    let mut out: Vec<OutputSpec> = Vec::new();
    let all = per_structure
        .iter()
        .map(|g| (g, false))
        .chain(per_atom.iter().map(|g| (g, true)));
    for (given, atom) in all {
        let spec = parse_output(given, atom)?;
        if out.iter().any(|o| o.name == spec.name) {
            return Err(DeclareError::Duplicate { name: spec.name });
        }
        out.push(spec);
    }
    if out.is_empty() {
        return Err(DeclareError::NoOutputs);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn test_parse_outputs() {
        let o = parse_outputs(
            &["energy=1x0e".into()],
            &["forces = 1x1o".into(), "q=2x0e+1x2e".into()],
        )
        .unwrap();
        assert_eq!(o.len(), 3);
        assert_eq!((o[0].name.as_str(), o[0].per_atom), ("energy", false));
        assert_eq!(o[0].irreps.to_string(), "1x0e");
        assert_eq!((o[1].name.as_str(), o[1].per_atom), ("forces", true));
        assert_eq!(o[1].irreps.dim(), 3);
        assert_eq!(o[2].irreps.dim(), 7);
    }

    #[test]
    fn parse_outputs_rejects_bad_declarations() {
        let e = |s: &str| parse_output(s, false).unwrap_err().to_string();
        assert_eq!(
            e("energy"),
            "output `energy` has no irreps: write NAME=IRREPS, e.g. energy=1x0e"
        );
        assert!(e("../x=1x0e").starts_with("output name `../x`"));
        assert!(e("=1x0e").starts_with("output name ``"));
        assert!(e(".hidden=1x0e").starts_with("output name `.hidden`"));
        assert!(
            e("e=1x0q").starts_with("irreps of output `e`:"),
            "{}",
            e("e=1x0q")
        );
        assert_eq!(e("e=0x0e"), "output `e` has no components");
        assert_eq!(
            parse_outputs(&["e=0e".into()], &["e=1o".into()])
                .unwrap_err()
                .to_string(),
            "output `e` is declared twice"
        );
        assert_eq!(
            parse_outputs(&[], &[]).unwrap_err(),
            DeclareError::NoOutputs
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(3), ..ProptestConfig::default() })]

        #[test]
        fn parse_output_properties(name in "[a-z][a-z0-9_]{0,8}", l in 0u32..5, odd: bool, mul in 1u32..4, atom: bool) {
            let irreps = format!("{mul}x{l}{}", if odd { 'o' } else { 'e' });
            let spec = parse_output(&format!("{name}={irreps}"), atom).unwrap();
            prop_assert_eq!(&spec.name, &name);
            prop_assert_eq!(spec.per_atom, atom);
            prop_assert_eq!(spec.irreps.to_string(), irreps);
            prop_assert_eq!(spec.irreps.dim(), (mul * (2 * l + 1)) as usize);
        }
    }
}
