// SPDX-License-Identifier: BSD-3-Clause
// `infozoo`: one subcommand per printed experiment of the seed tutorial (see README.md).
#include <ATen/Parallel.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/run_cli.h"
#include "tools/tools.h"

int main(int argc, char** argv) {
  // LibTorch sets its intra-op thread count lazily, at its first parallel op. A GEMM before that
  // runs on OpenMP's default of one thread per core, and OpenBLAS then rounds it differently from
  // the same GEMM later in the run.
  at::init_num_threads();
  const std::vector<std::string> args(argv + 1, argv + argc);
  return infozoo::apps::run_cli(infozoo::apps::every_subcommand(), args, std::cout, std::cerr);
}
