// SPDX-License-Identifier: BSD-3-Clause
// Fuzzes read_state_dict's unpickler past the zip layer: the input becomes data.pkl of a
// well-formed torch.save archive (a zip's CRCs would turn almost every mutation of a whole file
// away before the pickle is read). Storage records data/0 .. data/7 hold 16 bytes each, so the
// seeds (tests/fuzz/make_corpus.py) are state_dicts of 16-byte storages.
#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_support.h"
#include "infozoo/io/state_dict.h"
#include "torch_save_archive.h"

namespace {

infozoo::fuzz::ScratchCleanup cleanup;

// byteorder, and records data/0 .. data/7 of 16 bytes each (1.0, 2.0, 3.0, 4.0 as float32).
const std::vector<std::pair<std::string, std::string>>& storage_records() {
  static const auto records = [] {
    std::vector<std::pair<std::string, std::string>> r = {{"byteorder", "little"}};
    const std::string storage = {0, 0, '\x80', 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, '\x80', 64};
    for (int key = 0; key < 8; ++key) r.emplace_back("data/" + std::to_string(key), storage);
    return r;
  }();
  return records;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  infozoo::fuzz::use_one_thread();
  const std::string archive = infozoo::test_support::torch_save_archive(
      std::string_view(reinterpret_cast<const char*>(data), size), storage_records());
  infozoo::fuzz::write_scratch(archive.data(), archive.size());
  try {
    infozoo::fuzz::read_scratch_checked();
  } catch (const c10::Error&) {
  }
  return 0;
}
