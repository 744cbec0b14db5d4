//! Exact values against independent oracles: the worked examples recorded in
//! `shared/design/conventions-reference.md` and the sympy tables under `tests/golden/`.

use super::{Check, Tally};
use crate::cli::eval::evaluate;
use crate::cli::query::{Kind, Query};
use racah_core::fusion::FusionTree;
use racah_core::Irrep;

pub(super) fn checks() -> Vec<Check> {
    vec![
        Check {
            section: "exact",
            name: "worked-examples",
            description: "CG/3j/6j/9j/W worked examples (sympy, WIGXJPF) of CONVENTIONS.md",
            run: Some(worked_examples),
            identity: None,
        },
        Check {
            section: "exact",
            name: "sympy-cg",
            description: "Clebsch-Gordan against sympy's exact values (tests/golden/sympy_cg.tsv)",
            run: Some(|| golden(Kind::Cg, include_str!("../../../tests/golden/sympy_cg.tsv"))),
            identity: None,
        },
        Check {
            section: "exact",
            name: "sympy-3j",
            description: "3j against sympy's exact values (tests/golden/sympy_3j.tsv)",
            run: Some(|| {
                golden(
                    Kind::ThreeJ,
                    include_str!("../../../tests/golden/sympy_3j.tsv"),
                )
            }),
            identity: None,
        },
        Check {
            section: "exact",
            name: "sympy-6j",
            description: "6j against sympy's exact values (tests/golden/sympy_6j.tsv)",
            run: Some(|| {
                golden(
                    Kind::SixJ,
                    include_str!("../../../tests/golden/sympy_6j.tsv"),
                )
            }),
            identity: None,
        },
        Check {
            section: "exact",
            name: "sympy-9j",
            description: "9j against sympy's exact values (tests/golden/sympy_9j.tsv)",
            run: Some(|| {
                golden(
                    Kind::NineJ,
                    include_str!("../../../tests/golden/sympy_9j.tsv"),
                )
            }),
            identity: None,
        },
        Check {
            section: "exact",
            name: "sympy-racah-w",
            description: "Racah W against sympy's racah() (tests/golden/sympy_racah_w.tsv)",
            run: Some(|| {
                golden(
                    Kind::RacahW,
                    include_str!("../../../tests/golden/sympy_racah_w.tsv"),
                )
            }),
            identity: None,
        },
        Check {
            section: "exact",
            name: "e3nn-real-cg",
            description: "real-basis tensors l <= 4 against e3nn-jax within 2 eps (e3nn-jax <= 0.65 eps, racah <= 0.5 ulp)",
            run: Some(e3nn_real_cg),
            identity: None,
        },
        Check {
            section: "exact",
            name: "real-cg-exact",
            description: "real-basis tensors l <= 6: Frobenius norm exactly 1, exact commutation with L_x, L_y, L_z",
            run: Some(real_cg_exact),
            identity: None,
        },
        Check {
            section: "core",
            name: "fusion-path-counts",
            description: "fusion-tree path counts of MATH.md section 2, for every tree shape",
            run: Some(fusion_counts),
            identity: None,
        },
    ]
}

/// `(query, exact text)` pairs from conventions-reference.md sections 3.1 and 3.4.
const WORKED: &[(&str, &str)] = &[
    ("cg 1/2 1/2 1/2 -1/2 1 0", "sqrt(2)/2"),
    ("cg 1/2 1/2 1/2 -1/2 0 0", "sqrt(2)/2"),
    ("cg 1 1 1 0 2 1", "sqrt(2)/2"),
    ("cg 1 0 1 1 1 1", "-sqrt(2)/2"),
    ("cg 2 2 2 -2 0 0", "sqrt(5)/5"),
    ("cg 2 1 2 1 3 2", "0"),
    ("cg 2 0 2 0 1 0", "0"),
    ("3j 1 1 1 1 -1 0", "sqrt(6)/6"),
    ("6j 1 1 1 1 1 1", "1/6"),
    ("6j 3 3 3 3 3 3", "-1/14"),
    ("6j 5 5 5 5 5 5", "1/52"),
    ("6j 8 8 8 8 8 8", "-12219/965770"),
    (
        "6j 60 60 60 60 60 60",
        "-689702489298339102537670065690020673546392459151/\
         685156255050893201410177587912464646581542678203700",
    ),
    ("6j 1/2 1/2 1/2 1/2 1/2 1/2", "0"),
    ("9j 1 1 1 1 1 1 1 1 0", "1/18"),
    ("9j 1 2 3 3 2 1 2 1 3", "-4*sqrt(70)/11025"),
    ("9j 3 3 2 3 3 2 3 3 2", "17*sqrt(6)/4410"),
    ("9j 5 5 5 5 5 5 5 5 5", "0"),
    ("w 3 3 3 3 3 3", "-1/14"),
    ("w 5.5 7.5 9.5 6.5 8 9", "-719*sqrt(598)/1158924"),
    ("w 1 3/2 2 5/2 3/2 2", "sqrt(2)/60"),
];

