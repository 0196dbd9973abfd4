// Options several subcommands share, with the reference's names, defaults and valid ranges. Each
// subcommand keeps the values in its own options struct and registers only those it uses.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace infozoo::apps {

/// `--seed`: numpy's np.random.seed / torch.manual_seed, in [0, 2^32).
/// Example: `add_seed_option(app, options.seed);`
void add_seed_option(CLI::App& app, int64_t& seed);

/// `--samples`: how many samples the experiment draws; it keeps its default when not given.
/// Example: `add_samples_option(app, options.samples);`
void add_samples_option(CLI::App& app, int64_t& samples);

/// `--bins`: histogram bins per axis, in [1, 4096].
/// Example: `add_bins_option(app, options.bins);`
void add_bins_option(CLI::App& app, int64_t& bins);

/// `--epochs`: training epochs, at least 1.
/// Example: `add_epochs_option(app, options.epochs);`
void add_epochs_option(CLI::App& app, int64_t& epochs);

/// `--out`: the PNG file to draw to. `default_out` is kept only in a build that can draw (PLplot):
/// without it nothing is drawn unless asked, and an explicit --out then fails clearly.
/// Example: `add_out_option(app, options.out, "posenc.png");`
void add_out_option(CLI::App& app, std::string& out, const std::string& default_out = "");

}  // namespace infozoo::apps
