# SPDX-License-Identifier: BSD-3-Clause
"""The seed's histogram mutual information (np.histogram2d binning) and np.corrcoef on edge cases,
for tests/histogram_mi_test.cpp."""
import json

import numpy as np


def estimate_mutual_information(x, y, n_bins=30):
    # The seed's function, verbatim.
    joint_hist, x_edges, y_edges = np.histogram2d(x, y, bins=n_bins)
    joint_prob = joint_hist / joint_hist.sum()
    p_x = joint_prob.sum(axis=1)
    p_y = joint_prob.sum(axis=0)
    mi = 0.0
    for i in range(n_bins):
        for j in range(n_bins):
            if joint_prob[i, j] > 0 and p_x[i] > 0 and p_y[j] > 0:
                mi += joint_prob[i, j] * np.log(joint_prob[i, j] / (p_x[i] * p_y[j]))
    return mi


def generate(outdir):
    rs = np.random.RandomState(77)
    cases = []

    def add(name, x, y, bins, pearson=True):
        x = np.asarray(x, float)
        y = np.asarray(y, float)
        entry = {"name": name, "x": x.tolist(), "y": y.tolist(), "bins": bins,
                 "mi": float(estimate_mutual_information(x, y, bins))}
        if pearson and np.std(x) > 0 and np.std(y) > 0:
            entry["pearson"] = float(np.corrcoef(x, y)[0, 1])
        cases.append(entry)

    x = rs.randn(300)
    add("linear", x, 2 * x + 0.5 * rs.randn(300), 30)
    add("nonlinear_b7", x, np.sin(3 * x) + 0.3 * rs.randn(300), 7)
    add("one_bin", x, rs.randn(300), 1)
    # Values on the bin edges (a 0.1 grid with 10 bins) and on the closed last edge.
    g = np.round(rs.rand(200) * 10) / 10
    add("edges_grid", g, np.round(rs.rand(200) * 4) / 4, 10)
    add("constant_x", np.full(50, 2.5), rs.randn(50), 5)
    add("integers", rs.randint(0, 5, 400), rs.randint(0, 3, 400), 13)
    add("tiny", [0.0, 1.0], [1.0, 0.0], 3)
    # Bins a few ulps wide (spacing 0.125 near 1e15): the bin index from (v - lo) / step is off by
    # more than one here, and only the comparison with the edges themselves is right. (No Pearson:
    # at this offset it depends on the summation order of the means, numpy's or another.)
    add("ulp_wide_bins", 1e15 + 0.125 * rs.randint(0, 60, 300), 1e15 + 0.125 * rs.randint(0, 60, 300), 23,
        pearson=False)
    # More samples than one 65536-sample chunk of the range pass, on a coarse grid (ties with the edges).
    add("chunks", np.round(rs.randn(70000) * 8) / 8, np.round(rs.randn(70000) * 4) / 4, 30)
    # A grid of more than 65 536 cells (260 x 260), counted into one histogram per thread, not four.
    x = rs.randn(3000)
    add("large_grid", x, x + rs.randn(3000), 260)
    path = outdir / "histogram_mi" / "cases.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cases": cases}, indent=0) + "\n")
