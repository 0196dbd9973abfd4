// SPDX-License-Identifier: BSD-3-Clause
// ManualMLP's forward and backward as plain loops over contiguous CPU arrays (internal).
// At the seed's sizes (300 x 2 -> 32 -> 2) one epoch is ~1e5 multiply-adds, so ATen's per-op
// dispatch (~20 ops an epoch) costs more than the arithmetic. The loops work feature-major: the
// caches hold one contiguous row of B values per feature (the module exposes them as [B, F] views),
// so the inner loops run over the batch, long and vectorisable, instead of over the 2 inputs or 2
// outputs, and the sums over the batch use four accumulators instead of one latency-bound chain.
// The batch is processed in chunks whose scratch stays in L2. Same formulas as the ATen path in
// manual_mlp.cpp; the sums over the batch run in a different (fixed) order.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace infozoo::models::detail {

/// Sizes of one forward/backward: batch B, input D, hidden H, output O.
struct MlpSizes {
  int64_t B, D, H, O;
};

/// Samples per chunk: a chunk's scratch rows stay in L2 however large the batch.
constexpr int64_t kMlpChunk = 256;

/// The forward's results, feature-major: z1T and a1T [H, B], z2T and pT [O, B].
template <typename T>
struct MlpCaches {
  T *z1T, *a1T, *z2T, *pT;
};

/// Scratch for one chunk of C <= kMlpChunk samples, rows C apart: XT [D, C], delta1 [C],
/// delta2 [O, C], and two rows for the softmax.
template <typename T>
struct MlpScratch {
  static int64_t size(const MlpSizes& n) { return std::min(n.B, kMlpChunk) * (n.D + n.O + 3); }
  MlpScratch(const MlpSizes& n, T* base) {
    const int64_t C = std::min(n.B, kMlpChunk);
    XT = base;
    delta1 = XT + n.D * C;
    delta2 = delta1 + C;
    row_max = delta2 + n.O * C;
    row_sum = row_max + C;
  }
  T *XT, *delta1, *delta2, *row_max, *row_sum;
};

