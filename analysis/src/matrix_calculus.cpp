// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/analysis/matrix_calculus.h"

#include <ATen/ATen.h>

namespace infozoo::analysis {
namespace {

void check_dims(const at::Tensor& t, int64_t dim, const char* name) {
  TORCH_CHECK(t.defined() && t.dim() == dim, name, " must have ", dim, " dimension(s), got ",
              t.defined() ? t.sizes() : at::IntArrayRef{});
}

}  // namespace

at::Tensor linear_input_grad(const at::Tensor& A, const at::Tensor& grad_z) {
  check_dims(A, 2, "A");
  check_dims(grad_z, 1, "grad_z");
  TORCH_CHECK(A.size(0) == grad_z.size(0), "grad_z must have A's row count ", A.size(0), ", got ",
              grad_z.size(0));
  return A.t().mv(grad_z);  // (n, m) @ (m) -> (n)
}

at::Tensor linear_weight_grad(const at::Tensor& grad_z, const at::Tensor& x) {
  check_dims(grad_z, 1, "grad_z");
  check_dims(x, 1, "x");
  return at::outer(grad_z, x);  // (m, n)
}

at::Tensor quadratic_form_grad(const at::Tensor& A, const at::Tensor& x) {
  check_dims(A, 2, "A");
  check_dims(x, 1, "x");
  TORCH_CHECK(A.size(0) == A.size(1) && A.size(1) == x.size(0),
              "A must be square with x's length, got A ", A.sizes(), " and x ", x.sizes());
  return (A + A.t()).mv(x);  // (n, n) @ (n) -> (n)
}

at::Tensor trace_product_grad(const at::Tensor& A, const at::Tensor& B) {
  check_dims(A, 2, "A");
  check_dims(B, 2, "B");
  TORCH_CHECK(B.size(1) == A.size(0), "A X B must be square: B's columns must equal A's rows ",
              A.size(0), ", got B ", B.sizes());
  return A.t().mm(B.t());  // (q, p) @ (p, r) -> (q, r), X's shape
}

at::Tensor least_squares_grad(const at::Tensor& A, const at::Tensor& x, const at::Tensor& b) {
  check_dims(A, 2, "A");
  check_dims(x, 1, "x");
  check_dims(b, 1, "b");
  TORCH_CHECK(A.size(1) == x.size(0) && A.size(0) == b.size(0),
              "A [m, n] needs x [n] and b [m], got A ", A.sizes(), ", x ", x.sizes(), ", b ",
              b.sizes());
  return 2 * A.t().mv(A.mv(x) - b);  // (n, m) @ (m) -> (n)
}

at::Tensor softmax_cross_entropy_grad(const at::Tensor& z, const at::Tensor& y) {
  TORCH_CHECK(z.defined() && z.dim() >= 1 && z.is_floating_point(),
              "z must be floating point logits [..., C], got ",
              z.defined() ? z.sizes() : at::IntArrayRef{});
  TORCH_CHECK(y.defined() && y.sizes() == z.sizes(),
              "y must be a target distribution with z's shape ", z.sizes(), ", got ",
              y.defined() ? y.sizes() : at::IntArrayRef{});
  return z.softmax(-1) - y.to(z.scalar_type());
}

}  // namespace infozoo::analysis
