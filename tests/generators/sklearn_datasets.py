# SPDX-License-Identifier: BSD-3-Clause
"""Expected arrays of scikit-learn 1.2.1's make_moons, make_classification and
sample_without_replacement, for tests/datasets_test.cpp.

Small results are stored in full; large ones as an FNV-1a 64-bit hash of their bytes (float64 or
int64, little-endian, C order), which the test recomputes, plus the first rows for diagnosis.
"""
import json

import numpy as np
from sklearn.datasets import make_classification, make_moons
from sklearn.utils.random import sample_without_replacement

FULL_LIMIT = 800  # arrays with more elements than this are stored as a hash and a head

MOONS = [
    {"n_samples": 100, "noise": None, "shuffle": True, "random_state": 0},
    {"n_samples": 300, "noise": 0.2, "shuffle": True, "random_state": 42},  # the seed's MLP data
    {"n_samples": 200, "noise": 0.2, "shuffle": True, "random_state": 42},
    {"n_samples": 7, "noise": 0.1, "shuffle": False, "random_state": 3},
    {"n_samples": [5, 3], "noise": 0.05, "shuffle": True, "random_state": 2**32 - 1},
    {"n_samples": 1, "noise": None, "shuffle": True, "random_state": 1},
    {"n_samples": 2, "noise": 0.3, "shuffle": True, "random_state": 1},
    {"n_samples": 0, "noise": 0.3, "shuffle": True, "random_state": 1},
    {"n_samples": 2001, "noise": 0.15, "shuffle": True, "random_state": 7},
]

CLASSIFICATION = [
    # The seed's feature-selection data (section 6.2), and the reference's second case.
    {"n_samples": 1000, "n_features": 20, "n_informative": 5, "n_redundant": 5, "random_state": 42},
    {"n_samples": 600, "n_features": 20, "n_informative": 5, "n_redundant": 5, "random_state": 5},
    {"random_state": 0},
    {"n_samples": 60, "n_features": 6, "weights": [0.8], "flip_y": 0.2, "random_state": 1},
    {"n_samples": 30, "n_features": 5, "weights": [0.9, 0.6], "random_state": 2},
    {"n_samples": 50, "n_features": 8, "n_informative": 3, "n_redundant": 1, "n_repeated": 2,
     "hypercube": False, "shift": None, "scale": None, "class_sep": 1.5, "random_state": 5},
    {"n_samples": 40, "n_features": 7, "n_informative": 3, "n_classes": 3,
     "n_clusters_per_class": 1, "shuffle": False, "random_state": 6},
    {"n_samples": 45, "n_features": 6, "n_informative": 4, "n_redundant": 0, "n_classes": 3,
     "weights": [0.2, 0.3, 0.5], "flip_y": 0.0, "shift": 2.5, "scale": 0.5, "random_state": 8},
    {"n_samples": 201, "n_features": 14, "n_informative": 10, "n_redundant": 3, "n_repeated": 1,
     "n_classes": 4, "random_state": 9},
    {"n_samples": 31, "n_features": 34, "n_informative": 32, "n_redundant": 1, "random_state": 10},
    {"n_samples": 99, "n_features": 3, "n_informative": 2, "n_redundant": 1, "flip_y": -1.0,
     "random_state": 11},
    {"n_samples": 4, "n_features": 3, "n_informative": 3, "n_redundant": 0, "n_classes": 2,
     "n_clusters_per_class": 2, "random_state": 12},
]

SAMPLE_WITHOUT_REPLACEMENT = [
    (10, 5, "auto", 42), (1000, 3, "auto", 0), (100, 1, "auto", 1), (50, 50, "auto", 2),
    (1000, 995, "auto", 3), (2**30, 4, "auto", 4), (32, 4, "auto", 5), (0, 0, "auto", 6),
    (20, 7, "tracking_selection", 7), (20, 7, "reservoir_sampling", 8), (20, 7, "pool", 9),
    (5, 5, "pool", 10), (300, 10, "reservoir_sampling", 11),
]


def fnv1a(array):
    h = 0xcbf29ce484222325
    for b in np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return format(h, "016x")


def describe(array):
    out = {"shape": list(array.shape)}
    if array.size <= FULL_LIMIT:
        out["values"] = array.tolist()
    else:
        out["fnv1a"] = fnv1a(array)
        out["head"] = array[:5].tolist()
    return out


def generate(outdir):
    moons = []
    for kwargs in MOONS:
        args = dict(kwargs)
        if isinstance(args["n_samples"], list):
            args["n_samples"] = tuple(args["n_samples"])
        X, y = make_moons(**args)
        moons.append({"kwargs": kwargs, "X": describe(X), "y": describe(y.astype(np.int64))})

    classification = []
    for kwargs in CLASSIFICATION:
        X, y = make_classification(**kwargs)
        # np.dot goes to dgemv instead of dgemm for one redundant column or a one-sample cluster.
        n_classes = kwargs.get("n_classes", 2)
        n_clusters = n_classes * kwargs.get("n_clusters_per_class", 2)
        gemv = kwargs.get("n_redundant", 2) == 1 or kwargs.get("n_samples", 100) < 2 * n_clusters
        classification.append({"kwargs": kwargs, "blas_gemv": bool(gemv), "X": describe(X),
                               "y": describe(y.astype(np.int64))})

    swr = []
    for n_population, n_samples, method, seed in SAMPLE_WITHOUT_REPLACEMENT:
        out = sample_without_replacement(n_population, n_samples, method=method,
                                         random_state=seed)
        swr.append({"n_population": n_population, "n_samples": n_samples, "method": method,
                    "random_state": seed, "values": out.astype(np.int64).tolist()})

    folder = outdir / "sklearn_datasets"
    folder.mkdir(parents=True, exist_ok=True)
    import sklearn
    for name, cases in [("make_moons", moons), ("make_classification", classification),
                        ("sample_without_replacement", swr)]:
        (folder / f"{name}.json").write_text(
            json.dumps({"sklearn": sklearn.__version__, "numpy": np.__version__,
                        "cases": cases}) + "\n")
