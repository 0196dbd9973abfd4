// run_infozoo: the command line in-process, for tests that link infozoo_experiments.
#include <sstream>

#include "experiment.h"
#include "test_support.h"

namespace infozoo::testing {

CliResult run_infozoo(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = apps::run_cli(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace infozoo::testing
