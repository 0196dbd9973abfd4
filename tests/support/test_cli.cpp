// SPDX-License-Identifier: BSD-3-Clause
// run_infozoo: the command line in-process, for tests that link infozoo_app_experiments: every
// subcommand of the `infozoo` executable, the tools included.
#include <filesystem>
#include <sstream>

#include "cli/run_cli.h"
#include "test_support.h"
#include "tools/tools.h"

namespace infozoo::test_support {

CliResult run_infozoo(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = apps::run_cli(apps::every_subcommand(), args, out, err);
  return {code, out.str(), err.str()};
}

CliResult run_infozoo_in(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  const InDirectory in(dir);
  return run_infozoo(args);
}

}  // namespace infozoo::test_support
