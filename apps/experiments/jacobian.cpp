// SPDX-License-Identifier: BSD-3-Clause
// `infozoo jacobian`: The softmax Jacobian diag(s) - s s^T at z = [2, 1, 0.5] (seed 2.3).
#include <ATen/ATen.h>
#include <fmt/format.h>
#include <torch/csrc/autograd/autograd.h>

#include <vector>

#include "experiments/catalog.h"
#include "infozoo/analysis/softmax.h"
#include "output/numpy_format.h"
#include "output/to_doubles.h"

namespace infozoo::apps {
namespace {

// d stable_softmax(z)_i / d z_j by reverse-mode autograd, one row per output.
at::Tensor autograd_jacobian(const at::Tensor& z) {
  auto x = z.detach().clone().set_requires_grad(true);
  const auto s = analysis::stable_softmax(x);
  std::vector<at::Tensor> rows;
  for (int64_t i = 0; i < s.numel(); ++i) {
    rows.push_back(torch::autograd::grad({s[i]}, {x}, {}, /*retain_graph=*/true)[0]);
  }
  return at::stack(rows);
}

Outcome run(const RunContext&) {
  const auto z = at::tensor({2.0, 1.0, 0.5}, at::kDouble);
  const auto s = analysis::stable_softmax(z);
  const auto jacobian = analysis::softmax_jacobian(z);  // (3, 3)
  auto rows = nlohmann::json::array();
  for (int64_t i = 0; i < jacobian.size(0); ++i) rows.push_back(to_doubles(jacobian[i]));
  Outcome outcome;
  outcome.json = {{"softmax", to_doubles(s)}, {"jacobian", rows}};
  outcome.text = fmt::format("Softmax: {}\n", numpy_array_str(s)) +
                 fmt::format("Jacobian matrix:\n{}\n", numpy_array_str(numpy_round(jacobian, 4)));

  // The reading: the structure of J, measured, and autograd's Jacobian beside the closed form.
  const double row_sum = jacobian.sum(1).abs().max().item<double>();
  const double asymmetry = (jacobian - jacobian.t()).abs().max().item<double>();
  const auto off_diagonal = jacobian - at::diag(at::diag(jacobian));
  const bool signs =
      (at::diag(jacobian) > 0).all().item<bool>() && (off_diagonal <= 0).all().item<bool>();
  const double autograd_error = (autograd_jacobian(z) - jacobian).abs().max().item<double>();
  outcome.json["autograd_max_abs_error"] = autograd_error;
  outcome.text += fmt::format(
      "\nJ[i][j] = d softmax_i / d z_j = s_i (delta_ij - s_j), for z = [2, 1, 0.5] (probability "
      "per unit of logit). {}. Each row sums to 0 to {:.1e}: the probabilities still sum to 1 "
      "after any change of z. J is symmetric to {:.1e}. autograd's Jacobian of stable_softmax "
      "agrees with this closed form to {:.1e}{}.\n",
      signs ? "The diagonal s_i (1 - s_i) is positive and the rest -s_i s_j negative: raising "
              "one logit takes probability from every other class"
            : "The signs are not those of diag(s) - s s^T",
      row_sum, asymmetry, autograd_error,
      autograd_error < 1e-12 ? " (float64 rounding)" : ", more than float64 rounding");
  return outcome;
}

}  // namespace

Subcommand jacobian_experiment() {
  return make_subcommand("jacobian",
                         "The softmax Jacobian diag(s) - s s^T at z = [2, 1, 0.5] (seed 2.3)", run);
}

}  // namespace infozoo::apps
