//! [`FactorialCache`]: prime factorisations of n!, grown on demand.

use std::cell::RefCell;

/// Rows of n! exponents are stored for n up to this bound (≈ 2.3 MB when full); beyond it the
/// exponents come from Legendre's formula over the cached primes. Neither limits the spins.
const ROW_CAP: u32 = 4096;

/// Prime factorisations of factorials, `n! = ∏_p p^(v_p(n!))`, computed once and reused.
///
/// ```text
/// v_p(n!) = Σ_{k ≥ 1} ⌊n / p^k⌋          (Legendre)
/// ```
///
/// Every exact symbol evaluation works with these exponent vectors: the radicand of a CG, 3j, 6j
/// or 9j value is read off from the odd exponents, so no big number is ever factored. The cache
/// grows on demand with no fixed spin limit: a sieve of primes up to the largest argument seen,
/// and dense exponent rows of n! for n ≤ 4096 (larger n use Legendre's formula on the primes).
///
/// Symbols' `.value()` uses a thread-local default cache (see [`FactorialCache::with_default`]);
/// `.value_with(&mut cache)` takes an explicit one, so the cost of warming it is under the
/// caller's control.
///
/// # Examples
/// ```
/// use racah_exact::FactorialCache;
/// let mut cache = FactorialCache::new();
/// // 10! = 2^8 · 3^4 · 5^2 · 7
/// assert_eq!(cache.factorial_exponents(10), vec![8, 4, 2, 1]);
/// assert_eq!(&cache.primes()[..4], &[2, 3, 5, 7]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct FactorialCache {
    /// All primes ≤ `sieve_limit`.
    primes: Vec<u32>,
    sieve_limit: u32,
    /// Row n (for n ≤ rows_upto) is `rows[offsets[n]..offsets[n] + π(n)]`.
    rows: Vec<u16>,
    offsets: Vec<usize>,
}

thread_local! {
    static DEFAULT_CACHE: RefCell<FactorialCache> = RefCell::new(FactorialCache::new());
}

impl FactorialCache {
    /// An empty cache.
    pub fn new() -> Self {
        FactorialCache::default()
    }

    /// A cache already holding everything needed for factorials up to `n!`.
    pub fn with_max_n(n: u32) -> Self {
        let mut c = FactorialCache::new();
        c.ensure(n);
        c
    }

    /// Runs `f` with this thread's default cache, the one `.value()` of every symbol uses.
    ///
    /// The default cache is thread-local (no locking, no cross-thread sharing); it lives as long
    /// as the thread and only grows.
    ///
    /// # Panics
    /// If `f` itself calls `with_default` (re-entrant use of the same cache).
    pub fn with_default<R>(f: impl FnOnce(&mut FactorialCache) -> R) -> R {
        DEFAULT_CACHE.with(|c| f(&mut c.borrow_mut()))
    }

    /// Largest n for which primes (and so factorial exponents) are cached.
    pub fn max_n(&self) -> u32 {
        self.sieve_limit
    }

    /// The cached primes, increasing.
    pub fn primes(&self) -> &[u32] {
        &self.primes
    }

    /// Exponents of `n!` over the primes `≤ n` (`[v_2, v_3, v_5, …]`), growing the cache.
    pub fn factorial_exponents(&mut self, n: u32) -> Vec<u32> {
        let mut e = vec![0i64; 0];
        self.add_factorial(&mut e, n, 1);
        e.into_iter().map(|x| x as u32).collect()
    }

    /// Grows the cache so that factorials up to `n!` are available.
    pub fn ensure(&mut self, n: u32) {
        if n > self.sieve_limit {
            self.sieve(n.max(self.sieve_limit.saturating_mul(2)).max(64));
        }
        let rows_upto = self.offsets.len() as u32; // rows for 0..rows_upto exist
        let want = n.min(ROW_CAP);
        if want + 1 > rows_upto {
            self.grow_rows(want);
        }
    }

    fn sieve(&mut self, limit: u32) {
        let limit = limit as usize;
        let mut composite = vec![false; limit + 1];
        let mut primes = Vec::new();
        for i in 2..=limit {
            if !composite[i] {
                primes.push(i as u32);
                let mut k = i * i;
                while k <= limit {
                    composite[k] = true;
                    k += i;
                }
            }
        }
        self.primes = primes;
        self.sieve_limit = limit as u32;
    }

    fn grow_rows(&mut self, upto: u32) {
        if self.offsets.is_empty() {
            self.offsets.push(0); // 0! = 1: empty row
        }
        let mut n = self.offsets.len() as u32;
        while n <= upto {
            let prev_off = self.offsets[n as usize - 1];
            let prev_len = self.primes.partition_point(|&p| p < n);
            let len = self.primes.partition_point(|&p| p <= n);
            let off = self.rows.len();
            self.rows.extend_from_within(prev_off..prev_off + prev_len);
            self.rows.resize(off + len, 0);
            // Multiply by n: add the factorisation of n.
            let mut m = n;
            for (i, &p) in self.primes.iter().enumerate() {
                if p * p > m {
                    break;
                }
                while m % p == 0 {
                    m /= p;
                    self.rows[off + i] += 1;
                }
            }
            if m > 1 {
                let i = self.primes.partition_point(|&p| p < m);
                self.rows[off + i] += 1;
            }
            self.offsets.push(off);
            n += 1;
        }
    }

    /// `exps[i] += k · v_{p_i}(n!)`, extending `exps` with zeros as needed.
    pub(crate) fn add_factorial(&mut self, exps: &mut Vec<i64>, n: u32, k: i64) {
        if n < 2 || k == 0 {
            return;
        }
        self.ensure(n);
        let len = self.primes.partition_point(|&p| p <= n);
        if exps.len() < len {
            exps.resize(len, 0);
        }
        if (n as usize) < self.offsets.len() {
            let off = self.offsets[n as usize];
            for (e, &r) in exps.iter_mut().zip(&self.rows[off..off + len]) {
                *e += k * r as i64;
            }
        } else {
            for (e, &p) in exps.iter_mut().zip(&self.primes[..len]) {
                let (mut q, p) = (n as u64, p as u64);
                let mut v = 0u64;
                while q >= p {
                    q /= p;
                    v += q;
                }
                *e += k * v as i64;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn legendre(n: u32, p: u32) -> u32 {
        let mut q = n;
        let mut v = 0;
        while q >= p {
            q /= p;
            v += q;
        }
        v
    }

    #[test]
    fn test_factorial_exponents() {
        let mut c = FactorialCache::new();
        assert_eq!(c.factorial_exponents(0), Vec::<u32>::new());
        assert_eq!(c.factorial_exponents(1), Vec::<u32>::new());
        assert_eq!(c.factorial_exponents(4), vec![3, 1]);
        // rows and Legendre agree across the row cap
        for n in [97, 500, 4095, 4096, 4097, 10_000] {
            let e = c.factorial_exponents(n);
            for (i, &p) in c.primes().iter().take_while(|&&p| p <= n).enumerate() {
                assert_eq!(e[i], legendre(n, p), "v_{p}({n}!)");
            }
        }
    }

    #[test]
    fn cache_grows_on_demand() {
        let mut c = FactorialCache::with_max_n(10);
        assert!(c.max_n() >= 10);
        c.ensure(100_000);
        assert!(c.max_n() >= 100_000);
        assert_eq!(c.factorial_exponents(100_000)[0], legendre(100_000, 2));
        FactorialCache::with_default(|d| assert_eq!(d.factorial_exponents(6), vec![4, 2, 1]));
    }
}
