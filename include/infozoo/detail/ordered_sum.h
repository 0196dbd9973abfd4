// SPDX-License-Identifier: BSD-3-Clause
// Sums whose order does not follow the thread count (internal: namespace infozoo::detail, not
// part of the API). ATen splits a reduction over more than its grain size (32768 elements) between
// threads, and OpenBLAS splits a dot product over more than 10000, so the same sum rounds
// differently with another thread count. Here a long vector is summed in chunks small enough for
// one thread each, and the chunks' sums are added in order; a short one is exactly at::sum.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>

namespace infozoo::detail {

/// Elements per chunk: below both splitting thresholds.
constexpr int64_t kOrderedChunk = 8192;

/// The sum of the 1-D float64 tensor `v`, in an order fixed by its length alone; for up to
/// kOrderedChunk elements the same bits as `v.sum()`.
/// Example: `ordered_sum(at::ones({100000}, at::kDouble))` is 100000 for any thread count.
inline double ordered_sum(const at::Tensor& v) {
  if (v.numel() <= kOrderedChunk) return v.sum().item<double>();
  double total = 0;
  for (int64_t start = 0; start < v.numel(); start += kOrderedChunk) {
    total += v.slice(/*dim=*/0, start, start + kOrderedChunk).sum().item<double>();
  }
  return total;
}

/// x . y for 1-D float64 tensors of one length, chunk by chunk as ordered_sum; for up to
/// kOrderedChunk elements the same bits as `x.dot(y)`.
/// Example: `ordered_dot(x, x)` is the squared norm of x, the same for any thread count.
inline double ordered_dot(const at::Tensor& x, const at::Tensor& y) {
  if (x.numel() <= kOrderedChunk) return x.dot(y).item<double>();
  double total = 0;
  for (int64_t start = 0; start < x.numel(); start += kOrderedChunk) {
    total += x.slice(/*dim=*/0, start, start + kOrderedChunk)
                 .dot(y.slice(/*dim=*/0, start, start + kOrderedChunk))
                 .item<double>();
  }
  return total;
}

}  // namespace infozoo::detail
