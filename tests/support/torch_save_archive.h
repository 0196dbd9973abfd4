// SPDX-License-Identifier: BSD-3-Clause
// A torch.save archive built in memory around a given pickle, for the tests and the fuzzers that
// feed read_state_dict pickles of their own (a zip's CRCs would turn hand-edited files away).
#pragma once

#include <caffe2/serialize/inline_container.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace infozoo::test_support {

/// The bytes of a zip archive as PyTorchStreamWriter writes it (CRCs included): data.pkl holds
/// `pickle`, then each (name, bytes) of `records`.
inline std::string torch_save_archive(
    std::string_view pickle, const std::vector<std::pair<std::string, std::string>>& records = {}) {
  std::string archive;
  caffe2::serialize::PyTorchStreamWriter writer([&archive](const void* bytes, size_t size) {
    archive.append(static_cast<const char*>(bytes), size);
    return size;
  });
  writer.writeRecord("data.pkl", pickle.data(), pickle.size());
  for (const auto& [name, bytes] : records) writer.writeRecord(name, bytes.data(), bytes.size());
  writer.writeEndOfFile();
  return archive;
}

}  // namespace infozoo::test_support
