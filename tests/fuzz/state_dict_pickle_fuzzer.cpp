// Fuzzes read_state_dict's unpickler past the zip layer: the input becomes data.pkl of a
// well-formed torch.save archive (a zip's CRCs would turn almost every mutation of a whole file
// away before the pickle is read). Storage records data/0 .. data/7 hold 16 bytes each, so the
// seeds (tests/fuzz/make_corpus.py) are state_dicts of 16-byte storages.
#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <caffe2/serialize/inline_container.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "infozoo/models/state_dict_io.h"

namespace {

infozoo::fuzz::ScratchCleanup cleanup;

std::string archive_with_pickle(const uint8_t* data, size_t size) {
  std::string bytes;
  {
    caffe2::serialize::PyTorchStreamWriter writer([&bytes](const void* p, size_t n) {
      bytes.append(static_cast<const char*>(p), n);
      return n;
    });
    writer.writeRecord("data.pkl", data, size);
    writer.writeRecord("byteorder", "little", 6);
    const std::vector<uint8_t> storage = {0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64};
    for (int key = 0; key < 8; ++key) {
      writer.writeRecord("data/" + std::to_string(key), storage.data(), storage.size());
    }
    writer.writeEndOfFile();
  }
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  infozoo::fuzz::use_one_thread();
  const std::string archive = archive_with_pickle(data, size);
  infozoo::fuzz::write_scratch(archive.data(), archive.size());
  try {
    infozoo::fuzz::read_scratch_checked();
  } catch (const c10::Error&) {
  }
  return 0;
}
