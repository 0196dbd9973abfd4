// SPDX-License-Identifier: BSD-3-Clause
// state_dict files shared with Python: read what `torch.save(model.state_dict(), path)` writes,
// and write files that `torch.load(path)` reads (then `model.load_state_dict(...)`); load a
// state_dict, from a file or from memory, into a module as Python's `load_state_dict` does
// (strict or not, optionally the part of a bigger model's state_dict under a key prefix).
//
// LibTorch's torch::pickle_load cannot read a Python state_dict before 2.6: a state_dict is a
// collections.OrderedDict (with a `_metadata` attribute), which its unpickler turns into None
// (PyTorch issues 37213, 100741). read_state_dict therefore reads the zip archive with LibTorch's
// PyTorchStreamReader and the pickle with a small unpickler of its own that knows exactly the
// objects a state_dict holds: dicts, tuples, strings, numbers and tensors.
//
// Files written by LibTorch's own `torch::save(module, path)` are another format (a TorchScript
// archive, read by `torch::load(module, path)`); read_state_dict says so rather than "corrupt".
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>
#include <torch/nn/module.h>

#include <string>
#include <utility>
#include <vector>

namespace infozoo::io {

/// Names and tensors in file order.
/// Example: `NamedTensors entries = {{"W_Q.weight", torch::eye(4)}, {"W_Q.bias", bias}};`
using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

/// How load_state_dict matches a state_dict's keys to a module's parameters and buffers, as the
/// arguments of Python's `module.load_state_dict(state_dict, strict)`.
/// Example: `LoadStateDictOptions().strict(false).prefix("mha.")`.
struct LoadStateDictOptions {
  /// Whether every parameter and buffer of the module must have its key in the state_dict, and
  /// every key of the state_dict (under prefix) a parameter or buffer in the module. When false,
  /// the keys that match are loaded and the others come back as IncompatibleKeys.
  /// Example: `LoadStateDictOptions().strict(false)`.
  TORCH_ARG(bool, strict) = true;

  /// Only the keys that start with `prefix` are the module's, without it: "mha." loads
  /// `mha.W_Q.weight` of a bigger model's state_dict into a bare module's `W_Q.weight`; keys
  /// without the prefix are neither loaded nor unexpected. Empty, or ending with '.'.
  /// Example: `LoadStateDictOptions().prefix("encoder.layers.0.")`.
  TORCH_ARG(std::string, prefix) = "";
};

/// The keys that did not match, as Python's `_IncompatibleKeys`, named as in the state_dict
/// (prefix included). A strict load throws instead of returning non-empty lists.
/// Example:
///   const auto keys = load_state_dict(*mha, "model.pt", LoadStateDictOptions().strict(false));
///   for (const auto& key : keys.missing_keys) std::cout << "not in the file: " << key << "\n";
struct IncompatibleKeys {
  /// Keys of the module's parameters and buffers that the state_dict lacks, in module order.
  /// Example: `{"mha.W_Q.bias"}` for a state_dict saved from a module without biases.
  std::vector<std::string> missing_keys;
  /// Keys of the state_dict (under the prefix) that the module lacks, in state_dict order.
  /// Example: `{"mha.W_Q.bias"}` for a module without biases and a state_dict with them.
  std::vector<std::string> unexpected_keys;

  /// Whether every key matched.
  /// Example: `ASSERT_TRUE(load_state_dict(*m, entries).empty());`
  bool empty() const { return missing_keys.empty() && unexpected_keys.empty(); }
};

/// The (name, tensor) entries of a state_dict file written by Python's `torch.save` (zip format,
/// PyTorch >= 1.6) or by save_state_dict, as CPU tensors. Errors name the file and say whether it
/// is missing, not a torch.save archive, truncated, in the legacy (pre-1.6) format, a file of
/// LibTorch's `torch::save(module, path)` (read that one with `torch::load(module, path)`), or
/// holds something other than a state_dict.
/// Example: `read_state_dict("mha.pt")[0].first` is "W_Q.weight" for the seed's module.
NamedTensors read_state_dict(const std::string& path);

/// Writes `entries` as Python's `torch.save(state_dict)` does (an OrderedDict of CPU tensors in the
/// zip format), which `torch.load` reads, also with weights_only=True, through an AtomicFile:
/// `path` gets the whole file or, on error, is left as it was.
/// Example: `write_state_dict({{"w", torch::ones({2})}}, "w.pt")`.
void write_state_dict(const NamedTensors& entries, const std::string& path);

/// Copies `entries` into `module`'s parameters and buffers, matched by name (`W_Q.weight`, ...),
/// as Python's `module.load_state_dict(state_dict, strict)`. A strict load (the default) needs
/// every key to match, else one error names the missing and the unexpected keys; a non-strict one
/// loads the keys that match and returns the others. Shapes must agree in either case (an error
/// names the key); values keep the module's dtype and device. Keys must be unique and tensors
/// defined.
/// Example:
///   const auto keys = load_state_dict(*mha, read_state_dict("model.pt"),
///                                     LoadStateDictOptions().strict(false).prefix("mha."));
IncompatibleKeys load_state_dict(torch::nn::Module& module, const NamedTensors& entries,
                                 const LoadStateDictOptions& options = {});

/// load_state_dict of the entries of the state_dict file at `path` (read_state_dict); errors name
/// the file.
/// Example: `load_state_dict(*mha, "mha.pt")`, or
/// `load_state_dict(*mha, "model.pt", LoadStateDictOptions().prefix("mha."))`.
IncompatibleKeys load_state_dict(torch::nn::Module& module, const std::string& path,
                                 const LoadStateDictOptions& options = {});

/// Writes `module`'s parameters and buffers, under their names, with write_state_dict.
/// Example: `save_state_dict(*mha, "mha.pt")`, then in Python
/// `m.load_state_dict(torch.load("mha.pt"))`.
void save_state_dict(const torch::nn::Module& module, const std::string& path);

}  // namespace infozoo::io
