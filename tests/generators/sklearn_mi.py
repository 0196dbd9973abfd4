# SPDX-License-Identifier: BSD-3-Clause
"""scikit-learn 1.2.1's mutual information on edge cases, for tests/mutual_info_test.cpp and
tests/feature_selection_test.cpp.

Small inputs are stored in full (floats round-trip exactly through JSON); larger ones as a
numpy recipe the C++ test replays with NumpyRandomState. Also: scipy's digamma at integers and
reals, and numpy's argsort on tie-heavy arrays (numpy's quicksort is not stable).
"""
import json

import numpy as np
from scipy.special import digamma
from sklearn.feature_selection import mutual_info_classif, mutual_info_regression
from sklearn.metrics import mutual_info_score


def _case(name, kind, X, y, seed, discrete="auto", k=3):
    fn = mutual_info_classif if kind == "classif" else mutual_info_regression
    mi = fn(np.array(X), np.array(y), discrete_features=discrete, n_neighbors=k, random_state=seed)
    disc = discrete if isinstance(discrete, (str, bool)) else np.asarray(discrete).tolist()
    return {"name": name, "kind": kind, "X": np.asarray(X).tolist(),
            "x_dtype": str(np.asarray(X).dtype), "y": np.asarray(y).tolist(),
            "seed": seed, "discrete": disc, "n_neighbors": k, "mi": mi.tolist()}


def _recipe(name, kind, seed_data, n, p, n_classes, seed, k=3):
    # X = RandomState(seed_data).randn(n, p); classif: y = randint(0, n_classes, n) from the same
    # generator; regression: y = X[:, 0] + sin(3 X[:, 1]) + 0.3 randn(n) (p >= 2).
    rs = np.random.RandomState(seed_data)
    X = rs.randn(n, p)
    if kind == "classif":
        y = rs.randint(0, n_classes, n)
        mi = mutual_info_classif(X, y, n_neighbors=k, random_state=seed)
    else:
        y = X[:, 0] + np.sin(3 * X[:, 1]) + 0.3 * rs.randn(n)
        mi = mutual_info_regression(X, y, n_neighbors=k, random_state=seed)
    return {"name": name, "kind": kind, "seed_data": seed_data, "n": n, "p": p,
            "n_classes": n_classes, "seed": seed, "n_neighbors": k, "mi": mi.tolist()}


