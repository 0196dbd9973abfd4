// SPDX-License-Identifier: BSD-3-Clause
// The noise-prediction MLP: the timestep enters as the seed's sinusoidal positional encoding
// (one row of a [T, E] table looked up per sample), concatenated to x_t.
#include "infozoo/models/denoiser.h"

#include <ATen/ATen.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/linear.h>

#include <utility>

#include "infozoo/models/positional_encoding.h"

namespace infozoo::models {

DenoiserImpl::DenoiserImpl(DenoiserOptions options_) : options(std::move(options_)) { reset(); }

void DenoiserImpl::reset() {
  const auto& o = options;
  TORCH_CHECK(o.dim() >= 1, "Denoiser: dim must be >= 1, got ", o.dim());
  TORCH_CHECK(o.hidden_dim() >= 1, "Denoiser: hidden_dim must be >= 1, got ", o.hidden_dim());
  TORCH_CHECK(o.layers() >= 1, "Denoiser: layers must be >= 1 (hidden layers), got ", o.layers());
  TORCH_CHECK(o.time_embed_dim() >= 2 && o.time_embed_dim() % 2 == 0,
              "Denoiser: time_embed_dim must be even and >= 2 (sin, cos pairs), got ",
              o.time_embed_dim());
  TORCH_CHECK(o.num_train_timesteps() >= 1, "Denoiser: num_train_timesteps must be >= 1, got ",
              o.num_train_timesteps());
  torch::nn::Sequential mlp;
  mlp->push_back(torch::nn::Linear(o.dim() + o.time_embed_dim(), o.hidden_dim()));
  mlp->push_back(torch::nn::SiLU());
  for (int64_t l = 1; l < o.layers(); ++l) {
    mlp->push_back(torch::nn::Linear(o.hidden_dim(), o.hidden_dim()));
    mlp->push_back(torch::nn::SiLU());
  }
  mlp->push_back(torch::nn::Linear(o.hidden_dim(), o.dim()));
  net = register_module("net", mlp);
  time_table = register_buffer(
      "time_table", positional_encoding(o.num_train_timesteps(), o.time_embed_dim(), at::kFloat));
}

at::Tensor DenoiserImpl::forward(const at::Tensor& x, const at::Tensor& t) {
  TORCH_CHECK(x.defined() && x.dim() == 2 && x.size(1) == options.dim() && x.is_floating_point(),
              "Denoiser: x must be a floating point [B, dim] with dim=", options.dim(),
              ", got shape ", x.defined() ? x.sizes() : at::IntArrayRef{});
  TORCH_CHECK(
      t.defined() && !t.is_floating_point() && !t.is_complex() && t.scalar_type() != at::kBool,
      "Denoiser: t must hold integer timesteps, got ",
      t.defined() ? toString(t.scalar_type()) : "undefined");
  TORCH_CHECK(t.dim() == 0 || (t.dim() == 1 && t.size(0) == x.size(0)),
              "Denoiser: t must be 0-d or [B] with B=", x.size(0), ", got shape ", t.sizes());
  const int64_t T = options.num_train_timesteps();
  const auto index = t.to(time_table.device(), at::kLong).reshape({-1});
  if (index.numel() > 0) {
    const auto lo = index.min().item<int64_t>(), hi = index.max().item<int64_t>();
    TORCH_CHECK(lo >= 0 && hi < T, "Denoiser: t must be in [0, ", T, "), got values in [", lo, ", ",
                hi, "]");
  }
  auto embedding = time_table.index_select(0, index).to(x.scalar_type());
  if (t.dim() == 0) embedding = embedding.expand({x.size(0), -1});
  return net->forward(at::cat({x, embedding}, 1));
}

void DenoiserImpl::pretty_print(std::ostream& stream) const {
  stream << "infozoo::models::Denoiser(dim=" << options.dim()
         << ", hidden_dim=" << options.hidden_dim() << ", layers=" << options.layers()
         << ", time_embed_dim=" << options.time_embed_dim()
         << ", num_train_timesteps=" << options.num_train_timesteps() << ")";
}

}  // namespace infozoo::models
