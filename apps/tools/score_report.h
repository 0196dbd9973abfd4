// SPDX-License-Identifier: BSD-3-Clause
// How `rank` and `select` report scores: the target's entropy (the ceiling of any I(X; Y) with a
// discrete target), a ranked table of columns, a sentence read off the scores, and the bar chart.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/table_input.h"

namespace infozoo::apps {

/// MI below this many nats is reported as "no dependence seen": scikit-learn's k-NN estimate of
/// independent columns scatters around 0 by about 0.01 nats at a few hundred rows (and is clipped
/// at 0), so smaller values cannot be told from noise there.
inline constexpr double kNoDependence = 0.01;

/// H(Y) in nats of the class labels `y` (plug-in, from their counts).
double target_entropy(const at::Tensor& y);

/// The table of columns by decreasing MI: rank, name, MI in nats, its share of H(Y) when
/// classifying, and why a column scores 0 (constant). `order` lists feature indices.
std::string ranking_table(const TableInput& in, const std::vector<double>& mi,
                          const std::vector<int64_t>& order, double h_y);

/// One or two sentences read from the scores: how many columns show a dependence, the strongest.
std::string ranking_conclusion(const TableInput& in, const std::vector<double>& mi,
                               const std::vector<int64_t>& order, double h_y);

/// Draws the MI of every feature as bars, the `picked` ones (in pick order, numbered above their
/// bars) in their own colour, named `picked_label` in the legend, to the PNG `path`.
void draw_scores(const std::string& path, const TableInput& in, const std::vector<double>& mi,
                 const std::vector<int64_t>& picked, const std::string& picked_label,
                 const std::string& title);

}  // namespace infozoo::apps
