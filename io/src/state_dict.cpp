#include "infozoo/io/state_dict.h"

#include <ATen/ATen.h>
#include <caffe2/serialize/inline_container.h>

#include <cstdint>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>

#include "infozoo/io/atomic_file.h"
#include "zip_records.h"

namespace infozoo::io {
namespace {

// ---- A Python object as far as a state_dict pickle needs one ----

struct PyObject;
using PyRef = PyObject*;  // owned by the PyHeap of the pickle being read

struct PyObject {
  enum class Kind { kNone, kBool, kInt, kFloat, kString, kTuple, kList, kDict, kGlobal, kTensor };
  Kind kind = Kind::kNone;
  int64_t integer = 0;                           // kBool, kInt
  double real = 0.0;                             // kFloat
  std::string text;                              // kString; "module.name" for kGlobal
  std::vector<PyRef> items;                      // kTuple, kList
  std::vector<std::pair<PyRef, PyRef>> entries;  // kDict, in insertion order
  at::Tensor tensor;                             // kTensor (also a storage: 1-D, its dtype)
};

// Every object of one pickle, owned in one place and freed together. A pickle may hold itself
// (a list appended to itself through the memo); counted references would leak that cycle
// (found by tests/fuzz/state_dict_pickle_fuzzer), and freeing a deep nesting would recurse.
class PyHeap {
 public:
  PyRef make(PyObject::Kind kind) {
    auto& o = objects_.emplace_back();  // a deque never moves what it holds
    o.kind = kind;
    return &o;
  }

