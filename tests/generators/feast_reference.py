# SPDX-License-Identifier: BSD-3-Clause
"""Expected picks and scores of the binned (FEAST-style) selection criteria.

An independent implementation of the definitions in Brown, Pocock, Zhao & Lujan, "Conditional
Likelihood Maximisation", JMLR 13 (2012), Table 1 (the criteria FEAST implements), and of mRMR's
quotient form (Peng et al. 2005) and NMIFS (Estevez et al. 2009), with plug-in entropies from
counts, in nats, written straight from the formulas with Python dictionaries (no shared code
with infozoo). Writes tests/expected/feature_selection/feast_selection.json. Run with
/usr/bin/python3.
"""
import json
import math
import os
from collections import Counter

import numpy as np

MIQ_FLOOR = 0.01  # infozoo's documented floor on MIQ's mean redundancy, in nats


def H(*cols):
    n = len(cols[0])
    counts = Counter(zip(*cols))
    return -sum(c / n * math.log(c / n) for c in counts.values())


def I(a, b):
    return H(a) + H(b) - H(a, b)


def I_joint(a, b, y):  # I(A, B; Y)
    return H(a, b) + H(y) - H(a, b, y)


def I_cond(a, b, y):  # I(A; B | Y)
    return H(a, y) + H(b, y) - H(a, b, y) - H(y)


def select(cols, y, criterion, k):
    p = len(cols)
    rel = [I(c, y) for c in cols]
    picks, scores = [], []
    for _ in range(k):
        best, best_score = None, None
        for j in range(p):
            if j in picks:
                continue
            if not picks or criterion == "mim":
                s = rel[j]
            elif criterion == "mrmr":
                s = rel[j] - sum(I(cols[j], cols[s]) for s in picks) / len(picks)
            elif criterion == "miq":
                s = rel[j] / (sum(I(cols[j], cols[s]) for s in picks) / len(picks) + MIQ_FLOOR)
            elif criterion == "nmifs":
                s = rel[j] - sum(I(cols[j], cols[s]) / min(H(cols[j]), H(cols[s])) if min(
                    H(cols[j]), H(cols[s])) > 0 else 0.0 for s in picks) / len(picks)
            elif criterion == "jmi":
                s = sum(I_joint(cols[j], cols[s], y) for s in picks)
            elif criterion == "cmim":
                s = min(I_joint(cols[j], cols[s], y) - rel[s] for s in picks)
            elif criterion == "disr":
                s = sum(I_joint(cols[j], cols[s], y) / H(cols[j], cols[s], y) for s in picks)
            elif criterion == "icap":
                s = rel[j] - sum(max(0.0, I(cols[j], cols[s]) - I_cond(cols[j], cols[s], y))
                                 for s in picks)
            # Ties: the lowest index (strictly greater replaces), as infozoo and FEAST.
            if best is None or s > best_score + 1e-12:
                best, best_score = j, s
        picks.append(best)
        scores.append(best_score)
    return picks, scores, rel


def equal_width(x, bins):
    lo, hi = min(x), max(x)
    if lo == hi:
        return [0] * len(x)
    w = (hi - lo) / bins
    return [min(int((v - lo) / w), bins - 1) for v in x]


def quantile(x, bins):
    n = len(x)
    order = sorted(range(n), key=lambda i: x[i])
    out = [0] * n
    first = 0
    for r, i in enumerate(order):
        if r > 0 and x[i] != x[order[r - 1]]:
            first = r
        out[i] = first * bins // n
    return out


rng = np.random.RandomState(5)
cases = []
# 1. Hand-sized discrete data: y, a copy of y's noisy version, its duplicate, an XOR pair, noise.
n = 16
y = rng.randint(0, 2, n)
a = np.where(rng.rand(n) < 0.8, y, 1 - y)
b = a.copy()                                   # duplicate of a: redundant
c = rng.randint(0, 2, n)
d = (y ^ c)                                    # with c, determines y (XOR)
e = rng.randint(0, 3, n)                       # noise
discrete = np.column_stack([a, b, c, d, e]).astype(float)
# 2. Continuous columns binned: equal width and quantile.
m = 40
yc = rng.randint(0, 3, m)
cont = np.column_stack([yc + 0.7 * rng.randn(m), (yc == 1) + 0.5 * rng.randn(m), rng.randn(m),
                        yc * 2.0 + rng.randn(m) * 2, rng.exponential(1.0, m)])
for name, X, yy, mode, bins in [("discrete", discrete, y, "discrete", 0),
                                ("width", cont, yc, "width", 4),
                                ("quantile", cont, yc, "quantile", 4)]:
    cols = [list(map(int, X[:, j])) if mode == "discrete" else
            (equal_width(list(X[:, j]), bins) if mode == "width" else quantile(list(X[:, j]), bins))
            for j in range(X.shape[1])]
    yl = list(map(int, yy))
    out = {"name": name, "X": X.tolist(), "y": yl, "binning": mode, "n_bins": bins, "k": 4,
           "criteria": {}}
    for crit in ["mim", "mrmr", "miq", "nmifs", "jmi", "cmim", "disr", "icap"]:
        picks, scores, rel = select(cols, yl, crit, 4)
        out["criteria"][crit] = {"features": picks, "scores": scores}
    out["relevance"] = rel
    cases.append(out)

path = os.path.join(os.path.dirname(__file__), "..", "expected", "feature_selection",
                    "feast_selection.json")
with open(path, "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
