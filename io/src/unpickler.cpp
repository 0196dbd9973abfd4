// SPDX-License-Identifier: BSD-3-Clause
#include "unpickler.h"

#include <ATen/ATen.h>

#include <cstring>
#include <map>
#include <utility>
#include <vector>

#include "storage_types.h"

namespace infozoo::io::detail {
namespace {

std::vector<int64_t> int_tuple(const PickleRef& o, const char* what) {
  TORCH_CHECK(o->kind == PickleValue::Kind::kTuple, what, " must be a tuple of ints");
  std::vector<int64_t> out;
  for (const auto& item : o->items) {
    TORCH_CHECK(item->kind == PickleValue::Kind::kInt, what, " must be a tuple of ints");
    out.push_back(item->integer);
  }
  return out;
}

// set_ would grow a storage that a view's sizes and strides reach beyond, handing back
// uninitialised memory (or allocating terabytes) for a corrupt file: refuse such a view instead.
void check_view_inside(const std::vector<int64_t>& sizes, const std::vector<int64_t>& strides,
                       int64_t offset, int64_t storage_numel) {
  TORCH_CHECK(sizes.size() == strides.size(), "tensor size and stride differ in length (",
              sizes.size(), " and ", strides.size(), ") (corrupt file)");
  TORCH_CHECK(offset >= 0, "tensor storage offset ", offset, " is negative (corrupt file)");
  bool empty = false;
  for (size_t d = 0; d < sizes.size(); ++d) {
    TORCH_CHECK(sizes[d] >= 0 && strides[d] >= 0, "tensor size ", at::IntArrayRef(sizes),
                " and stride ", at::IntArrayRef(strides), " must not be negative (corrupt file)");
    empty = empty || sizes[d] == 0;
  }
  if (empty) return;
  const auto beyond = [&] {
    return c10::str("tensor of size ", at::IntArrayRef(sizes), ", stride ",
                    at::IntArrayRef(strides), " and offset ", offset,
                    " reaches beyond its storage of ", storage_numel, " elements (corrupt file)");
  };
  TORCH_CHECK(offset < storage_numel, beyond());
  int64_t last = offset;  // the farthest element reached, kept below storage_numel (no overflow)
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] < 2 || strides[d] == 0) continue;
    TORCH_CHECK(sizes[d] - 1 <= (storage_numel - 1 - last) / strides[d], beyond());
    last += (sizes[d] - 1) * strides[d];
  }
}

class Unpickler {
 public:
  Unpickler(const char* data, size_t size, PickleHeap& heap, const StorageLoader& load_storage)
      : data_(data), end_(data + size), heap_(heap), load_storage_(load_storage) {}

  PickleRef run() {
    while (true) {
      const auto op = static_cast<uint8_t>(read_byte());
      if (op == '.') break;  // STOP
      step(op);
    }
    TORCH_CHECK(stack_.size() == 1, "the pickle left ", stack_.size(), " objects instead of one");
    return stack_.back();
  }

 private:
  char read_byte() {
    TORCH_CHECK(data_ < end_, "the pickle ends early (truncated)");
    return *data_++;
  }
  const char* read_bytes(size_t n) {
    TORCH_CHECK(static_cast<size_t>(end_ - data_) >= n, "the pickle ends early (truncated)");
    const char* p = data_;
    data_ += n;
    return p;
  }
  template <typename T>
  T read_le() {  // pickle integers are little-endian, as this host (x86-64, aarch64)
    T value;
    std::memcpy(&value, read_bytes(sizeof(T)), sizeof(T));
    return value;
  }
  std::string read_line() {
    std::string line;
    for (char c = read_byte(); c != '\n'; c = read_byte()) line += c;
    return line;
  }
  PickleRef pop() {
    TORCH_CHECK(!stack_.empty(), "malformed pickle: pop from an empty stack");
    PickleRef o = stack_.back();
    stack_.pop_back();
    return o;
  }
  PickleRef& top() {
    TORCH_CHECK(!stack_.empty(), "malformed pickle: empty stack");
    return stack_.back();
  }
  std::vector<PickleRef> pop_to_mark() {
    TORCH_CHECK(!marks_.empty() && marks_.back() <= stack_.size(), "malformed pickle: no MARK");
    const size_t start = marks_.back();
    marks_.pop_back();
    std::vector<PickleRef> items(stack_.begin() + static_cast<std::ptrdiff_t>(start), stack_.end());
    stack_.resize(start);
    return items;
  }
  void push(PickleRef o) { stack_.push_back(o); }
  void push_int(int64_t v) {
    auto o = heap_.make(PickleValue::Kind::kInt);
    o->integer = v;
    push(o);
  }
  void push_string(std::string s) {
    auto o = heap_.make(PickleValue::Kind::kString);
    o->text = std::move(s);
    push(o);
  }
  void push_tuple(std::vector<PickleRef> items) {
    auto o = heap_.make(PickleValue::Kind::kTuple);
    o->items = std::move(items);
    push(o);
  }
  void memo_put(size_t id) { memo_[id] = top(); }
  void memo_get(size_t id) {
    const auto it = memo_.find(id);
    TORCH_CHECK(it != memo_.end(), "malformed pickle: memo ", id, " is unset");
    push(it->second);
  }
  static void set_items(const PickleRef& dict, const std::vector<PickleRef>& kv) {
    TORCH_CHECK(dict->kind == PickleValue::Kind::kDict, "malformed pickle: SETITEMS on a non-dict");
    TORCH_CHECK(kv.size() % 2 == 0, "malformed pickle: odd SETITEMS");
    for (size_t i = 0; i < kv.size(); i += 2) dict->entries.emplace_back(kv[i], kv[i + 1]);
  }

