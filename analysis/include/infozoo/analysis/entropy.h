// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Entropy, information gain and KL divergence (seed sections 1.2 and 5.2).
/// Shannon (1948); information gain as the decision-tree split criterion IG(Y, X) = H(Y) - H(Y|X).
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>

namespace infozoo::analysis {

/// Units of an information quantity: log base 2 (bits) or base e (nats).
/// Example: `entropy(p, InfoUnit::kNats)`.
enum class InfoUnit {
  kBits,  ///< log base 2
  kNats   ///< natural log
};

/// Entropy -sum p log p of the probability vectors along the last dimension of `probs`, in
/// `unit`; terms with p = 0 contribute 0 (the limit), so zero probabilities are safe.
/// Example: `entropy(torch::tensor({0.5, 0.5}))` is 1 bit.
at::Tensor entropy(const at::Tensor& probs, InfoUnit unit = InfoUnit::kBits);

/// The seed's `entropy(labels)`: empirical entropy of a 1-D label tensor, in bits, with the
/// seed's `log2(p + 1e-10)` so values match the Python to the last digit. Returns a float64 scalar.
/// Example: `label_entropy(torch::tensor({0, 0, 1, 1}))` is 1 bit (to about 1e-10).
at::Tensor label_entropy(const at::Tensor& labels);

/// The seed's `information_gain(y, x_feature, threshold)`, in bits: H(y) minus the weighted
/// entropy of the two sides of the split `x <= threshold` (or `x != 0` without a threshold).
/// Returns 0 when a side is empty, as the seed does. `y` and `x_feature` are 1-D, same length.
/// Example: `information_gain(y, x_good)` is 1.0 bit for the seed's perfect split.
double information_gain(const at::Tensor& y, const at::Tensor& x_feature,
                        std::optional<double> threshold = std::nullopt);

/// KL divergence D(p || q) = sum p log(p / q) along the last dimension, in `unit`; terms with
/// p = 0 contribute 0, and p > 0 where q = 0 gives +inf (the divergence is infinite there).
/// Example: `kl_divergence(torch::tensor({0.5, 0.5}), torch::tensor({0.25, 0.75}),
/// InfoUnit::kBits)` is 0.2075 bits.
at::Tensor kl_divergence(const at::Tensor& p, const at::Tensor& q, InfoUnit unit = InfoUnit::kNats);

}  // namespace infozoo::analysis
