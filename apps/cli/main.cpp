// SPDX-License-Identifier: BSD-3-Clause
// `infozoo`: one subcommand per printed experiment of the seed tutorial (see README.md).
#include <ATen/Parallel.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

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
#if defined(__GLIBC__)
  // Activations of a few MiB are freed and allocated again at every step of a training or
  // sampling loop. By default glibc serves each from a fresh mmap (or trims the heap after it),
  // and the kernel then zeroes its pages again: 15% of `ddpm`'s time in perf. Keeping freed
  // memory in the heap lets the next step reuse it.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
  const std::vector<std::string> args(argv + 1, argv + argc);
  return infozoo::apps::run_cli(infozoo::apps::every_subcommand(), args, std::cout, std::cerr);
}
