// SPDX-License-Identifier: BSD-3-Clause
// The storage classes torch.save pickles for each dtype ("torch.FloatStorage"), shared by the
// pickler and the unpickler (internal).
#pragma once

#include <c10/core/ScalarType.h>

#include <string>

namespace infozoo::io::detail {

/// The dtype of a pickled storage global ("torch.FloatStorage" -> kFloat); throws c10::Error
/// naming the global for any other.
at::ScalarType storage_dtype(const std::string& global);

/// The storage class name torch.save writes for `dtype` ("FloatStorage", in module "torch");
/// throws c10::Error for dtypes torch.save has no storage class for.
std::string storage_class(at::ScalarType dtype);

}  // namespace infozoo::io::detail
