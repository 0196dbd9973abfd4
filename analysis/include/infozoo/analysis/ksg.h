// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Multivariate k-nearest-neighbour mutual information (Kraskov, Stögbauer & Grassberger 2004,
/// algorithms 1 and 2) and conditional mutual information (Frenzel & Pompe 2007), in nats.
// Both work in the max-norm, on float64 copies of the inputs, parallel over samples with a
// result that does not depend on the thread count (per-sample terms, then an ordered sum).
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>

#include <cstdint>
#include <optional>

namespace infozoo::analysis {

/// Which of Kraskov et al.'s two estimators: 1 counts marginal neighbours strictly inside the
/// joint k-th neighbour distance; 2 counts them inside each marginal's own extent of the k
/// neighbours (less bias, more variance). Example: `KsgOptions().algorithm(KsgAlgorithm::kTwo)`.
enum class KsgAlgorithm {
  kOne = 1,  ///< I = psi(k) + psi(n) - <psi(n_x + 1) + psi(n_y + 1)>
  kTwo = 2   ///< I = psi(k) - 1/k + psi(n) - <psi(n_x) + psi(n_y)>
};

/// Options of `ksg_mutual_info` and `conditional_mutual_info`.
/// Example: `KsgOptions().k(5).algorithm(KsgAlgorithm::kTwo).jitter_seed(0)`.
struct KsgOptions {
  /// Neighbours k in the joint space; 1 <= k < n.
  TORCH_ARG(int64_t, k) = 3;
  /// Algorithm 1 or 2 of Kraskov et al.
  TORCH_ARG(KsgAlgorithm, algorithm) = KsgAlgorithm::kOne;
  /// Divide every column by its standard deviation (ddof 0) first, as scikit-learn's
  /// `scale(with_mean=False)`; a constant column is left as it is.
  TORCH_ARG(bool, standardize) = false;
  /// Add scikit-learn's tie-breaking noise 1e-10 * max(1, mean |column|) * N(0, 1) to every column
  /// (after standardizing), drawn from `np.random.RandomState(seed)`: first X's [n, dx] values in
  /// row-major order, then Y's [n, dy] (then Z's, for conditional MI). Unset: no noise.
  /// With `standardize(true).jitter_seed(s)`, one-column floating-point X and Y give
  /// scikit-learn's `mutual_info_regression(X, y, random_state=s)` before its clipping at 0, bit
  /// for bit (scikit-learn truncates a scaled integer X back to integers; this does not).
  TORCH_ARG(std::optional<int64_t>, jitter_seed) = std::nullopt;
};

/// I(X; Y) in nats by the KSG estimator: `X` [n, dx] and `Y` [n, dy] (or [n] for one column),
/// real, finite, any device (computed on the CPU in float64). Not clipped: a value below 0 means
/// "no detectable dependence" and is left for the caller to read. Parallel over samples; the same
/// bits for any thread count.
/// Example: `ksg_mutual_info(x, y, KsgOptions().k(3))` is about 0.41 for a bivariate normal with
/// rho = 0.75 (true value -0.5 log(1 - 0.75^2) = 0.4133 nats).
double ksg_mutual_info(const at::Tensor& X, const at::Tensor& Y, const KsgOptions& options = {});

/// I(X; Y | Z) in nats by the Frenzel–Pompe estimator (KSG algorithm 1 in the space (X, Y, Z);
/// algorithm 2's form when `options.algorithm()` is kTwo): psi(k) - <psi(n_xz + 1) + psi(n_yz + 1)
/// - psi(n_z + 1)>. `X` [n, dx], `Y` [n, dy], `Z` [n, dz] (or [n]). Not clipped.
/// Example: `conditional_mutual_info(x, y, z)` is about 0 when x and y are independent given z.
double conditional_mutual_info(const at::Tensor& X, const at::Tensor& Y, const at::Tensor& Z,
                               const KsgOptions& options = {});

}  // namespace infozoo::analysis
