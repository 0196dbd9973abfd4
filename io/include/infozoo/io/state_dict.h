// state_dict files shared with Python: read what `torch.save(model.state_dict(), path)` writes,
// and write files that `torch.load(path)` reads (then `model.load_state_dict(...)`).
//
// LibTorch's torch::pickle_load cannot read a Python state_dict before 2.6: a state_dict is a
// collections.OrderedDict (with a `_metadata` attribute), which its unpickler turns into None
// (PyTorch issues 37213, 100741). read_state_dict therefore reads the zip archive with LibTorch's
// PyTorchStreamReader and the pickle with a small unpickler of its own that knows exactly the
// objects a state_dict holds: dicts, tuples, strings, numbers and tensors.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <string>
#include <utility>
#include <vector>

namespace infozoo::io {

/// Names and tensors in file order.
using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

/// The (name, tensor) entries of a state_dict file written by Python's `torch.save` (zip format,
/// PyTorch >= 1.6) or by save_state_dict, as CPU tensors. Errors name the file and say whether it
/// is missing, not a torch.save archive, truncated, or holds something other than a state_dict.
/// Example: `read_state_dict("mha.pt")[0].first` is "W_Q.weight" for the seed's module.
NamedTensors read_state_dict(const std::string& path);

/// Writes `entries` as Python's `torch.save(state_dict)` does (an OrderedDict of CPU tensors in the
/// zip format), which `torch.load` reads, also with weights_only=True, through an AtomicFile:
/// `path` gets the whole file or, on error, is left as it was. Example: `write_state_dict({{"w",
/// torch::ones({2})}}, "w.pt")`.
void write_state_dict(const NamedTensors& entries, const std::string& path);

/// Copies the tensors of a state_dict file into `module`'s parameters and buffers, matched by
/// name (`W_Q.weight`, ...), as Python's strict `load_state_dict`: every key must match and every
/// shape agree, else an error names the keys. Values keep the module's dtype and device.
/// Example: `load_state_dict(*mha, "mha.pt")`.
void load_state_dict(torch::nn::Module& module, const std::string& path);

/// Writes `module`'s parameters and buffers, under their names, with write_state_dict.
/// Example: `save_state_dict(*mha, "mha.pt")`, then in Python
/// `m.load_state_dict(torch.load("mha.pt"))`.
void save_state_dict(const torch::nn::Module& module, const std::string& path);

}  // namespace infozoo::io
