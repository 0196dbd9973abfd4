// SPDX-License-Identifier: BSD-3-Clause
// `infozoo diffusion-mi`: the seed's 8.1 seen through an estimator. The seed bounds I(X0; Xt)
// along the noise schedule by the Gaussian-channel capacity; here the information itself is
// estimated (multivariate KSG) for data that are not Gaussian (standardised make_moons), beside
// that bound, so that one sees where the bound is loose, where the estimator runs into its own
// ceiling (about log n for n samples), and where both vanish.
#include <ATen/ATen.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "infozoo/analysis/ksg.h"
#include "infozoo/datasets/make_moons.h"
#include "infozoo/datasets/numpy_random.h"
#include "infozoo/models/diffusion_schedule.h"
#include "output/plot.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kScheduleSteps = 1000;  // the seed's linear schedule, T = 1000
constexpr double kMoonsNoise = 0.1;
constexpr int64_t kDimension = 2;  // make_moons is 2-D
// Below this, an information is "gone": a KSG estimate from independent samples of a few thousand
// points scatters by about 0.005 nats around 0, and the bound's last steps are ~1e-4 nats.
constexpr double kNegligible = 0.02;
// An estimate is "still growing with n" when doubling the samples (n/2 -> n) raises it by more than
// a quarter of the log 2 = 0.693 nats that an estimate pinned at its ceiling psi(n) - psi(k) gains.
constexpr double kSampleLimited = 0.25 * 0.69314718055994531;

struct Options {
  int64_t seed = 42;
  int64_t samples = 5000;
  int64_t k = 3;
  int64_t steps = 20;  // how many t values, from 0 to T - 1
  std::string out;
};

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  add_samples_option(app, o.samples, /*minimum=*/4, "for a 1-NN estimate on half of them");
  app.add_option("--k", o.k, "Neighbours of the KSG estimate (less than --samples / 2)")
      ->check(integer_in(1, kMaxSize))
      ->capture_default_str();
  app.add_option("--steps", o.steps,
                 fmt::format("Number of diffusion steps t at which to estimate, from 0 to {} (T = "
                             "{}), denser at small t",
                             kScheduleSteps - 1, kScheduleSteps))
      ->check(integer_in(2, kScheduleSteps))
      ->capture_default_str();
  add_out_option(app, o.out);
}

// psi(m) for an integer m >= 1: -gamma + sum_{j < m} 1/j (in a fixed order).
double digamma_of_integer(int64_t m) {
  double sum = -0.57721566490153286061;
  for (int64_t j = 1; j < m; ++j) sum += 1.0 / static_cast<double>(j);
  return sum;
}

// The t values: `count` integers from 0 to T - 1, spaced quadratically (t_i ~ (T - 1) (i / (count -
// 1))^2), denser at small t where the information changes fastest; each at least one step after
// the one before (so they are distinct; count <= T keeps the last at T - 1).
std::vector<int64_t> step_grid(int64_t count) {
  std::vector<int64_t> t;
  for (int64_t i = 0; i < count; ++i) {
    const double u = static_cast<double>(i) / static_cast<double>(count - 1);
    const auto quadratic = static_cast<int64_t>(std::llround((kScheduleSteps - 1) * u * u));
    t.push_back(t.empty() ? 0 : std::max(t.back() + 1, quadratic));
  }
  return t;
}

// The steps at `indices` of `t`, for a sentence: "t = 315 to 999 (14 of 20 steps)" when they
// are consecutive in the grid, else "t = 0, 53 and 105".
std::string steps_text(const std::vector<int64_t>& t, const std::vector<size_t>& indices) {
  if (indices.size() >= 3 && indices.back() - indices.front() + 1 == indices.size()) {
    return fmt::format("t = {} to {} ({} of {} steps)", t[indices.front()], t[indices.back()],
                       indices.size(), t.size());
  }
  std::string text = "t = ";
  for (size_t i = 0; i < indices.size(); ++i) {
    if (i > 0) text += i + 1 == indices.size() ? " and " : ", ";
    text += std::to_string(t[indices[i]]);
  }
  return text;
}

struct Curves {
  std::vector<int64_t> t;
  std::vector<double> alpha_bar, snr, ksg, ksg_half, bound, bound_same_cov;
  double ceiling = 0, log_n = 0, correlation = 0;
};

bool sample_limited(const Curves& c, size_t i) { return c.ksg[i] - c.ksg_half[i] > kSampleLimited; }

