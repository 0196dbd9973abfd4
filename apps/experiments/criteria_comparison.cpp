// SPDX-License-Identifier: BSD-3-Clause
#include "experiments/criteria_comparison.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "experiments/held_out_accuracy.h"
#include "output/plot.h"

namespace infozoo::apps {
namespace {

namespace an = analysis;
using datasets::FeatureRole;

// The criteria of the table, in the order of the seed's story: the ranking, mRMR's two forms,
// their normalised variant, then the criteria built on joint and conditional MI.
constexpr an::SelectionCriterion kKnnCriteria[] = {
    an::SelectionCriterion::kMIM,   an::SelectionCriterion::kMRMR, an::SelectionCriterion::kMIQ,
    an::SelectionCriterion::kNMIFS, an::SelectionCriterion::kJMI,  an::SelectionCriterion::kCMIM,
    an::SelectionCriterion::kICAP};
constexpr an::SelectionCriterion kBinnedCriteria[] = {
    an::SelectionCriterion::kMIM,  an::SelectionCriterion::kMRMR, an::SelectionCriterion::kJMI,
    an::SelectionCriterion::kCMIM, an::SelectionCriterion::kDISR, an::SelectionCriterion::kICAP};
// FEAST's own examples bin into a handful of states; 10 equal-width bins keep ~100 samples per
// bin at the seed's 1000 rows.
constexpr int64_t kBins = 10;

// The letter that marks a criterion's picks in the picture.
char letter(an::SelectionCriterion c) {
  switch (c) {
    case an::SelectionCriterion::kMIM:
      return 'M';
    case an::SelectionCriterion::kMRMR:
      return 'D';  // MID
    case an::SelectionCriterion::kMIQ:
      return 'Q';
    case an::SelectionCriterion::kNMIFS:
      return 'N';
    case an::SelectionCriterion::kJMI:
      return 'J';
    case an::SelectionCriterion::kCMIM:
      return 'C';
    case an::SelectionCriterion::kDISR:
      return 'R';
    case an::SelectionCriterion::kICAP:
      return 'I';
  }
  return '?';
}

CriterionRow make_row(std::string name, std::vector<int64_t> features,
                      const datasets::ClassificationData& data, bool baseline = false) {
  CriterionRow row;
  row.name = std::move(name);
  row.features = std::move(features);
  row.baseline = baseline;
  for (const int64_t j : row.features) {
    switch (data.roles[j]) {
      case FeatureRole::kInformative:
        ++row.informative;
        break;
      case FeatureRole::kRedundant:
        ++row.redundant;
        break;
      case FeatureRole::kRepeated:
        ++row.repeated;
        break;
      case FeatureRole::kUseless:
        ++row.useless;
        break;
    }
  }
  row.accuracy = held_out_accuracy(data.X, data.y, row.features);
  return row;
}

std::string conclusion(const std::vector<CriterionRow>& rows, int64_t n_test) {
  const CriterionRow* best = nullptr;
  const CriterionRow* worst = nullptr;
  const CriterionRow* mid = nullptr;
  const CriterionRow* informative = nullptr;
  const CriterionRow* all = nullptr;
  for (const auto& row : rows) {
    if (row.baseline) {
      (row.name.rfind("all", 0) == 0 ? all : informative) = &row;
      continue;
    }
    if (row.name == "mrmr (k-NN)") mid = &row;
    // Best: highest accuracy, then fewest useless picks (the truth), then table order.
    if (best == nullptr || row.accuracy > best->accuracy ||
        (row.accuracy == best->accuracy && row.useless < best->useless))
      best = &row;
    if (worst == nullptr || row.accuracy < worst->accuracy ||
        (row.accuracy == worst->accuracy && row.useless > worst->useless))
      worst = &row;
  }
  std::string text = fmt::format(
      "Best here: {} with {:.1f}% held-out accuracy and {} useless pick{}; worst: {} with "
      "{:.1f}% and {} useless pick{} ({:+.1f} points between them).",
      best->name, 100 * best->accuracy, best->useless, best->useless == 1 ? "" : "s", worst->name,
      100 * worst->accuracy, worst->useless, worst->useless == 1 ? "" : "s",
      100 * (best->accuracy - worst->accuracy));
  // The held-out accuracy's standard error, sqrt(a (1 - a) / n_test): gaps below two of them are
  // within what another split would change.
  const double se = std::sqrt(best->accuracy * (1 - best->accuracy) / static_cast<double>(n_test));
  text += best->accuracy - worst->accuracy < 2 * se
              ? fmt::format(
                    " That gap is under two standard errors of an accuracy on {} test rows ({:.1f} "
                    "points each): on accuracy the criteria cannot be told apart here (the "
                    "redundant columns are linear combinations of the informative ones, so a "
                    "linear model loses little with them); the role counts are what differ.",
                    n_test, 100 * se)
              : fmt::format(" That gap is {:.1f} standard errors of an accuracy on {} test rows.",
                            (best->accuracy - worst->accuracy) / se, n_test);
  std::string clean;
  int64_t n_clean = 0, n_criteria = 0;
  for (const auto& row : rows) {
    if (row.baseline) continue;
    ++n_criteria;
    if (row.useless == 0) clean += (n_clean++ ? ", " : "") + row.name;
  }
  text += n_clean == 0 ? " Every criterion picked at least one useless column."
                       : fmt::format(" {} of {} criteria picked no useless column: {}.", n_clean,
                                     n_criteria, clean);
  if (mid != nullptr) {
    text += fmt::format(
        " mRMR's difference form (the seed's mRMR) picked {} useless column{} of {}{}",
        mid->useless, mid->useless == 1 ? "" : "s", mid->features.size(),
        mid->useless * 2 > static_cast<int64_t>(mid->features.size())
            ? ": with k-NN estimates its redundancy term (MI between continuous columns, no "
              "ceiling) outweighs any relevance (at most H(y)), so once one column is in, noise "
              "columns score best."
            : ".");
  }
  if (informative != nullptr && all != nullptr) {
    text += fmt::format(
        " For scale: the {} informative columns alone reach {:.1f}%, all {} columns {:.1f}%.",
        informative->features.size(), 100 * informative->accuracy, all->features.size(),
        100 * all->accuracy);
    text += best->accuracy >= informative->accuracy
                ? " The best selection matches the informative columns, so it lost nothing that "
                  "a model can use."
                : fmt::format(" The best selection is {:.1f} points short of them.",
                              100 * (informative->accuracy - best->accuracy));
  }
  return text + "\n";
}

}  // namespace

CriteriaComparison compare_criteria(const datasets::ClassificationData& data, int64_t k,
                                    const an::MutualInfoOptions& mi) {
  CriteriaComparison out;
  const int64_t p = data.X.size(1);
  for (const auto c : kKnnCriteria) {
    const auto picked = an::select_features(
        data.X, data.y, an::FeatureSelectionOptions().criterion(c).n_select(k).mi(mi));
    out.rows.push_back(
        make_row(fmt::format("{} (k-NN)", an::criterion_name(c)), picked.features, data));
  }
  for (const auto c : kBinnedCriteria) {
    const auto picked = an::select_features(data.X, data.y,
                                            an::FeatureSelectionOptions()
                                                .criterion(c)
                                                .n_select(k)
                                                .estimation(an::MIEstimation::kBinned)
                                                .n_bins(kBins)
                                                .mi(mi));
    out.rows.push_back(
        make_row(fmt::format("{} (binned)", an::criterion_name(c)), picked.features, data));
  }
  std::vector<int64_t> all(p), informative;
  for (int64_t j = 0; j < p; ++j) {
    all[j] = j;
    if (data.roles[j] == FeatureRole::kInformative) informative.push_back(j);
  }
  out.rows.push_back(make_row(fmt::format("all {} columns", p), all, data, true));
  out.rows.push_back(
      make_row(fmt::format("the {} informative", informative.size()), informative, data, true));

  auto& text = out.text;
  text += fmt::format(
      "\nEvery criterion at the seed's k = {}, judged by the truth make_classification knows: how "
      "many picks are informative (they place the classes), redundant (linear combinations of "
      "the informative ones) or useless (noise), and the held-out accuracy of a logistic "
      "regression on the picks alone (L-BFGS, L2 penalty as scikit-learn's C = 1, trained on the "
      "first {:.0f}% of the rows, tested on the rest). k-NN: scikit-learn's estimators; binned: "
      "FEAST-style plug-in MI on {} equal-width bins per column.\n",
      k, 100 * kTrainFraction, kBins);
  text += fmt::format("  {:<20} {:>11} {:>9} {:>7} {:>9}  {}\n", "criterion", "informative",
                      "redundant", "useless", "accuracy", "picks in order");
  for (const auto& row : out.rows) {
    std::string picks;
    if (!row.baseline) {
      for (size_t i = 0; i < row.features.size(); ++i)
        picks += (i ? ", " : "") + std::to_string(row.features[i]);
    }
    text += fmt::format("  {:<20} {:>11} {:>9} {:>7} {:>8.1f}%  {}\n", row.name, row.informative,
                        row.redundant + row.repeated, row.useless, 100 * row.accuracy, picks);
  }
  const int64_t n_test =
      data.X.size(0) - static_cast<int64_t>(kTrainFraction * static_cast<double>(data.X.size(0)));
  text += conclusion(out.rows, n_test);

  out.json = {{"k", k}, {"train_fraction", kTrainFraction}, {"bins", kBins}};
  auto& rows = out.json["rows"] = nlohmann::json::array();
  for (const auto& row : out.rows) {
    rows.push_back({{"name", row.name},
                    {"features", row.features},
                    {"informative", row.informative},
                    {"redundant", row.redundant},
                    {"repeated", row.repeated},
                    {"useless", row.useless},
                    {"accuracy", row.accuracy}});
  }
  return out;
}

void draw_criteria(const std::string& path, const datasets::ClassificationData& data,
                   const std::vector<double>& mi, const CriteriaComparison& comparison) {
  plot::Bars bars;
  const auto p = static_cast<int64_t>(mi.size());
  bars.heights = mi;
  bars.marks.assign(p, "");
  // Legend entries for the roles present only (the demo has no repeated columns).
  std::vector<int> group_of_role(4, -1);
  for (int64_t j = 0; j < p; ++j) {
    const auto role = static_cast<size_t>(data.roles[j]);
    if (group_of_role[role] < 0) {
      group_of_role[role] = 0;  // mark as present; numbered below in role order
    }
  }
  for (size_t role = 0, next = 0; role < group_of_role.size(); ++role) {
    if (group_of_role[role] < 0) continue;
    group_of_role[role] = static_cast<int>(next++);
    bars.groups.push_back(datasets::feature_role_name(static_cast<FeatureRole>(role)));
  }
  for (int64_t j = 0; j < p; ++j) {
    bars.names.push_back(std::to_string(j));
    bars.group.push_back(group_of_role[static_cast<size_t>(data.roles[j])]);
  }
  // k-NN rows only: one letter per criterion.
  std::string key;
  for (const auto c : kKnnCriteria) {
    key += fmt::format("{}{}={}", key.empty() ? "" : " ", letter(c), an::criterion_name(c));
    for (const auto& row : comparison.rows) {
      if (row.name != fmt::format("{} (k-NN)", an::criterion_name(c))) continue;
      for (const int64_t j : row.features) bars.marks[j] += letter(c);
    }
  }
  plot::Figure figure(path, 1100, 600);
  figure.bars(bars, {"MI per feature by true role; letters: k-NN criteria that picked it",
                     fmt::format("feature ({})", key), "I(feature; y) (nats)"});
  figure.save();
}

}  // namespace infozoo::apps
