// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/models/attention.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>
#include <vector>

#include "attention_checks.h"

namespace infozoo::models {
namespace {

void check_operand(const at::Tensor& t, const char* name, const char* layout) {
  TORCH_CHECK(t.defined(), name, " must be a defined tensor ", layout);
  TORCH_CHECK(t.dim() >= 2, name, " must have at least 2 dimensions ", layout, ", got shape ",
              t.sizes());
  TORCH_CHECK(t.is_floating_point(), name, " must be floating point, got ", t.scalar_type());
}

// Checks the operands and returns the scores' shape (..., Lq, Lk).
std::vector<int64_t> check_inputs(const at::Tensor& Q, const at::Tensor& K, const at::Tensor& V,
                                  const AttentionOptions& options) {
  check_operand(Q, "Q", "(..., Lq, dk)");
  check_operand(K, "K", "(..., Lk, dk)");
  check_operand(V, "V", "(..., Lk, dv)");
  TORCH_CHECK(Q.scalar_type() == K.scalar_type() && Q.scalar_type() == V.scalar_type(),
              "Q, K and V must have the same dtype, got ", Q.scalar_type(), ", ", K.scalar_type(),
              " and ", V.scalar_type());
  TORCH_CHECK(Q.device() == K.device() && Q.device() == V.device(),
              "Q, K and V must be on the same device, got ", Q.device(), ", ", K.device(), " and ",
              V.device());
  TORCH_CHECK(Q.size(-1) == K.size(-1), "Q and K must have the same feature size dk, got Q ",
              Q.sizes(), " and K ", K.sizes());
  TORCH_CHECK(K.size(-2) == V.size(-2), "K and V must have the same number of keys Lk, got K ",
              K.sizes(), " and V ", V.sizes());
  TORCH_CHECK(K.size(-2) >= 1, "K must hold at least one key (Lk >= 1), got K ", K.sizes());
  std::vector<int64_t> batch;
  TORCH_CHECK(detail::broadcast_shapes(Q.sizes().slice(0, Q.dim() - 2),
                                       K.sizes().slice(0, K.dim() - 2), batch) &&
                  detail::broadcast_shapes(batch, V.sizes().slice(0, V.dim() - 2), batch),
              "the leading (batch, head) dimensions of Q, K and V must broadcast, got Q ",
              Q.sizes(), ", K ", K.sizes(), " and V ", V.sizes());
  auto scores_shape = batch;
  scores_shape.push_back(Q.size(-2));
  scores_shape.push_back(K.size(-2));

  if (options.mask().defined()) {
    detail::check_mask(options.mask(), "mask", scores_shape, Q.device());
  }
  if (options.additive_mask().defined()) {
    TORCH_CHECK(options.additive_mask().is_floating_point(),
                "additive_mask must be floating point (use mask() for a boolean keep-mask), got ",
                options.additive_mask().scalar_type());
    detail::check_mask(options.additive_mask(), "additive_mask", scores_shape, Q.device());
  }
  if (options.scale()) {
    TORCH_CHECK(std::isfinite(*options.scale()), "scale must be finite, got ", *options.scale());
  }
  TORCH_CHECK(options.dropout() >= 0.0 && options.dropout() < 1.0,
              "dropout must be in [0, 1), got ", options.dropout());
  return scores_shape;
}

}  // namespace

AttentionOutput scaled_dot_product_attention(const at::Tensor& Q, const at::Tensor& K,
                                             const at::Tensor& V, const AttentionOptions& options) {
  check_inputs(Q, K, V, options);
  const int64_t dk = Q.size(-1);
  const int64_t Lq = Q.size(-2);
  const int64_t Lk = K.size(-2);
  constexpr double kMinusInf = -std::numeric_limits<double>::infinity();

  auto scores = at::matmul(Q, K.transpose(-2, -1));  // (..., Lq, Lk)
  // The seed divides by sqrt(dk); dividing (not multiplying by the reciprocal) keeps its bits.
  scores =
      options.scale() ? scores * *options.scale() : scores / std::sqrt(static_cast<double>(dk));

  at::Tensor excluded;  // true where a key takes no part
  if (options.mask().defined()) {
    excluded = options.mask().eq(0);
  }
  if (options.is_causal()) {
    const auto future = at::ones({Lq, Lk}, Q.options().dtype(at::kBool)).triu(/*diagonal=*/1);
    excluded = excluded.defined() ? excluded.logical_or(future) : future;
  }
  if (excluded.defined()) {
    scores = scores.masked_fill(excluded, kMinusInf);
  }
  if (options.additive_mask().defined()) {
    scores = scores + options.additive_mask();
  }

  at::Tensor weights;
  if (!excluded.defined() && !options.additive_mask().defined()) {
    weights = at::softmax(scores, /*dim=*/-1);  // (..., Lq, Lk)
  } else {
    // softmax over a row of -inf is 0/0 = NaN, and NaN also poisons the backward pass. Such a
    // row gets finite stand-in scores (zero gradient flows to them) and then zero weights.
    const auto dead = scores.eq(kMinusInf).all(/*dim=*/-1, /*keepdim=*/true);  // (..., Lq, 1)
    weights = at::softmax(scores.masked_fill(dead, 0.0), /*dim=*/-1).masked_fill(dead, 0.0);
  }
  if (options.dropout() > 0.0 && options.training()) {
    weights = at::dropout(weights, options.dropout(), /*train=*/true);
  }
  auto output = at::matmul(weights, V);  // (..., Lq, dv)
  return {std::move(output), std::move(weights)};
}

}  // namespace infozoo::models
