// SPDX-License-Identifier: BSD-3-Clause
// Options several subcommands share, with the reference's names, defaults and valid ranges. Each
// subcommand keeps the values in its own options struct and registers only those it uses.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace infozoo::apps {

/// The largest size option (--samples, --epochs): 2^40, far beyond any machine's memory, so that
/// a typo is refused by the option and a big-but-real size reaches the clear out-of-memory error.
inline constexpr int64_t kMaxSize = int64_t{1} << 40;

/// A CLI11 check that the value is a whole decimal number in [minimum, maximum] (help: "in
/// [minimum, maximum]"). Anything else is refused with the value and, for a number, the limit it
/// broke: "'1e3' is not an integer", "must be >= 4 <why_minimum>, got 3", "must be <= 4096, got
/// 5000". `why_minimum` (e.g. "for the 3-NN estimate") says where a minimum above the natural one
/// comes from.
/// Example: `app.add_option("--steps", steps)->check(integer_in(2, int64_t{1} << 30));`
CLI::Validator integer_in(int64_t minimum, int64_t maximum, const std::string& why_minimum = "");

/// `--seed`: numpy's np.random.seed / torch.manual_seed, in [0, 2^32).
/// Example: `add_seed_option(app, options.seed);`
void add_seed_option(CLI::App& app, int64_t& seed);

/// The options of a subcommand whose only choice is its random seed.
/// Example: `make_subcommand<SeedOptions>("attention", "...", add_seed_options, run);`
struct SeedOptions {
  int64_t seed = 42;  ///< numpy's / torch's seed, as the reference's --seed
};

/// Registers SeedOptions' `--seed` on `app`.
/// Example: `SeedOptions options; add_seed_options(app, options);`
void add_seed_options(CLI::App& app, SeedOptions& options);

/// `--samples`: how many samples the experiment draws, in [minimum, kMaxSize]; it keeps its
/// default when not given. `why_minimum` as for integer_in.
/// Example: `add_samples_option(app, options.samples, 4, "for the 3-NN estimate");`
void add_samples_option(CLI::App& app, int64_t& samples, int64_t minimum = 1,
                        const std::string& why_minimum = "");

/// `--bins`: histogram bins per axis, in [1, 4096].
/// Example: `add_bins_option(app, options.bins);`
void add_bins_option(CLI::App& app, int64_t& bins);

/// `--epochs`: training epochs, in [1, kMaxSize].
/// Example: `add_epochs_option(app, options.epochs);`
void add_epochs_option(CLI::App& app, int64_t& epochs);

/// `--out`: the PNG file to draw to; it must end in .png (PLplot's pngcairo writes PNG only), so
/// `--out p.svg` and `--out ""` are refused before anything runs. `default_out` is kept only in a
/// build that can draw (PLplot): without it nothing is drawn unless asked, and an explicit --out
/// then fails clearly.
/// Example: `add_out_option(app, options.out, "posenc.png");`
void add_out_option(CLI::App& app, std::string& out, const std::string& default_out = "");

/// Sets a parsed or registered option to `value` as if it had been typed: its checks run and its
/// bound variable takes the value. For harnesses that bound a run's work (tests/fuzz/).
/// Example: `retype_option(*app.get_option("--samples"), "300");`
void retype_option(CLI::Option& option, const std::string& value);

/// Sets a registered `--out` (add_out_option) to `path` as if it had been typed, or to "" (draw
/// nothing), which no one can type: `infozoo all` draws only into its --out-dir.
/// Example: `set_out_option(*app.get_option("--out"), "pictures/posenc.png");`
void set_out_option(CLI::Option& out, const std::string& path);

}  // namespace infozoo::apps
