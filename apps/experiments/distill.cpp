// SPDX-License-Identifier: BSD-3-Clause
// `infozoo distill`: temperature in knowledge distillation (seed 2.1, an interview question),
// measured. A teacher MLP learns a 5-class make_classification problem from all its training
// rows; a smaller student sees only a few of them, and learns either from their hard labels or
// with Hinton et al.'s loss (alpha tau^2 KL(teacher_tau || student_tau) + (1 - alpha) CE) at each
// tau. The claim under test: soft labels at tau > 1 carry more information (entropy) about how
// the teacher ranks the wrong classes, and a student that sees them generalises better.
#include <ATen/ATen.h>
#include <fmt/format.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/optim/adam.h>
#include <torch/utils.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "experiments/one_intra_op_thread.h"
#include "infozoo/analysis/entropy.h"
#include "infozoo/datasets/make_classification.h"
#include "infozoo/losses/distillation.h"
#include "output/plot.h"

namespace infozoo::apps {
namespace {

// The problem: 5 classes, 10 informative of 20 features, two clusters per class.
constexpr int64_t kClasses = 5, kFeatures = 20, kTrainRows = 2000, kTestRows = 1000;
constexpr int64_t kTeacherHidden = 64, kStudentHidden = 8;
constexpr int64_t kSteps = 300;  // full-batch Adam steps, teacher and students alike
constexpr double kLearningRate = 1e-2;

struct Options {
  int64_t seed = 42;
  int64_t seeds = 3;
  int64_t student_rows = 200;
  std::vector<double> taus{1, 2, 4, 8, 20};
  double alpha = 0.9;
  std::string out;
};

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  app.add_option("--seeds", o.seeds,
                 "Repetitions (new data, teacher and students each), seeds seed, seed + 1, ...")
      ->check(integer_in(1, 100))
      ->capture_default_str();
  app.add_option(
         "--student-rows", o.student_rows,
         fmt::format("Training rows the student sees (the teacher sees all {})", kTrainRows))
      ->check(integer_in(kClasses, kTrainRows, "for a row of every class"))
      ->capture_default_str();
  app.add_option("--tau", o.taus, "Comma-separated distillation temperatures tau > 0")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--alpha", o.alpha, "Weight in [0, 1] of the soft (KL) term")
      ->capture_default_str();
  add_out_option(app, o.out, "distill.png");
}

void check(const Options& o) {
  for (const double tau : o.taus) {
    if (!(tau > 0 && std::isfinite(tau))) {
      throw UsageError(fmt::format("--tau must hold temperatures > 0, got {}", tau));
    }
  }
  if (o.taus.empty()) throw UsageError("--tau must hold at least one temperature");
  if (!(o.alpha >= 0 && o.alpha <= 1)) {
    throw UsageError(fmt::format("--alpha must be in [0, 1], got {}", o.alpha));
  }
}

torch::nn::Sequential mlp(int64_t hidden, int64_t layers) {
  torch::nn::Sequential net;
  int64_t in = kFeatures;
  for (int64_t i = 0; i < layers; ++i) {
    net->push_back(torch::nn::Linear(in, hidden));
    net->push_back(torch::nn::ReLU());
    in = hidden;
  }
  net->push_back(torch::nn::Linear(in, kClasses));
  return net;
}

// Full-batch Adam on `loss(net(X))` for kSteps steps.
template <class Loss>
void train(torch::nn::Sequential& net, const at::Tensor& X, Loss loss) {
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(kLearningRate));
  for (int64_t step = 0; step < kSteps; ++step) {
    optimizer.zero_grad();
    loss(net->forward(X)).backward();
    optimizer.step();
  }
}

double accuracy(torch::nn::Sequential& net, const at::Tensor& X, const at::Tensor& y) {
  at::NoGradGuard no_grad;
  return net->forward(X).argmax(1).eq(y).to(at::kDouble).mean().item<double>();
}

