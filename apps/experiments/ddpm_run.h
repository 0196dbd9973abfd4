// SPDX-License-Identifier: BSD-3-Clause
// What `infozoo ddpm` computes, apart from its words and picture: a Denoiser trained on
// standardised make_moons with the diffusion loss, then sampled with DDPM (all T steps) and DDIM.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <string>
#include <vector>

namespace infozoo::apps {

/// The knobs of one run (the subcommand's options).
struct DdpmRunOptions {
  int64_t seed = 42;
  int64_t samples = 2000;       // make_moons training points
  int64_t eval_samples = 2000;  // generated points, and each held-out draw
  double noise = 0.05;          // make_moons noise
  int64_t steps = 8000;         // AdamW steps
  int64_t batch_size = 256;
  double lr = 3e-3;
  int64_t train_timesteps = 1000;  // T
  std::string schedule = "linear";
  std::string prediction = "epsilon";
  double min_snr_gamma = 0;  // 0: plain MSE
  int64_t ddim_steps = 50;
  int64_t hidden = 256;
  int64_t layers = 3;
  int64_t time_embed_dim = 32;
  bool progress = false;  // a progress line on stderr while training
};

/// What one run measured; points are in the data's original units, CPU float32.
struct DdpmRunResult {
  std::vector<double> losses;  // every training step's loss
  at::Tensor held_out;         // [m, 2] a held-out draw of make_moons
  at::Tensor held_out_labels;  // [m] its moons (0 upper, 1 lower)
  at::Tensor second_draw;      // [m, 2] another held-out draw: the floor of the distance
  at::Tensor noise;            // [m, 2] N(0, I) in standardised units, mapped back: the ceiling
  at::Tensor ddpm;             // [m, 2] DDPM samples, all T steps
  at::Tensor ddim;             // [m, 2] DDIM samples, ddim_steps steps, eta = 0
  std::vector<at::Tensor> forward_process;  // x_t of the training data at forward_times
  std::vector<int64_t> forward_times;
  std::vector<double> forward_snr;  // alpha_bar_t / (1 - alpha_bar_t) at forward_times
  double train_seconds = 0, ddpm_seconds = 0, ddim_seconds = 0;
};

/// Trains and samples on `device`. Every random draw comes from CPU generators seeded from
/// `seed`, so CPU and CUDA runs draw the same numbers (and a CPU run is the same bytes whatever
/// the thread count).
DdpmRunResult run_ddpm(const DdpmRunOptions& options, const c10::Device& device);

}  // namespace infozoo::apps
