"""Shared helpers for the golden-table generators under bench/.

Spins are handled as DOUBLED integers everywhere (tj = 2j, tm = 2m), as in racah-core.
Exact values s*sqrt(p/q) are written as `sign p/q` with p/q coprime (`0 0/1` for zero).
"""

from __future__ import annotations

import importlib.metadata
import platform
import sys

import sympy


def triangle(ta: int, tb: int, tc: int) -> bool:
    """Doubled-spin triangle rule: |a-b| <= c <= a+b and a+b+c an integer."""
    return abs(ta - tb) <= tc <= ta + tb and (ta + tb + tc) % 2 == 0


def triangle_ignoring_parity(ta: int, tb: int, tc: int) -> bool:
    """The inequality part of the triangle rule only."""
    return abs(ta - tb) <= tc <= ta + tb


def valid_ket(tj: int, tm: int) -> bool:
    """|m| <= j and j - m an integer."""
    return tj >= 0 and abs(tm) <= tj and (tj - tm) % 2 == 0


def half(t: int) -> sympy.Rational:
    """Doubled integer -> sympy Rational spin."""
    return sympy.Rational(t, 2)


def sqrt_rational(v) -> tuple[int, sympy.Rational]:
    """Exact sympy value v = s*sqrt(p/q) -> (s, p/q). Raises if v**2 is not rational."""
    v = sympy.nsimplify(v) if not isinstance(v, sympy.Basic) else v
    if v == 0:
        return 0, sympy.Rational(0)
    sq = sympy.expand(v**2)
    if not isinstance(sq, sympy.Rational):
        sq = sympy.radsimp(sq)
    if not isinstance(sq, sympy.Rational):
        raise ValueError(f"value {v} is not a signed square root of a rational")
    if v.is_positive:
        s = 1
    elif v.is_negative:
        s = -1
    else:
        raise ValueError(f"cannot decide the sign of {v}")
    return s, sq


def fmt_value(s: int, sq: sympy.Rational) -> str:
    """`+ p/q`, `- p/q` or `0 0/1`."""
    if s == 0:
        return "0 0/1"
    return f"{'+' if s > 0 else '-'} {sq.p}/{sq.q}"


def to_f64(s: int, sq: sympy.Rational) -> float:
    """Correctly rounded-ish f64 of s*sqrt(p/q) via 40-digit evaluation."""
    if s == 0:
        return 0.0
    return float(s * sympy.sqrt(sq).evalf(40))


def versions(*dists: str) -> str:
    """`python 3.x, sympy 1.14.0, …` for the header."""
    parts = [f"python {platform.python_version()}"]
    for d in dists:
        try:
            parts.append(f"{d} {importlib.metadata.version(d)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{d} (not installed)")
    return ", ".join(parts)


def command_line() -> str:
    """How this file was generated, relative to the repository root."""
    script = sys.argv[0]
    if "bench/" in script:
        script = "bench/" + script.split("bench/", 1)[1]
    args = " ".join(sys.argv[1:])
    return f"bench/.venv/bin/python {script} {args}".rstrip()
