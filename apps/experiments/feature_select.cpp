// SPDX-License-Identifier: BSD-3-Clause
// `infozoo feature-select`: mutual-information feature selection (seed 6.2): rank 20 features of
// make_classification by MI, keep those above 0.05 — then show what mRMR picks instead, since
// per-feature MI ignores redundancy (the seed's own interview answer).
#include <ATen/ATen.h>
#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join (moved here in fmt 11, which the torch 2.x wheel bundles)

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "experiments/criteria_comparison.h"
#include "infozoo/analysis/feature_selection.h"
#include "infozoo/analysis/mutual_info.h"
#include "infozoo/datasets/make_classification.h"
#include "output/plot.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kDefaultSamples = 1000;  // the seed's n_samples=1000
constexpr int64_t kFeatures = 20;
constexpr int64_t kInformative = 5;
constexpr int64_t kRedundant = 5;
constexpr double kThreshold = 0.05;  // the seed's threshold
constexpr int64_t kShownRanks = 10;  // the seed prints feature_ranking[:10]
constexpr int64_t kHead = 5;         // the reference's X[0, :5] and y[:10]

template <typename T>
std::vector<T> to_vector(const at::Tensor& t) {
  const auto c = t.contiguous();
  return {c.data_ptr<T>(), c.data_ptr<T>() + c.numel()};
}

// The options this subcommand reads, with the reference's defaults.
struct Options {
  int64_t seed = 42;
  int64_t samples = kDefaultSamples;
  std::string out;
};

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  add_samples_option(app, o.samples, /*minimum=*/4, "for the 3-NN estimate");
  add_out_option(app, o.out);
}

Outcome run(const RunContext& context, const Options& o) {
  const int64_t n = o.samples;
  // numpy / scikit-learn in the seed: float64 on the CPU whatever --device says.
  const auto data = datasets::make_classification_with_roles(datasets::MakeClassificationOptions()
                                                                 .n_samples(n)
                                                                 .n_features(kFeatures)
                                                                 .n_informative(kInformative)
                                                                 .n_redundant(kRedundant)
                                                                 .random_state(o.seed));
  const auto options = analysis::MutualInfoOptions().random_state(o.seed);
  const auto mi = analysis::mutual_info_classif(data.X, data.y, options);
  const auto ranking = analysis::rank_by_score(mi);
  const auto selected = analysis::select_by_threshold(mi, kThreshold);
  const int64_t n_mrmr = std::max<int64_t>(1, static_cast<int64_t>(selected.size()));
  const auto mrmr = analysis::select_features(data.X, data.y, analysis::SelectionCriterion::kMRMR,
                                              n_mrmr, options);
  const auto scores = to_vector<double>(mi);
  const std::vector<int64_t> top(ranking.begin(),
                                 ranking.begin() + std::min<int64_t>(kShownRanks, kFeatures));

  Outcome outcome;
  outcome.json = {{"X_head", to_vector<double>(data.X[0].slice(0, 0, kHead))},
                  {"y_head", to_vector<int64_t>(data.y.slice(0, 0, std::min<int64_t>(10, n)))},
                  {"mi", scores},
                  {"ranking", top},
                  {"selected", selected},
                  {"mrmr", {{"features", mrmr.features}, {"scores", mrmr.scores}}}};
  std::vector<std::string> roles;
  for (const auto role : data.roles) roles.emplace_back(datasets::feature_role_name(role));
  outcome.json["roles"] = roles;

  auto& text = outcome.text;
  text +=
      "Note: the seed's make_classification(..., n_useless=10) is not a scikit-learn argument\n"
      "(TypeError), so it is dropped: with 20 features, 5 informative and 5 redundant, the\n"
      "other 10 are already the useless ones.\n\n";
  text += "Feature ranking (by mutual information):\n";
  for (const int64_t idx : top)
    text += fmt::format("  Feature {}: MI = {:.4f}\n", idx, scores[idx]);
  text += fmt::format("\nSelected {} / {} features (threshold={})\n", selected.size(), kFeatures,
                      kThreshold);
  text += fmt::format("  by threshold: [{}]\n", fmt::join(selected, ", "));
  // Which of the thresholded columns are truly informative: the seed's ranking cannot tell the
  // redundant copies from the columns they copy.
  int64_t kept_informative = 0, kept_redundant = 0, kept_useless = 0;
  for (const int64_t j : selected) {
    kept_informative += data.roles[j] == datasets::FeatureRole::kInformative ? 1 : 0;
    kept_redundant += data.roles[j] == datasets::FeatureRole::kRedundant ||
                              data.roles[j] == datasets::FeatureRole::kRepeated
                          ? 1
                          : 0;
    kept_useless += data.roles[j] == datasets::FeatureRole::kUseless ? 1 : 0;
  }
  text += fmt::format(
      "\nMI in nats. Of the {} columns above the threshold, {} are informative, {} redundant "
      "(linear combinations of the informative ones, so they score high too: per-feature MI "
      "ignores redundancy) and {} useless.\n",
      selected.size(), kept_informative, kept_redundant, kept_useless);
  text += fmt::format("mRMR in its difference form (MID) picks {}:\n", n_mrmr);
  for (size_t i = 0; i < mrmr.features.size(); ++i) {
    text += fmt::format("  {}. Feature {}: score = {:.4f} (MI = {:.4f}, {})\n", i + 1,
                        mrmr.features[i], mrmr.scores[i] + 0.0, scores[mrmr.features[i]],
                        datasets::feature_role_name(data.roles[mrmr.features[i]]));
  }
  const auto comparison = compare_criteria(data, n_mrmr, options);
  text += comparison.text;
  outcome.json["criteria"] = comparison.json;
  if (!o.out.empty()) {
    draw_criteria(o.out, data, scores, comparison);
    text += fmt::format("Bars of MI by role, with each criterion's picks, written to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand feature_select_experiment() {
  return make_subcommand<Options>(
      "feature-select", "Mutual-information feature ranking and mRMR selection (seed 6.2)",
      add_options, run);
}

}  // namespace infozoo::apps
