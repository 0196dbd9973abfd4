// SPDX-License-Identifier: BSD-3-Clause
// numpy's .npy format (numpy/lib/format.py): the magic "\x93NUMPY", a version, a little-endian
// header length, a Python dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (n, p)},
// then the raw array. Read in blocks straight into the column-major matrix (table_builder.h).

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "infozoo/io/table.h"
#include "table_builder.h"

namespace infozoo::io {
namespace {

struct Dtype {
  char kind = 0;  // 'f', 'i', 'u', 'b'
  int size = 0;   // bytes
  bool swap = false;
};

double element(const unsigned char* b, const Dtype& t) {
  unsigned char v[8];
  for (int i = 0; i < t.size; ++i) v[i] = t.swap ? b[t.size - 1 - i] : b[i];
  switch (t.kind) {
    case 'b':
      return v[0] != 0 ? 1.0 : 0.0;
    case 'f':
      if (t.size == 8) {
        double d;
        std::memcpy(&d, v, 8);
        return d;
      } else {
        float f;
        std::memcpy(&f, v, 4);
        return f;
      }
    case 'i': {
      int64_t x = 0;
      std::memcpy(&x, v, t.size);
      const int shift = 64 - 8 * t.size;  // sign-extend
      return static_cast<double>(shift == 0 ? x : (x << shift) >> shift);
    }
    default: {
      uint64_t x = 0;
      std::memcpy(&x, v, t.size);
      return static_cast<double>(x);
    }
  }
}

}  // namespace

Table read_npy(const std::string& path, const ReadTableOptions& options) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  TORCH_CHECK_VALUE(in.is_open(), "cannot open '", path, "': ", std::strerror(errno));
  const auto file_size = static_cast<int64_t>(in.tellg());
  in.seekg(0);
  detail::TableBuilder builder(path, options);
  unsigned char magic[10] = {};
  in.read(reinterpret_cast<char*>(magic), 10);
  if (in.gcount() < 10 || std::memcmp(magic, "\x93NUMPY", 6) != 0) {
    builder.fail("is not a .npy file (no \\x93NUMPY magic)");
  }
  const int major = magic[6];
  if (major < 1 || major > 3)
    builder.fail(detail::format(".npy format version {} is not 1, 2 or 3", major));
  uint64_t header_len = magic[8] | (magic[9] << 8);
  if (major >= 2) {
    unsigned char more[2] = {};
    in.read(reinterpret_cast<char*>(more), 2);
    header_len |= (static_cast<uint64_t>(more[0]) << 16) | (static_cast<uint64_t>(more[1]) << 24);
  }
  if (header_len > 1u << 20)
    builder.fail(detail::format(".npy header of {} bytes is implausible", header_len));
  std::string header(header_len, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header_len));
  if (static_cast<uint64_t>(in.gcount()) != header_len) builder.fail(".npy header is truncated");

  std::smatch m;
  if (!std::regex_search(header, m, std::regex(R"('descr'\s*:\s*'([<>|=])([a-zA-Z])(\d+)')"))) {
    builder.fail(
        detail::format(".npy dtype is not a plain number type (header {})", detail::shown(header)));
  }
  Dtype type;
  type.kind = m[2].str()[0];
  const std::string size_text = m[3].str();
  const auto size_end = size_text.data() + size_text.size();
  if (const auto r = std::from_chars(size_text.data(), size_end, type.size);
      r.ec != std::errc() || r.ptr != size_end) {
    builder.fail(
        detail::format(".npy dtype size '{}' is not a number of bytes", detail::shown(size_text)));
  }
  const char order = m[1].str()[0];
  type.swap = order == '>';  // x86-64 and aarch64 Linux are little-endian
  const bool supported = (type.kind == 'f' && (type.size == 4 || type.size == 8)) ||
                         ((type.kind == 'i' || type.kind == 'u') &&
                          (type.size == 1 || type.size == 2 || type.size == 4 || type.size == 8)) ||
                         (type.kind == 'b' && type.size == 1);
  if (!supported) {
    builder.fail(detail::format(".npy dtype '{}{}{}' is not float64, float32, an integer or bool",
                                order, type.kind, type.size));
  }
  const bool fortran = std::regex_search(header, std::regex(R"('fortran_order'\s*:\s*True)"));
  if (!std::regex_search(header, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))"))) {
    builder.fail(".npy header has no shape");
  }
  std::vector<int64_t> shape;
  const std::string dims = m[1].str();
  const std::regex number(R"(\d+)");
  for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it) {
    const std::string dim = it->str();
    int64_t value = 0;
    if (const auto r = std::from_chars(dim.data(), dim.data() + dim.size(), value);
        r.ec != std::errc() || r.ptr != dim.data() + dim.size())
      builder.fail(detail::format(".npy shape entry '{}' is too large", detail::shown(dim)));
    shape.push_back(value);
  }

  if (shape.empty() || shape.size() > 2) {
    builder.fail(
        detail::format(".npy array has {} dimensions; a table needs 1 or 2", shape.size()));
  }
  const int64_t n = shape[0], p = shape.size() == 2 ? shape[1] : 1;
  if (n == 0 || p == 0) builder.fail(detail::format(".npy array of shape ({}, {}) is empty", n, p));
  const int64_t data_start = 10 + (major >= 2 ? 2 : 0) + static_cast<int64_t>(header_len);
  // Compared by division: n * p * size can overflow for a header that claims a huge shape.
  const int64_t data_bytes = std::max<int64_t>(file_size - data_start, 0);
  if (n > data_bytes / type.size / p || n * p * type.size > data_bytes) {
    builder.fail(detail::format(".npy data is truncated: {} bytes for {} x {} values of {} bytes",
                                file_size - data_start, n, p, type.size));
  }
  std::vector<std::string> names = options.columns();
  if (names.empty()) {
    for (int64_t j = 0; j < p; ++j) names.push_back(std::to_string(j));
  } else if (static_cast<int64_t>(names.size()) != p) {
    builder.fail(detail::format("{} column names given for {} columns", names.size(), p));
  }
  builder.set_columns(std::move(names), n);

  // Rows in blocks; a Fortran-order array is read column by column into a row buffer per block.
  const int64_t rows_per_block = std::max<int64_t>(1, (int64_t{1} << 20) / (p * type.size));
  std::vector<unsigned char> block;
  std::vector<double> fortran_rows;
  for (int64_t r0 = 0; r0 < n; r0 += rows_per_block) {
    const int64_t rows = std::min(rows_per_block, n - r0);
    if (!fortran) {
      block.resize(static_cast<size_t>(rows * p * type.size));
      in.read(reinterpret_cast<char*>(block.data()), static_cast<std::streamsize>(block.size()));
      for (int64_t i = 0; i < rows; ++i) {
        for (int64_t j = 0; j < p; ++j) {
          builder.number_cell(j, element(&block[(i * p + j) * type.size], type), r0 + i + 1);
        }
        builder.commit_row();
      }
    } else {
      fortran_rows.assign(static_cast<size_t>(rows * p), 0.0);
      block.resize(static_cast<size_t>(rows * type.size));
      for (int64_t j = 0; j < p; ++j) {
        in.seekg(data_start + (j * n + r0) * type.size);
        in.read(reinterpret_cast<char*>(block.data()), static_cast<std::streamsize>(block.size()));
        for (int64_t i = 0; i < rows; ++i)
          fortran_rows[i * p + j] = element(&block[i * type.size], type);
      }
      for (int64_t i = 0; i < rows; ++i) {
        for (int64_t j = 0; j < p; ++j) builder.number_cell(j, fortran_rows[i * p + j], r0 + i + 1);
        builder.commit_row();
      }
    }
  }
  return builder.finish();
}

}  // namespace infozoo::io
