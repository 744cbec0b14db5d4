//! Non-temporal ("streaming") stores for outputs too large to stay in cache.
//!
//! A normal store to a line that is not in cache first reads the line from memory (a
//! read-for-ownership), so writing N bytes of fresh output moves 2N bytes. Non-temporal stores
//! (`movntpd` / `movntps`, SSE2, so on every x86-64 CPU) go to memory through write-combining
//! buffers without that read. For a kernel that writes far more than it reads (spherical
//! harmonics at 10⁶ points: 24 bytes in, 72–2312 bytes out per point in f64) that halves the
//! memory traffic. The price: the output is not in cache afterwards, so this is only used when
//! it would not have fit anyway ([`StoreMode::Auto`], [`llc_bytes`]).
//!
//! A [`StreamWriter`] hands out a staging buffer (in L1) for the next rows of a destination
//! and sends whole 64-byte lines to it with non-temporal stores, the partial lines at either
//! end of the destination with normal stores, so that no line is written both ways; its
//! `finish` fences (`sfence`) before the output is handed to anyone else. The values stored are
//! the same bits either way; only the route to memory differs.
//!
//! This module and [`crate::dispatch`] are the crate's only `unsafe`: the intrinsics take raw
//! pointers, and the element type is recovered from `TypeId` (see the SAFETY notes).

#![allow(unsafe_code)]

use crate::Float;
use std::any::TypeId;
use std::sync::OnceLock;

/// How a batched kernel stores its output.
///
/// The result is the same bits in every mode; only speed and what is left in cache differ.
///
/// # Examples
/// ```
/// use racah_numeric::{ShNormalization, SphericalHarmonics, StoreMode};
/// let sh = SphericalHarmonics::<f64>::new(2, ShNormalization::Component, true)?
///     .with_store_mode(StoreMode::NonTemporal);
/// let mut out = vec![0.0; 9];
/// sh.compute(&[0.0, 0.0, 1.0], &mut out);
/// assert_eq!(out, SphericalHarmonics::<f64>::new(2, ShNormalization::Component, true)?
///     .compute_point([0.0, 0.0, 1.0]));
/// # Ok::<(), racah_numeric::NumericError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StoreMode {
    /// Non-temporal stores when the whole output is larger than the last-level cache
    /// ([`llc_bytes`]) and the kernel writes enough per unit of work to be bound by its stores
    /// (each kernel documents where that starts), normal stores otherwise.
    #[default]
    Auto,
    /// Always normal stores: the output stays in cache (for a consumer that reads it at once).
    Cached,
    /// Always non-temporal stores (f32 and f64 on x86-64; normal stores elsewhere).
    NonTemporal,
}

impl StoreMode {
    /// Whether an output of `bytes` bytes goes through non-temporal stores, where `pays` says
    /// whether the kernel is store-bound enough to gain from them (measured per kernel; see
    /// its `Auto` policy).
    pub(crate) fn streams<T: Float>(self, bytes: usize, pays: bool) -> bool {
        supported::<T>()
            && match self {
                StoreMode::Auto => pays && bytes > llc_bytes(),
                StoreMode::Cached => false,
                StoreMode::NonTemporal => true,
            }
    }
}

/// Whether [`stream_copy`] has non-temporal stores for `T` on this target.
fn supported<T: Float>() -> bool {
    cfg!(target_arch = "x86_64")
        && (TypeId::of::<T>() == TypeId::of::<f64>() || TypeId::of::<T>() == TypeId::of::<f32>())
}

/// The size of the last-level cache in bytes, read once from Linux's sysfs
/// (`/sys/devices/system/cpu/cpu0/cache/index*/size`, the largest level); 32 MiB where that is
/// not available. [`StoreMode::Auto`] streams outputs larger than this.
pub fn llc_bytes() -> usize {
    static LLC: OnceLock<usize> = OnceLock::new();
    *LLC.get_or_init(|| read_llc_bytes().unwrap_or(32 << 20))
}

fn read_llc_bytes() -> Option<usize> {
    let dir = std::fs::read_dir("/sys/devices/system/cpu/cpu0/cache").ok()?;
    let mut best: Option<(u32, usize)> = None;
    for entry in dir.flatten() {
        let path = entry.path();
        let level = std::fs::read_to_string(path.join("level")).ok()?;
        let size = std::fs::read_to_string(path.join("size")).ok()?;
        let level: u32 = level.trim().parse().ok()?;
        let bytes = parse_size(size.trim())?;
        if best.is_none_or(|(l, _)| level > l) {
            best = Some((level, bytes));
        }
    }
    best.map(|(_, b)| b).filter(|&b| b > 0)
}

/// `"32768K"`, `"2M"`, `"512"` → bytes.
fn parse_size(s: &str) -> Option<usize> {
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => s.split_at(i),
        None => (s, ""),
    };
    let n: usize = digits.parse().ok()?;
    let scale = match unit {
        "" => 1,
        "K" | "k" => 1 << 10,
        "M" | "m" => 1 << 20,
        "G" | "g" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(scale)
}