  void step(uint8_t op) {
    using K = PickleValue::Kind;
    switch (op) {
      case 0x80:
        read_byte();
        break;  // PROTO
      case 0x95:
        read_bytes(8);
        break;  // FRAME (protocol 4)
      case 0x94:
        memo_put(memo_.size());
        break;  // MEMOIZE
      case 'q':
        memo_put(static_cast<uint8_t>(read_byte()));
        break;  // BINPUT
      case 'r':
        memo_put(read_le<uint32_t>());
        break;  // LONG_BINPUT
      case 'h':
        memo_get(static_cast<uint8_t>(read_byte()));
        break;  // BINGET
      case 'j':
        memo_get(read_le<uint32_t>());
        break;  // LONG_BINGET
      case '(':
        marks_.push_back(stack_.size());
        break;  // MARK
      case 'N':
        push(heap_.make(K::kNone));
        break;
      case 0x88:
      case 0x89: {  // NEWTRUE, NEWFALSE
        auto o = heap_.make(K::kBool);
        o->integer = op == 0x88;
        push(o);
      } break;
      case 'K':
        push_int(static_cast<uint8_t>(read_byte()));
        break;  // BININT1
      case 'M':
        push_int(read_le<uint16_t>());
        break;  // BININT2
      case 'J':
        push_int(read_le<int32_t>());
        break;      // BININT
      case 0x8a: {  // LONG1
        const auto n = static_cast<uint8_t>(read_byte());
        TORCH_CHECK(n <= 8, "integer of ", int(n), " bytes is too large");
        const char* p = read_bytes(n);
        uint64_t v = 0;
        for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
        if (n > 0 && n < 8 && (static_cast<uint8_t>(p[n - 1]) & 0x80)) v -= uint64_t{1} << (8 * n);
        push_int(static_cast<int64_t>(v));
      } break;
      case 'G': {  // BINFLOAT, big-endian
        const char* p = read_bytes(8);
        char le[8];
        for (int i = 0; i < 8; ++i) le[i] = p[7 - i];
        auto o = heap_.make(K::kFloat);
        std::memcpy(&o->real, le, 8);
        push(o);
      } break;
      case 'X': {  // BINUNICODE
        const auto n = read_le<uint32_t>();
        push_string(std::string(read_bytes(n), n));
      } break;
      case 0x8c: {  // SHORT_BINUNICODE
        const auto n = static_cast<uint8_t>(read_byte());
        push_string(std::string(read_bytes(n), n));
      } break;
      case 'c': {  // GLOBAL
        auto o = heap_.make(K::kGlobal);
        o->text = read_line();
        o->text += "." + read_line();
        push(o);
      } break;
      case ')':
        push_tuple({});
        break;
      case 0x85:
        push_tuple({pop()});
        break;
      case 0x86: {
        auto b = pop();
        auto a = pop();
        push_tuple({a, b});
      } break;
      case 0x87: {
        auto c = pop();
        auto b = pop();
        auto a = pop();
        push_tuple({a, b, c});
      } break;
      case 't':
        push_tuple(pop_to_mark());
        break;
      case ']':
        push(heap_.make(K::kList));
        break;
      case 'l': {
        auto o = heap_.make(K::kList);
        o->items = pop_to_mark();
        push(o);
      } break;
      case 'a': {
        auto item = pop();
        TORCH_CHECK(top()->kind == K::kList, "malformed pickle: APPEND to a non-list");
        top()->items.push_back(item);
      } break;
      case 'e': {
        auto items = pop_to_mark();
        TORCH_CHECK(top()->kind == K::kList, "malformed pickle: APPENDS to a non-list");
        top()->items.insert(top()->items.end(), items.begin(), items.end());
      } break;
      case '}':
        push(heap_.make(K::kDict));
        break;
      case 'd': {
        auto o = heap_.make(K::kDict);
        set_items(o, pop_to_mark());
        push(o);
      } break;
      case 's': {
        auto value = pop();
        auto key = pop();
        set_items(top(), {key, value});
      } break;
      case 'u': {
        auto kv = pop_to_mark();
        set_items(top(), kv);
      } break;
      case 'Q':
        push(persistent_load(pop()));
        break;     // BINPERSID
      case 'R': {  // REDUCE
        auto args = pop();
        auto callable = pop();
        push(reduce(callable, args));
      } break;
      case 'b':
        pop();
        break;  // BUILD: OrderedDict's `_metadata` (module versions), not needed
      default:
        TORCH_CHECK(false, "unsupported pickle opcode ", int(op),
                    " (not a state_dict written by torch.save?)");
    }
  }