 private:
  std::deque<PyObject> objects_;
};

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

// ---- The pickler: the very stream Python's torch.save writes for a state_dict ----
//
// torch::pickle_save would do for Python 1.13, but it tags the dict with
// torch.jit._pickle.restore_type_tag, a global that torch.load refuses since PyTorch 2.6
// (weights_only=True by default). This writes only what a safe unpickler accepts.
class StateDictPickler {
 public:
  explicit StateDictPickler(std::string& out) : out_(out) {}

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

std::vector<int64_t> int_tuple(const PyRef& o, const char* what) {
  TORCH_CHECK(o->kind == PyObject::Kind::kTuple, what, " must be a tuple of ints");
  std::vector<int64_t> out;
  for (const auto& item : o->items) {
    TORCH_CHECK(item->kind == PyObject::Kind::kInt, what, " must be a tuple of ints");
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

// ---- The unpickler: the opcodes of pickle protocols 2 to 4 that torch.save emits ----

void check_crc(const std::map<std::string, uint32_t>& crcs, const std::string& name,
               const void* data, size_t size) {
  const auto it = crcs.find(name);
  TORCH_CHECK(it != crcs.end(), "record ", name, " is missing from the zip directory");
  const uint32_t actual = detail::crc32(data, size);
  TORCH_CHECK(actual == it->second, "record ", name, " fails its CRC-32 check (stored ",
              c10::str(std::hex, it->second), ", computed ", c10::str(std::hex, actual),
              "): the file is damaged");
}

class StateDictUnpickler {
 public:
  StateDictUnpickler(const char* data, size_t size, caffe2::serialize::PyTorchStreamReader& reader,
                     const std::map<std::string, uint32_t>& crcs, PyHeap& heap)
      : data_(data), end_(data + size), reader_(reader), crcs_(crcs), heap_(heap) {}

  PyRef run() {
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
  PyRef pop() {
    TORCH_CHECK(!stack_.empty(), "malformed pickle: pop from an empty stack");
    PyRef o = stack_.back();
    stack_.pop_back();
    return o;
  }
  PyRef& top() {
    TORCH_CHECK(!stack_.empty(), "malformed pickle: empty stack");
    return stack_.back();
  }
  std::vector<PyRef> pop_to_mark() {
    TORCH_CHECK(!marks_.empty() && marks_.back() <= stack_.size(), "malformed pickle: no MARK");
    const size_t start = marks_.back();
    marks_.pop_back();
    std::vector<PyRef> items(stack_.begin() + static_cast<std::ptrdiff_t>(start), stack_.end());
    stack_.resize(start);
    return items;
  }
  void push(PyRef o) { stack_.push_back(o); }
  void push_int(int64_t v) {
    auto o = heap_.make(PyObject::Kind::kInt);
    o->integer = v;
    push(o);
  }
  void push_string(std::string s) {
    auto o = heap_.make(PyObject::Kind::kString);
    o->text = std::move(s);
    push(o);
  }
  void push_tuple(std::vector<PyRef> items) {
    auto o = heap_.make(PyObject::Kind::kTuple);
    o->items = std::move(items);
    push(o);
  }
  void memo_put(size_t id) { memo_[id] = top(); }
  void memo_get(size_t id) {
    const auto it = memo_.find(id);
    TORCH_CHECK(it != memo_.end(), "malformed pickle: memo ", id, " is unset");
    push(it->second);
  }
  static void set_items(const PyRef& dict, const std::vector<PyRef>& kv) {
    TORCH_CHECK(dict->kind == PyObject::Kind::kDict, "malformed pickle: SETITEMS on a non-dict");
    TORCH_CHECK(kv.size() % 2 == 0, "malformed pickle: odd SETITEMS");
    for (size_t i = 0; i < kv.size(); i += 2) dict->entries.emplace_back(kv[i], kv[i + 1]);
  }

  void step(uint8_t op) {
    using K = PyObject::Kind;
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
  PyRef persistent_load(const PyRef& pid) {
    using K = PyObject::Kind;
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
      const auto element_size = static_cast<int64_t>(c10::elementSize(dtype));
      TORCH_CHECK(numel >= 0, "tensor storage data/", key, " has ", numel,
                  " elements (corrupt file)");
      // The record's size bounds the allocation: a corrupt element count must not allocate
      // terabytes before the size check (found by tests/fuzz/state_dict_pickle_fuzzer).
      at::DataPtr record;
      size_t size = 0;
      if (numel > 0) {
        std::tie(record, size) = reader_.getRecord("data/" + key);
        check_crc(crcs_, "data/" + key, record.get(), size);
      }
      TORCH_CHECK(numel == static_cast<int64_t>(size / element_size) && size % element_size == 0,
                  "tensor storage data/", key, " holds ", size, " bytes where ", numel, " x ",
                  element_size, " are expected (corrupt file)");
      auto storage = at::empty({numel}, at::TensorOptions().dtype(dtype));
      if (size > 0) std::memcpy(storage.data_ptr(), record.get(), size);
      cached = heap_.make(K::kTensor);
      cached->tensor = storage;
    }
    return cached;
  }

  PyRef reduce(const PyRef& callable, const PyRef& args) {
    using K = PyObject::Kind;
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
  caffe2::serialize::PyTorchStreamReader& reader_;
  std::vector<PyRef> stack_;
  std::vector<size_t> marks_;
  std::map<size_t, PyRef> memo_;
  std::map<std::string, PyRef> storages_;
  const std::map<std::string, uint32_t>& crcs_;
  PyHeap& heap_;
};

std::string first_line(const std::string& message) { return message.substr(0, message.find('\n')); }

std::string join_keys(const std::vector<std::string>& keys) {
  std::ostringstream out;
  for (size_t i = 0; i < keys.size(); ++i) out << (i ? ", " : "") << '\'' << keys[i] << '\'';
  return out.str();
}

}  // namespace

NamedTensors read_state_dict(const std::string& path) {
  {
    std::ifstream probe(path, std::ios::binary);
    TORCH_CHECK(probe.good(), "state_dict file '", path,
                "' cannot be opened (missing or unreadable)");
    // torch.save wrote a pickle stream (no zip) before PyTorch 1.6, and still does with
    // _use_new_zipfile_serialization=False: say so rather than "corrupt".
    char magic[2] = {0, 0};
    probe.read(magic, 2);
    TORCH_CHECK(
        !(static_cast<unsigned char>(magic[0]) == 0x80 && magic[1] >= 2 && magic[1] <= 5),
        "state_dict file '", path,
        "' is in torch.save's legacy (pre-1.6, non-zip) format, which infozoo does not read; "
        "re-save it from Python with torch.save(state_dict, path)");
  }
  PyHeap heap;  // outlives root, which points into it
  PyRef root = nullptr;
  try {
    caffe2::serialize::PyTorchStreamReader reader(path);
    const auto crcs = detail::zip_record_crcs(path);
    if (reader.hasRecord("byteorder")) {
      auto [order, size] = reader.getRecord("byteorder");
      TORCH_CHECK(std::string(static_cast<const char*>(order.get()), size) == "little",
                  "big-endian tensors are not supported");
    }
    auto [pickle, size] = reader.getRecord("data.pkl");
    check_crc(crcs, "data.pkl", pickle.get(), size);
    root =
        StateDictUnpickler(static_cast<const char*>(pickle.get()), size, reader, crcs, heap).run();
  } catch (const c10::Error& e) {
    TORCH_CHECK(false, "state_dict file '", path,
                "' is not a readable torch.save archive (corrupt or truncated?): ",
                first_line(e.what_without_backtrace()));
  }
  TORCH_CHECK(root->kind == PyObject::Kind::kDict, "state_dict file '", path,
              "' holds no dict (save model.state_dict(), not the model)");
  NamedTensors out;
  for (const auto& [key, value] : root->entries) {
    TORCH_CHECK(key->kind == PyObject::Kind::kString && value->kind == PyObject::Kind::kTensor,
                "state_dict file '", path, "' holds an entry that is not name -> tensor");
    out.emplace_back(key->text, value->tensor);
  }
  return out;
}

void write_state_dict(const NamedTensors& entries, const std::string& path) {
  std::set<std::string> names;
  std::vector<at::Tensor> storages;  // record data/<i> holds storages[i]
  std::string pickle;
  StateDictPickler p(pickle);
  p.op(0x80);  // PROTO 2
  p.op(2);
  p.ordered_dict();
  p.op('(');
  for (const auto& [name, tensor] : entries) {
    TORCH_CHECK(names.insert(name).second, "write_state_dict: duplicate key '", name, "'");
    TORCH_CHECK(tensor.defined(), "write_state_dict: key '", name, "' holds an undefined tensor");
    const auto data = tensor.detach().to(at::kCPU).contiguous();
    const auto key = std::to_string(storages.size());
    storages.push_back(data);
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

  std::string archive;
  caffe2::serialize::PyTorchStreamWriter writer([&archive](const void* bytes, size_t size) {
    archive.append(static_cast<const char*>(bytes), size);
    return size;
  });
  writer.writeRecord("data.pkl", pickle.data(), pickle.size());
  writer.writeRecord("byteorder", "little", 6);
  for (size_t i = 0; i < storages.size(); ++i) {
    writer.writeRecord("data/" + std::to_string(i), storages[i].data_ptr(),
                       storages[i].numel() * storages[i].element_size());
  }
  writer.writeEndOfFile();
  // Whole or not at all: an interrupted save never leaves a truncated weights file.
  write_file_atomically(path, archive);
}

void load_state_dict(torch::nn::Module& module, const std::string& path) {
  const auto entries = read_state_dict(path);
  std::map<std::string, at::Tensor> file;
  for (const auto& [name, tensor] : entries) file.emplace(name, tensor);

  NamedTensors targets;
  for (const auto& p : module.named_parameters()) targets.emplace_back(p.key(), p.value());
  for (const auto& b : module.named_buffers()) targets.emplace_back(b.key(), b.value());

  std::vector<std::string> missing;
  std::set<std::string> expected;
  for (const auto& [name, tensor] : targets) {
    expected.insert(name);
    if (!file.count(name)) missing.push_back(name);
  }
  std::vector<std::string> unexpected;
  for (const auto& [name, tensor] : entries) {
    if (!expected.count(name)) unexpected.push_back(name);
  }
  TORCH_CHECK(missing.empty(), "state_dict file '", path, "' lacks key(s) ", join_keys(missing),
              " that the module has");
  TORCH_CHECK(unexpected.empty(), "state_dict file '", path, "' has unexpected key(s) ",
              join_keys(unexpected), " that the module lacks");
  for (const auto& [name, target] : targets) {
    const auto& source = file.at(name);
    TORCH_CHECK(source.sizes() == target.sizes(), "state_dict file '", path, "': key '", name,
                "' has shape ", source.sizes(), " but the module's has shape ", target.sizes());
  }
  at::NoGradGuard no_grad;
  for (auto& [name, target] : targets) {
    target.copy_(file.at(name));  // converts to the module's dtype and device
  }
}

void save_state_dict(const torch::nn::Module& module, const std::string& path) {
  NamedTensors entries;
  for (const auto& p : module.named_parameters()) entries.emplace_back(p.key(), p.value());
  for (const auto& b : module.named_buffers()) entries.emplace_back(b.key(), b.value());
  write_state_dict(entries, path);
}

}  // namespace infozoo::io
