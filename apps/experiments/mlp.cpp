// SPDX-License-Identifier: BSD-3-Clause
// `infozoo mlp`: the seed's two-layer MLP with hand-written backprop, trained on make_moons
// (seed 3.2), with numpy's np.random.seed(--seed) for the initial weights.
#include <ATen/ATen.h>
#include <fmt/format.h>

#include <cmath>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "infozoo/datasets/make_moons.h"
#include "infozoo/datasets/numpy_random.h"
#include "infozoo/models/manual_mlp.h"
#include "output/plot.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kDefaultSamples = 300;  // make_moons(n_samples=300, ...)
constexpr double kNoise = 0.2;
constexpr int64_t kMoonsSeed = 42;  // make_moons(random_state=42), whatever --seed says
constexpr int64_t kHidden = 32;     // ManualMLP(2, 32, 2)
constexpr double kLearningRate = 0.5;
constexpr int64_t kHeldOut = 1000;  // fresh moons for the held-out accuracy
constexpr int64_t kGrid = 400;      // decision-boundary grid points per axis: a smooth 0.5 contour

// The decision boundary panel: P(class 1) over a grid around the data.
void draw(const std::string& path, models::ManualMLP& mlp, const datasets::Dataset& moons,
          const std::vector<double>& losses) {
  plot::Figure figure(path, /*width=*/1300, /*height=*/520, /*panels=*/2);
  std::vector<double> epochs(losses.size());
  for (size_t i = 0; i < epochs.size(); ++i) epochs[i] = static_cast<double>(i);
  figure.line(epochs, losses, {"Training loss", "epoch", "cross-entropy (nats)"});

  const auto lo = std::get<0>(moons.X.min(/*dim=*/0)) - 0.5;
  const auto hi = std::get<0>(moons.X.max(/*dim=*/0)) + 0.5;
  const auto xs = at::linspace(lo[0].item<double>(), hi[0].item<double>(), kGrid, at::kDouble);
  const auto ys = at::linspace(lo[1].item<double>(), hi[1].item<double>(), kGrid, at::kDouble);
  const auto gx = xs.unsqueeze(0).expand({kGrid, kGrid});                      // (ny, nx)
  const auto gy = ys.unsqueeze(1).expand({kGrid, kGrid});                      // (ny, nx)
  const auto points = at::stack({gx.reshape(-1), gy.reshape(-1)}, /*dim=*/1);  // (ny * nx, 2)
  const auto p1 = mlp->forward(points).select(/*dim=*/1, /*index=*/1).reshape({kGrid, kGrid});
  figure.decision_boundary(xs, ys, p1, moons.X, moons.y,
                           {"P(class 1) and its 0.5 contour (piecewise linear: ReLU)", "x1", "x2"});
  figure.save();
}

// The options this subcommand reads, with the reference's defaults.
struct Options {
  int64_t seed = 42;
  int64_t samples = kDefaultSamples;
  int64_t epochs = 1000;
  std::string out;  // PNG: loss curve and decision boundary
};

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  add_samples_option(app, o.samples);
  add_epochs_option(app, o.epochs);
  add_out_option(app, o.out);
}

Outcome run(const RunContext& context, const Options& o) {
  const auto moons = datasets::make_moons(o.samples, kNoise, /*shuffle=*/true, kMoonsSeed);
  // numpy in the seed: float64 on the CPU whatever --device says.
  datasets::NumpyRandomState random_state(o.seed);  // np.random.seed(seed), then W1, W2
  models::ManualMLP mlp(models::ManualMLPOptions(2, kHidden, 2), random_state);
  std::vector<double> losses;
  const auto log =
      mlp->train(moons.X, moons.y, o.epochs, kLearningRate, o.out.empty() ? nullptr : &losses);
  const auto accuracy_on = [&](const datasets::Dataset& d) {
    return mlp->forward(d.X).argmax(1).eq(d.y).to(at::kDouble).mean().item<double>();
  };
  const double final_acc = accuracy_on(moons);

  Outcome outcome;
  const auto n = moons.X.size(0);
  const auto x_head = moons.X.slice(0, 0, std::min<int64_t>(3, n)).contiguous();
  nlohmann::json x_rows = nlohmann::json::array();
  for (int64_t i = 0; i < x_head.size(0); ++i) {
    x_rows.push_back({x_head[i][0].item<double>(), x_head[i][1].item<double>()});
  }
  nlohmann::json y_head = nlohmann::json::array();
  for (int64_t i = 0; i < std::min<int64_t>(10, n); ++i)
    y_head.push_back(moons.y[i].item<int64_t>());
  nlohmann::json log_json = nlohmann::json::array();
  for (const auto& entry : log) {
    log_json.push_back({{"epoch", entry.epoch}, {"loss", entry.loss}, {"acc", entry.acc}});
    outcome.text +=
        fmt::format("Epoch {}: loss={:.4f}, acc={:.4f}\n", entry.epoch, entry.loss, entry.acc);
  }
  outcome.json = {{"moons_X_head", x_rows},
                  {"moons_y_head", y_head},
                  {"log", log_json},
                  {"final_acc", final_acc}};
  outcome.text += fmt::format("Final accuracy: {:.4f}\n", final_acc);

  // The reading: units, chance level, and the accuracy on moons the network never saw.
  const auto fresh = datasets::make_moons(kHeldOut, kNoise, /*shuffle=*/true, kMoonsSeed + 1);
  const double held_out_acc = accuracy_on(fresh);
  outcome.json["held_out_acc"] = held_out_acc;
  const double chance = std::log(2.0);
  if (!log.empty()) {
    outcome.text += fmt::format(
        "\nloss is the cross-entropy in nats (a coin flip between the 2 classes: log 2 = {:.4f}); "
        "acc is the fraction of the {} training points classified right. The loss fell from "
        "{:.4f} at epoch {} to {:.4f} nats ({:.0f}% of log 2) at epoch {}, by full-batch gradient "
        "descent with the hand-written backward pass. On {} fresh moons (make_moons random_state "
        "{}) the accuracy is {:.4f}, {}.\n",
        chance, n, log.front().loss, log.front().epoch, log.back().loss,
        100 * log.back().loss / chance, log.back().epoch, kHeldOut, kMoonsSeed + 1, held_out_acc,
        held_out_acc >= final_acc - 0.03 ? "as on the training points: it has not overfitted"
                                         : "below the training accuracy: it has overfitted");
  }
  if (!o.out.empty()) {
    draw(o.out, mlp, moons, losses);
    outcome.text += fmt::format("Loss curve and decision boundary written to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand mlp_experiment() {
  return make_subcommand<Options>(
      "mlp", "Two-layer MLP with hand-written backprop on make_moons (seed 3.2)", add_options, run);
}

}  // namespace infozoo::apps
