#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Whole-process benchmark of `infozoo rank` and `infozoo select` on a large CSV, side by side with
their Python peers in the same run, each job in its own process: wall time and peak resident
memory (getrusage of the child), plus the stage times each job reports.

    /usr/bin/python3 benchmarks/select_bench.py --build build [--rows 1000000] [--threads 1]

Jobs, on one CSV of ROWS x 50 numeric columns (scikit-learn's make_classification: 10 informative,
10 redundant, random_state 0) plus a binary 'label' (cached under ~/.cache/infozoo/bench/):
- infozoo rank FILE --target label --seed 0 --json --timings
- infozoo select FILE --target label --method jmi -k 10 --json --timings  (--select-estimation)
- pandas.read_csv + sklearn.feature_selection.mutual_info_classif(random_state=0)
- pandas.read_csv + mrmr_selection.mrmr_classif(K=10)  (its defaults: F-statistic relevance and
  Pearson-correlation redundancy, not MI)
The peers run in a venv with Debian's scikit-learn 1.2.1 pinned (the version infozoo follows),
pandas and mrmr_selection: ~/.cache/infozoo/select-peers-venv, created on first use, or
$INFOZOO_SELECT_PEERS_PYTHON. Every job gets the same thread count (OMP_NUM_THREADS and friends).
The ranks' scores are compared: infozoo's against scikit-learn's, column by column.
The printed lines are what benchmarks/RESULTS.md's issue-15 section records.
"""
import argparse
import json
import os
import pathlib
import platform
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
CACHE = pathlib.Path.home() / ".cache" / "infozoo"
VENV = pathlib.Path(os.environ.get("INFOZOO_SELECT_PEERS_PYTHON", CACHE / "select-peers-venv" / "bin" / "python"))
N_COLS = 50

PEER_RANK = r"""
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
from sklearn.feature_selection import mutual_info_classif
t1 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
t2 = time.perf_counter()
X = df.drop(columns="label").to_numpy(dtype=float)
y = df["label"].to_numpy()
mi = mutual_info_classif(X, y, random_state=0)
t3 = time.perf_counter()
print(json.dumps({"seconds": {"import": t1 - t0, "read": t2 - t1, "mi": t3 - t2},
                  "scores": dict(zip(df.columns.drop("label"), map(float, mi)))}))
