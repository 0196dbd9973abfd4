// SPDX-License-Identifier: BSD-3-Clause
// `infozoo estimators`: mutual-information estimators measured against known truth (issue 14's
// ground-truth suite, after Czyż et al. 2023, "Beyond Normal"). Every task of
// datasets::mi_task_suite() is sampled at several seeds; KSG 1 and 2 (k = 3, 10), the seed's
// histogram and scikit-learn's estimator (1x1 tasks), and an InfoNCE and an NWJ critic estimate
// its MI; the table gives mean, standard deviation and bias against the formula's value, and the
// conclusions are drawn from those numbers.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "experiments/estimator_report.h"
#include "experiments/estimator_runs.h"
#include "output/plot.h"

namespace infozoo::apps {
namespace {

// The default run fits in three minutes on a 2-core CPU (83 s measured on an idle one, 164 s of
// CPU; the KSGs of the two 25x25 tasks are three quarters of it): the critics train on the first
// 3 of the 10 seeds for 300 steps each (the flags widen them).
constexpr int64_t kDefaultSeeds = 10;
constexpr int64_t kDefaultCriticSeeds = 3;
constexpr int64_t kDefaultCriticSteps = 300;
constexpr int64_t kMinSamples = 20;  // the 10-NN estimate, and a held-out fifth of >= 4 samples

struct Options {
  int64_t seed = 0;
  int64_t samples = 5000;
  int64_t seeds = kDefaultSeeds;
  std::string tasks;  // comma-separated names; empty: every task
  int64_t critic_steps = kDefaultCriticSteps;
  int64_t critic_seeds = -1;  // unset: kDefaultCriticSeeds, or --seeds if fewer
  std::string out;            // PNG: estimate vs truth
};

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream stream(list);
  std::string name;
  while (std::getline(stream, name, ',')) names.push_back(name);
  if (!list.empty() && list.back() == ',') names.emplace_back();
  return names;
}

std::string task_names() {
  std::string names;
  for (const auto& task : datasets::mi_task_suite()) {
    names += (names.empty() ? "" : ", ") + task.name;
  }
  return names;
}

// --tasks: one or more of the suite's names, each once.
CLI::Validator task_list() {
  return CLI::Validator(
      [](const std::string& list) -> std::string {
        if (list.empty()) return "give at least one task name (the tasks are " + task_names() + ")";
        const auto names = split_names(list);
        for (size_t i = 0; i < names.size(); ++i) {
          const auto& name = names[i];
          if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), name) !=
              names.begin() + static_cast<std::ptrdiff_t>(i)) {
            return fmt::format("task '{}' is listed twice", name);
          }
          const auto& suite = datasets::mi_task_suite();
          const bool known = std::any_of(suite.begin(), suite.end(),
                                         [&](const datasets::MiTask& t) { return t.name == name; });
          if (!known) {
            return fmt::format("unknown task '{}' (the tasks are {})", name, task_names());
          }
        }
        return "";
      },
      "NAME[,NAME...]", "task-list");
}

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  add_samples_option(app, o.samples, kMinSamples,
                     "for the 10-NN estimate and the critics' held-out fifth");
  app.add_option("--seeds", o.seeds, "Seeds per task (data seeds --seed, --seed + 1, ...)")
      ->check(integer_in(2, 1000, "for a standard deviation"))
      ->capture_default_str();
  app.add_option("--tasks", o.tasks, "Comma-separated task names (default: all): " + task_names())
      ->check(task_list());
  app.add_option("--critic-steps", o.critic_steps, "Adam steps per neural critic")
      ->check(integer_in(1, 1000000))
      ->capture_default_str();
  app.add_option("--critic-seeds", o.critic_seeds,
                 fmt::format("Seeds (the first ones) on which the neural critics train; 0: no "
                             "critics (default: {}, or --seeds if fewer)",
                             kDefaultCriticSeeds))
      ->check(integer_in(0, 1000));
  add_out_option(app, o.out);
}

