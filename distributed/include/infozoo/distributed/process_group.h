// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Rendezvous for data-parallel work (the distributed InfoNCE): a c10d store (a file, or TCP on
/// 127.0.0.1) and a Gloo process group on the loopback interface, every wait bounded by one timeout
/// so that a rank that never arrives, or dies, makes the others fail with a clear error instead of
/// hanging. Only built when LibTorch has c10d and Gloo's headers are present (INFOZOO_HAVE_C10D).
#pragma once

#include <torch/arg.h>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace infozoo::distributed {

/// Who this process is and how it finds the others. Exactly one of `file_store` (a path on a
/// file system every rank sees; must not hold a previous run's store) and `tcp_port` (rank 0
/// listens on 127.0.0.1:tcp_port, the others connect there) is set.
/// Example: `RendezvousOptions(/*world_size=*/2, /*rank=*/0).file_store("/tmp/run1/store")`.
struct RendezvousOptions {
  /// How many processes meet and which one this is; the store is chosen with the setters.
  RendezvousOptions(int64_t world_size, int64_t rank) : world_size_(world_size), rank_(rank) {}
  /// Number of processes, >= 1.
  TORCH_ARG(int64_t, world_size);
  /// This process, in [0, world_size).
  TORCH_ARG(int64_t, rank);
  /// Path of a c10d::FileStore.
  TORCH_ARG(std::string, file_store) = "";
  /// Port of a c10d::TCPStore on 127.0.0.1 (1..65535); 0 when a file store is used.
  TORCH_ARG(int64_t, tcp_port) = 0;
  /// Bound on every wait: connecting to the store, meeting the other ranks, each collective.
  TORCH_ARG(std::chrono::milliseconds, timeout) = std::chrono::seconds(30);
};

/// The store `options` name, with `options.timeout()` on every get and wait.
/// Example: `auto store = make_store(RendezvousOptions(2, rank).tcp_port(29511));`
c10::intrusive_ptr<c10d::Store> make_store(const RendezvousOptions& options);

/// A c10d::ProcessGroup whose collectives run on Gloo over 127.0.0.1, met through `store`.
/// Returns once all `world_size` ranks have arrived; throws a c10::Error naming the store and the
/// timeout when they have not within `timeout`.
/// Example: `auto group = make_gloo_process_group(store, rank, 2, std::chrono::seconds(5));`
c10::intrusive_ptr<c10d::ProcessGroup> make_gloo_process_group(
    const c10::intrusive_ptr<c10d::Store>& store, int64_t rank, int64_t world_size,
    std::chrono::milliseconds timeout);

/// make_store then make_gloo_process_group, with `options`' checks and errors.
/// Example: `auto group = init_gloo_process_group(RendezvousOptions(3, rank).file_store(path));`
c10::intrusive_ptr<c10d::ProcessGroup> init_gloo_process_group(const RendezvousOptions& options);

}  // namespace infozoo::distributed
