//! Certification of the shipped example architectures (`examples/*.toml`, compiled in), and
//! of the deliberately broken ones, which must fail and point at their broken layer.
//!
//! Each model is certified twice: energies along the whole precision ladder (f32, f64,
//! double-double, with layer features and exact audits), and energies with forces along the
//! same ladder (forces by the network's reverse pass).

use super::{Check, Tally};
use racah_numeric::network::{parse_xyz, Network};
use racah_proofs::certify::{
    certify, CertInput, CertificationReport, CertifyOptions, Precision, StructureSpec,
};
use racah_proofs::network_model::NetworkModel;
use std::sync::Mutex;

/// The reports made by the checks, for the JSON and HTML reports.
static REPORTS: Mutex<Vec<CertificationReport>> = Mutex::new(Vec::new());

/// Takes the reports made so far.
pub(super) fn take_reports() -> Vec<CertificationReport> {
    std::mem::take(&mut *REPORTS.lock().expect("report store"))
}

const MACE: &str = include_str!("../../../examples/mace-small.toml");
const CORMORANT: &str = include_str!("../../../examples/cormorant-small.toml");
const STILBENE: &str = include_str!("../../../examples/stilbene-3state.toml");
const CIS: &str = include_str!("../../../examples/structures/cis-stilbene.xyz");
const TRANS: &str = include_str!("../../../examples/structures/trans-stilbene.xyz");
const BROKEN: [(&str, &str); 4] = [
    (
        "wrong-parity",
        include_str!("../../../examples/broken/wrong-parity.toml"),
    ),
    (
        "non-equivariant-gate",
        include_str!("../../../examples/broken/non-equivariant-gate.toml"),
    ),
    (
        "perturbed-cg",
        include_str!("../../../examples/broken/perturbed-cg.toml"),
    ),
    (
        "position-dependent",
        include_str!("../../../examples/broken/position-dependent.toml"),
    ),
];

pub(super) fn checks() -> Vec<Check> {
    vec![
        Check {
            section: "models",
            name: "mace-small",
            description: "examples/mace-small.toml: rotations, reflections, permutations, translations of random molecules and periodic cells; energies and forces in f32/f64/f64x2 (ladder, layers, exact audits); <= 4096 eps x scale",
            run: Some(mace),
            identity: None,
        },
        Check {
            section: "models",
            name: "cormorant-small",
            description: "examples/cormorant-small.toml: as mace-small",
            run: Some(cormorant),
            identity: None,
        },
        Check {
            section: "models",
            name: "stilbene-3state",
            description: "examples/stilbene-3state.toml on cis- and trans-stilbene: every state's energy and forces certified on its own, states keep their order under permutations",
            run: Some(stilbene),
            identity: None,
        },
        Check {
            section: "models",
            name: "broken-models-caught",
            description: "examples/broken/*.toml (wrong parity, non-equivariant gate, CG entry x (1 + 1e-6), position dependence) fail certification and the report points at layer 2",
            run: Some(broken),
            identity: None,
        },
    ]
}

fn store(report: CertificationReport) {
    REPORTS.lock().expect("report store").push(report);
}

/// Certifies a report into the tally: every row, ladder verdict and audit counts as a case.
fn tally_report(t: &mut Tally, r: &CertificationReport) {
    for row in r.rows.iter().chain(&r.layer_rows) {
        t.check(row.pass, || {
            format!(
                "{}: {} {} {} {}: {:.1} eps > {}",
                r.model,
                row.precision,
                row.kind.name(),
                row.name,
                row.term,
                row.max_eps,
                row.threshold_eps
            )
        });
    }
    for l in &r.ladder {
        t.check(
            l.verdict != racah_proofs::certify::Verdict::SymmetryBreak,
            || {
                format!(
                    "{}: {} {}: symmetry break along the ladder",
                    r.model, l.name, l.term
                )
            },
        );
    }
    for a in &r.audits {
        t.check(a.holds, || {
            format!("{}: {} {}: {}", r.model, a.layer, a.component, a.detail)
        });
    }
    t.check(r.pass, || format!("{}: report does not pass", r.model));
}

fn certify_model(t: &mut Tally, text: &str, structures: Vec<CertInput<f64>>, seed: u64) {
    let net = match Network::from_toml_str(text) {
        Ok(n) => n,
        Err(e) => return t.error(format!("building the network: {e}")),
    };
    let name = net.spec().name.clone();
    let runs = [
        (
            format!("{name} (energies, ladder)"),
            NetworkModel::new(net.clone()).with_forces(false),
        ),
        (
            format!("{name} (energies and forces)"),
            NetworkModel::new(net).with_precisions(vec![
                Precision::F32,
                Precision::F64,
                Precision::Extended,
            ]),
        ),
    ];
    for (k, (label, model)) in runs.into_iter().enumerate() {
        let opts = CertifyOptions {
            seed: seed + k as u64,
            trials: 3,
            structures: structures.clone(),
            num_structures: 2,
            structure_spec: StructureSpec {
                periodic: true,
                ..StructureSpec::default()
            },
            ..CertifyOptions::default()
        };
        match certify(&model, &opts) {
            Ok(mut r) => {
                r.model = label;
                tally_report(t, &r);
                store(r);
            }
            Err(e) => t.error(format!("{label}: {e}")),
        }
    }
}

fn mace() -> Tally {
    let mut t = Tally::default();
    certify_model(&mut t, MACE, Vec::new(), 1);
    t
}

fn cormorant() -> Tally {
    let mut t = Tally::default();
    certify_model(&mut t, CORMORANT, Vec::new(), 2);
    t
}

/// A structure from XYZ text, rounded to the 2⁻¹² grid (exact in every precision).
fn xyz(text: &str) -> Result<CertInput<f64>, String> {
    let s = parse_xyz(text)
        .map_err(|e| e.to_string())?
        .into_iter()
        .next()
        .ok_or("empty xyz")?
        .structure;
    Ok(CertInput::on_dyadic_grid(&s.positions, s.species, s.cell))
}

fn stilbene() -> Tally {
    let mut t = Tally::default();
    let structures = match (xyz(CIS), xyz(TRANS)) {
        (Ok(c), Ok(tr)) => vec![c, tr],
        (Err(e), _) | (_, Err(e)) => {
            t.error(format!("stilbene geometry: {e}"));
            return t;
        }
    };
    certify_model(&mut t, STILBENE, structures, 3);
    t
}

fn broken() -> Tally {
    let mut t = Tally::default();
    for (kind, text) in BROKEN {
        let net = match Network::from_toml_str(text) {
            Ok(n) => n,
            Err(e) => {
                t.error(format!("{kind}: building the network: {e}"));
                continue;
            }
        };
        let model = NetworkModel::new(net)
            .with_forces(false)
            .with_precisions(vec![Precision::F64, Precision::Extended]);
        let opts = CertifyOptions {
            seed: 4,
            trials: 2,
            num_structures: 1,
            ..CertifyOptions::default()
        };
        match certify(&model, &opts) {
            Ok(r) => {
                t.check(!r.pass, || {
                    format!("{kind}: certification passed a broken model")
                });
                t.check(
                    r.broken_at
                        .as_deref()
                        .is_some_and(|b| b.starts_with("layer 2")),
                    || {
                        format!(
                            "{kind}: the report points at {:?}, not layer 2",
                            r.broken_at
                        )
                    },
                );
                store(r);
            }
            Err(e) => t.error(format!("{kind}: {e}")),
        }
    }
    t
}
