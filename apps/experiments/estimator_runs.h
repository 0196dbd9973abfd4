// SPDX-License-Identifier: BSD-3-Clause
// The numbers behind `infozoo estimators`: every estimator run on seeded samples of a task with
// known mutual information (datasets/mi_tasks.h), one value per seed.
#pragma once

#include <c10/core/Device.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "infozoo/datasets/mi_tasks.h"

namespace infozoo::apps {

/// The estimators, in the order the tables list them.
enum class EstimatorKind {
  kKsg1K3,
  kKsg1K10,
  kKsg2K3,
  kKsg2K10,
  kHistogram,  // 1x1 tasks only
  kSklearn,    // 1x1 tasks only: mutual_info_regression, or mutual_info_classif for discrete X
  kInfoNce,
  kNwj,
};

/// All of them, in table order.
const std::vector<EstimatorKind>& all_estimators();
/// The JSON key: "ksg1_k3", ..., "histogram", "sklearn", "infonce", "nwj".
std::string estimator_key(EstimatorKind kind);
/// The label in tables and legends: "KSG-1 k=3", ..., "InfoNCE critic".
std::string estimator_label(EstimatorKind kind);
/// Whether the estimator runs on `task` (the histogram and scikit-learn's on 1x1 tasks only).
bool estimator_applies(EstimatorKind kind, const datasets::MiTask& task);
/// Whether it is one of the two neural critics.
bool is_critic(EstimatorKind kind);

/// How the suite runs. The critics train on a seeded 80% of the samples and are evaluated on the
/// other 20% (held out).
struct SuiteSettings {
  int64_t samples = 5000;         // n per seed
  int64_t seeds = 10;             // seeds per task: seed, seed + 1, ...
  int64_t base_seed = 0;          // the first data seed
  int64_t critic_seeds = 3;       // the first this many seeds also train the two critics
  int64_t critic_steps = 300;     // Adam steps per critic
  int64_t histogram_bins = 30;    // mi-hist's default
  c10::Device device{c10::kCPU};  // where the critics train
  int64_t workers = 0;            // threads for the jobs; 0: suite_workers()
};

/// The default number of workers: the machine's cores (std::thread::hardware_concurrency; LibTorch
/// counts half of them on x86, taking them for hyperthreads), or at::get_num_threads() where
/// OMP_NUM_THREADS sets the thread count.
int64_t suite_workers();

/// The critics' batch size B for n samples: 128, or the held-out fifth when smaller. InfoNCE's
/// estimate cannot exceed log B.
int64_t critic_batch_size(int64_t samples);

/// One estimator's values on one task, one per seed it ran on.
struct EstimatorValues {
  EstimatorKind kind;
  std::vector<double> values;
  double mean() const;
  /// Sample standard deviation (ddof 1); nullopt with fewer than 2 values.
  std::optional<double> std() const;
};

/// A task and every estimator's values on it.
struct TaskRun {
  const datasets::MiTask* task = nullptr;
  std::vector<EstimatorValues> estimates;  // the applicable estimators, in table order
};

/// Runs every applicable estimator on `settings.seeds` samples of each task (n samples each,
/// data seeds base_seed + r). The work goes out as independent jobs (one per task and seed for
/// the k-NN, histogram and scikit-learn estimates, one per critic), each computed on one thread
/// and written to its own slot, on `settings.workers` threads: the values depend only on the
/// task, the seed and the settings, whatever the number of workers or intra-op threads.
std::vector<TaskRun> run_suite(const std::vector<const datasets::MiTask*>& tasks,
                               const SuiteSettings& settings);

}  // namespace infozoo::apps
