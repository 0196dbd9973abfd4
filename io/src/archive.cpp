// SPDX-License-Identifier: BSD-3-Clause
#include "archive.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <cstring>
#include <fstream>
#include <tuple>
#include <utility>

#include "zip_records.h"

namespace infozoo::io::detail {
namespace {

void check_crc(const std::map<std::string, uint32_t>& crcs, const std::string& name,
               const void* data, size_t size) {
  const auto it = crcs.find(name);
  TORCH_CHECK(it != crcs.end(), "record ", name, " is missing from the zip directory");
  const uint32_t actual = crc32(data, size);
  TORCH_CHECK(actual == it->second, "record ", name, " fails its CRC-32 check (stored ",
              c10::str(std::hex, it->second), ", computed ", c10::str(std::hex, actual),
              "): the file is damaged");
}

}  // namespace

void check_not_legacy_format(const std::string& path) {
  std::ifstream probe(path, std::ios::binary);
  TORCH_CHECK(probe.good(), "state_dict file '", path,
              "' cannot be opened (missing or unreadable)");
  // torch.save wrote a pickle stream (no zip) before PyTorch 1.6, and still does with
  // _use_new_zipfile_serialization=False: say so rather than "corrupt".
  char magic[2] = {0, 0};
  probe.read(magic, 2);
  TORCH_CHECK(!(static_cast<unsigned char>(magic[0]) == 0x80 && magic[1] >= 2 && magic[1] <= 5),
              "state_dict file '", path,
              "' is in torch.save's legacy (pre-1.6, non-zip) format, which infozoo does not "
              "read; re-save it from Python with torch.save(state_dict, path)");
}

TorchSaveArchive::TorchSaveArchive(const std::string& path)
    : reader_(path), crcs_(zip_record_crcs(path)) {
  // Every TorchScript archive has constants.pkl (the tensors its code uses); torch.save's never.
  torchscript_ = reader_.hasRecord("constants.pkl");
  if (reader_.hasRecord("byteorder")) {
    auto [order, size] = reader_.getRecord("byteorder");
    TORCH_CHECK(std::string(static_cast<const char*>(order.get()), size) == "little",
                "big-endian tensors are not supported");
  }
}

std::string TorchSaveArchive::record(const std::string& name) {
  auto [data, size] = reader_.getRecord(name);
  check_crc(crcs_, name, data.get(), size);
  return std::string(static_cast<const char*>(data.get()), size);
}

at::Tensor TorchSaveArchive::storage(const std::string& key, at::ScalarType dtype, int64_t numel) {
  const auto element_size = static_cast<int64_t>(c10::elementSize(dtype));
  // The record's size bounds the allocation: a corrupt element count must not allocate
  // terabytes before the size check (found by tests/fuzz/state_dict_pickle_fuzzer).
  at::DataPtr record;
  size_t size = 0;
  if (numel > 0) {
    std::tie(record, size) = reader_.getRecord("data/" + key);
    check_crc(crcs_, "data/" + key, record.get(), size);
  }
  TORCH_CHECK(numel == static_cast<int64_t>(size / element_size) && size % element_size == 0,
              "tensor storage data/", key, " holds ", size, " bytes where ", numel, " x ",
              element_size, " are expected (corrupt file)");
  auto storage = at::empty({numel}, at::TensorOptions().dtype(dtype));
  if (size > 0) std::memcpy(storage.data_ptr(), record.get(), size);
  return storage;
}

std::string torch_save_archive_bytes(std::string_view pickle,
                                     const std::vector<at::Tensor>& storages) {
  std::string archive;
  caffe2::serialize::PyTorchStreamWriter writer([&archive](const void* bytes, size_t size) {
    archive.append(static_cast<const char*>(bytes), size);
    return size;
  });
  writer.writeRecord("data.pkl", pickle.data(), pickle.size());
  writer.writeRecord("byteorder", "little", 6);
  for (size_t i = 0; i < storages.size(); ++i) {
    writer.writeRecord("data/" + std::to_string(i), storages[i].data_ptr(),
                       storages[i].numel() * storages[i].element_size());
  }
  writer.writeEndOfFile();
  return archive;
}

}  // namespace infozoo::io::detail
