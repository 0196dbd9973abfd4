// SPDX-License-Identifier: BSD-3-Clause
#include "zip_records.h"

#include <c10/util/Exception.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <vector>

namespace infozoo::io::detail {
namespace {

constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr uint32_t kDirectoryEntry = 0x02014b50;
constexpr size_t kEndOfDirectorySize = 22;
constexpr size_t kMaxComment = 0xffff;

uint64_t little_endian(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

class ZipFile {
 public:
  explicit ZipFile(const std::string& path)
      : path_(path), in_(path, std::ios::binary | std::ios::ate) {
    TORCH_CHECK(in_.good(), "state_dict file '", path,
                "' cannot be opened (missing or unreadable)");
    size_ = static_cast<uint64_t>(in_.tellg());
  }
  uint64_t size() const { return size_; }

  std::vector<unsigned char> read(uint64_t offset, uint64_t count) {
    check(offset <= size_ && count <= size_ - offset,
          "a zip structure lies beyond the end of the file");
    std::vector<unsigned char> bytes(count);
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(count));
    check(in_.good(), "reading the zip directory failed");
    return bytes;
  }

  void check(bool ok, const char* what) const {
    TORCH_CHECK(ok, "zip directory of '", path_, "': ", what);
  }

 private:
  std::string path_;
  std::ifstream in_;
  uint64_t size_ = 0;
};

}  // namespace

uint32_t crc32(const void* data, size_t size) {
  static const auto table = make_crc_table();
  const auto* p = static_cast<const unsigned char*>(data);
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < size; ++i) c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

std::map<std::string, uint32_t> zip_record_crcs(const std::string& path) {
  ZipFile zip(path);
  zip.check(zip.size() >= kEndOfDirectorySize, "the file is too short for a zip archive");
  // The end-of-directory record is the last 22 bytes plus a comment of up to 64 KiB.
  const uint64_t tail_size = std::min<uint64_t>(zip.size(), kEndOfDirectorySize + kMaxComment);
  const auto tail = zip.read(zip.size() - tail_size, tail_size);
  int64_t end = -1;
  for (int64_t i = static_cast<int64_t>(tail_size - kEndOfDirectorySize); i >= 0; --i) {
    if (little_endian(&tail[i], 4) == kEndOfDirectory) {
      end = i;
      break;
    }
  }
  zip.check(end >= 0, "no zip end-of-directory record");
  const unsigned char* eocd = &tail[end];
  uint64_t entries = little_endian(eocd + 10, 2);
  uint64_t directory_size = little_endian(eocd + 12, 4);
  uint64_t directory_offset = little_endian(eocd + 16, 4);
  if (entries == 0xffff || directory_size == 0xffffffff || directory_offset == 0xffffffff) {
    const uint64_t eocd_offset = zip.size() - tail_size + static_cast<uint64_t>(end);
    zip.check(eocd_offset >= 20, "no zip64 locator");
    const auto locator = zip.read(eocd_offset - 20, 20);
    zip.check(little_endian(locator.data(), 4) == kZip64Locator, "no zip64 locator");
    const auto record = zip.read(little_endian(locator.data() + 8, 8), 56);
    zip.check(little_endian(record.data(), 4) == kZip64EndOfDirectory,
              "no zip64 end-of-directory record");
    entries = little_endian(record.data() + 32, 8);
    directory_size = little_endian(record.data() + 40, 8);
    directory_offset = little_endian(record.data() + 48, 8);
  }
  const auto directory = zip.read(directory_offset, directory_size);
  std::map<std::string, uint32_t> crcs;
  size_t pos = 0;
  for (uint64_t e = 0; e < entries; ++e) {
    zip.check(pos + 46 <= directory.size() && little_endian(&directory[pos], 4) == kDirectoryEntry,
              "a zip directory entry is malformed");
    const auto* entry = &directory[pos];
    const size_t name_length = little_endian(entry + 28, 2);
    const size_t skip = name_length + little_endian(entry + 30, 2) + little_endian(entry + 32, 2);
    zip.check(pos + 46 + skip <= directory.size(), "a zip directory entry is malformed");
    std::string name(reinterpret_cast<const char*>(entry + 46), name_length);
    const auto slash = name.find('/');  // records live under the archive's top folder
    crcs[slash == std::string::npos ? name : name.substr(slash + 1)] =
        static_cast<uint32_t>(little_endian(entry + 16, 4));
    pos += 46 + skip;
  }
  return crcs;
}

}  // namespace infozoo::io::detail
