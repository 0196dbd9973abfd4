// SPDX-License-Identifier: BSD-3-Clause
// `infozoo infonce`: the InfoNCE loss (seed 7.2) of 32 unit queries, positives that are their
// noisy copies and 256 random unit negatives each, swept over the temperature.
#include <ATen/ATen.h>
#include <fmt/format.h>
#include <torch/nn/functional/normalization.h>

#include <torch/csrc/autograd/autograd.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "infozoo/losses/info_nce.h"
#include "output/plot.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kBatch = 32, kNegatives = 256, kDim = 128;  // the seed's B, K, D
constexpr double kNoise = 0.1;  // positive = normalize(query + 0.1 * noise)

// The temperatures and the JSON keys reference.py writes for them (Python's str(tau)).
constexpr std::pair<double, const char*> kTemperatures[] = {
    {0.01, "0.01"}, {0.07, "0.07"}, {0.5, "0.5"}, {1.0, "1.0"}};

constexpr int kGridPoints = 13;  // the picture's temperatures, log-spaced from 0.01 to 1

struct Options {
  int64_t seed = 42;
  std::string out;
};

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  add_out_option(app, o.out, "infonce.png");
}

at::Tensor normalize(const at::Tensor& x) {
  return torch::nn::functional::normalize(x, torch::nn::functional::NormalizeFuncOptions().dim(-1));
}

// Where the gradient goes (seed 7.2: a small tau focuses on hard negatives). The loss's gradient
// with respect to negative k of a query is p_k q / tau, p_k its softmax weight, so its norm is the
// negative's share of the push. Measured by autograd through info_nce_loss itself: the share of
// the total gradient norm on the hardest 1% and 10% of each query's negatives (the most similar
// to it), averaged over the batch. Spread evenly, the shares would be 1% and 10%.
struct Shares {
  double top1 = 0;
  double top10 = 0;
  double total = 0;  // the gradient norm summed over a query's negatives, batch mean
};

Shares hard_negative_shares(const at::Tensor& q, const at::Tensor& p, const at::Tensor& n,
                            double tau) {
  at::AutoGradMode enable(true);
  const auto negatives = n.detach().requires_grad_(true);
  const auto loss = losses::info_nce_loss(q, p, negatives, tau);
  const auto grad = torch::autograd::grad({loss}, {negatives})[0];
  const auto weight = grad.norm(2, -1).to(at::kDouble);                    // [B, K]
  const auto similarity = (q.unsqueeze(1) * n).sum(-1);                    // [B, K]
  const auto order = similarity.argsort(/*dim=*/-1, /*descending=*/true);  // hardest first
  const auto sorted = weight.gather(1, order);
  const auto total = sorted.sum(-1);
  const int64_t k = n.size(1);
  const auto share = [&](double fraction) {
    const int64_t top = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(fraction * k)));
    return (sorted.narrow(1, 0, top).sum(-1) / total).mean().item<double>();
  };
  return {share(0.01), share(0.10), total.mean().item<double>()};
}

void draw(const std::string& path, const std::vector<double>& taus,
          const std::vector<double>& losses, const std::vector<Shares>& shares) {
  using Style = plot::Series::Style;
  std::vector<double> x, top1, top10, even1(taus.size(), 1.0), even10(taus.size(), 10.0);
  for (size_t i = 0; i < taus.size(); ++i) {
    x.push_back(std::log10(taus[i]));
    top1.push_back(100 * shares[i].top1);
    top10.push_back(100 * shares[i].top10);
  }
  plot::Figure figure(path, /*width=*/1400, /*height=*/550, /*panels=*/2);
  figure.series({{"InfoNCE loss", x, losses, Style::kLine},
                 {"log(1 + K): uniform guess", x, std::vector<double>(x.size(), std::log(257.0)),
                  Style::kDashed}},
                {"InfoNCE loss against temperature", "log10 tau", "loss (nats)"});
  figure.series(
      {{"hardest 10%", x, top10, Style::kMarkers},
       {"hardest 1%", x, top1, Style::kMarkers},
       {"even: 10%", x, even10, Style::kDashed},
       {"even: 1%", x, even1, Style::kDashed}},
      {"Gradient share on the hardest negatives", "log10 tau", "share of the gradient norm (%)"});
  figure.save();
}

