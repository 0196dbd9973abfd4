// SPDX-License-Identifier: BSD-3-Clause
// The public state_dict API: a file is an archive (archive.h) whose pickle (unpickler.h,
// pickler.h) holds the entries; loading matches them to a module's keys as Python does.
#include "infozoo/io/state_dict.h"

#include <ATen/ATen.h>

#include <map>
#include <set>
#include <sstream>

#include "archive.h"
#include "infozoo/detail/error_text.h"
#include "infozoo/io/atomic_file.h"
#include "pickle_value.h"
#include "pickler.h"
#include "unpickler.h"

namespace infozoo::io {
namespace {

using detail::PickleValue;

std::string join_keys(const std::vector<std::string>& keys) {
  std::ostringstream out;
  for (size_t i = 0; i < keys.size(); ++i) out << (i ? ", " : "") << '\'' << keys[i] << '\'';
  return out.str();
}

// A TorchScript archive's data.pkl is an object graph (NEWOBJ, opcode 129, first), not a dict:
// say what the file is and what reads it instead of calling it corrupt.
std::string torchscript_message(const std::string& path) {
  return c10::str("state_dict file '", path,
                  "' was written by LibTorch's torch::save(module, path) (or Python's "
                  "torch.jit.save): a TorchScript archive, not a torch.save state_dict; read it "
                  "in C++ with torch::load(module, path), or save the weights with "
                  "infozoo::io::save_state_dict (Python: torch.save(model.state_dict(), path))");
}

// The module's parameters and buffers under their names, in module order.
NamedTensors module_entries(const torch::nn::Module& module) {
  NamedTensors entries;
  for (const auto& p : module.named_parameters()) entries.emplace_back(p.key(), p.value());
  for (const auto& b : module.named_buffers()) entries.emplace_back(b.key(), b.value());
  return entries;
}

// load_state_dict, with `source` naming the entries in errors ("state_dict file 'w.pt'").
IncompatibleKeys load_entries(torch::nn::Module& module, const NamedTensors& entries,
                              const LoadStateDictOptions& options, const std::string& source) {
  const auto& prefix = options.prefix();
  TORCH_CHECK(prefix.empty() || prefix.back() == '.',
              "LoadStateDictOptions::prefix must be empty or end with '.' (as \"mha.\"), got '",
              prefix, "'");
  // The entries under the prefix, by their names in the module.
  std::map<std::string, at::Tensor> source_tensors;
  IncompatibleKeys keys;
  std::set<std::string> module_names;
  auto targets = module_entries(module);
  for (const auto& [name, tensor] : targets) module_names.insert(name);
  std::set<std::string> seen;
  for (const auto& [key, tensor] : entries) {
    TORCH_CHECK(seen.insert(key).second, source, " holds key '", key, "' twice");
    TORCH_CHECK(tensor.defined(), source, ": key '", key, "' holds an undefined tensor");
    if (key.compare(0, prefix.size(), prefix) != 0) continue;  // another part of the model
    const auto name = key.substr(prefix.size());
    if (module_names.count(name)) {
      source_tensors.emplace(name, tensor);
    } else {
      keys.unexpected_keys.push_back(key);
    }
  }
  for (const auto& [name, tensor] : targets) {
    if (!source_tensors.count(name)) keys.missing_keys.push_back(prefix + name);
  }
  if (options.strict() && !keys.empty()) {
    std::ostringstream why;
    if (!keys.missing_keys.empty()) {
      why << " lacks key(s) " << join_keys(keys.missing_keys) << " that the module has";
    }
    if (!keys.unexpected_keys.empty()) {
      why << (keys.missing_keys.empty() ? "" : ", and") << " has unexpected key(s) "
          << join_keys(keys.unexpected_keys) << " that the module lacks";
    }
    if (!prefix.empty() && source_tensors.empty() && keys.unexpected_keys.empty()) {
      why << " (no key starts with the prefix '" << prefix << "')";
    }
    TORCH_CHECK(false, source, why.str(),
                "; LoadStateDictOptions().strict(false) loads the keys that match");
  }
  for (const auto& [name, target] : targets) {
    const auto it = source_tensors.find(name);
    if (it == source_tensors.end()) continue;
    TORCH_CHECK(it->second.sizes() == target.sizes(), source, ": key '", prefix + name,
                "' has shape ", it->second.sizes(), " but the module's has shape ", target.sizes());
  }
  at::NoGradGuard no_grad;
  for (auto& [name, target] : targets) {
    const auto it = source_tensors.find(name);
    if (it != source_tensors.end()) target.copy_(it->second);  // to the module's dtype and device
  }
  return keys;
}

}  // namespace

NamedTensors read_state_dict(const std::string& path) {
  detail::check_not_legacy_format(path);
  detail::PickleHeap heap;  // outlives root, which points into it
  detail::PickleRef root = nullptr;
  bool torchscript = false;
  try {
    detail::TorchSaveArchive archive(path);
    torchscript = archive.is_torchscript();
    if (!torchscript) {
      const auto pickle = archive.record("data.pkl");
      root =
          detail::unpickle(pickle.data(), pickle.size(), heap,
                           [&archive](const std::string& key, at::ScalarType dtype, int64_t numel) {
                             return archive.storage(key, dtype, numel);
                           });
    }
  } catch (const c10::Error& e) {
    TORCH_CHECK(false, "state_dict file '", path,
                "' is not a readable torch.save archive (corrupt or truncated?): ",
                infozoo::detail::first_line(e));
  }
  TORCH_CHECK(!torchscript, torchscript_message(path));
  TORCH_CHECK(root->kind == PickleValue::Kind::kDict, "state_dict file '", path,
              "' holds no dict (save model.state_dict(), not the model)");
  NamedTensors out;
  for (const auto& [key, value] : root->entries) {
    TORCH_CHECK(
        key->kind == PickleValue::Kind::kString && value->kind == PickleValue::Kind::kTensor,
        "state_dict file '", path, "' holds an entry that is not name -> tensor");
    out.emplace_back(key->text, value->tensor);
  }
  return out;
}

void write_state_dict(const NamedTensors& entries, const std::string& path) {
  const auto pickled = detail::pickle_state_dict(entries);
  // Whole or not at all: an interrupted save never leaves a truncated weights file.
  write_file_atomically(path, detail::torch_save_archive_bytes(pickled.pickle, pickled.storages));
}

IncompatibleKeys load_state_dict(torch::nn::Module& module, const NamedTensors& entries,
                                 const LoadStateDictOptions& options) {
  return load_entries(module, entries, options, "state_dict");
}

IncompatibleKeys load_state_dict(torch::nn::Module& module, const std::string& path,
                                 const LoadStateDictOptions& options) {
  return load_entries(module, read_state_dict(path), options, "state_dict file '" + path + "'");
}

void save_state_dict(const torch::nn::Module& module, const std::string& path) {
  write_state_dict(module_entries(module), path);
}

}  // namespace infozoo::io
