//! [`WignerEckart`]: the Wigner–Eckart theorem for tensor operators coupled from the angular
//! momentum generators.

use crate::identity::acc::ExactSum;
use crate::identity::enumerate::{half, spins};
use crate::identity::six_j_orthogonality::six_j_value;
use crate::identity::{Case, Cases, Failure, Identity};
use racah_exact::{Cg, SqrtRational};

/// A spherical tensor operator on one spin, built from J by coupling.
#[derive(Clone, Debug)]
enum Op {
    /// The generators as a rank-1 tensor: `J_{+1} = −J_+/√2`, `J_0 = J_z`, `J_{−1} = J_−/√2`.
    J,
    /// `[A ⊗ B]^k_q = Σ_{q1 q2} ⟨k_A q1 k_B q2|k q⟩ A_{q1} B_{q2}`.
    Couple(Box<Op>, Box<Op>, i64),
}

impl Op {
    fn rank(&self) -> i64 {
        match self {
            Op::J => 1,
            Op::Couple(_, _, k) => *k,
        }
    }

    fn name(&self) -> String {
        match self {
            Op::J => "J".to_string(),
            Op::Couple(a, b, k) => format!("[{}⊗{}]^{k}", a.name(), b.name()),
        }
    }
}

fn couple(a: Op, b: Op, k: i64) -> Op {
    Op::Couple(Box::new(a), Box::new(b), k)
}

/// The operators checked, by index: J; [J⊗J]^0,1,2; [[J⊗J]^2⊗J]^1,2,3; [[J⊗J]^2⊗[J⊗J]^2]^4.
fn operators() -> Vec<Op> {
    let jj2 = || couple(Op::J, Op::J, 2);
    vec![
        Op::J,
        couple(Op::J, Op::J, 0),
        couple(Op::J, Op::J, 1),
        jj2(),
        couple(jj2(), Op::J, 1),
        couple(jj2(), Op::J, 2),
        couple(jj2(), Op::J, 3),
        couple(jj2(), jj2(), 4),
    ]
}

/// Matrix elements `⟨j m+q|T_q|j m⟩`, indexed `[q + k][m + j]` (m doubled: `2m = 2i − 2j`).
type Components = Vec<Vec<ExactSum>>;

fn sqrt_ratio(case: &Case, n: i64, d: i64) -> Result<SqrtRational, Failure> {
    SqrtRational::sqrt_of_ratio(n as u64, d as u64).map_err(|e| Failure::engine(case, e))
}

fn matrix(case: &Case, op: &Op, tj: i64) -> Result<Components, Failure> {
    let dim = (tj + 1) as usize;
    match op {
        Op::J => {
            let mut out = vec![vec![ExactSum::new(); dim]; 3];
            for i in 0..dim {
                let tm = 2 * i as i64 - tj;
                // ⟨m+1|J+|m⟩ = √((j−m)(j+m+1)), ⟨m−1|J−|m⟩ = √((j+m)(j−m+1))
                let up = sqrt_ratio(case, (tj - tm) * (tj + tm + 2), 8)?;
                let down = sqrt_ratio(case, (tj + tm) * (tj - tm + 2), 8)?;
                out[2][i].add_signed(&up, true);
                out[1][i].add(&SqrtRational::rational(tm, 2));
                out[0][i].add(&down);
            }
            Ok(out)
        }
        Op::Couple(a, b, k) => {
            let (ka, kb) = (a.rank(), b.rank());
            let ma = matrix(case, a, tj)?;
            let mb = matrix(case, b, tj)?;
            let mut out = vec![vec![ExactSum::new(); dim]; (2 * k + 1) as usize];
            for q in -k..=*k {
                for q1 in -ka..=ka {
                    let q2 = q - q1;
                    if q2.abs() > kb {
                        continue;
                    }
                    let c = Cg::from_twice(2 * ka, 2 * q1, 2 * kb, 2 * q2, 2 * k, 2 * q)
                        .map_err(|e| Failure::engine(case, e))?
                        .value();
                    if c.is_zero() {
                        continue;
                    }
                    for i in 0..dim {
                        // B_{q2} takes m to m+q2, then A_{q1} to m+q.
                        let mid = i as i64 + q2;
                        if mid < 0 || mid >= dim as i64 {
                            continue;
                        }
                        let prod = ma[(q1 + ka) as usize][mid as usize]
                            .times(&mb[(q2 + kb) as usize][i])
                            .scaled(&c);
                        out[(q + k) as usize][i].add_sum(&prod);
                    }
                }
            }
            Ok(out)
        }
    }
}

