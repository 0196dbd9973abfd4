// SPDX-License-Identifier: BSD-3-Clause
// Shape checks shared by scaled_dot_product_attention and MultiHeadAttention (private header).
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <vector>

namespace infozoo::models::detail {

/// Whether a tensor of shape `from` broadcasts to exactly `to` (trailing dimensions aligned).
inline bool broadcasts_to(at::IntArrayRef from, at::IntArrayRef to) {
  if (from.size() > to.size()) return false;
  const auto offset = to.size() - from.size();
  for (size_t i = 0; i < from.size(); ++i) {
    if (from[i] != 1 && from[i] != to[offset + i]) return false;
  }
  return true;
}

/// Writes the broadcast of shapes `a` and `b` to `out`; false when they do not broadcast.
inline bool broadcast_shapes(at::IntArrayRef a, at::IntArrayRef b, std::vector<int64_t>& out) {
  const auto n = std::max(a.size(), b.size());
  out.assign(n, 1);
  for (size_t i = 0; i < n; ++i) {
    const int64_t x = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const int64_t y = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (x != y && x != 1 && y != 1) return false;
    out[i] = x == 1 ? y : x;
  }
  return true;
}

/// A mask `name` must broadcast to the attention scores' shape (..., Lq, Lk) and live on `device`.
inline void check_mask(const at::Tensor& mask, const char* name, at::IntArrayRef scores_shape,
                       const at::Device& device) {
  TORCH_CHECK(broadcasts_to(mask.sizes(), scores_shape), name, " of shape ", mask.sizes(),
              " does not broadcast to the attention scores' shape (..., Lq, Lk) = ", scores_shape);
  TORCH_CHECK(mask.device() == device, name, " must be on the device of Q (", device, "), got ",
              mask.device());
}

}  // namespace infozoo::models::detail
