// SPDX-License-Identifier: BSD-3-Clause
// `infozoo infonce-bound`: the seed's claim (7.1 and its interview question) that InfoNCE bounds
// I(x; x+) from below by log(K + 1) - L, tighter as K grows, made visible as Poole et al. (2019,
// "On Variational Bounds of Mutual Information", Fig. 2) do: 20-dimensional Gaussian pairs whose
// true MI steps up a staircase while a separable critic g(x)ᵀh(y) trains on fresh batches. The
// InfoNCE estimate log B - L cannot pass log B whatever the truth; NWJ, from a second critic
// trained on its own bound, is not capped but is noisier.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "experiments/critic_training.h"
#include "infozoo/losses/mi_bounds.h"
#include "output/plot.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kDim = 20;            // coordinates of x and of y (Poole et al.'s 20)
constexpr double kLevelStep = 2.0;      // --levels N: true MI 2, 4, ..., 2N nats
constexpr int64_t kMaxLevels = 50;      // levels in a run
constexpr double kMaxLevelMi = 100.0;   // nats; rho^2 = 1 - e^-10 at 100 nats, d = 20
constexpr int64_t kMaxBatch = 16384;    // a [B, B] float32 score matrix of 1 GiB
constexpr int64_t kHidden = 128;        // each MLP: 20 -> 128 -> ReLU -> 32
constexpr int64_t kEmbed = 32;          // Poole et al.'s embedding width
constexpr double kLearningRate = 1e-3;  // Adam; Poole et al. take 5e-4 over 4000 steps a level
constexpr double kTailFraction = 0.2;   // a level's estimate: mean of its last 20% steps
constexpr int64_t kEvalBatches = 4;     // held-out batches at the last level, after training
constexpr uint64_t kEvalSeedOffset = 1000003;  // the held-out stream's seed: --seed + this

struct Options {
  int64_t seed = 42;
  int64_t steps_per_level = 200;
  std::string levels = "5";  // a count N (2, 4, ..., 2N nats) or a list of nats "2,5,9"
  std::vector<int64_t> batch_sizes{16, 64, 256, 1024};
  std::string out;
};

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  app.add_option("--steps-per-level", o.steps_per_level,
                 "Adam steps at each level of true MI (each critic trains levels x this)")
      ->check(integer_in(1, int64_t{1} << 24))
      ->capture_default_str();
  app.add_option(
         "--levels", o.levels,
         fmt::format("A count N in [1, {}] (true MI 2, 4, ..., 2N nats) or a comma-separated "
                     "list of true MIs in nats, each in (0, {}] (one value: 3.0)",
                     kMaxLevels, kMaxLevelMi))
      ->capture_default_str();
  app.add_option(
         "--batch-sizes", o.batch_sizes,
         fmt::format("Comma-separated batch sizes B in [2, {}] (K = B - 1 negatives)", kMaxBatch))
      ->delimiter(',')
      ->check(integer_in(2, kMaxBatch))
      ->capture_default_str();
  add_out_option(app, o.out);
}

// The true MI of each level, from --levels.
std::vector<double> parse_levels(const std::string& text) {
  const bool is_count = !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isdigit(c) != 0;
  });
  std::vector<double> levels;
  if (is_count) {
    const auto count = text.size() > 3 ? kMaxLevels + 1 : std::stoll(text);
    if (count < 1 || count > kMaxLevels) {
      throw UsageError(fmt::format("--levels must be a count in [1, {}] or a list of nats, got {}",
                                   kMaxLevels, text));
    }
    for (int64_t i = 1; i <= count; ++i) levels.push_back(kLevelStep * static_cast<double>(i));
    return levels;
  }
  // Every comma-separated entry, empty ones included ("2,,4" and "2,4," name their empty entry).
  for (size_t start = 0; start <= text.size();) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    size_t used = 0;
    double value = std::nan("");
    try {
      value = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || !(value > 0 && value <= kMaxLevelMi)) {
      throw UsageError(fmt::format(
          "--levels must be a count or a comma-separated list of true MIs in (0, {}] nats, got "
          "'{}' in '{}'",
          kMaxLevelMi, item, text));
    }
    levels.push_back(value);
    start = comma + 1;
  }
  if (levels.size() > static_cast<size_t>(kMaxLevels)) {
    throw UsageError(
        fmt::format("--levels must list at most {} true MIs, got {}", kMaxLevels, levels.size()));
  }
  return levels;
}

