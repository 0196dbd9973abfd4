// SPDX-License-Identifier: BSD-3-Clause
#include "pickler.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <set>

#include "storage_types.h"

namespace infozoo::io::detail {
namespace {

// The opcodes of pickle protocol 2 that a state_dict needs, appended to `out`.
class Pickler {
 public:
  explicit Pickler(std::string& out) : out_(out) {}

  void op(uint8_t code) { out_.push_back(static_cast<char>(code)); }
  void global(const char* module, const char* name) {
    op('c');
    out_ += module;
    out_ += '\n';
    out_ += name;
    out_ += '\n';
  }
  void string(const std::string& s) {
    op('X');  // BINUNICODE
    const auto n = static_cast<uint32_t>(s.size());
    out_.append(reinterpret_cast<const char*>(&n), 4);  // little-endian, as this host
    out_ += s;
  }
  void integer(int64_t v) {
    if (v >= INT32_MIN && v <= INT32_MAX) {
      op('J');  // BININT
      const auto v32 = static_cast<int32_t>(v);
      out_.append(reinterpret_cast<const char*>(&v32), 4);
    } else {
      op(0x8a);  // LONG1, 8 bytes two's complement
      op(8);
      out_.append(reinterpret_cast<const char*>(&v), 8);
    }
  }
  void int_tuple(at::IntArrayRef values) {
    op('(');
    for (const auto v : values) integer(v);
    op('t');
  }
  void ordered_dict() {
    global("collections", "OrderedDict");
    op(')');
    op('R');
  }

 private:
  std::string& out_;
};

}  // namespace

PickledStateDict pickle_state_dict(const NamedTensors& entries) {
  PickledStateDict out;
  std::set<std::string> names;
  Pickler p(out.pickle);
  p.op(0x80);  // PROTO 2
  p.op(2);
  p.ordered_dict();
  p.op('(');
  for (const auto& [name, tensor] : entries) {
    TORCH_CHECK(names.insert(name).second, "write_state_dict: duplicate key '", name, "'");
    TORCH_CHECK(tensor.defined(), "write_state_dict: key '", name, "' holds an undefined tensor");
    const auto data = tensor.detach().to(at::kCPU).contiguous();
    const auto key = std::to_string(out.storages.size());
    out.storages.push_back(data);
    // key -> _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks)
    p.string(name);
    p.global("torch._utils", "_rebuild_tensor_v2");
    p.op('(');
    p.op('(');  // persistent id ('storage', class, key, location, numel)
    p.string("storage");
    p.global("torch", storage_class(data.scalar_type()).c_str());
    p.string(key);
    p.string("cpu");
    p.integer(data.numel());
    p.op('t');
    p.op('Q');  // BINPERSID
    p.integer(0);
    p.int_tuple(data.sizes());
    p.int_tuple(data.strides());
    p.op(0x89);  // NEWFALSE: requires_grad
    p.ordered_dict();
    p.op('t');
    p.op('R');
  }
  p.op('u');  // SETITEMS
  p.op('.');  // STOP
  return out;
}

}  // namespace infozoo::io::detail
