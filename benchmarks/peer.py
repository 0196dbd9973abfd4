#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The Python peers of infozoo's benchmarks: the seed's own code (../shared/reference/reference.py)
and the libraries it uses, on the same inputs as the C++ cases in benchmarks/*_bench.cpp.

    /usr/bin/python3 benchmarks/peer.py CASE ARGS... --threads T [--device cuda]
prints the mean seconds per call as JSON. Run by benchmarks/compare.py; not a test. With
--device cuda the attention and InfoNCE cases run on the GPU and every call is synchronized.

The ennemi and NPEET cases (ksg_*, cmi_*) need those packages, which Debian does not ship: they run
under the peers' virtual environment (PEERS_PYTHON, made as tests/generators/ksg_reference.py
says), which compare.py picks for them; every other case runs under Debian's /usr/bin/python3.
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


# ---- ennemi and NPEET (issue 14), run under PEERS_PYTHON ------------------------------------------

PEERS_PYTHON = pathlib.Path.home() / ".cache" / "infozoo" / "peers-venv" / "bin" / "python"


def ksg_data(n, d):
    """benchmarks/ksg_bench.cpp's BM_KsgMutualInfo: X [n, d] standard normal, Y = 0.8 X + 0.6 E."""
    import numpy as np
    rs = np.random.RandomState(0)
    X = rs.randn(n, d)
    E = rs.randn(n, d)
    return X, 0.8 * X + 0.6 * E


def cmi_data(n, d):
    """BM_ConditionalMutualInfo: Z, then X = 0.6 Z + 0.8 E1, then Y = 0.5 X + 0.5 Z + 0.7 E2."""
    import numpy as np
    rs = np.random.RandomState(0)
    Z = rs.randn(n, d)
    X = 0.6 * Z + 0.8 * rs.randn(n, d)
    Y = 0.5 * X + 0.5 * Z + 0.7 * rs.randn(n, d)
    return X, Y, Z


def ennemi_call(X, Y, Z=None):
    """ennemi 1.5's estimate_mi on one thread, without its preprocessing (scaling and noise), as
    infozoo runs by default. Its public API takes one-column variables (the columns of x are
    separate variables; cond may have several); for multi-column X and Y the call is the function
    estimate_mi runs for each pair, _estimate_single_mi / _estimate_conditional_mi."""
    import ennemi
    import ennemi._entropy_estimators as ee
    if X.shape[1] == 1 and Y.shape[1] == 1:
        return lambda: ennemi.estimate_mi(Y[:, 0], X[:, 0], k=3, cond=Z, preprocess=False, max_threads=1)
    if Z is None:
        return lambda: ee._estimate_single_mi(X, Y, 3)
    return lambda: ee._estimate_conditional_mi(X, Y, Z, 3)


def npeet_call(X, Y, Z=None):
    """NPEET (npeet-plus 0.2) mi / mi(z=...) in nats, with its own 1e-10 uniform noise."""
    import numpy as np
    import npeet_plus.estimators as npeet
    return lambda: npeet.mi(X, Y, z=Z, k=3, base=np.e)


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
    "ksg_ennemi": lambda n, d: ennemi_call(*ksg_data(n, d)),
    "ksg_npeet": lambda n, d: npeet_call(*ksg_data(n, d)),
    "cmi_ennemi": lambda n, d: ennemi_call(*cmi_data(n, d)),
    "cmi_npeet": lambda n, d: npeet_call(*cmi_data(n, d)),
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
    p.add_argument("--single", action="store_true",
                   help="time one call, with no warm-up (a peer that takes many seconds per call)")
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
    times, value, peak = [], None, None
    if a.single:
        # One call, timed; with --peak-memory the same call is the measured one (a second call of a
        # peer that takes minutes would double the run; the 64 KiB mmap threshold that
        # peak_extra_bytes sets costs such a call nothing measurable).
        def timed():
            nonlocal value
            t0 = time.perf_counter()
            value = fn()
            times.append(time.perf_counter() - t0)
        if a.peak_memory and DEVICE != "cuda":
            peak = peak_extra_bytes(timed)
        else:
            timed()
    else:
        start = time.perf_counter()
        fn()
        while time.perf_counter() - start < a.min_time:
            fn()
        start = time.perf_counter()
        while len(times) < 3 or (time.perf_counter() - start < a.min_time and len(times) < 1000):
            t0 = time.perf_counter()
            value = fn()
            times.append(time.perf_counter() - t0)
    result = {"seconds": statistics.fmean(times), "calls": len(times)}
    if a.case.startswith(("ksg_", "cmi_")):  # the estimate itself, to compare with infozoo's
        import numpy as np
        result["value"] = float(np.asarray(value).ravel()[0])
    if peak is not None:
        result["peak_bytes"] = peak
    elif a.peak_memory:
        result["peak_bytes"] = cuda_peak_extra_bytes(fn) if DEVICE == "cuda" else peak_extra_bytes(fn)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
