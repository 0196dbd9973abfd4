// SPDX-License-Identifier: BSD-3-Clause
// CSV files through libcsv (Debian's libcsv-dev, RFC 4180): a streaming parser that is fed the
// file in blocks and calls back once per field and once per record, so the file's text is never
// held, only the numeric matrix (table_builder.h). libcsv's callbacks are C: they never throw;
// they record the first error, which is raised after the block.
#include <csv.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "infozoo/io/table.h"
#include "table_builder.h"

namespace infozoo::io {
namespace {

constexpr size_t kBlock = size_t{1} << 20;   // bytes read at a time
constexpr size_t kSniff = size_t{64} << 10;  // bytes checked for being UTF-8 text

// Whether `s` is valid UTF-8, except possibly for a sequence cut at its end (a block boundary).
bool valid_utf8(const unsigned char* s, size_t n) {
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xe  ? 3
                 : (c >> 3) == 0x1e ? 4
                                    : 0;
    if (len == 0) return false;
    if (i + len > n) return true;  // cut by the block: the rest is checked no further
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

struct Parse {
  detail::TableBuilder builder;
  bool header_done = false;
  std::vector<std::string> header;
  int64_t field = 0;  // fields of the current record so far
  int64_t line = 1;   // file line being fed
  int64_t header_fields = 0;
  std::string error;  // the first error, raised after the callback returns
  std::unique_ptr<std::ifstream> owned;
  int64_t row_capacity = 1024;

  Parse(std::string source, const ReadTableOptions& options)
      : builder(std::move(source), options) {}

  void on_field(const char* data, size_t len) {
    if (!error.empty()) return;
    const std::string_view text(data == nullptr ? "" : data, data == nullptr ? 0 : len);
    if (!header_done) {
      header.emplace_back(text);
      return;
    }
    if (field >= header_fields) {
      ++field;  // counted; the record's end reports the ragged row
      return;
    }
    try {
      builder.cell(field, text, line);
    } catch (const c10::Error& e) {
      error = e.what_without_backtrace();
    }
    ++field;
  }

  void on_record() {
    if (!error.empty()) return;
    try {
      if (!header_done) {
        header_done = true;
        header_fields = static_cast<int64_t>(header.size());
        builder.set_columns(std::move(header), row_capacity);
      } else {
        if (field != header_fields) {
          builder.fail(detail::format("line {} has {} field{}, the header has {}", line, field,
                                      field == 1 ? "" : "s", header_fields));
        }
        builder.commit_row();
      }
    } catch (const c10::Error& e) {
      error = e.what_without_backtrace();
    } catch (const std::bad_alloc&) {
      error = builder.source() + ": out of memory for the table's " +
              std::to_string(builder.rows()) + " rows so far";
    }
    field = 0;
  }
};

void field_callback(void* data, size_t len, void* self) {
  static_cast<Parse*>(self)->on_field(static_cast<const char*>(data), len);
}
void record_callback(int, void* self) { static_cast<Parse*>(self)->on_record(); }

Table parse_stream(std::istream& in, const std::string& source, const ReadTableOptions& options,
                   int64_t file_size) {
  const auto delimiter = static_cast<unsigned char>(options.delimiter());
  TORCH_CHECK_VALUE(delimiter != '"' && delimiter != '\r' && delimiter != '\n' && delimiter != 0,
                    "read_csv: delimiter must be one byte other than a quote, CR, LF or NUL, got ",
                    detail::shown(std::string(1, options.delimiter())));
  Parse parse(source, options);
  csv_parser parser;
  TORCH_CHECK(csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) == 0,
              "read_csv: libcsv could not start");
  std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, csv_free);
  csv_set_delim(&parser, delimiter);

  std::vector<char> block(kBlock);
  bool first = true;
  size_t total = 0;
  auto raise = [&] {
    if (!parse.error.empty()) TORCH_CHECK_VALUE(false, parse.error);
  };
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    size_t got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    const char* begin = block.data();
    if (first) {
      first = false;
      if (got >= 3 && std::memcmp(begin, "\xEF\xBB\xBF", 3) == 0) {  // UTF-8 byte-order mark
        begin += 3;
        got -= 3;
      }
      if (!valid_utf8(reinterpret_cast<const unsigned char*>(begin), std::min(got, kSniff))) {
        parse.builder.fail(
            "is not a text file (CSV) or a .npy file: its first bytes are not UTF-8");
      }
      // The rows the file probably holds, from the first block's line lengths (+10%): the
      // matrix is allocated once at about its final size.
      const size_t lines = std::count(begin, begin + got, '\n');
      if (file_size > 0 && lines > 1) {
        const double per_line = static_cast<double>(got) / static_cast<double>(lines);
        parse.row_capacity =
            static_cast<int64_t>(1.1 * static_cast<double>(file_size) / per_line) + 16;
      }
    }
    if (std::memchr(begin, '\0', got) != nullptr) {
      parse.builder.fail(detail::format(
          "is not a text file (CSV) or a .npy file: byte {} is NUL",
          total + (static_cast<const char*>(std::memchr(begin, '\0', got)) - begin)));
    }
    total += got;
    // Fed line by line, so that a record's end knows the file line it ends on.
    const char* p = begin;
    const char* end = begin + got;
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      const char* stop = nl == nullptr ? end : nl + 1;
      const size_t len = static_cast<size_t>(stop - p);
      if (csv_parse(&parser, p, len, field_callback, record_callback, &parse) != len) {
        parse.builder.fail(
            detail::format("line {}: {} (a quote inside an unquoted field, or text "
                           "after a closing quote)",
                           parse.line, csv_strerror(csv_error(&parser))));
      }
      raise();
      if (nl != nullptr) ++parse.line;
      p = stop;
    }
  }
  if (total == 0) parse.builder.fail("is empty (expected a header row of column names)");
  if (csv_fini(&parser, field_callback, record_callback, &parse) != 0) {
    parse.builder.fail(detail::format("line {}: a quoted field is not closed", parse.line));
  }
  raise();
  if (!parse.header_done) parse.builder.fail("is empty (expected a header row of column names)");
  return parse.builder.finish();
}

}  // namespace

Table read_csv(std::istream& in, const std::string& source, const ReadTableOptions& options) {
  return parse_stream(in, source, options, /*file_size=*/-1);
}

Table read_csv(const std::string& path, const ReadTableOptions& options) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  TORCH_CHECK_VALUE(in.is_open(), "cannot open '", path, "': ", std::strerror(errno));
  const auto size = static_cast<int64_t>(in.tellg());
  in.seekg(0);
  return parse_stream(in, path, options, size);
}

}  // namespace infozoo::io
