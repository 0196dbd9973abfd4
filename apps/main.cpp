// `infozoo`: one subcommand per printed experiment of the seed tutorial (see README.md).
#include <iostream>
#include <string>
#include <vector>

#include "experiment.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return infozoo::apps::run_cli(args, std::cout, std::cerr);
}
