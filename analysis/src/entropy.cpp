// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/analysis/entropy.h"

#include <ATen/ATen.h>

#include <cmath>

namespace infozoo::analysis {
namespace {

at::Tensor to_unit(const at::Tensor& nats, InfoUnit unit) {
  return unit == InfoUnit::kBits ? nats / std::log(2.0) : nats;
}

void check_probabilities(const at::Tensor& t, const char* name) {
  TORCH_CHECK(t.defined() && t.dim() >= 1 && t.numel() > 0, name,
              " must be a non-empty tensor of probabilities with at least one dimension, got ",
              t.defined() ? t.sizes() : at::IntArrayRef{});
  TORCH_CHECK(t.is_floating_point(), name, " must be floating point, got ", t.scalar_type());
  // A negative "probability" would make log NaN out of finite input; NaN input stays NaN.
  const auto negative = t.lt(0);
  if (negative.any().item<bool>()) {
    const int64_t at_index = negative.reshape(-1).nonzero()[0][0].item<int64_t>();
    TORCH_CHECK(false, name, " must hold probabilities >= 0, got ",
                t.reshape(-1)[at_index].item<double>(), " at flat index ", at_index);
  }
}

}  // namespace

at::Tensor entropy(const at::Tensor& probs, InfoUnit unit) {
  check_probabilities(probs, "probs");
  // xlogy(p, p) is 0 at p = 0, the limit of p log p, where p * log(p) would give NaN.
  return to_unit(-at::xlogy(probs, probs).sum(-1), unit);
}

at::Tensor label_entropy(const at::Tensor& labels) {
  TORCH_CHECK(labels.dim() == 1 && labels.numel() > 0,
              "labels must be a non-empty 1-D tensor, got shape ", labels.sizes());
  auto [values, inverse, counts] = at::_unique2(labels, /*sorted=*/true, /*return_inverse=*/false,
                                                /*return_counts=*/true);
  const auto probs = counts.to(at::kDouble) / static_cast<double>(labels.numel());
  return -(probs * at::log2(probs + 1e-10)).sum();
}

double information_gain(const at::Tensor& y, const at::Tensor& x_feature,
                        std::optional<double> threshold) {
  TORCH_CHECK(y.dim() == 1 && x_feature.dim() == 1, "y and x_feature must be 1-D, got y ",
              y.sizes(), " and x_feature ", x_feature.sizes());
  TORCH_CHECK(y.size(0) == x_feature.size(0),
              "y and x_feature must have the same length, got y of length ", y.size(0),
              " and x_feature of length ", x_feature.size(0));
  TORCH_CHECK(y.numel() > 0, "y must not be empty");
  TORCH_CHECK(y.device() == x_feature.device(), "y and x_feature must be on the same device, got ",
              y.device(), " and ", x_feature.device());
  const auto mask = threshold ? x_feature.le(*threshold) : x_feature.ne(0);
  const auto n = static_cast<double>(y.size(0));
  const auto n_left = mask.sum().item<int64_t>();
  const auto n_right = y.size(0) - n_left;
  if (n_left == 0 || n_right == 0) {
    return 0.0;
  }
  const auto parent = label_entropy(y).item<double>();
  const auto child =
      (n_left / n) * label_entropy(y.masked_select(mask)).item<double>() +
      (n_right / n) * label_entropy(y.masked_select(mask.logical_not())).item<double>();
  return parent - child;
}

at::Tensor kl_divergence(const at::Tensor& p, const at::Tensor& q, InfoUnit unit) {
  check_probabilities(p, "p");
  check_probabilities(q, "q");
  TORCH_CHECK(p.sizes() == q.sizes(), "p and q must have the same shape, got p ", p.sizes(),
              " and q ", q.sizes());
  TORCH_CHECK(p.device() == q.device(), "p and q must be on the same device, got p on ", p.device(),
              " and q on ", q.device());
  // xlogy handles p = 0; p log q with q = 0 < p is -inf, so the divergence is +inf as it should be.
  return to_unit((at::xlogy(p, p) - at::xlogy(p, q)).sum(-1), unit);
}

}  // namespace infozoo::analysis
