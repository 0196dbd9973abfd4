// SPDX-License-Identifier: BSD-3-Clause
#include "tools/score_report.h"

#include <ATen/ATen.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "output/plot.h"

namespace infozoo::apps {

double target_entropy(const at::Tensor& y) {
  const auto c = y.contiguous();
  const double* v = c.data_ptr<double>();
  std::map<double, int64_t> counts;
  for (int64_t i = 0; i < c.numel(); ++i) ++counts[v[i]];
  double h = 0;
  const auto n = static_cast<double>(c.numel());
  for (const auto& [value, count] : counts) {
    const double p = static_cast<double>(count) / n;
    h -= p * std::log(p);
  }
  return h;
}

std::string ranking_table(const TableInput& in, const std::vector<double>& mi,
                          const std::vector<int64_t>& order, double h_y) {
  size_t width = 6;
  for (const int64_t j : order) width = std::max(width, in.features[j].size());
  std::string text = fmt::format("  {:>4}  {:<{}}  {:>10}{}\n", "rank", "column", width,
                                 "MI (nats)", in.classification ? "  share of H(y)" : "");
  for (size_t r = 0; r < order.size(); ++r) {
    const int64_t j = order[r];
    std::string note;
    if (in.constant[j])
      note = "  constant column: carries no information";
    else if (in.discrete[j])
      note = "  (discrete)";
    text +=
        fmt::format("  {:>4}  {:<{}}  {:>10.4f}{}{}\n", r + 1, in.features[j], width,
                    mi[j] + 0.0,  // + 0.0: never print -0.0000
                    in.classification ? fmt::format("  {:>13.1f}%", 100 * mi[j] / h_y) : "", note);
  }
  return text;
}

std::string ranking_conclusion(const TableInput& in, const std::vector<double>& mi,
                               const std::vector<int64_t>& order, double h_y) {
  int64_t dependent = 0;
  for (const double v : mi) dependent += v >= kNoDependence ? 1 : 0;
  const int64_t p = static_cast<int64_t>(mi.size());
  if (dependent == 0) {
    return fmt::format(
        "No column shares {} nats or more with '{}': at this sample size none shows a dependence "
        "the k-NN estimator can tell from noise.\n",
        kNoDependence, in.table.names.back());
  }
  const int64_t best = order.front();
  std::string text = fmt::format(
      "{} of {} columns share at least {} nats with '{}' (below that, a k-NN estimate cannot be "
      "told from independence). The strongest, '{}', shares {:.4f} nats",
      dependent, p, kNoDependence, in.table.names.back(), in.features[best], mi[best]);
  if (in.classification) {
    text += fmt::format(" = {:.1f}% of H(y) = {:.4f} nats (the most any column could share)",
                        100 * mi[best] / h_y, h_y);
  }
  text += ".\n";
  return text;
}

void draw_scores(const std::string& path, const TableInput& in, const std::vector<double>& mi,
                 const std::vector<int64_t>& picked, const std::string& picked_label,
                 const std::string& title) {
  plot::Bars bars;
  bars.names = in.features;
  bars.heights = mi;
  bars.group.assign(mi.size(), 1);
  bars.marks.assign(mi.size(), "");
  for (size_t r = 0; r < picked.size(); ++r) {
    bars.group[picked[r]] = 0;
    bars.marks[picked[r]] = std::to_string(r + 1);
  }
  bars.groups = {picked_label, "others"};
  const int width = std::clamp(300 + 28 * static_cast<int>(mi.size()), 800, 2400);
  plot::Figure figure(path, width, 560);
  figure.bars(bars, {title, "column", "I(column; target) (nats)"});
  figure.save();
}

}  // namespace infozoo::apps
