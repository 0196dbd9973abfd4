// SPDX-License-Identifier: BSD-3-Clause
// `infozoo scaling`: why attention divides by sqrt(dk) (seed 4.1, interview question 1),
// measured. For queries and keys with N(0, 1) components, q.k has variance dk; over L keys the
// unscaled softmax then saturates (its largest weight near 1, its entropy near 0) and the gradient
// that reaches the scores, the Jacobian-vector product, vanishes. Dividing by sqrt(dk) keeps the
// variance at 1 and both at the same level for every dk.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "experiments/one_intra_op_thread.h"
#include "infozoo/analysis/entropy.h"
#include "infozoo/analysis/softmax.h"
#include "output/plot.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kMaxDk = 1 << 16;
constexpr int64_t kMaxKeys = 1 << 16;
constexpr int64_t kChunk = 64;  // queries per batch of draws: [64, L, dk] floats at a time
// Above this mean largest weight a softmax counts as saturated (nearly one-hot).
constexpr double kSaturated = 0.9;

struct Options {
  int64_t seed = 42;
  std::vector<int64_t> dks{4, 16, 64, 256, 1024};
  int64_t keys = 64;
  int64_t queries = 1000;
  std::string out;
};

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  app.add_option("--dk", o.dks,
                 fmt::format("Comma-separated key dimensions dk in [1, {}], each once", kMaxDk))
      ->delimiter(',')
      ->check(integer_in(1, kMaxDk))
      ->capture_default_str();
  app.add_option("--keys", o.keys, "Keys L each query attends over (the softmax's length)")
      ->check(integer_in(2, kMaxKeys, "for a softmax over more than one key"))
      ->capture_default_str();
  app.add_option("--queries", o.queries, "Queries drawn per dk (each with its own L keys)")
      ->check(integer_in(2, int64_t{1} << 24, "for a variance"))
      ->capture_default_str();
  add_out_option(app, o.out, "scaling.png");
}

// Means over the queries of one softmax statistic, without and with the 1/sqrt(dk) scaling.
struct Pair {
  double unscaled = 0;
  double scaled = 0;
};

struct Row {
  int64_t dk = 0;
  Pair variance;    // of q.k over every (query, key)
  Pair max_weight;  // the softmax's largest weight
  Pair entropy;     // of the softmax, nats
  Pair grad_norm;   // ||J v|| for an upstream gradient v ~ N(0, I_L)
};

Row measure(int64_t dk, const Options& o, at::Generator& gen, const c10::Device& device) {
  Row row;
  row.dk = dk;
  const double scale = 1.0 / std::sqrt(static_cast<double>(dk));
  double sum = 0, sum_sq = 0;
  int64_t count = 0;
  for (int64_t done = 0; done < o.queries; done += kChunk) {
    const int64_t n = std::min(kChunk, o.queries - done);
    // Draws on the CPU generator, then to the device: the same numbers anywhere.
    const auto q = at::randn({n, 1, dk}, gen).to(device);
    const auto k = at::randn({n, o.keys, dk}, gen).to(device);
    const auto v = at::randn({n, o.keys}, gen).to(device);
    const auto scores = (q * k).sum(-1).to(at::kDouble);  // [n, L], q.k in float64 statistics
    sum += scores.sum().item<double>();
    sum_sq += scores.pow(2).sum().item<double>();
    count += scores.numel();
    for (const bool scaled : {false, true}) {
      const auto z = (scaled ? scores * scale : scores).to(at::kFloat);
      const auto p = analysis::stable_softmax(z).to(at::kDouble);
      // 0 log 0 = 0 (a saturated softmax has exact zeros), per row, in nats.
      const auto entropy = analysis::entropy(p, analysis::InfoUnit::kNats);
      const auto grad = analysis::softmax_jvp(z, v).to(at::kDouble).norm(2, -1);
      auto& mw = scaled ? row.max_weight.scaled : row.max_weight.unscaled;
      auto& h = scaled ? row.entropy.scaled : row.entropy.unscaled;
      auto& g = scaled ? row.grad_norm.scaled : row.grad_norm.unscaled;
      mw += std::get<0>(p.max(-1)).sum().item<double>();
      h += entropy.sum().item<double>();
      g += grad.sum().item<double>();
    }
  }
  const double mean = sum / static_cast<double>(count);
  row.variance.unscaled = (sum_sq - count * mean * mean) / static_cast<double>(count - 1);
  row.variance.scaled = row.variance.unscaled * scale * scale;
  for (Pair* pair : {&row.max_weight, &row.entropy, &row.grad_norm}) {
    pair->unscaled /= static_cast<double>(o.queries);
    pair->scaled /= static_cast<double>(o.queries);
  }
  return row;
}

nlohmann::json pair_json(const Pair& p) { return {{"unscaled", p.unscaled}, {"scaled", p.scaled}}; }