def generate(outdir):
    rs = np.random.RandomState(2024)
    cases = []
    X = rs.randn(200, 4)
    y = rs.randint(0, 3, 200)
    for seed in (0, 1, 42):
        cases.append(_case(f"basic_seed{seed}", "classif", X, y, seed))
    for k in (1, 2, 5, 10):
        cases.append(_case(f"basic_k{k}", "classif", X, y, 0, k=k))
    # Ties and duplicated rows: integer-valued floats and repeated samples.
    Xt = np.round(rs.randn(150, 3) * 2)
    Xt = np.vstack([Xt, Xt[:30]])
    yt = (Xt[:, 0] + rs.randn(180) > 0).astype(int)
    cases.append(_case("ties", "classif", Xt, yt, 3))
    cases.append(_case("ties_discrete_all", "classif", Xt, yt, 3, discrete=True))
    cases.append(_case("ties_mask", "classif", Xt, yt, 3, discrete=[True, False, True]))
    cases.append(_case("ties_indices", "classif", Xt, yt, 3, discrete=[1]))
    cases.append(_case("ties_negative_index", "classif", Xt, yt, 3, discrete=[-1]))
    # Single-sample classes (ignored) and small classes (sklearn's brute-force neighbours).
    Xs = rs.randn(60, 3) * 5 + 100
    ys = np.concatenate([np.zeros(40, int), np.ones(7, int), np.full(5, 2), np.full(3, 3),
                         np.full(2, 4), [5], [6], [7]])
    ys = ys[:60] if ys.size >= 60 else np.concatenate([ys, np.full(60 - ys.size, 8)])
    cases.append(_case("single_and_small_classes", "classif", Xs, ys, 5))
    cases.append(_case("small_classes_k5", "classif", Xs, ys, 5, k=5))
    # Constant columns: exactly constant, and constant with a non-representable value.
    Xc = np.column_stack([np.full(80, 3.7), rs.randn(80), np.full(80, 0.1), np.zeros(80)])
    yc = rs.randint(0, 2, 80)
    cases.append(_case("constant_columns", "classif", Xc, yc, 11))
    # Float labels with integral values, and a large offset / scale.
    yf = rs.choice([0.0, 2.0, 5.0], 120)
    Xf = rs.randn(120, 2) * np.array([1e-3, 1e4]) + np.array([50.0, -3e5])
    cases.append(_case("float_labels_offsets", "classif", Xf, yf, 8))
    # Integer X: sklearn truncates the scaled values when it writes them back into the int array.
    Xi = rs.randint(-20, 20, (100, 3))
    yi = rs.randint(0, 2, 100)
    cases.append(_case("integer_x", "classif", Xi, yi, 4))
    cases.append(_case("integer_x_mask", "classif", Xi, yi, 4, discrete=[False, True, False]))
    # Tiny n: every class small.
    cases.append(_case("tiny", "classif", rs.randn(6, 2), [0, 0, 0, 1, 1, 1], 0))
    # Regression.
    Xr = rs.randn(150, 3)
    yr = Xr[:, 0] ** 2 + 0.5 * rs.randn(150)
    for seed in (0, 9):
        cases.append(_case(f"regression_seed{seed}", "regression", Xr, yr, seed))
    for k in (1, 4):
        cases.append(_case(f"regression_k{k}", "regression", Xr, yr, 0, k=k))
    Xrd = np.column_stack([rs.randint(0, 4, 150), Xr[:, 1], rs.randint(0, 2, 150)]).astype(float)
    cases.append(_case("regression_mask", "regression", Xrd, yr, 2, discrete=[True, False, True]))
    cases.append(_case("regression_ties", "regression", np.round(Xr * 3), np.round(yr * 2), 6))
    cases.append(_case("regression_tiny", "regression", rs.randn(7, 2), rs.randn(7), 1))
    cases.append(_case("regression_int_y", "regression", Xr, rs.randint(0, 5, 150), 3))

    recipes = [
        _recipe("recipe_classif_3000", "classif", 7, 3000, 3, 2, 42),
        _recipe("recipe_classif_multi", "classif", 8, 2500, 2, 5, 0, k=4),
        _recipe("recipe_regression_2000", "regression", 9, 2000, 3, 0, 1),
    ]

    scores = []
    for i in range(4):
        a = rs.randint(0, 4 + i, 50 + 40 * i)
        b = (a + rs.randint(0, 3, a.size)) % (3 + i)
        scores.append({"a": a.tolist(), "b": b.tolist(), "mi": float(mutual_info_score(a, b))})
    scores.append({"a": [1, 1, 1, 1], "b": [0, 1, 0, 1], "mi": float(mutual_info_score([1] * 4, [0, 1, 0, 1]))})
    scores.append({"a": [0.5, 0.5, -2.0, 3.0, 3.0], "b": [1, 1, 2, 2, 3],
                   "mi": float(mutual_info_score([0.5, 0.5, -2.0, 3.0, 3.0], [1, 1, 2, 2, 3]))})

    xs = list(range(1, 41)) + [100, 1000, 12345, 100000, 0.25, 0.5, 1.5, 2.5, 7.3, 9.99, 10.5,
                               15.2, 1e6 + 0.5, -0.5, -2.25]
    digammas = {"x": [float(v) for v in xs], "digamma": [float(digamma(v)) for v in xs]}

    argsorts = []
    for n in (5, 17, 20, 33, 100, 257):
        v = rs.randint(0, 4, n).astype(float)
        v[rs.rand(n) < 0.2] = 0.0
        argsorts.append({"v": v.tolist(), "order": np.argsort(v).tolist()})
    v = np.array([0.3, 0.0, 0.1, 0.0, 0.0, 0.2, 0.1, 0.3, 0.0, 0.05, 0.0, 0.3, 0.2, 0.0, 0.1, 0.0,
                  0.0, 0.1, 0.2, 0.0])
    argsorts.append({"v": v.tolist(), "order": np.argsort(v).tolist()})

    path = outdir / "sklearn_mi" / "cases.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cases": cases, "recipes": recipes, "mutual_info_score": scores,
                                "digamma": digammas, "argsort": argsorts}, indent=0) + "\n")
