//! Compile-time tables for the machine-integer fast path: the primes up to 53, the exponents of
//! n! over them for n ≤ 58, their powers that fit in a u64, and their inverses modulo 2^64.
//!
//! Sixteen primes make an exponent vector `[i16; 16]`: two SSE registers.

/// Number of primes ≤ [`MAX_N`].
pub(crate) const NP: usize = 16;

/// Largest factorial argument the fast path handles.
pub(crate) const MAX_N: i64 = 58;

/// The primes ≤ 53.
pub(crate) const PRIMES: [u32; NP] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53];

/// A prime-exponent vector over [`PRIMES`].
pub(crate) type Exps = [i16; NP];

const fn legendre(n: u32, p: u32) -> i16 {
    let mut q = n;
    let mut v = 0;
    while q >= p {
        q /= p;
        v += q;
    }
    v as i16
}

const fn fact_table() -> [Exps; MAX_N as usize + 1] {
    let mut t = [[0i16; NP]; MAX_N as usize + 1];
    let mut n = 0;
    while n <= MAX_N as usize {
        let mut i = 0;
        while i < NP {
            t[n][i] = legendre(n as u32, PRIMES[i]);
            i += 1;
        }
        n += 1;
    }
    t
}

/// `FACT[n][i] = v_{p_i}(n!)`.
pub(crate) static FACT: [Exps; MAX_N as usize + 1] = fact_table();

const fn pow_table() -> [[u64; 64]; NP] {
    let mut t = [[0u64; 64]; NP];
    let mut i = 0;
    while i < NP {
        let p = PRIMES[i] as u64;
        let mut v: u64 = 1;
        let mut k = 0;
        while k < 64 {
            t[i][k] = v;
            match v.checked_mul(p) {
                Some(w) => v = w,
                None => break,
            }
            k += 1;
        }
        i += 1;
    }
    t
}

/// `POW[i][k] = p_i^k`, or 0 when it does not fit in a u64 (`k >= MAX_POW[i]`).
pub(crate) static POW: [[u64; 64]; NP] = pow_table();

const fn pi_table() -> [usize; MAX_N as usize + 1] {
    let mut t = [0usize; MAX_N as usize + 1];
    let mut n = 0;
    while n <= MAX_N as usize {
        let mut k = 0;
        while k < NP && PRIMES[k] as usize <= n {
            k += 1;
        }
        t[n] = k;
        n += 1;
    }
    t
}

/// `PI[n]`: the number of primes `≤ n`; exponent vectors of factorials up to `n!` vanish beyond.
pub(crate) static PI: [usize; MAX_N as usize + 1] = pi_table();

const fn max_pow_table() -> [usize; NP] {
    let mut t = [0usize; NP];
    let mut i = 0;
    while i < NP {
        let mut k = 0;
        while k < 64 && POW_CONST[i][k] != 0 {
            k += 1;
        }
        t[i] = k;
        i += 1;
    }
    t
}

const POW_CONST: [[u64; 64]; NP] = pow_table();

/// `MAX_POW[i]`: the number of valid entries of `POW[i]` (`p_i^k` fits in a u64 exactly when
/// `k < MAX_POW[i]`; 64 for p = 2).
pub(crate) static MAX_POW: [usize; NP] = max_pow_table();

const fn inv_table() -> [(u64, u64); NP] {
    let mut t = [(0u64, 0u64); NP];
    let mut i = 1; // odd primes only
    while i < NP {
        let p = PRIMES[i] as u64;
        // Newton's iteration for p^-1 mod 2^64: each step doubles the correct low bits.
        let mut x: u64 = p; // correct to 3 bits for odd p
        let mut k = 0;
        while k < 5 {
            x = x.wrapping_mul(2u64.wrapping_sub(p.wrapping_mul(x)));
            k += 1;
        }
        t[i] = (x, u64::MAX / p);
        i += 1;
    }
    t
}

/// `INV[i] = (p_i^-1 mod 2^64, ⌊(2^64−1)/p_i⌋)` for odd primes: `n` is divisible by `p_i` iff
/// `n·p_i^-1 mod 2^64 ≤ ⌊(2^64−1)/p_i⌋`, and then `n/p_i = n·p_i^-1 mod 2^64` (Granlund &
/// Montgomery 1994).
pub(crate) static INV: [(u64, u64); NP] = inv_table();

#[inline(always)]
pub(crate) fn add(a: &mut Exps, b: &Exps) {
    for i in 0..NP {
        a[i] += b[i];
    }
}

#[inline(always)]
pub(crate) fn sub(a: &mut Exps, b: &Exps) {
    for i in 0..NP {
        a[i] -= b[i];
    }
}