// The batch sizes in increasing order, each once.
std::vector<int64_t> checked_batch_sizes(std::vector<int64_t> sizes) {
  std::sort(sizes.begin(), sizes.end());
  const auto repeated = std::adjacent_find(sizes.begin(), sizes.end());
  if (repeated != sizes.end()) {
    throw UsageError(fmt::format("--batch-sizes must not repeat a size, got {} twice", *repeated));
  }
  if (sizes.empty()) throw UsageError("--batch-sizes needs at least one batch size");
  return sizes;
}

// Per coordinate y = rho x + sqrt(1 - rho^2) eps: I(x; y) = -d/2 log(1 - rho^2) = I, so
// rho = sqrt(1 - exp(-2 I / d)).
double rho_of(double mi) { return std::sqrt(1.0 - std::exp(-2.0 * mi / kDim)); }

// Fresh correlated Gaussian pairs each call, at the level of `step`: drawn on a CPU generator of
// its own (the same numbers on any device), then moved to `device`.
BatchSource staircase_source(uint64_t seed, int64_t batch, const std::vector<double>& levels,
                             int64_t steps_per_level, const c10::Device& device) {
  auto gen = std::make_shared<at::Generator>(at::make_generator<at::CPUGeneratorImpl>(seed));
  return [gen, batch, levels, steps_per_level, device](int64_t step) {
    const auto level =
        std::min<size_t>(static_cast<size_t>(step / steps_per_level), levels.size() - 1);
    const double rho = rho_of(levels[level]);
    const auto x = at::randn({batch, kDim}, *gen);    // (B, d)
    const auto eps = at::randn({batch, kDim}, *gen);  // (B, d)
    const auto y = rho * x + std::sqrt(1.0 - rho * rho) * eps;
    return std::pair{x.to(device), y.to(device)};
  };
}

struct LevelStats {
  double mean = 0;
  double sd = 0;
};

// Mean and standard deviation of trace[first, last).
LevelStats stats(const std::vector<double>& trace, size_t first, size_t last) {
  LevelStats s;
  const double n = static_cast<double>(last - first);
  for (size_t i = first; i < last; ++i) s.mean += trace[i] / n;
  for (size_t i = first; i < last; ++i) s.sd += (trace[i] - s.mean) * (trace[i] - s.mean);
  s.sd = n > 1 ? std::sqrt(s.sd / (n - 1)) : 0.0;
  return s;
}

// One batch size's run: both critics, and each level's estimate from its last steps.
struct BatchRun {
  int64_t batch = 0;
  double log_batch = 0;
  std::vector<LevelStats> infonce, nwj, nwj_on_infonce;
  CriticResult infonce_critic, nwj_critic;
};

BatchRun run_batch(const Options& o, int64_t batch, const std::vector<double>& levels,
                   const c10::Device& device) {
  const auto n_levels = static_cast<int64_t>(levels.size());
  CriticTraining training;
  training.steps = n_levels * o.steps_per_level;
  training.batch_size = batch;
  training.learning_rate = kLearningRate;
  training.hidden_dim = kHidden;
  training.embed_dim = kEmbed;
  training.seed = o.seed;
  training.record_every = 1;
  training.device = device;
  const auto seed = static_cast<uint64_t>(o.seed);
  // The same batches, held-out batches and initial critic for both objectives: only the bound
  // differs. Held out: the last level's pairs, from a stream of their own.
  const auto train = [&] {
    return staircase_source(seed, batch, levels, o.steps_per_level, device);
  };
  const auto eval = [&] {
    return staircase_source(seed + kEvalSeedOffset, batch, {levels.back()}, 1, device);
  };
  BatchRun run;
  run.batch = batch;
  training.objective = CriticObjective::kInfoNCE;
  run.infonce_critic = train_critic(kDim, kDim, training, train(), eval(), kEvalBatches);
  training.objective = CriticObjective::kNWJ;
  run.nwj_critic = train_critic(kDim, kDim, training, train(), eval(), kEvalBatches);
  run.log_batch = run.infonce_critic.log_batch;
  const auto tail = std::max<int64_t>(
      1,
      static_cast<int64_t>(std::llround(kTailFraction * static_cast<double>(o.steps_per_level))));
  for (int64_t l = 0; l < n_levels; ++l) {
    const auto last = static_cast<size_t>((l + 1) * o.steps_per_level);
    const auto first = last - static_cast<size_t>(tail);
    run.infonce.push_back(stats(run.infonce_critic.trace_infonce, first, last));
    run.nwj.push_back(stats(run.nwj_critic.trace_nwj, first, last));
    run.nwj_on_infonce.push_back(stats(run.infonce_critic.trace_nwj, first, last));
  }
  return run;
}

