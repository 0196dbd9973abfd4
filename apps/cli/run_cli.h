// SPDX-License-Identifier: BSD-3-Clause
// The `infozoo` command line: one CLI11 subcommand per experiment plus `all`, with the exit
// codes of the contract (0 success, 1 runtime failure, 2 bad option or value).
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/subcommand.h"

namespace infozoo::apps {

/// Runs the command line `args` (argv without the program name) over `subcommands` as `infozoo`
/// does, writing to `out`/`err`; returns the exit code (0 success, 1 runtime failure, 2 bad option
/// or value, with one line on `err`). Shared by main() and the tests.
/// Example: `run_cli(experiments(), {"mi", "--json"}, std::cout, std::cerr);`
int run_cli(const std::vector<Subcommand>& subcommands, const std::vector<std::string>& args,
            std::ostream& out, std::ostream& err);

/// Sees the chosen subcommand (nullptr: `all`) and its parsed options before it runs; returning
/// false stops there (run_cli then returns 0 and prints nothing). It may rewrite option values
/// (retype_option in common_options.h). For harnesses that drive the
/// parser with arbitrary arguments but must bound the work (tests/fuzz/).
using RunFilter = std::function<bool(const Subcommand* chosen, CLI::App& parsed)>;

/// run_cli with `filter` consulted between parsing and running.
/// Example: `run_cli(experiments(), args, out, err, [](auto*, CLI::App&) { return false; });`
int run_cli(const std::vector<Subcommand>& subcommands, const std::vector<std::string>& args,
            std::ostream& out, std::ostream& err, const RunFilter& filter);

}  // namespace infozoo::apps
