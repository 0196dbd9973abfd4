# SPDX-License-Identifier: BSD-3-Clause
"""The true role of each column of scikit-learn's make_classification after its feature shuffle.

With shuffle=False scikit-learn lays the columns out as informative, redundant, repeated, useless.
With shuffle=True (same random_state) the rows and columns are permuted; each shuffled column is
found, bit for bit, among the unshuffled ones (with the rows permuted the same way), which gives
its role. Writes tests/expected/sklearn_datasets/classification_roles.json. Run with Debian's
/usr/bin/python3 (scikit-learn 1.2.1).
"""
import json
import os

import numpy as np
from sklearn.datasets import make_classification

CASES = [
    dict(n_samples=200, n_features=20, n_informative=5, n_redundant=5, random_state=42),
    dict(n_samples=100, n_features=12, n_informative=3, n_redundant=2, n_repeated=3,
         random_state=7),
    dict(n_samples=50, n_features=6, n_informative=2, n_redundant=0, random_state=0),
]
ORDER = ["informative", "redundant", "repeated", "useless"]


def roles_by_position(c):
    n_useless = c["n_features"] - c["n_informative"] - c.get("n_redundant", 2) - c.get(
        "n_repeated", 0)
    return (["informative"] * c["n_informative"] + ["redundant"] * c.get("n_redundant", 2) +
            ["repeated"] * c.get("n_repeated", 0) + ["useless"] * n_useless)


out = []
for c in CASES:
    X0, _ = make_classification(shuffle=False, **c)
    X1, _ = make_classification(shuffle=True, **c)
    by_position = roles_by_position(c)
    # The row permutation: match rows through a column that is not repeated (column 0 is an
    # informative column; its values are distinct with probability 1).
    roles = []
    for j in range(X1.shape[1]):
        col = np.sort(X1[:, j])
        matches = [k for k in range(X0.shape[1]) if np.array_equal(np.sort(X0[:, k]), col)]
        assert matches, (c, j)
        # A repeated column equals its source: both roles are possible only if they differ.
        found = {by_position[k] for k in matches}
        assert len(found) == 1 or found <= {"informative", "redundant", "repeated"}, found
        roles.append(by_position[matches[0]] if len(found) == 1 else sorted(found))
    out.append({"options": c, "roles_unshuffled": by_position, "roles_shuffled": roles})

path = os.path.join(os.path.dirname(__file__), "..", "expected", "sklearn_datasets",
                    "classification_roles.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
