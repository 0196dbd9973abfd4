// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Batch-first multi-head attention whose parameters map key for key to the seed's Python module.
// Multi-head attention (seed section 4.2; Vaswani et al. 2017, section 3.2.2): project Q, K, V
// with W_Q, W_K, W_V, split d_model into n_heads heads of dk = d_model / n_heads, attend in each
// head, concatenate and project with W_O. Batch-first [B, L, d_model], as the seed (LibTorch's own
// torch::nn::MultiheadAttention is sequence-first and packs the projections into in_proj_weight).
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/modules/common.h>
#include <torch/nn/modules/container/any_value.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <ostream>

#include "infozoo/models/attention.h"

namespace infozoo::models {

/// Sizes, bias and dropout of a MultiHeadAttention.
/// Example: `MultiHeadAttentionOptions(/*d_model=*/512, /*n_heads=*/8).bias(true).dropout(0.1)`.
struct MultiHeadAttentionOptions {
  /// Width and heads (the seed's 512 and 8 by default); bias and dropout at their defaults.
  /* implicit */ MultiHeadAttentionOptions(int64_t d_model = 512, int64_t n_heads = 8)  // NOLINT
      : d_model_(d_model), n_heads_(n_heads) {}
  /// Model width; a multiple of n_heads.
  TORCH_ARG(int64_t, d_model);
  /// Number of heads, each of width dk = d_model / n_heads.
  TORCH_ARG(int64_t, n_heads);
  /// Whether W_Q, W_K, W_V and W_O have biases (the seed's nn.Linear default: yes).
  TORCH_ARG(bool, bias) = true;
  /// Dropout on the attention weights while training, in [0, 1).
  TORCH_ARG(double, dropout) = 0.0;
};

/// The seed's `MultiHeadAttention`, submodules registered as `W_Q`, `W_K`, `W_V`, `W_O` so that
/// a Python state_dict (`W_Q.weight`, `W_Q.bias`, ...) maps key for key. Parameters are drawn
/// in the seed's order (W_Q.weight, W_Q.bias, W_K.weight, ...) by nn.Linear's initialisation,
/// so `torch::manual_seed(s)` gives the same weights as `torch.manual_seed(s)` in Python.
/// Example:
/// ```
///   MultiHeadAttention mha(MultiHeadAttentionOptions(512, 8));
///   auto y = mha(x, x, x);                          // self-attention, [2, 10, 512]
///   auto [out, w] = mha->forward_with_weights(x, memory, memory);  // w: [B, H, Lq, Lk]
/// ```
class MultiHeadAttentionImpl : public torch::nn::Cloneable<MultiHeadAttentionImpl> {
 public:
  /// MultiHeadAttentionImpl(MultiHeadAttentionOptions(d_model, n_heads)).
  MultiHeadAttentionImpl(int64_t d_model, int64_t n_heads)
      : MultiHeadAttentionImpl(MultiHeadAttentionOptions(d_model, n_heads)) {}
  /// Checks `options_` (an error names the bad size or dropout) and builds the projections.
  explicit MultiHeadAttentionImpl(const MultiHeadAttentionOptions& options_ = {});

  /// Registers W_Q, W_K, W_V, W_O (each nn.Linear initialises itself as it is built).
  void reset() override;

  /// Redraws every projection as nn.Linear does (Kaiming-uniform weights, uniform biases).
  void reset_parameters();

  /// query [B, Lq, d_model], key and value [B, Lk, d_model]; `mask` is the seed's keep-mask
  /// (0 / false excludes), broadcasting to [B, n_heads, Lq, Lk], e.g. [B, 1, 1, Lk] for padding.
  /// Returns [B, Lq, d_model]. Uses LibTorch's fused attention where the build has it (>= 2.0).
  at::Tensor forward(const at::Tensor& query, const at::Tensor& key, const at::Tensor& value,
                     const at::Tensor& mask = {});

  /// As forward, also returning the per-head attention weights [B, n_heads, Lq, Lk].
  AttentionOutput forward_with_weights(const at::Tensor& query, const at::Tensor& key,
                                       const at::Tensor& value, const at::Tensor& mask = {});

  /// `infozoo::models::MultiHeadAttention(d_model=512, n_heads=8, dk=64, bias=true, dropout=0)`.
  void pretty_print(std::ostream& stream) const override;

  /// The options with which this module was built.
  MultiHeadAttentionOptions options;

  /// Query projection, d_model -> d_model (`W_Q.weight`, `W_Q.bias` in a state_dict).
  torch::nn::Linear W_Q{nullptr};
  /// Key projection, d_model -> d_model.
  torch::nn::Linear W_K{nullptr};
  /// Value projection, d_model -> d_model.
  torch::nn::Linear W_V{nullptr};
  /// Output projection of the concatenated heads, d_model -> d_model.
  torch::nn::Linear W_O{nullptr};

 protected:
  FORWARD_HAS_DEFAULT_ARGS({3, torch::nn::AnyValue(at::Tensor())})

 private:
  // q, k, v split into heads, each (B, H, L, dk).
  struct Heads {
    at::Tensor q, k, v;
  };
  // Checks the inputs' shapes, projects them with W_Q, W_K, W_V and splits d_model into heads.
  Heads project_heads(const at::Tensor& query, const at::Tensor& key, const at::Tensor& value);
  // Checks that `mask` broadcasts to [B, H, Lq, Lk] on the inputs' device.
  void check_mask(const at::Tensor& mask, const Heads& heads) const;
  // Concatenates the heads (B, H, Lq, dk) and projects with W_O: (B, Lq, d_model).
  at::Tensor merge_heads(const at::Tensor& attended);
  // The dropout on the attention weights: options.dropout() while training, else 0.
  double attention_dropout() const;
};

/// A ModuleHolder for MultiHeadAttentionImpl.
TORCH_MODULE(MultiHeadAttention);

}  // namespace infozoo::models
