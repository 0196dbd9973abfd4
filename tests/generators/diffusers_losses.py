# SPDX-License-Identifier: BSD-3-Clause
"""Expected values for tests/diffusion_loss_test.cpp: diffusers 0.25.1's training_utils.compute_snr
and the Min-SNR-gamma loss block of its examples/text_to_image/train_text_to_image.py (copied
below as that script writes it), on DDPMScheduler's default schedule at a few timesteps.

Run: V/bin/python tests/generators/diffusers_losses.py (V: the venv of diffusers_ddpm.py).
"""
import json
import os

import torch
import torch.nn.functional as F
from diffusers import DDPMScheduler
from diffusers.training_utils import compute_snr

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "expected", "diffusers", "losses.json")


def min_snr_loss(noise_scheduler, timesteps, model_pred, target, snr_gamma, prediction_type):
    # train_text_to_image.py (diffusers 0.25.1), the `args.snr_gamma is not None` branch.
    snr = compute_snr(noise_scheduler, timesteps)
    mse_loss_weights = torch.stack([snr, snr_gamma * torch.ones_like(timesteps)], dim=1).min(dim=1)[0]
    if prediction_type == "epsilon":
        mse_loss_weights = mse_loss_weights / snr
    elif prediction_type == "v_prediction":
        mse_loss_weights = mse_loss_weights / (snr + 1)
    loss = F.mse_loss(model_pred.float(), target.float(), reduction="none")
    loss = loss.mean(dim=list(range(1, len(loss.shape)))) * mse_loss_weights
    return loss.mean()


def main():
    g = torch.Generator().manual_seed(0)
    scheduler = DDPMScheduler()
    timesteps = torch.tensor([0, 1, 10, 250, 500, 750, 998, 999])
    model_pred = torch.randn((8, 2, 3), generator=g)
    target = torch.randn((8, 2, 3), generator=g)
    out = {"generator": "tests/generators/diffusers_losses.py", "diffusers": "0.25.1",
           "timesteps": timesteps.tolist(), "shape": [8, 2, 3],
           "model_pred": model_pred.reshape(-1).tolist(), "target": target.reshape(-1).tolist(),
           "snr": compute_snr(scheduler, timesteps).tolist(),
           "mse": F.mse_loss(model_pred, target).item(), "min_snr": {}}
    for prediction in ("epsilon", "v_prediction", "sample"):
        for gamma in (1.0, 5.0):
            loss = min_snr_loss(scheduler, timesteps, model_pred, target, gamma, prediction)
            out["min_snr"][f"{prediction}_{gamma}"] = loss.item()
    zero = DDPMScheduler(rescale_betas_zero_snr=True)
    out["zero_snr_snr"] = compute_snr(zero, torch.tensor([0, 999])).tolist()
    out["zero_snr_epsilon_loss_diffusers"] = str(
        min_snr_loss(zero, torch.tensor([0, 999]), model_pred[:2], target[:2], 5.0, "epsilon").item())
    with open(OUT, "w") as f:
        json.dump(out, f)
        f.write("\n")
    print(f"wrote {OUT}; diffusers at zero terminal SNR: {out['zero_snr_epsilon_loss_diffusers']}")


if __name__ == "__main__":
    main()
