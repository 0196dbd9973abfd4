// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Sinusoidal positional encoding (seed section 4.3; Vaswani et al. 2017, section 3.5):
/// PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d)). PE[pos+k] is a
/// linear function (a rotation per frequency) of PE[pos], which is how it encodes relative
/// position.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <ostream>

namespace infozoo::models {

/// The seed's `positional_encoding(max_len, d_model)`: the [max_len, d_model] table above, computed
/// in float64 as numpy does (then cast to `dtype`). `d_model` must be even, both sizes positive.
/// Example: `positional_encoding(100, 512)[1][0]` is sin(1) = 0.8414709848078965.
at::Tensor positional_encoding(int64_t max_len, int64_t d_model,
                               c10::ScalarType dtype = c10::kDouble);

/// The block-diagonal rotation M_k with PE[pos + k] = M_k PE[pos] for every pos (and past any
/// max_len): one 2x2 block [[cos k w_i, sin k w_i], [-sin k w_i, cos k w_i]] per frequency
/// w_i = 1 / 10000^(2i/d), acting on the pair (sin, cos) of columns 2i, 2i+1. [d_model, d_model],
/// float64 unless `dtype` says otherwise; `offset` may be negative (M_{-k} = M_k^T).
/// Example: `positional_encoding_rotation(3, 512).mv(pe[10])` equals `pe[13]` to ~1e-15.
at::Tensor positional_encoding_rotation(int64_t offset, int64_t d_model,
                                        c10::ScalarType dtype = at::kDouble);

/// Sizes and dtype of a SinusoidalPositionalEncoding.
/// Example: `SinusoidalPositionalEncodingOptions(/*max_len=*/100,
/// /*d_model=*/512).dtype(at::kDouble)`.
struct SinusoidalPositionalEncodingOptions {
  /// The table's size; the dtype at its default.
  SinusoidalPositionalEncodingOptions(int64_t max_len, int64_t d_model)
      : max_len_(max_len), d_model_(d_model) {}
  /// The longest sequence the table covers.
  TORCH_ARG(int64_t, max_len);
  /// The model width (even).
  TORCH_ARG(int64_t, d_model);
  /// The buffer's dtype: float32 like the torch activations it is added to (the table itself is
  /// computed in float64 and rounded once).
  TORCH_ARG(c10::ScalarType, dtype) = c10::kFloat;
};

/// Adds the sinusoidal table (registered buffer `pe`, [max_len, d_model]) to `[B, L, D]` inputs:
/// `forward(x) = x + pe[:L]`. No parameters. Example:
/// ```
///   SinusoidalPositionalEncoding pos(SinusoidalPositionalEncodingOptions(100, 512));
///   auto y = pos(torch::randn({2, 10, 512}));  // [2, 10, 512]
/// ```
class SinusoidalPositionalEncodingImpl
    : public torch::nn::Cloneable<SinusoidalPositionalEncodingImpl> {
 public:
  /// SinusoidalPositionalEncodingImpl(SinusoidalPositionalEncodingOptions(max_len, d_model)).
  SinusoidalPositionalEncodingImpl(int64_t max_len, int64_t d_model)
      : SinusoidalPositionalEncodingImpl(SinusoidalPositionalEncodingOptions(max_len, d_model)) {}
  /// Computes the table of `options` (checked: an error names the bad size).
  explicit SinusoidalPositionalEncodingImpl(SinusoidalPositionalEncodingOptions options);

  /// Registers the buffer `pe`.
  void reset() override;

  /// `x` [B, L, D] with L <= max_len, D == d_model, the buffer's dtype and device: x + pe[:L].
  at::Tensor forward(const at::Tensor& x);

  /// `infozoo::models::SinusoidalPositionalEncoding(max_len=100, d_model=512, dtype=Float)`.
  void pretty_print(std::ostream& stream) const override;

  /// The options with which this module was built.
  SinusoidalPositionalEncodingOptions options;
  at::Tensor pe;  ///< The sinusoidal table, [max_len, d_model]
};

/// A ModuleHolder for SinusoidalPositionalEncodingImpl.
/// Example: `SinusoidalPositionalEncoding pos(100, 512); auto y = pos(x);`
TORCH_MODULE(SinusoidalPositionalEncoding);

}  // namespace infozoo::models
