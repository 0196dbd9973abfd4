// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/models/positional_encoding.h"

#include <ATen/ATen.h>

#include <cmath>

namespace infozoo::models {

at::Tensor positional_encoding(int64_t max_len, int64_t d_model, c10::ScalarType dtype) {
  TORCH_CHECK(max_len > 0, "max_len must be positive, got ", max_len);
  TORCH_CHECK(d_model > 0 && d_model % 2 == 0, "d_model must be positive and even, got ", d_model);
  TORCH_CHECK(at::isFloatingType(dtype), "dtype must be a floating point type, got ", dtype);
  const auto f64 = at::TensorOptions().dtype(at::kDouble);
  auto pe = at::zeros({max_len, d_model}, f64);
  const auto position = at::arange(max_len, f64).unsqueeze(1);  // (L, 1)
  // 1 / 10000^(2i/d) as exp(2i * -log(10000)/d), the seed's formula and rounding.
  const auto div_term = at::exp(at::arange(0, d_model, 2, f64) * -(std::log(10000.0) / d_model));
  const auto angle = position * div_term;  // (L, D/2)
  pe.slice(/*dim=*/1, /*start=*/0, /*end=*/d_model, /*step=*/2).copy_(at::sin(angle));
  pe.slice(/*dim=*/1, /*start=*/1, /*end=*/d_model, /*step=*/2).copy_(at::cos(angle));
  return dtype == at::kDouble ? pe : pe.to(dtype);
}

at::Tensor positional_encoding_rotation(int64_t offset, int64_t d_model, c10::ScalarType dtype) {
  TORCH_CHECK(d_model > 0 && d_model % 2 == 0, "d_model must be positive and even, got ", d_model);
  TORCH_CHECK(at::isFloatingType(dtype), "dtype must be a floating point type, got ", dtype);
  const auto f64 = at::TensorOptions().dtype(at::kDouble);
  // The same frequencies, rounded the same way, as positional_encoding.
  const auto div_term = at::exp(at::arange(0, d_model, 2, f64) * -(std::log(10000.0) / d_model));
  const auto angle = static_cast<double>(offset) * div_term;  // (D/2)
  const auto c = at::cos(angle), s = at::sin(angle);
  // sin(a + b) = cos b sin a + sin b cos a; cos(a + b) = -sin b sin a + cos b cos a.
  auto m = at::zeros({d_model, d_model}, f64);
  const auto even = at::arange(0, d_model, 2, at::kLong), odd = even + 1;
  m.index_put_({even, even}, c);
  m.index_put_({even, odd}, s);
  m.index_put_({odd, even}, -s);
  m.index_put_({odd, odd}, c);
  return dtype == at::kDouble ? m : m.to(dtype);
}

SinusoidalPositionalEncodingImpl::SinusoidalPositionalEncodingImpl(
    SinusoidalPositionalEncodingOptions options)
    : options(std::move(options)) {
  reset();
}

void SinusoidalPositionalEncodingImpl::reset() {
  pe = register_buffer("pe",
                       positional_encoding(options.max_len(), options.d_model(), options.dtype()));
}

at::Tensor SinusoidalPositionalEncodingImpl::forward(const at::Tensor& x) {
  TORCH_CHECK(x.defined() && x.dim() == 3, "x must have shape [B, L, D], got ",
              x.defined() ? x.sizes() : at::IntArrayRef{});
  TORCH_CHECK(x.size(2) == pe.size(1), "x's last dimension must equal d_model=", pe.size(1),
              ", got x of shape ", x.sizes());
  TORCH_CHECK(x.size(1) <= pe.size(0), "sequence length L=", x.size(1),
              " is longer than max_len=", pe.size(0), " of the positional encoding (x of shape ",
              x.sizes(), ")");
  TORCH_CHECK(x.scalar_type() == pe.scalar_type(), "x must have the encoding's dtype ",
              pe.scalar_type(), ", got ", x.scalar_type());
  TORCH_CHECK(x.device() == pe.device(), "x must be on the encoding's device ", pe.device(),
              ", got ", x.device());
  return x + pe.slice(/*dim=*/0, /*start=*/0, /*end=*/x.size(1));  // (B, L, D) + (L, D)
}

void SinusoidalPositionalEncodingImpl::pretty_print(std::ostream& stream) const {
  stream << "infozoo::models::SinusoidalPositionalEncoding(max_len=" << options.max_len()
         << ", d_model=" << options.d_model() << ", dtype=" << options.dtype() << ")";
}

}  // namespace infozoo::models
