// SPDX-License-Identifier: BSD-3-Clause
// `infozoo posenc`: sinusoidal positional encoding (seed 4.3): the table for 100 positions x 512
// dimensions, and the seed's heatmap of its first 50 positions x 64 dimensions.
#include <ATen/ATen.h>
#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join (moved here in fmt 11, which the torch 2.x wheel bundles)

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "infozoo/models/positional_encoding.h"
#include "output/plot.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kMaxLen = 100;  // the seed's positional_encoding(100, 512)
constexpr int64_t kDModel = 512;
constexpr int64_t kShownPositions = 50;  // the seed plots pe[:50, :64]
constexpr int64_t kShownDims = 64;
constexpr int64_t kHeadCols = 6;  // the reference's row1_head / row49_head

std::vector<double> row_head(const at::Tensor& pe, int64_t row) {
  const auto head = pe[row].slice(/*dim=*/0, /*start=*/0, /*end=*/kHeadCols).contiguous();
  return {head.data_ptr<double>(), head.data_ptr<double>() + head.numel()};
}

// The options this subcommand reads, with the reference's defaults.
struct Options {
  std::string out;  // PNG heatmap
};

void add_options(CLI::App& app, Options& o) { add_out_option(app, o.out, "posenc.png"); }

Outcome run(const RunContext& context, const Options& o) {
  // numpy in the seed: float64 on the CPU whatever --device says.
  const auto pe = models::positional_encoding(kMaxLen, kDModel);
  // Row sums first: each row is reduced in one fixed order whatever the thread count, where a
  // flat pe.sum() splits the 51200 values between threads and changes the last digit.
  const double sum = pe.sum(/*dim=*/1).sum().item<double>();
  Outcome outcome;
  outcome.json = {{"shape", {pe.size(0), pe.size(1)}},
                  {"row1_head", row_head(pe, 1)},
                  {"row49_head", row_head(pe, 49)},
                  {"sum", sum}};
  outcome.text =
      fmt::format("Positional encoding: shape ({}, {}), sum {:.6f}\n", pe.size(0), pe.size(1), sum);
  outcome.text += fmt::format("pe[1, :6]  = [{:.4f}]\n", fmt::join(row_head(pe, 1), ", "));
  outcome.text += fmt::format("pe[49, :6] = [{:.4f}]\n", fmt::join(row_head(pe, 49), ", "));
  if (!o.out.empty()) {
    plot::Figure figure(o.out, /*width=*/1200, /*height=*/400);
    figure.heatmap(
        pe.slice(0, 0, kShownPositions).slice(1, 0, kShownDims),
        {"Positional encoding (first 50 positions, first 64 dims)", "dimension", "position"});
    figure.save();
    outcome.text +=
        fmt::format("Heatmap of the first 50 positions x 64 dimensions written to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand posenc_experiment() {
  return make_subcommand<Options>("posenc", "Sinusoidal positional encoding (seed 4.3)",
                                  add_options, run);
}

}  // namespace infozoo::apps
