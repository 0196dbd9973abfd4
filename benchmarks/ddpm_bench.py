#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""`infozoo ddpm` against the same training loop and sampling loops in PyTorch with diffusers'
schedulers, side by side in one run, each in its own process: training steps per second, the
wall time of 1000 DDPM steps and of 50 DDIM steps, and peak resident memory (getrusage of the
child). Both sides: the same Denoiser (MLP [x, PE[t]] -> hidden x layers -> 2, SiLU, the
sinusoidal table of the seed), AdamW, batch 256 of standardised make_moons, T = 1000 linear
betas, 2000 sampled points, clip_sample off, the same thread count.

    /usr/bin/python3 benchmarks/ddpm_bench.py --build build [--steps 2000] [--threads 1]

The peer runs in the diffusers venv of tests/generators/diffusers_ddpm.py (Debian's torch 1.13,
diffusers 0.25.1): ~/.cache/infozoo/diffusers-venv, or $INFOZOO_DIFFUSERS_PYTHON. The printed lines
are what benchmarks/RESULTS.md's issue-16 section records.
"""
import argparse
import json
import os
import pathlib
import platform
import resource
import subprocess
import sys

CACHE = pathlib.Path.home() / ".cache" / "infozoo"
PEER_PYTHON = pathlib.Path(os.environ.get("INFOZOO_DIFFUSERS_PYTHON", CACHE / "diffusers-venv" / "bin" / "python"))

PEER = r"""
import json, math, sys, time
import torch
from diffusers import DDIMScheduler, DDPMScheduler
from sklearn.datasets import make_moons
steps, hidden, layers, E, T, B, M = (int(v) for v in sys.argv[1:8])
torch.manual_seed(0)
x = torch.tensor(make_moons(2000, noise=0.05, random_state=42)[0], dtype=torch.float64)
data = ((x - x.mean(0)) / x.std(0)).float()
pos = torch.arange(T, dtype=torch.float64)[:, None]
div = torch.exp(torch.arange(0, E, 2, dtype=torch.float64) * -(math.log(10000.0) / E))
table = torch.zeros(T, E, dtype=torch.float64)
table[:, 0::2], table[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
table = table.float()
mods = [torch.nn.Linear(2 + E, hidden), torch.nn.SiLU()]
for _ in range(layers - 1):
    mods += [torch.nn.Linear(hidden, hidden), torch.nn.SiLU()]
net = torch.nn.Sequential(*mods, torch.nn.Linear(hidden, 2))
def model(xt, t):
    emb = table[t] if t.dim() else table[t].expand(xt.shape[0], -1)
    return net(torch.cat([xt, emb], 1))
ddpm = DDPMScheduler(num_train_timesteps=T, clip_sample=False)
opt = torch.optim.AdamW(net.parameters(), lr=3e-3)
t0 = time.perf_counter()
for step in range(steps):
    x0 = data[torch.randint(0, 2000, (B,))]
    t = torch.randint(0, T, (B,))
    noise = torch.randn(B, 2)
    loss = torch.nn.functional.mse_loss(model(ddpm.add_noise(x0, noise, t), t), noise)
    opt.zero_grad()
    loss.backward()
    for g in opt.param_groups:
        g["lr"] = 0.5 * 3e-3 * (1 + math.cos(math.pi * step / steps))
    opt.step()
    loss.item()
train = time.perf_counter() - t0
def sample(s):
    x = torch.randn(M, 2)
    with torch.no_grad():
        for t in s.timesteps:
            x = s.step(model(x, t), t, x).prev_sample
    return x
ddpm.set_timesteps(T)
t0 = time.perf_counter(); sample(ddpm); t_ddpm = time.perf_counter() - t0
ddim = DDIMScheduler(num_train_timesteps=T, clip_sample=False)
ddim.set_timesteps(50)
t0 = time.perf_counter(); sample(ddim); t_ddim = time.perf_counter() - t0
print(json.dumps({"train": train, "ddpm": t_ddpm, "ddim": t_ddim}))
"""


def run(cmd, env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, the largest child so far
    return json.loads(out.strip().splitlines()[-1]), peak / 1024, before


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=3)
    a = ap.parse_args()
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads), MKL_NUM_THREADS=str(a.threads),
               OPENBLAS_NUM_THREADS=str(a.threads))
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, {a.threads} thread(s); "
          f"{a.steps} training steps, batch 256, hidden {a.hidden} x {a.layers}, T 1000, 2000 samples")
    # The peer first: getrusage(RUSAGE_CHILDREN) keeps the largest child, so the second job's
    # peak is only readable if it is the larger one; each job also runs alone below.
    peer, peer_peak, _ = run([str(PEER_PYTHON), "-c", PEER, str(a.steps), str(a.hidden), str(a.layers), "32",
                              "1000", "256", "2000"], env)
    cpp_cmd = [str(pathlib.Path(a.build) / "apps" / "infozoo"), "--device", "cpu", "ddpm", "--json", "--timings",
               "--steps", str(a.steps), "--hidden", str(a.hidden), "--layers", str(a.layers)]
    cpp_out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cpp_cmd, env=env, check=True, capture_output=True,
                             text=True)
    cpp = json.loads(cpp_out.stdout)["seconds"]
    cpp_peak = int(cpp_out.stderr.strip().splitlines()[-1]) / 1024
    rows = [("training steps/s", a.steps / cpp["train"], a.steps / peer["train"], True),
            ("DDPM 1000 steps (s)", cpp["ddpm"], peer["ddpm"], False),
            ("DDIM 50 steps (s)", cpp["ddim"], peer["ddim"], False)]
    print(f"{'':24s} {'infozoo':>10s} {'PyTorch+diffusers':>18s} {'ratio':>7s}")
    for name, c, p, higher_better in rows:
        ratio = c / p if higher_better else p / c
        print(f"{name:24s} {c:10.2f} {p:18.2f} {ratio:6.2f}x")
    print(f"{'peak RSS (MiB)':24s} {cpp_peak:10.0f} {peer_peak:18.0f}")


if __name__ == "__main__":
    sys.exit(main())