// The estimator's limit: where the bound allows more than KSG can report from n samples, where the
// estimate still grows with the sample size, or where it sits within 10% of its ceiling.
std::string ceiling_conclusion(const Curves& c, int64_t n) {
  std::vector<size_t> beyond, growing, near;
  for (size_t i = 0; i < c.t.size(); ++i) {
    if (c.bound[i] >= c.ceiling) beyond.push_back(i);
    if (sample_limited(c, i)) growing.push_back(i);
    if (c.ksg[i] >= 0.9 * c.ceiling) near.push_back(i);
  }
  std::string text;
  if (!beyond.empty()) {
    const size_t i = beyond.front();
    text += fmt::format(
        "- At {} the bound ({:.3f} nats{}) is above the KSG ceiling psi(n) - psi(k) = "
        "{:.3f} nats (about log n = {:.3f}), the most that algorithm 1 can report from n = {} "
        "samples: there the estimate ({:.3f} nats, {:.0f}% of the ceiling) says how much n "
        "samples can show, not how much information there is (for continuous data I(X0; Xt) grows "
        "without limit as alpha_bar -> 1). Ten times the samples raise the ceiling by log 10 = "
        "2.303 nats.\n",
        steps_text(c.t, beyond), c.bound[i],
        beyond.size() > 1 ? fmt::format(" at t = {}", c.t[i]) : "", c.ceiling, c.log_n, n, c.ksg[i],
        100 * c.ksg[i] / c.ceiling);
  }
  if (!growing.empty()) {
    const size_t i = growing.front();
    text += fmt::format(
        "- At {} the estimate still grows with the sample size: at t = {} it is {:.3f} nats from "
        "the first n/2 = {} samples and {:.3f} from all n (+{:.3f}; an estimate at its ceiling "
        "gains log 2 = 0.693 per doubling). There KSG reads low, limited by n rather than by the "
        "information.\n",
        steps_text(c.t, growing), c.t[i], c.ksg_half[i], n / 2, c.ksg[i], c.ksg[i] - c.ksg_half[i]);
  }
  if (!near.empty()) {
    const size_t i = near.front();
    text += fmt::format(
        "- At {} the estimate is within 10% of the ceiling ({:.3f} of {:.3f} nats at t = {}): it "
        "is held down by the sample size there.\n",
        steps_text(c.t, near), c.ksg[i], c.ceiling, c.t[i]);
  }
  if (beyond.empty() && growing.empty() && near.empty()) {
    text += fmt::format(
        "- The bound stays below the KSG ceiling psi(n) - psi(k) = {:.3f} nats (about log n = "
        "{:.3f}), no estimate comes within 10% of it, and none grows by more than {:.3f} nats "
        "from n/2 to n samples: no step shown is limited by the sample size.\n",
        c.ceiling, c.log_n, kSampleLimited);
  }
  return text;
}

// The estimate against the bounds where the bound is between kNegligible and the ceiling and the
// estimate is not sample-limited (there KSG could show the bound if the data carried that much).
std::string bound_conclusion(const Curves& c, int64_t n, int64_t k) {
  std::vector<size_t> region, over_same_cov, tight;
  size_t lowest = c.t.size(), highest = c.t.size();
  for (size_t i = 0; i < c.t.size(); ++i) {
    if (c.ksg[i] > c.bound_same_cov[i]) over_same_cov.push_back(i);
    if (c.bound[i] < kNegligible || c.bound[i] >= c.ceiling || sample_limited(c, i)) continue;
    region.push_back(i);
    const double ratio = c.ksg[i] / c.bound[i];
    if (lowest == c.t.size() || ratio < c.ksg[lowest] / c.bound[lowest]) lowest = i;
    if (highest == c.t.size() || ratio > c.ksg[highest] / c.bound[highest]) highest = i;
    if (ratio >= 0.95) tight.push_back(i);
  }
  if (region.empty()) {
    return fmt::format(
        "- At no step is the bound both below the ceiling and above {} nats with an estimate "
        "that is not sample-limited: use more --steps or --samples to see the decay.\n",
        kNegligible);
  }
  std::string text = fmt::format(
      "- Where the bound lies between {} nats and the ceiling and the estimate is not "
      "sample-limited, at {}, the estimate is {:.0f}% to {:.0f}% of the bound.",
      kNegligible, steps_text(c.t, region), 100 * c.ksg[lowest] / c.bound[lowest],
      100 * c.ksg[highest] / c.bound[highest]);
  if (c.ksg[lowest] < 0.95 * c.bound_same_cov[lowest]) {
    text += fmt::format(
        " It falls furthest below at t = {} ({:.3f} nats; the Gaussian input of X0's covariance "
        "would carry {:.3f}): the moons are not Gaussian and carry less, or KSG's downward bias, "
        "which grows with the information, hides part of it (compare --samples {}).",
        c.t[lowest], c.ksg[lowest], c.bound_same_cov[lowest], 4 * n);
  }
  text += "\n";
  if (!tight.empty()) {
    text += fmt::format(
        "- At {} the estimate is within 5% of the bound or above it: at low SNR, I(X0; Xt) = "
        "SNR/2 tr Cov(X0) + O(SNR^2) for any input (here tr Cov = d = {}), so the Gaussian bound "
        "becomes tight whatever the shape of the data.\n",
        steps_text(c.t, tight), kDimension);
  }
  if (!over_same_cov.empty()) {
    size_t worst = over_same_cov.front();
    for (const auto i : over_same_cov) {
      if (c.ksg[i] - c.bound_same_cov[i] > c.ksg[worst] - c.bound_same_cov[worst]) worst = i;
    }
    text += fmt::format(
        "- At {} the estimate is above the Gaussian bound for X0's covariance, which the true "
        "I(X0; Xt) cannot be (by up to {:.4f} nats, at t = {}): that much is the estimator's "
        "error, its bias and spread with k = {} and n = {}.\n",
        steps_text(c.t, over_same_cov), c.ksg[worst] - c.bound_same_cov[worst], c.t[worst], k, n);
  }
  return text;
}

