// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Scaled dot-product attention (seed section 4.1; Vaswani et al. 2017, section 3.2.1):
/// softmax(Q K^T / sqrt(dk)) V. Dividing by sqrt(dk) keeps the scores' variance at 1 when the
/// components of q and k are independent N(0, 1); without it the softmax saturates and its
/// gradient vanishes as dk grows.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/util/Optional.h>
#include <torch/arg.h>

#include <utility>

namespace infozoo::models {

/// What attention returns: the attended values and the weights that produced them.
/// Example: `auto [output, weights] = scaled_dot_product_attention(Q, K, V);`
struct AttentionOutput {
  at::Tensor output;   ///< (..., Lq, dv)
  at::Tensor weights;  ///< (..., Lq, Lk): the weights applied to V (after dropout, if any)
};

/// Masks, scale and dropout for `scaled_dot_product_attention`. Every mask broadcasts to the
/// scores' shape (..., Lq, Lk); all the exclusions given are combined.
/// Example: `AttentionOptions(padding_mask).is_causal(true).dropout(0.1)`.
struct AttentionOptions {
  /// The seed's mask: key positions where `mask == 0` (false) are excluded. Implicit so that
  /// `scaled_dot_product_attention(Q, K, V, mask)` reads as the seed's call.
  /* implicit */ AttentionOptions(at::Tensor mask = {})  // NOLINT(google-explicit-constructor)
      : mask_(std::move(mask)) {}

  /// Keep-mask, bool or numeric: true / non-zero takes part, false / 0 is excluded (-inf score).
  TORCH_ARG(at::Tensor, mask);
  /// Additive float mask (attention bias) added to the scaled scores; -inf excludes a position.
  TORCH_ARG(at::Tensor, additive_mask);
  /// Query i attends only to keys j <= i (top-left aligned, as PyTorch's is_causal).
  TORCH_ARG(bool, is_causal) = false;
  /// The factor on Q K^T; unset: the seed's 1 / sqrt(dk).
  TORCH_ARG(c10::optional<double>, scale) = c10::nullopt;
  /// Probability of zeroing an attention weight (survivors scaled by 1 / (1 - p)), in [0, 1).
  TORCH_ARG(double, dropout) = 0.0;
  /// Dropout applies only while training (modules pass `is_training()`).
  TORCH_ARG(bool, training) = true;
};

/// The seed's `scaled_dot_product_attention(Q, K, V, mask)`: softmax(Q K^T * scale + masks) V,
/// for Q (..., Lq, dk), K (..., Lk, dk), V (..., Lk, dv), with leading (batch, head) dimensions
/// that broadcast. A query row whose keys are all excluded gets zero weights and a zero output
/// (with finite, zero gradients) instead of the NaN that softmax over all -inf gives (PyTorch
/// issue 41508). Without masks the numbers are the seed's to the last bit.
/// Example:
/// ```
///   auto [out, weights] = scaled_dot_product_attention(Q, K, V);  // (2, 4, 8, 64), (2, 4, 8, 8)
///   auto causal = scaled_dot_product_attention(Q, K, V, AttentionOptions().is_causal(true));
/// ```
AttentionOutput scaled_dot_product_attention(const at::Tensor& Q, const at::Tensor& K,
                                             const at::Tensor& V,
                                             const AttentionOptions& options = {});

}  // namespace infozoo::models
