// Helpers shared by the single-process and the distributed InfoNCE (private to infozoo::losses).
#pragma once

#include <ATen/ATen.h>
#include <torch/enum.h>
#include <torch/nn/options/loss.h>

#include <cctype>
#include <string>

namespace infozoo::losses::detail {

/// F.normalize: x / max(||x||, eps) along the last dimension.
inline at::Tensor l2_normalize(const at::Tensor& x) {
  return x / x.norm(2, /*dim=*/-1, /*keepdim=*/true).clamp_min(1e-12);
}

/// "mean", "sum" or "none", as Python's repr spells a reduction.
inline std::string reduction_name(const torch::nn::CrossEntropyLossOptions::reduction_t& reduction) {
  auto name = torch::enumtype::get_enum_name(reduction);  // "kMean"
  name = name.substr(1);
  name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
  return name;
}

}  // namespace infozoo::losses::detail
