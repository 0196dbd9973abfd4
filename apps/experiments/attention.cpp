// SPDX-License-Identifier: BSD-3-Clause
// `infozoo attention`: scaled dot-product attention (seed 4.1) on random Q, K, V of shape
// [B, H, L, dk] = [2, 4, 8, 64]; every row of the weights sums to 1.
#include <ATen/ATen.h>
#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join (moved here in fmt 11, which the torch 2.x wheel bundles)

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "infozoo/analysis/entropy.h"
#include "infozoo/models/attention.h"
#include "output/plot.h"
#include "output/to_doubles.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kB = 2, kH = 4, kL = 8, kDk = 64;  // the seed's B, H, L, dk
constexpr int64_t kFirst = 4;                        // out[0, 0, 0, :4] in the JSON

struct Options {
  int64_t seed = 42;
  std::string out;  // PNG: head 0's weights of batch 0
};

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  add_out_option(app, o.out, "attention.png");
}

Outcome run(const RunContext& context, const Options& o) {
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

  // The reading: what the weights are, measured over every head and query row.
  const auto w = weights.to(at::kDouble).cpu();
  const double sum_error = (w.sum(-1) - 1).abs().max().item<double>();
  const double largest = std::get<0>(w.max(-1)).mean().item<double>();
  const double entropy = analysis::entropy(w, analysis::InfoUnit::kNats).mean().item<double>();
  const double uniform = std::log(static_cast<double>(kL));
  outcome.json["weights_max_sum_error"] = sum_error;
  outcome.json["mean_largest_weight"] = largest;
  outcome.json["mean_entropy_nats"] = entropy;
  outcome.text += fmt::format(
      "\nEach query row of the weights is the softmax over the {1} keys of q . k / sqrt({0}), so "
      "it sums to 1 (largest error over all {2} rows: {3:.1e}) and the output row is that "
      "weighted average of V's rows. For these random Q and K, averaged over the rows: the "
      "largest weight is {4:.3f} (even spread: 1/{1} = {5:.3f}) and the entropy {6:.3f} nats of "
      "the uniform log {1} = {7:.3f}; {8}.\n",
      kDk, kL, kB * kH * kL, sum_error, largest, 1.0 / kL, entropy, uniform,
      entropy > 0.5 * uniform ? "attention is spread over several keys, not a hard lookup"
                              : "each query attends mostly to one key");
  if (!o.out.empty()) {
    plot::Figure figure(o.out, /*width=*/800, /*height=*/700);
    figure.heatmap(w[0][0], {"Attention weights, batch 0, head 0 (each row sums to 1)",
                             "key position", "query position"});
    figure.save();
    outcome.text += fmt::format("Head 0's weights drawn to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand attention_experiment() {
  return make_subcommand<Options>("attention", "Scaled dot-product attention (seed 4.1)",
                                  add_options, run);
}

}  // namespace infozoo::apps
