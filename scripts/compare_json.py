#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Largest relative difference, per experiment, between two `infozoo all --json` outputs, or
between one and the Python reference's expected/*.json (a folder):

    python3 scripts/compare_json.py all-cpu.json all-cuda.json
    python3 scripts/compare_json.py ../shared/reference/expected all-cuda.json

Numbers are compared leaf by leaf where both sides have the same key path; strings, booleans
and shapes must match exactly. Prints one line per experiment; exits 1 on a structural mismatch.
Used by scripts/device-check.sh (CUDA against CPU on the GPU machine); not a test.
"""
import json
import math
import pathlib
import sys


def load(path):
    path = pathlib.Path(path)
    if path.is_dir():
        return {p.stem: json.loads(p.read_text()) for p in sorted(path.glob("*.json"))}
    return json.loads(path.read_text())


def walk(a, b, where, out):
    """Appends (relative difference, key path) for each numeric leaf; mismatches as inf."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a.keys() & b.keys():
            walk(a[key], b[key], f"{where}.{key}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append((math.inf, f"{where}: lengths {len(a)} and {len(b)}"))
            return
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{where}[{i}]", out)
    elif isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or isinstance(b, str):
        if a != b:
            out.append((math.inf, f"{where}: {a!r} and {b!r}"))
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if a == b or (a != a and b != b):
            out.append((0.0, where))
        else:
            out.append((abs(a - b) / max(abs(a), abs(b), 1e-300), where))
    elif a is not None or b is not None:
        out.append((math.inf, f"{where}: {type(a).__name__} and {type(b).__name__}"))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = load(sys.argv[1]), load(sys.argv[2])
    failed = False
    for name in sorted(a.keys() & b.keys()):
        diffs = []
        walk(a[name], b[name], name, diffs)
        worst = max(diffs, default=(0.0, name))
        failed |= math.isinf(worst[0])
        print(f"{name:16s} {len(diffs):6d} values  max relative difference {worst[0]:.3g}  at {worst[1]}")
    only = sorted(a.keys() ^ b.keys())
    if only:
        print(f"only on one side: {', '.join(only)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
