// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/io/table.h"

#include <c10/util/Exception.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "table_builder.h"

namespace infozoo::io {

int64_t Table::column_index(const std::string& name) const {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    std::string listed;
    for (size_t i = 0; i < names.size() && i < 20; ++i)
      listed += (i ? ", '" : "'") + names[i] + "'";
    if (names.size() > 20) listed += " and " + std::to_string(names.size() - 20) + " more";
    TORCH_CHECK_VALUE(false, "Table: no column named '", detail::shown(name), "'; the columns are ",
                      listed);
  }
  return it - names.begin();
}

Table read_table(const std::string& path, const ReadTableOptions& options) {
  std::error_code ec;
  TORCH_CHECK_VALUE(!std::filesystem::is_directory(path, ec), "cannot read '", path,
                    "': it is a directory");
  std::ifstream in(path, std::ios::binary);
  TORCH_CHECK_VALUE(in.is_open(), "cannot open '", path, "': ", std::strerror(errno));
  char magic[6] = {};
  in.read(magic, 6);
  const bool npy = in.gcount() == 6 && std::memcmp(magic, "\x93NUMPY", 6) == 0;
  in.close();
  return npy ? read_npy(path, options) : read_csv(path, options);
}

}  // namespace infozoo::io