// One repetition's accuracies (in [0, 1]) and the teacher's soft-label entropies (nats).
struct Repetition {
  double teacher = 0;
  double hard = 0;
  std::vector<double> distilled;  // one per tau
  std::vector<double> entropy;    // mean H(softmax(teacher / tau)) over the student's rows
};

Repetition repeat(const Options& o, int64_t seed, const c10::Device& device) {
  auto data = datasets::make_classification(datasets::MakeClassificationOptions()
                                                .n_samples(kTrainRows + kTestRows)
                                                .n_features(kFeatures)
                                                .n_informative(10)
                                                .n_redundant(5)
                                                .n_classes(kClasses)
                                                .random_state(seed));
  // Rows are in random order already; standardise with the training rows' statistics.
  auto X = data.X.to(at::kFloat);
  const auto train_rows = X.slice(0, 0, kTrainRows);
  X = ((X - train_rows.mean(0)) / train_rows.std(0)).to(device);
  const auto y = data.y.to(device);
  const auto X_train = X.slice(0, 0, kTrainRows), y_train = y.slice(0, 0, kTrainRows);
  const auto X_test = X.slice(0, kTrainRows), y_test = y.slice(0, kTrainRows);
  const auto X_student = X.slice(0, 0, o.student_rows), y_student = y.slice(0, 0, o.student_rows);

  Repetition r;
  torch::manual_seed(static_cast<uint64_t>(seed));
  auto teacher = mlp(kTeacherHidden, 2);
  teacher->to(device);
  train(teacher, X_train,
        [&](const at::Tensor& logits) { return at::cross_entropy_loss(logits, y_train); });
  r.teacher = accuracy(teacher, X_test, y_test);
  at::Tensor teacher_logits;
  {
    at::NoGradGuard no_grad;
    teacher_logits = teacher->forward(X_student);
  }

  // Every student starts from the same weights: the loss is the only difference.
  torch::manual_seed(static_cast<uint64_t>(seed) + 1000);
  const auto initial = mlp(kStudentHidden, 1);
  const auto fresh_student = [&] {
    auto student = std::dynamic_pointer_cast<torch::nn::SequentialImpl>(initial->clone());
    auto net = torch::nn::Sequential(student);
    net->to(device);
    return net;
  };
  auto hard = fresh_student();
  train(hard, X_student,
        [&](const at::Tensor& logits) { return at::cross_entropy_loss(logits, y_student); });
  r.hard = accuracy(hard, X_test, y_test);
  for (const double tau : o.taus) {
    const auto options = losses::DistillationLossOptions().temperature(tau).alpha(o.alpha);
    auto student = fresh_student();
    train(student, X_student, [&](const at::Tensor& logits) {
      return losses::distillation_loss(logits, teacher_logits, y_student, options);
    });
    r.distilled.push_back(accuracy(student, X_test, y_test));
    const auto soft = at::softmax(teacher_logits.to(at::kDouble) / tau, 1);
    r.entropy.push_back(analysis::entropy(soft, analysis::InfoUnit::kNats).mean().item<double>());
  }
  return r;
}

struct Summary {
  double mean = 0;
  double std = 0;  // over the seeds (population), 0 for one seed
};

