// The contract every `infozoo` subcommand follows: options named and defaulted as in
// ../shared/reference/reference.py, the seed's printed text, and the reference's JSON.
#pragma once

#include <ATen/core/Tensor.h>
#include <CLI/CLI.hpp>
#include <c10/core/Device.h>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace infozoo::apps {

/// Runs the enclosing scope on one intra-op thread and restores the caller's count afterwards.
/// For the subcommands whose float32 GEMMs (OpenBLAS) sum in an order that follows the thread
/// count: an experiment prints the same bytes however many threads the caller runs, and at the
/// seed's sizes a second thread buys nothing.
class OneIntraOpThread {
 public:
  OneIntraOpThread();
  ~OneIntraOpThread();
  OneIntraOpThread(const OneIntraOpThread&) = delete;
  OneIntraOpThread& operator=(const OneIntraOpThread&) = delete;

 private:
  int threads_before_;
};

/// Options shared by the subcommands; each subcommand registers only those it uses.
struct Settings {
  int64_t seed = 42;
  std::optional<int64_t> samples;  // unset: the experiment's own default, as in reference.py
  int64_t bins = 30;
  int64_t epochs = 1000;
  int64_t steps = 1000;
  double beta_start = 1e-4;
  double beta_end = 0.02;
  std::string out;      // output file (PNG) where the experiment draws one
  std::string weights;  // state_dict file (mha)
  std::string device = "auto";
  bool json = false;

  /// The device `--device` names, resolved after parsing (auto: CUDA when available).
  c10::Device resolved_device{c10::kCPU};

  int64_t samples_or(int64_t fallback) const { return samples.value_or(fallback); }
};

/// What an experiment hands back: the reference's JSON and the seed's printed text (English).
struct Outcome {
  nlohmann::json json;
  std::string text;
};

/// A bad option value that CLI11's validators cannot express; the CLI exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One subcommand: its options and its computation.
struct Experiment {
  std::string name;
  std::string description;
  std::function<void(CLI::App&, Settings&)> add_options;
  std::function<Outcome(const Settings&)> run;
  bool in_all = true;  // `infozoo all` runs it (false: a subcommand beyond reference.py's sections)
};

// Option helpers: the reference's names, defaults and valid ranges.
void add_seed_option(CLI::App& app, Settings& s);
void add_samples_option(CLI::App& app, Settings& s, int64_t default_samples);
void add_bins_option(CLI::App& app, Settings& s);
void add_epochs_option(CLI::App& app, Settings& s);
void add_out_option(CLI::App& app, Settings& s, const std::string& default_out = "");

/// The values of `t` (any dtype or device) as float64, in row-major order, for JSON and plots.
std::vector<double> to_doubles(const at::Tensor& t);

/// The subcommands in the order `infozoo all` runs them (experiments.cpp).
const std::vector<Experiment>& experiments();

/// Runs the command line as `infozoo` does, writing to `out`/`err`; returns the exit code
/// (0 success, 1 runtime failure, 2 bad option or value). Shared by main() and the tests.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// Sees the parsed settings of the chosen experiment (nullptr: `all`) before it runs; may adjust
/// them, or return false to stop there (run_cli then returns 0 and prints nothing). For harnesses
/// that drive the parser with arbitrary arguments but must bound the work (tests/fuzz/).
using RunFilter = std::function<bool(const Experiment* chosen, Settings& settings)>;

/// run_cli with `filter` consulted between parsing and running.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const RunFilter& filter);

}  // namespace infozoo::apps
