// SPDX-License-Identifier: BSD-3-Clause
// Fuzzes the weights-file loader with whole files: arbitrary bytes (truncated, corrupt, not a
// zip at all, zips of other things) given to read_state_dict and load_state_dict. Every outcome
// must be a state_dict or a c10::Error; crashes, hangs, sanitizer reports and other exceptions
// fail.
#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "infozoo/io/state_dict.h"
#include "infozoo/models/multi_head_attention.h"

namespace {

infozoo::fuzz::ScratchCleanup cleanup;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  infozoo::fuzz::use_one_thread();
  infozoo::fuzz::write_scratch(data, size);
  try {
    infozoo::fuzz::read_scratch_checked();
    // The key-by-key match and copy, into a small module with the seed's key names.
    infozoo::models::MultiHeadAttention mha(infozoo::models::MultiHeadAttentionOptions(4, 2));
    infozoo::io::load_state_dict(*mha, infozoo::fuzz::scratch_path());
  } catch (const c10::Error&) {
  }
  return 0;
}
