// SPDX-License-Identifier: BSD-3-Clause
// A scope that runs on one intra-op thread, for the experiments whose float32 GEMMs would round
// differently with another thread count.
#pragma once

namespace infozoo::apps {

/// Runs the enclosing scope on one intra-op thread and restores the caller's count afterwards.
/// For the subcommands whose float32 GEMMs (OpenBLAS) sum in an order that follows the thread
/// count: an experiment prints the same bytes however many threads the caller runs, and at the
/// seed's sizes a second thread buys nothing.
/// Example: `const OneIntraOpThread same_bytes_for_any_thread_count;`
class OneIntraOpThread {
 public:
  OneIntraOpThread();
  ~OneIntraOpThread();
  OneIntraOpThread(const OneIntraOpThread&) = delete;
  OneIntraOpThread& operator=(const OneIntraOpThread&) = delete;

 private:
  int threads_before_;
};

}  // namespace infozoo::apps
