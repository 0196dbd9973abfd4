# SPDX-License-Identifier: BSD-3-Clause
"""scheduler_config.json files written by diffusers 0.25.1's save_config, and one step of each
configured scheduler, for tests/scheduler_config_test.cpp: a scheduler configured in Python must
load in C++ with the same options (the same step, to float32 rounding) and write the same JSON.

Writes tests/expected/diffusers/configs/<name>/scheduler_config.json and
tests/expected/diffusers/configs/steps.json.
Run: V/bin/python tests/generators/diffusers_config.py (V: the venv of diffusers_ddpm.py).
"""
import json
import os

import torch
from diffusers import DDIMScheduler, DDPMScheduler

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "expected", "diffusers", "configs")
SHAPE = (2, 2, 3)
CASES = {
    "ddpm_defaults": (DDPMScheduler, {}),
    "ddpm_cosine_v": (DDPMScheduler, {"beta_schedule": "squaredcos_cap_v2", "prediction_type": "v_prediction",
                                      "variance_type": "fixed_large", "clip_sample": False,
                                      "timestep_spacing": "trailing", "num_train_timesteps": 500}),
    "ddpm_trained": (DDPMScheduler, {"num_train_timesteps": 10,
                                     "trained_betas": [0.01 * (i + 1) for i in range(10)],
                                     "thresholding": True, "dynamic_thresholding_ratio": 0.9,
                                     "sample_max_value": 2.0, "steps_offset": 1}),
    "ddim_sd": (DDIMScheduler, {"beta_schedule": "scaled_linear", "beta_start": 0.00085, "beta_end": 0.012,
                                "clip_sample": False, "set_alpha_to_one": False, "steps_offset": 1}),
    "ddim_zero_snr": (DDIMScheduler, {"rescale_betas_zero_snr": True, "timestep_spacing": "trailing",
                                      "prediction_type": "v_prediction", "clip_sample_range": 2.0}),
}


def values(t):
    return t.reshape(-1).tolist()


def main():
    steps = {}
    g = torch.Generator().manual_seed(16)
    for name, (cls, config) in CASES.items():
        folder = os.path.join(ROOT, name)
        sched = cls(**config)
        sched.save_config(folder)
        sched = cls.from_pretrained(folder)  # what a Python user loads
        sched.set_timesteps(5)
        t = int(sched.timesteps[1])
        sample, model_output, noise = (torch.randn(SHAPE, generator=g) for _ in range(3))
        if cls is DDPMScheduler:
            # diffusers draws the variance noise itself: fix the generator and replay the draw.
            seed = 1000 + len(steps)
            out = sched.step(model_output, t, sample, generator=torch.Generator().manual_seed(seed))
            noise = torch.randn(SHAPE, generator=torch.Generator().manual_seed(seed))
        else:
            out = sched.step(model_output, t, sample, eta=0.5, variance_noise=noise)
        steps[name] = {"class": cls.__name__, "eta": 0.0 if cls is DDPMScheduler else 0.5,
                       "timesteps": sched.timesteps.tolist(), "t": t,
                       "sample": values(sample), "model_output": values(model_output), "noise": values(noise),
                       "prev_sample": values(out.prev_sample),
                       "pred_original_sample": values(out.pred_original_sample)}
    with open(os.path.join(ROOT, "steps.json"), "w") as f:
        json.dump(steps, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
