// SPDX-License-Identifier: BSD-3-Clause
// Galloping (exponential, then binary) searches outwards from a known position in a sorted array:
// the radius counts of the 1-D k-NN estimators cost O(log count) instead of O(log n) each.
#pragma once

#include <cstdint>

namespace infozoo::analysis::detail {

/// Largest q in [p, n) with pred(q), for pred true at p and monotone (true, then false) above it.
template <typename Pred>
int64_t last_true_right(int64_t p, int64_t n, Pred pred) {
  int64_t lo = p, hi = n, step = 1;
  while (true) {
    const int64_t q = p + step;
    if (q >= n) break;
    if (!pred(q)) {
      hi = q;
      break;
    }
    lo = q;
    step *= 2;
  }
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    (pred(mid) ? lo : hi) = mid;
  }
  return lo;
}

/// Smallest q in [0, p] with pred(q), for pred true at p and monotone (false, then true) below it.
template <typename Pred>
int64_t first_true_left(int64_t p, Pred pred) {
  int64_t hi = p, lo = -1, step = 1;
  while (true) {
    const int64_t q = p - step;
    if (q < 0) break;
    if (!pred(q)) {
      lo = q;
      break;
    }
    hi = q;
    step *= 2;
  }
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    (pred(mid) ? hi : lo) = mid;
  }
  return hi;
}

}  // namespace infozoo::analysis::detail