  // ('storage', storage type, key, location, numel): the bytes of archive record data/<key>.
  PickleRef persistent_load(const PickleRef& pid) {
    using K = PickleValue::Kind;
    TORCH_CHECK(pid->kind == K::kTuple && pid->items.size() == 5 &&
                    pid->items[0]->kind == K::kString && pid->items[0]->text == "storage" &&
                    pid->items[1]->kind == K::kGlobal && pid->items[2]->kind == K::kString &&
                    pid->items[4]->kind == K::kInt,
                "unsupported persistent id in the pickle (not a tensor storage)");
    const auto& key = pid->items[2]->text;
    auto& cached = storages_[key];
    if (!cached) {
      const auto dtype = storage_dtype(pid->items[1]->text);
      const int64_t numel = pid->items[4]->integer;
      TORCH_CHECK(numel >= 0, "tensor storage data/", key, " has ", numel,
                  " elements (corrupt file)");
      auto storage = load_storage_(key, dtype, numel);
      cached = heap_.make(K::kTensor);
      cached->tensor = storage;
    }
    return cached;
  }

  PickleRef reduce(const PickleRef& callable, const PickleRef& args) {
    using K = PickleValue::Kind;
    TORCH_CHECK(callable->kind == K::kGlobal, "malformed pickle: REDUCE on a non-callable");
    TORCH_CHECK(args->kind == K::kTuple, "malformed pickle: REDUCE without an argument tuple");
    const auto& name = callable->text;
    const auto& a = args->items;
    if (name == "collections.OrderedDict") {
      return heap_.make(K::kDict);
    }
    if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") {
      TORCH_CHECK(a.size() >= 4 && a[0]->kind == K::kTensor && a[1]->kind == K::kInt,
                  "malformed tensor in the pickle");
      const auto& storage = a[0]->tensor;
      const auto sizes = int_tuple(a[2], "tensor size");
      const auto strides = int_tuple(a[3], "tensor stride");
      check_view_inside(sizes, strides, a[1]->integer,
                        static_cast<int64_t>(storage.storage().nbytes() / storage.element_size()));
      auto o = heap_.make(K::kTensor);
      o->tensor =
          at::empty({0}, storage.options()).set_(storage.storage(), a[1]->integer, sizes, strides);
      return o;
    }
    if (name == "torch._utils._rebuild_parameter" || name == "torch.jit._pickle.restore_type_tag" ||
        name.rfind("torch.jit._pickle.build_", 0) == 0) {
      TORCH_CHECK(!a.empty(), "malformed pickle: ", name, " without arguments");
      return a[0];
    }
    TORCH_CHECK(false, "the pickle holds a Python object of type ", name,
                ", which is not part of a state_dict");
  }

  const char* data_;
  const char* end_;
  std::vector<PickleRef> stack_;
  std::vector<size_t> marks_;
  std::map<size_t, PickleRef> memo_;
  std::map<std::string, PickleRef> storages_;
  PickleHeap& heap_;
  const StorageLoader& load_storage_;
};

}  // namespace

PickleRef unpickle(const char* data, size_t size, PickleHeap& heap,
                   const StorageLoader& load_storage) {
  return Unpickler(data, size, heap, load_storage).run();
}

}  // namespace infozoo::io::detail
