// SPDX-License-Identifier: BSD-3-Clause
// What the fuzz harnesses share: one intra-op thread, a scratch file for APIs that read a path,
// and the invariant every loaded tensor must satisfy.
#pragma once

#include <ATen/Parallel.h>
#include <ATen/core/Tensor.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "infozoo/io/state_dict.h"

namespace infozoo::fuzz {

// Inputs run one after another: one intra-op thread keeps each cheap and its path reproducible.
inline void use_one_thread() {
  static const bool once = (at::set_num_threads(1), true);
  (void)once;
}

// One file per fuzzing process, in /dev/shm when it exists (no disk writes per input).
inline const std::string& scratch_path() {
  static const std::string path = [] {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path dir =
        fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    return (dir / ("infozoo_fuzz_" + std::to_string(::getpid()) + ".pt")).string();
  }();
  return path;
}

inline void write_scratch(const void* data, size_t size) {
  std::ofstream out(scratch_path(), std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
}

// Removes the scratch file at exit, also when libFuzzer stops the process after -max_total_time.
struct ScratchCleanup {
  ~ScratchCleanup() { std::remove(scratch_path().c_str()); }
};

// LibTorch itself is not instrumented, so ASan would not see a read past a storage that a
// tensor's sizes and strides reach beyond: check every element's offset against the storage.
inline void check_inside_storage(const at::Tensor& t, const std::string& name) {
  if (t.numel() == 0) return;
  int64_t lo = t.storage_offset(), hi = t.storage_offset();
  for (int64_t d = 0; d < t.dim(); ++d) {
    const int64_t reach = (t.size(d) - 1) * t.stride(d);
    (reach < 0 ? lo : hi) += reach;
  }
  const auto capacity = static_cast<int64_t>(t.storage().nbytes() / t.element_size());
  if (lo < 0 || hi >= capacity) {
    std::fprintf(stderr, "tensor '%s' reaches elements [%lld, %lld] of a %lld-element storage\n",
                 name.c_str(), static_cast<long long>(lo), static_cast<long long>(hi),
                 static_cast<long long>(capacity));
    std::abort();
  }
}

// read_state_dict on the scratch file; every tensor it returns must lie inside its storage.
inline void read_scratch_checked() {
  for (const auto& [name, tensor] : io::read_state_dict(scratch_path()))
    check_inside_storage(tensor, name);
}

}  // namespace infozoo::fuzz
