// SPDX-License-Identifier: BSD-3-Clause
// `infozoo calculus`: the seed's matrix-calculus table (5.1) checked row by row against autograd,
// and its inequalities (5.2: Jensen, Cauchy-Schwarz, KL >= 0) checked on random inputs, in float64.
// There is no reference section: the seed states these without code.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/csrc/autograd/autograd.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "infozoo/analysis/entropy.h"
#include "infozoo/analysis/matrix_calculus.h"
#include "infozoo/analysis/softmax.h"

namespace infozoo::apps {
namespace {

constexpr int kTrials = 100;      // random draws per row
constexpr int64_t kMaxDim = 8;    // matrix sides drawn from 2 .. kMaxDim
constexpr int64_t kSamples = 50;  // samples of X (and Y) per expectation in 5.2
// A row agrees with autograd below this: float64 rounding on entries of size ~10 is ~1e-14.
constexpr double kAgrees = 1e-10;

// Draws on the CPU from one seeded generator, then moves to the device: the same numbers on any
// device and for any thread count.
class Draws {
 public:
  Draws(uint64_t seed, c10::Device device)
      : gen_(at::detail::createCPUGenerator(seed)), device_(device) {}

  at::Tensor normal(at::IntArrayRef shape, bool requires_grad = false) {
    auto t = at::randn(shape, gen_, at::TensorOptions().dtype(at::kDouble)).to(device_);
    return requires_grad ? t.requires_grad_(true) : t;
  }
  int64_t side() { return at::randint(2, kMaxDim + 1, {1}, gen_, at::kLong).item<int64_t>(); }

