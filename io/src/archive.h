// SPDX-License-Identifier: BSD-3-Clause
// The torch.save archive (internal): the zip file that holds a state_dict's pickle (data.pkl),
// its byte order and one record data/<key> per tensor storage. Reading goes through LibTorch's
// PyTorchStreamReader, with every record checked against the CRC-32 of the zip directory
// (zip_records.h), which LibTorch's miniz skips; writing through PyTorchStreamWriter.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Allocator.h>
#include <caffe2/serialize/inline_container.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace infozoo::io::detail {

/// Throws c10::Error, naming `path`, if the file cannot be opened or is in torch.save's legacy
/// (pre-1.6, non-zip) pickle format, which says how to re-save it instead of calling it corrupt.
void check_not_legacy_format(const std::string& path);

/// An open torch.save archive. Every error is a c10::Error saying what is malformed (the caller
/// adds the file's name).
class TorchSaveArchive {
 public:
  /// Opens the zip at `path`, reads its directory's CRC-32s and refuses a big-endian archive.
  explicit TorchSaveArchive(const std::string& path);

  /// Whether this is a TorchScript archive, as LibTorch's torch::save(module, path) and Python's
  /// torch.jit.save write: its data.pkl is an object graph with code/ and constants.pkl beside it.
  bool is_torchscript() const { return torchscript_; }

  /// The bytes of record `name` ("data.pkl"), checked against their CRC-32.
  std::string record(const std::string& name);

  /// Record data/<key> as a 1-D CPU tensor of `numel` elements of `dtype` (numel >= 0), its size
  /// checked against numel before anything is allocated.
  at::Tensor storage(const std::string& key, at::ScalarType dtype, int64_t numel);

 private:
  caffe2::serialize::PyTorchStreamReader reader_;
  std::map<std::string, uint32_t> crcs_;
  bool torchscript_ = false;
};

/// The bytes of a torch.save archive holding `pickle` as data.pkl, "little" as byteorder and
/// `storages[i]` (contiguous CPU tensors) as data/<i>.
std::string torch_save_archive_bytes(std::string_view pickle,
                                     const std::vector<at::Tensor>& storages);

}  // namespace infozoo::io::detail
