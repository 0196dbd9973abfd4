// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The closed-form gradients of the seed's matrix-calculus table (section 5.1), in the
/// denominator layout of backpropagation: each returns dL/d(variable) with the variable's shape.
/// The `calculus` subcommand checks every one against autograd.
#pragma once

#include <ATen/core/Tensor.h>

namespace infozoo::analysis {

/// z = A x, upstream gradient g = dL/dz [m]: dL/dx = A^T g, [n] for A [m, n] (the linear layer's
/// backward pass). Example: `linear_input_grad(A, g)` equals autograd's x.grad of (g * (A
/// x)).sum().
at::Tensor linear_input_grad(const at::Tensor& A, const at::Tensor& grad_z);

/// z = A x, upstream gradient g = dL/dz [m]: dL/dA = g x^T, the outer product [m, n] (the weight
/// gradient). Example: `linear_weight_grad(g, x)` equals A.grad of (g * (A x)).sum().
at::Tensor linear_weight_grad(const at::Tensor& grad_z, const at::Tensor& x);

/// d/dx x^T A x = (A + A^T) x for square A [n, n] and x [n]; 2 A x when A is symmetric.
/// Example: `quadratic_form_grad(A, x)` equals x.grad of x.dot(A.mv(x)).
at::Tensor quadratic_form_grad(const at::Tensor& A, const at::Tensor& x);

/// d/dX tr(A X B) = A^T B^T for A [p, q], X [q, r], B [r, p] (so A X B is square).
/// Example: `trace_product_grad(A, B)` equals X.grad of A.mm(X).mm(B).trace().
at::Tensor trace_product_grad(const at::Tensor& A, const at::Tensor& B);

/// d/dx ||A x - b||^2 = 2 A^T (A x - b) for A [m, n], x [n], b [m]: the least-squares gradient.
/// Example: `least_squares_grad(A, x, b)` equals x.grad of (A.mv(x) - b).pow(2).sum().
at::Tensor least_squares_grad(const at::Tensor& A, const at::Tensor& x, const at::Tensor& b);

/// d/dz of the cross-entropy after a softmax, -sum_c y_c log softmax(z)_c (nats), is
/// softmax(z) - y: for logits z [..., C] and a target distribution y of the same shape (one-hot
/// labels or soft ones, each row summing to 1). The reason a classifier's last layer needs no
/// softmax Jacobian in its backward pass. Example: `softmax_cross_entropy_grad(z, y)` equals z.grad
/// of -(y * z.log_softmax(-1)).sum().
at::Tensor softmax_cross_entropy_grad(const at::Tensor& z, const at::Tensor& y);

}  // namespace infozoo::analysis
