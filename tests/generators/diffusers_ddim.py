# SPDX-License-Identifier: BSD-3-Clause
"""Expected values of diffusers 0.25.1's DDIMScheduler for tests/ddim_scheduler_test.cpp.

Every beta schedule x prediction type x spacing x eta in {0, 1}, plus set_alpha_to_one=False,
use_clipped_model_output, dynamic thresholding and rescale_betas_zero_snr: timesteps after
set_timesteps(10) and step() at the first, a middle and the last timestep with fixed model outputs,
samples and variance noise. Only spacings where diffusers' previous timestep (t - T // n) is the
next grid point (leading, and trailing with n dividing T): for linspace diffusers steps off the
grid (issues 12633, 11347), and infozoo does not follow it there.

Run: V/bin/python tests/generators/diffusers_ddim.py (V: the venv of diffusers_ddpm.py).
"""
import json
import os

import torch
from diffusers import DDIMScheduler

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "expected", "diffusers", "ddim.json")
T, N = 1000, 10
SHAPE = (2, 2, 3)


def values(t):
    return t.reshape(-1).tolist()


def case(config, eta, use_clipped, seed):
    sched = DDIMScheduler(num_train_timesteps=T, **config)
    sched.set_timesteps(N)
    timesteps = sched.timesteps.tolist()
    g = torch.Generator().manual_seed(seed)
    steps = []
    for t in (timesteps[0], timesteps[len(timesteps) // 2], timesteps[-1]):
        sample = torch.randn(SHAPE, generator=g)
        model_output = torch.randn(SHAPE, generator=g)
        noise = torch.randn(SHAPE, generator=g)
        result = sched.step(model_output, t, sample, eta=eta, use_clipped_model_output=use_clipped,
                            variance_noise=noise)
        steps.append({"t": t, "sample": values(sample), "model_output": values(model_output),
                      "noise": values(noise), "prev_sample": values(result.prev_sample),
                      "pred_original_sample": values(result.pred_original_sample)})
    return {"config": config, "eta": eta, "use_clipped_model_output": use_clipped,
            "timesteps": timesteps, "steps": steps}


def main():
    cases = []
    seed = 0
    for schedule in ("linear", "scaled_linear", "squaredcos_cap_v2"):
        for prediction in ("epsilon", "sample", "v_prediction"):
            for spacing in ("leading", "trailing"):
                for eta in (0.0, 1.0):
                    seed += 1
                    cases.append(case({"beta_schedule": schedule, "prediction_type": prediction,
                                       "timestep_spacing": spacing}, eta, False, seed))
    extra = [
        ({"set_alpha_to_one": False, "steps_offset": 1}, 0.5, False),
        ({"clip_sample": True, "clip_sample_range": 0.5}, 0.3, True),
        ({"clip_sample": False}, 0.0, False),
        ({"thresholding": True, "dynamic_thresholding_ratio": 0.9, "sample_max_value": 1.5}, 0.0, False),
        ({"rescale_betas_zero_snr": True, "timestep_spacing": "trailing", "prediction_type": "v_prediction"},
         0.0, False),
    ]
    for config, eta, clipped in extra:
        seed += 1
        cases.append(case(config, eta, clipped, seed))
    with open(OUT, "w") as f:
        json.dump({"generator": "tests/generators/diffusers_ddim.py", "diffusers": "0.25.1",
                   "torch": torch.__version__, "num_train_timesteps": T, "num_inference_steps": N,
                   "shape": list(SHAPE), "cases": cases}, f)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
