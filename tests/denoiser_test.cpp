// SPDX-License-Identifier: BSD-3-Clause
// Denoiser: its timestep embedding is the seed's positional_encoding row t, its output the MLP of
// [x, PE[t]] computed by hand from its own Linear weights, a shared 0-d t equals the same t per
// sample, and a few hundred AdamW steps of the diffusion loss on a point mass learn its noise.
#include "infozoo/models/denoiser.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "infozoo/losses/diffusion_loss.h"
#include "infozoo/models/ddpm_scheduler.h"
#include "infozoo/models/positional_encoding.h"

namespace infozoo::models {
namespace {

TEST(Denoiser, EmbedsTheTimestepAsTheSeedsPositionalEncoding) {
  Denoiser model(DenoiserOptions(2).time_embed_dim(16).num_train_timesteps(50));
  const auto pe = positional_encoding(50, 16, torch::kDouble);
  EXPECT_TRUE(torch::allclose(model->time_table.to(torch::kDouble), pe, 0, 1e-7));
  EXPECT_EQ(model->time_table.scalar_type(), torch::kFloat);
}

TEST(Denoiser, ForwardIsTheMlpOfXAndTheEmbedding) {
  torch::manual_seed(3);
  Denoiser model(DenoiserOptions(3).hidden_dim(8).layers(2).time_embed_dim(4));
  const auto x = torch::randn({5, 3});
  const auto t = torch::tensor({0, 1, 500, 998, 999}, torch::kLong);
  auto h = torch::cat({x, positional_encoding(1000, 4, torch::kFloat).index_select(0, t)}, 1);
  const auto params = model->named_parameters();
  for (const char* layer : {"net.0", "net.2"}) {
    h = torch::silu(torch::nn::functional::linear(h, params[std::string(layer) + ".weight"],
                                                  params[std::string(layer) + ".bias"]));
  }
  h = torch::nn::functional::linear(h, params["net.4.weight"], params["net.4.bias"]);
  const auto out = model(x, t);
  EXPECT_EQ(out.sizes(), x.sizes());
  EXPECT_TRUE(torch::allclose(out, h, 1e-5, 1e-6));
  // A 0-d t is the same t for every sample.
  EXPECT_TRUE(torch::allclose(model(x, torch::tensor(int64_t{500})),
                              model(x, torch::full({5}, 500, torch::kLong)), 0, 0));
}

TEST(Denoiser, LearnsTheNoiseOfAPointMass) {
  // x0 = (1, -1) always: the optimal epsilon is (x_t - sqrt(abar) x0) / sqrt(1 - abar), exactly
  // learnable; the loss must fall well below the untrained E[eps^2] = 1 per element (the loss
  // is a mean).
  torch::manual_seed(0);
  Denoiser model(DenoiserOptions(2).hidden_dim(64).layers(2));
  DDPMScheduler scheduler;
  torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(3e-3));
  const auto x0 = torch::tensor({1.0f, -1.0f}).expand({256, 2});
  double first = 0, last = 0;
  for (int step = 0; step < 400; ++step) {
    const auto t = torch::randint(0, 1000, {256}, torch::kLong);
    const auto noise = torch::randn({256, 2});
    const auto loss = losses::diffusion_loss(model(scheduler->add_noise(x0, noise, t), t), noise);
    opt.zero_grad();
    loss.backward();
    opt.step();
    (step == 0 ? first : last) = loss.item<double>();
  }
  EXPECT_GT(first, 0.5);
  EXPECT_LT(last, 0.1) << "first " << first;
}

}  // namespace
}  // namespace infozoo::models
