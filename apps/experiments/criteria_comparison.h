// SPDX-License-Identifier: BSD-3-Clause
// feature-select's second half: every selection criterion run on make_classification, judged by
// the truth the generator knows (which columns are informative, redundant or useless) and by the
// held-out accuracy of a model trained on what each criterion picked.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "infozoo/analysis/feature_selection.h"
#include "infozoo/datasets/make_classification.h"

namespace infozoo::apps {

/// One row of the comparison: a criterion (or a fixed set of columns) and how it did.
struct CriterionRow {
  std::string name;               ///< e.g. "jmi (k-NN)", "all 20 columns"
  std::vector<int64_t> features;  ///< the columns, in pick order
  int64_t informative = 0, redundant = 0, repeated = 0, useless = 0;
  double accuracy = 0;    ///< held-out accuracy, in [0, 1]
  bool baseline = false;  ///< a fixed set (all columns, the informative ones), not picked
};

/// The rows and what to say about them.
struct CriteriaComparison {
  std::vector<CriterionRow> rows;
  std::string text;     ///< the table and the conclusion drawn from its numbers
  nlohmann::json json;  ///< {"k", "split", "rows": [{name, features, roles counts, accuracy}]}
};

/// Runs every criterion (k-NN and binned estimation) for `k` picks on `data` (MI options as the
/// demo's), counts the true roles of the picks and fits the held-out logistic regression on each,
/// with the same two numbers for all columns and for the informative ones alone.
CriteriaComparison compare_criteria(const datasets::ClassificationData& data, int64_t k,
                                    const analysis::MutualInfoOptions& mi);

/// Draws the MI of each column as bars coloured by its true role, each bar marked with the
/// letters of the criteria that picked it, to the PNG `path`.
void draw_criteria(const std::string& path, const datasets::ClassificationData& data,
                   const std::vector<double>& mi, const CriteriaComparison& comparison);

}  // namespace infozoo::apps
