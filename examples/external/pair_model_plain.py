"""The Morse pair potential of pair_model.py in plain Python 3 (no numpy), for CI.

    racah certify --cmd "python3 examples/external/pair_model_plain.py" \
        --species 1,8 --output energy=1x0e --atom-output forces=1x1o

Reads positions.npy (B, N, 3) and species.npy (B, N) from the directory given as the last
argument, writes energy.npy (B, 1) and forces.npy (B, N, 3) there, in the dtype request.json
asks for ("f64" or "f32"). `--bug KIND` makes it misbehave on purpose, to test racah's
diagnostics: swap-yz (forces in (x, z, y) order), nan (one force component is NaN), crash
(exit status 3), sleep (hangs for a minute), shape (forces of shape (B, N, 2)).
"""

import ast
import json
import math
import os
import struct
import sys

FORMATS = {"<f8": "d", "<f4": "f", "<i8": "q", "<i4": "i"}


def load_npy(path):
    """(shape, flat list) of a little-endian, C-order .npy file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        raise ValueError(f"{path}: not an .npy file")
    if data[6] == 1:
        (hlen,), start = struct.unpack("<H", data[8:10]), 10
    else:
        (hlen,), start = struct.unpack("<I", data[8:12]), 12
    header = ast.literal_eval(data[start:start + hlen].decode("latin1"))
    if header["fortran_order"] or header["descr"] not in FORMATS:
        raise ValueError(f"{path}: unsupported dtype {header['descr']}")
    shape = tuple(header["shape"])
    count = math.prod(shape)
    code = FORMATS[header["descr"]]
    values = struct.unpack(f"<{count}{code}", data[start + hlen:start + hlen + count * struct.calcsize(code)])
    return shape, list(values)


def save_npy(path, shape, values, descr):
    """Writes a C-order .npy file (format version 1.0)."""
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {tuple(shape)!r}, }}"
    pad = 64 - (10 + len(header) + 1) % 64
    header = (header + " " * pad + "\n").encode("latin1")
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header)
        f.write(struct.pack(f"<{len(values)}{FORMATS[descr]}", *values))


def energy_forces(pos, z):
    """Morse pair energy and forces of one structure (lists of [x, y, z] and atomic numbers)."""
    n = len(pos)
    energy, forces = 0.0, [[0.0, 0.0, 0.0] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            d = [pos[i][k] - pos[j][k] for k in range(3)]
            r = math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2])
            depth, a, r0 = 0.1 * math.sqrt(z[i] * z[j]), 1.5, 1.2
            e = math.exp(-a * (r - r0))
            energy += depth * (1 - e) ** 2 - depth
            dv = 2 * depth * a * e * (1 - e)
            for k in range(3):
                forces[i][k] -= dv * d[k] / r
                forces[j][k] += dv * d[k] / r
    return energy, forces


def main():
    args = sys.argv[1:]
    bug = args[args.index("--bug") + 1] if "--bug" in args else None
    io_dir = args[-1] if args else os.environ["RACAH_IO_DIR"]
    with open(os.path.join(io_dir, "request.json")) as f:
        request = json.load(f)
    if bug == "crash":
        print("pair_model_plain: simulated crash", file=sys.stderr)
        sys.exit(3)
    if bug == "sleep":
        import time

        time.sleep(60)
    descr = "<f4" if request["dtype"] == "f32" else "<f8"
    (b, n, _), pos = load_npy(os.path.join(io_dir, "positions.npy"))
    _, z = load_npy(os.path.join(io_dir, "species.npy"))
    energies, forces = [], []
    for s in range(b):
        p = [pos[3 * (s * n + i):3 * (s * n + i) + 3] for i in range(n)]
        e, f = energy_forces(p, z[s * n:(s + 1) * n])
        if bug == "swap-yz":
            f = [[x, zz, y] for x, y, zz in f]
        energies.append(e)
        forces.extend(c for row in f for c in row)
    if bug == "nan":
        forces[3 * n + 4] = float("nan")  # structure 1, atom 1, y
    width = 2 if bug == "shape" else 3
    forces = forces if width == 3 else [c for k, c in enumerate(forces) if k % 3 != 2]
    save_npy(os.path.join(io_dir, "energy.npy"), (b, 1), energies, descr)
    save_npy(os.path.join(io_dir, "forces.npy"), (b, n, width), forces, descr)


if __name__ == "__main__":
    main()