Outcome run(const RunContext& context, const Options& o) {
  at::NoGradGuard no_grad;
  at::manual_seed(static_cast<uint64_t>(o.seed));
  // Drawn on the CPU generator in the seed's order, as Python's torch.randn, then moved.
  const auto query = normalize(at::randn({kBatch, kDim}));
  const auto positive = normalize(query + at::randn_like(query) * kNoise);
  const auto negatives = normalize(at::randn({kBatch, kNegatives, kDim}));
  const auto q = query.to(context.device);
  const auto p = positive.to(context.device);
  const auto n = negatives.to(context.device);

  Outcome outcome;
  outcome.text = fmt::format(
      "InfoNCE (nats) of {} unit queries, each with a noisy copy as its positive and {} random "
      "unit negatives, across the temperature tau; then where its gradient goes.\n",
      kBatch, kNegatives);
  outcome.json = {{"loss", nlohmann::json::object()},
                  {"hard_negative_share", nlohmann::json::object()}};
  for (const auto& [tau, key] : kTemperatures) {
    const double loss = losses::info_nce_loss(q, p, n, tau).item<double>();
    outcome.json["loss"][key] = loss;
    outcome.text += fmt::format("τ={:.2f}: loss={:.4f}\n", tau, loss);
  }
  outcome.text += fmt::format(
      "Share of the gradient on the hardest negatives (most similar to the query; an even spread "
      "would give 1% and 10%):\n");
  std::vector<Shares> seed_shares;
  for (const auto& [tau, key] : kTemperatures) {
    const auto s = hard_negative_shares(q, p, n, tau);
    seed_shares.push_back(s);
    outcome.json["hard_negative_share"][key] = {
        {"top_1_percent", s.top1}, {"top_10_percent", s.top10}, {"negatives_grad_norm", s.total}};
    outcome.text += fmt::format(
        "  τ={:.2f}: hardest 1% {:5.1f}%, hardest 10% {:5.1f}% of a total gradient norm {:.3g}\n",
        tau, 100 * s.top1, 100 * s.top10, s.total);
  }
  const auto& cold = seed_shares.front();
  const auto& warm = seed_shares.back();
  outcome.text +=
      cold.top10 > warm.top10
          ? fmt::format(
                "From τ={:.2f} to τ={:.2f} the hardest 10% go from {:.1f}% to {:.1f}% of "
                "the gradient: a small temperature focuses the loss on hard negatives, as "
                "the seed says.\n",
                kTemperatures[std::size(kTemperatures) - 1].first, kTemperatures[0].first,
                100 * warm.top10, 100 * cold.top10)
          : fmt::format(
                "The hardest 10% get {:.1f}% of the gradient at τ={:.2f} and {:.1f}% at "
                "τ={:.2f}: here a small temperature does not focus on hard negatives.\n",
                100 * cold.top10, kTemperatures[0].first, 100 * warm.top10,
                kTemperatures[std::size(kTemperatures) - 1].first);
  double largest_total = 0;
  for (const auto& s : seed_shares) largest_total = std::max(largest_total, s.total);
  if (cold.total < 1e-3 * largest_total) {
    outcome.text += fmt::format(
        "At τ={:.2f} the total is {:.2g}, {:.2g}x the largest: every positive already beats its "
        "negatives by a margin that this temperature magnifies, so there is almost nothing left "
        "to focus.\n",
        kTemperatures[0].first, cold.total, cold.total / largest_total);
  }
  if (!o.out.empty()) {
    std::vector<double> taus, grid_losses;
    std::vector<Shares> grid_shares;
    for (int i = 0; i < kGridPoints; ++i) {
      const double tau = std::pow(10.0, -2.0 + 2.0 * i / (kGridPoints - 1));
      taus.push_back(tau);
      grid_losses.push_back(losses::info_nce_loss(q, p, n, tau).item<double>());
      grid_shares.push_back(hard_negative_shares(q, p, n, tau));
    }
    draw(o.out, taus, grid_losses, grid_shares);
    outcome.text += fmt::format("Loss and gradient shares against tau written to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand infonce_experiment() {
  return make_subcommand<Options>("infonce", "InfoNCE loss temperature sweep (seed 7.2)",
                                  add_options, run);
}

}  // namespace infozoo::apps
