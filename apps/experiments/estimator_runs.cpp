// SPDX-License-Identifier: BSD-3-Clause
#include "experiments/estimator_runs.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <cmath>
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

std::vector<TaskRun> run_suite(const std::vector<const datasets::MiTask*>& tasks,
                               const SuiteSettings& settings) {
  // One critic to train: which task, seed and objective, and where its value goes.
  struct CriticJob {
    size_t run;
    size_t estimate;
    size_t seed_index;
    EstimatorKind kind;
  };
  std::vector<TaskRun> runs;
  std::vector<std::vector<datasets::MiSample>> critic_samples;  // [run][seed < critic_seeds]
  std::vector<CriticJob> jobs;
  for (const auto* task : tasks) {
    TaskRun run;
    run.task = task;
    for (const auto kind : all_estimators()) {
      if (!estimator_applies(kind, *task)) continue;
      if (is_critic(kind) && settings.critic_seeds == 0) continue;
      run.estimates.push_back({kind, {}});
    }
    auto& kept = critic_samples.emplace_back();
    for (int64_t r = 0; r < settings.seeds; ++r) {
      const int64_t seed = settings.base_seed + r;
      auto sample = task->sample(settings.samples, seed);
      for (size_t i = 0; i < run.estimates.size(); ++i) {
        auto& e = run.estimates[i];
        if (is_critic(e.kind)) {
          if (r >= settings.critic_seeds) continue;
          e.values.push_back(std::numeric_limits<double>::quiet_NaN());  // filled below
          jobs.push_back({runs.size(), i, static_cast<size_t>(r), e.kind});
          continue;
        }
        e.values.push_back(estimate(e.kind, *task, sample, seed, settings));
      }
      if (r < settings.critic_seeds) kept.push_back(std::move(sample));
    }
    runs.push_back(std::move(run));
  }

  // The critics: a shared counter hands out jobs in order; every job writes its own slot.
  const size_t workers = settings.device.is_cpu()
                             ? std::min<size_t>(jobs.size(), std::max(1, at::get_num_threads()))
                             : std::min<size_t>(jobs.size(), 1);
  std::atomic<size_t> next{0};
  std::vector<std::exception_ptr> errors(jobs.size());
  auto work = [&] {
    for (size_t j = next++; j < jobs.size(); j = next++) {
      const auto& job = jobs[j];
      try {
        const auto& sample = critic_samples[job.run][job.seed_index];
        const int64_t seed = settings.base_seed + static_cast<int64_t>(job.seed_index);
        runs[job.run].estimates[job.estimate].values[job.seed_index] =
            estimate(job.kind, *runs[job.run].task, sample, seed, settings);
      } catch (...) {
        errors[j] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);  // the first failed job's, in job order
  }
  return runs;
}

}  // namespace infozoo::apps
