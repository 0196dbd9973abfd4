// SPDX-License-Identifier: BSD-3-Clause
// The pickle writer (internal): the very stream Python's torch.save writes for a state_dict.
//
// torch::pickle_save would do for Python 1.13, but it tags the dict with
// torch.jit._pickle.restore_type_tag, a global that torch.load refuses since PyTorch 2.6
// (weights_only=True by default). This writes only what a safe unpickler accepts.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "infozoo/io/state_dict.h"

namespace infozoo::io::detail {

/// A state_dict as torch.save stores it: the pickle (data.pkl) and the storages it refers to,
/// record data/<i> holding storages[i] (contiguous CPU tensors).
struct PickledStateDict {
  std::string pickle;
  std::vector<at::Tensor> storages;
};

/// Pickles `entries` as an OrderedDict of `_rebuild_tensor_v2` calls (protocol 2). Throws
/// c10::Error, naming the key, for a duplicate key, an undefined tensor or an unsupported dtype.
PickledStateDict pickle_state_dict(const NamedTensors& entries);

}  // namespace infozoo::io::detail