std::vector<const datasets::MiTask*> chosen_tasks(const std::string& list) {
  std::vector<const datasets::MiTask*> tasks;
  if (list.empty()) {
    for (const auto& task : datasets::mi_task_suite()) tasks.push_back(&task);
  } else {
    for (const auto& name : split_names(list)) tasks.push_back(&datasets::find_mi_task(name));
  }
  return tasks;
}

nlohmann::json to_json(const std::vector<TaskRun>& runs, const SuiteSettings& s) {
  nlohmann::json tasks = nlohmann::json::array();
  for (const auto& run : runs) {
    nlohmann::json estimates = nlohmann::json::object();
    for (const auto& e : run.estimates) {
      const auto sd = e.std();
      estimates[estimator_key(e.kind)] = {{"mean", e.mean()},
                                          {"std", sd ? nlohmann::json(*sd) : nlohmann::json()}};
    }
    tasks.push_back({{"name", run.task->name},
                     {"dim_x", run.task->dim_x},
                     {"dim_y", run.task->dim_y},
                     {"true_mi", run.task->true_mi},
                     {"estimates", estimates}});
  }
  return {{"tasks", tasks},
          {"n", s.samples},
          {"seeds", s.seeds},
          {"critic_seeds", s.critic_seeds},
          {"critic_steps", s.critic_steps}};
}

// Estimate against truth, one marker series per estimator, and the identity line.
void draw(const std::string& path, const std::vector<TaskRun>& runs) {
  std::vector<plot::Series> series;
  double top = 0.0;
  for (const auto kind : all_estimators()) {
    plot::Series s{estimator_label(kind), {}, {}, plot::Series::Style::kMarkers};
    for (const auto& run : runs) {
      for (const auto& e : run.estimates) {
        if (e.kind != kind) continue;
        s.x.push_back(run.task->true_mi);
        s.y.push_back(e.mean());  // a diverged critic's NaN is skipped by the plot
        top = std::max(top, run.task->true_mi);
        if (std::isfinite(e.mean())) top = std::max(top, e.mean());
      }
    }
    if (!s.x.empty()) series.push_back(std::move(s));
  }
  series.push_back(
      {"identity (estimate = truth)", {0.0, top}, {0.0, top}, plot::Series::Style::kDashed});
  plot::Figure figure(path, /*width=*/1100, /*height=*/1000);
  figure.series(series, {"Mutual information estimates vs the truth (mean over seeds)",
                         "true MI (nats)", "estimate (nats)"});
  figure.save();
}

Outcome run(const RunContext& context, const Options& o) {
  const int64_t critic_seeds =
      o.critic_seeds < 0 ? std::min(kDefaultCriticSeeds, o.seeds) : o.critic_seeds;
  if (critic_seeds > o.seeds) {
    throw UsageError(
        fmt::format("--critic-seeds must be <= --seeds ({}), got {}", o.seeds, o.critic_seeds));
  }
  if (o.seed + o.seeds - 1 > int64_t{4294967295}) {
    throw UsageError(fmt::format("--seed + --seeds - 1 must be < 2^32 (numpy seeds), got {}",
                                 o.seed + o.seeds - 1));
  }
  SuiteSettings settings;
  settings.samples = o.samples;
  settings.seeds = o.seeds;
  settings.base_seed = o.seed;
  settings.critic_seeds = critic_seeds;
  settings.critic_steps = o.critic_steps;
  settings.device = context.device;

  const auto runs = run_suite(chosen_tasks(o.tasks), settings);

  Outcome outcome;
  outcome.json = to_json(runs, settings);
  outcome.text = report_text(runs, settings, kDefaultCriticSeeds, kDefaultCriticSteps);
  if (!o.out.empty()) {
    draw(o.out, runs);
    outcome.text += fmt::format("Estimates vs truth drawn to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand estimators_experiment() {
  return make_subcommand<Options>(
      "estimators", "Mutual-information estimators against known truth (issue 14's suite)",
      add_options, run);
}

}  // namespace infozoo::apps
