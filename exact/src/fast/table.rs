//! Compile-time tables for the machine-integer fast path: the primes up to 61, the exponents of
//! n! over them for n ≤ 63, and their powers that fit in a u64.

/// Number of primes ≤ [`MAX_N`].
pub(crate) const NP: usize = 18;

/// Largest factorial argument the fast path handles.
pub(crate) const MAX_N: i64 = 63;

/// The primes ≤ 61.
pub(crate) const PRIMES: [u32; NP] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61];

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

const fn fact_table() -> [Exps; 64] {
    let mut t = [[0i16; NP]; 64];
    let mut n = 0;
    while n < 64 {
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
pub(crate) static FACT: [Exps; 64] = fact_table();

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

/// `POW[i][k] = p_i^k`, or 0 when it does not fit in a u64.
pub(crate) static POW: [[u64; 64]; NP] = pow_table();

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
