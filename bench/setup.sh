#!/usr/bin/env bash
# Create bench/.venv and install the reference libraries (idempotent: re-running only
# installs what is missing or at the wrong version).
#   bash bench/setup.sh               # sympy, pywigxjpf, numpy, jax[cpu], e3nn-jax, sphericart
#   bash bench/setup.sh --with-torch  # plus torch + mace-torch (large, see requirements-torch.txt)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -r "$here/requirements.txt"
if [ "${1:-}" = "--with-torch" ]; then
  "$venv/bin/python" -m pip install -q -r "$here/requirements-torch.txt"
fi
"$venv/bin/python" - <<'PY'
import importlib.metadata as m
for d in ["sympy", "pywigxjpf", "numpy", "jax", "e3nn-jax", "sphericart", "torch", "mace-torch", "cuequivariance"]:
    try:
        print(f"  {d} {m.version(d)}")
    except m.PackageNotFoundError:
        print(f"  {d} (not installed)")
PY
echo "bench venv ready: $venv"
