//! The certification engine: evaluate a model on test structures and on their transformed
//! copies, in every precision of the ladder, and compare with the transformed outputs.

use crate::certify::ladder::{ladder_verdict, Verdict};
use crate::certify::model::{
    CertInput, CertOutput, CertifiableModel, ModelError, ModelSignature, Precision,
};
use crate::certify::report::{
    CertificationReport, ErrorRow, LadderRow, LayerResult, OptionsRecord, Target,
};
use crate::certify::structures::{random_structures, StructureSpec};
use crate::certify::transforms::{Transform, TransformKind};
use crate::certify::wigner::{Couplings, Representation, RoundedCouplings};
use racah_core::Irreps;
use racah_numeric::{DoubleDouble, Float};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// The default pass threshold, in units of ε · scale, for every precision.
pub const DEFAULT_THRESHOLD_EPS: f64 = 4096.0;

/// The default number of random transformations per kind (and per structure).
pub const DEFAULT_TRIALS: usize = 4;

/// The smallest scale of a term relative to the largest component of its output or layer
/// (see [`ErrorRow`]).
pub const TERM_SCALE_FLOOR: f64 = 1.0 / 16.0;

/// The default number of generated test structures.
pub const DEFAULT_STRUCTURES: usize = 2;

/// What [`certify`] tests and how strictly.
#[derive(Debug, Clone, PartialEq)]
pub struct CertifyOptions {
    /// Seed of every random choice (structures and transformations).
    pub seed: u64,
    /// Random transformations per kind and structure (default [`DEFAULT_TRIALS`]).
    pub trials: usize,
    /// The precisions to evaluate; empty means all of the model's
    /// ([`ModelSignature::precisions`]).
    pub precisions: Vec<Precision>,
    /// Pass thresholds in units of ε · scale per precision; a precision not listed uses
    /// [`DEFAULT_THRESHOLD_EPS`].
    pub thresholds_eps: Vec<(Precision, f64)>,
    /// The kinds of transformation (default all four).
    pub kinds: Vec<TransformKind>,
    /// The test structures (positions should be multiples of 2⁻¹² so that they are exact in
    /// every precision); empty means [`num_structures`](Self::num_structures) random ones
    /// drawn by [`random_structures`] with [`structure_spec`](Self::structure_spec).
    pub structures: Vec<CertInput<f64>>,
    /// How to draw structures when `structures` is empty (its `periodic` flag is honoured
    /// only for models that accept a cell).
    pub structure_spec: StructureSpec,
    /// How many structures to draw when `structures` is empty (default
    /// [`DEFAULT_STRUCTURES`]).
    pub num_structures: usize,
}

impl Default for CertifyOptions {
    fn default() -> Self {
        CertifyOptions {
            seed: 0,
            trials: DEFAULT_TRIALS,
            precisions: Vec::new(),
            thresholds_eps: Vec::new(),
            kinds: TransformKind::ALL.to_vec(),
            structures: Vec::new(),
            structure_spec: StructureSpec {
                periodic: true,
                ..StructureSpec::default()
            },
            num_structures: DEFAULT_STRUCTURES,
        }
    }
}

impl CertifyOptions {
    /// The threshold of `precision` in units of ε · scale.
    pub fn threshold_eps(&self, precision: Precision) -> f64 {
        self.thresholds_eps
            .iter()
            .rev()
            .find(|(p, _)| *p == precision)
            .map_or(DEFAULT_THRESHOLD_EPS, |(_, t)| *t)
    }
}

/// Key of a ladder row: (kind, target, name, term, term index).
type LadderKey = (TransformKind, Target, String, String, usize);

/// Key of a sample series: (kind, target, index of the output or layer, term).
type Key = (TransformKind, Target, usize, usize);

/// What one precision's evaluation produced.
struct Run {
    /// Per key: the max abs error of each (trial, structure), as f64.
    samples: BTreeMap<Key, Vec<f64>>,
    /// Per (target, index, term): max |out(x)|.
    scales: BTreeMap<(Target, usize, usize), f64>,
    /// Names and irreps of the layers (from the first structure).
    layers: Vec<(String, Irreps)>,
    notes: Vec<String>,
}

