// SPDX-License-Identifier: BSD-3-Clause
// A Python object as far as a state_dict pickle needs one (internal): the values the unpickler
// builds, and the heap that owns every value of one pickle.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace infozoo::io::detail {

struct PickleValue;
using PickleRef = PickleValue*;  // owned by the PickleHeap of the pickle being read

struct PickleValue {
  enum class Kind { kNone, kBool, kInt, kFloat, kString, kTuple, kList, kDict, kGlobal, kTensor };
  Kind kind = Kind::kNone;
  int64_t integer = 0;                                   // kBool, kInt
  double real = 0.0;                                     // kFloat
  std::string text;                                      // kString; "module.name" for kGlobal
  std::vector<PickleRef> items;                          // kTuple, kList
  std::vector<std::pair<PickleRef, PickleRef>> entries;  // kDict, in insertion order
  at::Tensor tensor;                                     // kTensor (also a storage: 1-D, its dtype)
};

// Every value of one pickle, owned in one place and freed together. A pickle may hold itself
// (a list appended to itself through the memo); counted references would leak that cycle
// (found by tests/fuzz/state_dict_pickle_fuzzer), and freeing a deep nesting would recurse.
class PickleHeap {
 public:
  PickleRef make(PickleValue::Kind kind) {
    auto& value = values_.emplace_back();  // a deque never moves what it holds
    value.kind = kind;
    return &value;
  }

 private:
  std::deque<PickleValue> values_;
};

}  // namespace infozoo::io::detail
