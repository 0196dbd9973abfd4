// SPDX-License-Identifier: BSD-3-Clause
// Helpers shared by the losses (InfoNCE, distributed InfoNCE, distillation); private to
// infozoo::losses.
#pragma once

#include <ATen/ATen.h>
#include <torch/enum.h>
#include <torch/nn/options/loss.h>

#include <cctype>
#include <cmath>
#include <string>

namespace infozoo::losses::detail {

/// temperature > 0 and finite.
inline void check_temperature(double temperature) {
  TORCH_CHECK(temperature > 0.0 && std::isfinite(temperature),
              "temperature must be positive and finite, got ", temperature);
}

/// query [B, D] with B, D >= 1, floating point; positive of the same shape, dtype and device.
inline void check_query_positive(const at::Tensor& query, const at::Tensor& positive) {
  TORCH_CHECK(query.defined() && query.dim() == 2, "query must be [B, D], got shape ",
              query.defined() ? query.sizes() : at::IntArrayRef{});
  TORCH_CHECK(query.size(0) >= 1 && query.size(1) >= 1,
              "query must hold at least one non-empty row, got shape ", query.sizes());
  TORCH_CHECK(query.is_floating_point(), "query must be floating point, got ", query.scalar_type());
  TORCH_CHECK(positive.defined() && positive.sizes() == query.sizes(),
              "positive must have query's shape [B, D] = ", query.sizes(), ", got ",
              positive.defined() ? positive.sizes() : at::IntArrayRef{});
  TORCH_CHECK(positive.scalar_type() == query.scalar_type() && positive.device() == query.device(),
              "positive must have query's dtype and device (", query.scalar_type(), ", ",
              query.device(), "), got ", positive.scalar_type(), ", ", positive.device());
}

/// F.normalize: x / max(||x||, eps) along the last dimension.
inline at::Tensor l2_normalize(const at::Tensor& x) {
  return x / x.norm(2, /*dim=*/-1, /*keepdim=*/true).clamp_min(1e-12);
}

/// "mean", "sum" or "none", as Python's repr spells a reduction.
inline std::string reduction_name(
    const torch::nn::CrossEntropyLossOptions::reduction_t& reduction) {
  auto name = torch::enumtype::get_enum_name(reduction);  // "kMean"
  name = name.substr(1);
  name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
  return name;
}

/// Per-sample `losses` [B] reduced as `reduction` (an at::Reduction) asks: as they are, summed,
/// or averaged.
inline at::Tensor reduce(const at::Tensor& losses, int64_t reduction) {
  switch (reduction) {
    case at::Reduction::None:
      return losses;
    case at::Reduction::Sum:
      return losses.sum();
    default:
      return losses.mean();
  }
}

}  // namespace infozoo::losses::detail
