// SPDX-License-Identifier: BSD-3-Clause
// InfoNCE and NWJ lower bounds on I(x; y) from a critic's [B, B] score matrix, as Poole et al.
// (2019, "On Variational Bounds of Mutual Information", eqs. 12 and 9) and their reference code
// (`infonce_lower_bound`, `nwj_lower_bound` = `tuba_lower_bound(scores - 1)`) write them. ATen
// ops only: any floating dtype, any device, differentiable, no host synchronisation.
#include "infozoo/losses/mi_bounds.h"

#include <ATen/ATen.h>

#include <cmath>

namespace infozoo::losses {
namespace {

// scores [B, B], B >= 2 (a positive and at least one negative per row), floating point.
void check_scores(const at::Tensor& scores) {
  TORCH_CHECK(scores.defined() && scores.dim() == 2 && scores.size(0) == scores.size(1),
              "scores must be a square [B, B] matrix (scores[i][j] = f(x_i, y_j)), got shape ",
              scores.defined() ? scores.sizes() : at::IntArrayRef{});
  TORCH_CHECK(scores.size(0) >= 2,
              "scores must be [B, B] with B >= 2 (each positive needs a negative), got shape ",
              scores.sizes());
  TORCH_CHECK(scores.is_floating_point(), "scores must be floating point, got ",
              scores.scalar_type());
}

}  // namespace

InfoNCEEstimate infonce_mi_estimate(double loss, int64_t num_negatives) {
  TORCH_CHECK(num_negatives >= 1, "num_negatives must be >= 1 (K negatives per positive), got ",
              num_negatives);
  TORCH_CHECK(std::isfinite(loss) && loss >= 0,
              "loss must be a finite InfoNCE loss >= 0 (nats, a mean cross-entropy), got ", loss);
  InfoNCEEstimate e;
  e.ceiling = std::log(static_cast<double>(num_negatives) + 1.0);
  e.estimate = e.ceiling - loss;
  e.at_ceiling = e.estimate >= 0.95 * e.ceiling;
  return e;
}

at::Tensor infonce_lower_bound(const at::Tensor& scores) {
  check_scores(scores);
  const int64_t B = scores.size(0);
  // log_softmax subtracts each row's maximum before exponentiating, so large scores (a sharp
  // critic at high MI) cannot overflow; the diagonal is each row's positive.
  const auto log_probs = at::log_softmax(scores, /*dim=*/1);  // (B, B)
  return std::log(static_cast<double>(B)) + log_probs.diagonal().mean();
}

at::Tensor nwj_lower_bound(const at::Tensor& scores) {
  check_scores(scores);
  const int64_t B = scores.size(0);
  // The B (B - 1) off-diagonal entries as a view, without a mask: in row-major order the diagonal
  // sits every B + 1 entries, so dropping the first entry and reading rows of B + 1 puts each
  // diagonal entry last in its row.
  const auto off_diagonal =
      scores.reshape({-1}).slice(0, 1).view({B - 1, B + 1}).slice(1, 0, B);  // (B - 1, B)
  // e^-1 mean exp(s_ij) = exp(m - 1) mean exp(s_ij - m) with m the off-diagonal maximum (a
  // constant to autograd): no exp can overflow where the mean itself is finite, and a positive
  // far above every negative (a sharp critic) cannot swamp the sum. m = 0 when it is infinite.
  auto m = off_diagonal.detach().amax();
  m = m.masked_fill(m.isinf(), 0);
  const double log_pairs = std::log(static_cast<double>(B) * static_cast<double>(B - 1));
  const auto marginal = at::exp(m - (log_pairs + 1.0)) * at::exp(off_diagonal - m).sum();
  return scores.diagonal().mean() - marginal;
}

}  // namespace infozoo::losses