/// Certifies a model numerically: rotations, reflections, permutations of atoms and
/// translations of every test structure, in each precision of the ladder, with errors in
/// units of the precision's ε.
///
/// For a transformation g and an output of irreps ⊕ (l, p), the expected output is
/// ρ(g) out(x) = p^k D^l(R) out(x) per irrep (k = 1 for a reflection, and per-atom rows
/// permuted with the atoms), computed in the same precision; see [`ErrorRow`] for the error
/// measure, [`ladder_verdict`] for the ladder's rule. Intermediate layers
/// ([`CertOutput::layers`]) get the same checks; the report points at the first layer that
/// breaks equivariance at the highest precision ([`CertificationReport::broken_at`]).
///
/// # Convention
/// O(3) acts with e3nn parity semantics (`CONVENTIONS.md#parity`), D^l in the real e3nn basis
/// (`CONVENTIONS.md#rotations`).
///
/// # Errors
/// A [`ModelError`] if the model declares no precision or the options ask for one it does
/// not support, there is nothing to test (no trials, kinds or structures), a structure is
/// malformed (species and positions of different lengths, no atoms), an output or layer has
/// the wrong number of values or a half-integer irrep, the layers differ between structures,
/// or the model itself fails.
///
/// # Examples
/// ```
/// use racah_numeric::Float;
/// use racah_proofs::certify::*;
/// /// The dipole Σ_i q_i x_i of fixed charges: equivariant, and translation invariant only
/// /// for a neutral molecule, which this is not.
/// struct Dipole;
/// impl CertifiableModel for Dipole {
///     fn signature(&self) -> ModelSignature {
///         ModelSignature {
///             name: "dipole".into(), species: vec![1], input_features: None,
///             outputs: vec![OutputSpec { name: "dipole".into(), irreps: "1o".parse().unwrap(),
///                                        per_atom: false }],
///             precisions: vec![Precision::F64], periodic: false,
///         }
///     }
///     fn evaluate<T: Float>(&self, x: &CertInput<T>) -> Result<CertOutput<T>, ModelError> {
///         let mut d = [T::ZERO; 3];
///         for p in &x.positions { for k in 0..3 { d[k] += p[k]; } }
///         Ok(CertOutput { outputs: vec![d.to_vec()], layers: vec![] })
///     }
/// }
/// let report = certify(&Dipole, &CertifyOptions::default())?;
/// let rot = report.row(Precision::F64, TransformKind::Rotation, "dipole", "1x1o").unwrap();
/// assert!(rot.pass);
/// let shift = report.row(Precision::F64, TransformKind::Translation, "dipole", "1x1o").unwrap();
/// assert!(!shift.pass);
/// assert_eq!(report.broken_at.as_deref(), Some("output dipole"));
/// # Ok::<(), ModelError>(())
/// ```
pub fn certify<M: CertifiableModel>(
    model: &M,
    opts: &CertifyOptions,
) -> Result<CertificationReport, ModelError> {
    let sig = model.signature();
    let precisions = choose_precisions(&sig, opts)?;
    let structures = if opts.structures.is_empty() {
        random_structures(&sig, &opts.structure_spec, opts.num_structures, opts.seed)?
    } else {
        opts.structures.clone()
    };
    for (i, s) in structures.iter().enumerate() {
        if s.positions.is_empty() || s.species.len() != s.positions.len() {
            return Err(ModelError::new(format!(
                "structure {i} has {} positions and {} species (need equal and nonzero)",
                s.positions.len(),
                s.species.len()
            )));
        }
    }
    let transforms = draw_transforms(opts, &structures);
    if transforms.is_empty() {
        return Err(ModelError::new(format!(
            "nothing to test: {} trials of {} kinds of transformation",
            opts.trials,
            opts.kinds.len()
        )));
    }

    let mut runs = Vec::new();
    for &p in &precisions {
        let run = match p {
            Precision::F32 => run::<f32, M>(model, &sig, &structures, &transforms, opts, p)?,
            Precision::F64 => run::<f64, M>(model, &sig, &structures, &transforms, opts, p)?,
            Precision::Extended => {
                run::<DoubleDouble, M>(model, &sig, &structures, &transforms, opts, p)?
            }
        };
        runs.push((p, run));
    }
    Ok(assemble(model, &sig, opts, &structures, runs))
}

