// SPDX-License-Identifier: BSD-3-Clause
// numpy 1.24's summation order (numpy/core/src/umath/loops_utils.h.src: pairwise_sum, applied
// per 8192-element buffer by the reduction machinery) and its argsort (npysort/quicksort.cpp:
// aquicksort_ with its heapsort fallback), so values derived from them match numpy bit for bit.
#include <cmath>
#include <utility>

#include "mi_detail.h"

namespace infozoo::analysis::detail {
namespace {

constexpr int64_t kPairwiseBlock = 128;
constexpr int64_t kReduceBuffer = 8192;
constexpr int64_t kSmallQuicksort = 15;

double pairwise_sum(const double* a, int64_t n) {
  if (n < 8) {
    double res = 0.;
    for (int64_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= kPairwiseBlock) {
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    int64_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

// numpy's DOUBLE_LT: NaN is larger than everything.
bool less(double a, double b) { return a < b || (b != b && a == a); }

// numpy's sift-down: `item` sinks from slot i of the 1-based heap a[1..n].
void sift_down(const double* v, int64_t* a, int64_t i, int64_t n, int64_t item) {
  for (int64_t j = i << 1; j <= n;) {
    if (j < n && less(v[a[j]], v[a[j + 1]])) j += 1;
    if (!less(v[item], v[a[j]])) break;
    a[i] = a[j];
    i = j;
    j += j;
  }
  a[i] = item;
}

void aheapsort(const double* v, int64_t* tosort, int64_t n) {
  int64_t* a = tosort - 1;  // 1-based heap indexing, as numpy
  for (int64_t l = n >> 1; l > 0; --l) sift_down(v, a, l, n, a[l]);
  for (; n > 1;) {
    const int64_t item = a[n];
    a[n] = a[1];
    n -= 1;
    sift_down(v, a, 1, n, item);
  }
}

int msb(uint64_t n) {
  int depth = 0;
  while (n >>= 1) depth++;
  return depth;
}

void aquicksort(const double* v, int64_t* tosort, int64_t num) {
  int64_t* pl = tosort;
  int64_t* pr = tosort + num - 1;
  int64_t* stack[128];
  int64_t** sptr = stack;
  int depth[128];
  int* psdepth = depth;
  int cdepth = msb(static_cast<uint64_t>(num)) * 2;
  for (;;) {
    if (cdepth < 0) {
      aheapsort(v, pl, pr - pl + 1);
      goto stack_pop;
    }
    while ((pr - pl) > kSmallQuicksort) {
      int64_t* pm = pl + ((pr - pl) >> 1);
      if (less(v[*pm], v[*pl])) std::swap(*pm, *pl);
      if (less(v[*pr], v[*pm])) std::swap(*pr, *pm);
      if (less(v[*pm], v[*pl])) std::swap(*pm, *pl);
      const double vp = v[*pm];
      int64_t* pi = pl;
      int64_t* pj = pr - 1;
      std::swap(*pm, *pj);
      for (;;) {
        do ++pi;
        while (less(v[*pi], vp));
        do --pj;
        while (less(vp, v[*pj]));
        if (pi >= pj) break;
        std::swap(*pi, *pj);
      }
      int64_t* pk = pr - 1;
      std::swap(*pi, *pk);
      // Push the larger partition, loop on the smaller: O(log n) stack.
      if (pi - pl < pr - pi) {
        *sptr++ = pi + 1;
        *sptr++ = pr;
        pr = pi - 1;
      } else {
        *sptr++ = pl;
        *sptr++ = pi - 1;
        pl = pi + 1;
      }
      *psdepth++ = --cdepth;
    }
    for (int64_t* pi = pl + 1; pi <= pr; ++pi) {
      const int64_t vi = *pi;
      const double vp = v[vi];
      int64_t* pj = pi;
      int64_t* pk = pi - 1;
      while (pj > pl && less(vp, v[*pk])) *pj-- = *pk--;
      *pj = vi;
    }
  stack_pop:
    if (sptr == stack) break;
    pr = *(--sptr);
    pl = *(--sptr);
    cdepth = *(--psdepth);
  }
}

}  // namespace

double numpy_sum(const double* a, int64_t n) {
  double res = 0.;
  for (int64_t start = 0; start < n; start += kReduceBuffer) {
    res += pairwise_sum(a + start, std::min(kReduceBuffer, n - start));
  }
  return res;
}

std::vector<int64_t> numpy_argsort(const std::vector<double>& v) {
  std::vector<int64_t> order(v.size());
  for (size_t i = 0; i < v.size(); ++i) order[i] = static_cast<int64_t>(i);
  if (v.size() > 1) aquicksort(v.data(), order.data(), static_cast<int64_t>(v.size()));
  return order;
}

}  // namespace infozoo::analysis::detail