/// The reduced matrix element `R` in `⟨j m'|T^k_q|j m⟩ = ⟨j m k q|j m'⟩·R`:
/// `R(J) = √(j(j+1))`, and for a coupled product
/// `R([A⊗B]^k) = (−1)^(k+2j) √((2k+1)(2j+1)) {k_A k_B k; j j j} R(A) R(B)`.
fn reduced(case: &Case, op: &Op, tj: i64) -> Result<SqrtRational, Failure> {
    match op {
        Op::J => sqrt_ratio(case, tj * (tj + 2), 4),
        Op::Couple(a, b, k) => {
            let six = six_j_value(case, [2 * a.rank(), 2 * b.rank(), 2 * k, tj, tj, tj])?;
            let root = sqrt_ratio(case, (2 * k + 1) * (tj + 1), 1)?;
            let r = &(&(&six * &root) * &reduced(case, a, tj)?) * &reduced(case, b, tj)?;
            Ok(if (k + tj) % 2 != 0 { -r } else { r })
        }
    }
}

/// The Wigner–Eckart theorem for tensor operators coupled from the angular momentum
/// generators, with the reduced element from the coupling rule (a 6j recursion):
///
/// ```text
/// ⟨j m'|T^k_q|j m⟩ = ⟨j m k q|j m'⟩ · R(T)           for every m, q, m'
/// R(J) = √(j(j+1)),   J_{±1} = ∓J_±/√2, J_0 = J_z
/// [A⊗B]^k_q = Σ_{q1 q2} ⟨k_A q1 k_B q2|k q⟩ A_{q1} B_{q2}
/// R([A⊗B]^k) = (−1)^(k+2j) √((2k+1)(2j+1)) {k_A k_B k; j j j} R(A) R(B)
/// ```
///
/// The matrix elements are computed exactly from `J_±`, `J_z` (entries `√((j∓m)(j±m+1))`) by
/// operator products. Operators, by index: `J`; `[J⊗J]^0`, `^1`, `^2`; `[[J⊗J]^2⊗J]^1`, `^2`,
/// `^3`; `[[J⊗J]^2⊗[J⊗J]^2]^4`. Cases `[2j, operator index]` for every `2j ≤ max_twice_j`.
///
/// # Convention
/// `CONVENTIONS.md#condon-shortley`, `CONVENTIONS.md#six-j`; equivalently Edmonds'
/// `⟨j'||T||j⟩ = √(2j'+1)·R`.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{Case, Identity, WignerEckart};
/// assert!(WignerEckart.check(&Case::new([3, 3])).is_ok()); // j = 3/2, T = [J⊗J]^2
/// ```
///
/// # References
/// Edmonds (1957), eqs. (5.4.1), (5.4.3), (7.1.1).
#[derive(Clone, Copy, Debug, Default)]
pub struct WignerEckart;

impl Identity for WignerEckart {
    fn name(&self) -> &'static str {
        "wigner-eckart"
    }

    fn description(&self) -> &'static str {
        "⟨j m'|T^k_q|j m⟩ = ⟨j m k q|j m'⟩·R for T = J, [J⊗J]^k, [[J⊗J]^2⊗J]^k, \
         [[J⊗J]^2⊗[J⊗J]^2]^4, R from the 6j coupling rule"
    }

    fn default_bound(&self) -> u32 {
        60
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        let n = i64::from(max_twice_j);
        let ops = operators().len() as i64;
        Box::new(spins(n).flat_map(move |tj| (0..ops).map(move |o| Case::new([tj, o]))))
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let [tj, o] = case.array::<2>(2)?;
        let ops = operators();
        let Some(op) = usize::try_from(o).ok().and_then(|o| ops.get(o)) else {
            return Err(Failure::new(
                case,
                "malformed case",
                format!("operator index {o}"),
                "",
            ));
        };
        let k = op.rank();
        let m = matrix(case, op, tj)?;
        let r = reduced(case, op, tj)?;
        for q in -k..=k {
            for i in 0..=tj {
                let tm = 2 * i - tj;
                let cg = Cg::from_twice(tj, tm, 2 * k, 2 * q, tj, tm + 2 * q)
                    .map_err(|e| Failure::engine(case, e))?
                    .value();
                let want = &cg * &r;
                let have = &m[(q + k) as usize][i as usize];
                if !have.equals(&want) {
                    let (j, mm, mp) = (half(tj), half(tm), half(tm + 2 * q));
                    let relation = format!(
                        "<{j} {mp}|T_{q}|{j} {mm}> = <{j} {mm} {k} {q}|{j} {mp}>·R, T = {}",
                        op.name()
                    );
                    return Err(Failure::new(case, relation, have, want));
                }
            }
        }
        Ok(())
    }
}
