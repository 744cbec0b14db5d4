# sphericart CPU throughput (points/s) under the same conditions as
# `cargo bench -p racah-numeric --bench sh`: uniform points in [-1,1)^3, normalised, output
# buffers allocated once and reused (sphericart's own _compute_numpy with preallocated arrays).
# Usage: OMP_NUM_THREADS=2 bench/.venv/bin/python bench/scratch_sh/sphericart_bench.py [n]
import time, sys, numpy as np, sphericart
n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
rng = np.random.default_rng(0)
def best_median(f, reps):
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    ts.sort()
    return ts[0], ts[len(ts) // 2]
for dtype in [np.float64, np.float32]:
    for l in [2, 4, 8, 16]:
        m = n if l < 16 else n // 2
        xyz = (rng.random((m, 3)) * 2 - 1).astype(dtype)
        sh = sphericart.SphericalHarmonics(l)
        out = np.empty((m, (l + 1) ** 2), dtype=dtype)
        dout = np.empty((m, 3, (l + 1) ** 2), dtype=dtype)
        sh._compute_numpy(xyz, out, None, None)
        b, md = best_median(lambda: sh._compute_numpy(xyz, out, None, None), 30)
        bg, mg = best_median(lambda: sh._compute_numpy(xyz, out, dout, None), 10)
        print(f"sphericart {np.dtype(dtype).name} l_max={l} n={m}: values best {m/b/1e6:.1f} median {m/md/1e6:.1f} Mpts/s; "
              f"with gradients best {m/bg/1e6:.1f} median {m/mg/1e6:.1f} Mpts/s")
