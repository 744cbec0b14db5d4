"""A Morse pair potential as an external model for `racah certify --cmd` (needs numpy).

    racah certify --cmd "python3 examples/external/pair_model.py" \
        --species 1,8 --output energy=1x0e --atom-output forces=1x1o

racah writes positions.npy (B, N, 3) and species.npy (B, N) into a directory, passes it as the
last argument (and as $RACAH_IO_DIR), and reads back one <name>.npy per declared output:
energy.npy (B, 1) and forces.npy (B, N, 3). request.json says what is wanted.
"""

import json
import os
import sys

import numpy as np


def morse(r, depth, a=1.5, r0=1.2):
    """V(r) = D (1 - exp(-a (r - r0)))^2 - D and dV/dr."""
    e = np.exp(-a * (r - r0))
    return depth * (1 - e) ** 2 - depth, 2 * depth * a * e * (1 - e)


def energy_forces(pos, z):
    """Energies (B,) and forces (B, N, 3) of B structures of N atoms."""
    rij = pos[:, :, None, :] - pos[:, None, :, :]  # (B, N, N, 3): r_i - r_j
    n = pos.shape[1]
    off_diag = ~np.eye(n, dtype=bool)
    r = np.linalg.norm(rij + np.eye(n)[None, :, :, None], axis=-1)  # 1 on the diagonal
    depth = 0.1 * np.sqrt(z[:, :, None] * z[:, None, :]).astype(pos.dtype)
    v, dv = morse(r, depth)
    v, dv = v * off_diag, dv * off_diag
    energy = 0.5 * v.sum(axis=(1, 2))  # each pair counted twice
    forces = -np.einsum("bij,bijk->bik", dv / r, rij)  # F_i = -sum_j V'(r_ij) (r_i - r_j) / r_ij
    return energy, forces


def main(model=energy_forces):
    io_dir = sys.argv[-1] if len(sys.argv) > 1 else os.environ["RACAH_IO_DIR"]
    with open(os.path.join(io_dir, "request.json")) as f:
        request = json.load(f)
    dtype = np.float32 if request["dtype"] == "f32" else np.float64
    pos = np.load(os.path.join(io_dir, "positions.npy")).astype(dtype)  # (B, N, 3)
    z = np.load(os.path.join(io_dir, "species.npy"))  # (B, N)
    energy, forces = model(pos, z)
    np.save(os.path.join(io_dir, "energy.npy"), energy[:, None].astype(dtype))
    np.save(os.path.join(io_dir, "forces.npy"), forces.astype(dtype))


if __name__ == "__main__":
    main()
