// SPDX-License-Identifier: BSD-3-Clause
// The separable critic f(x, y) = g(x)ᵀh(y) (Poole et al. 2019, section 5; their `SeparableCritic`
// with `mlp(dim, hidden_dim, embed_dim, layers, 'relu')` on each side): one [B, B] GEMM scores
// every pair of a batch, so B - 1 in-batch negatives per positive cost no extra forward passes.
#include "infozoo/models/separable_critic.h"

#include <ATen/ATen.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/linear.h>

#include <utility>

namespace infozoo::models {
namespace {

// Linear(in, hidden) -> ReLU -> [Linear(hidden, hidden) -> ReLU] x (layers - 1) ->
// Linear(hidden, embed): Poole et al.'s `mlp`, registered as 0, 1, 2, ... (Sequential's names).
torch::nn::Sequential make_mlp(int64_t in, const SeparableCriticOptions& o) {
  torch::nn::Sequential mlp;
  mlp->push_back(torch::nn::Linear(in, o.hidden_dim()));
  mlp->push_back(torch::nn::ReLU());
  for (int64_t l = 1; l < o.layers(); ++l) {
    mlp->push_back(torch::nn::Linear(o.hidden_dim(), o.hidden_dim()));
    mlp->push_back(torch::nn::ReLU());
  }
  mlp->push_back(torch::nn::Linear(o.hidden_dim(), o.embed_dim()));
  return mlp;
}

void check_input(const at::Tensor& t, const char* name, int64_t dim, const char* dim_name) {
  TORCH_CHECK(t.defined() && t.dim() == 2 && t.size(1) == dim, name, " must be [B, ", dim_name,
              "] with ", dim_name, "=", dim, ", got shape ",
              t.defined() ? t.sizes() : at::IntArrayRef{});
}

}  // namespace

SeparableCriticImpl::SeparableCriticImpl(SeparableCriticOptions options_)
    : options(std::move(options_)) {
  reset();
}

void SeparableCriticImpl::reset() {
  TORCH_CHECK(options.dim_x() >= 1, "dim_x must be >= 1, got dim_x=", options.dim_x());
  TORCH_CHECK(options.dim_y() >= 1, "dim_y must be >= 1, got dim_y=", options.dim_y());
  TORCH_CHECK(options.hidden_dim() >= 1,
              "hidden_dim must be >= 1, got hidden_dim=", options.hidden_dim());
  TORCH_CHECK(options.layers() >= 1,
              "layers must be >= 1 (hidden layers per MLP), got layers=", options.layers());
  TORCH_CHECK(options.embed_dim() >= 1,
              "embed_dim must be >= 1, got embed_dim=", options.embed_dim());
  g = register_module("g", make_mlp(options.dim_x(), options));
  h = register_module("h", make_mlp(options.dim_y(), options));
}

void SeparableCriticImpl::pretty_print(std::ostream& stream) const {
  stream << "infozoo::models::SeparableCritic(dim_x=" << options.dim_x()
         << ", dim_y=" << options.dim_y() << ", hidden_dim=" << options.hidden_dim()
         << ", layers=" << options.layers() << ", embed_dim=" << options.embed_dim() << ")";
}

at::Tensor SeparableCriticImpl::forward(const at::Tensor& x, const at::Tensor& y) {
  check_input(x, "x", options.dim_x(), "dim_x");
  check_input(y, "y", options.dim_y(), "dim_y");
  TORCH_CHECK(x.size(0) == y.size(0),
              "x and y must hold the same number of pairs B, got x of shape ", x.sizes(),
              " and y of shape ", y.sizes());
  return at::matmul(g->forward(x), h->forward(y).t());  // (B, E) x (E, B) -> (B, B)
}

}  // namespace infozoo::models
