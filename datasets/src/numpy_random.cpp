// SPDX-License-Identifier: BSD-3-Clause
// numpy's legacy RandomState, ported from numpy 1.24: MT19937 (numpy/random/src/mt19937),
// the legacy uniform and Gaussian (src/legacy/legacy-distributions.c) and the masked bounded
// integers (src/distributions/distributions.c, _bounded_integers.pyx, mtrand.pyx).
#include "infozoo/datasets/numpy_random.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>

namespace infozoo::datasets {
namespace {

constexpr int kStateSize = 624;
constexpr int kShift = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfU;
constexpr uint32_t kUpperMask = 0x80000000U;
constexpr uint32_t kLowerMask = 0x7fffffffU;

// The smallest all-ones mask covering `max`: numpy draws under it and rejects values above max.
uint64_t covering_mask(uint64_t max) {
  uint64_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  return mask;
}

void check_size(c10::IntArrayRef size) {
  for (const auto d : size) {
    TORCH_CHECK(d >= 0, "size must not have negative dimensions, got ", size);
  }
}

uint32_t twist(uint32_t upper, uint32_t lower, uint32_t shifted) {
  const uint32_t y = (upper & kUpperMask) | (lower & kLowerMask);
  return shifted ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
}

}  // namespace

NumpyRandomState::NumpyRandomState(int64_t seed) { this->seed(seed); }

void NumpyRandomState::seed(int64_t seed) {
  TORCH_CHECK(seed >= 0 && seed <= int64_t{0xffffffff},
              "seed must be between 0 and 2**32 - 1, got ", seed);
  // numpy's legacy integer seeding is Matsumoto and Nishimura's init_genrand.
  auto s = static_cast<uint32_t>(seed);
  for (int i = 0; i < kStateSize; ++i) {
    state_[i] = s;
    s = 1812433253U * (s ^ (s >> 30)) + static_cast<uint32_t>(i + 1);
  }
  pos_ = kStateSize;
  has_gauss_ = false;
  gauss_ = 0.0;
}

uint32_t NumpyRandomState::next_uint32() {
  if (pos_ == kStateSize) {
    int i = 0;
    for (; i < kStateSize - kShift; ++i) {
      state_[i] = twist(state_[i], state_[i + 1], state_[i + kShift]);
    }
    for (; i < kStateSize - 1; ++i) {
      state_[i] = twist(state_[i], state_[i + 1], state_[i + kShift - kStateSize]);
    }
    state_[kStateSize - 1] = twist(state_[kStateSize - 1], state_[0], state_[kShift - 1]);
    pos_ = 0;
  }
  uint32_t y = state_[pos_++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

double NumpyRandomState::next_double() {
  const auto a = static_cast<int32_t>(next_uint32() >> 5);
  const auto b = static_cast<int32_t>(next_uint32() >> 6);
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double NumpyRandomState::next_gauss() {
  if (has_gauss_) {
    has_gauss_ = false;
    const double cached = gauss_;
    gauss_ = 0.0;
    return cached;
  }
  double x1 = 0.0;
  double x2 = 0.0;
  double r2 = 0.0;
  do {
    x1 = 2.0 * next_double() - 1.0;
    x2 = 2.0 * next_double() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  // Marsaglia's polar method: one accepted point in the unit disc gives two normals.
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;
  has_gauss_ = true;
  return f * x2;
}

uint64_t NumpyRandomState::interval(uint64_t max) {
  if (max == 0) {
    return 0;
  }
  const uint64_t mask = covering_mask(max);
  uint64_t value = 0;
  // Ranges that fit 32 bits consume one 32-bit draw per try, wider ones two (high word first).
  if (max <= 0xffffffffULL) {
    while ((value = (next_uint32() & mask)) > max) {
    }
  } else {
    while ((value = (next_uint64() & mask)) > max) {
    }
  }
  return value;
}

uint64_t NumpyRandomState::next_uint64() {
  const uint64_t high = next_uint32();
  return (high << 32) | next_uint32();
}

int64_t NumpyRandomState::next_int(int64_t low, int64_t high) {
  TORCH_CHECK(low < high, "randint needs low < high, got low=", low, ", high=", high);
  // The span high - 1 - low fits uint64 even when it overflows int64.
  const uint64_t span = static_cast<uint64_t>(high) - 1U - static_cast<uint64_t>(low);
  return static_cast<int64_t>(static_cast<uint64_t>(low) + interval(span));
}

at::Tensor NumpyRandomState::random_sample(c10::IntArrayRef size) {
  check_size(size);
  auto out = at::empty(size, at::kDouble);
  auto* p = out.data_ptr<double>();
  for (int64_t i = 0, n = out.numel(); i < n; ++i) {
    p[i] = next_double();
  }
  return out;
}

at::Tensor NumpyRandomState::standard_normal(c10::IntArrayRef size) {
  check_size(size);
  auto out = at::empty(size, at::kDouble);
  auto* p = out.data_ptr<double>();
  for (int64_t i = 0, n = out.numel(); i < n; ++i) {
    p[i] = next_gauss();
  }
  return out;
}

at::Tensor NumpyRandomState::normal(double loc, double scale, c10::IntArrayRef size) {
  TORCH_CHECK(scale >= 0.0, "normal needs scale >= 0, got scale=", scale);
  check_size(size);
  auto out = at::empty(size, at::kDouble);
  auto* p = out.data_ptr<double>();
  for (int64_t i = 0, n = out.numel(); i < n; ++i) {
    p[i] = loc + scale * next_gauss();
  }
  return out;
}

at::Tensor NumpyRandomState::uniform(double low, double high, c10::IntArrayRef size) {
  const double range = high - low;
  TORCH_CHECK(std::isfinite(range), "uniform needs a finite high - low, got low=", low,
              ", high=", high);
  check_size(size);
  auto out = at::empty(size, at::kDouble);
  auto* p = out.data_ptr<double>();
  for (int64_t i = 0, n = out.numel(); i < n; ++i) {
    p[i] = low + range * next_double();
  }
  return out;
}

at::Tensor NumpyRandomState::randint(int64_t low, int64_t high, c10::IntArrayRef size) {
  TORCH_CHECK(low < high, "randint needs low < high, got low=", low, ", high=", high);
  check_size(size);
  auto out = at::empty(size, at::kLong);
  auto* p = out.data_ptr<int64_t>();
  for (int64_t i = 0, n = out.numel(); i < n; ++i) {
    p[i] = next_int(low, high);
  }
  return out;
}

void NumpyRandomState::shuffle(at::Tensor& x) {
  TORCH_CHECK(x.defined() && x.dim() >= 1,
              "shuffle needs a tensor with at least one dimension, got ",
              x.defined() ? x.sizes() : c10::IntArrayRef{});
  const int64_t n = x.size(0);
  if (n < 2) {
    return;
  }
  // Swapping rows of x is swapping entries of an index that later gathers them: one copy,
  // any dtype or device, and the same draws as numpy's in-place Fisher-Yates.
  auto order = at::arange(n, at::kLong);
  shuffle_indices(order.data_ptr<int64_t>(), n);
  x.copy_(x.index_select(0, order.to(x.device())));
}

void NumpyRandomState::shuffle_indices(int64_t* data, int64_t n) {
  for (int64_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<int64_t>(interval(static_cast<uint64_t>(i)));
    std::swap(data[i], data[j]);
  }
}

at::Tensor NumpyRandomState::permutation(int64_t n) {
  TORCH_CHECK(n >= 0, "permutation needs n >= 0, got n=", n);
  auto out = at::arange(n, at::kLong);
  shuffle_indices(out.data_ptr<int64_t>(), n);
  return out;
}

}  // namespace infozoo::datasets
