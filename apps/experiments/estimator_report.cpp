// SPDX-License-Identifier: BSD-3-Clause
#include "experiments/estimator_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

namespace infozoo::apps {
namespace {

using Task = datasets::MiTask;

int64_t dims(const Task& t) { return t.dim_x + t.dim_y; }

std::string shape(const Task& t) { return fmt::format("{}x{}", t.dim_x, t.dim_y); }

const EstimatorValues* find(const TaskRun& run, EstimatorKind kind) {
  for (const auto& e : run.estimates)
    if (e.kind == kind) return &e;
  return nullptr;
}

// The estimators that ran on at least one task, in table order.
std::vector<EstimatorKind> present(const std::vector<TaskRun>& runs) {
  std::vector<EstimatorKind> kinds;
  for (const auto kind : all_estimators()) {
    const bool any = std::any_of(runs.begin(), runs.end(),
                                 [kind](const TaskRun& r) { return find(r, kind) != nullptr; });
    if (any) kinds.push_back(kind);
  }
  return kinds;
}

std::string signed_nats(double v) { return fmt::format("{:+.4f}", v); }

std::string describe_settings(const std::vector<TaskRun>& runs, const SuiteSettings& s,
                              int64_t default_critic_seeds, int64_t default_critic_steps) {
  std::string text = fmt::format(
      "Mutual-information estimators against known truth (tasks after Czyż et al. 2023, "
      "\"Beyond Normal\"): {} task(s), n = {} samples per seed, {} seeds (data seeds {} to {}).\n"
      "All values in nats; bias = mean estimate - true MI; std = standard deviation across "
      "seeds; the true MI comes from the task's formula, not from sampling.\n"
      "KSG: Kraskov et al.'s algorithms 1 and 2, max-norm, columns standardised. histogram: the "
      "seed's estimator, {} bins per axis (1x1 tasks). scikit-learn: mutual_info_regression "
      "(3-NN, its own jitter), or mutual_info_classif where X is a class label (1x1 tasks).\n",
      runs.size(), s.samples, s.seeds, s.base_seed, s.base_seed + s.seeds - 1, s.histogram_bins);
  if (s.critic_seeds == 0) return text + "Neural critics: not run (--critic-seeds 0).\n";
  text += fmt::format(
      "InfoNCE and NWJ critics: one separable MLP critic per objective, trained with Adam for {} "
      "steps on minibatches of {} drawn from 80% of the samples; the bound is evaluated on the "
      "held-out 20%. They run on the first {} of the {} seeds",
      s.critic_steps, critic_batch_size(s.samples), s.critic_seeds, s.seeds);
  if (s.critic_seeds < s.seeds && s.critic_seeds == default_critic_seeds &&
      s.critic_steps == default_critic_steps) {
    text +=
        " (fewer seeds and steps by default, to keep the run within three minutes on a 2-core "
        "CPU; --critic-seeds and --critic-steps widen them)";
  }
  return text + ".\n";
}

std::string task_table(const TaskRun& run) {
  const Task& t = *run.task;
  std::string text = fmt::format("\n{} ({}; {}): true MI {:.4f} nats\n", t.name, t.description,
                                 shape(t), t.true_mi);
  text += fmt::format("  {:<16} {:>9} {:>9} {:>9} {:>6}\n", "estimator", "mean", "std", "bias",
                      "seeds");
  for (const auto& e : run.estimates) {
    const auto sd = e.std();
    text +=
        fmt::format("  {:<16} {:>9.4f} {:>9} {:>9} {:>6}{}\n", estimator_label(e.kind), e.mean(),
                    sd ? fmt::format("{:.4f}", *sd) : "-", signed_nats(e.mean() - t.true_mi),
                    e.values.size(), fails(e, t.true_mi) ? "  fails" : "");
  }
  for (const auto& e : run.estimates) {
    const auto bad =
        std::count_if(e.values.begin(), e.values.end(), [](double v) { return !std::isfinite(v); });
    if (bad > 0) {
      text += fmt::format("  ({} is not finite on {} of {} seeds: its training diverged)\n",
                          estimator_label(e.kind), bad, e.values.size());
    }
  }
  if (t.discrete_x && find(run, EstimatorKind::kSklearn) != nullptr) {
    text += "  (scikit-learn here is mutual_info_classif: X is the class label, Y the feature)\n";
  }
  return text;
}

struct Score {
  EstimatorKind kind;
  int64_t tasks = 0;
  double abs_bias = 0.0;  // mean |bias| over its tasks
  double bias = 0.0;      // mean bias
  int64_t failed = 0;
};

Score score(EstimatorKind kind, const std::vector<const TaskRun*>& runs) {
  Score s{kind};
  for (const auto* run : runs) {
    const auto* e = find(*run, kind);
    if (e == nullptr) continue;
    const double bias = e->mean() - run->task->true_mi;
    ++s.tasks;
    s.abs_bias += std::abs(bias);
    s.bias += bias;
    s.failed += fails(*e, run->task->true_mi) ? 1 : 0;
  }
  if (s.tasks > 0) {
    s.abs_bias /= static_cast<double>(s.tasks);
    s.bias /= static_cast<double>(s.tasks);
  }
  return s;
}

// "label 0.0123 (mean bias -0.0100, fails 2 of 18)", best first, for the estimators that ran on
// every task of `runs`.
std::string ranking(const std::vector<const TaskRun*>& runs,
                    const std::vector<EstimatorKind>& kinds) {
  std::vector<Score> scores;
  for (const auto kind : kinds) {
    const auto s = score(kind, runs);
    if (s.tasks == static_cast<int64_t>(runs.size())) scores.push_back(s);
  }
  if (scores.empty()) return "";
  // A non-finite mean (a critic that diverged) ranks last.
  const auto key = [](const Score& s) {
    return std::isfinite(s.abs_bias) ? s.abs_bias : std::numeric_limits<double>::infinity();
  };
  std::stable_sort(scores.begin(), scores.end(),
                   [&](const Score& a, const Score& b) { return key(a) < key(b); });
  std::string text = fmt::format("{} is closest (mean |bias| {:.4f} nats",
                                 estimator_label(scores[0].kind), scores[0].abs_bias);
  text += fmt::format(", mean bias {}, fails {} of {})", signed_nats(scores[0].bias),
                      scores[0].failed, scores[0].tasks);
  for (size_t i = 1; i < scores.size(); ++i) {
    const double v = scores[i].abs_bias;
    text += fmt::format("{} {} {}", i == 1 ? "; then" : ",", estimator_label(scores[i].kind),
                        std::isfinite(v) ? fmt::format("{:.4f}", v) : "not finite (diverged)");
  }
  return text + ".\n";
}

std::string overall(const std::vector<TaskRun>& runs, const std::vector<EstimatorKind>& kinds) {
  std::vector<const TaskRun*> all, one_by_one;
  for (const auto& run : runs) {
    all.push_back(&run);
    if (run.task->dim_x == 1 && run.task->dim_y == 1) one_by_one.push_back(&run);
  }
  std::string text;
  const std::string every = ranking(all, kinds);
  if (!every.empty()) text += fmt::format("- Over all {} task(s), {}", all.size(), every);
  const bool partial = std::any_of(kinds.begin(), kinds.end(), [&](EstimatorKind k) {
    return score(k, all).tasks < static_cast<int64_t>(all.size());
  });
  if (partial && !one_by_one.empty() && one_by_one.size() < all.size()) {
    text += fmt::format("- On the {} 1x1 task(s), where every estimator runs, {}",
                        one_by_one.size(), ranking(one_by_one, kinds));
  }
  return text;
}

std::string failures(const std::vector<TaskRun>& runs, const std::vector<EstimatorKind>& kinds) {
  std::string text;
  std::vector<std::string> never;
  for (const auto kind : kinds) {
    std::string list;
    int64_t count = 0, ran = 0;
    for (const auto& run : runs) {
      const auto* e = find(run, kind);
      if (e == nullptr) continue;
      ++ran;
      if (!fails(*e, run.task->true_mi)) continue;
      ++count;
      list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", run.task->name,
                          signed_nats(e->mean() - run.task->true_mi));
    }
    if (count == 0) {
      never.push_back(estimator_label(kind));
    } else {
      text += fmt::format("  {} fails {} of {}: {}\n", estimator_label(kind), count, ran, list);
    }
  }
  std::string head = fmt::format(
      "- Failures (|bias| above both max({} nats, {:.0f}% of the true MI) and 3 std):\n", kFailNats,
      100 * kFailFraction);
  if (text.empty()) return head + "  none: every estimate is within that of the truth.\n";
  if (!never.empty()) {
    text += "  never failing: ";
    for (size_t i = 0; i < never.size(); ++i) text += (i ? ", " : "") + never[i];
    text += "\n";
  }
  return head + text;
}

std::string high_dimension(const std::vector<TaskRun>& runs,
                           const std::vector<EstimatorKind>& kinds) {
  constexpr int64_t kHigh = 10;  // dim_x + dim_y from which a task counts as high-dimensional
  int64_t hi_fail = 0, hi_all = 0, lo_fail = 0, lo_all = 0;
  std::string names;
  for (const auto& run : runs) {
    const bool high = dims(*run.task) >= kHigh;
    if (high) names += (names.empty() ? "" : ", ") + run.task->name;
    for (const auto& e : run.estimates) {
      (high ? hi_all : lo_all) += 1;
      (high ? hi_fail : lo_fail) += fails(e, run.task->true_mi) ? 1 : 0;
    }
  }
  std::string text;
  if (hi_all > 0 && lo_all > 0) {
    text += fmt::format(
        "- High dimension (dim_x + dim_y >= {}: {}): {} of {} estimates fail there, against {} of "
        "{} on the other tasks.\n",
        kHigh, names, hi_fail, hi_all, lo_fail, lo_all);
  }
  // Tasks with the same true MI in different dimensions: the lowest and the highest.
  std::map<double, std::pair<const TaskRun*, const TaskRun*>> by_truth;
  for (const auto& run : runs) {
    auto [it, fresh] = by_truth.try_emplace(run.task->true_mi, &run, &run);
    if (fresh) continue;
    if (dims(*run.task) < dims(*it->second.first->task)) it->second.first = &run;
    if (dims(*run.task) > dims(*it->second.second->task)) it->second.second = &run;
  }
  for (const auto& [truth, pair] : by_truth) {
    const auto [lo, hi] = pair;
    if (dims(*lo->task) == dims(*hi->task)) continue;
    text += fmt::format("- Same true MI ({:.4f} nats), more dimensions: {} ({}) to {} ({}):", truth,
                        lo->task->name, shape(*lo->task), hi->task->name, shape(*hi->task));
    std::string moves;
    for (const auto kind : kinds) {
      const auto *a = find(*lo, kind), *b = find(*hi, kind);
      if (a == nullptr || b == nullptr) continue;
      moves += fmt::format("{} {} {:.4f} -> {:.4f} ({})", moves.empty() ? "" : ";",
                           estimator_label(kind), a->mean(), b->mean(),
                           signed_nats(b->mean() - a->mean()));
    }
    text += moves + ".\n";
  }
  return text;
}

std::string long_tails(const std::vector<TaskRun>& runs, const std::vector<EstimatorKind>& kinds) {
  std::vector<const TaskRun*> tails;
  std::string names;
  for (const auto& run : runs) {
    if (run.task->name.rfind("student-t", 0) != 0) continue;
    tails.push_back(&run);
    names += (names.empty() ? "" : ", ") + run.task->name;
  }
  if (tails.empty()) return "";
  std::string under, over, diverged;
  double lowest = 0.0, highest = 0.0;
  bool first = true;
  for (const auto kind : kinds) {
    const auto s = score(kind, tails);
    if (s.tasks == 0) continue;
    if (!std::isfinite(s.bias)) {
      diverged += (diverged.empty() ? "" : ", ") + estimator_label(kind);
      continue;
    }
    std::string& list = s.bias < 0 ? under : over;
    list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", estimator_label(kind),
                        signed_nats(s.bias));
    lowest = first ? s.bias : std::min(lowest, s.bias);
    highest = first ? s.bias : std::max(highest, s.bias);
    first = false;
  }
  std::string text =
      fmt::format("- Long tails (Student-t: {}): mean bias per estimator from {} to {} nats; ",
                  names, signed_nats(lowest), signed_nats(highest));
  const std::string and_diverged =
      diverged.empty() ? "" : "; not finite (training diverged): " + diverged;
  if (over.empty()) return text + "every finite one underestimates" + and_diverged + ".\n";
  if (under.empty()) return text + "every finite one overestimates" + and_diverged + ".\n";
  return text + "underestimating: " + under + "; overestimating: " + over + and_diverged + ".\n";
}

