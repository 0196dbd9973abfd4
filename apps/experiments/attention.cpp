// SPDX-License-Identifier: BSD-3-Clause
// `infozoo attention`: scaled dot-product attention (seed 4.1) on random Q, K, V of shape
// [B, H, L, dk] = [2, 4, 8, 64]; every row of the weights sums to 1.
#include <ATen/ATen.h>
#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join (moved here in fmt 11, which the torch 2.x wheel bundles)

#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "infozoo/models/attention.h"
#include "output/to_doubles.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kB = 2, kH = 4, kL = 8, kDk = 64;  // the seed's B, H, L, dk
constexpr int64_t kFirst = 4;                        // out[0, 0, 0, :4] in the JSON

Outcome run(const RunContext& context, const SeedOptions& o) {
  at::NoGradGuard no_grad;
  at::manual_seed(static_cast<uint64_t>(o.seed));
  // Drawn on the CPU generator, as Python's torch.randn, then moved: the same numbers on any
  // device.
  const auto Q = at::randn({kB, kH, kL, kDk}).to(context.device);
  const auto K = at::randn({kB, kH, kL, kDk}).to(context.device);
  const auto V = at::randn({kB, kH, kL, kDk}).to(context.device);
  const auto [out, weights] = models::scaled_dot_product_attention(Q, K, V);

  const auto weights_sum = to_doubles(weights.sum(-1)[0][0]);
  Outcome outcome;
  outcome.json = {{"output_shape", out.sizes().vec()},
                  {"weights_sum", weights_sum},
                  {"output_sum", out.sum().item<double>()},
                  {"output_first", to_doubles(out[0][0][0].slice(0, 0, kFirst))}};
  outcome.text = fmt::format("Output shape: torch.Size([{}])\n", fmt::join(out.sizes(), ", "));
  outcome.text += fmt::format("Weights sum: tensor([{:.4f}])\n", fmt::join(weights_sum, ", "));
  return outcome;
}

}  // namespace

Subcommand attention_experiment() {
  return make_subcommand<SeedOptions>("attention", "Scaled dot-product attention (seed 4.1)",
                                      add_seed_options, run);
}

}  // namespace infozoo::apps
