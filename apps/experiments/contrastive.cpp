// SPDX-License-Identifier: BSD-3-Clause
// `infozoo contrastive`: a small contrastive model trained with InfoNCE (seed 7 put to work).
// An MLP encoder maps two noisy views of make_moons points to 16-d unit vectors; InfoNCE with
// in-batch negatives pulls the two views of a point together and pushes the other points away.
// Single-process, or N processes that split every global batch (--world-size, --rank, a
// rendezvous through a file store or a TCP store on 127.0.0.1): every rank draws the same global
// batch and keeps its rows, the loss gathers the positives of all ranks (distributed_info_nce.h),
// and the parameter gradients are summed over the ranks, so N processes follow the same loss
// curve as one, up to float32 rounding.
//
// Not part of `infozoo all`: `all` mirrors reference.py's sections one to one, and this is no
// section of the seed (its multi-process form also needs its peers started alongside).
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/optim/adam.h>

#include <chrono>
#include <cmath>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "experiments/one_intra_op_thread.h"
#include "infozoo/datasets/make_moons.h"
#include "infozoo/losses/info_nce.h"
#include "output/plot.h"
#if INFOZOO_HAVE_C10D
#include "infozoo/distributed/process_group.h"
#include "infozoo/losses/distributed_info_nce.h"
#endif

