// SPDX-License-Identifier: BSD-3-Clause
// The contract every `infozoo` subcommand follows: a name, a one-line description, the options it
// owns (named and defaulted as in the reference's Python), and a run that turns them into the
// seed's printed text and the reference's JSON.
#pragma once

#include <c10/core/Device.h>
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>

namespace infozoo::apps {

/// What every run sees, whatever the subcommand: the options common to all of them.
struct RunContext {
  /// The device `--device` names, resolved after parsing (auto: CUDA when available).
  c10::Device device{c10::kCPU};
};

/// What a subcommand hands back: the reference's JSON and the seed's printed text (English).
struct Outcome {
  nlohmann::json json;
  std::string text;
};

/// A bad option value that CLI11's validators cannot express; the CLI exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Runs a subcommand on the options its `bind` registered.
using Runner = std::function<Outcome(const RunContext&)>;

/// One subcommand: its name, its description, and `bind`, which registers its options on a
/// CLI11 app (their storage lives in the returned Runner, one copy per registration) and returns
/// the Runner that reads them once the app has parsed.
struct Subcommand {
  std::string name;
  std::string description;
  std::function<Runner(CLI::App&)> bind;
  bool in_all = true;  ///< `infozoo all` runs it (false: beyond the reference's sections)
};

/// A subcommand whose options are the plain struct `Options`: `add_options(app, options)`
/// registers them, `run(context, options)` computes. Each registration owns a fresh `Options`.
/// Example:
///   struct MiOptions { int64_t seed = 42; };
///   Subcommand mi = make_subcommand<MiOptions>("mi", "Mutual information",
///       [](CLI::App& app, MiOptions& o) { add_seed_option(app, o.seed); },
///       [](const RunContext& c, const MiOptions& o) { return Outcome{}; });
template <class Options, class AddOptions, class Run>
Subcommand make_subcommand(std::string name, std::string description, AddOptions add_options,
                           Run run) {
  return Subcommand{
      std::move(name), std::move(description), [add_options, run](CLI::App& app) -> Runner {
        auto options = std::make_shared<Options>();
        add_options(app, *options);
        return [options, run](const RunContext& context) { return run(context, *options); };
      }};
}

/// A subcommand with no options of its own.
/// Example: `make_subcommand("jacobian", "The softmax Jacobian", [](const RunContext&) {...})`.
template <class Run>
Subcommand make_subcommand(std::string name, std::string description, Run run) {
  return Subcommand{std::move(name), std::move(description), [run](CLI::App&) -> Runner {
                      return [run](const RunContext& context) { return run(context); };
                    }};
}

}  // namespace infozoo::apps
