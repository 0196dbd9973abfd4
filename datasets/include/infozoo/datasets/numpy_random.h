// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// numpy's legacy RandomState (MT19937), bit-for-bit: the same seed gives the same numbers as
/// `np.random.seed(s)` / `np.random.RandomState(s)` (numpy/random/mtrand.pyx, _legacy
/// distributions).
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/util/ArrayRef.h>

#include <array>
#include <cstdint>

namespace infozoo::datasets {

/// numpy's `RandomState`: Mersenne Twister MT19937 seeded as numpy's `init_genrand` (integer seeds
/// 0 <= seed < 2^32), with the legacy Gaussian (polar method, second value cached) that
/// `np.random.randn` and `normal` still use. Arrays fill in C (row-major) order, as numpy's do.
/// Example: `NumpyRandomState rs(42); auto x = rs.randn({1000, 5});  // == np.random.seed(42);
/// np.random.randn(1000, 5)`
class NumpyRandomState {
 public:
  /// Seeds as `np.random.seed(seed)`; `seed` must lie in [0, 2^32).
  explicit NumpyRandomState(int64_t seed = 0);

  /// Re-seeds as `np.random.seed(seed)` (also clears the cached Gaussian).
  void seed(int64_t seed);

  /// One raw 32-bit draw (`genrand_int32`).
  uint32_t next_uint32();
  /// Two raw draws as one 64-bit value, the first in the high word (numpy's `mt19937_next64`).
  uint64_t next_uint64();
  /// One double in [0, 1) with 53 random bits (`random_sample()`).
  double next_double();
  /// One standard normal draw by the legacy polar method (`standard_normal()`), caching the pair's
  /// second value.
  double next_gauss();

  /// `random_sample(size)` / `rand(*size)`: uniform [0, 1), float64.
  at::Tensor random_sample(c10::IntArrayRef size);
  /// `rand(*size)`: the same as random_sample(size). Example: `rs.rand({3, 2})`.
  at::Tensor rand(c10::IntArrayRef size) { return random_sample(size); }
  /// `standard_normal(size)` / `randn(*size)`: float64.
  at::Tensor standard_normal(c10::IntArrayRef size);
  /// `randn(*size)`: the same as standard_normal(size). Example: `rs.randn({1000, 5})`.
  at::Tensor randn(c10::IntArrayRef size) { return standard_normal(size); }
  /// `normal(loc, scale, size)`: loc + scale * standard_normal, float64; scale >= 0.
  at::Tensor normal(double loc, double scale, c10::IntArrayRef size);
  /// `uniform(low, high, size)`: low + (high - low) * random_sample, float64.
  at::Tensor uniform(double low, double high, c10::IntArrayRef size);
  /// `randint(low, high, size)`: int64 in [low, high), numpy's masked rejection sampling; low <
  /// high. Example: `rs.randint(0, 10, {5})  // == np.random.randint(0, 10, size=5)`
  at::Tensor randint(int64_t low, int64_t high, c10::IntArrayRef size);
  /// One `randint(low, high)` (size None): an integer in [low, high), the same draws as `randint`.
  int64_t next_int(int64_t low, int64_t high);
  /// `shuffle(x)`: Fisher-Yates along the first dimension, in place, as numpy's legacy shuffle.
  void shuffle(at::Tensor& x);
  /// `permutation(n)`: a shuffled arange(n), int64.
  at::Tensor permutation(int64_t n);
  /// numpy's legacy `shuffle` of `n` indices in place (what `shuffle` does to a 1-D int64 array).
  void shuffle_indices(int64_t* data, int64_t n);

  /// numpy's bounded integer in [0, max] by masked rejection (legacy `rk_interval`).
  uint64_t interval(uint64_t max);

 private:
  std::array<uint32_t, 624> state_{};
  int pos_ = 0;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

}  // namespace infozoo::datasets
