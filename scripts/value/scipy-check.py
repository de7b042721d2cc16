# An independent computation of the MBG/NBD and Pareto/NBD fits on the CDNOW sample, in
# Python with SciPy (gammaln, hyp2f1, scipy.optimize) rather than this repository's special
# functions and optimiser. The likelihoods are written from lifetimes' ModifiedBetaGeoFitter
# and ParetoNBDFitter formulas. server/value/mbgnbd.test.ts and pareto-nbd.test.ts assert the
# figures it prints (see docs/value-models.md, "Checks against independent computations").
#
#   python3 scripts/value/scipy-check.py     (needs numpy and scipy)

import datetime
import pathlib

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1

root = pathlib.Path(__file__).resolve().parents[2]
days = {}
for line in open(root / "test/data/cdnow/CDNOW_sample.txt", encoding="latin-1"):
    f = line.split()
    if len(f) < 5:
        continue
    d = datetime.date(int(f[2][:4]), int(f[2][4:6]), int(f[2][6:8])).toordinal()
    days.setdefault(f[1], set()).add(d)
end = datetime.date(1997, 9, 30).toordinal()
x, tx, T = [], [], []
for s in days.values():
    s = sorted(d for d in s if d <= end)
    if not s:
        continue
    x.append(len(s) - 1)
    tx.append((s[-1] - s[0]) / 7)
    T.append((end - s[0]) / 7)
x, tx, T = map(np.array, (x, tx, T))
print("customers", len(x))


def mbgnbd_ll(r, alpha, a, b):
    A1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    A2 = gammaln(a + b) + gammaln(b + x + 1) - gammaln(b) - gammaln(a + b + x + 1)
    A3 = -(r + x) * np.log(alpha + T)
    A4 = np.log(a) - np.log(b + x) + (r + x) * (np.log(alpha + T) - np.log(alpha + tx))
    return np.sum(A1 + A2 + A3 + np.logaddexp(0, A4))


def pnbd_ll(r, alpha, s, beta):
    if alpha >= beta:
        lo, hi, t = beta, alpha, s + 1
    else:
        lo, hi, t = alpha, beta, r + x
    rsx = r + s + x
    f1 = hyp2f1(rsx, t, rsx + 1, (hi - lo) / (hi + tx)) / (hi + tx) ** rsx
    f2 = hyp2f1(rsx, t, rsx + 1, (hi - lo) / (hi + T)) / (hi + T) ** rsx
    A1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    with np.errstate(divide="ignore"):
        dead = np.log(s) - np.log(rsx) + np.log(f1 - f2)
    return np.sum(A1 + np.logaddexp(alive, dead))


def fit(ll, start):
    objective = lambda p: -ll(*np.exp(p)) / len(x)
    best = minimize(objective, np.log(start), method="Nelder-Mead",
                    options={"xatol": 1e-12, "fatol": 1e-15, "maxiter": 40000, "maxfev": 40000})
    polished = minimize(objective, best.x, method="BFGS", options={"gtol": 1e-11})
    p = polished if polished.fun <= best.fun else best
    return np.exp(p.x), -p.fun * len(x)


params, ll = fit(mbgnbd_ll, [0.5, 5.0, 1.0, 2.0])
print("MBG/NBD r=%.6f alpha=%.6f a=%.6f b=%.6f LL=%.6f" % (*params, ll))
r, alpha, a, b = params
for (hx, htx, hT) in [(0, 0, 38.857), (2, 30.429, 38.857), (10, 35, 38.857)]:
    t = 39
    hyp = hyp2f1(r + hx, b + hx + 1, a + b + hx, t / (alpha + hT + t))
    alive = 1 / (1 + (a / (b + hx)) * ((alpha + hT) / (alpha + htx)) ** (r + hx))
    expected = (a + b + hx) / (a - 1) * (1 - hyp * ((alpha + hT) / (alpha + t + hT)) ** (r + hx)) * alive
    print("  x=%d t_x=%.3f T=%.3f: P(alive)=%.9f E[Y(39)]=%.9f" % (hx, htx, hT, alive, expected))

params, ll = fit(pnbd_ll, [0.5, 10.0, 0.5, 10.0])
print("Pareto/NBD r=%.6f alpha=%.6f s=%.6f beta=%.6f LL=%.6f" % (*params, ll))
print("Pareto/NBD LL at the published estimates %.6f" % pnbd_ll(0.5534, 10.5802, 0.6061, 11.6562))
