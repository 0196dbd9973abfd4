// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Kozachenko–Leonenko k-nearest-neighbour estimate of differential entropy, in nats.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>

#include <cstdint>
#include <optional>

namespace infozoo::analysis {

/// Options of `kl_entropy`. Example: `KlEntropyOptions().k(3).jitter_seed(0)`.
struct KlEntropyOptions {
  /// Neighbours k; 1 <= k < n.
  TORCH_ARG(int64_t, k) = 3;
  /// Tie-breaking noise as `KsgOptions::jitter_seed` (1e-10 * max(1, mean |column|) * N(0, 1)).
  TORCH_ARG(std::optional<int64_t>, jitter_seed) = std::nullopt;
};

/// h(X) in nats, Kozachenko & Leonenko (1987) in the max-norm form of Kraskov et al. (2004, eq.
/// 20): psi(n) - psi(k) + d log 2 + d mean_i(log eps_i), eps_i the distance from x_i to its k-th
/// neighbour (the max-norm ball of radius eps has volume (2 eps)^d). `X` [n, d] (or [n]), real,
/// finite. Duplicate points (eps_i = 0) are an error unless jitter separates them.
/// Example: `kl_entropy(torch::randn({5000, 2}, torch::kDouble))` is about log(2 pi e) = 2.838.
double kl_entropy(const at::Tensor& X, const KlEntropyOptions& options = {});

}  // namespace infozoo::analysis