namespace infozoo::apps {
namespace {

constexpr int64_t kDefaultSamples = 1000;  // make_moons points to draw views from
constexpr double kMoonsNoise = 0.1;
constexpr double kViewNoise = 0.1;  // std of the Gaussian jitter that makes a view
constexpr int64_t kHidden = 64;
constexpr int64_t kEmbedding = 16;
constexpr int64_t kLogEvery = 25;  // steps between printed losses
constexpr int64_t kTail = 10;      // final loss: mean of the last kTail steps

// The options this subcommand reads. Each registration owns its copy (make_subcommand), so ranks
// run as threads of one process (tests) stay apart.
struct Options {
  int64_t seed = 42;
  int64_t samples = kDefaultSamples;  // make_moons points
  std::string out;                    // PNG: the loss curve (rank 0)
  int64_t steps = 300;
  int64_t batch_size = 256;  // the global batch, split across the ranks
  double temperature = 0.2;
  double lr = 3e-3;
  int64_t world_size = 1;
  int64_t rank = 0;
  std::string store_file;
  int64_t tcp_port = 0;
  double timeout_s = 60;
};
void add_options(CLI::App& app, Options& options) {
  add_seed_option(app, options.seed);
  add_samples_option(app, options.samples);
  app.add_option("--steps", options.steps, "Training steps")
      ->check(integer_in(1, int64_t{1} << 30))
      ->capture_default_str();
  app.add_option("--batch-size", options.batch_size, "Global batch size (all ranks together)")
      ->check(integer_in(2, int64_t{1} << 20))
      ->capture_default_str();
  app.add_option("--temperature", options.temperature, "InfoNCE temperature (> 0)")
      ->capture_default_str();
  app.add_option("--lr", options.lr, "Adam learning rate (> 0)")->capture_default_str();
  app.add_option("--world-size", options.world_size, "Number of processes")
      ->check(integer_in(1, int64_t{1} << 16))
      ->capture_default_str();
  app.add_option("--rank", options.rank, "This process, in [0, world-size)")
      ->check(integer_in(0, (int64_t{1} << 16) - 1))
      ->capture_default_str();
  app.add_option("--store-file", options.store_file,
                 "Rendezvous through a c10d FileStore at this path (a fresh file every rank sees)");
  app.add_option("--tcp-port", options.tcp_port,
                 "Rendezvous through a c10d TCPStore on 127.0.0.1:PORT (rank 0 listens)")
      ->check(integer_in(1, 65535));
  app.add_option("--timeout", options.timeout_s,
                 "Seconds to wait for the other ranks (rendezvous and every collective)")
      ->capture_default_str();
  add_out_option(app, options.out);
}

void check(const Options& o) {
  if (!(o.temperature > 0 && std::isfinite(o.temperature))) {
    throw UsageError(fmt::format("--temperature must be > 0, got {}", o.temperature));
  }
  if (!(o.lr > 0 && std::isfinite(o.lr))) {
    throw UsageError(fmt::format("--lr must be > 0, got {}", o.lr));
  }
  if (!(o.timeout_s > 0 && o.timeout_s <= 86400)) {
    throw UsageError(fmt::format("--timeout must be in (0, 86400] seconds, got {}", o.timeout_s));
  }
  if (o.rank >= o.world_size) {
    throw UsageError(
        fmt::format("--rank must be in [0, --world-size) = [0, {}), got {}", o.world_size, o.rank));
  }
  if (o.batch_size < 2 * o.world_size) {
    throw UsageError(fmt::format("--batch-size must be at least 2 per rank ({}), got {}",
                                 2 * o.world_size, o.batch_size));
  }
  const bool rendezvous = !o.store_file.empty() || o.tcp_port != 0;
  if (!o.store_file.empty() && o.tcp_port != 0) {
    throw UsageError("give one of --store-file and --tcp-port, not both");
  }
  if (o.world_size > 1 && !rendezvous) {
    throw UsageError(
        fmt::format("--world-size {} needs --store-file PATH or --tcp-port PORT", o.world_size));
  }
#if !INFOZOO_HAVE_C10D
  if (o.world_size > 1) {
    throw UsageError(
        "this infozoo was built without c10d (LibTorch's distributed layer, or Gloo's headers, "
        "were missing): only --world-size 1");
  }
#endif
}

// 2 -> 64 -> 64 -> 16, initialised as torch.nn.Linear does (U(-1/sqrt(fan_in), 1/sqrt(fan_in)))
// but from our own generator: the same weights on every rank, whatever else drew numbers before.
torch::nn::Sequential make_encoder(at::Generator& gen, const c10::Device& device) {
  torch::nn::Sequential encoder(torch::nn::Linear(2, kHidden), torch::nn::ReLU(),
                                torch::nn::Linear(kHidden, kHidden), torch::nn::ReLU(),
                                torch::nn::Linear(kHidden, kEmbedding));
  at::NoGradGuard no_grad;
  for (auto& layer : encoder->modules(/*include_self=*/false)) {
    if (auto* linear = layer->as<torch::nn::Linear>()) {
      const double bound = 1.0 / std::sqrt(static_cast<double>(linear->options.in_features()));
      linear->weight.uniform_(-bound, bound, gen);
      linear->bias.uniform_(-bound, bound, gen);
    }
  }
  encoder->to(device);
  return encoder;
}

// This rank's rows of a global batch of B: the first B % W ranks take one more.
std::pair<int64_t, int64_t> my_rows(int64_t batch, int64_t world, int64_t rank) {
  const int64_t base = batch / world;
  const int64_t extra = batch % world;
  const int64_t offset = rank * base + std::min(rank, extra);
  return {offset, base + (rank < extra ? 1 : 0)};
}

Outcome run(const RunContext& context, const Options& o) {
  const OneIntraOpThread same_bytes_for_any_thread_count;
  check(o);
  const auto device = context.device;
  const int64_t n = o.samples;
  const auto moons = datasets::make_moons(n, kMoonsNoise, /*shuffle=*/true, o.seed);
  const auto points = moons.X.to(at::kFloat);  // (n, 2), CPU

#if INFOZOO_HAVE_C10D
  c10::intrusive_ptr<c10d::ProcessGroup> group;
  if (o.world_size > 1) {
    const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(o.timeout_s * 1000));
    group =
        distributed::init_gloo_process_group(distributed::RendezvousOptions(o.world_size, o.rank)
                                                 .file_store(o.store_file)
                                                 .tcp_port(o.tcp_port)
                                                 .timeout(timeout));
  }
  const auto loss_options =
      losses::DistributedInfoNCEOptions(group).temperature(o.temperature).normalize(true);
#else
  const auto loss_options = losses::InfoNCEOptions().temperature(o.temperature).normalize(true);
#endif

  // One generator, drawn from identically on every rank: the same encoder, batches and views.
  auto gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(o.seed));
  auto encoder = make_encoder(gen, device);
  torch::optim::Adam optimizer(encoder->parameters(), torch::optim::AdamOptions(o.lr));
  const auto [offset, rows] = my_rows(o.batch_size, o.world_size, o.rank);

