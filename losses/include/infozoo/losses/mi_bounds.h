// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Variational lower bounds on mutual information from critic scores: InfoNCE (van den Oord et
/// al. 2018) and NWJ (Nguyen, Wainwright & Jordan 2010), in nats, as Poole et al. (2019) write
/// them.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace infozoo::losses {

/// What an InfoNCE loss says about I(x; x+): the estimate log(K + 1) - L, its ceiling log(K + 1)
/// (no InfoNCE estimate can exceed it, whatever the true MI), and whether it sits there.
/// Example: `auto e = infonce_mi_estimate(loss.item<double>(), 255); e.at_ceiling`.
struct InfoNCEEstimate {
  double estimate = 0;  ///< log(K + 1) - L, nats
  double ceiling = 0;   ///< log(K + 1), nats
  bool at_ceiling =
      false;  ///< estimate within 5% of the ceiling: the bound, not the data, limits it
};

/// The InfoNCE MI estimate from a mean loss `loss` (nats) over `num_negatives` K negatives per
/// positive (K + 1 candidates). `num_negatives` >= 1, `loss` finite and >= 0.
/// Example: `infonce_mi_estimate(std::log(256.0) - 3.0, 255).estimate` is 3.0.
InfoNCEEstimate infonce_mi_estimate(double loss, int64_t num_negatives);

/// The InfoNCE lower bound from a critic's score matrix `scores` [B, B] (scores[i][j] = f(x_i,
/// y_j), positives on the diagonal, the other columns of a row its B - 1 negatives): log B - mean_i
/// CE(scores[i], i), nats, a 0-dim tensor with autograd (maximise it to train the critic).
/// Example: `infonce_lower_bound(fx.matmul(gy.t()))`.
at::Tensor infonce_lower_bound(const at::Tensor& scores);

/// The NWJ lower bound from the same score matrix: mean of the diagonal - e^-1 mean over the
/// off-diagonal entries of exp(scores) (Poole et al.'s I_NWJ with f - 1 as the critic's shift).
/// Unbounded above (unlike InfoNCE) and with high variance at large MI. Nats, 0-dim, autograd.
/// Example: `nwj_lower_bound(fx.matmul(gy.t()))`.
at::Tensor nwj_lower_bound(const at::Tensor& scores);

}  // namespace infozoo::losses