 private:
  at::Generator gen_;
  c10::Device device_;
};

at::Tensor grad_of(const at::Tensor& loss, const at::Tensor& variable) {
  return torch::autograd::grad({loss}, {variable})[0];
}

double max_abs_diff(const at::Tensor& a, const at::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

struct Row {
  std::string key;
  std::string label;
  std::function<double(Draws&)> error;  // |closed form - autograd|, max over one draw's entries
};

std::vector<Row> table_rows() {
  return {
      {"linear_dx", "z = Ax:            dL/dx = A^T dL/dz",
       [](Draws& d) {
         const auto m = d.side(), n = d.side();
         const auto A = d.normal({m, n}), g = d.normal({m}), x = d.normal({n}, true);
         // L = <g, A x> has dL/dz = g, the upstream gradient of the table's first row.
         return max_abs_diff(grad_of((g * A.mv(x)).sum(), x), analysis::linear_input_grad(A, g));
       }},
      {"linear_dA", "z = Ax:            dL/dA = dL/dz x^T",
       [](Draws& d) {
         const auto m = d.side(), n = d.side();
         const auto A = d.normal({m, n}, true), g = d.normal({m}), x = d.normal({n});
         return max_abs_diff(grad_of((g * A.mv(x)).sum(), A), analysis::linear_weight_grad(g, x));
       }},
      {"quadratic_form", "d/dx x^T A x      = (A + A^T) x",
       [](Draws& d) {
         const auto n = d.side();
         const auto A = d.normal({n, n}), x = d.normal({n}, true);
         return max_abs_diff(grad_of(x.dot(A.mv(x)), x), analysis::quadratic_form_grad(A, x));
       }},
      {"trace", "d/dX tr(AXB)      = A^T B^T",
       [](Draws& d) {
         const auto p = d.side(), q = d.side(), r = d.side();
         const auto A = d.normal({p, q}), X = d.normal({q, r}, true), B = d.normal({r, p});
         return max_abs_diff(grad_of(A.mm(X).mm(B).trace(), X), analysis::trace_product_grad(A, B));
       }},
      {"least_squares", "d/dx ||Ax - b||^2 = 2 A^T (Ax - b)",
       [](Draws& d) {
         const auto m = d.side(), n = d.side();
         const auto A = d.normal({m, n}), x = d.normal({n}, true), b = d.normal({m});
         return max_abs_diff(grad_of((A.mv(x) - b).pow(2).sum(), x),
                             analysis::least_squares_grad(A, x, b));
       }},
      {"softmax_cross_entropy", "d/dz CE(softmax(z), y) = softmax(z) - y",
       [](Draws& d) {
         const auto classes = d.side();
         const auto z = d.normal({classes}, true);
         // A one-hot label on a class drawn uniformly (the argmax of i.i.d. normals).
         const auto label = d.normal({classes}).argmax();
         const auto y = at::one_hot(label, classes).to(z.scalar_type());
         return max_abs_diff(grad_of(-(y * z.log_softmax(-1)).sum(), z),
                             analysis::softmax_cross_entropy_grad(z.detach(), y));
       }},
  };
}

// One inequality lhs <= rhs: the slack rhs - lhs over random draws (violated where negative),
// and the error of its equality case (which should be 0 up to rounding).
struct Inequality {
  std::string key;
  std::string label;
  std::function<std::pair<double, double>(Draws&)> lhs_rhs;
  std::function<double(Draws&)> equality_error;
  std::string equality_label;
};

std::vector<Inequality> inequalities() {
  return {
      {"jensen", "Jensen (f = exp, x^2): f(E[X]) <= E[f(X)]",
       [](Draws& d) {
         const auto x = d.normal({kSamples});
         const std::pair<double, double> exp{x.mean().exp().item<double>(),
                                             x.exp().mean().item<double>()};
         const std::pair<double, double> sq{x.mean().pow(2).item<double>(),
                                            x.pow(2).mean().item<double>()};
         // Both convex functions on the same draw; the one with less slack is reported.
         return exp.second - exp.first < sq.second - sq.first ? exp : sq;
       },
       [](Draws& d) {
         const auto x = d.normal({1}).expand({kSamples});  // a constant X: equality
         return (x.exp().mean() - x.mean().exp()).abs().item<double>();
       },
       "X constant"},
      {"cauchy_schwarz", "Cauchy-Schwarz: |E[XY]|^2 <= E[X^2] E[Y^2]",
       [](Draws& d) {
         const auto x = d.normal({kSamples}), y = d.normal({kSamples});
         return std::pair{(x * y).mean().pow(2).item<double>(),
                          (x.pow(2).mean() * y.pow(2).mean()).item<double>()};
       },
       [](Draws& d) {
         const auto x = d.normal({kSamples});
         const auto y = 3 * x;  // Y proportional to X: equality
         const auto lhs = (x * y).mean().pow(2), rhs = x.pow(2).mean() * y.pow(2).mean();
         return ((lhs - rhs).abs() / rhs).item<double>();
       },
       "Y = 3X (relative)"},
      {"kl_nonnegative", "Information inequality: D_KL(P||Q) >= 0",
       [](Draws& d) {
         const auto n = d.side();
         const auto p = analysis::stable_softmax(d.normal({n})),
                    q = analysis::stable_softmax(d.normal({n}));
         return std::pair{0.0, analysis::kl_divergence(p, q).item<double>()};
       },
       [](Draws& d) {
         const auto p = analysis::stable_softmax(d.normal({d.side()}));  // P = Q: equality
         return analysis::kl_divergence(p, p).abs().item<double>();
       },
       "P = Q"},
  };
}

Outcome run(const RunContext& context, const SeedOptions& o) {
  Draws draws(static_cast<uint64_t>(o.seed), context.device);
  Outcome outcome;
  outcome.text = fmt::format(
      "Matrix calculus (seed 5.1): closed form vs autograd, float64, {} random draws per row\n",
      kTrials);
  nlohmann::json table = nlohmann::json::object();
  std::vector<std::string> wrong_rows;
  double worst_row = 0;
  for (const auto& row : table_rows()) {
    double worst = 0;
    for (int i = 0; i < kTrials; ++i) worst = std::max(worst, row.error(draws));
    table[row.key] = worst;
    worst_row = std::max(worst_row, worst);
    if (!(worst < kAgrees)) wrong_rows.push_back(row.key);
    outcome.text += fmt::format("  {:<40} max |error| = {:.3e}\n", row.label, worst);
  }

  outcome.text += fmt::format(
      "Inequalities (seed 5.2), lhs <= rhs on {} random draws: largest violation max(0, lhs - "
      "rhs),\n"
      "smallest slack rhs - lhs, and the error of the equality case\n",
      kTrials);
  nlohmann::json checks = nlohmann::json::object();
  std::vector<std::string> violated;
  for (const auto& inequality : inequalities()) {
    double violation = 0, min_slack = std::numeric_limits<double>::infinity(), equality = 0;
    for (int i = 0; i < kTrials; ++i) {
      const auto [lhs, rhs] = inequality.lhs_rhs(draws);
      violation = std::max(violation, lhs - rhs);
      min_slack = std::min(min_slack, rhs - lhs);
      equality = std::max(equality, inequality.equality_error(draws));
    }
    if (violation > 0) violated.push_back(inequality.key);
    checks[inequality.key] = {
        {"max_violation", violation}, {"min_slack", min_slack}, {"equality_error", equality}};
    outcome.text +=
        fmt::format("  {:<42}  violation {:.3e}, min slack {:.3e}, equality ({}) error {:.3e}\n",
                    inequality.label, violation, min_slack, inequality.equality_label, equality);
  }
  outcome.text += wrong_rows.empty()
                      ? fmt::format(
                            "Every closed form agrees with autograd to float64 rounding (largest "
                            "error {:.1e} < {:.0e})",
                            worst_row, kAgrees)
                      : fmt::format("Rows that disagree with autograd by more than {:.0e}: {}",
                                    kAgrees, fmt::join(wrong_rows, ", "));
  outcome.text += violated.empty()
                      ? fmt::format("; no inequality was violated in {} draws each.\n", kTrials)
                      : fmt::format("; violated on some draw: {}.\n", fmt::join(violated, ", "));
  outcome.json = {{"trials", kTrials}, {"matrix_calculus", table}, {"inequalities", checks}};
  return outcome;
}

}  // namespace

Subcommand calculus_experiment() {
  return make_subcommand<SeedOptions>(
      "calculus", "Matrix-calculus table and inequalities checked against autograd (seed 5)",
      add_seed_options, run);
}

}  // namespace infozoo::apps