  std::vector<double> losses;
  for (int64_t step = 0; step < o.steps; ++step) {
    const auto index = at::randint(n, {o.batch_size}, gen, at::kLong);
    const auto batch = points.index_select(0, index);                           // (B, 2)
    const auto view1 = batch + kViewNoise * at::randn({o.batch_size, 2}, gen);  // (B, 2)
    const auto view2 = batch + kViewNoise * at::randn({o.batch_size, 2}, gen);
    const auto mine1 = view1.narrow(0, offset, rows).to(device);  // (B_r, 2)
    const auto mine2 = view2.narrow(0, offset, rows).to(device);

    optimizer.zero_grad();
#if INFOZOO_HAVE_C10D
    auto loss = losses::distributed_info_nce(encoder->forward(mine1), encoder->forward(mine2),
                                             loss_options);
    loss.backward();
    if (group) {
      losses::all_reduce_gradients(encoder->parameters(), group);
    }
#else
    auto loss =
        losses::info_nce(encoder->forward(mine1), encoder->forward(mine2), {}, loss_options);
    loss.backward();
#endif
    optimizer.step();
    losses.push_back(loss.item<double>());
  }

  const int64_t tail = std::min<int64_t>(kTail, o.steps);
  double final_loss = 0;
  for (int64_t i = o.steps - tail; i < o.steps; ++i)
    final_loss += losses[i] / static_cast<double>(tail);
  // An encoder that cannot tell views apart scores log(B); InfoNCE bounds I(view1; view2) from
  // below by log(B) - loss.
  const double chance = std::log(static_cast<double>(o.batch_size));

  Outcome outcome;
  outcome.text = fmt::format(
      "Contrastive training: MLP encoder 2-{}-{}-{} on two noisy views (std {}) of make_moons({}, "
      "noise={}), InfoNCE with in-batch negatives, temperature {}, Adam lr {}, global batch {} "
      "on {} process(es) (this is rank {}, {} rows)\n",
      kHidden, kHidden, kEmbedding, kViewNoise, n, kMoonsNoise, o.temperature, o.lr, o.batch_size,
      o.world_size, o.rank, rows);
  for (int64_t step = 0; step < o.steps; ++step) {
    if (step % kLogEvery == 0 || step == o.steps - 1) {
      outcome.text += fmt::format("step {:4d}: loss {:.4f}\n", step, losses[step]);
    }
  }
  outcome.text += fmt::format(
      "Final loss (mean of the last {} steps): {:.4f} nats; log(batch) = {:.4f}; "
      "I(view1; view2) >= {:.4f} nats\n",
      tail, final_loss, chance, chance - final_loss);
  outcome.json = {{"world_size", o.world_size}, {"rank", o.rank},
                  {"batch_size", o.batch_size}, {"steps", o.steps},
                  {"losses", losses},           {"final_loss", final_loss},
                  {"log_batch", chance},        {"mi_lower_bound", chance - final_loss}};
  if (!o.out.empty() && o.rank == 0) {  // one picture, from rank 0
    std::vector<double> steps(losses.size());
    for (size_t i = 0; i < steps.size(); ++i) steps[i] = static_cast<double>(i);
    plot::Figure figure(o.out, /*width=*/800, /*height=*/500);
    using Style = plot::Series::Style;
    // The loss starts near log(batch) (chance: the positive is one of B candidates) and the gap
    // below it is the MI lower bound, so the ceiling is drawn as a line.
    figure.series(
        {{"InfoNCE loss", steps, losses, Style::kLine},
         {fmt::format("log(batch) = {:.3f}: the loss at chance", chance),
          {steps.front(), steps.back()},
          {chance, chance},
          Style::kDashed}},
        {fmt::format("InfoNCE loss, global batch {} on {} process(es)", o.batch_size, o.world_size),
         "step", "loss (nats)"});
    figure.save();
    outcome.text += fmt::format("Loss curve written to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand contrastive_experiment() {
  Subcommand subcommand = make_subcommand<Options>(
      "contrastive", "Contrastive MLP encoder on make_moons views with (distributed) InfoNCE",
      add_options, run);
  subcommand.in_all = false;  // see the top of this file
  return subcommand;
}

}  // namespace infozoo::apps