/// Bytes of staged output between two flushes of a [`StreamWriter`]: well inside L1.
const STAGE_BYTES: usize = 16 << 10;

/// Writes a destination slice front to back through a staging buffer: the caller fills the
/// next rows in the stage ([`rows`](Self::rows)), and whole 64-byte lines of the destination
/// leave with non-temporal stores. Only the partial lines at the very start and end of the
/// destination (which it may share with a neighbour's output) get normal stores, so no line is
/// written both ways: a normal store next to a half-written streaming line flushes it early,
/// which measured 2× slower than normal stores throughout (per-block staging, 288-byte blocks).
///
/// [`finish`](Self::finish) writes the rest and fences; dropping an unfinished writer loses the
/// staged rows (the kernels always finish).
pub(crate) struct StreamWriter<'a, T> {
    dst: &'a mut [T],
    /// Elements of `dst` already written.
    written: usize,
    /// Elements before the first line boundary of `dst` (normal stores).
    head: usize,
    stage: Vec<T>,
    /// Staged elements, destined for `dst[written..written + filled]`.
    filled: usize,
}

impl<'a, T: Float> StreamWriter<'a, T> {
    /// A writer for `dst` whose callers ask for at most `max_rows` elements at a time.
    pub(crate) fn new(dst: &'a mut [T], max_rows: usize) -> Self {
        let line = 64 / std::mem::size_of::<T>().max(1);
        let capacity =
            ((STAGE_BYTES / std::mem::size_of::<T>().max(1)).max(max_rows) + line).min(dst.len());
        let head = dst.as_ptr().align_offset(64).min(dst.len());
        StreamWriter {
            dst,
            written: 0,
            head,
            stage: vec![T::ZERO; capacity],
            filled: 0,
        }
    }

    /// The stage slice for the next `len` elements of the destination, to be filled by the
    /// caller (its old contents are unspecified).
    ///
    /// # Panics
    /// If that runs past the end of the destination.
    #[inline]
    pub(crate) fn rows(&mut self, len: usize) -> &mut [T] {
        assert!(
            self.written + self.filled + len <= self.dst.len(),
            "StreamWriter: past the end"
        );
        if self.filled + len > self.stage.len() {
            self.flush_lines();
            if self.filled + len > self.stage.len() {
                self.stage.resize(self.filled + len, T::ZERO);
            }
        }
        let start = self.filled;
        self.filled += len;
        &mut self.stage[start..start + len]
    }

    /// Streams every staged element up to the last line boundary; keeps the rest staged.
    fn flush_lines(&mut self) {
        let line = 64 / std::mem::size_of::<T>();
        let end = self.written + self.filled;
        // the last line boundary at or before `end` (if past the head)
        let cut_abs = if end <= self.head {
            self.written
        } else {
            self.head + (end - self.head) / line * line
        };
        let cut = cut_abs.saturating_sub(self.written);
        if cut == 0 {
            return;
        }
        let dst = &mut self.dst[self.written..cut_abs];
        let src = &self.stage[..cut];
        // the destination's own head: normal stores
        let normal = self.head.saturating_sub(self.written).min(cut);
        dst[..normal].copy_from_slice(&src[..normal]);
        stream_lines(&mut dst[normal..], &src[normal..]);
        self.stage.copy_within(cut..self.filled, 0);
        self.filled -= cut;
        self.written = cut_abs;
    }

    /// Writes everything staged (the trailing partial line with normal stores) and fences.
    pub(crate) fn finish(mut self) {
        self.flush_lines();
        let end = self.written + self.filled;
        self.dst[self.written..end].copy_from_slice(&self.stage[..self.filled]);
        self.written = end;
        self.filled = 0;
        fence();
    }
}

/// Copies `src` to `dst`, which starts on a 64-byte line and is whole lines long, with
/// non-temporal stores when `T` is f32 or f64 on x86-64 (plain copy otherwise).
#[inline]
fn stream_lines<T: Float>(dst: &mut [T], src: &[T]) {
    debug_assert_eq!(dst.len(), src.len());
    #[cfg(target_arch = "x86_64")]
    {
        if TypeId::of::<T>() == TypeId::of::<f64>() {
            // SAFETY: T is f64 (same TypeId), so the slices have f64's layout.
            let (d, s) = unsafe {
                (
                    &mut *(dst as *mut [T] as *mut [f64]),
                    &*(src as *const [T] as *const [f64]),
                )
            };
            x86::stream_f64(d, s);
            return;
        }
        if TypeId::of::<T>() == TypeId::of::<f32>() {
            // SAFETY: T is f32 (same TypeId).
            let (d, s) = unsafe {
                (
                    &mut *(dst as *mut [T] as *mut [f32]),
                    &*(src as *const [T] as *const [f32]),
                )
            };
            x86::stream_f32(d, s);
            return;
        }
    }
    dst.copy_from_slice(src);
}