// Where both vanish: the first step from which both stay below kNegligible.
std::string vanishing_conclusion(const Curves& c) {
  const size_t m = c.t.size();
  size_t gone = m;
  for (size_t i = m; i-- > 0;) {
    if (std::abs(c.ksg[i]) >= kNegligible || c.bound[i] >= kNegligible) break;
    gone = i;
  }
  if (gone == m) {
    return fmt::format(
        "- At the last step shown (t = {}) the estimate ({:.4f} nats) or the bound ({:.4f}) is "
        "still above {} nats.\n",
        c.t.back(), c.ksg.back(), c.bound.back(), kNegligible);
  }
  return fmt::format(
      "- From t = {} on, both the estimate ({:.4f} nats there) and the bound ({:.4f}) are below "
      "{} nats: Xt is nearly independent of X0, nearly pure noise, as the reverse process "
      "assumes at its start (at t = {}: estimate {:.4f}, bound {:.2e} nats).\n",
      c.t[gone], c.ksg[gone], c.bound[gone], kNegligible, c.t.back(), c.ksg.back(), c.bound.back());
}

void draw(const std::string& path, const Curves& c, int64_t n, int64_t k) {
  plot::Figure figure(path, /*width=*/900, /*height=*/560);
  std::vector<double> t(c.t.begin(), c.t.end());
  const std::vector<double> ends = {t.front(), t.back()};
  using Style = plot::Series::Style;
  // The n/2 estimate first, so that the full one is drawn over it where they coincide.
  figure.series(
      {{fmt::format("KSG from the first n/2 = {}", n / 2), t, c.ksg_half, Style::kMarkers},
       {fmt::format("KSG estimate (k = {})", k), t, c.ksg, Style::kMarkers},
       {"Gaussian-channel bound d/2 log(1 + SNR)", t, c.bound, Style::kLine},
       {"Gaussian input of X0's covariance", t, c.bound_same_cov, Style::kLine},
       {fmt::format("log n = {:.2f}", c.log_n), ends, {c.log_n, c.log_n}, Style::kDashed},
       {fmt::format("KSG ceiling psi(n) - psi(k) = {:.2f}", c.ceiling),
        ends,
        {c.ceiling, c.ceiling},
        Style::kDashed}},
      {fmt::format("I(X0; Xt) of standardised make_moons, n = {}", n), "diffusion step t",
       "I(X0; Xt) (nats)"});
  figure.save();
}

