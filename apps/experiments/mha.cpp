// SPDX-License-Identifier: BSD-3-Clause
// `infozoo mha`: the seed's MultiHeadAttention(d_model=512, n_heads=8) (seed 4.2) applied to a
// random [2, 10, 512] batch as self-attention; `--weights FILE` replaces its parameters, right
// after construction, with a state_dict saved by Python's torch.save(m.state_dict(), FILE).
#include <ATen/ATen.h>
#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join (moved here in fmt 11, which the torch 2.x wheel bundles)

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "experiments/one_intra_op_thread.h"
#include "infozoo/analysis/entropy.h"
#include "infozoo/io/state_dict.h"
#include "infozoo/models/multi_head_attention.h"
#include "output/plot.h"
#include "output/to_doubles.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kDModel = 512, kHeads = 8;  // the seed's MultiHeadAttention(512, 8)
constexpr int64_t kBatch = 2, kLength = 10;   // x = torch.randn(2, 10, 512)
constexpr int64_t kFirst = 4;                 // output[0, 0, :4] in the JSON

// The options this subcommand reads, with the reference's defaults.
struct Options {
  int64_t seed = 42;
  std::string weights;  // a state_dict file saved by Python's torch.save
  std::string out;      // PNG: each head's weights for batch 0
};

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  app.add_option("--weights", o.weights,
                 "Load this state_dict (Python's torch.save(m.state_dict(), FILE)) into the module "
                 "right after construction")
      ->check(CLI::ExistingFile);
  add_out_option(app, o.out, "mha.png");
}

Outcome run(const RunContext& context, const Options& o) {
  const OneIntraOpThread same_bytes_for_any_thread_count;
  at::NoGradGuard no_grad;
  at::manual_seed(static_cast<uint64_t>(o.seed));
  models::MultiHeadAttention m(models::MultiHeadAttentionOptions(kDModel, kHeads));
  if (!o.weights.empty()) {
    io::load_state_dict(*m, o.weights);
  }
  m->to(context.device);
  // Drawn on the CPU generator, as Python's torch.randn, then moved.
  const auto x = at::randn({kBatch, kLength, kDModel}).to(context.device);
  const auto output = m(x, x, x);

  std::vector<std::string> keys;
  for (const auto& p : m->named_parameters()) keys.push_back(p.key());
  Outcome outcome;
  outcome.json = {{"output_shape", output.sizes().vec()},
                  {"output_sum", output.sum().item<double>()},
                  {"output_first", to_doubles(output[0][0].slice(0, 0, kFirst))},
                  {"state_dict_keys", keys}};
  outcome.text = fmt::format("MHA output: torch.Size([{}])\n", fmt::join(output.sizes(), ", "));

  // The reading: where the weights came from, and what each head's attention looks like.
  const auto weights = m->forward_with_weights(x, x, x).weights.to(at::kDouble).cpu();
  const auto largest = std::get<0>(weights.max(-1)).mean(at::IntArrayRef{0, 2});  // [H]
  const auto entropy =
      analysis::entropy(weights, analysis::InfoUnit::kNats).mean(at::IntArrayRef{0, 2});  // [H]
  const double uniform = std::log(static_cast<double>(kLength));
  const double mean_entropy = entropy.mean().item<double>();
  outcome.json["weights_source"] = o.weights.empty() ? "random" : o.weights;
  outcome.json["head_mean_largest_weight"] = to_doubles(largest);
  outcome.json["head_mean_entropy_nats"] = to_doubles(entropy);
  outcome.text += fmt::format(
      "\nSelf-attention of a random [{}, {}, {}] batch through {} heads of width {}. Weights: {}.\n"
      "{:>6}  {:>20}  {:>16}\n",
      kBatch, kLength, kDModel, kHeads, kDModel / kHeads,
      o.weights.empty()
          ? fmt::format("random, nn.Linear's initialisation after manual_seed({}) (none loaded; "
                        "--weights FILE loads a PyTorch state_dict)",
                        o.seed)
          : fmt::format("loaded from {} ({} tensors, W_Q, W_K, W_V, W_O)", o.weights, keys.size()),
      "head", "mean largest weight", "entropy (nats)");
  for (int64_t h = 0; h < kHeads; ++h) {
    outcome.text += fmt::format("{:>6}  {:>20.3f}  {:>16.3f}\n", h, largest[h].item<double>(),
                                entropy[h].item<double>());
  }
  outcome.text += fmt::format(
      "Each head's weights are a softmax over the {} positions (uniform: {:.3f} nats); the heads "
      "average {:.3f} nats, {:.0f}% of uniform: {}.\n",
      kLength, uniform, mean_entropy, 100 * mean_entropy / uniform,
      mean_entropy <= 0.9 * uniform ? "the heads attend selectively"
      : o.weights.empty()           ? "with untrained projections the scores are small and every "
                                      "head spreads its attention almost evenly"
                                    : "every head spreads its attention almost evenly");
  if (!o.out.empty()) {
    // The heads side by side on one colour scale, so their spreads compare at a glance.
    plot::Figure figure(o.out, /*width=*/2000, /*height=*/620);
    figure.heatmap(
        at::cat(weights[0].unbind(0), /*dim=*/1),
        {fmt::format("Attention weights of the {} heads side by side (batch 0; each "
                     "row of each head sums to 1)",
                     kHeads),
         fmt::format("head h, key position k: column {} h + k", kLength), "query position"});
    figure.save();
    outcome.text += fmt::format("The {} heads' weights drawn to {}\n", kHeads, o.out);
  }
  return outcome;
}

}  // namespace

Subcommand mha_experiment() {
  return make_subcommand<Options>("mha", "Multi-head attention (seed 4.2)", add_options, run);
}

}  // namespace infozoo::apps
