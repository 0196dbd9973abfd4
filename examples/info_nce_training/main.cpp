// SPDX-License-Identifier: BSD-3-Clause
// Contrastive learning with infozoo::losses::InfoNCE (van den Oord et al. 2018): an MLP encoder
// maps two noisy views of the same make_moons point to nearby unit vectors and the other points
// of the batch (its in-batch negatives) away. With B candidates per query, log(B) - loss is a
// lower bound on the mutual information between the two views' embeddings, in nats; it grows as
// the encoder learns. Exits non-zero if the held-out loss does not go down.
//
// Build against an installed infozoo (see CMakeLists.txt beside this file):
//   cmake -S . -B build -DCMAKE_PREFIX_PATH="<infozoo prefix>;<libtorch prefix>"
//   cmake --build build && build/info_nce_training
#include <infozoo/datasets/make_moons.h>
#include <infozoo/losses/info_nce.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace {

constexpr int64_t kSamples = 2000;    // make_moons points
constexpr double kMoonsNoise = 0.1;   // make_moons' own noise
constexpr double kViewNoise = 0.1;    // std of the Gaussian jitter that makes a view
constexpr int64_t kHidden = 64;       // encoder width
constexpr int64_t kEmbedding = 16;    // embedding size (L2-normalised by the loss)
constexpr int64_t kBatch = 256;       // queries per step; each has kBatch - 1 negatives
constexpr int64_t kSteps = 200;       // Adam steps
constexpr int64_t kLogEvery = 25;     // steps between printed losses
constexpr double kTemperature = 0.2;  // InfoNCE temperature
constexpr double kLearningRate = 3e-3;
constexpr double kMinImprovement = 0.5;  // nats the held-out loss must drop by

torch::nn::Sequential make_encoder() {
  return torch::nn::Sequential(torch::nn::Linear(2, kHidden), torch::nn::ReLU(),
                               torch::nn::Linear(kHidden, kHidden), torch::nn::ReLU(),
                               torch::nn::Linear(kHidden, kEmbedding));
}

// Two views of the points `x` [B, 2]: each with its own Gaussian jitter.
std::pair<torch::Tensor, torch::Tensor> views(const torch::Tensor& x) {
  return {x + kViewNoise * torch::randn_like(x), x + kViewNoise * torch::randn_like(x)};
}

// InfoNCE of the encoder on two views, in nats.
torch::Tensor loss_on(torch::nn::Sequential& encoder, infozoo::losses::InfoNCE& info_nce,
                      const std::pair<torch::Tensor, torch::Tensor>& v) {
  return info_nce(encoder->forward(v.first), encoder->forward(v.second));
}

void train(torch::nn::Sequential& encoder, infozoo::losses::InfoNCE& info_nce,
           const torch::Tensor& points) {
  torch::optim::Adam optimizer(encoder->parameters(), torch::optim::AdamOptions(kLearningRate));
  const double log_b = std::log(static_cast<double>(kBatch));
  for (int64_t step = 0; step < kSteps; ++step) {
    const auto batch = points.index_select(0, torch::randint(points.size(0), {kBatch}));
    const auto loss = loss_on(encoder, info_nce, views(batch));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    if (step % kLogEvery == 0 || step == kSteps - 1) {
      const double l = loss.item<double>();
      std::printf("step %3lld  loss %.4f nats  MI >= log(B) - loss = %.4f nats\n",
                  static_cast<long long>(step), l, log_b - l);
    }
  }
}

}  // namespace

int main() {
  at::init_num_threads();
  torch::manual_seed(0);
  const auto points =
      infozoo::datasets::make_moons(kSamples, kMoonsNoise, /*shuffle=*/true, /*random_state=*/0)
          .X.to(torch::kFloat);  // [kSamples, 2]
  auto encoder = make_encoder();
  infozoo::losses::InfoNCE info_nce(
      infozoo::losses::InfoNCEOptions().temperature(kTemperature).normalize(true));
  std::cout << info_nce << "\n";

  // A held-out pair of views of the first kBatch points, scored before and after training.
  const auto held_out = views(points.slice(0, 0, kBatch));
  const auto evaluate = [&] {
    torch::NoGradGuard no_grad;
    return loss_on(encoder, info_nce, held_out).item<double>();
  };
  const double log_b = std::log(static_cast<double>(kBatch));
  const double before = evaluate();
  train(encoder, info_nce, points);
  const double after = evaluate();

  std::printf("held-out loss %.4f -> %.4f nats; MI lower bound %.4f -> %.4f nats (log(B) = %.4f)\n",
              before, after, log_b - before, log_b - after, log_b);
  const bool ok = std::isfinite(after) && after <= before - kMinImprovement;
  std::printf("%s: held-out loss went down by at least %.1f nats\n", ok ? "ok  " : "FAIL",
              kMinImprovement);
  return ok ? 0 : 1;
}
