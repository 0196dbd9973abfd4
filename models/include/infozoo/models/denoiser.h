// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// A noise-prediction network for low-dimensional data (seed section 8.2, the reverse process's
/// epsilon_theta(x_t, t)): an MLP on [x_t, e(t)], where e(t) is row t of the seed's sinusoidal
/// `positional_encoding` (section 4.3) used as the timestep embedding, as in Ho et al. (2020),
/// Appendix B. Its output has x's shape and is read as epsilon, x0 or v following the
/// scheduler's `prediction_type`.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <ostream>

namespace infozoo::models {

/// Sizes of a Denoiser. Example: `DenoiserOptions(2).hidden_dim(128).layers(3)`.
struct DenoiserOptions {
  /// The data's dimension (2 for make_moons); the other options at their defaults.
  /* implicit */ DenoiserOptions(int64_t dim) : dim_(dim) {}
  /// Features of x (and of the output).
  TORCH_ARG(int64_t, dim);
  /// Width of the hidden SiLU layers.
  TORCH_ARG(int64_t, hidden_dim) = 128;
  /// Hidden layers (>= 1).
  TORCH_ARG(int64_t, layers) = 3;
  /// Width of the sinusoidal timestep embedding (even).
  TORCH_ARG(int64_t, time_embed_dim) = 32;
  /// T: the timesteps t in [0, T) the embedding table covers.
  TORCH_ARG(int64_t, num_train_timesteps) = 1000;
};

/// epsilon_theta(x_t, t) = MLP([x_t, PE[t]]): `net` is Linear(dim + E, H) -> SiLU ->
/// [Linear(H, H) -> SiLU] x (layers - 1) -> Linear(H, dim), registered as net.0, net.2, ...
/// (Sequential's names, so a PyTorch nn.Sequential of the same layers loads); the buffer
/// `time_table` [T, E] is positional_encoding(T, E) in float32. Example:
/// ```
///   Denoiser model(DenoiserOptions(2));
///   auto eps = model(torch::randn({64, 2}), torch::randint(0, 1000, {64}));  // [64, 2]
/// ```
class DenoiserImpl : public torch::nn::Cloneable<DenoiserImpl> {
 public:
  /// A freshly initialised network (torch::nn::Linear's default initialisation).
  explicit DenoiserImpl(DenoiserOptions options);

  /// Checks the options (an error names the bad one) and (re)creates `net` and `time_table`.
  void reset() override;

  /// `x` [B, dim] floating point, `t` int64 [B] or a 0-d int64 shared by the batch, each in
  /// [0, T): the prediction [B, dim]. A sampling loop passes `torch::tensor(t)` (one t for the
  /// batch).
  at::Tensor forward(const at::Tensor& x, const at::Tensor& t);

  /// `infozoo::models::Denoiser(dim=2, hidden_dim=128, layers=3, time_embed_dim=32, T=1000)`.
  void pretty_print(std::ostream& stream) const override;

  /// The options with which this module was built.
  DenoiserOptions options;
  /// The MLP on [x_t, PE[t]].
  torch::nn::Sequential net{nullptr};
  /// PE[t] for t in [0, T): positional_encoding(T, time_embed_dim), float32.
  at::Tensor time_table;
};

/// A ModuleHolder for DenoiserImpl. Example: `Denoiser model(2);`
TORCH_MODULE(Denoiser);

}  // namespace infozoo::models
