# SPDX-License-Identifier: BSD-3-Clause
"""The seed's printed text (sections 1.2, 1.3, 2.2, 2.3 and 8.3), labels in English, and numpy's
str() of assorted arrays, for tests/analysis_cli_test.cpp to compare the CLI's text with.

The print statements are the seed's own, with only the Chinese labels translated exactly as the
C++ subcommands word them; every number and array is formatted by Python and numpy 1.24.
"""
import io
import json
import pathlib
from contextlib import redirect_stdout

import numpy as np


def entropy(labels):
    _, counts = np.unique(labels, return_counts=True)
    probs = counts / len(labels)
    return -np.sum(probs * np.log2(probs + 1e-10))


def information_gain(y, x_feature, threshold=None):
    parent_entropy = entropy(y)
    mask = x_feature <= threshold if threshold is not None else x_feature.astype(bool)
    n = len(y)
    n_left, n_right = mask.sum(), (~mask).sum()
    if n_left == 0 or n_right == 0:
        return 0
    child_entropy = (n_left/n)*entropy(y[mask]) + (n_right/n)*entropy(y[~mask])
    return parent_entropy - child_entropy


def info_gain():
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 0])
    x_good = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 0])
    x_bad = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
    print(f"Information gain of the good feature: {information_gain(y, x_good):.4f}")
    print(f"Information gain of the bad feature: {information_gain(y, x_bad):.4f}")


def temperature():
    scores = np.array([2.0, 1.5, 0.5, 0.1, -0.5])
    for tau in [0.01, 0.07, 0.5, 1.0, 5.0]:
        probs = np.exp(scores / tau) / np.sum(np.exp(scores / tau))
        print(f"τ={tau:.2f}: {np.round(probs, 4)} | entropy={-np.sum(probs*np.log(probs+1e-10)):.4f}")


def stable_softmax(z, temperature=1.0):
    z = np.array(z) / temperature
    z = z - np.max(z)
    exp_z = np.exp(z)
    return exp_z / np.sum(exp_z)


def softmax():
    z = [1000, 1001, 1002]
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(z) / np.sum(np.exp(z))
    print(f"Naive softmax: {naive}")
    print(f"Stable softmax: {stable_softmax(z)}")


def softmax_jacobian(z):
    s = stable_softmax(z)
    n = len(s)
    jacobian = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            jacobian[i, j] = s[i] * (1 - s[j]) if i == j else -s[i] * s[j]
    return jacobian


def jacobian():
    z = [2.0, 1.0, 0.5]
    J = softmax_jacobian(z)
    print(f"Softmax: {stable_softmax(z)}")
    print(f"Jacobian matrix:\n{np.round(J, 4)}")


def diffusion(T=1000, beta_start=1e-4, beta_end=0.02):
    import torch
    betas = torch.linspace(beta_start, beta_end, T)
    alphas = 1 - betas
    alpha_bar = torch.cumprod(alphas, dim=0)
    snr = alpha_bar / (1 - alpha_bar)
    mi_upper = 0.5 * torch.log(1 + snr)
    # The seed's t = 0, 250, 500, 999 for T = 1000.
    t1, t2, t3 = T // 4, T // 2, T - 1
    print(f"t=0: SNR={snr[0]:.2f}, MI upper bound={mi_upper[0]:.4f} nats")
    print(f"t={t1}: SNR={snr[t1]:.4f}, MI upper bound={mi_upper[t1]:.4f} nats")
    print(f"t={t2}: SNR={snr[t2]:.6f}, MI upper bound={mi_upper[t2]:.4f} nats")
    print(f"t={t3}: SNR={snr[t3]:.8f}, MI upper bound={mi_upper[t3]:.6f} nats")
    mi_diff = -torch.diff(mi_upper)
    peak_loss_t = mi_diff.argmax().item()
    print(f"\nStep with the fastest information loss: t={peak_loss_t}")
    print(f"Sampling around this step is the most critical for DDPM")


CASES = [
    ("info-gain", "default", [], info_gain),
    ("temperature", "default", [], temperature),
    ("softmax", "default", [], softmax),
    ("jacobian", "default", [], jacobian),
    ("diffusion", "default", [], diffusion),
    ("diffusion", "steps500", ["--steps", "500", "--beta-start", "2e-4", "--beta-end", "0.03"],
     lambda: diffusion(500, 2e-4, 0.03)),
    ("diffusion", "steps10", ["--steps", "10", "--beta-start", "0.001", "--beta-end", "0.2"],
     lambda: diffusion(10, 0.001, 0.2)),
]


def arrays():
    """str() of arrays exercising numpy's layout rules: positional vs scientific notation,
    padding, signs, -0., nan/inf, wrapping at 75 columns and 2-D nesting."""
    rng = np.random.RandomState(0)
    cases = [
        [1.0, 0.0, 0.0],
        [0.9992, 0.0008, 0.0, 0.0, 0.0],
        [0.6285317192117624, 0.23122389762214907, 0.14024438316608848],
        [1e8, 1.0],
        [1e-5, 0.5],
        [-0.0, 1.5, -2.25],
        [float("nan"), 1.0, float("-inf")],
        [float("nan"), float("nan")],
        [float("inf"), 0.25],
        [123456.789, 0.001],
        [1.0 / 3, 2.0 / 3, 100.0],
        rng.randn(20).tolist(),
        (rng.randn(30) * 1e-3).tolist(),
        rng.randn(4, 5).tolist(),
        np.round(rng.randn(3, 3), 4).tolist(),
        (rng.randn(2, 12) * 100).tolist(),
        [[1e-6, 2.0], [3.0, -4.0]],
        [],
    ]
    def encode(v):  # JSON has no NaN or infinity: those go as the strings "nan", "inf", "-inf"
        if isinstance(v, list):
            return [encode(x) for x in v]
        return v if np.isfinite(v) else str(v)
    return [{"values": encode(c), "str": str(np.array(c, dtype=np.float64))} for c in cases]


def generate(outdir):
    folder = pathlib.Path(outdir) / "seed_text"
    folder.mkdir(parents=True, exist_ok=True)
    for section, case, args, fn in CASES:
        buf = io.StringIO()
        with redirect_stdout(buf):
            fn()
        (folder / f"{section}__{case}.json").write_text(
            json.dumps({"section": section, "args": args, "text": buf.getvalue()},
                       indent=1, ensure_ascii=False) + "\n")
    (folder / "numpy_str.json").write_text(
        json.dumps(arrays(), indent=1, allow_nan=False) + "\n")