// Tasks of the same shape and true MI as an earlier one are its images under invertible maps.
std::string invariance(const std::vector<TaskRun>& runs, const std::vector<EstimatorKind>& kinds) {
  std::string text;
  for (size_t b = 0; b < runs.size(); ++b) {
    const TaskRun& base = runs[b];
    std::vector<const TaskRun*> images;
    for (size_t i = b + 1; i < runs.size(); ++i) {
      const Task& t = *runs[i].task;
      if (t.true_mi == base.task->true_mi && t.dim_x == base.task->dim_x &&
          t.dim_y == base.task->dim_y) {
        images.push_back(&runs[i]);
      }
    }
    bool is_image = false;  // base is itself an image of an earlier task: reported there
    for (size_t i = 0; i < b; ++i) {
      const Task& t = *runs[i].task;
      is_image = is_image || (t.true_mi == base.task->true_mi && t.dim_x == base.task->dim_x &&
                              t.dim_y == base.task->dim_y);
    }
    if (images.empty() || is_image) continue;
    std::string names, moved;
    for (const auto* image : images) {
      names += (names.empty() ? "" : ", ") + image->task->name;
      for (const auto kind : kinds) {
        const auto *a = find(base, kind), *c = find(*image, kind);
        if (a == nullptr || c == nullptr || a->values.size() < 2 || c->values.size() < 2) continue;
        const double shift = c->mean() - a->mean();
        const double se = std::sqrt(std::pow(*a->std(), 2) / static_cast<double>(a->values.size()) +
                                    std::pow(*c->std(), 2) / static_cast<double>(c->values.size()));
        if (std::abs(shift) > 3 * se) {
          moved += fmt::format("{}{} on {} ({})", moved.empty() ? "" : ", ", estimator_label(kind),
                               image->task->name, signed_nats(shift));
        }
      }
    }
    text +=
        fmt::format("- Invariance: {} carry {}'s MI ({:.4f} nats, invertible maps of each side); ",
                    names, base.task->name, base.task->true_mi);
    text += moved.empty() ? "no estimate moves by more than 3 standard errors of the difference.\n"
                          : "estimates that move by more than 3 standard errors: " + moved + ".\n";
  }
  return text;
}

