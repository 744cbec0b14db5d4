# Throwaway: derive e3nn's real SH signs from its real CG recursion (formula in
# shared/design/conventions-reference.md §3.3), compare with the standard real SH without
# Condon-Shortley phase evaluated at (x', y', z') = (z, x, y).
import sympy as sp
from sympy.physics.wigner import clebsch_gordan

def q_mat(l):
    n = 2 * l + 1
    q = sp.zeros(n, n)
    s2 = sp.sqrt(2)
    for m in range(-l, 0):
        q[l + m, l + abs(m)] = 1 / s2
        q[l + m, l - abs(m)] = -sp.I / s2
    q[l, l] = 1
    for m in range(1, l + 1):
        q[l + m, l + abs(m)] = (-1) ** m / s2
        q[l + m, l - abs(m)] = sp.I * (-1) ** m / s2
    return (-sp.I) ** l * q

def c_real(l1, l2, l3):
    Q1, Q2, Q3 = q_mat(l1), q_mat(l2), q_mat(l3)
    Q3c = Q3.T.conjugate()
    csu2 = {}
    for m1 in range(-l1, l1 + 1):
        for m2 in range(-l2, l2 + 1):
            m3 = m1 + m2
            if abs(m3) <= l3:
                csu2[(l1 + m1, l2 + m2, l3 + m3)] = clebsch_gordan(l1, l2, l3, m1, m2, m3) / sp.sqrt(2 * l3 + 1)
    C = {}
    for j in range(2 * l1 + 1):
        for ll in range(2 * l2 + 1):
            for m in range(2 * l3 + 1):
                s = 0
                for (i, k, n), v in csu2.items():
                    s += Q1[i, j] * Q2[k, ll] * Q3c[m, n] * v
                s = sp.nsimplify(sp.simplify(sp.expand(s)))
                if s != 0:
                    C[(j, ll, m)] = s
    return C

x, y, z = sp.symbols("x y z", real=True)
LMAX = 6
# recursion A: Y^{l+1}_m ∝ sum C(1,l,l+1)[i,j,m] v_i Y^l_j ; recursion B: C(l+1,1,l)[m,i,j]
Ystore = {}
for variant in ["A", "B"]:
    Y = [[sp.Integer(1)], [sp.sqrt(3) * x, sp.sqrt(3) * y, sp.sqrt(3) * z]]
    for l in range(1, LMAX):
        C = c_real(1, l, l + 1) if variant == "A" else c_real(l + 1, 1, l)
        v = [x, y, z]
        new = []
        for m in range(2 * l + 3):
            if variant == "A":
                p = sum(c * v[i] * Y[l][j] for (i, j, mm), c in C.items() if mm == m)
            else:
                p = sum(c * v[i] * Y[l][j] for (mm, i, j), c in C.items() if mm == m)
            new.append(sp.expand(p))
        # normalise: component, compare at point on unit sphere via sum of squares on (0,1,0) scaled
        pt = {x: sp.Rational(2, 7), y: sp.Rational(3, 7), z: sp.Rational(6, 7)}
        norm2 = sum(pp.subs(pt) ** 2 for pp in new)
        f = sp.sqrt(sp.Rational(2 * l + 3) / norm2)
        Y.append([sp.expand(sp.nsimplify(pp * f)) for pp in new])
    # standard real SH without CS, at (z, x, y): component normalisation
    ok = True
    for l in range(LMAX + 1):
        for m in range(-l, l + 1):
            X_, Y_, Z_ = z, x, y
            am = abs(m)
            r2 = X_**2 + Y_**2 + Z_**2
            t = sp.Symbol("t")
            # Q_l^m = r^{l-m} P_l^{(m)}(Z/r), polynomial
            Pl = sp.legendre(l, t)
            dP = sp.diff(Pl, t, am)
            poly = sp.expand(sp.Poly(dP, t).as_expr())
            # homogenise: sum a_k t^k -> a_k Z^k r^{l-m-k}
            Q = 0
            for (k,), a in sp.Poly(poly, t).terms():
                Q += a * Z_**k * r2 ** sp.Rational(l - am - k, 2)
            cm = sp.expand((X_ + sp.I * Y_) ** am)
            if m > 0:
                az = sp.re(cm)
            elif m < 0:
                az = sp.im(cm)
            else:
                az = 1
            N = sp.sqrt((2 * l + 1) * (2 if m != 0 else 1) * sp.factorial(l - am) / sp.factorial(l + am))
            std = sp.expand(N * Q * az)
            diff = sp.simplify(std - Y[l][l + m])
            if diff != 0:
                ok = False
                ratio = sp.simplify(Y[l][l + m] / std) if std != 0 else None
                print(variant, "l", l, "m", m, "ratio e3nn/std", ratio)
    Ystore[variant] = Y
    print("variant", variant, "matches std no-CS at (z,x,y):", ok)
    if variant == "A":
        for l in range(4):
            print(l, Y[l])

# Golden values: e3nn recursion (variant A), component normalisation, normalised input.
print("// GOLDEN")
YA = None
Y = Ystore["A"]
pts = [(1, 2, 3), (sp.Rational(-3, 5), 0, sp.Rational(4, 5)), (0, 1, 0), (sp.Rational(1,3), sp.Rational(-2,3), sp.Rational(-2,3))]
for p in pts:
    n = sp.sqrt(sum(sp.S(c) ** 2 for c in p))
    sub = {x: sp.S(p[0]) / n, y: sp.S(p[1]) / n, z: sp.S(p[2]) / n}
    vals = [sp.N(Y[l][i].subs(sub), 25) for l in range(LMAX + 1) for i in range(2 * l + 1)]
    print(p, "[" + ", ".join(f"{float(sp.N(v, 30))!r}" for v in vals) + "]")
    print("EXACT", [sp.nsimplify(sp.simplify(Y[l][i].subs(sub))) for l in range(4) for i in range(2*l+1)])