fn worked_examples() -> Tally {
    let mut t = Tally::default();
    for (q, want) in WORKED {
        match Query::parse_line(q)
            .map_err(|e| e.to_string())
            .and_then(|p| evaluate(&p).map_err(|e| e.to_string()))
        {
            Ok(v) => {
                let got = v.to_string();
                t.check(got == *want, || format!("{q}: got {got}, expected {want}"));
            }
            Err(e) => t.error(format!("{q}: {e}")),
        }
    }
    t
}

/// Compares every record of a golden table (`2j… | sign num/den`) with `==` on sign, num, den.
fn golden(kind: Kind, text: &str) -> Tally {
    let mut t = Tally::default();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((args, value)) = line.split_once('|') else {
            t.error(format!("malformed golden line {line:?}"));
            continue;
        };
        let twice: Result<Vec<i64>, _> = args.split_whitespace().map(str::parse).collect();
        let mut parts = value.split_whitespace();
        let (sign, frac) = (parts.next(), parts.next());
        let (Ok(twice), Some(sign), Some((num, den))) =
            (twice, sign, frac.and_then(|f| f.split_once('/')))
        else {
            t.error(format!("malformed golden line {line:?}"));
            continue;
        };
        let want_sign = match sign {
            "+" => 1,
            "-" => -1,
            _ => 0,
        };
        match evaluate(&Query { kind, twice }) {
            Ok(v) => {
                let ok = v.sign() == want_sign
                    && (want_sign == 0
                        || (v.sq_num().to_string() == num && v.sq_den().to_string() == den));
                t.check(ok, || {
                    format!("{}: got {v}, sympy {sign} sqrt({num}/{den})", args.trim())
                });
            }
            Err(e) => t.error(format!("{}: {e}", args.trim())),
        }
    }
    t
}

fn e3nn_real_cg() -> Tally {
    let mut t = Tally::default();
    let text = include_str!("../../../tests/golden/e3nn_real_cg_l_le_4.json");
    let doc: serde_json::Value = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            t.error(format!("e3nn_real_cg_l_le_4.json: {e}"));
            return t;
        }
    };
    let Some(map) = doc.as_object() else {
        t.error("e3nn_real_cg_l_le_4.json is not an object".into());
        return t;
    };
    for (key, value) in map.iter().filter(|(k, _)| !k.starts_with('_')) {
        let ls: Vec<u32> = key.split(',').filter_map(|x| x.parse().ok()).collect();
        let [l1, l2, l3] = ls[..] else {
            t.error(format!("bad key {key:?}"));
            continue;
        };
        let c = match racah_exact::real_cg(l1, l2, l3) {
            Ok(c) => c,
            Err(e) => {
                t.error(format!("{key}: {e}"));
                continue;
            }
        };
        let ours = c.to_f64();
        let theirs: Vec<f64> = value
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|p| p.as_array().into_iter().flatten())
            .flat_map(|r| r.as_array().into_iter().flatten())
            .filter_map(|x| x.as_f64())
            .collect();
        if theirs.len() != ours.len() {
            t.error(format!(
                "{key}: e3nn-jax has {} entries, racah {}",
                theirs.len(),
                ours.len()
            ));
            continue;
        }
        let worst = ours
            .iter()
            .zip(&theirs)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f64, f64::max);
        t.check(worst <= 2.0 * f64::EPSILON, || {
            format!("C[{key}]: max |racah - e3nn-jax| = {worst:e} > 2 eps")
        });
    }
    t
}