std::string conclusion(const std::vector<Row>& rows, int64_t keys) {
  const Row& first = rows.front();
  const Row& last = rows.back();
  std::string text;
  // Does the unscaled variance track dk, and the scaled one stay at 1?
  double worst_ratio = 0;
  for (const auto& r : rows) {
    worst_ratio = std::max(worst_ratio, std::abs(r.variance.unscaled / r.dk - 1));
  }
  text += worst_ratio < 0.1
              ? fmt::format(
                    "var(q.k) / dk stays within {:.1f}% of 1 over every dk: the variance "
                    "grows as dk, and dividing by sqrt(dk) brings it back to 1.\n",
                    100 * worst_ratio)
              : fmt::format(
                    "var(q.k) / dk is off 1 by up to {:.1f}%: too few queries to confirm "
                    "var = dk here (raise --queries).\n",
                    100 * worst_ratio);
  if (rows.size() < 2) return text;
  text += fmt::format(
      "From dk = {} to {}, the gradient reaching the scores goes from {:.3g} to {:.3g} unscaled "
      "and from {:.3g} to {:.3g} scaled: at dk = {} the unscaled one is {:.3g}x the scaled one",
      first.dk, last.dk, first.grad_norm.unscaled, last.grad_norm.unscaled, first.grad_norm.scaled,
      last.grad_norm.scaled, last.dk,
      last.grad_norm.unscaled / std::max(last.grad_norm.scaled, 1e-300));
  if (last.max_weight.unscaled > kSaturated && last.max_weight.scaled <= kSaturated) {
    text += fmt::format(
        "; unscaled, the largest weight averages {:.3f} (entropy {:.3f} of log L = {:.3f} nats): "
        "the softmax is nearly one-hot and passes little gradient, which the scaling prevents.\n",
        last.max_weight.unscaled, last.entropy.unscaled, std::log(static_cast<double>(keys)));
  } else if (last.max_weight.unscaled <= kSaturated) {
    text += fmt::format(
        "; the unscaled softmax is not saturated at dk = {} (largest weight {:.3f} <= {}), so "
        "this range does not show the problem the scaling solves.\n",
        last.dk, last.max_weight.unscaled, kSaturated);
  } else {
    text +=
        fmt::format("; even scaled, the largest weight averages {:.3f}.\n", last.max_weight.scaled);
  }
  return text;
}

void draw(const std::string& path, const std::vector<Row>& rows, int64_t keys) {
  using Style = plot::Series::Style;
  std::vector<double> x, h_un, h_sc, g_un, g_sc, ceiling;
  for (const auto& r : rows) {
    x.push_back(std::log2(static_cast<double>(r.dk)));
    h_un.push_back(r.entropy.unscaled);
    h_sc.push_back(r.entropy.scaled);
    g_un.push_back(std::log10(std::max(r.grad_norm.unscaled, 1e-30)));
    g_sc.push_back(std::log10(std::max(r.grad_norm.scaled, 1e-30)));
    ceiling.push_back(std::log(static_cast<double>(keys)));
  }
  plot::Figure figure(path, /*width=*/1400, /*height=*/550, /*panels=*/2);
  figure.series(
      {{"q.k (unscaled)", x, h_un, Style::kMarkers},
       {"q.k / sqrt(dk)", x, h_sc, Style::kMarkers},
       {"uniform: log L", x, ceiling, Style::kDashed}},
      {fmt::format("Softmax entropy over L = {} keys", keys), "log2 dk", "mean entropy (nats)"});
  figure.series(
      {{"q.k (unscaled)", x, g_un, Style::kMarkers}, {"q.k / sqrt(dk)", x, g_sc, Style::kMarkers}},
      {"Gradient reaching the scores", "log2 dk", "log10 mean ||J v|| (unitless)"});
  figure.save();
}

Outcome run(const RunContext& context, const Options& o) {
  const OneIntraOpThread same_bytes_for_any_thread_count;
  auto dks = o.dks;
  std::sort(dks.begin(), dks.end());
  if (dks.empty()) throw UsageError("--dk needs at least one key dimension");
  const auto repeated = std::adjacent_find(dks.begin(), dks.end());
  if (repeated != dks.end()) {
    throw UsageError(fmt::format("--dk must not repeat a dimension, got {} twice", *repeated));
  }
  auto gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(o.seed));
  std::vector<Row> rows;
  for (const int64_t dk : dks) rows.push_back(measure(dk, o, gen, context.device));

  Outcome outcome;
  outcome.text = fmt::format(
      "Why attention divides by sqrt(dk): for q, k with N(0, 1) components, the variance of q.k, "
      "and the softmax over L = {} keys without and with the scaling (means over {} queries; "
      "entropy in nats, at most log L = {:.3f}; ||J v|| is the gradient reaching the scores for "
      "an N(0, I) upstream gradient).\n",
      o.keys, o.queries, std::log(static_cast<double>(o.keys)));
  outcome.text += fmt::format("{:>6} {:>11} {:>9} | {:>17} | {:>17} | {:>19}\n", "dk", "var(q.k)",
                              "scaled", "max weight un/sc", "entropy un/sc", "||J v|| un/sc");
  auto json_rows = nlohmann::json::array();
  for (const auto& r : rows) {
    outcome.text += fmt::format(
        "{:>6} {:>11.2f} {:>9.3f} | {:>8.3f} {:>8.3f} | {:>8.3f} {:>8.3f} | {:>9.3e} {:>9.3e}\n",
        r.dk, r.variance.unscaled, r.variance.scaled, r.max_weight.unscaled, r.max_weight.scaled,
        r.entropy.unscaled, r.entropy.scaled, r.grad_norm.unscaled, r.grad_norm.scaled);
    json_rows.push_back({{"dk", r.dk},
                         {"variance", pair_json(r.variance)},
                         {"max_weight", pair_json(r.max_weight)},
                         {"entropy", pair_json(r.entropy)},
                         {"grad_norm", pair_json(r.grad_norm)}});
  }
  outcome.text += conclusion(rows, o.keys);
  outcome.json = {{"keys", o.keys}, {"queries", o.queries}, {"rows", json_rows}};
  if (!o.out.empty()) {
    draw(o.out, rows, o.keys);
    outcome.text += fmt::format("Entropy and gradient norm against dk written to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand scaling_experiment() {
  return make_subcommand<Options>(
      "scaling", "Why attention divides by sqrt(dk): variance, saturation, gradient (seed 4.1)",
      add_options, run);
}

}  // namespace infozoo::apps