std::string join(const std::vector<std::string>& parts, const std::string& last_sep = " and ") {
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) {
    s += (i == 0 ? "" : i + 1 == parts.size() ? last_sep : ", ") + parts[i];
  }
  return s;
}

// What the numbers say: where InfoNCE sits at its ceiling, whether it tightens with B, and how
// NWJ compares.
std::string conclusions(const std::vector<BatchRun>& runs, const std::vector<double>& levels) {
  std::string text;
  // 1. The ceiling.
  for (const auto& run : runs) {
    std::vector<std::string> at;
    size_t closest = 0;
    for (size_t l = 0; l < levels.size(); ++l) {
      const double loss = std::max(0.0, run.log_batch - run.infonce[l].mean);
      if (std::isfinite(loss) && losses::infonce_mi_estimate(loss, run.batch - 1).at_ceiling) {
        at.push_back(fmt::format("{:g}", levels[l]));
      }
      if (run.infonce[l].mean > run.infonce[closest].mean) closest = l;
    }
    if (at.empty()) {
      text += fmt::format(
          "B = {}: never within 5% of its ceiling log B = {:.2f} nats; closest at {:g} nats, "
          "{:.2f} ({:.1f}% of log B).\n",
          run.batch, run.log_batch, levels[closest], run.infonce[closest].mean,
          100 * run.infonce[closest].mean / run.log_batch);
    } else {
      text += fmt::format(
          "B = {}: saturated, within 5% of its ceiling log B = {:.2f} nats, at true MI {} "
          "nats{}.\n",
          run.batch, run.log_batch, join(at), at.size() == levels.size() ? " (every level)" : "");
    }
  }
  // 2. Tighter with B?
  if (runs.size() >= 2) {
    std::vector<std::string> not_tighter;
    for (size_t l = 0; l < levels.size(); ++l) {
      for (size_t b = 1; b < runs.size(); ++b) {
        if (!(runs[b].infonce[l].mean > runs[b - 1].infonce[l].mean)) {
          not_tighter.push_back(
              fmt::format("at {:g} nats B = {} gave {:.2f}, not above B = {}'s "
                          "{:.2f}",
                          levels[l], runs[b].batch, runs[b].infonce[l].mean, runs[b - 1].batch,
                          runs[b - 1].infonce[l].mean));
        }
      }
    }
    const auto& top = runs.back();
    const size_t last = levels.size() - 1;
    if (not_tighter.empty()) {
      text += fmt::format(
          "The InfoNCE estimate grows with B at every level, as the seed claims: at {:g} nats from "
          "{:.2f} (B = {}) to {:.2f} (B = {}).\n",
          levels[last], runs.front().infonce[last].mean, runs.front().batch, top.infonce[last].mean,
          top.batch);
    } else {
      text += fmt::format("The InfoNCE estimate does not always grow with B: {}.\n",
                          join(not_tighter, "; "));
    }
    // How far the largest batch falls short, and what the ceiling asks for.
    std::vector<std::string> close;
    for (size_t l = 0; l < levels.size(); ++l) {
      if (top.infonce[l].mean >= 0.9 * levels[l]) close.push_back(fmt::format("{:g}", levels[l]));
    }
    text += fmt::format(
        "At B = {} the estimate is within 10% of the truth at {}; at {:g} nats it is {:.2f}. "
        "log B grows slowly: reaching {:g} nats needs B > e^{:g} = {:.0f} candidates.\n",
        top.batch, close.empty() ? "no level" : "true MI " + join(close) + " nats", levels[last],
        top.infonce[last].mean, levels[last], levels[last], std::exp(levels[last]));
  }
  // 3. NWJ.
  std::vector<std::string> above, diverged;
  double nwj_sd = 0, infonce_sd = 0;
  int64_t counted = 0;
  for (const auto& run : runs) {
    for (size_t l = 0; l < levels.size(); ++l) {
      const auto& n = run.nwj[l];
      if (!std::isfinite(n.mean)) {
        diverged.push_back(fmt::format("B = {} at {:g} nats", run.batch, levels[l]));
        continue;
      }
      if (n.mean > run.log_batch) {
        above.push_back(fmt::format("B = {} at {:g} nats ({:.2f} > {:.2f})", run.batch, levels[l],
                                    n.mean, run.log_batch));
      }
      nwj_sd += n.sd;
      infonce_sd += run.infonce[l].sd;
      ++counted;
    }
  }
  if (above.empty()) {
    text += "NWJ never exceeds log B here.\n";
  } else {
    text +=
        fmt::format("NWJ exceeds log B, which caps InfoNCE, at {} of {} (B, level) pairs: {}.\n",
                    above.size(), runs.size() * levels.size(), join(above, "; "));
  }
  std::vector<std::string> above_truth;
  for (const auto& run : runs) {
    for (size_t l = 0; l < levels.size(); ++l) {
      if (run.nwj[l].mean > levels[l]) {
        above_truth.push_back(
            fmt::format("B = {} at {:g} nats ({:.2f})", run.batch, levels[l], run.nwj[l].mean));
      }
    }
  }
  if (!above_truth.empty()) {
    text += fmt::format(
        "NWJ even exceeds the true MI at {}: it bounds the MI only in expectation, and these are "
        "means over a few noisy training batches.\n",
        join(above_truth, "; "));
  }
  // NWJ on the InfoNCE critic: InfoNCE leaves a shift of each row's scores free (it cancels in
  // the softmax), which NWJ, needing f = 1 + log p(y|x)/p(y) exactly, pays for.
  double shortfall = 0;
  for (const auto& run : runs) {
    for (size_t l = 0; l < levels.size(); ++l) {
      shortfall += (run.infonce[l].mean - run.nwj_on_infonce[l].mean) /
                   static_cast<double>(runs.size() * levels.size());
    }
  }
  if (std::isfinite(shortfall)) {
    text += fmt::format(
        "NWJ evaluated on the InfoNCE-trained critic is on average {:.2f} nats {} that critic's "
        "InfoNCE estimate{}.\n",
        std::abs(shortfall), shortfall > 0 ? "below" : "above",
        shortfall > 0 ? ": the InfoNCE loss leaves the scores' offset free (it cancels in the "
                        "softmax), and NWJ, which needs the critic 1 + log p(y|x)/p(y) itself, "
                        "pays for the offset"
                      : "");
  }
  if (!diverged.empty()) {
    text += fmt::format("NWJ diverged (non-finite) at {}.\n", join(diverged, "; "));
  }
  if (counted > 0 && infonce_sd > 0) {
    text += fmt::format(
        "NWJ's standard deviation over each level's last steps averages {:.3f} nats, {:.1f} times "
        "InfoNCE's {:.3f}: {}.\n",
        nwj_sd / counted, nwj_sd / infonce_sd, infonce_sd / counted,
        nwj_sd > infonce_sd ? "NWJ buys its missing ceiling with variance"
                            : "here NWJ is no noisier than InfoNCE");
  }
  return text;
}

