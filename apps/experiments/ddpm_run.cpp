// SPDX-License-Identifier: BSD-3-Clause
#include "experiments/ddpm_run.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/optim/adamw.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "infozoo/datasets/make_moons.h"
#include "infozoo/losses/diffusion_loss.h"
#include "infozoo/models/ddim_scheduler.h"
#include "infozoo/models/ddpm_scheduler.h"
#include "infozoo/models/denoiser.h"

namespace infozoo::apps {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Both schedulers share the betas; clip_sample is off because standardised moons reach |x| ~ 2
// and diffusers' default clamp of x0 to [-1, 1] would fold them in.
template <typename Options>
Options scheduler_options(const DdpmRunOptions& o) {
  return Options()
      .num_train_timesteps(o.train_timesteps)
      .beta_schedule(o.schedule)
      .prediction_type(o.prediction)
      .clip_sample(false);
}

// Runs a sampler's loop from the given x_T: model output, then step, with noise from `gen`.
template <typename Scheduler>
at::Tensor sample_with(Scheduler& scheduler, models::Denoiser& model, at::Tensor x,
                       at::Generator& gen) {
  at::NoGradGuard no_grad;
  for (const int64_t t : scheduler->timestep_list()) {
    const auto output = model(x, at::scalar_tensor(t, at::kLong));
    const auto noise = at::randn(x.sizes(), gen).to(x.device());
    x = scheduler->step(output, t, x, noise).prev_sample;
  }
  return x;
}

}  // namespace

DdpmRunResult run_ddpm(const DdpmRunOptions& o, const c10::Device& device) {
  DdpmRunResult r;
  const auto train = datasets::make_moons(o.samples, o.noise, true, o.seed);
  const auto held = datasets::make_moons(o.eval_samples, o.noise, true, o.seed + 1);
  const auto second = datasets::make_moons(o.eval_samples, o.noise, true, o.seed + 2);
  const auto mean = train.X.mean(0), std = train.X.std(0);  // float64, from the training points
  const auto standardise = [&](const at::Tensor& x) { return ((x - mean) / std).to(at::kFloat); };
  const auto restore = [&](const at::Tensor& x) {
    return (x.to(at::kCPU, at::kDouble) * std + mean).to(at::kFloat);
  };
  const auto data = standardise(train.X).to(device);
  r.held_out = held.X.to(at::kFloat);
  r.held_out_labels = held.y;
  r.second_draw = second.X.to(at::kFloat);

  auto gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(o.seed));
  torch::manual_seed(static_cast<uint64_t>(o.seed));  // the Denoiser's initial weights
  models::Denoiser model(models::DenoiserOptions(2)
                             .hidden_dim(o.hidden)
                             .layers(o.layers)
                             .time_embed_dim(o.time_embed_dim)
                             .num_train_timesteps(o.train_timesteps));
  model->to(device);
  models::DDPMScheduler ddpm(scheduler_options<models::DDPMSchedulerOptions>(o));
  ddpm->to(device);
  const int64_t T = o.train_timesteps;

  r.forward_times = {0, T / 10, T / 4, T - 1};
  for (const int64_t t : r.forward_times) {
    const auto eps = at::randn({o.eval_samples, 2}, gen).to(device);
    const auto x0 = data.narrow(0, 0, std::min(o.samples, o.eval_samples));
    const auto xt = ddpm->add_noise(x0, eps.narrow(0, 0, x0.size(0)),
                                    at::full({x0.size(0)}, t, at::kLong).to(device));
    r.forward_process.push_back(xt.to(at::kCPU));  // standardised units: the noise is N(0, I)
    const double abar = ddpm->alphas_cumprod[t].item<double>();
    r.forward_snr.push_back(abar / (1 - abar));
  }

  torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(o.lr));
  const auto alphas_cumprod = ddpm->alphas_cumprod;
  const bool weighted = o.min_snr_gamma > 0;
  const auto start = Clock::now();
  r.losses.reserve(static_cast<size_t>(o.steps));
  for (int64_t step = 0; step < o.steps; ++step) {
    const auto index = at::randint(o.samples, {o.batch_size}, gen, at::kLong).to(device);
    const auto t = at::randint(T, {o.batch_size}, gen, at::kLong).to(device);
    const auto noise = at::randn({o.batch_size, 2}, gen).to(device);
    const auto x0 = data.index_select(0, index);
    const auto xt = ddpm->add_noise(x0, noise, t);
    const auto target = o.prediction == "epsilon"  ? noise
                        : o.prediction == "sample" ? x0
                                                   : ddpm->get_velocity(x0, noise, t);
    auto loss_options = losses::DiffusionLossOptions().prediction_type(o.prediction);
    if (weighted) {
      loss_options.min_snr_gamma(o.min_snr_gamma).snr(losses::compute_snr(alphas_cumprod, t));
    }
    const auto loss = losses::diffusion_loss(model(xt, t), target, loss_options);
    optimizer.zero_grad();
    loss.backward();
    // Cosine decay to 0: the last steps average out the batch noise in the weights, which
    // deterministic DDIM sampling would otherwise follow.
    const double lr = 0.5 * o.lr * (1 + std::cos(M_PI * double(step) / double(o.steps)));
    for (auto& group : optimizer.param_groups()) {
      static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
    }
    optimizer.step();
    r.losses.push_back(loss.item<double>());
    if (o.progress && (step % 50 == 0 || step + 1 == o.steps)) {
      std::fprintf(stderr, "\rddpm: training step %lld/%lld, loss %.4f", (long long)step + 1,
                   (long long)o.steps, r.losses.back());
      if (step + 1 == o.steps) std::fprintf(stderr, "\n");
    }
  }
  r.train_seconds = seconds_since(start);
  model->eval();

  // One x_T for both samplers, so their difference is the sampler's alone.
  const auto x_T = at::randn({o.eval_samples, 2}, gen);
  r.noise = restore(x_T);
  auto ddpm_start = Clock::now();
  ddpm->set_timesteps(T);
  r.ddpm = restore(sample_with(ddpm, model, x_T.to(device), gen));
  r.ddpm_seconds = seconds_since(ddpm_start);

  models::DDIMScheduler ddim(scheduler_options<models::DDIMSchedulerOptions>(o).eta(0.0));
  ddim->to(device);
  ddim->set_timesteps(o.ddim_steps);
  auto ddim_start = Clock::now();
  r.ddim = restore(sample_with(ddim, model, x_T.to(device), gen));
  r.ddim_seconds = seconds_since(ddim_start);
  return r;
}

}  // namespace infozoo::apps
