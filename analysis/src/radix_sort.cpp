// SPDX-License-Identifier: BSD-3-Clause
#include "radix_sort.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <numeric>
#include <utility>

namespace infozoo::analysis::detail {
namespace {

constexpr int kDigitBits = 11;  // 2048 counters per pass stay in L1
constexpr int kPasses = (64 + kDigitBits - 1) / kDigitBits;
constexpr uint64_t kDigitMask = (uint64_t{1} << kDigitBits) - 1;
constexpr int64_t kComparisonSortBelow = 512;  // the counters cost more than they save

// IEEE-754 bits as an unsigned key with the same order: flip every bit of a negative number,
// only the sign bit of a positive one.
uint64_t order_key(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return (bits >> 63) ? ~bits : bits | (uint64_t{1} << 63);
}

}  // namespace

std::vector<int64_t> radix_argsort(const double* v, int64_t n) {
  std::vector<int64_t> order(n);
  if (n < kComparisonSortBelow) {
    std::iota(order.begin(), order.end(), int64_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [v](int64_t a, int64_t b) { return order_key(v[a]) < order_key(v[b]); });
    return order;
  }
  std::vector<uint64_t> keys(n), keys_out(n);
  std::vector<int64_t> order_out(n);
  std::vector<std::array<int64_t, kDigitMask + 1>> counts(kPasses);
  for (auto& c : counts) c.fill(0);
  for (int64_t i = 0; i < n; ++i) {
    keys[i] = order_key(v[i]);
    order[i] = i;
    for (int pass = 0; pass < kPasses; ++pass)
      ++counts[pass][(keys[i] >> (pass * kDigitBits)) & kDigitMask];
  }
  for (int pass = 0; pass < kPasses; ++pass) {
    auto& count = counts[pass];
    const int shift = pass * kDigitBits;
    // A digit every key shares (the exponent bits of data in a narrow range) orders nothing.
    if (count[(keys[0] >> shift) & kDigitMask] == n) continue;
    int64_t offset = 0;
    for (auto& c : count) offset += std::exchange(c, offset);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t slot = count[(keys[i] >> shift) & kDigitMask]++;
      keys_out[slot] = keys[i];
      order_out[slot] = order[i];
    }
    keys.swap(keys_out);
    order.swap(order_out);
  }
  return order;
}

}  // namespace infozoo::analysis::detail
