// SPDX-License-Identifier: BSD-3-Clause
#include "experiments/estimator_runs.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <limits>
#include <numeric>
#include <thread>
#include <utility>

#include "experiments/critic_training.h"
#include "infozoo/analysis/histogram_mi.h"
#include "infozoo/analysis/ksg.h"
#include "infozoo/analysis/mutual_info.h"
#include "infozoo/datasets/numpy_random.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kCriticBatch = 128;    // B: 127 in-batch negatives, InfoNCE's ceiling log 128
constexpr int64_t kHeldOutFraction = 5;  // 1/5 of the samples evaluate the critics
// The critic's minibatch indices come from their own stream, not the data's (same seed).
constexpr int64_t kBatchStreamOffset = 0x5bd1e995;

analysis::KsgOptions ksg_options(EstimatorKind kind) {
  // Standardised columns (scikit-learn's scale(with_mean=False)), so that the max-norm weighs
  // every coordinate alike whatever its units; no jitter: the tasks' values do not tie, but for
  // the discrete X, whose ties KSG meets as they are.
  auto options = analysis::KsgOptions().standardize(true);
  switch (kind) {
    case EstimatorKind::kKsg1K3:
      return options.k(3).algorithm(analysis::KsgAlgorithm::kOne);
    case EstimatorKind::kKsg1K10:
      return options.k(10).algorithm(analysis::KsgAlgorithm::kOne);
    case EstimatorKind::kKsg2K3:
      return options.k(3).algorithm(analysis::KsgAlgorithm::kTwo);
    default:
      return options.k(10).algorithm(analysis::KsgAlgorithm::kTwo);
  }
}

// Columns standardised by the training rows' mean and standard deviation (a constant column is
// only centred), as float32 for the critic. The sums run in row order in float64, so the result
// does not depend on how ATen would split a reduction between threads.
at::Tensor standardized(const at::Tensor& t, int64_t n_train) {
  const auto c = t.contiguous();
  const auto a = c.accessor<double, 2>();
  const int64_t d = c.size(1);
  std::vector<double> mean(static_cast<size_t>(d), 0.0), sd(static_cast<size_t>(d), 0.0);
  for (int64_t j = 0; j < d; ++j) {
    double sum = 0.0, squares = 0.0;
    for (int64_t i = 0; i < n_train; ++i) sum += a[i][j];
    mean[j] = sum / static_cast<double>(n_train);
    for (int64_t i = 0; i < n_train; ++i) squares += (a[i][j] - mean[j]) * (a[i][j] - mean[j]);
    sd[j] = std::sqrt(squares / static_cast<double>(n_train));
    if (!(sd[j] > 0)) sd[j] = 1.0;
  }
  auto out = at::empty(c.sizes(), at::kFloat);
  auto o = out.accessor<float, 2>();
  for (int64_t i = 0; i < c.size(0); ++i) {
    for (int64_t j = 0; j < d; ++j) o[i][j] = static_cast<float>((a[i][j] - mean[j]) / sd[j]);
  }
  return out;
}

// Trains one critic on the first 80% of the samples (minibatches of 128 drawn with replacement,
// seeded) and returns its bound on the held-out 20%: InfoNCE's for an InfoNCE critic, NWJ's for an
// NWJ critic.
double critic_estimate(const datasets::MiSample& sample, CriticObjective objective, int64_t seed,
                       const SuiteSettings& settings) {
  const int64_t n = sample.X.size(0);
  const int64_t n_eval = n / kHeldOutFraction;
  const int64_t n_train = n - n_eval;
  const int64_t batch = critic_batch_size(n);
  const auto x = standardized(sample.X, n_train).to(settings.device);
  const auto y = standardized(sample.Y, n_train).to(settings.device);
  datasets::NumpyRandomState rng((seed + kBatchStreamOffset) % (int64_t{1} << 32));
  const auto rows = rng.randint(0, n_train, {settings.critic_steps, batch}).to(settings.device);

  CriticTraining training;
  training.steps = settings.critic_steps;
  training.batch_size = batch;
  training.seed = seed;
  training.objective = objective;
  training.device = settings.device;
  const BatchSource train = [&](int64_t step) {
    const auto idx = rows[step];
    return std::make_pair(x.index_select(0, idx), y.index_select(0, idx));
  };
  const BatchSource eval = [&](int64_t b) {
    const int64_t begin = n_train + b * batch;
    return std::make_pair(x.slice(0, begin, begin + batch), y.slice(0, begin, begin + batch));
  };
  const auto result = train_critic(sample.X.size(1), sample.Y.size(1), training, train, eval,
                                   /*eval_batches=*/n_eval / batch);
  return objective == CriticObjective::kInfoNCE ? result.infonce : result.nwj;
}

