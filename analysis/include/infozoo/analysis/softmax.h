// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Softmax with temperature, its numerically stable form, its Jacobian and Jacobian-vector
/// product (seed sections 1.3, 2.1-2.3).
/// s = softmax(z / tau); ds/dz = diag(s) - s s^T (for tau = 1), the matrix the seed's
/// `softmax_jacobian` fills element by element.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace infozoo::analysis {

/// The textbook softmax exp(z / temperature) / sum exp(z / temperature) along `dim`, exactly as
/// the seed writes it: no max-subtraction, so large logits overflow to inf / inf = NaN (seed 2.2).
/// Use `stable_softmax` for anything but demonstrating that.
/// Example: `softmax(at::tensor({1000., 1001., 1002.}))` is `[nan, nan, nan]`.
at::Tensor softmax(const at::Tensor& z, double temperature = 1.0, int64_t dim = -1);

/// The seed's `stable_softmax`: softmax(z / temperature) along `dim`, computed as
/// exp(z/tau - max z/tau) / sum(...), which never overflows and gives the same probabilities.
/// Example: `stable_softmax(at::tensor({1000., 1001., 1002.}))` is `[0.0900, 0.2447, 0.6652]`.
at::Tensor stable_softmax(const at::Tensor& z, double temperature = 1.0, int64_t dim = -1);

/// Jacobian ds_i/dz_j = s_i (delta_ij - s_j) of s = stable_softmax(z) over the last dimension,
/// batched over the leading ones: z of shape [..., n] gives [..., n, n] (symmetric).
/// Example: `softmax_jacobian(at::tensor({2.0, 1.0, 0.5}))` is the seed's 3x3 matrix (2.3).
at::Tensor softmax_jacobian(const at::Tensor& z);

/// Jacobian-vector product J(z) v = s * (v - <s, v>) of s = stable_softmax(z) over the last
/// dimension, without forming J: O(n) memory and time per row instead of O(n^2).
/// `z` and `v` have the same shape [..., n]; the result too.
/// Example: `softmax_jvp(z, v)` equals `softmax_jacobian(z).matmul(v.unsqueeze(-1)).squeeze(-1)`.
at::Tensor softmax_jvp(const at::Tensor& z, const at::Tensor& v);

}  // namespace infozoo::analysis
