//! `racah certify MODEL.toml`: racah's own networks (`examples/*.toml`), certified along the
//! precision ladder, with the exact audits of every linear component and the completeness and
//! parsimony of every fusion block.

use super::{certify_and_report, options, CertifyArgs};
use anyhow::{bail, Context, Result};
use racah_numeric::network::{parse_xyz, Network};
use racah_proofs::certify::{CertInput, Precision};
use racah_proofs::network_model::NetworkModel;
use std::path::Path;
use std::process::ExitCode;

/// Which precisions to certify a network in.
pub fn parse_precisions(list: &[String]) -> Result<Vec<Precision>> {
    list.iter()
        .map(|p| match p.as_str() {
            "f32" => Ok(Precision::F32),
            "f64" => Ok(Precision::F64),
            "f64x2" | "extended" => Ok(Precision::Extended),
            other => bail!("unknown precision {other:?} (expected f32, f64 or f64x2)"),
        })
        .collect()
}

/// Test structures from XYZ files, rounded to the 2⁻¹² grid so that they are exact in every
/// precision.
fn structures(files: &[std::path::PathBuf]) -> Result<Vec<CertInput<f64>>> {
    let mut out = Vec::new();
    for f in files {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
        let frames = parse_xyz(&text).with_context(|| format!("{}", f.display()))?;
        for fr in frames {
            let s = fr.structure;
            out.push(CertInput::on_dyadic_grid(&s.positions, s.species, s.cell));
        }
    }
    Ok(out)
}

/// Certifies the network described by `path`.
///
/// # Errors
/// A malformed description or structure file, or a model error.
pub fn run(path: &Path, args: &CertifyArgs) -> Result<ExitCode> {
    let net = Network::from_path(path).with_context(|| format!("{}", path.display()))?;
    let precisions = if args.precisions.is_empty() {
        if args.no_forces {
            Precision::LADDER.to_vec()
        } else {
            vec![Precision::F32, Precision::F64]
        }
    } else {
        parse_precisions(&args.precisions)?
    };
    let mut opts = options(args)?;
    opts.structures = structures(&args.structure)?;
    let model = NetworkModel::new(net.clone())
        .with_forces(!args.no_forces)
        .with_precisions(precisions);
    let code = certify_and_report(&model, &opts, args)?;
    if !args.quiet {
        print_blocks(&net)?;
    }
    Ok(code)
}

/// The completeness and parsimony of every fusion block of the network (issue 7).
fn print_blocks(net: &Network) -> Result<()> {
    let sections = racah_proofs::counting::fusion_block_sections(net)
        .map_err(|e| anyhow::anyhow!("completeness of the fusion blocks: {e}"))?;
    if sections.is_empty() {
        return Ok(());
    }
    println!("\nCompleteness and parsimony of the fusion blocks (MATH.md §5):");
    for (layer, report) in sections {
        println!("\n{layer}:\n{report}");
    }
    Ok(())
}
