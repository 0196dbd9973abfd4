// SPDX-License-Identifier: BSD-3-Clause
#include "tools/tools.h"

#include "experiments/catalog.h"

namespace infozoo::apps {

const std::vector<Subcommand>& tools() {
  static const std::vector<Subcommand> all = {rank_tool(), select_tool()};
  return all;
}

std::vector<Subcommand> every_subcommand() {
  auto all = experiments();
  all.insert(all.end(), tools().begin(), tools().end());
  return all;
}

}  // namespace infozoo::apps