fn choose_precisions(
    sig: &ModelSignature,
    opts: &CertifyOptions,
) -> Result<Vec<Precision>, ModelError> {
    let mut precisions = if opts.precisions.is_empty() {
        sig.precisions.clone()
    } else {
        opts.precisions.clone()
    };
    if let Some(p) = precisions.iter().find(|p| !sig.precisions.contains(p)) {
        return Err(ModelError::new(format!(
            "model {} does not support precision {p} (it supports {:?})",
            sig.name,
            sig.precisions.iter().map(|p| p.name()).collect::<Vec<_>>()
        )));
    }
    precisions.sort();
    precisions.dedup();
    if precisions.is_empty() {
        return Err(ModelError::new(format!(
            "model {} declares no precision to evaluate",
            sig.name
        )));
    }
    Ok(precisions)
}

/// `(kind, structure, transform)` for every kind, trial and structure.
fn draw_transforms(
    opts: &CertifyOptions,
    structures: &[CertInput<f64>],
) -> Vec<(usize, Transform)> {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x0005_eed0_f0e3);
    let mut kinds = opts.kinds.clone();
    kinds.sort();
    kinds.dedup();
    let mut out = Vec::new();
    for kind in kinds {
        for _ in 0..opts.trials {
            for (s, x) in structures.iter().enumerate() {
                out.push((s, Transform::random(kind, x.positions.len(), &mut rng)));
            }
        }
    }
    out
}

fn to_precision<T: Float>(x: &CertInput<f64>) -> CertInput<T> {
    CertInput {
        positions: x.positions.iter().map(|p| p.map(T::from_f64)).collect(),
        species: x.species.clone(),
        cell: x.cell.map(|c| c.map(|a| a.map(T::from_f64))),
        features: x
            .features
            .as_ref()
            .map(|f| f.iter().map(|&v| T::from_f64(v)).collect()),
    }
}

fn l_max_of(irreps: &Irreps) -> u32 {
    irreps
        .iter()
        .filter_map(|t| t.irrep.as_l())
        .max()
        .unwrap_or(0)
}

/// D^l(R) of an O(3) transform (identity for the others).
fn representation<T: Float>(t: &Transform, couplings: &RoundedCouplings<T>) -> Representation<T> {
    match t {
        Transform::Rotation(r) | Transform::Reflection(r) => couplings.represent(&r.matrix::<T>()),
        _ => Representation::identity(couplings.l_max()),
    }
}

fn exact_err(e: racah_exact::ExactError) -> ModelError {
    ModelError::new(format!("cannot build Wigner D couplings: {e}"))
}

/// Checks the shape of one evaluation's outputs and layers against the signature and the
/// first structure's layers.
fn check_output<T>(
    sig: &ModelSignature,
    out: &CertOutput<T>,
    atoms: usize,
    layers: Option<&[(String, Irreps)]>,
    what: &str,
) -> Result<(), ModelError> {
    if out.outputs.len() != sig.outputs.len() {
        return Err(ModelError::new(format!(
            "{what}: model returned {} outputs, its signature declares {}",
            out.outputs.len(),
            sig.outputs.len()
        )));
    }
    for (spec, v) in sig.outputs.iter().zip(&out.outputs) {
        let rows = if spec.per_atom { atoms } else { 1 };
        if v.len() != rows * spec.irreps.dim() {
            return Err(ModelError::new(format!(
                "{what}: output {} has {} values, expected {rows} × {} ({})",
                spec.name,
                v.len(),
                spec.irreps.dim(),
                spec.irreps
            )));
        }
    }
    for l in &out.layers {
        if l.values.len() != atoms * l.irreps.dim() {
            return Err(ModelError::new(format!(
                "{what}: layer {} has {} values, expected {atoms} atoms × {} ({})",
                l.name,
                l.values.len(),
                l.irreps.dim(),
                l.irreps
            )));
        }
    }
    if let Some(first) = layers {
        let same = first.len() == out.layers.len()
            && first
                .iter()
                .zip(&out.layers)
                .all(|((n, i), l)| *n == l.name && *i == l.irreps);
        if !same {
            return Err(ModelError::new(format!(
                "{what}: layers {:?} differ from those of the first structure {:?}",
                out.layers
                    .iter()
                    .map(|l| l.name.as_str())
                    .collect::<Vec<_>>(),
                first.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>()
            )));
        }
    }
    Ok(())
}

