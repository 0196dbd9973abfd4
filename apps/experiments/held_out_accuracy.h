// SPDX-License-Identifier: BSD-3-Clause
// How good a set of features is, judged as a practitioner would: the held-out accuracy of a
// logistic regression trained on those columns alone.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace infozoo::apps {

/// How the data are split and the model is fit, for the one line of text that says so.
inline constexpr double kTrainFraction = 0.7;

/// Trains a multinomial logistic regression (float64, L-BFGS with strong-Wolfe line search, up to
/// 200 iterations; L2 penalty 0.5 |W|^2 on the summed log-loss, scikit-learn's default C = 1) on
/// the first 70% of the rows of X[:, columns], standardised with the training rows' mean and
/// standard deviation, and returns its accuracy on the other 30% (in [0, 1]). Rows of
/// make_classification are already in random order, so the split is a random one. Deterministic:
/// runs on one intra-op thread.
double held_out_accuracy(const at::Tensor& X, const at::Tensor& y,
                         const std::vector<int64_t>& columns);

}  // namespace infozoo::apps
