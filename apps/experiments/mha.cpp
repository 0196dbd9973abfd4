// SPDX-License-Identifier: BSD-3-Clause
// `infozoo mha`: the seed's MultiHeadAttention(d_model=512, n_heads=8) (seed 4.2) applied to a
// random [2, 10, 512] batch as self-attention; `--weights FILE` replaces its parameters, right
// after construction, with a state_dict saved by Python's torch.save(m.state_dict(), FILE).
#include <ATen/ATen.h>
#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join (moved here in fmt 11, which the torch 2.x wheel bundles)

#include <string>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "experiments/one_intra_op_thread.h"
#include "infozoo/io/state_dict.h"
#include "infozoo/models/multi_head_attention.h"
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
};

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  app.add_option("--weights", o.weights,
                 "Load this state_dict (Python's torch.save(m.state_dict(), FILE)) into the module "
                 "right after construction")
      ->check(CLI::ExistingFile);
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
  return outcome;
}

}  // namespace

Subcommand mha_experiment() {
  return make_subcommand<Options>("mha", "Multi-head attention (seed 4.2)", add_options, run);
}

}  // namespace infozoo::apps
