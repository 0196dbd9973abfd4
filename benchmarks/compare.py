#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Runs infozoo's C++ benchmarks and their Python peers side by side, alternating, with the same
thread count on both, and prints (and writes to benchmarks/RESULTS.md) a table of medians and ratios.

    /usr/bin/python3 benchmarks/compare.py --build build-bench [--threads 1 2] [--rounds 3] [--quick]
Build first: cmake -S . -B build-bench -DINFOZOO_BUILD_BENCHMARKS=ON && cmake --build build-bench
(scripts/bench.sh does both). Ratios are taken within one run; these machines are noisy.

    python3 benchmarks/compare.py --build build-device --device cuda
runs the GPU cases (MultiHeadAttention, InfoNCE) on CUDA against PyTorch on the same GPU
(scripts/device-check.sh bench), writing benchmarks/RESULTS-cuda.md.

The ennemi and NPEET peers (the KSG cases) run under the peers' virtual environment
(~/.cache/infozoo/peers-venv, or $INFOZOO_PEERS_PYTHON), on one thread whatever --threads says
(neither parallelises one estimate); every other peer runs under the interpreter running this
script. The run prints, and the report says, which interpreter served which peer.
"""
import argparse
import datetime
import functools
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


PEERS_PYTHON = pathlib.Path(os.environ.get("INFOZOO_PEERS_PYTHON",
                                           pathlib.Path.home() / ".cache" / "infozoo" / "peers-venv" / "bin" / "python"))


class Case:
    def __init__(self, name, size, binary, bench, peer=None, target=None, limit=None, slow_peer=False, memory=False,
                 cpp_peer=None, devices=("cpu",), python=None, peer_threads=None, single=False):
        self.name, self.size, self.binary, self.bench = name, size, binary, bench
        self.python = python  # the peer's interpreter; None: this script's (Debian's /usr/bin/python3)
        self.peer_threads = peer_threads  # a fixed thread count for the peer; None: the row's
        self.single = single  # the peer times one call (peer.py --single): it takes many seconds
        self.devices = devices  # where the case runs: the GPU cases honour INFOZOO_BENCH_DEVICE
        self.peer, self.target, self.limit, self.slow_peer = peer, target, limit, slow_peer
        self.cpp_peer = cpp_peer  # (binary, bench): a C++ peer, timed like the case itself
        self.memory = memory  # the C++ case reports peak_MiB; ask the peer for its peak too


# limit: (kind, amount per call) -> fraction of the machine's measured GEMM GFLOP/s or bandwidth.
CASES = [
    Case("mutual_info_classif", "1000x5", "mutual_info_bench", "BM_MutualInfoClassif/1000/5", ["mi_classif", 1000, 5]),
    Case("mutual_info_classif", "100000x20", "mutual_info_bench", "BM_MutualInfoClassif/100000/20",
         ["mi_classif", 100000, 20], target=30),
    Case("mutual_info_classif", "1000000x20", "mutual_info_bench", "BM_MutualInfoClassif/1000000/20",
         ["mi_classif", 1000000, 20], slow_peer=True),
    Case("histogram MI", "n=1e6, 30 bins", "mutual_info_bench", "BM_HistogramMI/1000000/30",
         ["hist_mi", 1000000, 30], target=50, limit=("bytes", 2 * 8 * 1000000)),
    Case("ManualMLP train", "300 x 1000 epochs", "models_bench", "BM_ManualMLPEpoch/300/1000", ["mlp", 300, 1000], target=3),
    Case("ManualMLP train", "30000 x 100 epochs", "models_bench", "BM_ManualMLPEpoch/30000/100", ["mlp", 30000, 100]),
]
BOTH = ("cpu", "cuda")
for B, L in [(2, 10), (8, 256), (4, 1024)]:
    for mode, label in [("Forward", "fwd"), ("ForwardBackward", "fwd+bwd")]:
        peer_mode = "fwd" if mode == "Forward" else "fwdbwd"
        CASES += [
            Case(f"MHA {label} vs seed class", f"B={B} L={L}", "models_bench", f"BM_MHA{mode}/{B}/{L}",
                 [f"mha_seed_{peer_mode}", B, L], target=1, memory=True, devices=BOTH),
            Case(f"MHA {label} vs nn.MultiheadAttention", f"B={B} L={L}", "models_bench", f"BM_MHA{mode}/{B}/{L}",
                 [f"mha_torch_{peer_mode}", B, L], target=1, memory=True, devices=BOTH),
            # Debian's torch 1.13 has no F.scaled_dot_product_attention: a GPU (torch 2.x) peer only.
            Case(f"MHA {label} vs seed class on F.scaled_dot_product_attention", f"B={B} L={L}", "models_bench",
                 f"BM_MHA{mode}/{B}/{L}", [f"mha_sdpa_{peer_mode}", B, L], target=1, memory=True, devices=("cuda",)),
            Case(f"MHA {label} vs LibTorch's torch::nn::MultiheadAttention (C++)", f"B={B} L={L}", "models_bench",
                 f"BM_MHA{mode}/{B}/{L}", cpp_peer=("models_bench", f"BM_LibTorchMHA{mode}/{B}/{L}"), target=1,
                 devices=BOTH),
        ]
CASES += [
    Case("InfoNCE paired", "32x256x128", "models_bench", "BM_InfoNCEPaired/32/256/128", ["infonce_paired", 32, 256, 128],
         memory=True, devices=BOTH),
    Case("InfoNCE paired", "256x4096x128", "models_bench", "BM_InfoNCEPaired/256/4096/128",
         ["infonce_paired", 256, 4096, 128], memory=True, devices=BOTH),
    Case("InfoNCE shared bank", "256x65536x128", "models_bench", "BM_InfoNCEShared/256/65536/128",
         ["infonce_shared", 256, 65536, 128], limit=("flops", 2 * 256 * 65536 * 128), memory=True, devices=BOTH),
    Case("softmax_jacobian", "n=3", "models_bench", "BM_SoftmaxJacobian/3", ["softmax_jacobian", 3]),
    Case("softmax_jacobian", "n=512", "models_bench", "BM_SoftmaxJacobian/512", ["softmax_jacobian", 512]),
    Case("positional_encoding", "5000x512", "models_bench", "BM_PositionalEncoding/5000/512", ["posenc", 5000, 512]),
]
# Issue 14: KSG (k = 3, algorithm 1) on d pairs of coordinates correlated at 0.8, and the
# Frenzel-Pompe CMI, against ennemi and NPEET on one thread. The 10x target is the issue's, for the
# multivariate (2x2, 5x5) cases.
for n, n_label in [(10000, "1e4"), (100000, "1e5")]:
    for d in (1, 2, 5):
        for peer, peer_label in [("ennemi", "ennemi"), ("npeet", "NPEET")]:
            CASES.append(Case(f"KSG MI vs {peer_label}", f"n={n_label}, {d}x{d}", "ksg_bench",
                              f"BM_KsgMutualInfo/{n}/{d}", [f"ksg_{peer}", n, d], target=10 if d > 1 else None,
                              memory=True, python=PEERS_PYTHON, peer_threads=1, slow_peer=n >= 100000,
                              single=n >= 100000 or d >= 5))
for peer, peer_label in [("ennemi", "ennemi"), ("npeet", "NPEET")]:
    CASES.append(Case(f"KSG CMI vs {peer_label}", "n=1e4, 2+2+2", "ksg_bench", "BM_ConditionalMutualInfo/10000/2",
                      [f"cmi_{peer}", 10000, 2], memory=True, python=PEERS_PYTHON, peer_threads=1))

UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


DEVICE = "cpu"  # --device


def thread_env(threads):
    env = dict(os.environ)
    env["INFOZOO_BENCH_DEVICE"] = DEVICE
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "INFOZOO_THREADS"):
        env[var] = str(threads)
    return env


def run_cpp(build, binary, bench, threads, min_time, peak=False):
    env = thread_env(threads)
    if peak:
        env["INFOZOO_MEASURE_PEAK"] = "1"  # a run of its own: see benchmarks/peak_memory.h
    out = subprocess.run([str(build / "benchmarks" / binary), f"--benchmark_filter=^{bench}(/real_time)?$",
                          "--benchmark_format=json", f"--benchmark_min_time={min_time}",
                          # a warm-up, as peer.py's first call: no side is timed cold
                          f"--benchmark_min_warmup_time={min_time}"],
                         check=True, capture_output=True, text=True, env=env).stdout
    report = json.loads(out)
    b = report["benchmarks"][0]
    return b["real_time"] * UNITS[b["time_unit"]], b, report["context"]


def run_peer(args, threads, min_time, memory, python=None, single=False):
    out = subprocess.run([str(python or sys.executable), str(HERE / "peer.py"), *map(str, args), "--threads",
                          str(threads), "--min-time", str(min_time), "--device", DEVICE]
                         + (["--peak-memory"] if memory else []) + (["--single"] if single else []),
                         check=True, capture_output=True, text=True, env=thread_env(threads)).stdout
    result = json.loads(out)
    return result["seconds"], result.get("peak_bytes", -1), result.get("value")


def fmt_time(s):
    return f"{s * 1e3:.3f} ms" if s < 1 else f"{s:.2f} s"


def main():
    global DEVICE
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default="build-bench")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu",
                   help="cuda: the GPU cases on the GPU, against PyTorch on the same GPU")
    p.add_argument("--threads", type=int, nargs="+", default=None, help="default: 1 2 on the CPU, 1 on a GPU")
    p.add_argument("--rounds", type=int, default=3, help="alternations of C++ and peer per case")
    p.add_argument("--min-time", type=float, default=0.3)
    p.add_argument("--quick", action="store_true", help="skip the slow peers (scikit-learn at 1e6 x 20)")
    p.add_argument("--filter", default="", help="only cases whose name contains this")
    p.add_argument("--output", default=None, help="default: benchmarks/RESULTS.md, RESULTS-cuda.md on a GPU")
    a = p.parse_args()
    DEVICE = a.device
    gpu = DEVICE == "cuda"
    a.threads = a.threads or ([1] if gpu else [1, 2])
    a.output = a.output or str(HERE / ("RESULTS-cuda.md" if gpu else "RESULTS.md"))
    build = pathlib.Path(a.build).resolve()
    # A GPU's limits need a larger GEMM: 2048^3 is a few microseconds of work there.
    gemm_n = 8192 if gpu else 2048

    rows, context = [], {}
    print(f"peers: {sys.executable} for the seed's Python, scikit-learn and PyTorch; "
          f"{PEERS_PYTHON} for ennemi and NPEET" + ("" if PEERS_PYTHON.exists() else " (missing: those peers are skipped)"),
          flush=True)
    # A peer with a fixed thread count gives the same figures at every --threads: measured once.
    peer_cache = {}
    # One C++ run per round serves every peer of the same case, and one peak-memory run: the
    # peers of a case then compare against the same infozoo figures.
    cpp_rounds, cpp_peaks = {}, {}

    def cpp_time(binary, bench, threads, round_index):
        runs = cpp_rounds.setdefault((binary, bench, threads), [])
        if len(runs) <= round_index:
            runs.append(run_cpp(build, binary, bench, threads, a.min_time)[0])
        return runs[round_index]

    for threads in a.threads:
        gemm, _, context = run_cpp(build, "machine_bench", f"BM_GemmF32/{gemm_n}", threads, a.min_time)
        gflops = 2 * gemm_n ** 3 / gemm / 1e9
        copy, _, _ = run_cpp(build, "machine_bench", f"BM_Copy/{1 << 26}", threads, a.min_time)
        bandwidth = 2 * 4 * (1 << 26) / copy / 1e9
        rows.append([threads, "machine: float32 GEMM (torch::mm)", f"{gemm_n}^3", f"{gflops:.1f} GFLOP/s", "", "", "", "", ""])
        rows.append([threads, "machine: memory bandwidth (copy)", "256 MiB", f"{bandwidth:.1f} GB/s", "", "", "", "", ""])
        for case in CASES:
            if a.filter not in case.name or DEVICE not in case.devices:
                continue
            cpp_times, peer_times, cpp_peak, peer_peak, cpp_value, peer_value = [], [], None, None, None, None
            if case.memory:
                key = (case.binary, case.bench, threads)
                if key not in cpp_peaks:
                    cpp_peaks[key] = run_cpp(build, case.binary, case.bench, threads, 0, peak=True)[1]
                cpp_peak = cpp_peaks[key].get("peak_MiB")
                cpp_value = cpp_peaks[key].get("mi_nats", cpp_peaks[key].get("cmi_nats"))
            run_peer_side = (case.peer or case.cpp_peer) and not (a.quick and case.slow_peer) \
                and (case.python is None or case.python.exists())
            for round_index in range(a.rounds):
                cpp_times.append(cpp_time(case.binary, case.bench, threads, round_index))
                if run_peer_side and case.cpp_peer:
                    peer_times.append(run_cpp(build, *case.cpp_peer, threads, a.min_time)[0])
                elif run_peer_side:
                    peer_threads = case.peer_threads or threads
                    key = (tuple(case.peer), str(case.python), peer_threads, round_index)
                    if case.peer_threads is None or key not in peer_cache:
                        peer_cache[key] = run_peer(case.peer, peer_threads, a.min_time, case.memory, case.python,
                                                   case.single)
                    seconds, peak_bytes, peer_value = peer_cache[key]
                    peer_times.append(seconds)
                    peer_peak = peak_bytes / 2**20 if peak_bytes >= 0 else None
                    if case.slow_peer:
                        break  # one peer run is enough when it takes minutes
            cpp = statistics.median(cpp_times)
            peer = statistics.median(peer_times) if peer_times else None
            ratio = f"{peer / cpp:.1f}x" if peer else ""
            target = f">= {case.target}x " + ("met" if peer and peer / cpp >= case.target else "MISSED") \
                if case.target else ""
            limit = ""
            if case.limit:
                kind, amount = case.limit
                limit = (f"{amount / cpp / 1e9 / bandwidth:.0%} of bandwidth" if kind == "bytes"
                         else f"{amount / cpp / 1e9 / gflops:.0%} of GEMM")
            memory = ""
            if cpp_peak is not None:
                memory = f"{cpp_peak:.1f} MiB" + (f" / {peer_peak:.1f} MiB" if peer_peak is not None else "")
            row = [threads, case.name, case.size, fmt_time(cpp), fmt_time(peer) if peer else "-", ratio, target, limit,
                   memory]
            print(" | ".join(map(str, row)), flush=True)
            if cpp_value is not None and peer_value is not None:
                # Both sides must have estimated from the same data: the peers differ from infozoo
                # only by NPEET's 1e-10 noise and ennemi's approximate digamma (1.6e-5 at 2).
                same = abs(cpp_value - peer_value) <= 1e-4 * max(1.0, abs(peer_value))
                print(f"    estimate: infozoo {cpp_value:.9f}, peer {peer_value:.9f} nats"
                      + ("" if same else "  WARNING: not the same estimate, so not the same data"), flush=True)
            rows.append(row)
            write_report(a, rows, context)  # after every row: a run cut short keeps what it measured
    print(f"wrote {a.output}")


def write_report(a, rows, context):
    gpu = DEVICE == "cuda"
    header = ["threads", "case", "size", "infozoo", "peer", "ratio (peer / infozoo)", "target", "limit",
              "peak memory of one call (infozoo / peer)"]
    peer_python = "python3 (PyTorch on the same GPU)" if gpu else "Debian's /usr/bin/python3"
    ksg_rows = any(str(r[1]).startswith("KSG") for r in rows)
    lines = [f"# infozoo benchmarks" + (" on CUDA" if gpu else ""), "",
             f"Run {datetime.datetime.now().isoformat(timespec='seconds')} by `benchmarks/compare.py --device {DEVICE}` "
             f"(per side: the mean time per call within a run, as Google Benchmark reports it; the median of {a.rounds} alternating runs; peer = the seed's Python on {peer_python}, "
             "or LibTorch's own C++ module where the case says so).", "",
             f"- machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
             f"{context.get('mhz_per_cpu', '?')} MHz; BLAS: {blas()}"]
    if gpu:
        lines.append(f"- GPU: {gpu_facts()}; every call is synchronized; float32 matmuls in full float32 (TF32 off, "
                     "the default of both LibTorch and PyTorch)")
    lines += [f"- infozoo: LibTorch {context.get('libtorch', '?')}, Release build, intra-op threads as in the table",
              f"- peer: {peer_versions()}"]
    if ksg_rows:
        lines.append(f"- peers of the KSG cases: {PEERS_PYTHON} ({venv_versions()}), one thread (OMP, MKL, "
                     "OpenBLAS threads 1, ennemi max_threads=1) at every thread count of infozoo; the other peers "
                     f"under {sys.executable}")
    lines += ["",
              "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(str, r)) + " |" for r in rows]
    pathlib.Path(a.output).write_text("\n".join(lines) + "\n")


@functools.lru_cache(maxsize=None)  # the report is rewritten after every row; the facts don't change
def blas():
    try:
        out = subprocess.run(["update-alternatives", "--query", "libblas.so.3-x86_64-linux-gnu"],
                             capture_output=True, text=True).stdout
        return next(l.split(":", 1)[1].strip() for l in out.splitlines() if l.startswith("Value:"))
    except Exception:
        return "unknown"


@functools.lru_cache(maxsize=None)
def gpu_facts():
    code = ("import torch; p = torch.cuda.get_device_properties(0); "
            "print(f'{p.name}, {p.total_memory / 2**30:.0f} GiB, {p.multi_processor_count} SMs, CUDA {torch.version.cuda}')")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() or "unknown"


@functools.lru_cache(maxsize=None)
def venv_versions():
    code = ("import importlib.metadata as m; print(', '.join(f'{p} {m.version(p)}' for p in "
            "('ennemi', 'npeet-plus', 'numpy', 'scipy', 'scikit-learn')))")
    if not PEERS_PYTHON.exists():
        return "missing"
    return subprocess.run([str(PEERS_PYTHON), "-c", code], capture_output=True, text=True).stdout.strip()


@functools.lru_cache(maxsize=None)
def peer_versions():
    code = "import numpy, sklearn, torch; print(f'numpy {numpy.__version__}, scikit-learn {sklearn.__version__}, torch {torch.__version__}')"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
