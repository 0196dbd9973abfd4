# SPDX-License-Identifier: BSD-3-Clause
"""Expected values of diffusers 0.25.1's DDPMScheduler for tests/ddpm_scheduler_test.cpp.

Every beta schedule x prediction type x variance type x timestep spacing, plus clip_sample off,
dynamic thresholding and rescale_betas_zero_snr: the scheduler's alphas_cumprod, its timesteps
after set_timesteps(10), and step() at the first, a middle and the last timestep with fixed model
outputs, samples and the noise diffusers draws (recorded, so the C++ test passes it explicitly).

linspace spacing: diffusers' previous_timestep subtracts T // n, which is not the next timestep of
a linspace grid (diffusers issues 12633, 11347); infozoo steps to the next entry of timesteps().
The values here come from diffusers' own custom-timesteps path (set_timesteps(timesteps=...)),
where diffusers does step to the next entry. fixed_large_log is left out: diffusers takes the
square root of log(beta) and returns NaN (issue 14569); the C++ test checks infozoo's fix.

Run: python -m venv --system-site-packages V && V/bin/pip install "diffusers==0.25.1" "numpy<2"
"huggingface_hub<0.26"; V/bin/python tests/generators/diffusers_ddpm.py
"""
import json
import os

import numpy as np
import torch
from diffusers import DDPMScheduler

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "expected", "diffusers", "ddpm.json")
T, N = 1000, 10
SHAPE = (2, 2, 3)
SCHEDULES = {}  # alphas_cumprod once per beta configuration (JSON of its keys)


def values(t):
    return t.reshape(-1).tolist()


def case(config, seed):
    sched = DDPMScheduler(num_train_timesteps=T, **config)
    if config.get("timestep_spacing") == "linspace":
        grid = np.linspace(0, T - 1, N).round()[::-1].astype(np.int64).tolist()
        sched.set_timesteps(timesteps=grid)
    else:
        sched.set_timesteps(N)
    timesteps = sched.timesteps.tolist()
    g = torch.Generator().manual_seed(seed)
    learned = config.get("variance_type") in ("learned", "learned_range")
    steps = []
    for t in (timesteps[0], timesteps[len(timesteps) // 2], timesteps[-1]):
        sample = torch.randn(SHAPE, generator=g)
        out_shape = (SHAPE[0], SHAPE[1] * 2) + SHAPE[2:] if learned else SHAPE
        model_output = torch.randn(out_shape, generator=g)
        if learned:  # learned_range reads the second half as a fraction in [-1, 1]
            model_output[:, SHAPE[1]:] = model_output[:, SHAPE[1]:].tanh()
            if config["variance_type"] == "learned":
                model_output[:, SHAPE[1]:] = model_output[:, SHAPE[1]:].abs() * 0.01
        noise_seed = seed * 1000 + t
        noise = torch.randn(SHAPE, generator=torch.Generator().manual_seed(noise_seed))
        result = sched.step(model_output, t, sample, generator=torch.Generator().manual_seed(noise_seed))
        steps.append({"t": t, "sample": values(sample), "model_output": values(model_output),
                      "model_output_shape": list(out_shape), "noise": values(noise),
                      "prev_sample": values(result.prev_sample),
                      "pred_original_sample": values(result.pred_original_sample)})
    beta_keys = ("beta_schedule", "beta_start", "beta_end", "rescale_betas_zero_snr")
    schedule = json.dumps({k: config[k] for k in beta_keys if k in config}, sort_keys=True)
    SCHEDULES.setdefault(schedule, values(sched.alphas_cumprod))
    return {"config": config, "schedule": schedule, "timesteps": timesteps, "steps": steps}


def main():
    cases = []
    seed = 0
    for schedule in ("linear", "scaled_linear", "squaredcos_cap_v2", "sigmoid"):
        for prediction in ("epsilon", "sample", "v_prediction"):
            for variance in ("fixed_small", "fixed_small_log", "fixed_large", "learned", "learned_range"):
                for spacing in ("leading", "trailing", "linspace"):
                    seed += 1
                    cases.append(case({"beta_schedule": schedule, "prediction_type": prediction,
                                       "variance_type": variance, "timestep_spacing": spacing}, seed))
    extra = [
        {"clip_sample": False, "steps_offset": 1},
        {"thresholding": True, "dynamic_thresholding_ratio": 0.9, "sample_max_value": 1.5},
        {"clip_sample": True, "clip_sample_range": 0.5, "prediction_type": "sample"},
        {"rescale_betas_zero_snr": True, "timestep_spacing": "trailing", "prediction_type": "v_prediction"},
        {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear"},
    ]
    for config in extra:
        seed += 1
        cases.append(case(config, seed))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"generator": "tests/generators/diffusers_ddpm.py", "diffusers": "0.25.1",
                   "torch": torch.__version__, "num_train_timesteps": T, "num_inference_steps": N,
                   "shape": list(SHAPE), "alphas_cumprod": SCHEDULES, "cases": cases}, f)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
