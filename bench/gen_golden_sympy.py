#!/usr/bin/env python3
"""Generate tests/golden/sympy_{3j,6j,9j,cg,racah_w}.tsv from sympy (exact), cross-checked
against pywigxjpf (f64).

Usage (from the repository root, after bench/setup.sh):
    bench/.venv/bin/python bench/gen_golden_sympy.py [--seed 20240611] [--out tests/golden]

Each file: `#` comment lines (header, and a note line before every row where sympy raised),
then one record per line, sorted by inputs:
    <doubled inputs separated by spaces> | <sign> <num>/<den>
meaning sign*sqrt(num/den), num/den coprime; zero is `0 0/1`.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import sys
from dataclasses import dataclass, field
from typing import Callable

import pywigxjpf as wig
from sympy.physics.wigner import clebsch_gordan, racah, wigner_3j, wigner_6j, wigner_9j

from golden_common import (
    command_line,
    fmt_value,
    half,
    sqrt_rational,
    to_f64,
    triangle,
    triangle_ignoring_parity,
    versions,
)

MAX_TWO_J = 240  # WIGXJPF table size; covers {60 60 60; 60 60 60}
SYMPY_RAISES_NOTE = (
    "# sympy raises ValueError (non-integer triad sum); recorded as 0, WIGXJPF gives 0"
)
REL_TOL = 1e-12


# ---------------------------------------------------------------- random building blocks


def rand_third(rng: random.Random, ta: int, tb: int, cap: int) -> int | None:
    """Random tc with triangle(ta, tb, tc) and tc <= cap."""
    lo, hi = abs(ta - tb), min(ta + tb, cap)
    choices = list(range(lo, hi + 1, 2))
    return rng.choice(choices) if choices else None


def rand_m(rng: random.Random, tj: int) -> int:
    return rng.choice(range(-tj, tj + 1, 2))


def rand_spin(rng: random.Random, cap: int, parity: int | None = None) -> int:
    """Random doubled spin in 0..=cap; parity 0/1 forces integer/half-integer."""
    while True:
        t = rng.randint(0, cap)
        if parity is None or t % 2 == parity:
            return t


def third_options(pairs: list[tuple[int, int]], cap: int) -> list[int]:
    """All tc <= cap that close a triangle with every (ta, tb) in pairs."""
    return [c for c in range(0, cap + 1) if all(triangle(a, b, c) for a, b in pairs)]


# ---------------------------------------------------------------- symbol specifications


@dataclass
class Symbol:
    name: str
    file: str
    columns: str
    convention: list[str]
    sympy_eval: Callable[[tuple[int, ...]], object]
    wig_eval: Callable[[tuple[int, ...]], float]
    classify_zero: Callable[[tuple[int, ...]], str | None]
    cases: Callable[[random.Random], list[tuple[int, ...]]]
    extra_header: list[str] = field(default_factory=list)


def three_j_zero_reason(a: tuple[int, ...]) -> str | None:
    tj1, tj2, tj3, tm1, tm2, tm3 = a
    if tm1 + tm2 + tm3 != 0:
        return "m1+m2+m3 != 0"
    if not triangle_ignoring_parity(tj1, tj2, tj3):
        return "triangle"
    if tm1 == tm2 == tm3 == 0 and ((tj1 + tj2 + tj3) // 2) % 2 == 1:
        return "parity (all m = 0, j1+j2+j3 odd)"
    return None


def cg_as_three_j(a: tuple[int, ...]) -> tuple[int, ...]:
    tj1, tm1, tj2, tm2, tJ, tM = a
    return (tj1, tj2, tJ, tm1, tm2, -tM)


def cg_zero_reason(a: tuple[int, ...]) -> str | None:
    r = three_j_zero_reason(cg_as_three_j(a))
    return {
        "m1+m2+m3 != 0": "M != m1+m2",
        "parity (all m = 0, j1+j2+j3 odd)": "parity (all m = 0, j1+j2+J odd)",
    }.get(r, r)


def cg_wig(a: tuple[int, ...]) -> float:
    tj1, tm1, tj2, tm2, tJ, tM = a
    e = tj1 - tj2 + tM
    if e % 2:
        return 0.0  # only reachable when M != m1 + m2, a selection zero
    phase = -1.0 if (e // 2) % 2 else 1.0
    return phase * math.sqrt(tJ + 1) * wig.wig3jj(tj1, tj2, tJ, tm1, tm2, -tM)


def six_j_triads(a):
    j1, j2, j3, j4, j5, j6 = a
    return [(j1, j2, j3), (j1, j5, j6), (j4, j2, j6), (j4, j5, j3)]


def nine_j_triads(a):
    j1, j2, j3, j4, j5, j6, j7, j8, j9 = a
    return [(j1, j2, j3), (j4, j5, j6), (j7, j8, j9), (j1, j4, j7), (j2, j5, j8), (j3, j6, j9)]


def racah_w_triads(a):
    ta, tb, tc, td, te, tf = a
    return [(ta, tb, te), (tc, td, te), (ta, tc, tf), (tb, td, tf)]


def triads_zero_reason(triads) -> str | None:
    if any((x + y + z) % 2 for x, y, z in triads):
        return "parity (non-integer triad sum)"
    if not all(triangle_ignoring_parity(*t) for t in triads):
        return "triangle"
    return None


def racah_w_wig(a: tuple[int, ...]) -> float:
    ta, tb, tc, td, te, tf = a
    s = ta + tb + tc + td
    if s % 2:
        return 0.0  # a non-integer a+b+c+d implies a non-integer triad sum
    phase = -1.0 if (s // 2) % 2 else 1.0
    return phase * wig.wig6jj(ta, tb, te, td, tc, tf)


# ---------------------------------------------------------------- case generators


def nontrivial_zeros(candidates, wig_eval, reason, rng, k) -> list[tuple[int, ...]]:
    """k random admissible inputs with an exactly zero WIGXJPF value (verified later in sympy)."""
    zeros = [a for a in candidates if reason(a) is None and wig_eval(a) == 0.0]
    rng.shuffle(zeros)
    return zeros[:k]


def three_j_cases(rng: random.Random) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []
    # worked examples and edges
    out += [
        (2, 2, 2, 2, -2, 0),  # (1 1 1; 1 -1 0) = 1/sqrt(6)
        (0, 0, 0, 0, 0, 0),
        (1, 1, 2, 1, -1, 0),
        (1, 1, 0, 1, -1, 0),
        (30, 30, 60, 30, -30, 0),  # stretched
        (60, 60, 60, 0, 0, 0),
        (60, 60, 58, 0, 0, 0),
        (60, 60, 60, 60, -60, 0),
        (59, 59, 60, 59, -59, 0),
        (59, 60, 59, 1, -2, 1),
        (60, 1, 59, 0, 1, -1),
        (60, 60, 0, 20, -20, 0),
    ]
    # random admissible, mixed integer / half-integer, j <= 30
    while len(out) < 200:
        p = len(out) % 2  # alternate all-integer / mixed draws
        tj1, tj2 = rand_spin(rng, 60, 0 if p else None), rand_spin(rng, 60, 0 if p else None)
        tj3 = rand_third(rng, tj1, tj2, 60)
        if tj3 is None:
            continue
        tm1, tm2 = rand_m(rng, tj1), rand_m(rng, tj2)
        if abs(tm1 + tm2) <= tj3:
            out.append((tj1, tj2, tj3, tm1, tm2, -tm1 - tm2))
    # small j, dense
    while len(out) < 260:
        tj1, tj2 = rand_spin(rng, 8), rand_spin(rng, 8)
        tj3 = rand_third(rng, tj1, tj2, 16)
        tm1, tm2 = rand_m(rng, tj1), rand_m(rng, tj2)
        if abs(tm1 + tm2) <= tj3:
            out.append((tj1, tj2, tj3, tm1, tm2, -tm1 - tm2))
    # zeros by triangle (valid kets, m sum 0)
    n = len(out)
    while len(out) < n + 25:
        tj1, tj2 = rand_spin(rng, 40), rand_spin(rng, 40)
        tj3 = tj1 + tj2 + 2 * rng.randint(1, 8)
        if tj3 > 60:
            continue
        tm1, tm2 = rand_m(rng, tj1), rand_m(rng, tj2)
        out.append((tj1, tj2, tj3, tm1, tm2, -tm1 - tm2))
    # zeros by m1+m2+m3 != 0
    n = len(out)
    while len(out) < n + 20:
        tj1, tj2 = rand_spin(rng, 40), rand_spin(rng, 40)
        tj3 = rand_third(rng, tj1, tj2, 60)
        tm1, tm2 = rand_m(rng, tj1), rand_m(rng, tj2)
        tm3 = rand_m(rng, tj3)
        if tm1 + tm2 + tm3 != 0:
            out.append((tj1, tj2, tj3, tm1, tm2, tm3))
    # zeros by parity: all m = 0, j1+j2+j3 odd
    n = len(out)
    while len(out) < n + 20:
        tj1, tj2 = 2 * rng.randint(0, 30), 2 * rng.randint(0, 30)
        tj3 = rand_third(rng, tj1, tj2, 60)
        if tj3 is not None and ((tj1 + tj2 + tj3) // 2) % 2 == 1:
            out.append((tj1, tj2, tj3, 0, 0, 0))
    # non-trivial zeros (j <= 5 exhaustive search)
    cands = []
    for tj1, tj2 in itertools.product(range(11), repeat=2):
        for tj3 in range(abs(tj1 - tj2), min(tj1 + tj2, 10) + 1, 2):
            for tm1 in range(-tj1, tj1 + 1, 2):
                for tm2 in range(-tj2, tj2 + 1, 2):
                    if abs(tm1 + tm2) <= tj3:
                        cands.append((tj1, tj2, tj3, tm1, tm2, -tm1 - tm2))
    out += nontrivial_zeros(cands, lambda a: wig.wig3jj(*a), three_j_zero_reason, rng, 30)
    return out


def cg_cases(rng: random.Random) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = [
        (1, 1, 1, -1, 2, 0),  # <1/2 1/2 1/2 -1/2|1 0> = 1/sqrt(2)
        (1, 1, 1, -1, 0, 0),  # <1/2 1/2 1/2 -1/2|0 0> = 1/sqrt(2)
        (2, 2, 2, 0, 4, 2),  # <1 1 1 0|2 1> = 1/sqrt(2)
        (2, 0, 2, 2, 2, 2),  # <1 0 1 1|1 1> = -1/sqrt(2)
        (4, 4, 4, -4, 0, 0),  # <2 2 2 -2|0 0> = 1/sqrt(5)
        (4, 2, 4, 2, 6, 4),  # <2 1 2 1|3 2> = 0 (non-trivial)
        (4, 0, 4, 0, 2, 0),  # <2 0 2 0|1 0> = 0 (parity)
        (0, 0, 0, 0, 0, 0),
        (30, 30, 30, 30, 60, 60),  # stretched
        (60, 60, 60, -60, 0, 0),
        (59, 59, 59, -59, 0, 0),
        (60, 0, 60, 0, 60, 0),
        (60, -2, 1, 1, 59, -1),
    ]
    while len(out) < 200:
        p = len(out) % 2  # alternate all-integer / mixed draws
        tj1, tj2 = rand_spin(rng, 60, 0 if p else None), rand_spin(rng, 60, 0 if p else None)
        tJ = rand_third(rng, tj1, tj2, 60)
        tm1, tm2 = rand_m(rng, tj1), rand_m(rng, tj2)
        if abs(tm1 + tm2) <= tJ:
            out.append((tj1, tm1, tj2, tm2, tJ, tm1 + tm2))
    while len(out) < 260:
        tj1, tj2 = rand_spin(rng, 8), rand_spin(rng, 8)
        tJ = rand_third(rng, tj1, tj2, 16)
        tm1, tm2 = rand_m(rng, tj1), rand_m(rng, tj2)
        if abs(tm1 + tm2) <= tJ:
            out.append((tj1, tm1, tj2, tm2, tJ, tm1 + tm2))
    n = len(out)
    while len(out) < n + 25:  # triangle
        tj1, tj2 = rand_spin(rng, 40), rand_spin(rng, 40)
        tJ = tj1 + tj2 + 2 * rng.randint(1, 8)
        if tJ > 60:
            continue
        tm1, tm2 = rand_m(rng, tj1), rand_m(rng, tj2)
        out.append((tj1, tm1, tj2, tm2, tJ, tm1 + tm2))
    n = len(out)
    while len(out) < n + 20:  # M != m1 + m2
        tj1, tj2 = rand_spin(rng, 40), rand_spin(rng, 40)
        tJ = rand_third(rng, tj1, tj2, 60)
        tm1, tm2, tM = rand_m(rng, tj1), rand_m(rng, tj2), rand_m(rng, tJ)
        if tM != tm1 + tm2:
            out.append((tj1, tm1, tj2, tm2, tJ, tM))
    n = len(out)
    while len(out) < n + 20:  # parity: all m = 0, j1+j2+J odd
        tj1, tj2 = 2 * rng.randint(0, 30), 2 * rng.randint(0, 30)
        tJ = rand_third(rng, tj1, tj2, 60)
        if tJ is not None and ((tj1 + tj2 + tJ) // 2) % 2 == 1:
            out.append((tj1, 0, tj2, 0, tJ, 0))
    cands = []
    for tj1, tj2 in itertools.product(range(11), repeat=2):
        for tJ in range(abs(tj1 - tj2), min(tj1 + tj2, 10) + 1, 2):
            for tm1 in range(-tj1, tj1 + 1, 2):
                for tm2 in range(-tj2, tj2 + 1, 2):
                    if abs(tm1 + tm2) <= tJ:
                        cands.append((tj1, tm1, tj2, tm2, tJ, tm1 + tm2))
    out += nontrivial_zeros(cands, cg_wig, cg_zero_reason, rng, 30)
    return out


def random_six_j(rng: random.Random, cap: int, parity: int | None = None):
    """Random admissible (j1..j6) with all 2j <= cap."""
    while True:
        tj1, tj2 = rand_spin(rng, cap, parity), rand_spin(rng, cap, parity)
        tj3 = rand_third(rng, tj1, tj2, cap)
        tj4 = rand_spin(rng, cap, parity)
        tj5 = rand_third(rng, tj4, tj3, cap)
        if tj3 is None or tj5 is None:
            continue
        opts = third_options([(tj1, tj5), (tj4, tj2)], cap)
        if opts:
            return (tj1, tj2, tj3, tj4, tj5, rng.choice(opts))


def six_j_cases(rng: random.Random) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = [
        (2, 2, 2, 2, 2, 2),  # 1/6
        (6, 6, 6, 6, 6, 6),  # -1/14
        (10, 10, 10, 10, 10, 10),  # 1/52
        (16, 16, 16, 16, 16, 16),  # -12219/965770
        (120, 120, 120, 120, 120, 120),  # {60 60 60; 60 60 60}, beyond the j <= 30 sweep
        (0, 0, 0, 0, 0, 0),
        (1, 1, 1, 1, 1, 1),  # parity zero {1/2 1/2 1/2; 1/2 1/2 1/2}
        (1, 1, 0, 1, 1, 0),
        (1, 1, 2, 1, 1, 2),
        (60, 60, 60, 60, 60, 60),
        (59, 59, 60, 59, 59, 60),
        (60, 60, 0, 60, 60, 0),
        (30, 30, 60, 30, 30, 60),
        (20, 21, 41, 21, 20, 1),
    ]
    for k in range(230):
        out.append(random_six_j(rng, 60, 0 if k % 2 else None))
    for _ in range(40):
        out.append(random_six_j(rng, 12))
    n = len(out)
    while len(out) < n + 25:  # triangle violation with integer triad sums
        a = list(random_six_j(rng, 40))
        k = rng.randrange(6)
        a[k] += 2 * rng.randint(1, 10)
        a = tuple(a)
        if max(a) <= 60 and triads_zero_reason(six_j_triads(a)) == "triangle":
            out.append(a)
    n = len(out)
    while len(out) < n + 25:  # non-integer triad sum: sympy raises
        a = list(random_six_j(rng, 40))
        a[rng.randrange(6)] += 1
        a = tuple(a)
        if triads_zero_reason(six_j_triads(a)) is not None:
            out.append(a)
    cands = [
        a
        for a in itertools.product(range(0, 13), repeat=6)
        if a[0] >= a[1] >= a[2] and triads_zero_reason(six_j_triads(a)) is None
    ]
    out += nontrivial_zeros(
        cands, lambda a: wig.wig6jj(*a), lambda a: triads_zero_reason(six_j_triads(a)), rng, 30
    )
    return out


def random_nine_j(rng: random.Random, cap: int, parity: int | None = None):
    while True:
        a, b = rand_spin(rng, cap, parity), rand_spin(rng, cap, parity)
        c = rand_third(rng, a, b, cap)
        d, e = rand_spin(rng, cap, parity), rand_spin(rng, cap, parity)
        f = rand_third(rng, d, e, cap)
        if c is None or f is None:
            continue
        g, h, i = rand_third(rng, a, d, cap), rand_third(rng, b, e, cap), rand_third(rng, c, f, cap)
        if None in (g, h, i) or not triangle(g, h, i):
            continue
        return (a, b, c, d, e, f, g, h, i)


def nine_j_cases(rng: random.Random) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = [
        (2, 2, 2, 2, 2, 2, 2, 2, 0),  # 1/18
        (2, 4, 6, 6, 4, 2, 4, 2, 6),  # -4 sqrt(70)/11025
        (6, 6, 4, 6, 6, 4, 6, 6, 4),  # 17 sqrt(6)/4410
        (10, 10, 10, 10, 10, 10, 10, 10, 10),  # 0 (odd sum, two equal rows)
        (0,) * 9,
        (1, 1, 0, 1, 1, 0, 0, 0, 0),
        (1, 1, 2, 1, 1, 2, 2, 2, 4),
        (16,) * 9,
        (16, 16, 16, 16, 16, 16, 16, 16, 0),
        (15, 16, 13, 14, 15, 13, 15, 15, 14),
        (1, 1, 1, 1, 1, 1, 1, 1, 1),  # parity zero
    ]
    for k in range(160):
        out.append(random_nine_j(rng, 16, 0 if k % 2 else None))
    for _ in range(40):
        out.append(random_nine_j(rng, 6))
    n = len(out)
    while len(out) < n + 20:
        a = list(random_nine_j(rng, 12))
        a[rng.randrange(9)] += 2 * rng.randint(1, 6)
        a = tuple(a)
        if max(a) <= 16 and triads_zero_reason(nine_j_triads(a)) == "triangle":
            out.append(a)
    n = len(out)
    while len(out) < n + 20:
        a = list(random_nine_j(rng, 12))
        a[rng.randrange(9)] += 1
        out.append(tuple(a))
    # non-trivial zeros: random admissible j <= 2 search
    cands = {random_nine_j(rng, 6) for _ in range(6000)}
    out += nontrivial_zeros(
        sorted(cands),
        lambda a: wig.wig9jj(*a),
        lambda a: triads_zero_reason(nine_j_triads(a)),
        rng,
        25,
    )
    return out


def racah_w_cases(rng: random.Random) -> list[tuple[int, ...]]:
    def from_six_j(s):
        j1, j2, j3, j4, j5, j6 = s  # {a b e; d c f}
        return (j1, j2, j5, j4, j3, j6)

    out: list[tuple[int, ...]] = [
        (6, 6, 6, 6, 6, 6),  # W(3,3,3,3;3,3) = -1/14
        (11, 15, 19, 13, 16, 18),  # W(5.5,7.5,9.5,6.5;8,9) = -719 sqrt(598)/1158924
        (2, 3, 4, 5, 3, 4),  # W(1,3/2,2,5/2;3/2,2) = sqrt(2)/60
        (0, 0, 0, 0, 0, 0),
        (1, 1, 1, 1, 1, 1),  # parity zero
        (60, 60, 60, 60, 60, 60),
        (1, 60, 60, 1, 59, 59),
    ]
    for k in range(180):
        out.append(from_six_j(random_six_j(rng, 60, 0 if k % 2 else None)))
    for _ in range(30):
        out.append(from_six_j(random_six_j(rng, 10)))
    n = len(out)
    while len(out) < n + 20:
        a = list(from_six_j(random_six_j(rng, 40)))
        a[rng.randrange(6)] += 2 * rng.randint(1, 10)
        a = tuple(a)
        if max(a) <= 60 and triads_zero_reason(racah_w_triads(a)) == "triangle":
            out.append(a)
    n = len(out)
    while len(out) < n + 20:
        a = list(from_six_j(random_six_j(rng, 40)))
        a[rng.randrange(6)] += 1
        out.append(tuple(a))
    cands = [
        a
        for a in itertools.product(range(0, 11), repeat=6)
        if a[0] >= a[1] and triads_zero_reason(racah_w_triads(a)) is None
    ]
    out += nontrivial_zeros(
        cands, racah_w_wig, lambda a: triads_zero_reason(racah_w_triads(a)), rng, 20
    )
    return out


SYMBOLS = [
    Symbol(
        name="3j",
        file="sympy_3j.tsv",
        columns="2j1 2j2 2j3 2m1 2m2 2m3 | sign num/den",
        convention=[
            "Wigner 3j symbol (j1 j2 j3; m1 m2 m3), Condon-Shortley phase;",
            "= sympy.physics.wigner.wigner_3j(j1, j2, j3, m1, m2, m3)",
            "= WIGXJPF wig3jj(2j1, 2j2, 2j3, 2m1, 2m2, 2m3).",
        ],
        sympy_eval=lambda a: wigner_3j(*map(half, a)),
        wig_eval=lambda a: wig.wig3jj(*a),
        classify_zero=three_j_zero_reason,
        cases=three_j_cases,
    ),
    Symbol(
        name="cg",
        file="sympy_cg.tsv",
        columns="2j1 2m1 2j2 2m2 2J 2M | sign num/den",
        convention=[
            "Clebsch-Gordan <j1 m1 j2 m2 | J M>, Condon-Shortley (<j1 j1 j2 (J-j1)|J J> > 0);",
            "= sympy clebsch_gordan(j1, j2, J, m1, m2, M)  (NOTE: sympy takes the j's first)",
            "= (-1)^(j1-j2+M) sqrt(2J+1) wig3jj(2j1, 2j2, 2J, 2m1, 2m2, -2M)  (WIGXJPF).",
        ],
        sympy_eval=lambda a: clebsch_gordan(
            half(a[0]), half(a[2]), half(a[4]), half(a[1]), half(a[3]), half(a[5])
        ),
        wig_eval=cg_wig,
        classify_zero=cg_zero_reason,
        cases=cg_cases,
    ),
    Symbol(
        name="6j",
        file="sympy_6j.tsv",
        columns="2j1 2j2 2j3 2j4 2j5 2j6 | sign num/den   ({j1 j2 j3; j4 j5 j6}, row-major)",
        convention=[
            "Wigner 6j symbol {j1 j2 j3; j4 j5 j6}; triads (j1 j2 j3) (j1 j5 j6) (j4 j2 j6) (j4 j5 j3);",
            "= sympy wigner_6j(j1..j6) = WIGXJPF wig6jj(2j1..2j6).",
        ],
        sympy_eval=lambda a: wigner_6j(*map(half, a)),
        wig_eval=lambda a: wig.wig6jj(*a),
        classify_zero=lambda a: triads_zero_reason(six_j_triads(a)),
        cases=six_j_cases,
    ),
    Symbol(
        name="9j",
        file="sympy_9j.tsv",
        columns="2j1 .. 2j9 | sign num/den   ({j1 j2 j3; j4 j5 j6; j7 j8 j9}, row-major)",
        convention=[
            "Wigner 9j symbol {j1 j2 j3; j4 j5 j6; j7 j8 j9}; triads = rows and columns;",
            "= sum_x (-1)^(2x) (2x+1) {j1 j4 j7; j8 j9 x}{j2 j5 j8; j4 x j6}{j3 j6 j9; x j1 j2};",
            "= sympy wigner_9j(j1..j9) = WIGXJPF wig9jj(2j1..2j9).",
        ],
        sympy_eval=lambda a: wigner_9j(*map(half, a)),
        wig_eval=lambda a: wig.wig9jj(*a),
        classify_zero=lambda a: triads_zero_reason(nine_j_triads(a)),
        cases=nine_j_cases,
    ),
    Symbol(
        name="racah_w",
        file="sympy_racah_w.tsv",
        columns="2a 2b 2c 2d 2e 2f | sign num/den   (W(a b c d; e f))",
        convention=[
            "Racah W(a b c d; e f) = (-1)^(a+b+c+d) {a b e; d c f};",
            "triads (a b e) (c d e) (a c f) (b d f);",
            "= sympy racah(a, b, c, d, e, f); WIGXJPF check via the 6j relation above.",
        ],
        sympy_eval=lambda a: racah(*map(half, a)),
        wig_eval=racah_w_wig,
        classify_zero=lambda a: triads_zero_reason(racah_w_triads(a)),
        cases=racah_w_cases,
    ),
]


# ---------------------------------------------------------------- driver


def generate(sym: Symbol, seed: int, out_dir: str) -> dict:
    rng = random.Random(f"{seed}-{sym.name}")
    cases = sorted(set(sym.cases(rng)))
    rows: list[str] = []
    counts: dict[str, int] = {}
    max_rel = 0.0
    raised = 0
    for a in cases:
        reason = sym.classify_zero(a)
        w = sym.wig_eval(a)
        try:
            v = sym.sympy_eval(a)
        except ValueError:
            if reason is None or not reason.startswith("parity"):
                raise RuntimeError(f"{sym.name} {a}: sympy raised for an admissible input")
            if w != 0.0:
                raise RuntimeError(f"{sym.name} {a}: sympy raised but WIGXJPF gives {w!r}")
            raised += 1
            rows.append(SYMPY_RAISES_NOTE)
            rows.append(" ".join(map(str, a)) + " | 0 0/1")
            counts[reason] = counts.get(reason, 0) + 1
            continue
        s, sq = sqrt_rational(v)
        x = to_f64(s, sq)
        if s == 0:
            if w != 0.0:
                raise RuntimeError(f"{sym.name} {a}: sympy 0, WIGXJPF {w!r}")
            key = reason if reason is not None else "non-trivial zero"
        else:
            if reason is not None:
                raise RuntimeError(f"{sym.name} {a}: expected zero ({reason}), sympy {v}")
            rel = abs(w - x) / abs(x)
            max_rel = max(max_rel, rel)
            if rel > REL_TOL:
                raise RuntimeError(f"{sym.name} {a}: sympy {x!r} vs WIGXJPF {w!r} (rel {rel:.3g})")
            key = "nonzero"
        counts[key] = counts.get(key, 0) + 1
        rows.append(" ".join(map(str, a)) + " | " + fmt_value(s, sq))

    n = len(cases)
    count_txt = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    header = [
        f"# racah golden table: {sym.name} from sympy (exact), {n} records.",
        "# Format: inputs as DOUBLED integers (2j, 2m), then ' | ', then the value as",
        "#   `sign num/den` = sign * sqrt(num/den), num/den coprime; `0 0/1` is zero.",
        f"# Columns: {sym.columns}",
        "# Convention (CONVENTIONS.md):",
        *[f"#   {line}" for line in sym.convention],
        f"# Generated by: {command_line()}  (seed {seed}; deterministic)",
        f"# Versions: {versions('sympy', 'mpmath', 'pywigxjpf')}",
        f"# Cross-check: every record compared with pywigxjpf (f64): nonzero records agree to"
        f" relative {REL_TOL:g}",
        f"#   (max observed {max_rel:.2e}); every zero record is exactly 0.0 in WIGXJPF.",
        f"# Records by kind: {count_txt}.",
        "# Lines starting with '#' are comments. Inputs where sympy raises ValueError (a triad with a",
        "#   non-integer sum) are recorded as 0, the value WIGXJPF returns, after a comment line.",
    ]
    path = os.path.join(out_dir, sym.file)
    with open(path, "w") as fh:
        fh.write("\n".join(header + rows) + "\n")
    return {"file": path, "records": n, "raised": raised, "max_rel": max_rel, "counts": counts}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seed", type=int, default=20240611)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "..", "tests", "golden"))
    ap.add_argument("--only", nargs="*", help="subset of: 3j cg 6j 9j racah_w")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    wig.wig_table_init(MAX_TWO_J, 9)
    wig.wig_temp_init(MAX_TWO_J)
    for sym in SYMBOLS:
        if args.only and sym.name not in args.only:
            continue
        r = generate(sym, args.seed, args.out)
        size = os.path.getsize(r["file"])
        print(
            f"{sym.file:22s} {r['records']:4d} records, {size / 1024:6.1f} KiB, "
            f"max rel vs WIGXJPF {r['max_rel']:.2e}, kinds {r['counts']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