/// Per term of `irreps`: the max |a − b| over rows (a, b of `rows × irreps.dim()` values),
/// non-finite differences as +∞.
fn term_errors<T: Float>(irreps: &Irreps, a: &[T], b: &[T]) -> Vec<f64> {
    let dim = irreps.dim().max(1);
    let slices = irreps.slices();
    let mut out = vec![0.0f64; slices.len()];
    for (ra, rb) in a.chunks(dim).zip(b.chunks(dim)) {
        for (t, s) in slices.iter().enumerate() {
            for k in s.clone() {
                let d = (ra[k] - rb[k]).abs().to_f64();
                let d = if d.is_nan() { f64::INFINITY } else { d };
                out[t] = out[t].max(d);
            }
        }
    }
    out
}

/// Per term: max |a| over rows.
fn term_norms<T: Float>(irreps: &Irreps, a: &[T]) -> Vec<f64> {
    let zeros = vec![T::ZERO; a.len()];
    term_errors(irreps, a, &zeros)
}

fn run<T: Float, M: CertifiableModel>(
    model: &M,
    sig: &ModelSignature,
    structures: &[CertInput<f64>],
    transforms: &[(usize, Transform)],
    opts: &CertifyOptions,
    precision: Precision,
) -> Result<Run, ModelError> {
    let originals: Vec<CertInput<T>> = structures.iter().map(to_precision).collect();
    let l_in = sig.input_features.as_ref().map_or(0, l_max_of);
    let in_couplings = Couplings::new(l_in).map_err(exact_err)?.rounded::<T>();
    let mut inputs = originals.clone();
    for (s, t) in transforms {
        let rep = representation::<T>(t, &in_couplings);
        inputs.push(t.apply_input(&originals[*s], sig.input_features.as_ref(), &rep)?);
    }
    let outputs = model.evaluate_batch(&inputs)?;
    if outputs.len() != inputs.len() {
        return Err(ModelError::new(format!(
            "model returned {} results for a batch of {}",
            outputs.len(),
            inputs.len()
        )));
    }
    let n = structures.len();
    let first = &outputs[0];
    let layers: Vec<(String, Irreps)> = first
        .layers
        .iter()
        .map(|l| (l.name.clone(), l.irreps.clone()))
        .collect();
    for (i, out) in outputs.iter().enumerate() {
        let s = if i < n { i } else { transforms[i - n].0 };
        let what = format!("{} evaluation {i} (structure {s})", precision.name());
        check_output(
            sig,
            out,
            structures[s].positions.len(),
            Some(&layers),
            &what,
        )?;
    }
    let l_max = sig
        .outputs
        .iter()
        .map(|o| l_max_of(&o.irreps))
        .chain(layers.iter().map(|(_, i)| l_max_of(i)))
        .max()
        .unwrap_or(0);
    let couplings = Couplings::new(l_max).map_err(exact_err)?.rounded::<T>();

    let mut scales: BTreeMap<(Target, usize, usize), f64> = BTreeMap::new();
    for out in &outputs[..n] {
        for (o, spec) in sig.outputs.iter().enumerate() {
            for (t, v) in term_norms(&spec.irreps, &out.outputs[o])
                .into_iter()
                .enumerate()
            {
                let e = scales.entry((Target::Output, o, t)).or_default();
                *e = e.max(v);
            }
        }
        for (li, l) in out.layers.iter().enumerate() {
            for (t, v) in term_norms(&l.irreps, &l.values).into_iter().enumerate() {
                let e = scales.entry((Target::Layer, li, t)).or_default();
                *e = e.max(v);
            }
        }
    }

    // a term far smaller than its output (a cross product v × v, zero up to roundoff) is
    // measured against 1/16 of the output's largest component
    let mut whole: BTreeMap<(Target, usize), f64> = BTreeMap::new();
    for (&(target, idx, _), &v) in &scales {
        let e = whole.entry((target, idx)).or_default();
        *e = e.max(v);
    }
    for (&(target, idx, _), v) in scales.iter_mut() {
        *v = v.max(whole[&(target, idx)] * TERM_SCALE_FLOOR);
    }

    let threshold = opts.threshold_eps(precision) * precision.epsilon();
    let mut samples: BTreeMap<Key, Vec<f64>> = BTreeMap::new();
    let mut notes = Vec::new();
    for (i, (s, t)) in transforms.iter().enumerate() {
        let kind = t.kind();
        let rep = representation::<T>(t, &couplings);
        let base = &outputs[*s];
        let got = &outputs[n + i];
        let atoms = structures[*s].positions.len();
        let mut expected_outputs = Vec::with_capacity(sig.outputs.len());
        for (o, spec) in sig.outputs.iter().enumerate() {
            let rows = spec.per_atom.then_some(atoms);
            let expected = t.apply_row(&spec.irreps, &base.outputs[o], rows, &rep, &spec.name)?;
            for (term, e) in term_errors(&spec.irreps, &got.outputs[o], &expected)
                .into_iter()
                .enumerate()
            {
                samples
                    .entry((kind, Target::Output, o, term))
                    .or_default()
                    .push(e);
            }
            expected_outputs.push(expected);
        }
        if kind == TransformKind::Permutation {
            note_reordered_outputs(sig, got, &expected_outputs, &scales, threshold, &mut notes);
        }
        for (li, (l, lb)) in got.layers.iter().zip(&base.layers).enumerate() {
            let expected = t.apply_row(&lb.irreps, &lb.values, Some(atoms), &rep, &lb.name)?;
            for (term, e) in term_errors(&l.irreps, &l.values, &expected)
                .into_iter()
                .enumerate()
            {
                samples
                    .entry((kind, Target::Layer, li, term))
                    .or_default()
                    .push(e);
            }
        }
    }
    Ok(Run {
        samples,
        scales,
        layers,
        notes,
    })
}