Outcome run(const RunContext& context, const Options& o) {
  const int64_t n = o.samples;
  if (o.k >= n / 2) {
    throw UsageError(fmt::format(
        "--k must be less than half of --samples (the estimate is repeated on the first "
        "--samples / 2), got --k {} and --samples {}",
        o.k, n));
  }
  // X0: make_moons, each column standardised (mean 0, variance 1, ddof 0), so that the input
  // power per coordinate is 1 and the channel's SNR is alpha_bar / (1 - alpha_bar).
  const auto moons = datasets::make_moons(n, kMoonsNoise, /*shuffle=*/true, o.seed);
  const auto mean = moons.X.mean(0, /*keepdim=*/true);
  const auto stdev = moons.X.std(0, /*unbiased=*/false, /*keepdim=*/true);
  const auto x0 = ((moons.X - mean) / stdev).contiguous();  // float64 [n, 2]
  const double r = (x0.select(1, 0) * x0.select(1, 1)).mean().item<double>();
  // One noise draw for every t (common random numbers: the curve's wiggles are the estimator's,
  // not fresh noise's), from its own stream so that it is independent of make_moons' noise.
  datasets::NumpyRandomState noise_rng((o.seed + 1) % (int64_t{1} << 32));
  const auto noise = noise_rng.randn({n, kDimension});

  models::DiffusionSchedule schedule{models::DiffusionScheduleOptions(kScheduleSteps)};
  schedule->to(context.device);
  const auto x0_device = x0.to(context.device);
  const auto noise_device = noise.to(context.device);
  const auto alpha_bar = schedule->alpha_bar.to(at::kCPU, at::kDouble);

  Curves c;
  c.t = step_grid(o.steps);
  c.log_n = std::log(static_cast<double>(n));
  c.ceiling = digamma_of_integer(n) - digamma_of_integer(o.k);  // algorithm 1's largest value
  c.correlation = r;
  const auto options = analysis::KsgOptions().k(o.k);
  for (const auto t : c.t) {
    const auto xt =
        schedule->q_sample(x0_device, at::scalar_tensor(t, at::kLong), noise_device).cpu();
    const double ab = alpha_bar[t].item<double>();
    const double snr = models::signal_to_noise(at::scalar_tensor(ab, at::kDouble)).item<double>();
    c.alpha_bar.push_back(ab);
    c.snr.push_back(snr);
    c.bound.push_back(kDimension *
                      models::gaussian_channel_mi_upper_bound(at::scalar_tensor(snr, at::kDouble))
                          .item<double>());
    // The Gaussian of X0's covariance [[1, r], [r, 1]]: 1/2 log det(I + SNR Sigma).
    c.bound_same_cov.push_back(0.5 * std::log((1 + snr) * (1 + snr) - snr * snr * r * r));
    c.ksg.push_back(analysis::ksg_mutual_info(x0, xt, options));
    // The first half of the (shuffled) samples: how much the estimate still moves with n.
    c.ksg_half.push_back(
        analysis::ksg_mutual_info(x0.narrow(0, 0, n / 2), xt.narrow(0, 0, n / 2), options));
  }

  Outcome outcome;
  outcome.text = fmt::format(
      "I(X0; Xt) along the diffusion schedule, X0 = standardised make_moons (n = {}, noise {}, "
      "seed {}, d = {})\n"
      "Xt = sqrt(alpha_bar_t) X0 + sqrt(1 - alpha_bar_t) eps: the seed's linear schedule, T = {}, "
      "beta from 1e-4 to 0.02\n"
      "KSG: Kraskov et al.'s algorithm 1, k = {}, max-norm, X0 [n, 2] against Xt [n, 2]; 'KSG n/2' "
      "from the first n/2 samples only, to see whether the estimate still grows with n\n"
      "Bound: d/2 log(1 + SNR_t), SNR_t = alpha_bar_t / (1 - alpha_bar_t). For an input of a given "
      "covariance, a Gaussian input maximises I(X0; sqrt(alpha_bar) X0 + sqrt(1 - alpha_bar) eps) "
      "(it maximises h(Xt)), giving 1/2 log det(I + SNR Sigma); with unit variances "
      "(standardised) Hadamard's inequality bounds that by d/2 log(1 + SNR). The column "
      "'same cov' is the tighter 1/2 log det(I + SNR Sigma) for X0's Sigma (correlation r = "
      "{:.3f}).\n"
      "All information in nats.\n\n",
      n, kMoonsNoise, o.seed, kDimension, kScheduleSteps, o.k, r);
  outcome.text += fmt::format("{:>5}  {:>12}  {:>11}  {:>10}  {:>10}  {:>10}  {:>10}\n", "t",
                              "alpha_bar_t", "SNR_t", "KSG", "KSG n/2", "bound", "same cov");
  for (size_t i = 0; i < c.t.size(); ++i) {
    outcome.text += fmt::format(
        "{:>5}  {:>12.6f}  {:>11.4e}  {:>10.4f}  {:>10.4f}  {:>10.4f}  {:>10.4f}\n", c.t[i],
        c.alpha_bar[i], c.snr[i], c.ksg[i], c.ksg_half[i], c.bound[i], c.bound_same_cov[i]);
  }
  outcome.text += "\nConclusions:\n" + ceiling_conclusion(c, n) + bound_conclusion(c, n, o.k) +
                  vanishing_conclusion(c);
  outcome.json = {{"t", c.t},
                  {"ksg", c.ksg},
                  {"ksg_half", c.ksg_half},
                  {"bound", c.bound},
                  {"bound_same_covariance", c.bound_same_cov},
                  {"alpha_bar", c.alpha_bar},
                  {"snr", c.snr},
                  {"ceiling", c.ceiling},
                  {"log_n", c.log_n},
                  {"n", n},
                  {"k", o.k}};
  if (!o.out.empty()) {
    draw(o.out, c, n, o.k);
    outcome.text += fmt::format("Both curves written to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand diffusion_mi_experiment() {
  return make_subcommand<Options>(
      "diffusion-mi",
      "KSG estimate of I(X0; Xt) along the diffusion schedule vs the Gaussian bound (seed 8.1)",
      add_options, run);
}

}  // namespace infozoo::apps