// The picture's smoothing: a tenth of a level.
int64_t smoothing_window(int64_t steps_per_level) {
  return std::max<int64_t>(1, steps_per_level / 10);
}

// A trailing mean over the last `window` points, restarting at each level (no smoothing across a
// step of the staircase).
std::vector<double> smooth(const std::vector<double>& trace, int64_t steps_per_level,
                           int64_t window) {
  std::vector<double> out(trace.size());
  for (size_t i = 0; i < trace.size(); ++i) {
    const size_t level_start = i - i % static_cast<size_t>(steps_per_level);
    const size_t first = std::max(level_start, i + 1 > static_cast<size_t>(window)
                                                   ? i + 1 - static_cast<size_t>(window)
                                                   : size_t{0});
    double sum = 0;
    for (size_t j = first; j <= i; ++j) sum += trace[j];
    out[i] = sum / static_cast<double>(i + 1 - first);
  }
  return out;
}

void draw(const Options& o, const std::vector<BatchRun>& runs, const std::vector<double>& levels) {
  const int panels = static_cast<int>(runs.size());
  plot::Figure figure(o.out, /*width=*/600 * panels, /*height=*/600, panels);
  const int64_t window = smoothing_window(o.steps_per_level);
  const double top_level = *std::max_element(levels.begin(), levels.end());
  for (const auto& run : runs) {
    const auto& steps = run.infonce_critic.trace_step;
    std::vector<double> x(steps.begin(), steps.end()), truth(x.size()), ceiling(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
      truth[i] = levels[std::min<size_t>(steps[i] / o.steps_per_level, levels.size() - 1)];
      ceiling[i] = run.log_batch;
    }
    // NWJ's early steps can dip far below zero; its curve is clipped to the panel's range of
    // interest so that the staircase stays readable.
    const double lo = -1.0, hi = 1.5 * std::max(top_level, run.log_batch);
    auto nwj = smooth(run.nwj_critic.trace_nwj, o.steps_per_level, window);
    for (auto& v : nwj) v = std::clamp(v, lo, hi);
    figure.series({{"InfoNCE log B - L", x,
                    smooth(run.infonce_critic.trace_infonce, o.steps_per_level, window),
                    plot::Series::Style::kLine},
                   {"NWJ (own critic)", x, nwj, plot::Series::Style::kLine},
                   {"true MI", x, truth, plot::Series::Style::kDashed},
                   {"log B", x, ceiling, plot::Series::Style::kDashed}},
                  {fmt::format("B = {} (nats)", run.batch), "training step", "MI estimate (nats)"});
  }
  figure.save();
}

