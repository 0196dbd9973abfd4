// SPDX-License-Identifier: BSD-3-Clause
// The pickle reader (internal): the opcodes of pickle protocols 2 to 4 that torch.save emits for
// a state_dict, and the few globals it calls (OrderedDict, _rebuild_tensor_v2, ...). Anything
// else is refused with a c10::Error naming it; corrupt input never reads or allocates beyond
// what the pickle and its storages hold (tests/fuzz/state_dict_pickle_fuzzer).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "pickle_value.h"

namespace infozoo::io::detail {

/// Returns the 1-D storage of `numel` elements of `dtype` stored under `key` (archive record
/// data/<key>), or throws c10::Error. Called once per key; numel is >= 0.
using StorageLoader =
    std::function<at::Tensor(const std::string& key, at::ScalarType dtype, int64_t numel)>;

/// The value the pickle `data[0, size)` builds, owned by `heap`; tensor storages come from
/// `load_storage`. Throws c10::Error saying what is malformed or unsupported.
PickleRef unpickle(const char* data, size_t size, PickleHeap& heap,
                   const StorageLoader& load_storage);

}  // namespace infozoo::io::detail
