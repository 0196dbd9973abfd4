// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The separable critic f(x, y) = g(x)ᵀh(y) of contrastive MI estimation: two small MLPs whose
/// embeddings' dot products score every pair of a batch at once (Poole et al. 2019, section 5).
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <ostream>

namespace infozoo::models {

/// Sizes of a SeparableCritic. Example: `SeparableCriticOptions(20, 20).hidden_dim(256)`.
struct SeparableCriticOptions {
  /// The two input widths, the other options at their defaults.
  SeparableCriticOptions(int64_t dim_x, int64_t dim_y) : dim_x_(dim_x), dim_y_(dim_y) {}
  /// Features of x.
  TORCH_ARG(int64_t, dim_x);
  /// Features of y.
  TORCH_ARG(int64_t, dim_y);
  /// Width of each MLP's hidden ReLU layers.
  TORCH_ARG(int64_t, hidden_dim) = 256;
  /// Hidden layers per MLP (>= 1).
  TORCH_ARG(int64_t, layers) = 1;
  /// Width of the embeddings g(x) and h(y) whose dot product is the score.
  TORCH_ARG(int64_t, embed_dim) = 32;
};

/// f(x, y) = g(x)ᵀh(y): `g` and `h` (registered as "g" and "h") are MLPs Linear -> ReLU -> ... ->
/// Linear. `forward(x [B, dim_x], y [B, dim_y])` returns the score matrix [B, B] with
/// scores[i][j] = f(x_i, y_j): positives on the diagonal, in-batch negatives elsewhere.
/// Example:
///   models::SeparableCritic critic(models::SeparableCriticOptions(20, 20));
///   auto bound = losses::infonce_lower_bound(critic(x, y));
class SeparableCriticImpl : public torch::nn::Cloneable<SeparableCriticImpl> {
 public:
  /// A critic with freshly initialised MLPs (torch::nn::Linear's default initialisation).
  explicit SeparableCriticImpl(SeparableCriticOptions options);
  /// (Re)creates both MLPs.
  void reset() override;
  /// Prints `infozoo::models::SeparableCritic(dim_x=.., dim_y=.., hidden_dim=.., ...)`.
  void pretty_print(std::ostream& stream) const override;
  /// The score matrix [B, B] of every (x_i, y_j) pair.
  at::Tensor forward(const at::Tensor& x, const at::Tensor& y);

  /// The options it was built with.
  SeparableCriticOptions options;
  /// g: the x-side MLP.
  torch::nn::Sequential g{nullptr};
  /// h: the y-side MLP.
  torch::nn::Sequential h{nullptr};
};

/// `TORCH_MODULE(SeparableCritic)`: a shared-pointer holder of SeparableCriticImpl.
TORCH_MODULE(SeparableCritic);

}  // namespace infozoo::models
