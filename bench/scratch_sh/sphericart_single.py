# sphericart single-thread ns/point, small in-cache batches (256 points), best of 60 (as
# numeric/examples/scratch_perf.rs): OMP_NUM_THREADS=1 bench/.venv/bin/python bench/scratch_sh/sphericart_single.py
import time, sys, numpy as np, sphericart
n = int(sys.argv[1]) if len(sys.argv) > 1 else 2048
rng = np.random.default_rng(0)
for grad in [False, True]:
    for l in [1, 2, 3, 4, 6, 8, 12, 16, 32]:
        res = []
        for dtype in [np.float64, np.float32]:
            xyz = (rng.random((n, 3)) * 2 - 1).astype(dtype)
            sh = sphericart.SphericalHarmonics(l)
            out = np.empty((n, (l + 1) ** 2), dtype=dtype)
            dout = np.empty((n, 3, (l + 1) ** 2), dtype=dtype) if grad else None
            reps = max(1, (50_000 if grad else 200_000) // (n * (l + 1) ** 2))
            best = 1e9
            for _ in range(60):
                t = time.perf_counter()
                for _ in range(reps):
                    sh._compute_numpy(xyz, out, dout, None)
                best = min(best, (time.perf_counter() - t) / (reps * n))
            res.append(best * 1e9)
        print(f"{'grad ' if grad else ''}l={l:2} f64 {res[0]:7.1f} ns/pt   f32 {res[1]:7.1f} ns/pt")
