// SPDX-License-Identifier: BSD-3-Clause
// `infozoo infonce`: the InfoNCE loss (seed 7.2) of 32 unit queries, positives that are their
// noisy copies and 256 random unit negatives each, swept over the temperature.
#include <ATen/ATen.h>
#include <fmt/format.h>
#include <torch/nn/functional/normalization.h>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "infozoo/losses/info_nce.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kBatch = 32, kNegatives = 256, kDim = 128;  // the seed's B, K, D
constexpr double kNoise = 0.1;  // positive = normalize(query + 0.1 * noise)

// The temperatures and the JSON keys reference.py writes for them (Python's str(tau)).
constexpr std::pair<double, const char*> kTemperatures[] = {
    {0.01, "0.01"}, {0.07, "0.07"}, {0.5, "0.5"}, {1.0, "1.0"}};

at::Tensor normalize(const at::Tensor& x) {
  return torch::nn::functional::normalize(x, torch::nn::functional::NormalizeFuncOptions().dim(-1));
}

Outcome run(const RunContext& context, const SeedOptions& o) {
  at::NoGradGuard no_grad;
  at::manual_seed(static_cast<uint64_t>(o.seed));
  // Drawn on the CPU generator in the seed's order, as Python's torch.randn, then moved.
  const auto query = normalize(at::randn({kBatch, kDim}));
  const auto positive = normalize(query + at::randn_like(query) * kNoise);
  const auto negatives = normalize(at::randn({kBatch, kNegatives, kDim}));
  const auto q = query.to(context.device);
  const auto p = positive.to(context.device);
  const auto n = negatives.to(context.device);

  Outcome outcome;
  outcome.json = {{"loss", nlohmann::json::object()}};
  for (const auto& [tau, key] : kTemperatures) {
    const double loss = losses::info_nce_loss(q, p, n, tau).item<double>();
    outcome.json["loss"][key] = loss;
    outcome.text += fmt::format("τ={:.2f}: loss={:.4f}\n", tau, loss);
  }
  return outcome;
}

}  // namespace

Subcommand infonce_experiment() {
  return make_subcommand<SeedOptions>("infonce", "InfoNCE loss temperature sweep (seed 7.2)",
                                      add_seed_options, run);
}

}  // namespace infozoo::apps
