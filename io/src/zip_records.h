// SPDX-License-Identifier: BSD-3-Clause
// The zip central directory of a torch.save archive, read for its CRC-32s (internal). PyTorch's
// reader builds miniz with MINIZ_DISABLE_ZIP_READER_CRC32_CHECKS, so a flipped bit in a weights
// file would load silently; read_state_dict checks every record it uses against these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace infozoo::io::detail {

/// CRC-32 (IEEE 802.3, the zip format's) of `size` bytes.
uint32_t crc32(const void* data, size_t size);

/// Record name -> CRC-32 stored in the central directory of the zip file at `path`, names without
/// the archive's top folder ("data.pkl", "data/0"), as PyTorchStreamReader::getRecord takes them.
/// Zip64 directories included. Throws c10::Error naming what is malformed if there is none.
std::map<std::string, uint32_t> zip_record_crcs(const std::string& path);

}  // namespace infozoo::io::detail
