#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The Python peers of infozoo's benchmarks: the seed's own code (../shared/reference/reference.py)
and the libraries it uses, on the same inputs as the C++ cases in benchmarks/*_bench.cpp.

    /usr/bin/python3 benchmarks/peer.py CASE ARGS... --threads T [--device cuda]
prints the mean seconds per call as JSON. Run by benchmarks/compare.py; not a test. With
--device cuda the attention and InfoNCE cases run on the GPU and every call is synchronized.
"""
import argparse
import contextlib
import importlib.util
import json
import os
import pathlib
import statistics
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
REFERENCE = HERE.parent.parent / "shared" / "reference" / "reference.py"
DEVICE = "cpu"  # --device; read by the cases that can run on a GPU


def reference():
    spec = importlib.util.spec_from_file_location("reference", os.environ.get("INFOZOO_REFERENCE", REFERENCE))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def case_mi_classif(n, d):
    import numpy as np
    from sklearn.feature_selection import mutual_info_classif
    X = np.random.RandomState(0).randn(n, d)
    y = (X[:, 0] > 0).astype(int)
    return lambda: mutual_info_classif(X, y, random_state=0)


def case_hist_mi(n, bins):
    import numpy as np
    rs = np.random.RandomState(42)
    x = rs.randn(n)
    y = 2 * x + rs.randn(n) * 0.5
    ref = reference()
    return lambda: ref.estimate_mutual_information(x, y, bins)


def case_mlp(n, epochs):
    import numpy as np
    from sklearn.datasets import make_moons
    X, y = make_moons(n_samples=n, noise=0.2, random_state=42)
    ref = reference()

    def run():
        np.random.seed(42)
        ref.ManualMLP(2, 32, 2).train(X, y, epochs=epochs, lr=0.5)
    return run


def mha_case(kind, backward, B, L):
    import torch
    torch.manual_seed(0)
    x = torch.randn(B, L, 512).to(DEVICE).requires_grad_(backward)
    if kind == "seed":
        m = seed_mha_class()(512, 8).to(DEVICE)
        fwd = lambda: m(x, x, x)
    elif kind == "sdpa":
        m = sdpa_mha_class()(512, 8).to(DEVICE)
        fwd = lambda: m(x, x, x)
    else:
        m = torch.nn.MultiheadAttention(512, 8, batch_first=True).to(DEVICE)
        fwd = lambda: m(x, x, x, need_weights=False)[0]

    def run():
        if backward:
            fwd().sum().backward()
        else:
            with torch.no_grad():
                fwd()
    return run


def seed_mha_class():
    """The seed's MultiHeadAttention, verbatim: the class tests/generators/mha_weights.py holds."""
    sys.path.insert(0, str(HERE.parent / "tests" / "generators"))
    from mha_weights import MultiHeadAttention
    return MultiHeadAttention


def sdpa_mha_class():
    """The seed's class with its attention done by F.scaled_dot_product_attention (PyTorch >= 2.0),
    which picks a fused kernel (FlashAttention, memory-efficient) where the device has one."""
    import torch.nn.functional as F

    class SdpaMultiHeadAttention(seed_mha_class()):
        def forward(self, Q, K, V, mask=None):
            B = Q.size(0)
            Q, K, V = (w(t).view(B, -1, self.n_heads, self.dk).transpose(1, 2)
                       for w, t in ((self.W_Q, Q), (self.W_K, K), (self.W_V, V)))
            out = F.scaled_dot_product_attention(Q, K, V, attn_mask=None if mask is None else mask != 0)
            return self.W_O(out.transpose(1, 2).contiguous().view(B, -1, self.d_model))
    return SdpaMultiHeadAttention


def case_infonce_paired(B, K, D):
    import torch
    torch.manual_seed(0)
    q, p, neg = (t.to(DEVICE) for t in (torch.randn(B, D), torch.randn(B, D), torch.randn(B, K, D)))
    ref = reference()

    def run():
        # The seed makes its labels with torch.zeros(B): on a GPU, a default-device context puts
        # them beside the inputs without editing the seed (torch >= 2.0).
        with torch.no_grad(), (torch.device(DEVICE) if DEVICE != "cpu" else contextlib.nullcontext()):
            ref.info_nce_loss(q, p, neg, 0.07)
    return run


def case_infonce_shared(B, K, D):
    import torch
    import torch.nn.functional as F
    torch.manual_seed(0)
    q, p, bank = (t.to(DEVICE) for t in (torch.randn(B, D), torch.randn(B, D), torch.randn(K, D)))

    def run():  # the idiomatic PyTorch form of a shared bank (MoCo): one matmul, cross-entropy
        with torch.no_grad():
            logits = torch.cat([(q * p).sum(-1, keepdim=True), q @ bank.T], dim=1) / 0.07
            F.cross_entropy(logits, torch.zeros(B, dtype=torch.long, device=DEVICE))
    return run


def case_softmax_jacobian(n):
    import numpy as np
    z = np.random.RandomState(0).randn(n)
    ref = reference()
    return lambda: ref.softmax_jacobian(z)


def case_posenc(max_len, d_model):
    ref = reference()
    return lambda: ref.positional_encoding(max_len, d_model)


CASES = {
    "mi_classif": case_mi_classif, "hist_mi": case_hist_mi, "mlp": case_mlp,
    "mha_seed_fwd": lambda B, L: mha_case("seed", False, B, L),
    "mha_seed_fwdbwd": lambda B, L: mha_case("seed", True, B, L),
    "mha_torch_fwd": lambda B, L: mha_case("torch", False, B, L),
    "mha_torch_fwdbwd": lambda B, L: mha_case("torch", True, B, L),
    "mha_sdpa_fwd": lambda B, L: mha_case("sdpa", False, B, L),
    "mha_sdpa_fwdbwd": lambda B, L: mha_case("sdpa", True, B, L),
    "infonce_paired": case_infonce_paired, "infonce_shared": case_infonce_shared,
    "softmax_jacobian": case_softmax_jacobian, "posenc": case_posenc,
}


def proc_status_bytes(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return -1


def peak_extra_bytes(fn):
    """Peak bytes one call adds to the resident set, as benchmarks/peak_memory.h measures it."""
    import ctypes
    libc = ctypes.CDLL("libc.so.6")
    libc.mallopt(-3, 64 << 10)  # M_MMAP_THRESHOLD
    libc.malloc_trim(0)
    try:
        with open("/proc/self/clear_refs", "w") as reset:
            reset.write("5")
    except OSError:
        return -1
    before = proc_status_bytes("VmRSS")
    fn()
    return proc_status_bytes("VmHWM") - before


def cuda_peak_extra_bytes(fn):
    """Peak bytes one call allocates on the GPU, as benchmarks/peak_memory.h measures it."""
    import torch
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    before = torch.cuda.memory_allocated()
    fn()
    torch.cuda.synchronize()
    return torch.cuda.max_memory_allocated() - before


def main():
    global DEVICE
    p = argparse.ArgumentParser()
    p.add_argument("case", choices=sorted(CASES))
    p.add_argument("args", type=int, nargs="*")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--min-time", type=float, default=0.5)
    p.add_argument("--peak-memory", action="store_true", help="also measure one call's peak memory")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    a = p.parse_args()
    import torch
    torch.set_num_threads(a.threads)
    DEVICE = a.device
    case = CASES[a.case](*a.args)
    if DEVICE == "cuda":
        def fn():
            case()
            torch.cuda.synchronize()
    else:
        fn = case
    # Warm-up and timing as Google Benchmark does them on the C++ side (compare.py passes both
    # --benchmark_min_warmup_time and --benchmark_min_time): calls for min_time untimed, then the
    # mean of the calls made in min_time (at least 3). The same statistic on both sides matters
    # most on a GPU, where an occasional slow call moves a mean but not a median.
    start = time.perf_counter()
    fn()
    while time.perf_counter() - start < a.min_time:
        fn()
    times, start = [], time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < a.min_time and len(times) < 1000):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    result = {"seconds": statistics.fmean(times), "calls": len(times)}
    if a.peak_memory:
        result["peak_bytes"] = cuda_peak_extra_bytes(fn) if DEVICE == "cuda" else peak_extra_bytes(fn)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