Summary summarise(const std::vector<double>& v) {
  Summary s;
  for (const double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  for (const double x : v) s.std += (x - s.mean) * (x - s.mean);
  s.std = std::sqrt(s.std / static_cast<double>(v.size()));
  return s;
}

nlohmann::json summary_json(const Summary& s, const std::vector<double>& per_seed) {
  return {{"mean", s.mean}, {"std", s.std}, {"per_seed", per_seed}};
}

Outcome run(const RunContext& context, const Options& o) {
  check(o);
  const OneIntraOpThread same_bytes_for_any_thread_count;
  std::vector<Repetition> reps;
  for (int64_t i = 0; i < o.seeds; ++i) reps.push_back(repeat(o, o.seed + i, context.device));
  const auto column = [&](auto pick) {
    std::vector<double> v;
    for (const auto& r : reps) v.push_back(pick(r));
    return v;
  };
  const auto teacher = column([](const Repetition& r) { return r.teacher; });
  const auto hard = column([](const Repetition& r) { return r.hard; });
  const Summary teacher_s = summarise(teacher), hard_s = summarise(hard);
  const double ceiling = std::log(static_cast<double>(kClasses));

  Outcome outcome;
  outcome.text = fmt::format(
      "Knowledge distillation: a teacher MLP ({}-{}-{}-{}) trained on {} rows of 5-class "
      "make_classification teaches a student ({}-{}-{}) that sees only {} of them, with the loss "
      "alpha tau^2 KL(teacher_tau || student_tau) + (1 - alpha) CE, alpha = {}. Accuracies are on "
      "{} held-out rows (fractions), entropies in nats (uniform over 5 classes: log 5 = {:.3f}); "
      "means ± std over {} seed{}.\n",
      kFeatures, kTeacherHidden, kTeacherHidden, kClasses, kTrainRows, kFeatures, kStudentHidden,
      kClasses, o.student_rows, o.alpha, kTestRows, ceiling, o.seeds, o.seeds == 1 ? "" : "s");
  outcome.text += fmt::format("teacher accuracy: {:.3f} ± {:.3f}\n", teacher_s.mean, teacher_s.std);
  outcome.text +=
      fmt::format("student on hard labels only: {:.3f} ± {:.3f}\n", hard_s.mean, hard_s.std);
  outcome.text += fmt::format("{:>6} {:>28} {:>20} {:>16}\n", "tau", "soft-label entropy (nats)",
                              "student accuracy", "vs hard labels");
  auto sweep = nlohmann::json::array();
  size_t best = 0;
  std::vector<Summary> distilled_s, entropy_s;
  for (size_t k = 0; k < o.taus.size(); ++k) {
    const auto accuracies = column([k](const Repetition& r) { return r.distilled[k]; });
    const auto entropies = column([k](const Repetition& r) { return r.entropy[k]; });
    distilled_s.push_back(summarise(accuracies));
    entropy_s.push_back(summarise(entropies));
    if (distilled_s[k].mean > distilled_s[best].mean) best = k;
    // Paired by seed: the same data and initial weights, only the loss differs.
    std::vector<double> gains;
    for (size_t i = 0; i < reps.size(); ++i) gains.push_back(accuracies[i] - hard[i]);
    const Summary gain = summarise(gains);
    outcome.text += fmt::format("{:>6g} {:>28.3f} {:>13.3f} ± {:.3f} {:>+9.3f} ± {:.3f}\n",
                                o.taus[k], entropy_s[k].mean, distilled_s[k].mean,
                                distilled_s[k].std, gain.mean + 0.0, gain.std);
    sweep.push_back({{"tau", o.taus[k]},
                     {"soft_label_entropy", summary_json(entropy_s[k], entropies)},
                     {"student_accuracy", summary_json(distilled_s[k], accuracies)},
                     {"gain_over_hard_labels", summary_json(gain, gains)}});
  }

  // Conclusions from the numbers: does entropy rise with tau, and is the best gain larger than
  // the seed-to-seed spread of the gains?
  bool entropy_rises = true;
  for (size_t k = 1; k < o.taus.size(); ++k) {
    if ((o.taus[k] > o.taus[k - 1]) != (entropy_s[k].mean > entropy_s[k - 1].mean)) {
      entropy_rises = false;
    }
  }
  const auto by_tau = std::minmax_element(o.taus.begin(), o.taus.end());
  const size_t lo = static_cast<size_t>(by_tau.first - o.taus.begin());
  const size_t hi = static_cast<size_t>(by_tau.second - o.taus.begin());
  if (o.taus.size() > 1) {
    outcome.text += fmt::format(
        "The teacher's soft labels {} as tau grows: {:.3f} nats at tau = {:g}, {:.3f} at tau = "
        "{:g} (of {:.3f} for uniform){}.\n",
        entropy_rises ? "carry more entropy" : "do not carry steadily more entropy",
        entropy_s[lo].mean, o.taus[lo], entropy_s[hi].mean, o.taus[hi], ceiling,
        entropy_rises ? ", so a higher tau shows the student more of how the teacher ranks the "
                        "wrong classes"
                      : "");
  }
  std::vector<double> best_gains;
  for (const auto& r : reps) best_gains.push_back(r.distilled[best] - r.hard);
  const Summary best_gain = summarise(best_gains);
  const bool clear = reps.size() > 1 && best_gain.mean > 2 * best_gain.std && best_gain.mean > 0;
  outcome.text += fmt::format(
      "Best student: tau = {:g}, {:.3f} held-out accuracy, {:+.3f} over hard labels (seed-to-seed "
      "std of the gain {:.3f}): {}.\n",
      o.taus[best], distilled_s[best].mean, best_gain.mean + 0.0, best_gain.std,
      best_gain.mean <= 0 ? "distillation did not beat the hard labels here"
      : clear             ? "a gain larger than twice its spread over the seeds"
      : reps.size() == 1  ? "one seed gives no spread to judge the gain by"
                          : "within twice its spread over the seeds, so not a clear gain");
  // Seed 2.1: "the teacher uses a high temperature (tau = 4 to 20) to make soft labels".
  const bool in_seed_range = o.taus[best] >= 4 && o.taus[best] <= 20;
  outcome.text += fmt::format(
      "The seed's range for the teacher, tau = 4 to 20: the best tau here, {:g}, is {} it.\n",
      o.taus[best], in_seed_range ? "inside" : "outside");
  if (o.taus.size() > 1 && o.taus[best] == *by_tau.first) {
    outcome.text += "The lowest temperature did best: on this problem softening did not help.\n";
  }

  outcome.json = {{"classes", kClasses},
                  {"train_rows", kTrainRows},
                  {"student_rows", o.student_rows},
                  {"test_rows", kTestRows},
                  {"alpha", o.alpha},
                  {"seeds", o.seeds},
                  {"teacher_accuracy", summary_json(teacher_s, teacher)},
                  {"hard_label_accuracy", summary_json(hard_s, hard)},
                  {"uniform_entropy", ceiling},
                  {"sweep", sweep},
                  {"best_tau", o.taus[best]}};
  if (!o.out.empty()) {
    using Style = plot::Series::Style;
    std::vector<double> entropy_mean, accuracy_mean;
    for (size_t k = 0; k < o.taus.size(); ++k) {
      entropy_mean.push_back(entropy_s[k].mean);
      accuracy_mean.push_back(distilled_s[k].mean);
    }
    const std::vector<double> ends{*by_tau.first, *by_tau.second};
    plot::Figure figure(o.out, /*width=*/1400, /*height=*/550, /*panels=*/2);
    figure.series({{"teacher's soft labels", o.taus, entropy_mean, Style::kMarkers},
                   {"uniform (log 5)", ends, {ceiling, ceiling}, Style::kDashed}},
                  {"Entropy of softmax(teacher / tau)", "temperature tau", "entropy (nats)"});
    figure.series(
        {{"distilled student", o.taus, accuracy_mean, Style::kMarkers},
         {"student, hard labels", ends, {hard_s.mean, hard_s.mean}, Style::kDashed},
         {"teacher", ends, {teacher_s.mean, teacher_s.mean}, Style::kDashed}},
        {"Held-out accuracy against tau", "temperature tau", "accuracy (fraction correct)"});
    figure.save();
    outcome.text += fmt::format("Entropy and accuracy against tau drawn to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand distill_experiment() {
  return make_subcommand<Options>(
      "distill", "Knowledge distillation: the teacher's temperature and the student (seed 2.1)",
      add_options, run);
}

}  // namespace infozoo::apps
