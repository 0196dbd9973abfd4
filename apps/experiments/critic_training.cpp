// SPDX-License-Identifier: BSD-3-Clause
// Training a SeparableCritic on an MI lower bound with Adam (Poole et al. 2019, section 5 and
// their Fig. 2 training loop): InfoNCE through infozoo's own loss on the embeddings, or NWJ by
// gradient ascent on nwj_lower_bound; then both bounds of the trained critic on held-out batches.
#include "experiments/critic_training.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/modules/linear.h>
#include <torch/optim/adam.h>

#include <cmath>
#include <optional>

#include "experiments/one_intra_op_thread.h"
#include "infozoo/losses/info_nce.h"
#include "infozoo/losses/mi_bounds.h"
#include "infozoo/models/separable_critic.h"

namespace infozoo::apps {
namespace {

void check_training(int64_t dx, int64_t dy, const CriticTraining& t, int64_t eval_batches) {
  TORCH_CHECK(dx >= 1 && dy >= 1, "train_critic: dx and dy must be >= 1, got dx=", dx, ", dy=", dy);
  TORCH_CHECK(t.steps >= 1, "train_critic: steps must be >= 1, got ", t.steps);
  TORCH_CHECK(t.batch_size >= 2,
              "train_critic: batch_size must be >= 2 (a positive and a negative), got ",
              t.batch_size);
  TORCH_CHECK(t.learning_rate > 0 && std::isfinite(t.learning_rate),
              "train_critic: learning_rate must be > 0 and finite, got ", t.learning_rate);
  TORCH_CHECK(t.hidden_dim >= 1 && t.embed_dim >= 1,
              "train_critic: hidden_dim and embed_dim must be >= 1, got hidden_dim=", t.hidden_dim,
              ", embed_dim=", t.embed_dim);
  TORCH_CHECK(t.record_every >= 0, "train_critic: record_every must be >= 0, got ", t.record_every);
  TORCH_CHECK(eval_batches >= 1, "train_critic: eval_batches must be >= 1, got ", eval_batches);
}

// A batch from a BatchSource: x [B, dx], y [B, dy], float32, on the training device.
void check_batch(const std::pair<at::Tensor, at::Tensor>& batch, int64_t dx, int64_t dy,
                 const CriticTraining& t, const char* source, int64_t step) {
  const auto& [x, y] = batch;
  const auto shape = [](const at::Tensor& v) {
    return v.defined() ? v.sizes() : at::IntArrayRef{};
  };
  TORCH_CHECK(x.defined() && y.defined() && x.dim() == 2 && y.dim() == 2 &&
                  x.size(0) == t.batch_size && y.size(0) == t.batch_size && x.size(1) == dx &&
                  y.size(1) == dy,
              "train_critic: the ", source, " batch of step ", step, " must be x [B, dx] = [",
              t.batch_size, ", ", dx, "] and y [B, dy] = [", t.batch_size, ", ", dy, "], got x ",
              shape(x), " and y ", shape(y));
  TORCH_CHECK(x.scalar_type() == at::kFloat && y.scalar_type() == at::kFloat, "train_critic: the ",
              source, " batch must be float32, got ", x.scalar_type(), " and ", y.scalar_type());
  TORCH_CHECK(x.device() == t.device && y.device() == t.device, "train_critic: the ", source,
              " batch must be on the training device ", t.device, ", got ", x.device(), " and ",
              y.device());
}

// nn.Linear's default initialisation (weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
// which is what kaiming_uniform_(a = sqrt(5)) gives), drawn from `gen`: the same critic for a
// seed whatever else has drawn from torch's global generator.
void initialise(models::SeparableCritic& critic, at::Generator& gen) {
  at::NoGradGuard no_grad;
  for (auto& module : critic->modules(/*include_self=*/false)) {
    if (auto* linear = module->as<torch::nn::Linear>()) {
      const double bound = 1.0 / std::sqrt(static_cast<double>(linear->options.in_features()));
      linear->weight.uniform_(-bound, bound, gen);
      linear->bias.uniform_(-bound, bound, gen);
    }
  }
}

}  // namespace

CriticResult train_critic(int64_t dx, int64_t dy, const CriticTraining& training,
                          const BatchSource& train, const BatchSource& eval, int64_t eval_batches) {
  check_training(dx, dy, training, eval_batches);
  // OpenBLAS splits a float32 GEMM's sums by thread count; one thread gives the same critic, and
  // so the same estimates, however many threads the caller runs. A GPU is unaffected.
  std::optional<OneIntraOpThread> same_result_for_any_thread_count;
  if (training.device.is_cpu()) same_result_for_any_thread_count.emplace();

  auto gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(training.seed));
  models::SeparableCritic critic(models::SeparableCriticOptions(dx, dy)
                                     .hidden_dim(training.hidden_dim)
                                     .embed_dim(training.embed_dim));
  initialise(critic, gen);
  critic->to(training.device);
  torch::optim::Adam optimizer(critic->parameters(),
                               torch::optim::AdamOptions(training.learning_rate));
  // Temperature 1 and raw embeddings: the loss is then exactly log B - infonce_lower_bound of
  // the critic's scores g(x) h(y)^T.
  const auto infonce_options = losses::InfoNCEOptions().temperature(1.0).normalize(false);

  CriticResult result;
  result.log_batch = std::log(static_cast<double>(training.batch_size));
  for (int64_t step = 0; step < training.steps; ++step) {
    const auto batch = train(step);
    check_batch(batch, dx, dy, training, "training", step);
    const auto& [x, y] = batch;
    const auto gx = critic->g->forward(x);  // (B, E)
    const auto hy = critic->h->forward(y);  // (B, E)
    const bool infonce = training.objective == CriticObjective::kInfoNCE;
    at::Tensor loss, scores;
    if (infonce) {
      loss = losses::info_nce(gx, hy, /*negatives=*/{}, infonce_options);
    } else {
      scores = gx.matmul(hy.t());               // (B, B)
      loss = -losses::nwj_lower_bound(scores);  // ascend the bound
    }
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    if (training.record_every > 0 && step % training.record_every == 0) {
      // Both bounds of this step's batch, before the update: the objective's from its own loss,
      // the other from the same scores.
      at::NoGradGuard no_grad;
      if (infonce) scores = gx.detach().matmul(hy.detach().t());  // (B, B)
      const double objective = loss.item<double>();
      result.trace_step.push_back(step);
      result.trace_infonce.push_back(
          infonce ? result.log_batch - objective
                  : losses::infonce_lower_bound(scores.detach()).item<double>());
      result.trace_nwj.push_back(infonce ? losses::nwj_lower_bound(scores).item<double>()
                                         : -objective);
    }
  }

  at::NoGradGuard no_grad;
  double infonce_sum = 0, nwj_sum = 0;
  for (int64_t b = 0; b < eval_batches; ++b) {
    const auto batch = eval(b);
    check_batch(batch, dx, dy, training, "evaluation", b);
    const auto scores = critic(batch.first, batch.second);  // (B, B)
    infonce_sum += losses::infonce_lower_bound(scores).item<double>();
    nwj_sum += losses::nwj_lower_bound(scores).item<double>();
  }
  result.infonce = infonce_sum / static_cast<double>(eval_batches);
  result.nwj = nwj_sum / static_cast<double>(eval_batches);
  return result;
}

}  // namespace infozoo::apps