Outcome run(const RunContext& context, const Options& o) {
  const auto levels = parse_levels(o.levels);
  const auto batch_sizes = checked_batch_sizes(o.batch_sizes);
  std::vector<BatchRun> runs;
  for (const int64_t batch : batch_sizes)
    runs.push_back(run_batch(o, batch, levels, context.device));

  const auto n_levels = static_cast<int64_t>(levels.size());
  const int64_t tail = std::max<int64_t>(
      1,
      static_cast<int64_t>(std::llround(kTailFraction * static_cast<double>(o.steps_per_level))));
  std::vector<std::string> level_names;
  for (const double l : levels) level_names.push_back(fmt::format("{:g}", l));
  Outcome outcome;
  outcome.text = fmt::format(
      "InfoNCE as a lower bound on I(x; y) (Poole et al. 2019, Fig. 2): x, y in R^{}, per "
      "coordinate y = rho x + sqrt(1 - rho^2) eps, rho = sqrt(1 - exp(-2 I / {})), true MI I "
      "stepping through {} nats every {} steps ({} Adam steps per critic, lr {:g}, fresh batches "
      "each step, seed {}).\n"
      "Critic g(x)^T h(y), two MLPs {}-{}-ReLU-{}. InfoNCE: log B - L of infozoo's InfoNCE loss "
      "(in-batch, K = B - 1 negatives, temperature 1), the critic trained on that loss. NWJ: a "
      "second critic, same batches and initialisation, trained on the NWJ bound. Each level's "
      "estimate is the mean over its last {} steps (training batches, before each update), "
      "nats.\n",
      kDim, kDim, join(level_names, ", "), o.steps_per_level, n_levels * o.steps_per_level,
      kLearningRate, o.seed, kDim, kHidden, kEmbed, tail);
  nlohmann::json infonce = nlohmann::json::object(), nwj = nlohmann::json::object(),
                 log_batch = nlohmann::json::object();
  for (const auto& run : runs) {
    const auto key = std::to_string(run.batch);
    outcome.text += fmt::format(
        "\nB = {} (log B = {:.3f} nats, the InfoNCE ceiling)\n"
        "level  true MI  log B   InfoNCE  NWJ (sd)          NWJ on the InfoNCE critic\n",
        run.batch, run.log_batch);
    std::vector<double> infonce_levels, nwj_levels;
    for (int64_t l = 0; l < n_levels; ++l) {
      const auto& i = run.infonce[static_cast<size_t>(l)];
      const auto& n = run.nwj[static_cast<size_t>(l)];
      outcome.text += fmt::format("{:5d}  {:7.3f}  {:5.3f}  {:7.3f}  {:7.3f} ({:6.3f})  {:9.3f}\n",
                                  l + 1, levels[static_cast<size_t>(l)], run.log_batch, i.mean,
                                  n.mean, n.sd, run.nwj_on_infonce[static_cast<size_t>(l)].mean);
      infonce_levels.push_back(i.mean);
      nwj_levels.push_back(n.mean);
    }
    outcome.text += fmt::format(
        "held out after training ({} fresh batches at {:g} nats): InfoNCE {:.3f}, NWJ {:.3f}\n",
        kEvalBatches, levels.back(), run.infonce_critic.infonce, run.nwj_critic.nwj);
    infonce[key] = infonce_levels;
    nwj[key] = nwj_levels;
    log_batch[key] = run.log_batch;
  }
  outcome.text += "\n" + conclusions(runs, levels);
  outcome.json = {{"true_mi", levels},      {"batch_sizes", batch_sizes},
                  {"infonce", infonce},     {"nwj", nwj},
                  {"log_batch", log_batch}, {"steps_per_level", o.steps_per_level}};
  if (!o.out.empty()) {
    draw(o, runs, levels);
    outcome.text += fmt::format(
        "Staircase written to {} (one panel per B: each bound's trailing mean over {} steps within "
        "a level, NWJ clipped to the panel's range, true MI and log B dashed)\n",
        o.out, smoothing_window(o.steps_per_level));
  }
  return outcome;
}

}  // namespace

Subcommand infonce_bound_experiment() {
  return make_subcommand<Options>(
      "infonce-bound",
      "InfoNCE and NWJ as MI lower bounds on a staircase of true MI (seed 7.1; Poole et al. 2019)",
      add_options, run);
}

}  // namespace infozoo::apps
