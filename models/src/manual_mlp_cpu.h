// ManualMLP's forward and backward as plain loops over contiguous CPU arrays (internal).
// At the seed's sizes (300 x 2 -> 32 -> 2) one epoch is ~1e5 multiply-adds, so ATen's per-op
// dispatch (~20 ops an epoch) costs more than the arithmetic; these loops do the same sums in one
// pass each. Same formulas as the ATen path in manual_mlp.cpp, summation order aside.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace infozoo::models::detail {

/// Sizes of one forward/backward: batch B, input D, hidden H, output O.
struct MlpSizes {
  int64_t B, D, H, O;
};

/// z1 = X W1 + b1, a1 = relu(z1), z2 = a1 W2 + b2, probs = softmax(z2) (max subtracted).
/// X [B, D], W1 [D, H], b1 [H], W2 [H, O], b2 [O]; row-major, contiguous.
template <typename T>
void mlp_forward(const MlpSizes& n, const T* __restrict X, const T* __restrict W1,
                 const T* __restrict b1, const T* __restrict W2, const T* __restrict b2,
                 T* __restrict z1, T* __restrict a1, T* __restrict z2, T* __restrict probs) {
  for (int64_t b = 0; b < n.B; ++b) {
    T* z1_row = z1 + b * n.H;
    T* a1_row = a1 + b * n.H;
    std::copy(b1, b1 + n.H, z1_row);
    for (int64_t d = 0; d < n.D; ++d) {
      const T x = X[b * n.D + d];
      const T* w = W1 + d * n.H;
      for (int64_t h = 0; h < n.H; ++h) z1_row[h] += x * w[h];
    }
    for (int64_t h = 0; h < n.H; ++h) a1_row[h] = z1_row[h] > T(0) ? z1_row[h] : T(0);

    T* z2_row = z2 + b * n.O;
    T* p_row = probs + b * n.O;
    std::copy(b2, b2 + n.O, z2_row);
    for (int64_t h = 0; h < n.H; ++h) {
      const T a = a1_row[h];
      const T* w = W2 + h * n.O;
      for (int64_t o = 0; o < n.O; ++o) z2_row[o] += a * w[o];
    }
    // Subtracting the row maximum keeps exp from overflowing (seed 2.1).
    const T m = *std::max_element(z2_row, z2_row + n.O);
    T sum = 0;
    for (int64_t o = 0; o < n.O; ++o) {
      p_row[o] = std::exp(z2_row[o] - m);
      sum += p_row[o];
    }
    for (int64_t o = 0; o < n.O; ++o) p_row[o] /= sum;
  }
}

/// The seed's backward: delta2 = (probs - y) / B, dW2 = a1^T delta2, db2 = sum_b delta2,
/// delta1 = (delta2 W2^T) * (z1 > 0), dW1 = X^T delta1, db1 = sum_b delta1. `delta2` [B, O] and
/// `delta1` [B, H] are scratch. Gradients are overwritten, not accumulated.
template <typename T>
void mlp_backward(const MlpSizes& n, const T* __restrict X, const T* __restrict W2,
                  const T* __restrict z1, const T* __restrict a1, const T* __restrict probs,
                  const T* __restrict y_onehot, T* __restrict delta2, T* __restrict delta1,
                  T* __restrict dW1, T* __restrict db1, T* __restrict dW2, T* __restrict db2) {
  std::fill(dW1, dW1 + n.D * n.H, T(0));
  std::fill(db1, db1 + n.H, T(0));
  std::fill(dW2, dW2 + n.H * n.O, T(0));
  std::fill(db2, db2 + n.O, T(0));
  for (int64_t b = 0; b < n.B; ++b) {
    T* d2 = delta2 + b * n.O;
    for (int64_t o = 0; o < n.O; ++o) {
      // Divided, not multiplied by 1/B, as the seed's (probs - y_onehot) / B.
      d2[o] = (probs[b * n.O + o] - y_onehot[b * n.O + o]) / static_cast<T>(n.B);
      db2[o] += d2[o];
    }
    const T* a_row = a1 + b * n.H;
    const T* z_row = z1 + b * n.H;
    T* d1 = delta1 + b * n.H;
    for (int64_t h = 0; h < n.H; ++h) {
      const T* w = W2 + h * n.O;
      T* g = dW2 + h * n.O;
      T back = 0;
      for (int64_t o = 0; o < n.O; ++o) {
        g[o] += a_row[h] * d2[o];
        back += d2[o] * w[o];
      }
      d1[h] = z_row[h] > T(0) ? back : T(0);
      db1[h] += d1[h];
    }
    for (int64_t d = 0; d < n.D; ++d) {
      const T x = X[b * n.D + d];
      T* g = dW1 + d * n.H;
      for (int64_t h = 0; h < n.H; ++h) g[h] += x * d1[h];
    }
  }
}

/// p -= lr * dp over `count` values.
template <typename T>
void sgd_step(T* __restrict p, const T* __restrict dp, int64_t count, T lr) {
  for (int64_t i = 0; i < count; ++i) p[i] -= lr * dp[i];
}

}  // namespace infozoo::models::detail
