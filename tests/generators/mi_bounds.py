# SPDX-License-Identifier: BSD-3-Clause
"""InfoNCE and NWJ lower bounds on score matrices, computed with Poole et al.'s own formulas
(2019, "On Variational Bounds of Mutual Information"; the functions below follow their reference
notebook, vendored here: infonce_lower_bound, logmeanexp_nodiag, tuba_lower_bound and
nwj_lower_bound = tuba_lower_bound(scores - 1)), in float64 torch, for tests/mi_bounds_test.cpp.

The scores are drawn in float32 and stored as the float64 numbers they are, so a float32 input
in the test is exactly the generator's and only the arithmetic differs.

    /usr/bin/python3 tests/generators/mi_bounds.py   # writes tests/expected/mi_bounds.json
"""
import json
import math
import pathlib

import torch


def infonce_lower_bound(scores):
    # Poole et al.: nll = diag mean - row logsumexp; mi = log B + nll, averaged over rows.
    nll = scores.diag().mean() - scores.logsumexp(dim=1)
    mi = torch.tensor(scores.size(0), dtype=scores.dtype).log() + nll
    return mi.mean()


def logmeanexp_nodiag(x):
    # Poole et al.: log of the mean of exp over the off-diagonal entries (dim = (0, 1)).
    batch_size = x.size(0)
    logsumexp = torch.logsumexp(x - torch.diag(math.inf * torch.ones(batch_size, dtype=x.dtype)),
                                dim=(0, 1))
    num_elem = batch_size * (batch_size - 1.0)
    return logsumexp - math.log(num_elem)


def tuba_lower_bound(scores):
    joint_term = scores.diag().mean()
    marg_term = logmeanexp_nodiag(scores).exp()
    return 1.0 + joint_term - marg_term


def nwj_lower_bound(scores):
    return tuba_lower_bound(scores - 1.0)


def generate(outdir):
    gen = torch.Generator().manual_seed(2019)
    cases = []

    def add(name, scores32):
        scores = scores32.to(torch.float32).to(torch.float64)
        cases.append({
            "name": name,
            "scores": scores.tolist(),
            "infonce": float(infonce_lower_bound(scores)),
            "nwj": float(nwj_lower_bound(scores)),
        })

    add("b2", torch.randn(2, 2, generator=gen))
    add("b5", torch.randn(5, 5, generator=gen))
    add("b16", torch.randn(16, 16, generator=gen))
    # A trained critic's shape: positives well above the negatives.
    add("b32_diagonal", torch.randn(32, 32, generator=gen) + 6 * torch.eye(32))
    # Large scores, where exp overflows without the log-sum-exp's max subtraction (e^120 is
    # beyond float32; the NWJ marginal term is not, as the off-diagonal stays near e^2).
    add("b8_large_diagonal", torch.randn(8, 8, generator=gen) + 120 * torch.eye(8))
    add("b64_wide", 3 * torch.randn(64, 64, generator=gen))
    path = outdir / "mi_bounds.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cases": cases}, indent=0) + "\n")


if __name__ == "__main__":
    generate(pathlib.Path(__file__).resolve().parent.parent / "expected")
