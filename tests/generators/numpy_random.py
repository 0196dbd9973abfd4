# SPDX-License-Identifier: BSD-3-Clause
"""Expected draws of numpy's legacy RandomState (numpy 1.24) for tests/numpy_random_test.cpp.

Each case is a seed and a sequence of calls on one RandomState; the values are stored in full
(float64 through JSON round-trip exactly), so the test compares them with ==.
"""
import json

import numpy as np

SEEDS = [0, 1, 42, 12345, 2**31 - 1, 2**32 - 1]

# (method, arguments) sequences, run in order on one generator per seed.
CALLS = [
    [("rand", [7])],
    [("randn", [9])],
    # Odd counts leave a cached Gaussian that must survive uniform and integer draws.
    [("randn", [3]), ("rand", [2]), ("randn", [1]), ("randint", [0, 10, 3]), ("randn", [4])],
    [("rand", [3, 4]), ("randn", [2, 3])],
    [("normal", [1.5, 0.25, 5]), ("normal", [-3.0, 0.0, 2]), ("uniform", [-2.0, 5.0, 5])],
    [("uniform", [3.0, 1.0, 4])],
    [("randint", [0, 2, 16]), ("randint", [5, 6, 3]), ("randint", [0, 7, 9])],
    [("randint", [0, 8, 9]), ("randint", [0, 1024, 9]), ("randint", [-1000, 1000, 9])],
    [("randint", [0, 2**31, 5]), ("randint", [0, 2**32 - 1, 5]), ("randint", [0, 2**32, 5])],
    [("randint", [0, 2**32 + 1, 5]), ("randint", [-2**40, 2**40, 5]), ("randint", [0, 2**62 + 1, 5])],
    [("randint", [-2**63, 2**63 - 1, 5])],
    [("permutation", [1]), ("permutation", [10]), ("permutation", [37])],
    [("shuffle", [[10, 11, 12, 13, 14, 15, 16, 17]]), ("shuffle2d", [5, 3])],
]

# Long runs (crossing several 624-word MT19937 refills) for two seeds only, to keep the file small.
LONG_SEEDS = [0, 2**32 - 1]
LONG_CALLS = [
    [("randn", [1001]), ("rand", [1])],
    [("permutation", [1500])],
]


def call(rs, method, args):
    if method == "rand":
        return rs.rand(*args).tolist()
    if method == "randn":
        return rs.randn(*args).tolist()
    if method == "normal":
        return rs.normal(args[0], args[1], size=args[2]).tolist()
    if method == "uniform":
        return rs.uniform(args[0], args[1], size=args[2]).tolist()
    if method == "randint":
        return rs.randint(args[0], args[1], size=args[2], dtype=np.int64).tolist()
    if method == "permutation":
        return rs.permutation(args[0]).tolist()
    if method == "shuffle":
        x = np.array(args[0], dtype=np.int64)
        rs.shuffle(x)
        return x.tolist()
    if method == "shuffle2d":
        x = np.arange(args[0] * args[1], dtype=np.float64).reshape(args[0], args[1])
        rs.shuffle(x)
        return x.tolist()
    raise ValueError(method)


def generate(outdir):
    cases = []
    for seed in SEEDS:
        for calls in CALLS:
            rs = np.random.RandomState(seed)
            steps = [{"method": m, "args": a, "values": call(rs, m, a)} for m, a in calls]
            cases.append({"seed": seed, "steps": steps})
    for seed in LONG_SEEDS:
        for calls in LONG_CALLS:
            rs = np.random.RandomState(seed)
            steps = [{"method": m, "args": a, "values": call(rs, m, a)} for m, a in calls]
            cases.append({"seed": seed, "steps": steps})
    # The module-level functions share one global RandomState, reseeded by np.random.seed.
    np.random.seed(7)
    np.random.rand(3)
    np.random.seed(7)
    reseeded = np.random.randn(3).tolist()
    path = outdir / "numpy_random" / "streams.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"numpy": np.__version__, "cases": cases,
                                "reseed7_randn3": reseeded}) + "\n")