fn real_cg_exact() -> Tally {
    let mut t = Tally::default();
    let one = racah_exact::SqrtRational::ONE;
    for l1 in 0..=6u32 {
        for l2 in 0..=6u32 {
            for l3 in l1.abs_diff(l2)..=(l1 + l2).min(6) {
                match racah_exact::real_cg(l1, l2, l3) {
                    Ok(c) => {
                        let norm = c.frobenius_norm_squared();
                        t.check(norm == one, || {
                            format!("|C[{l1},{l2},{l3}]|^2 = {norm}, not 1")
                        });
                        t.check(c.is_equivariant(), || {
                            format!("C[{l1},{l2},{l3}] does not commute with the generators")
                        });
                    }
                    Err(e) => t.error(format!("real_cg({l1},{l2},{l3}): {e}")),
                }
            }
        }
    }
    t
}

fn fusion_counts() -> Tally {
    let mut t = Tally::default();
    // MATH.md section 2: (leaves) -> L with natural parity leaves, and the O(3) parity example.
    let cases: &[(&[u32], u32, u64)] = &[
        (&[1, 1], 0, 1),
        (&[1, 1, 1], 1, 3),
        (&[1, 1, 1, 1], 0, 3),
        (&[1, 2, 3, 4], 2, 12),
        (&[2, 2, 2, 2], 2, 16),
        (&[3, 3, 3, 3], 0, 7),
    ];
    for (ls, l_out, want) in cases {
        let leaves: Vec<Irrep> = ls.iter().map(|&l| Irrep::harmonic(l)).collect();
        let sum: u32 = ls.iter().sum();
        let out = Irrep::l(*l_out, racah_core::Parity::of_harmonic(sum));
        let shapes = match FusionTree::all_shapes(leaves.len()) {
            Ok(s) => s,
            Err(e) => {
                t.error(format!("{ls:?}: {e}"));
                continue;
            }
        };
        for shape in shapes {
            match shape.count_paths(&leaves, out) {
                Ok(n) => t.check(n == *want, || {
                    format!(
                        "{ls:?} -> {out} in shape {}: {n} paths, MATH.md says {want}",
                        shape.root()
                    )
                }),
                Err(e) => t.error(format!("{ls:?}: {e}")),
            }
        }
    }
    // three polar vectors fuse to the pseudo-scalar 0o, not to 0e
    let v = [Irrep::harmonic(1); 3];
    let count = |out: &str| {
        FusionTree::left_associated(3)
            .and_then(|tree| tree.count_paths(&v, out.parse().expect("literal irrep")))
    };
    let (odd, even) = (count("0o"), count("0e"));
    t.check(matches!((&odd, &even), (Ok(1), Ok(0))), || {
        format!("1o x 1o x 1o: 0o has {odd:?} paths, 0e has {even:?}; expected 1 and 0")
    });
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_check_catches_a_wrong_record() {
        let good = "# header\n2 2 2 2 2 2 | + 1/36\n";
        let t = golden(Kind::SixJ, good);
        assert_eq!((t.cases, t.failures), (1, 0));
        let bad = "2 2 2 2 2 2 | + 1/35\n2 2 2 2 2 2 | - 1/36\n1 1 1 1 1 1 | + 1/36\nnonsense\n";
        let t = golden(Kind::SixJ, bad);
        assert_eq!((t.cases, t.failures), (4, 4));
        assert!(t.first[0].contains("sympy + sqrt(1/35)"), "{:?}", t.first);
    }

    #[test]
    fn built_in_checks_pass() {
        for c in checks() {
            let t = (c.run.expect("implemented"))();
            assert!(t.cases > 0 && t.failures == 0, "{}: {:?}", c.name, t.first);
        }
    }
}
