//! The certification engine on toy models written here: an equivariant model passes on every
//! rung of the precision ladder, and each deliberately broken variant is caught and located.

use proptest::prelude::*;
use racah_core::Irreps;
use racah_exact::real_cg;
use racah_numeric::Float;
use racah_proofs::certify::*;

/// Which defect a [`Toy`] carries (none by default).
#[derive(Debug, Clone, Copy, Default)]
struct Toy {
    /// Declare the per-atom vector output `1e` instead of `1o`.
    wrong_parity: bool,
    /// Apply tanh elementwise to the `1o` feature in layer "gated" (not equivariant).
    gate_on_vector: bool,
    /// Scale one coefficient of the 1o ⊗ 1o → 2e coupling in layer "product" by (1 + δ).
    perturb: Option<f64>,
    /// Weight the energy of atom i by 1 + i/10 (depends on atom order).
    order_dependent: bool,
    /// Swap the two energy states depending on which of atoms 0 and n−1 has the nearer
    /// neighbour (a permutation of the atoms reorders the states).
    swap_states: bool,
    /// Add |x_i|²/10 to the scalar of layer "embedding" (depends on absolute position).
    absolute_position: bool,
}

fn sub<T: Float>(a: [T; 3], b: [T; 3]) -> [T; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn dot<T: Float>(a: [T; 3], b: [T; 3]) -> T {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// The vectors r_ij = x_j − x_i to every other atom j (and, with a cell, to the images of
/// every atom in the 26 neighbouring cells), with j's species.
fn neighbours<T: Float>(x: &CertInput<T>, i: usize) -> Vec<([T; 3], u32)> {
    let shifts: Vec<[T; 3]> = match &x.cell {
        None => vec![[T::ZERO; 3]],
        Some(c) => {
            let mut v = Vec::new();
            for a in -1i64..=1 {
                for b in -1i64..=1 {
                    for d in -1i64..=1 {
                        let (a, b, d) = (
                            T::from_ratio(a, 1),
                            T::from_ratio(b, 1),
                            T::from_ratio(d, 1),
                        );
                        v.push([0, 1, 2].map(|k| a * c[0][k] + b * c[1][k] + d * c[2][k]));
                    }
                }
            }
            v
        }
    };
    let mut out = Vec::new();
    for (j, xj) in x.positions.iter().enumerate() {
        for s in &shifts {
            let r = sub([xj[0] + s[0], xj[1] + s[1], xj[2] + s[2]], x.positions[i]);
            if j == i && dot(r, r) == T::ZERO {
                continue;
            }
            out.push((r, x.species[j]));
        }
    }
    out
}

/// The degree-2 solid harmonic in e3nn's real basis, (component normalisation)/√5:
/// (√3 xz, √3 xy, y² − (x² + z²)/2, √3 yz, (√3/2)(z² − x²)).
fn y2<T: Float>(r: [T; 3]) -> [T; 5] {
    let [x, y, z] = r;
    let s3 = T::sqrt_ratio(3, 1);
    let half = T::from_ratio(1, 2);
    [
        s3 * x * z,
        s3 * x * y,
        y * y - half * (x * x + z * z),
        s3 * y * z,
        s3 * half * (z * z - x * x),
    ]
}

/// The coupling 1o ⊗ 1o → 2e: e3nn's real CG tensor × √5, rounded once; `perturb` scales
/// its first nonzero entry by (1 + δ).
fn coupling_112<T: Float>(perturb: Option<f64>) -> Vec<(usize, usize, usize, T)> {
    let s5 = racah_exact::SqrtRational::sqrt_of_ratio(5, 1).unwrap();
    let mut c: Vec<(usize, usize, usize, T)> = real_cg(1, 1, 2)
        .unwrap()
        .nonzeros()
        .map(|(a, b, k, v)| (a, b, k, T::round_exact(&(v * &s5))))
        .collect();
    if let Some(d) = perturb {
        c[0].3 *= T::ONE + T::from_f64(d);
    }
    c
}

fn weight<T: Float>(z: u32) -> T {
    T::from_ratio(i64::from(z) + 2, 4)
}

impl CertifiableModel for Toy {
    fn signature(&self) -> ModelSignature {
        let out = |name: &str, irreps: &str, per_atom| OutputSpec {
            name: name.into(),
            irreps: irreps.parse().unwrap(),
            per_atom,
        };
        ModelSignature {
            name: "toy".into(),
            species: vec![1, 8],
            input_features: Some("1x0e+1x1o".parse().unwrap()),
            outputs: vec![
                out("energy[state 0]", "0e", false),
                out("energy[state 1]", "0e", false),
                out(
                    "vector[state 0]",
                    if self.wrong_parity { "1e" } else { "1o" },
                    true,
                ),
                out("quadrupole", "2e", false),
                out("feature sum", "0e+1o", false),
            ],
            precisions: Precision::LADDER.to_vec(),
            periodic: true,
        }
    }

    fn evaluate<T: Float>(&self, x: &CertInput<T>) -> Result<CertOutput<T>, ModelError> {
        let n = x.positions.len();
        let quarter = T::from_ratio(1, 4);
        // layer "embedding": s_i = Σ_j w_j e^{−r²/4}, v_i = Σ_j w_j e^{−r²/4} r_ij
        let mut emb = Vec::with_capacity(4 * n);
        let mut pair_energy = T::ZERO;
        for i in 0..n {
            let mut s = T::ZERO;
            let mut v = [T::ZERO; 3];
            for (r, z) in neighbours(x, i) {
                let r2 = dot(r, r);
                let g = weight::<T>(z) * (-(r2 * quarter)).exp();
                s += g;
                for k in 0..3 {
                    v[k] += g * r[k];
                }
                pair_energy += r2.sqrt().tanh() / (T::ONE + r2);
            }
            if self.absolute_position {
                s += dot(x.positions[i], x.positions[i]) / T::from_ratio(10, 1);
            }
            emb.extend([s, v[0], v[1], v[2]]);
        }
        // layer "gated": (tanh s, tanh(s)·v), or tanh elementwise on v (broken)
        let mut gated = Vec::with_capacity(4 * n);
        for row in emb.chunks(4) {
            let t = row[0].tanh();
            if self.gate_on_vector {
                gated.extend([t, row[1].tanh(), row[2].tanh(), row[3].tanh()]);
            } else {
                gated.extend([t, t * row[1], t * row[2], t * row[3]]);
            }
        }
        // layer "product": (|v|², v ⊗ v → 2e)
        let c = coupling_112::<T>(self.perturb);
        let mut product = Vec::with_capacity(6 * n);
        for row in gated.chunks(4) {
            let v = [row[1], row[2], row[3]];
            let mut q = [T::ZERO; 5];
            for &(a, b, k, w) in &c {
                q[k] += w * v[a] * v[b];
            }
            product.push(dot(v, v));
            product.extend(q);
        }
        // outputs
        let mut e0 = T::ZERO;
        let mut e1 = pair_energy;
        let mut quad = [T::ZERO; 5];
        for i in 0..n {
            let mut e = emb[4 * i] + product[6 * i];
            if self.order_dependent {
                e *= T::ONE + T::from_ratio(i as i64, 10);
            }
            e0 += e;
            e1 += product[6 * i] * quarter;
            for k in 0..5 {
                quad[k] += product[6 * i + 1 + k];
            }
        }
        if self.swap_states && n >= 2 {
            let nearest = |i: usize| {
                neighbours(x, i)
                    .into_iter()
                    .map(|(r, _)| dot(r, r))
                    .fold(T::MAX, |m, d| if d < m { d } else { m })
            };
            if nearest(0) < nearest(n - 1) {
                std::mem::swap(&mut e0, &mut e1);
            }
        }
        let mut vectors = Vec::with_capacity(3 * n);
        for row in gated.chunks(4) {
            vectors.extend_from_slice(&row[1..4]);
        }
        let mut fsum = [T::ZERO; 4];
        if let Some(f) = &x.features {
            for row in f.chunks(4) {
                for k in 0..4 {
                    fsum[k] += row[k];
                }
            }
        }
        let irreps = |s: &str| -> Irreps { s.parse().unwrap() };
        Ok(CertOutput {
            outputs: vec![vec![e0], vec![e1], vectors, quad.to_vec(), fsum.to_vec()],
            layers: vec![
                LayerFeatures {
                    name: "embedding".into(),
                    irreps: irreps("0e+1o"),
                    values: emb,
                },
                LayerFeatures {
                    name: "gated".into(),
                    irreps: irreps("0e+1o"),
                    values: gated,
                },
                LayerFeatures {
                    name: "product".into(),
                    irreps: irreps("0e+2e"),
                    values: product,
                },
            ],
        })
    }
}

fn run(toy: Toy) -> CertificationReport {
    let opts = CertifyOptions {
        trials: 2,
        ..CertifyOptions::default()
    };
    certify(&toy, &opts).unwrap()
}

/// The largest `max_scaled` over all output and layer rows of one precision.
fn worst_scaled(r: &CertificationReport, p: Precision) -> f64 {
    r.rows
        .iter()
        .chain(&r.layer_rows)
        .filter(|x| x.precision == p)
        .map(|x| x.max_scaled)
        .fold(0.0, f64::max)
}

#[test]
fn equivariant_model_passes_on_every_rung() {
    let r = run(Toy::default());
    assert!(r.pass, "{r}");
    assert_eq!(r.broken_at, None);
    assert_eq!(r.options.precisions, Precision::LADDER.to_vec());
    assert_eq!(r.options.periodic_structures, 1);
    // 5 outputs with 1+1+1+1+2 terms, 4 kinds, 3 precisions
    assert_eq!(r.rows.len(), 6 * 4 * 3);
    assert_eq!(r.layer_rows.len(), 6 * 4 * 3);
    assert!(r.rows.iter().all(|x| x.samples == 2 * 2));
    assert!(r.ladder.iter().all(|l| l.verdict == Verdict::Roundoff));
    assert!(r
        .layers
        .iter()
        .all(|l| l.pass && l.precision == Precision::Extended));
    // errors shrink along the ladder, each within a small multiple of its ε
    let (s32, s64, sext) = (
        worst_scaled(&r, Precision::F32),
        worst_scaled(&r, Precision::F64),
        worst_scaled(&r, Precision::Extended),
    );
    assert!(s32 > s64 && s64 > sext, "{s32:e} {s64:e} {sext:e}");
    assert!(s32 < 4096.0 * Precision::F32.epsilon());
    assert!(s64 < 4096.0 * Precision::F64.epsilon());
    assert!(sext < 4096.0 * Precision::Extended.epsilon(), "{sext:e}");
    // rotations are not trivially exact
    assert!(r
        .rows
        .iter()
        .any(|x| x.kind == TransformKind::Rotation && x.max_eps > 0.0));
    let table = r.to_string();
    assert!(table.starts_with("certification of toy: PASS"), "{table}");
    assert!(table.contains("vector[state 0]"));
}

#[test]
fn report_round_trips_through_json() {
    let r = run(Toy {
        gate_on_vector: true,
        ..Toy::default()
    });
    let json = serde_json::to_string(&r).unwrap();
    let back: CertificationReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}

#[test]
fn wrong_parity_is_caught_by_reflections_only() {
    let r = run(Toy {
        wrong_parity: true,
        ..Toy::default()
    });
    assert!(!r.pass);
    for p in Precision::LADDER {
        let refl = r
            .row(p, TransformKind::Reflection, "vector[state 0]", "1x1e")
            .unwrap();
        assert!(!refl.pass, "{p}");
        assert!(refl.max_scaled > 0.5, "{refl:?}");
        let rot = r
            .row(p, TransformKind::Rotation, "vector[state 0]", "1x1e")
            .unwrap();
        assert!(rot.pass, "{p}: {rot:?}");
    }
    assert!(r
        .symmetry_breaks()
        .all(|l| l.kind == TransformKind::Reflection && l.name == "vector[state 0]"));
    assert_eq!(r.symmetry_breaks().count(), 1);
    assert_eq!(r.broken_at.as_deref(), Some("output vector[state 0]"));
}

#[test]
fn non_equivariant_gate_is_located() {
    let r = run(Toy {
        gate_on_vector: true,
        ..Toy::default()
    });
    assert!(!r.pass);
    assert_eq!(r.broken_at.as_deref(), Some("gated"));
    assert!(r.layers[0].pass);
    assert!(!r.layers[1].pass && !r.layers[2].pass);
    assert_eq!(
        r.layers[1].worst.as_ref().map(|w| w.1.as_str()),
        Some("1x1o")
    );
    // the scalar part of the gate is still invariant
    let s = r
        .layer_rows
        .iter()
        .find(|x| x.name == "gated" && x.term == "1x0e" && x.kind == TransformKind::Rotation)
        .unwrap();
    assert!(s.pass);
    // translations and permutations commute with an elementwise gate
    assert!(r
        .layer_rows
        .iter()
        .filter(|x| x.name == "gated" && x.kind >= TransformKind::Permutation)
        .all(|x| x.pass));
}

#[test]
fn perturbed_coefficient_leaves_a_floor() {
    let r = run(Toy {
        perturb: Some(1e-6),
        ..Toy::default()
    });
    assert!(!r.pass);
    assert_eq!(r.broken_at.as_deref(), Some("product"));
    let rung = |p| {
        r.row(p, TransformKind::Rotation, "quadrupole", "1x2e")
            .unwrap()
            .clone()
    };
    let (f64_row, ext_row) = (rung(Precision::F64), rung(Precision::Extended));
    assert!(!f64_row.pass && !ext_row.pass);
    // the floor does not shrink from f64 to f64x2
    assert!(ext_row.max_scaled > 1e-9, "{ext_row:?}");
    assert!(ext_row.max_scaled > 0.1 * f64_row.max_scaled);
    let l = r
        .ladder
        .iter()
        .find(|l| l.kind == TransformKind::Rotation && l.name == "quadrupole" && l.term == "1x2e")
        .unwrap();
    assert_eq!(l.verdict, Verdict::SymmetryBreak);
    // a permutation or translation does not see it
    assert!(r
        .rows
        .iter()
        .filter(|x| x.kind >= TransformKind::Permutation)
        .all(|x| x.pass));
}

#[test]
fn atom_order_dependence_is_caught_by_permutations() {
    let r = run(Toy {
        order_dependent: true,
        ..Toy::default()
    });
    assert!(!r.pass);
    let failing: Vec<_> = r.failures().map(|x| (x.kind, x.name.as_str())).collect();
    assert!(failing
        .iter()
        .all(|&(k, n)| k == TransformKind::Permutation && n == "energy[state 0]"));
    assert!(!failing.is_empty());
    assert!(r.layers.iter().all(|l| l.pass));
    assert_eq!(r.broken_at.as_deref(), Some("output energy[state 0]"));
}

#[test]
fn swapped_states_are_caught_and_named() {
    let r = run(Toy {
        swap_states: true,
        ..Toy::default()
    });
    assert!(!r.pass);
    for name in ["energy[state 0]", "energy[state 1]"] {
        let row = r
            .row(Precision::F64, TransformKind::Permutation, name, "1x0e")
            .unwrap();
        assert!(!row.pass, "{name}");
        // each state alone is invariant under rotations
        let rot = r
            .row(Precision::F64, TransformKind::Rotation, name, "1x0e")
            .unwrap();
        assert!(rot.pass);
    }
    assert!(
        r.notes.iter().any(|n| n.contains("states reordered")
            && n.contains("energy[state 0]")
            && n.contains("energy[state 1]")),
        "{:?}",
        r.notes
    );
}

#[test]
fn absolute_position_dependence_is_caught_by_translations() {
    let r = run(Toy {
        absolute_position: true,
        ..Toy::default()
    });
    assert!(!r.pass);
    assert_eq!(r.broken_at.as_deref(), Some("embedding"));
    assert!(r.failures().all(|x| x.kind == TransformKind::Translation));
    let e = r
        .row(
            Precision::F64,
            TransformKind::Rotation,
            "energy[state 0]",
            "1x0e",
        )
        .unwrap();
    assert!(e.pass);
}

#[test]
fn thresholds_and_precisions_follow_the_options() {
    let opts = CertifyOptions {
        trials: 1,
        precisions: vec![Precision::F64],
        thresholds_eps: vec![(Precision::F64, 0.0)],
        kinds: vec![TransformKind::Rotation],
        num_structures: 1,
        ..CertifyOptions::default()
    };
    assert_eq!(opts.threshold_eps(Precision::F32), DEFAULT_THRESHOLD_EPS);
    let r = certify(&Toy::default(), &opts).unwrap();
    assert_eq!(r.options.precisions, vec![Precision::F64]);
    assert!(r.rows.iter().all(|x| x.kind == TransformKind::Rotation));
    assert!(r.rows.iter().all(|x| x.threshold_eps == 0.0));
    // a zero threshold fails any roundoff, and one rung cannot tell roundoff from a break
    assert!(r.failures().count() > 0);
    assert!(r.ladder.iter().all(|l| l.verdict == Verdict::Inconclusive));
}

#[test]
fn certify_rejects_bad_requests() {
    // a precision the model does not support
    struct F64Only;
    impl CertifiableModel for F64Only {
        fn signature(&self) -> ModelSignature {
            ModelSignature {
                precisions: vec![Precision::F64],
                ..Toy::default().signature()
            }
        }
        fn evaluate<T: Float>(&self, x: &CertInput<T>) -> Result<CertOutput<T>, ModelError> {
            Toy::default().evaluate(x)
        }
    }
    let opts = CertifyOptions {
        precisions: vec![Precision::Extended],
        ..CertifyOptions::default()
    };
    let e = certify(&F64Only, &opts).unwrap_err();
    assert!(e.message.contains("f64x2"), "{e}");

    // a structure whose species and positions disagree
    let mut s =
        random_structures(&Toy::default().signature(), &StructureSpec::default(), 1, 3).unwrap();
    s[0].species.pop();
    let opts = CertifyOptions {
        structures: s,
        ..CertifyOptions::default()
    };
    let e = certify(&Toy::default(), &opts).unwrap_err();
    assert!(e.message.contains("structure 0"), "{e}");

    // a model whose output is shorter than its signature says
    struct Short;
    impl CertifiableModel for Short {
        fn signature(&self) -> ModelSignature {
            Toy::default().signature()
        }
        fn evaluate<T: Float>(&self, x: &CertInput<T>) -> Result<CertOutput<T>, ModelError> {
            let mut o = Toy::default().evaluate(x)?;
            o.outputs[3].pop();
            Ok(o)
        }
    }
    let e = certify(&Short, &CertifyOptions::default()).unwrap_err();
    assert!(
        e.message.contains("quadrupole") && e.message.contains("4 values"),
        "{e}"
    );

    // a model error is passed through
    struct Failing;
    impl CertifiableModel for Failing {
        fn signature(&self) -> ModelSignature {
            Toy::default().signature()
        }
        fn evaluate<T: Float>(&self, _: &CertInput<T>) -> Result<CertOutput<T>, ModelError> {
            Err(ModelError::new("species 3 is unknown"))
        }
    }
    let e = certify(&Failing, &CertifyOptions::default()).unwrap_err();
    assert_eq!(e.message, "species 3 is unknown");

    // nothing to test is an error, not a vacuous pass
    let opts = CertifyOptions {
        trials: 0,
        ..CertifyOptions::default()
    };
    let e = certify(&Toy::default(), &opts).unwrap_err();
    assert!(e.message.contains("nothing to test"), "{e}");
}

#[test]
fn solid_harmonics_transform_with_the_engines_wigner_d() {
    // out = y2(x_0 − x_1) is a 2e output; the engine must find it equivariant
    struct Y2;
    impl CertifiableModel for Y2 {
        fn signature(&self) -> ModelSignature {
            ModelSignature {
                name: "y2".into(),
                species: vec![1],
                input_features: None,
                outputs: vec![OutputSpec {
                    name: "y2".into(),
                    irreps: "2e".parse().unwrap(),
                    per_atom: false,
                }],
                precisions: Precision::LADDER.to_vec(),
                periodic: false,
            }
        }
        fn evaluate<T: Float>(&self, x: &CertInput<T>) -> Result<CertOutput<T>, ModelError> {
            let mut q = [T::ZERO; 5];
            for i in 0..x.positions.len() {
                for j in 0..x.positions.len() {
                    let y = y2(sub(x.positions[j], x.positions[i]));
                    for k in 0..5 {
                        q[k] += y[k];
                    }
                }
            }
            // symmetric in (i, j): use the sum of r_ij ⊗ r_ij over ordered pairs, nonzero
            Ok(CertOutput {
                outputs: vec![q.to_vec()],
                layers: vec![],
            })
        }
    }
    let r = certify(&Y2, &CertifyOptions::default()).unwrap();
    assert!(r.pass, "{r}");
    let ext = r
        .row(Precision::Extended, TransformKind::Reflection, "y2", "1x2e")
        .unwrap();
    assert!(ext.max_eps < 64.0, "{ext:?}");
}

/// A model built on racah-numeric's tensor product: per-atom features (s, v) of layer
/// "embedding" are squared by the full tensor product (0e + 1o)⊗² in layer "tensor product",
/// and the energy is Σ_i |tp_i|²; optionally one coefficient of path `path` is perturbed.
struct NumericTp {
    perturb: Option<(usize, f64)>,
}

impl NumericTp {
    fn tp<T: Float>(&self) -> racah_numeric::TensorProduct<T> {
        let x: Irreps = "0e+1o".parse().unwrap();
        let mut tp = racah_numeric::TensorProduct::<T>::full(&x, &x).unwrap();
        if let Some((path, d)) = self.perturb {
            tp.perturb_coefficient(path, 0, d).unwrap();
        }
        tp
    }
}

impl CertifiableModel for NumericTp {
    fn signature(&self) -> ModelSignature {
        ModelSignature {
            name: "numeric tp".into(),
            species: vec![1],
            input_features: None,
            outputs: vec![OutputSpec {
                name: "energy".into(),
                irreps: "0e".parse().unwrap(),
                per_atom: false,
            }],
            precisions: Precision::LADDER.to_vec(),
            periodic: false,
        }
    }

    fn evaluate<T: Float>(&self, x: &CertInput<T>) -> Result<CertOutput<T>, ModelError> {
        let n = x.positions.len();
        let mut emb = Vec::with_capacity(4 * n);
        for i in 0..n {
            let (mut s, mut v) = (T::ZERO, [T::ZERO; 3]);
            for (r, _) in neighbours(x, i) {
                let g = (-dot(r, r) * T::from_ratio(1, 4)).exp();
                s += g;
                for k in 0..3 {
                    v[k] += g * r[k];
                }
            }
            emb.extend([s, v[0], v[1], v[2]]);
        }
        let tp = self.tp::<T>();
        let out = tp
            .apply(&emb, &emb, racah_numeric::Weights::None)
            .map_err(|e| ModelError::new(e.to_string()))?;
        let energy = out.iter().map(|&v| v * v).sum::<T>();
        Ok(CertOutput {
            outputs: vec![vec![energy]],
            layers: vec![
                LayerFeatures {
                    name: "embedding".into(),
                    irreps: "0e+1o".parse().unwrap(),
                    values: emb,
                },
                LayerFeatures {
                    name: "tensor product".into(),
                    irreps: tp.irreps_out().clone(),
                    values: out,
                },
            ],
        })
    }

    fn component_audits(&self) -> Vec<ComponentAudit> {
        audit_tensor_product("tensor product", &self.tp::<f64>())
    }
}

#[test]
fn numeric_tensor_product_model_is_certified_and_a_perturbed_path_is_found() {
    let opts = CertifyOptions {
        trials: 2,
        ..CertifyOptions::default()
    };
    let good = certify(&NumericTp { perturb: None }, &opts).unwrap();
    assert!(good.pass, "{good}");
    assert!(good.audits.iter().all(|a| a.holds) && good.audits.len() == 6);
    let ext = worst_scaled(&good, Precision::Extended);
    assert!(ext < 4096.0 * Precision::Extended.epsilon(), "{ext:e}");

    // the last path, 1o ⊗ 1o → 2e, with one coefficient off by 1e-6
    let bad = certify(
        &NumericTp {
            perturb: Some((5, 1e-6)),
        },
        &opts,
    )
    .unwrap();
    assert!(!bad.pass);
    assert_eq!(bad.broken_at.as_deref(), Some("tensor product"));
    let failed: Vec<_> = bad.failed_audits().collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].component.contains("path 5") && failed[0].component.contains("→ 2e"));
    assert!(bad
        .symmetry_breaks()
        .any(|l| l.name == "tensor product" && l.term == "1x2e"));
    assert!(bad
        .symmetry_breaks()
        .all(|l| l.kind <= TransformKind::Reflection));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..racah_core::testing::seeded(0xce27_0004) })]

    /// For any seed (structures and transformations): the equivariant toy passes, and the
    /// non-equivariant gate is found in layer "gated".
    #[test]
    fn certify_properties(seed in any::<u64>()) {
        let opts = CertifyOptions { seed, trials: 1, ..CertifyOptions::default() };
        let good = certify(&Toy::default(), &opts).unwrap();
        prop_assert!(good.pass, "{}", good);
        let bad = certify(&Toy { gate_on_vector: true, ..Toy::default() }, &opts).unwrap();
        prop_assert_eq!(bad.broken_at.as_deref(), Some("gated"));
    }
}
