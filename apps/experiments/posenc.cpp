// SPDX-License-Identifier: BSD-3-Clause
// `infozoo posenc`: sinusoidal positional encoding (seed 4.3): the table for 100 positions x 512
// dimensions, and the seed's heatmap of its first 50 positions x 64 dimensions.
#include <ATen/ATen.h>
#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join (moved here in fmt 11, which the torch 2.x wheel bundles)

#include <algorithm>
#include <cmath>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "experiments/one_intra_op_thread.h"
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
  std::string out;  // PNG: the heatmap and the dot product against the offset
};

// The seed's claims about relative position (4.3, interview), measured on the seed's table.
struct RelativePosition {
  double rotation_error = 0;       // max over pos, k of |PE[pos+k] - M_k PE[pos]|
  double dot_spread = 0;           // max over k of the range over pos of PE[pos] . PE[pos+k]
  double dot_closed_form = 0;      // max over k of |that dot product - sum_i cos(k w_i)|
  double prefix_difference = 0;    // a longer table's first max_len rows against the seed's
  double extrapolation_error = 0;  // M_k PE[max_len-1] against rows max_len..2 max_len-1
  std::vector<double> offsets, dot_min, dot_max, closed_form;  // for the picture, per k
};

RelativePosition relative_position(const at::Tensor& pe) {
  RelativePosition r;
  const int64_t len = pe.size(0), d = pe.size(1);
  const auto longer = models::positional_encoding(2 * len, d);
  r.prefix_difference = (longer.slice(0, 0, len) - pe).abs().max().item<double>();
  const auto last = pe[len - 1];
  const auto w = at::exp(at::arange(0, d, 2, at::kDouble) * -(std::log(10000.0) / d));
  for (int64_t k = 0; k < len; ++k) {
    const auto m = models::positional_encoding_rotation(k, d);
    const auto shifted = pe.slice(0, 0, len - k).mm(m.t());
    r.rotation_error =
        std::max(r.rotation_error, (shifted - pe.slice(0, k, len)).abs().max().item<double>());
    // PE[pos] . PE[pos + k] for every pos, as row sums rather than a Gram matrix's diagonal: each
    // dot product is summed in one order, where a GEMM's order follows its blocking.
    const auto dots = (pe.slice(0, 0, len - k) * pe.slice(0, k, len)).sum(/*dim=*/1);
    const double lo = dots.min().item<double>(), hi = dots.max().item<double>();
    const double closed = at::cos(static_cast<double>(k) * w).sum().item<double>();
    r.dot_spread = std::max(r.dot_spread, hi - lo);
    r.dot_closed_form = std::max(r.dot_closed_form, std::max(hi - closed, closed - lo));
    r.offsets.push_back(static_cast<double>(k));
    r.dot_min.push_back(lo);
    r.dot_max.push_back(hi);
    r.closed_form.push_back(closed);
    // Past the table: M_{k+1} applied to its last row gives row len + k of the longer one.
    const auto beyond = models::positional_encoding_rotation(k + 1, d).mv(last);
    r.extrapolation_error =
        std::max(r.extrapolation_error, (beyond - longer[len + k]).abs().max().item<double>());
  }
  return r;
}

void add_options(CLI::App& app, Options& o) { add_out_option(app, o.out, "posenc.png"); }

Outcome run(const RunContext& context, const Options& o) {
  // M_k PE is a float64 GEMM, which OpenBLAS splits by thread count: on CI's CPU a Gram-matrix
  // GEMM moved dot_product_max_spread in its last digits (2.84e-13 on one thread, 3.41e-13 on two).
  const OneIntraOpThread same_bytes_for_any_thread_count;
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
      "The seed's sinusoidal positional encoding (unitless values in [-1, 1]), then checks of "
      "why it is built from sin and cos: a shift by k positions is a fixed rotation.\n";
  outcome.text +=
      fmt::format("Positional encoding: shape ({}, {}), sum {:.6f}\n", pe.size(0), pe.size(1), sum);
  outcome.text += fmt::format("pe[1, :6]  = [{:.4f}]\n", fmt::join(row_head(pe, 1), ", "));
  outcome.text += fmt::format("pe[49, :6] = [{:.4f}]\n", fmt::join(row_head(pe, 49), ", "));
  const auto rel = relative_position(pe);
  outcome.json["rotation_max_error"] = rel.rotation_error;
  outcome.json["dot_product_max_spread"] = rel.dot_spread;
  outcome.json["dot_product_vs_closed_form"] = rel.dot_closed_form;
  outcome.json["extension_prefix_max_difference"] = rel.prefix_difference;
  outcome.json["extrapolation_max_error"] = rel.extrapolation_error;
  // Float64 rounding of sin/cos at arguments up to max_len, summed over d terms: ~1e-12.
  constexpr double kRounding = 1e-10;
  const auto holds = [&](double error) { return error < kRounding ? "holds" : "FAILS"; };
  outcome.text += fmt::format(
      "Relative position (interview), on this table of {} positions x {} dims:\n"
      "  PE[pos+k] = M_k PE[pos], M_k a rotation per frequency: largest error {:.1e} over every "
      "pos and k < {} ({}).\n"
      "  PE[pos] . PE[pos+k] depends on k alone: for each k its range over pos is at most {:.1e}, "
      "and it equals sum_i cos(k w_i) to {:.1e} ({}).\n"
      "  Past max_len: a table of {} rows starts with this one (largest difference {:.1e}), and "
      "M_k carries the last row {} steps further to within {:.1e} ({}): the encoding "
      "extrapolates to positions it was not built for.\n",
      kMaxLen, kDModel, rel.rotation_error, kMaxLen, holds(rel.rotation_error), rel.dot_spread,
      rel.dot_closed_form, holds(std::max(rel.dot_spread, rel.dot_closed_form)), 2 * kMaxLen,
      rel.prefix_difference, kMaxLen, rel.extrapolation_error,
      holds(std::max(rel.prefix_difference, rel.extrapolation_error)));
  if (!o.out.empty()) {
    using Style = plot::Series::Style;
    plot::Figure figure(o.out, /*width=*/1800, /*height=*/600, /*panels=*/2);
    figure.heatmap(
        pe.slice(0, 0, kShownPositions).slice(1, 0, kShownDims),
        {"Positional encoding (first 50 positions, first 64 dims)", "dimension", "position"});
    figure.series({{"sum_i cos(k w_i) (closed form)", rel.offsets, rel.closed_form, Style::kLine},
                   {"min over pos", rel.offsets, rel.dot_min, Style::kMarkers},
                   {"max over pos", rel.offsets, rel.dot_max, Style::kDashed}},
                  {"PE[pos] . PE[pos+k] depends on k alone", "offset k (positions)",
                   "dot product (unitless)"});
    figure.save();
    outcome.text += fmt::format(
        "Heatmap of the first 50 positions x 64 dimensions, and the dot product against the "
        "offset, written to {}\n",
        o.out);
  }
  return outcome;
}

}  // namespace

Subcommand posenc_experiment() {
  return make_subcommand<Options>("posenc", "Sinusoidal positional encoding (seed 4.3)",
                                  add_options, run);
}

}  // namespace infozoo::apps