/// Notes an output that, under a permutation, matches the expected value of *another* output
/// of the same shape (multi-state outputs whose states were swapped).
fn note_reordered_outputs<T: Float>(
    sig: &ModelSignature,
    got: &CertOutput<T>,
    expected: &[Vec<T>],
    scales: &BTreeMap<(Target, usize, usize), f64>,
    threshold: f64,
    notes: &mut Vec<String>,
) {
    let scale_of = |o: usize| {
        (0..sig.outputs[o].irreps.len())
            .map(|k| scales.get(&(Target::Output, o, k)).copied().unwrap_or(0.0))
            .fold(0.0f64, f64::max)
            .max(f64::MIN_POSITIVE)
    };
    let max_err = |a: &[T], b: &[T]| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (*x - *y).abs().to_f64())
            .fold(
                0.0f64,
                |m, d| if d.is_nan() { f64::INFINITY } else { m.max(d) },
            )
    };
    for (o, spec) in sig.outputs.iter().enumerate() {
        if max_err(&got.outputs[o], &expected[o]) <= threshold * scale_of(o) {
            continue;
        }
        for (o2, spec2) in sig.outputs.iter().enumerate() {
            if o2 == o || spec2.irreps != spec.irreps || spec2.per_atom != spec.per_atom {
                continue;
            }
            if max_err(&got.outputs[o], &expected[o2]) <= threshold * scale_of(o2) {
                let note = format!(
                    "under a permutation of the atoms, output {} takes the value expected of \
                     output {} (states reordered)",
                    spec.name, spec2.name
                );
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
    }
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}

/// A finite stand-in for JSON (which has no ∞): `f64::MAX`.
fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        f64::MAX
    }
}

