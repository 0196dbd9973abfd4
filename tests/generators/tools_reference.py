# SPDX-License-Identifier: BSD-3-Clause
"""Expected values of `infozoo rank` / `infozoo select` (tests/tools_cli_test.cpp).

Writes small tables under tests/expected/tools/ and, for each, what scikit-learn 1.2.1 computes
on the same numbers: mutual_info_classif / mutual_info_regression with random_state=0 and the
discrete mask infozoo derives (text columns discrete). Run with Debian's /usr/bin/python3:
    /usr/bin/python3 tests/generators/tools_reference.py
"""
import csv
import json
import os

import numpy as np
from sklearn.datasets import make_classification
from sklearn.feature_selection import mutual_info_classif, mutual_info_regression

OUT = os.path.join(os.path.dirname(__file__), "..", "expected", "tools")
os.makedirs(OUT, exist_ok=True)

rng = np.random.RandomState(7)
n = 300
label = rng.randint(0, 3, n)
signal = label + 0.5 * rng.standard_normal(n)
square = (label - 1.0) ** 2 + 0.3 * rng.standard_normal(n)
noise = rng.standard_normal(n)
colours = np.array(["red, dark", 'blue "sky"', "green"])
# The text column follows the label 80% of the time.
colour = np.where(rng.rand(n) < 0.8, colours[label], colours[rng.randint(0, 3, n)])
constant = np.full(n, 2.5)
count = rng.poisson(3 + label, n)
price = 10 * signal + rng.standard_normal(n)

names = ["signal", "square", "noise", "colour", "constant", "count", "price", "label"]
path = os.path.join(OUT, "mixed.csv")
with open(path, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")  # RFC 4180's CRLF, quotes where needed
    w.writerow(names)
    for i in range(n):
        w.writerow([repr(float(signal[i])), repr(float(square[i])), repr(float(noise[i])),
                    colour[i], repr(float(constant[i])), int(count[i]), repr(float(price[i])),
                    int(label[i])])

# Text codes in order of first appearance, as infozoo's reader numbers them.
first = {}
for c in colour:
    first.setdefault(c, len(first))
colour_codes = np.array([first[c] for c in colour], dtype=float)
columns = {"signal": signal, "square": square, "noise": noise, "colour": colour_codes,
           "constant": constant, "count": count.astype(float), "price": price,
           "label": label.astype(float)}

expected = {"file": "mixed.csv", "n_rows": n, "cases": []}
for target, task in [("label", "classif"), ("price", "regression")]:
    features = [c for c in names if c != target]
    X = np.column_stack([columns[c] for c in features])
    mask = np.array([c == "colour" for c in features])
    y = columns[target]
    if task == "classif":
        mi = mutual_info_classif(X, y.astype(int), discrete_features=mask, n_neighbors=3,
                                 random_state=0)
    else:
        mi = mutual_info_regression(X, y, discrete_features=mask, n_neighbors=3, random_state=0)
    expected["cases"].append({"target": target, "task": task, "features": features,
                              "scores": dict(zip(features, map(float, mi)))})

# A make_classification table whose column roles are known: shuffle=False puts 3 informative,
# 2 redundant then 5 useless columns; the columns are then permuted with a recorded permutation.
X, y = make_classification(n_samples=500, n_features=10, n_informative=3, n_redundant=2,
                           shuffle=False, random_state=3)
roles = ["informative"] * 3 + ["redundant"] * 2 + ["useless"] * 5
perm = np.random.RandomState(11).permutation(10)
X = X[:, perm]
roles = [roles[j] for j in perm]
feature_names = [f"f{j}" for j in range(10)]
with open(os.path.join(OUT, "roles.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(feature_names + ["y"])
    for i in range(X.shape[0]):
        w.writerow([repr(float(v)) for v in X[i]] + [int(y[i])])
np.save(os.path.join(OUT, "roles.npy"), np.column_stack([X, y.astype(float)]))
expected["roles"] = {"file": "roles.csv", "npy": "roles.npy", "columns": feature_names + ["y"],
                     "roles": dict(zip(feature_names, roles)),
                     "scores": dict(zip(feature_names, map(float, mutual_info_classif(
                         X, y, n_neighbors=3, random_state=0))))}

with open(os.path.join(OUT, "tools.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