std::string ceilings(const std::vector<TaskRun>& runs, const SuiteSettings& s) {
  double top = 0.0;
  for (const auto& run : runs) top = std::max(top, run.task->true_mi);
  const double log_n = std::log(static_cast<double>(s.samples));
  std::string text = fmt::format(
      "- Ceilings: a k-NN estimate from n samples cannot go much above log n = {:.2f} nats; the "
      "largest true MI here is {:.4f}, so {}.\n",
      log_n, top,
      top < 0.5 * log_n ? "that ceiling does not bind" : "that ceiling may cap the largest ones");
  std::optional<double> best;
  std::string at_ceiling;
  const double log_b = std::log(static_cast<double>(critic_batch_size(s.samples)));
  for (const auto& run : runs) {
    const auto* e = find(run, EstimatorKind::kInfoNce);
    if (e == nullptr) continue;
    best = std::max(best.value_or(e->mean()), e->mean());
    if (e->mean() > log_b - 0.1) {
      at_ceiling += (at_ceiling.empty() ? "" : ", ") + run.task->name;
    }
  }
  if (!best) return text;
  if (at_ceiling.empty()) {
    return text + fmt::format(
                      "  InfoNCE stays below its own ceiling log B = {:.2f} nats (B = {}) on "
                      "every task (largest mean {:.4f}): its bias is the critic's, not the "
                      "bound's.\n",
                      log_b, critic_batch_size(s.samples), *best);
  }
  return text + fmt::format(
                    "  InfoNCE sits within 0.1 nats of its ceiling log B = {:.2f} nats on: "
                    "{}.\n",
                    log_b, at_ceiling);
}

}  // namespace

bool fails(const EstimatorValues& e, double truth) {
  if (!std::isfinite(e.mean())) return true;  // a diverged critic
  const double bias = std::abs(e.mean() - truth);
  const double sd = e.std().value_or(0.0);
  return bias > std::max(kFailNats, kFailFraction * std::abs(truth)) && bias > 3 * sd;
}

std::string report_text(const std::vector<TaskRun>& runs, const SuiteSettings& settings,
                        int64_t default_critic_seeds, int64_t default_critic_steps) {
  std::string text = describe_settings(runs, settings, default_critic_seeds, default_critic_steps);
  for (const auto& run : runs) text += task_table(run);
  const auto kinds = present(runs);
  text += "\nConclusions (computed from the numbers above):\n";
  text += overall(runs, kinds);
  text += failures(runs, kinds);
  text += high_dimension(runs, kinds);
  text += long_tails(runs, kinds);
  text += invariance(runs, kinds);
  text += ceilings(runs, settings);
  return text;
}

}  // namespace infozoo::apps
