// SPDX-License-Identifier: BSD-3-Clause
// Sums whose order does not follow the thread count (internal: namespace infozoo::detail, not
// part of the API). ATen splits a reduction over more than its grain size (32768 elements) between
// threads, OpenBLAS a dot product over more than 10000 and MKL one over less, so the same sum
// rounds differently with another thread count. Here a long vector is summed in chunks small enough
// for one thread each, and the chunks' sums are added in order; a short one is exactly at::sum.
#pragma once

#include <ATen/ATen.h>
#include <ATen/Config.h>

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

/// Whether this LibTorch's BLAS splits even a short dot product between threads: MKL (in
/// PyTorch's wheels) does (mi-hist's Pearson r at 6000 samples differed between 1 and 2 threads);
/// OpenBLAS (Debian's LibTorch) only past 10000 elements.
#if AT_MKL_ENABLED()
constexpr bool kBlasDotSplitsShortVectors = true;
#else
constexpr bool kBlasDotSplitsShortVectors = false;
#endif

/// x . y for 1-D float64 tensors of one length, in an order fixed by their length: with OpenBLAS
/// and up to kOrderedChunk elements the same bits as `x.dot(y)`; otherwise the products and
/// ATen's own sum, chunk by chunk as ordered_sum.
/// Example: `ordered_dot(x, x)` is the squared norm of x, the same for any thread count.
inline double ordered_dot(const at::Tensor& x, const at::Tensor& y) {
  if (!kBlasDotSplitsShortVectors && x.numel() <= kOrderedChunk) return x.dot(y).item<double>();
  double total = 0;
  for (int64_t start = 0; start < x.numel(); start += kOrderedChunk) {
    const auto xs = x.slice(/*dim=*/0, start, start + kOrderedChunk);
    const auto ys = y.slice(/*dim=*/0, start, start + kOrderedChunk);
    total += (xs * ys).sum().item<double>();
  }
  return total;
}

}  // namespace infozoo::detail