double estimate(EstimatorKind kind, const datasets::MiTask& task, const datasets::MiSample& s,
                int64_t seed, const SuiteSettings& settings) {
  switch (kind) {
    case EstimatorKind::kHistogram:
      return analysis::estimate_mutual_information(s.X.select(1, 0), s.Y.select(1, 0),
                                                   settings.histogram_bins);
    case EstimatorKind::kSklearn: {
      const auto options = analysis::MutualInfoOptions().random_state(seed);
      // A discrete X is scikit-learn's classification target: mutual_info_classif(Y, X).
      const auto mi = task.discrete_x
                          ? analysis::mutual_info_classif(s.Y, s.X.select(1, 0), options)
                          : analysis::mutual_info_regression(s.X, s.Y.select(1, 0), options);
      return mi[0].item<double>();
    }
    case EstimatorKind::kInfoNce:
      return critic_estimate(s, CriticObjective::kInfoNCE, seed, settings);
    case EstimatorKind::kNwj:
      return critic_estimate(s, CriticObjective::kNWJ, seed, settings);
    default:
      return analysis::ksg_mutual_info(s.X, s.Y, ksg_options(kind));
  }
}

}  // namespace

const std::vector<EstimatorKind>& all_estimators() {
  static const std::vector<EstimatorKind> all = {EstimatorKind::kKsg1K3,    EstimatorKind::kKsg1K10,
                                                 EstimatorKind::kKsg2K3,    EstimatorKind::kKsg2K10,
                                                 EstimatorKind::kHistogram, EstimatorKind::kSklearn,
                                                 EstimatorKind::kInfoNce,   EstimatorKind::kNwj};
  return all;
}

std::string estimator_key(EstimatorKind kind) {
  switch (kind) {
    case EstimatorKind::kKsg1K3:
      return "ksg1_k3";
    case EstimatorKind::kKsg1K10:
      return "ksg1_k10";
    case EstimatorKind::kKsg2K3:
      return "ksg2_k3";
    case EstimatorKind::kKsg2K10:
      return "ksg2_k10";
    case EstimatorKind::kHistogram:
      return "histogram";
    case EstimatorKind::kSklearn:
      return "sklearn";
    case EstimatorKind::kInfoNce:
      return "infonce";
    case EstimatorKind::kNwj:
      return "nwj";
  }
  return "";
}

std::string estimator_label(EstimatorKind kind) {
  switch (kind) {
    case EstimatorKind::kKsg1K3:
      return "KSG-1 k=3";
    case EstimatorKind::kKsg1K10:
      return "KSG-1 k=10";
    case EstimatorKind::kKsg2K3:
      return "KSG-2 k=3";
    case EstimatorKind::kKsg2K10:
      return "KSG-2 k=10";
    case EstimatorKind::kHistogram:
      return "histogram";
    case EstimatorKind::kSklearn:
      return "scikit-learn";
    case EstimatorKind::kInfoNce:
      return "InfoNCE critic";
    case EstimatorKind::kNwj:
      return "NWJ critic";
  }
  return "";
}

bool estimator_applies(EstimatorKind kind, const datasets::MiTask& task) {
  if (kind == EstimatorKind::kHistogram || kind == EstimatorKind::kSklearn) {
    return task.dim_x == 1 && task.dim_y == 1;
  }
  return true;
}