/// Orders this thread's earlier non-temporal stores before its later stores (`sfence`), so that
/// whoever is told the output is ready sees it. A no-op off x86-64.
#[inline]
pub(crate) fn fence() {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `sfence` is SSE, part of the x86-64 baseline; it has no memory operands.
    unsafe {
        std::arch::x86_64::_mm_sfence()
    };
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::{_mm_loadu_pd, _mm_loadu_ps, _mm_stream_pd, _mm_stream_ps};

    /// `dst` starts on a 64-byte boundary (so every pair / quadruple is 16-byte aligned).
    pub(super) fn stream_f64(dst: &mut [f64], src: &[f64]) {
        debug_assert_eq!(dst.as_ptr().align_offset(16), 0);
        for (d, s) in dst.chunks_exact_mut(2).zip(src.chunks_exact(2)) {
            // SAFETY: `d` holds two f64 and starts on a 16-byte boundary, as `_mm_stream_pd`
            // requires; `s` holds two f64 for the unaligned load.
            unsafe { _mm_stream_pd(d.as_mut_ptr(), _mm_loadu_pd(s.as_ptr())) };
        }
    }

    pub(super) fn stream_f32(dst: &mut [f32], src: &[f32]) {
        debug_assert_eq!(dst.as_ptr().align_offset(16), 0);
        for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
            // SAFETY: `d` holds four f32 and starts on a 16-byte boundary; `s` holds four f32.
            unsafe { _mm_stream_ps(d.as_mut_ptr(), _mm_loadu_ps(s.as_ptr())) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("32768K"), Some(32 << 20));
        assert_eq!(parse_size("2M"), Some(2 << 20));
        assert_eq!(parse_size("512"), Some(512));
        assert_eq!(parse_size("12Q"), None);
        assert_eq!(parse_size(""), None);
    }

    /// Writes `pieces` (lengths) of 0.5, 1.5, … through a writer into `buf[offset..]`.
    fn write_through<T: Float>(buf: &mut [T], offset: usize, pieces: &[usize]) {
        let total: usize = pieces.iter().sum();
        let max = pieces.iter().copied().max().unwrap_or(0);
        let mut w = StreamWriter::new(&mut buf[offset..offset + total], max);
        let mut k = 0;
        for &len in pieces {
            for v in w.rows(len) {
                *v = T::from_f64(k as f64 + 0.5);
                k += 1;
            }
        }
        w.finish();
    }

    fn check<T: Float>() {
        // every alignment of the destination, piece sizes around and beyond the line size and
        // the stage, so that lines straddle pieces and flushes
        let piece_sets: [&[usize]; 6] = [
            &[],
            &[1],
            &[9, 9, 9, 9, 9, 9, 9],
            &[72; 40],
            &[2312, 2312, 2312, 7, 2312],
            &[5000, 1, 3, 17, 9000],
        ];
        for offset in 0..17 {
            for pieces in piece_sets {
                let total: usize = pieces.iter().sum();
                let mut buf = vec![T::from_f64(-1.0); total + 40];
                write_through(&mut buf, offset, pieces);
                for (i, v) in buf.iter().enumerate() {
                    let want = if i >= offset && i < offset + total {
                        T::from_f64((i - offset) as f64 + 0.5)
                    } else {
                        T::from_f64(-1.0)
                    };
                    assert_eq!(*v, want, "offset {offset}, pieces {pieces:?}, index {i}");
                }
            }
        }
    }

    #[test]
    fn writes_every_offset_and_piece_pattern() {
        check::<f64>();
        check::<f32>();
        check::<crate::DoubleDouble>();
    }

    #[test]
    #[should_panic(expected = "past the end")]
    fn refuses_to_run_past_the_end() {
        let mut buf = vec![0.0f64; 10];
        let mut w = StreamWriter::new(&mut buf, 8);
        w.rows(8);
        w.rows(8);
    }

    #[test]
    fn modes_choose_as_documented() {
        assert!(!StoreMode::Cached.streams::<f64>(usize::MAX, true));
        assert!(!StoreMode::Auto.streams::<f64>(1024, true));
        assert!(!StoreMode::Auto.streams::<f64>(usize::MAX, false));
        assert_eq!(
            StoreMode::Auto.streams::<f64>(llc_bytes() + 1, true),
            cfg!(target_arch = "x86_64")
        );
        assert_eq!(
            StoreMode::NonTemporal.streams::<f32>(0, false),
            cfg!(target_arch = "x86_64")
        );
        // other element types are always stored normally
        assert!(!StoreMode::NonTemporal.streams::<crate::DoubleDouble>(usize::MAX, true));
        assert!(llc_bytes() >= 1 << 20);
    }
}
