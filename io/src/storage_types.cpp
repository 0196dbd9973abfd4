// SPDX-License-Identifier: BSD-3-Clause
#include "storage_types.h"

#include <c10/util/Exception.h>

#include <map>

namespace infozoo::io::detail {
namespace {

// Python's storage class for each dtype, as torch.save pickles it ("torch.FloatStorage").
const std::map<std::string, at::ScalarType>& storage_types() {
  static const std::map<std::string, at::ScalarType> table = {
      {"torch.FloatStorage", at::kFloat},
      {"torch.DoubleStorage", at::kDouble},
      {"torch.HalfStorage", at::kHalf},
      {"torch.BFloat16Storage", at::kBFloat16},
      {"torch.LongStorage", at::kLong},
      {"torch.IntStorage", at::kInt},
      {"torch.ShortStorage", at::kShort},
      {"torch.CharStorage", at::kChar},
      {"torch.ByteStorage", at::kByte},
      {"torch.BoolStorage", at::kBool},
      {"torch.ComplexFloatStorage", at::kComplexFloat},
      {"torch.ComplexDoubleStorage", at::kComplexDouble},
  };
  return table;
}

}  // namespace

at::ScalarType storage_dtype(const std::string& global) {
  const auto it = storage_types().find(global);
  TORCH_CHECK(it != storage_types().end(), "unsupported tensor storage type ", global);
  return it->second;
}

std::string storage_class(at::ScalarType dtype) {
  for (const auto& [name, type] : storage_types()) {
    if (type == dtype) return name.substr(name.find('.') + 1);  // "FloatStorage"
  }
  TORCH_CHECK(false, "write_state_dict: tensors of dtype ", dtype, " are not supported");
}

}  // namespace infozoo::io::detail
