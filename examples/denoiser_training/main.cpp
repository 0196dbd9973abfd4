// SPDX-License-Identifier: BSD-3-Clause
// Diffusion in a LibTorch program: a Denoiser learns the noise that DDPMScheduler::add_noise
// mixes into standardised make_moons (the simplified objective, MSE against epsilon), then a
// DDIMScheduler built from the same scheduler_config.json (diffusers' format, so a Python
// pipeline reads the same file) turns Gaussian noise back into moons in 50 steps. Prints the
// energy distance of the samples and of pure noise to held-out data; exits non-zero unless the
// samples are much closer.
//
// Build against an installed infozoo (see CMakeLists.txt beside this file):
//   cmake -S . -B build -DCMAKE_PREFIX_PATH="<infozoo prefix>;<libtorch prefix>"
//   cmake --build build && build/denoiser_training
#include <infozoo/analysis/energy_distance.h>
#include <infozoo/datasets/make_moons.h>
#include <infozoo/losses/diffusion_loss.h>
#include <infozoo/models/ddim_scheduler.h>
#include <infozoo/models/ddpm_scheduler.h>
#include <infozoo/models/denoiser.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>

namespace {

constexpr int64_t kSamples = 2000;  // make_moons training points
constexpr int64_t kSteps = 2000;    // AdamW steps
constexpr int64_t kBatch = 256;
constexpr int64_t kDdimSteps = 50;
constexpr int64_t kEval = 1000;  // generated and held-out points

}  // namespace

int main() {
  namespace mo = infozoo::models;
  torch::manual_seed(0);
  const auto train = infozoo::datasets::make_moons(kSamples, 0.05, true, 0).X;
  const auto mean = train.mean(0), std = train.std(0);
  const auto data = ((train - mean) / std).to(torch::kFloat);

  // The training scheduler; clip_sample off: standardised moons reach |x| ~ 2.
  mo::DDPMScheduler ddpm(mo::DDPMSchedulerOptions().clip_sample(false));
  const auto config = (std::filesystem::temp_directory_path() / "denoiser_scheduler").string();
  std::filesystem::create_directories(config);
  ddpm->save_config(config);  // config/scheduler_config.json, as diffusers' save_config

  mo::Denoiser model(mo::DenoiserOptions(2).hidden_dim(128));
  torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(2e-3));
  for (int64_t step = 0; step < kSteps; ++step) {
    const auto x0 = data.index_select(0, torch::randint(kSamples, {kBatch}, torch::kLong));
    const auto t = torch::randint(1000, {kBatch}, torch::kLong);
    const auto noise = torch::randn_like(x0);
    const auto loss =
        infozoo::losses::diffusion_loss(model(ddpm->add_noise(x0, noise, t), t), noise);
    optimizer.zero_grad();
    loss.backward();
    // Cosine decay to 0: deterministic DDIM follows whatever batch noise is left in the weights.
    for (auto& group : optimizer.param_groups()) {
      static_cast<torch::optim::AdamWOptions&>(group.options())
          .lr(1e-3 * (1 + std::cos(M_PI * double(step) / double(kSteps))));
    }
    optimizer.step();
    if (step % 500 == 0 || step + 1 == kSteps) {
      std::printf("step %4lld: loss %.4f\n", static_cast<long long>(step), loss.item<double>());
    }
  }

  // Sampling with DDIM from the same configuration file (a DDPM config: variance_type is listed
  // as a key DDIM does not have).
  std::vector<std::string> ignored;
  auto ddim = mo::DDIMScheduler::from_config(config, &ignored);
  for (const auto& key : ignored) std::printf("DDIM ignores config key %s\n", key.c_str());
  ddim->set_timesteps(kDdimSteps);
  torch::NoGradGuard no_grad;
  auto x = torch::randn({kEval, 2});
  const auto noise_points = x.to(torch::kDouble) * std + mean;
  for (const int64_t t : ddim->timestep_list()) {
    x = ddim->step(model(x, torch::tensor(t)), t, x).prev_sample;
  }
  const auto samples = x.to(torch::kDouble) * std + mean;

  const auto held_out = infozoo::datasets::make_moons(kEval, 0.05, true, 1).X;
  const double d_samples = infozoo::analysis::energy_distance(samples, held_out);
  const double d_noise = infozoo::analysis::energy_distance(noise_points, held_out);
  std::printf("energy distance to held-out data: DDIM samples %.4f, Gaussian noise %.4f\n",
              d_samples, d_noise);
  if (!(d_samples < 0.5 * d_noise)) {
    std::fprintf(stderr, "denoiser_training: the samples are not closer to the data than noise\n");
    return 1;
  }
  std::printf("the samples are %.0fx closer to the data than noise is\n",
              d_noise / std::max(d_samples, 1e-6));
  return 0;
}