"""

PEER_MRMR = r"""
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
from mrmr import mrmr_classif
t1 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
t2 = time.perf_counter()
selected = mrmr_classif(X=df.drop(columns="label"), y=df["label"], K=10, show_progress=False)
t3 = time.perf_counter()
print(json.dumps({"seconds": {"import": t1 - t0, "read": t2 - t1, "select": t3 - t2}, "selected": selected}))
"""


def ensure_venv():
    if VENV.exists():
        return
    venv_dir = VENV.parent.parent
    print(f"select_bench: creating the peers' venv {venv_dir}", file=sys.stderr)
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv_dir)], check=True)
    subprocess.run([str(VENV), "-m", "pip", "install", "-q", "numpy<2", "scikit-learn==1.2.1", "pandas<2.3",
                    "mrmr_selection"], check=True)


def make_csv(rows):
    path = CACHE / "bench" / f"select_{rows}x{N_COLS}.csv"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    import numpy as np
    from sklearn.datasets import make_classification
    print(f"select_bench: writing {path}", file=sys.stderr)
    X, y = make_classification(n_samples=rows, n_features=N_COLS, n_informative=10, n_redundant=10,
                               random_state=0)
    partial = path.with_suffix(".partial")
    with open(partial, "w") as f:
        f.write(",".join([f"f{j}" for j in range(N_COLS)] + ["label"]) + "\n")
        block = 100000
        for i0 in range(0, rows, block):
            data = np.column_stack([X[i0:i0 + block], y[i0:i0 + block]])
            np.savetxt(f, data, fmt=["%.9g"] * N_COLS + ["%d"], delimiter=",")
    partial.rename(path)
    return path


def run(cmd, threads):
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = proc.communicate()  # waits; rusage below is that child's
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"select_bench: {' '.join(map(str, cmd))} failed ({proc.returncode}): {err.decode()[-500:]}")
    return wall, json.loads(out)


def measured(cmd, threads):
    # A wrapper process per job so that its peak RSS is its own (RUSAGE_CHILDREN keeps the maximum).
    wrapper = ("import json,resource,subprocess,sys,time;t=time.perf_counter();"
               "p=subprocess.run(sys.argv[1:],capture_output=True);w=time.perf_counter()-t;"
               "r=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024.0;"
               "sys.stderr.write(p.stderr.decode()[-2000:]);"
               "print(json.dumps({'rc':p.returncode,'wall':w,'peak_mib':r,'out':p.stdout.decode()}))")
    wall, result = run(["/usr/bin/python3", "-c", wrapper] + [str(c) for c in cmd], threads)
    if result["rc"] != 0:
        sys.exit(f"select_bench: {' '.join(map(str, cmd))} exited {result['rc']}")
    return result["wall"], result["peak_mib"], json.loads(result["out"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build", help="build folder holding apps/infozoo")
    parser.add_argument("--rows", type=int, default=1000000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--select-estimation", default="knn", choices=["knn", "binned"])
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args()

    infozoo = pathlib.Path(args.build) / "apps" / "infozoo"
    if not infozoo.exists():
        sys.exit(f"select_bench: no {infozoo}; build first (scripts/build.sh)")
    ensure_venv()
    csv = make_csv(args.rows)
    matrix_mib = args.rows * (N_COLS + 1) * 8 / 2**20
    file_mib = csv.stat().st_size / 2**20
    print(f"select_bench: {csv} ({file_mib:.0f} MiB of text; the float64 matrix is {matrix_mib:.0f} MiB), "
          f"{args.threads} thread(s), {platform.processor() or platform.machine()}, {os.cpu_count()} cores")

    jobs = [
        ("infozoo rank", [infozoo, "rank", csv, "--target", "label", "--seed", "0", "--json", "--timings"]),
        ("infozoo select --method jmi -k 10", [infozoo, "select", csv, "--target", "label", "--method", "jmi",
                                               "-k", "10", "--estimation", args.select_estimation, "--seed", "0",
                                               "--json", "--timings"]),
    ]
    if not args.skip_peers:
        jobs += [
            ("pandas.read_csv + mutual_info_classif", [VENV, "-c", PEER_RANK, csv]),
            ("pandas.read_csv + mrmr_classif(K=10)", [VENV, "-c", PEER_MRMR, csv]),
        ]
    results = {}
    for name, cmd in jobs:
        wall, peak, out = measured(cmd, args.threads)
        results[name] = (wall, peak, out)
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in out.get("seconds", {}).items())
        print(f"  {name:42s} {wall:8.2f} s  peak {peak:7.0f} MiB ({peak / matrix_mib:.2f}x the matrix)  [{stages}]")

    rank = results["infozoo rank"][2]
    if "pandas.read_csv + mutual_info_classif" in results:
        peer = results["pandas.read_csv + mutual_info_classif"][2]["scores"]
        ours = rank["scores"]
        diffs = [abs(ours[c] - peer[c]) for c in peer]
        same = sum(ours[c] == peer[c] for c in peer)
        print(f"  scores: {same} of {len(peer)} columns bit-identical to scikit-learn's, max |difference| "
              f"{max(diffs):.3g} nats")
        for name in ("pandas.read_csv + mutual_info_classif", "pandas.read_csv + mrmr_classif(K=10)"):
            for ours_name in ("infozoo rank", "infozoo select --method jmi -k 10"):
                print(f"  {name} / {ours_name}: {results[name][0] / results[ours_name][0]:.1f}x")
        read_ratio = results["pandas.read_csv + mutual_info_classif"][2]["seconds"]["read"] / rank["seconds"]["read"]
        print(f"  parse: pandas.read_csv / infozoo's reader: {read_ratio:.2f}x")
        mi_ratio = results["pandas.read_csv + mutual_info_classif"][2]["seconds"]["mi"] / rank["seconds"]["mi"]
        print(f"  MI: mutual_info_classif / infozoo: {mi_ratio:.1f}x")


if __name__ == "__main__":
    main()
