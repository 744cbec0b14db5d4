//! The cycle index of the symmetric group S_n: its conjugacy classes (cycle types) with their
//! sizes, exactly.

use rug::Integer;

use super::CountingError;

/// Largest n whose cycle types are summed (p(24) = 1575 classes).
pub const MAX_CYCLE_INDEX_N: usize = 24;

/// One conjugacy class of S_n: the cycle type λ (parts in decreasing order) and the number of
/// permutations with that type, n!/z_λ.
///
/// ```text
/// Z(S_n) = (1/n!) Σ_λ (n!/z_λ) Π_i p_{λ_i},     z_λ = Π_c c^{m_c} m_c!
/// ```
/// (m_c = number of parts equal to c).
///
/// # Examples
/// ```
/// use racah_proofs::counting::cycle_types;
/// let s3 = cycle_types(3)?;
/// let text: Vec<String> = s3.iter().map(|c| format!("{:?}:{}", c.parts, c.class_size)).collect();
/// assert_eq!(text, ["[3]:2", "[2, 1]:3", "[1, 1, 1]:1"]);
/// # Ok::<(), racah_proofs::counting::CountingError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CycleType {
    /// The cycle lengths, decreasing, summing to n.
    pub parts: Vec<usize>,
    /// The number of permutations of this type, n!/z_λ.
    pub class_size: Integer,
}

/// Every cycle type of S_n with its class size, parts in decreasing order, types in reverse
/// lexicographic order (`[n]` first). `n = 0` gives the one empty type of size 1.
///
/// # Errors
/// [`CountingError::TooLarge`] if `n > MAX_CYCLE_INDEX_N`.
///
/// # Examples
/// See [`CycleType`].
pub fn cycle_types(n: usize) -> Result<Vec<CycleType>, CountingError> {
    if n > MAX_CYCLE_INDEX_N {
        return Err(CountingError::TooLarge {
            what: "n (symmetric group degree)",
            value: n,
            max: MAX_CYCLE_INDEX_N,
        });
    }
    let n_fact = Integer::from(Integer::factorial(n as u32));
    let mut out = Vec::new();
    let mut parts = Vec::new();
    partitions(n, n, &mut parts, &mut |p| {
        out.push(CycleType {
            parts: p.to_vec(),
            class_size: &n_fact / z_lambda(p),
        });
    });
    Ok(out)
}

/// z_λ = Π_c c^{m_c} m_c! (the order of the centraliser).
fn z_lambda(parts: &[usize]) -> Integer {
    let mut z = Integer::from(1);
    let mut i = 0;
    while i < parts.len() {
        let c = parts[i];
        let m = parts[i..].iter().take_while(|&&x| x == c).count();
        z *= Integer::from(Integer::u_pow_u(c as u32, m as u32));
        z *= Integer::from(Integer::factorial(m as u32));
        i += m;
    }
    z
}

fn partitions(n: usize, max: usize, parts: &mut Vec<usize>, f: &mut impl FnMut(&[usize])) {
    if n == 0 {
        f(parts);
        return;
    }
    for c in (1..=max.min(n)).rev() {
        parts.push(c);
        partitions(n - c, c, parts, f);
        parts.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_class_sizes_sum_to_factorial() {
        for n in 0..=10usize {
            let types = cycle_types(n).unwrap();
            let total: Integer = types.iter().map(|c| &c.class_size).sum();
            assert_eq!(
                total,
                Integer::from(Integer::factorial(n as u32)),
                "n = {n}"
            );
            assert!(types.iter().all(|c| c.parts.iter().sum::<usize>() == n));
        }
        // p(10) = 42 conjugacy classes
        assert_eq!(cycle_types(10).unwrap().len(), 42);
        assert_eq!(cycle_types(0).unwrap()[0].class_size, 1);
    }

    #[test]
    fn cycle_types_rejects_large_n() {
        let e = cycle_types(MAX_CYCLE_INDEX_N + 1).unwrap_err();
        assert!(e.to_string().contains("25"), "{e}");
    }
}
