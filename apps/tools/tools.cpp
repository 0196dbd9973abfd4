// SPDX-License-Identifier: BSD-3-Clause
#include "tools/tools.h"

namespace infozoo::apps {

const std::vector<Subcommand>& tools() {
  static const std::vector<Subcommand> all = {rank_tool(), select_tool()};
  return all;
}

}  // namespace infozoo::apps