int64_t critic_batch_size(int64_t samples) {
  return std::min(kCriticBatch, samples / kHeldOutFraction);
}

bool is_critic(EstimatorKind kind) {
  return kind == EstimatorKind::kInfoNce || kind == EstimatorKind::kNwj;
}

double EstimatorValues::mean() const {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

std::optional<double> EstimatorValues::std() const {
  if (values.size() < 2) return std::nullopt;
  const double m = mean();
  double sum = 0.0;
  for (const double v : values) sum += (v - m) * (v - m);
  return std::sqrt(sum / static_cast<double>(values.size() - 1));
}

int64_t suite_workers() {
  if (std::getenv("OMP_NUM_THREADS") != nullptr) return std::max(1, at::get_num_threads());
  return std::max<int64_t>({1, at::get_num_threads(), std::thread::hardware_concurrency()});
}

std::vector<TaskRun> run_suite(const std::vector<const datasets::MiTask*>& tasks,
                               const SuiteSettings& settings) {
  std::vector<TaskRun> runs;
  for (const auto* task : tasks) {
    TaskRun run;
    run.task = task;
    for (const auto kind : all_estimators()) {
      if (!estimator_applies(kind, *task)) continue;
      if (is_critic(kind) && settings.critic_seeds == 0) continue;
      const int64_t seeds = is_critic(kind) ? settings.critic_seeds : settings.seeds;
      run.estimates.push_back(
          {kind, std::vector<double>(seeds, std::numeric_limits<double>::quiet_NaN())});
    }
    runs.push_back(std::move(run));
  }

  // A job: one task and seed, and either every non-critic estimator (critic < 0) or one critic
  // (the index of its EstimatorValues). The k-NN jobs of the widest tasks go first, the critics
  // after them, so that no long job starts last.
  struct Job {
    size_t run;
    int64_t seed_index;
    int64_t critic;
  };
  std::vector<Job> jobs;
  for (size_t r = 0; r < runs.size(); ++r) {
    for (int64_t s = 0; s < settings.seeds; ++s) jobs.push_back({r, s, -1});
  }
  std::stable_sort(jobs.begin(), jobs.end(), [&](const Job& a, const Job& b) {
    const auto width = [&](const Job& j) {
      return runs[j.run].task->dim_x + runs[j.run].task->dim_y;
    };
    return width(a) > width(b);
  });
  for (size_t r = 0; r < runs.size(); ++r) {
    for (int64_t s = 0; s < settings.critic_seeds; ++s) {
      for (size_t e = 0; e < runs[r].estimates.size(); ++e) {
        if (is_critic(runs[r].estimates[e].kind)) jobs.push_back({r, s, static_cast<int64_t>(e)});
      }
    }
  }

  auto run_job = [&](const Job& job) {
    TaskRun& run = runs[job.run];
    const int64_t seed = settings.base_seed + job.seed_index;
    const auto sample = run.task->sample(settings.samples, seed);
    for (size_t e = 0; e < run.estimates.size(); ++e) {
      auto& values = run.estimates[e];
      const bool mine = job.critic < 0 ? !is_critic(values.kind) : job.critic == int64_t(e);
      if (mine)
        values.values[job.seed_index] = estimate(values.kind, *run.task, sample, seed, settings);
    }
  };
  // A GPU's critics run one after the other; the CPU's jobs on OpenMP threads, inside whose
  // parallel region LibTorch's parallel_for and OpenBLAS run on the calling thread alone.
  const int64_t workers =
      settings.device.is_cpu() ? (settings.workers > 0 ? settings.workers : suite_workers()) : 1;
  std::vector<std::exception_ptr> errors(jobs.size());
  const auto n_jobs = static_cast<int64_t>(jobs.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(workers) if (workers > 1)
  for (int64_t j = 0; j < n_jobs; ++j) {
    try {
      run_job(jobs[j]);
    } catch (...) {
      errors[j] = std::current_exception();
    }
  }
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);  // the first failed job's, in job order
  }
  return runs;
}

}  // namespace infozoo::apps