/// sum_i a[i] * b[i] with four interleaved accumulators.
template <typename T>
T dot(const T* __restrict a, const T* __restrict b, int64_t n) {
  T s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

/// sum_i a[i] with four interleaved accumulators.
template <typename T>
T total(const T* __restrict a, int64_t n) {
  T s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  for (; i < n; ++i) s0 += a[i];
  return (s0 + s1) + (s2 + s3);
}

/// XT [D, C] = rows b0 .. b0 + C of X [B, D].
template <typename T>
void load_chunk(const MlpSizes& n, const T* __restrict X, int64_t b0, int64_t C, T* __restrict XT) {
  for (int64_t d = 0; d < n.D; ++d) {
    for (int64_t b = 0; b < C; ++b) XT[d * C + b] = X[(b0 + b) * n.D + d];
  }
}

/// z1 = X W1 + b1, a1 = relu(z1), z2 = a1 W2 + b2, probs = softmax(z2) (max subtracted), into the
/// feature-major caches. X [B, D], W1 [D, H], b1 [H], W2 [H, O], b2 [O]; row-major, contiguous.
template <typename T>
void mlp_forward(const MlpSizes& n, const T* __restrict X, const T* __restrict W1,
                 const T* __restrict b1, const T* __restrict W2, const T* __restrict b2,
                 const MlpCaches<T>& out, const MlpScratch<T>& ws) {
  const int64_t B = n.B;
  for (int64_t b0 = 0; b0 < B; b0 += kMlpChunk) {
    const int64_t C = std::min(kMlpChunk, B - b0);
    load_chunk(n, X, b0, C, ws.XT);
    for (int64_t h = 0; h < n.H; ++h) {
      T* __restrict z = out.z1T + h * B + b0;
      T* __restrict a = out.a1T + h * B + b0;
      std::fill(z, z + C, b1[h]);
      for (int64_t d = 0; d < n.D; ++d) {
        const T w = W1[d * n.H + h];
        const T* __restrict x = ws.XT + d * C;
        for (int64_t b = 0; b < C; ++b) z[b] += x[b] * w;
      }
      for (int64_t b = 0; b < C; ++b) a[b] = z[b] > T(0) ? z[b] : T(0);
    }
    for (int64_t o = 0; o < n.O; ++o) {
      T* __restrict z = out.z2T + o * B + b0;
      std::fill(z, z + C, b2[o]);
      for (int64_t h = 0; h < n.H; ++h) {
        const T w = W2[h * n.O + o];
        const T* __restrict a = out.a1T + h * B + b0;
        for (int64_t b = 0; b < C; ++b) z[b] += a[b] * w;
      }
    }
    // Subtracting the row maximum keeps exp from overflowing (seed 2.1).
    T* __restrict m = ws.row_max;
    T* __restrict sum = ws.row_sum;
    std::copy(out.z2T + b0, out.z2T + b0 + C, m);
    for (int64_t o = 1; o < n.O; ++o) {
      const T* __restrict z = out.z2T + o * B + b0;
      for (int64_t b = 0; b < C; ++b) m[b] = std::max(m[b], z[b]);
    }
    std::fill(sum, sum + C, T(0));
    for (int64_t o = 0; o < n.O; ++o) {
      const T* __restrict z = out.z2T + o * B + b0;
      T* __restrict p = out.pT + o * B + b0;
      for (int64_t b = 0; b < C; ++b) {
        p[b] = std::exp(z[b] - m[b]);
        sum[b] += p[b];
      }
    }
    for (int64_t o = 0; o < n.O; ++o) {
      T* __restrict p = out.pT + o * B + b0;
      for (int64_t b = 0; b < C; ++b) p[b] /= sum[b];
    }
  }
}

/// The seed's backward from the caches of the last forward: delta2 = (probs - y) / B,
/// dW2 = a1^T delta2, db2 = sum_b delta2, delta1 = (delta2 W2^T) * (z1 > 0), dW1 = X^T delta1,
/// db1 = sum_b delta1. X [B, D] and y_onehot [B, O] row-major. Gradients are overwritten, not
/// accumulated; the sums over the batch run chunk after chunk.
template <typename T>
void mlp_backward(const MlpSizes& n, const T* __restrict X, const T* __restrict W2,
                  const MlpCaches<T>& in, const T* __restrict y_onehot, const MlpScratch<T>& ws,
                  T* __restrict dW1, T* __restrict db1, T* __restrict dW2, T* __restrict db2) {
  const int64_t B = n.B;
  std::fill(dW1, dW1 + n.D * n.H, T(0));
  std::fill(db1, db1 + n.H, T(0));
  std::fill(dW2, dW2 + n.H * n.O, T(0));
  std::fill(db2, db2 + n.O, T(0));
  for (int64_t b0 = 0; b0 < B; b0 += kMlpChunk) {
    const int64_t C = std::min(kMlpChunk, B - b0);
    load_chunk(n, X, b0, C, ws.XT);
    for (int64_t o = 0; o < n.O; ++o) {
      const T* __restrict p = in.pT + o * B + b0;
      const T* __restrict y = y_onehot + b0 * n.O + o;
      T* __restrict d2 = ws.delta2 + o * C;
      // Divided, not multiplied by 1/B, as the seed's (probs - y_onehot) / B.
      for (int64_t b = 0; b < C; ++b) d2[b] = (p[b] - y[b * n.O]) / static_cast<T>(B);
      db2[o] += total(d2, C);
      for (int64_t h = 0; h < n.H; ++h) dW2[h * n.O + o] += dot(in.a1T + h * B + b0, d2, C);
    }
    T* __restrict d1 = ws.delta1;
    for (int64_t h = 0; h < n.H; ++h) {
      const T* __restrict z = in.z1T + h * B + b0;
      std::fill(d1, d1 + C, T(0));
      for (int64_t o = 0; o < n.O; ++o) {
        const T w = W2[h * n.O + o];
        const T* __restrict d2 = ws.delta2 + o * C;
        for (int64_t b = 0; b < C; ++b) d1[b] += d2[b] * w;
      }
      for (int64_t b = 0; b < C; ++b) d1[b] = z[b] > T(0) ? d1[b] : T(0);
      db1[h] += total(d1, C);
      for (int64_t d = 0; d < n.D; ++d) dW1[d * n.H + h] += dot(ws.XT + d * C, d1, C);
    }
  }
}

/// p -= lr * dp over `count` values.
template <typename T>
void sgd_step(T* __restrict p, const T* __restrict dp, int64_t count, T lr) {
  for (int64_t i = 0; i < count; ++i) p[i] -= lr * dp[i];
}

}  // namespace infozoo::models::detail
