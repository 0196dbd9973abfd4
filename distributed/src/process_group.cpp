// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/distributed/process_group.h"

#include <ATen/ATen.h>
#include <torch/version.h>
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <string>

#include "infozoo/detail/error_text.h"

namespace infozoo::distributed {
namespace {

// Gloo binds its sockets here and the TCP store listens here: nothing leaves the machine.
constexpr const char* kLoopback = "127.0.0.1";

using infozoo::detail::first_line;

void check_ranks(int64_t rank, int64_t world_size) {
  TORCH_CHECK(world_size >= 1, "world_size must be >= 1, got ", world_size);
  TORCH_CHECK(rank >= 0 && rank < world_size, "rank must be in [0, world_size) = [0, ", world_size,
              "), got ", rank);
}

void check_timeout(std::chrono::milliseconds timeout) {
  TORCH_CHECK(timeout.count() > 0, "timeout must be positive, got ", timeout.count(), " ms");
}

std::string describe(const RendezvousOptions& options) {
  return options.file_store().empty() ? std::string("the TCP store on ") + kLoopback + ":" +
                                            std::to_string(options.tcp_port())
                                      : "the file store '" + options.file_store() + "'";
}

}  // namespace

c10::intrusive_ptr<c10d::Store> make_store(const RendezvousOptions& options) {
  check_ranks(options.rank(), options.world_size());
  check_timeout(options.timeout());
  const bool file = !options.file_store().empty();
  TORCH_CHECK(file != (options.tcp_port() != 0),
              "give exactly one of file_store and tcp_port, got file_store='", options.file_store(),
              "', tcp_port=", options.tcp_port());
  if (file) {
    // c10d's FileStore would retry opening the file until the timeout; a missing folder is
    // a mistake to report now.
    const auto folder = std::filesystem::path(options.file_store()).parent_path();
    TORCH_CHECK(folder.empty() || std::filesystem::is_directory(folder),
                "file_store must be in an existing folder, got '", options.file_store(), "'");
  }
  c10::intrusive_ptr<c10d::Store> store;
  try {
    if (file) {
      store = c10::make_intrusive<c10d::FileStore>(options.file_store(),
                                                   static_cast<int>(options.world_size()));
    } else {
      TORCH_CHECK(options.tcp_port() > 0 && options.tcp_port() <= 65535,
                  "tcp_port must be in [1, 65535], got ", options.tcp_port());
      c10d::TCPStoreOptions tcp;
      tcp.port = static_cast<std::uint16_t>(options.tcp_port());
      tcp.isServer = options.rank() == 0;
      tcp.numWorkers = static_cast<std::size_t>(options.world_size());
      // The Gloo rendezvous waits for every rank, with the same timeout and a clearer error.
      tcp.waitWorkers = false;
      // LibTorch 1.13 counts the client's connect timeout in whole seconds (800 ms would give up
      // at once); wait at least one second for the listening rank.
      tcp.timeout = std::max(options.timeout(), std::chrono::milliseconds(1000));
      store = c10::make_intrusive<c10d::TCPStore>(kLoopback, tcp);
    }
  } catch (const std::exception& e) {
    TORCH_CHECK(false, "rank ", options.rank(), " could not ",
                file ? "open " : (options.rank() == 0 ? "listen on " : "connect to "),
                describe(options), " within ", options.timeout().count(), " ms: ", first_line(e));
  }
  store->setTimeout(options.timeout());
  return store;
}

c10::intrusive_ptr<c10d::ProcessGroup> make_gloo_process_group(
    const c10::intrusive_ptr<c10d::Store>& store, int64_t rank, int64_t world_size,
    std::chrono::milliseconds timeout) {
  TORCH_CHECK(store, "store must be a c10d::Store, got null");
  check_ranks(rank, world_size);
  check_timeout(timeout);
  // Both bounds matter: Gloo's context waits on the store for the other ranks' addresses with
  // the store's timeout, and on every collective with the options' timeout.
  store->setTimeout(timeout);
  auto options = c10d::ProcessGroupGloo::Options::create(timeout);
  options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(kLoopback));
  const auto r = static_cast<int>(rank);
  const auto n = static_cast<int>(world_size);
#if TORCH_VERSION_MAJOR >= 2
  // LibTorch 2 splits the user-facing ProcessGroup from its per-device Backends.
  auto gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(store, r, n, options);
  auto group = c10::make_intrusive<c10d::ProcessGroup>(store, r, n);
  group->setDefaultBackend(c10d::ProcessGroup::BackendType::GLOO);
  group->setBackend(c10::DeviceType::CPU, c10d::ProcessGroup::BackendType::GLOO, gloo);
  // Gloo also moves CUDA tensors (through host memory), as torch.distributed's "gloo" does.
  group->setBackend(c10::DeviceType::CUDA, c10d::ProcessGroup::BackendType::GLOO, gloo);
  return group;
#else
  return c10::make_intrusive<c10d::ProcessGroupGloo>(store, r, n, options);
#endif
}

c10::intrusive_ptr<c10d::ProcessGroup> init_gloo_process_group(const RendezvousOptions& options) {
  auto store = make_store(options);
  try {
    return make_gloo_process_group(store, options.rank(), options.world_size(), options.timeout());
  } catch (const std::exception& e) {
    TORCH_CHECK(
        false, "rendezvous failed: rank ", options.rank(), " of world_size ", options.world_size(),
        " did not meet every other rank through ", describe(options), " within ",
        options.timeout().count(),
        " ms (are all ranks started, with the same world size and store?): ", first_line(e));
  }
}

}  // namespace infozoo::distributed
