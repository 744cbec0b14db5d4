//! Small integer helpers: gcd and square-free factorisation of machine integers.

/// Greatest common divisor (binary algorithm); `gcd(0, b) = b`.
#[inline]
pub(crate) fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

/// Greatest common divisor of u128 values.
#[inline]
pub(crate) fn gcd_u128(mut a: u128, mut b: u128) -> u128 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    if (a | b) >> 64 == 0 {
        return gcd_u64(a as u64, b as u64) as u128;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
        if (a | b) >> 64 == 0 {
            return (gcd_u64(a as u64, b as u64) as u128) << shift;
        }
    }
}

/// Integer square root ⌊√n⌋.
pub(crate) fn isqrt_u64(n: u64) -> u64 {
    let mut r = (n as f64).sqrt() as u64;
    while r.checked_mul(r).is_none_or(|sq| sq > n) {
        r -= 1;
    }
    while (r + 1).checked_mul(r + 1).is_some_and(|sq| sq <= n) {
        r += 1;
    }
    r
}

/// Writes `n = a² · b` with `b` square-free, returning `(a, b)`; `n >= 1`.
///
/// Trial division by every candidate up to `n^(1/3)` (at most ≈ 2.6·10^6 steps for `n < 2^64`),
/// after which the cofactor is 1, a prime, a prime square or a product of two distinct primes.
pub(crate) fn square_free_split(mut n: u64) -> (u64, u64) {
    debug_assert!(n >= 1);
    let mut a: u64 = 1;
    let mut b: u64 = 1;
    let mut p: u64 = 2;
    while p.saturating_mul(p).saturating_mul(p) <= n {
        if n % p == 0 {
            let mut e = 0u32;
            while n % p == 0 {
                n /= p;
                e += 1;
            }
            a *= p.pow(e / 2);
            if e % 2 == 1 {
                b *= p;
            }
        }
        p += if p == 2 { 1 } else { 2 };
    }
    // The cofactor has no prime factor below its cube root: 1, q, q² or q·r.
    let r = isqrt_u64(n);
    if r > 1 && r * r == n {
        a *= r;
    } else {
        b *= n;
    }
    (a, b)
}

/// Whether `n >= 1` is square-free.
pub(crate) fn is_square_free(n: u64) -> bool {
    n >= 1 && square_free_split(n).0 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_square_free_split() {
        assert_eq!(square_free_split(1), (1, 1));
        assert_eq!(square_free_split(12), (2, 3));
        assert_eq!(square_free_split(72), (6, 2));
        assert_eq!(square_free_split(49335), (1, 49335));
        assert_eq!(
            square_free_split(4_294_967_291 * 4_294_967_291),
            (4_294_967_291, 1)
        );
        assert_eq!(square_free_split(u64::MAX), (1, u64::MAX)); // 3·5·17·257·641·65537·6700417
        for n in 1..3000u64 {
            let (a, b) = square_free_split(n);
            assert_eq!(a * a * b, n);
            assert!((2..b).all(|k| b % (k * k) != 0), "{n}");
        }
    }

    #[test]
    fn test_gcd() {
        assert_eq!(gcd_u64(12, 18), 6);
        assert_eq!(gcd_u64(0, 5), 5);
        assert_eq!(gcd_u128(1 << 100, 3 << 90), 1 << 90);
        assert_eq!(gcd_u128(u128::MAX, 3), 3);
        assert_eq!(isqrt_u64(u64::MAX), 4_294_967_295);
    }
}
