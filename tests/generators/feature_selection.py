# SPDX-License-Identifier: BSD-3-Clause
"""Greedy mRMR / JMI / CMIM on discrete features (contingency estimates through sklearn's
mutual_info_score, so the greedy logic is checked without k-NN noise), for
tests/feature_selection_test.cpp. Each step's winner beats the runner-up by > 1e-6 so the
expected order does not hinge on last-bit rounding."""
import json

import numpy as np
from sklearn.metrics import mutual_info_score


def joint(a, b):
    return np.unique(np.column_stack([a, b]), axis=0, return_inverse=True)[1].ravel()


def greedy(X, y, crit, n_select):
    p = X.shape[1]
    rel = np.array([mutual_info_score(X[:, k], y) for k in range(p)])
    chosen, scores = [], []
    acc = np.full(p, np.inf if crit == "cmim" else 0.0)
    score = rel.copy()
    margins = []
    for step in range(n_select):
        masked = np.where(np.isin(np.arange(p), chosen), -np.inf, score)
        best = int(np.argmax(masked))
        rest = np.sort(masked[np.isfinite(masked)])
        if rest.size > 1:
            margins.append(rest[-1] - rest[-2])
        chosen.append(best)
        scores.append(float(score[best]))
        for k in range(p):
            if k in chosen:
                continue
            if crit == "mrmr":
                acc[k] += mutual_info_score(X[:, k], X[:, best])
                score[k] = rel[k] - acc[k] / len(chosen)
            elif crit == "jmi":
                acc[k] += mutual_info_score(joint(X[:, k], X[:, best]), y)
                score[k] = acc[k]
            else:
                acc[k] = min(acc[k], mutual_info_score(joint(X[:, k], X[:, best]), y) - rel[best])
                score[k] = acc[k]
    return chosen, scores, min(margins) if margins else 1.0


def generate(outdir):
    cases = []
    seed = 0
    while len(cases) < 3 and seed < 200:
        rs = np.random.RandomState(seed)
        seed += 1
        n, p = 400, 7
        y = rs.randint(0, 3, n)
        X = rs.randint(0, 4, (n, p))
        X[:, 0] = (y + rs.randint(0, 2, n)) % 4          # relevant
        X[:, 1] = (X[:, 0] + (rs.rand(n) < 0.03)) % 4      # an almost exact copy: redundant
        X[:, 2] = (y * 2 + rs.randint(0, 3, n)) % 5       # relevant, different
        X[:, 3] = (X[:, 0] + (rs.rand(n) < 0.1)) % 4      # a noisy copy
        out = {"X": X.tolist(), "y": y.tolist(), "results": {}}
        ok = True
        for crit in ("mrmr", "jmi", "cmim"):
            chosen, scores, margin = greedy(X, y, crit, 5)
            ok = ok and margin > 1e-6
            out["results"][crit] = {"features": chosen, "scores": scores}
        if ok:
            cases.append(out)
    path = outdir / "feature_selection" / "cases.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cases": cases}, indent=0) + "\n")