fn assemble<M: CertifiableModel>(
    model: &M,
    sig: &ModelSignature,
    opts: &CertifyOptions,
    structures: &[CertInput<f64>],
    runs: Vec<(Precision, Run)>,
) -> CertificationReport {
    let mut rows = Vec::new();
    let mut layer_rows = Vec::new();
    let mut notes = Vec::new();
    let layer_defs = runs
        .last()
        .map(|(_, r)| r.layers.clone())
        .unwrap_or_default();
    for (p, run) in &runs {
        let threshold_eps = opts.threshold_eps(*p);
        for ((kind, target, idx, term), samples) in &run.samples {
            let (name, irreps) = match target {
                Target::Output => (sig.outputs[*idx].name.clone(), &sig.outputs[*idx].irreps),
                Target::Layer => (run.layers[*idx].0.clone(), &run.layers[*idx].1),
            };
            let raw = run
                .scales
                .get(&(*target, *idx, *term))
                .copied()
                .unwrap_or(0.0);
            let scale = if raw.is_finite() && raw > f64::MIN_POSITIVE {
                raw
            } else {
                1.0
            };
            let mut v = samples.clone();
            let max = v.iter().copied().fold(0.0f64, f64::max);
            let med = median(&mut v);
            let max_eps = max / (p.epsilon() * scale);
            let row = ErrorRow {
                precision: *p,
                kind: *kind,
                target: *target,
                name,
                term: irreps.as_slice()[*term].to_string(),
                term_index: *term,
                samples: samples.len(),
                scale,
                max_eps: finite(max_eps),
                median_eps: finite(med / (p.epsilon() * scale)),
                max_scaled: finite(max / scale),
                threshold_eps,
                pass: max_eps <= threshold_eps,
            };
            match target {
                Target::Output => rows.push(row),
                Target::Layer => layer_rows.push(row),
            }
        }
        for n in &run.notes {
            if !notes.contains(n) {
                notes.push(n.clone());
            }
        }
    }

    // ladder: group by (kind, target, name, term) over precisions
    let mut groups: BTreeMap<LadderKey, Vec<(Precision, f64)>> = BTreeMap::new();
    for r in rows.iter().chain(&layer_rows) {
        groups
            .entry((
                r.kind,
                r.target,
                r.name.clone(),
                r.term.clone(),
                r.term_index,
            ))
            .or_default()
            .push((r.precision, r.max_scaled));
    }
    let hi = runs.last().map_or(Precision::F64, |(p, _)| *p);
    let ladder: Vec<LadderRow> = groups
        .into_iter()
        .map(|((kind, target, name, term, _), scaled)| LadderRow {
            verdict: ladder_verdict(&scaled, opts.threshold_eps(hi)),
            kind,
            target,
            name,
            term,
            scaled,
        })
        .collect();

    let layers: Vec<LayerResult> = layer_defs
        .iter()
        .map(|(name, irreps)| {
            let at_hi: Vec<&ErrorRow> = layer_rows
                .iter()
                .filter(|r| r.precision == hi && r.name == *name)
                .collect();
            let worst = at_hi
                .iter()
                .max_by(|a, b| a.max_eps.total_cmp(&b.max_eps))
                .map(|r| (r.kind, r.term.clone()));
            LayerResult {
                name: name.clone(),
                irreps: irreps.to_string(),
                precision: hi,
                pass: at_hi.iter().all(|r| r.pass),
                max_eps: at_hi.iter().map(|r| r.max_eps).fold(0.0, f64::max),
                worst,
            }
        })
        .collect();

    let audits = model.component_audits();
    let broken_layer = layers.iter().find(|l| !l.pass).map(|l| l.name.clone());
    let broken_output = rows
        .iter()
        .find(|r| r.precision == hi && !r.pass)
        .or_else(|| rows.iter().find(|r| !r.pass))
        .map(|r| r.name.clone())
        .or_else(|| {
            ladder
                .iter()
                .find(|l| l.target == Target::Output && l.verdict == Verdict::SymmetryBreak)
                .map(|l| l.name.clone())
        });
    let broken_at = broken_layer.or_else(|| broken_output.map(|o| format!("output {o}")));
    let pass = rows.iter().chain(&layer_rows).all(|r| r.pass)
        && ladder.iter().all(|l| l.verdict != Verdict::SymmetryBreak)
        && audits.iter().all(|a| a.holds);

    CertificationReport {
        model: sig.name.clone(),
        options: OptionsRecord {
            seed: opts.seed,
            trials: opts.trials,
            precisions: runs.iter().map(|(p, _)| *p).collect(),
            thresholds_eps: runs
                .iter()
                .map(|(p, _)| (*p, opts.threshold_eps(*p)))
                .collect(),
            kinds: {
                let mut k = opts.kinds.clone();
                k.sort();
                k.dedup();
                k
            },
            atoms: structures.iter().map(|s| s.positions.len()).collect(),
            periodic_structures: structures.iter().filter(|s| s.cell.is_some()).count(),
        },
        rows,
        layer_rows,
        ladder,
        layers,
        broken_at,
        audits,
        notes,
        pass,
    }
}
