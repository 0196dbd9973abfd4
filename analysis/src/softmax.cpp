// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/analysis/softmax.h"

#include <ATen/ATen.h>

namespace infozoo::analysis {
namespace {

void check_logits(const at::Tensor& z, const char* name) {
  TORCH_CHECK(z.defined() && z.dim() >= 1, name,
              " must be a tensor with at least one dimension, got ",
              z.defined() ? z.sizes() : at::IntArrayRef{});
  TORCH_CHECK(z.is_floating_point(), name, " must be floating point, got ", z.scalar_type());
}

void check_temperature(double temperature) {
  // `!(t > 0)` also rejects NaN.
  TORCH_CHECK(temperature > 0, "temperature must be > 0, got ", temperature);
}

void check_dim(const at::Tensor& z, int64_t dim) {
  TORCH_CHECK(dim >= -z.dim() && dim < z.dim(), "dim must be in [", -z.dim(), ", ", z.dim(),
              ") for z of shape ", z.sizes(), ", got ", dim);
  TORCH_CHECK(z.size(dim) > 0, "z must not be empty along dim ", dim, ", got shape ", z.sizes());
}

}  // namespace

at::Tensor softmax(const at::Tensor& z, double temperature, int64_t dim) {
  check_logits(z, "z");
  check_temperature(temperature);
  check_dim(z, dim);
  const auto e = at::exp(z / temperature);
  return e / e.sum(dim, /*keepdim=*/true);
}

at::Tensor stable_softmax(const at::Tensor& z, double temperature, int64_t dim) {
  check_logits(z, "z");
  check_temperature(temperature);
  check_dim(z, dim);
  auto scaled = z / temperature;
  // exp(z - max z) <= 1 cannot overflow, and the common factor exp(-max z) cancels.
  scaled = scaled - std::get<0>(scaled.max(dim, /*keepdim=*/true));
  const auto e = at::exp(scaled);
  return e / e.sum(dim, /*keepdim=*/true);
}

at::Tensor softmax_jacobian(const at::Tensor& z) {
  check_logits(z, "z");
  check_dim(z, -1);
  const auto s = stable_softmax(z);
  // diag(s) - s s^T, batched: (..., n, 1) * (..., 1, n) -> (..., n, n)
  return at::diag_embed(s) - s.unsqueeze(-1) * s.unsqueeze(-2);
}

at::Tensor softmax_jvp(const at::Tensor& z, const at::Tensor& v) {
  check_logits(z, "z");
  check_dim(z, -1);
  TORCH_CHECK(v.defined() && v.sizes() == z.sizes(), "v must have the shape of z ", z.sizes(),
              ", got ", v.defined() ? v.sizes() : at::IntArrayRef{});
  TORCH_CHECK(v.device() == z.device(), "v must be on the device of z (", z.device(), "), got ",
              v.device());
  const auto s = stable_softmax(z);
  // J v = diag(s) v - s (s^T v); J is symmetric, so this is also the vector-Jacobian product.
  return s * (v - (s * v).sum(-1, /*keepdim=*/true));
}

}  // namespace infozoo::analysis
