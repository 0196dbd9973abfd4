// SPDX-License-Identifier: BSD-3-Clause
// The tools: subcommands that work on the user's own data rather than on one of the seed's
// examples (not in `infozoo all`).
#pragma once

#include <vector>

#include "cli/subcommand.h"

namespace infozoo::apps {

/// The tools, as `infozoo --help` lists them after the experiments.
/// Example: `run_cli(tools(), {"rank", "data.csv", "--target", "y"}, std::cout, std::cerr);`
const std::vector<Subcommand>& tools();

/// Everything `infozoo` offers: the seed's experiments (experiments/catalog.h), then the tools.
/// Example: `run_cli(every_subcommand(), args, std::cout, std::cerr);`
std::vector<Subcommand> every_subcommand();

Subcommand rank_tool();    ///< `infozoo rank FILE --target COL`, rank.cpp
Subcommand select_tool();  ///< `infozoo select FILE --target COL --method M -k N`, select.cpp

}  // namespace infozoo::apps
