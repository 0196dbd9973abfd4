// SPDX-License-Identifier: BSD-3-Clause
// scikit-learn 1.2.1's _estimate_mi (sklearn/feature_selection/_mutual_info.py): argument checks,
// scaling of the continuous columns by their standard deviation (preprocessing.scale with
// with_mean=False), the 1e-10 jitter drawn from np.random.RandomState(random_state), and one
// estimate per column, run in parallel over columns.
#include "infozoo/analysis/mutual_info.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "infozoo/datasets/numpy_random.h"
#include "mi_detail.h"

namespace infozoo::analysis {
namespace detail {
namespace {

constexpr int64_t kMaxSeed = int64_t{1} << 32;

std::vector<bool> resolve_discrete(const DiscreteFeatures& d, int64_t p, const char* caller) {
  using Kind = DiscreteFeatures::Kind;
  switch (d.kind) {
    case Kind::kAuto:  // a dense X: no discrete columns
    case Kind::kNone:
      return std::vector<bool>(p, false);
    case Kind::kAll:
      return std::vector<bool>(p, true);
    case Kind::kMask:
      TORCH_CHECK(static_cast<int64_t>(d.mask.size()) == p, caller,
                  ": discrete_features as a mask must have one entry per column of X (", p,
                  "), got ", d.mask.size());
      return d.mask;
    case Kind::kIndices: {
      TORCH_CHECK(!d.indices.empty(), caller,
                  ": discrete_features as indices must not be empty (use false for no discrete "
                  "column)");
      std::vector<bool> mask(p, false);
      for (const int64_t i : d.indices) {
        TORCH_CHECK(i >= -p && i < p, caller, ": discrete_features index ", i,
                    " is out of range for X with ", p, " columns");
        mask[i < 0 ? i + p : i] = true;
      }
      return mask;
    }
  }
  TORCH_INTERNAL_ASSERT(false, "unknown DiscreteFeatures kind");
  return {};
}

// The first non-finite value of y, or of X in row-major order (the order numpy reports), from
// the columns stored one after another.
void check_finite_columns(const double* columns, int64_t n, int64_t p, const char* caller) {
  int64_t first = -1;  // row * p + column
  for (int64_t j = 0; j < p; ++j) {
    const double* col = columns + j * n;
    const int64_t rows = first < 0 ? n : first / p + 1;  // later rows cannot come first
    for (int64_t i = 0; i < rows; ++i) {
      if (!std::isfinite(col[i])) {
        if (first < 0 || i * p + j < first) first = i * p + j;
        break;
      }
    }
  }
  TORCH_CHECK(first < 0, caller, ": X must be finite, got ", columns[(first % p) * n + first / p],
              " in column ", first % p, " (row ", first / p, ")");
}

void check_finite_vector(const double* v, int64_t n, const char* caller, const char* name) {
  for (int64_t i = 0; i < n; ++i) {
    TORCH_CHECK(std::isfinite(v[i]), caller, ": ", name, " must be finite, got ", v[i],
                " at index ", i);
  }
}

// numpy's pairwise sum of f(column), through a reused buffer (numpy reduces the materialised
// array, so the summation order must be that of numpy_sum on contiguous values).
template <typename F>
double mapped_sum(const double* col, int64_t n, std::vector<double>& buffer, F f) {
  buffer.resize(n);
  for (int64_t i = 0; i < n; ++i) buffer[i] = f(col[i]);
  return numpy_sum(buffer.data(), n);
}

// np.nanstd of one column (ddof 0): numpy's mean, squared deviations, mean again. Columns of
// X[:, continuous_mask] are F-ordered, so numpy reduces each along contiguous memory.
double numpy_std(const double* col, int64_t n, std::vector<double>& buffer) {
  const double avg = numpy_sum(col, n) / static_cast<double>(n);
  return std::sqrt(mapped_sum(col, n, buffer,
                              [avg](double v) {
                                const double dev = v - avg;
                                return dev * dev;
                              }) /
                   static_cast<double>(n));
}

// scale(with_mean=False) of one column in place: divided by its std, truncated for integer X.
void scale_column(double* col, int64_t n, bool truncate, std::vector<double>& buffer) {
  const double std = numpy_std(col, n, buffer);
  // _handle_zeros_in_scale: a (near-)constant column keeps its scale (divides by 1).
  const double scale = std < 10 * std::numeric_limits<double>::epsilon() ? 1.0 : std;
  for (int64_t i = 0; i < n; ++i) {
    col[i] /= scale;
    if (truncate) col[i] = std::trunc(col[i]);  // numpy assigns the scaled floats back
  }
}

// The jitter's amplitude for one (scaled) column: 1e-10 * max(1, mean |col|).
double jitter_amplitude(const double* col, int64_t n, std::vector<double>& buffer) {
  const double abs_mean =
      mapped_sum(col, n, buffer, [](double v) { return std::fabs(v); }) / static_cast<double>(n);
  return 1e-10 * std::max(1.0, abs_mean);
}

// sklearn's jitter on columns in place, after all of them are scaled: column j +=
// jitter_amplitude(j) * z[:, j] with z = rng.standard_normal((n, m)), drawn in blocks of rows (the
// same sequence as one draw) so that no n x m noise matrix is held.
void jitter_in_place(const std::vector<double*>& cols, int64_t n, datasets::NumpyRandomState& rng) {
  const int64_t m = static_cast<int64_t>(cols.size());
  std::vector<double> amplitude(m), buffer;
  for (int64_t j = 0; j < m; ++j) amplitude[j] = jitter_amplitude(cols[j], n, buffer);
  constexpr int64_t kRows = 4096;
  std::vector<double> z;
  for (int64_t i0 = 0; i0 < n; i0 += kRows) {
    const int64_t rows = std::min(kRows, n - i0);
    z.resize(rows * m);
    for (double& v : z) v = rng.next_gauss();
    for (int64_t j = 0; j < m; ++j) {
      double* col = cols[j] + i0;
      for (int64_t r = 0; r < rows; ++r) col[r] += amplitude[j] * z[r * m + j];
    }
  }
}

}  // namespace

void scale_columns(std::vector<std::vector<double>>& block, int64_t n, bool truncate) {
  std::vector<double> buffer;
  for (auto& col : block) scale_column(col.data(), n, truncate, buffer);
}

void jitter_columns(std::vector<std::vector<double>>& block, int64_t n,
                    datasets::NumpyRandomState& rng) {
  std::vector<double*> cols;
  for (auto& col : block) cols.push_back(col.data());
  jitter_in_place(cols, n, rng);
}

PreparedMI prepare_mutual_info(const at::Tensor& X, const at::Tensor& y,
                               const MutualInfoOptions& options, bool discrete_target,
                               const char* caller) {
  TORCH_CHECK(X.defined() && X.dim() == 2, caller,
              ": X must be a 2-D tensor [n_samples, n_features], got ",
              X.defined() ? X.sizes() : at::IntArrayRef{});
  TORCH_CHECK(X.size(0) > 0 && X.size(1) > 0, caller, ": X must not be empty, got shape ",
              X.sizes());
  TORCH_CHECK(X.is_floating_point() || (at::isIntegralType(X.scalar_type(), /*includeBool=*/false)),
              caller, ": X must hold real numbers (floating point or integer), got ",
              X.scalar_type());
  TORCH_CHECK(y.defined() && y.dim() == 1, caller, ": y must be a 1-D tensor [n_samples], got ",
              y.defined() ? y.sizes() : at::IntArrayRef{});
  TORCH_CHECK(y.is_floating_point() || at::isIntegralType(y.scalar_type(), /*includeBool=*/true),
              caller, ": y must hold real numbers, got ", y.scalar_type());
  TORCH_CHECK(X.size(0) == y.size(0), caller,
              ": X and y must have the same number of samples, got X with ", X.size(0),
              " rows and y of length ", y.size(0));
  TORCH_CHECK(options.n_neighbors() >= 1, caller, ": n_neighbors must be >= 1, got ",
              options.n_neighbors());
  TORCH_CHECK(X.size(0) >= options.n_neighbors() + 1, caller,
              ": need at least n_neighbors + 1 = ", options.n_neighbors() + 1, " samples, got ",
              X.size(0));
  if (options.random_state()) {
    TORCH_CHECK(*options.random_state() >= 0 && *options.random_state() < kMaxSeed, caller,
                ": random_state must be in [0, 2^32), got ", *options.random_state());
  }
  PreparedMI data;
  data.n = X.size(0);
  data.p = X.size(1);
  data.n_neighbors = options.n_neighbors();
  data.discrete_target = discrete_target;
  data.discrete = resolve_discrete(options.discrete_features(), data.p, caller);
  data.constant.assign(data.p, false);
  const int64_t n = data.n;

  // The columns one after another ([p, n]). copy=False on a float64 CPU X laid out so (X.t()
  // contiguous: a column-major table) works on the caller's memory, as sklearn scales and jitters
  // in place; otherwise one copy, converted in the same pass. No other n x p buffer is made.
  const bool in_place = !options.copy() && X.scalar_type() == at::kDouble && X.device().is_cpu() &&
                        X.t().is_contiguous();
  data.storage =
      in_place ? X.t() : at::empty({data.p, n}, X.options().dtype(at::kDouble).device(at::kCPU));
  if (!in_place) data.storage.copy_(X.t());
  data.columns = data.storage.data_ptr<double>();
  check_finite_columns(data.columns, n, data.p, caller);

  const auto yd = y.to(at::kCPU).to(at::kDouble).contiguous();
  data.y.assign(yd.data_ptr<double>(), yd.data_ptr<double>() + n);
  check_finite_vector(data.y.data(), n, caller, "y");
  if (discrete_target) {
    for (int64_t i = 0; i < n; ++i) {
      TORCH_CHECK(data.y[i] == std::floor(data.y[i]), caller,
                  ": y must hold class labels (integer values), got ", data.y[i], " at index ", i);
    }
    data.y_labels = group_labels(data.y.data(), n);
  }

  // Integer X keeps its integer type through sklearn's scaling.
  const bool integer_x = !X.is_floating_point();
  std::vector<int64_t> continuous;
  for (int64_t j = 0; j < data.p; ++j) {
    if (!data.discrete[j]) continuous.push_back(j);
  }
  if (discrete_target && !continuous.empty()) {
    bool any_pair = false;
    for (const int64_t c : data.y_labels.counts) any_pair = any_pair || c > 1;
    TORCH_CHECK(any_pair, caller,
                ": every class of y has a single sample; the k-NN estimate needs a class with at "
                "least 2 samples");
  }

  const int64_t seed = options.random_state()
                           ? *options.random_state()
                           : at::randint(kMaxSeed, {1}, at::kLong).item<int64_t>();
  datasets::NumpyRandomState rng(seed);
  if (!continuous.empty()) {
    // Every column is scaled before the noise is drawn, as in sklearn.
    const int64_t m = static_cast<int64_t>(continuous.size());
    std::vector<double*> cols(m);
    std::vector<double> buffer;
    for (int64_t jj = 0; jj < m; ++jj) {
      cols[jj] = data.storage.data_ptr<double>() + continuous[jj] * n;
      const auto [lo, hi] = std::minmax_element(cols[jj], cols[jj] + n);
      data.constant[continuous[jj]] = *lo == *hi;
      scale_column(cols[jj], n, integer_x, buffer);
    }
    jitter_in_place(cols, n, rng);
  }
  if (!discrete_target) {
    const auto [lo, hi] = std::minmax_element(data.y.begin(), data.y.end());
    data.constant_target = *lo == *hi;
    // scale(y, with_mean=False) on a 1-D array: only an exactly zero std is replaced by 1.
    std::vector<double> buffer;
    const double std = numpy_std(data.y.data(), n, buffer);
    const double scale = std == 0.0 ? 1.0 : std;
    for (double& v : data.y) v /= scale;
    jitter_in_place({data.y.data()}, n, rng);  // standard_normal(n): the same draws as (n, 1)
  }

  if (!options.copy() && !in_place && X.scalar_type() == at::kDouble && X.device().is_cpu() &&
      X.is_contiguous()) {
    // copy=False: sklearn scales and jitters the caller's float64 array in place.
    auto out = X.accessor<double, 2>();
    for (const int64_t j : continuous) {
      for (int64_t i = 0; i < n; ++i) out[i][j] = data.column(j)[i];
    }
  }
  return data;
}

double mi_column_target(const PreparedMI& data, int64_t j) {
  // A constant variable carries no information: its MI with anything is exactly 0. The k-NN
  // estimate would measure only the 1e-10 jitter, whose float64 resolution leaves ties once n is
  // large, and those ties inflate it beyond H(y) (scikit-learn issue 30772). Deliberately not
  // scikit-learn's number here; the jitter is still drawn, so the other columns keep theirs.
  if ((!data.discrete[j] && data.constant[j]) || (!data.discrete_target && data.constant_target)) {
    return 0.0;
  }
  const double* x = data.column(j);
  const int64_t n = data.n;
  if (data.discrete_target) {
    if (data.discrete[j]) return mi_discrete_discrete(group_labels(x, n), data.y_labels, n);
    return mi_continuous_discrete(x, data.y_labels, n, data.n_neighbors);
  }
  if (data.discrete[j]) {
    const auto groups = group_labels(x, n);
    bool any_pair = false;
    for (const int64_t c : groups.counts) any_pair = any_pair || c > 1;
    TORCH_CHECK(any_pair, "mutual_info_regression: discrete column ", j,
                " has a single sample per value; the k-NN estimate needs a value shared by at "
                "least 2 samples");
    return mi_continuous_discrete(data.y.data(), groups, n, data.n_neighbors);
  }
  return mi_continuous_continuous(x, data.y.data(), n, data.n_neighbors);
}

}  // namespace detail

namespace {

at::Tensor estimate_mi(const at::Tensor& X, const at::Tensor& y, const MutualInfoOptions& options,
                       bool discrete_target, const char* caller) {
  const auto data = detail::prepare_mutual_info(X, y, options, discrete_target, caller);
  auto result = at::empty({data.p}, at::kDouble);
  double* out = result.data_ptr<double>();
  // One column per task; each writes only its own slot, so any thread count gives the same bits.
  at::parallel_for(0, data.p, 1, [&](int64_t begin, int64_t end) {
    for (int64_t j = begin; j < end; ++j) out[j] = detail::mi_column_target(data, j);
  });
  return result;
}

}  // namespace

at::Tensor mutual_info_classif(const at::Tensor& X, const at::Tensor& y,
                               const MutualInfoOptions& options) {
  return estimate_mi(X, y, options, /*discrete_target=*/true, "mutual_info_classif");
}

at::Tensor mutual_info_regression(const at::Tensor& X, const at::Tensor& y,
                                  const MutualInfoOptions& options) {
  return estimate_mi(X, y, options, /*discrete_target=*/false, "mutual_info_regression");
}

double mutual_info_score(const at::Tensor& labels_a, const at::Tensor& labels_b) {
  TORCH_CHECK(labels_a.defined() && labels_a.dim() == 1,
              "mutual_info_score: labels_a must be 1-D, got ",
              labels_a.defined() ? labels_a.sizes() : at::IntArrayRef{});
  TORCH_CHECK(labels_b.defined() && labels_b.dim() == 1,
              "mutual_info_score: labels_b must be 1-D, got ",
              labels_b.defined() ? labels_b.sizes() : at::IntArrayRef{});
  TORCH_CHECK(labels_a.size(0) == labels_b.size(0),
              "mutual_info_score: labels_a and labels_b must have the same length, got ",
              labels_a.size(0), " and ", labels_b.size(0));
  TORCH_CHECK(labels_a.size(0) > 0, "mutual_info_score: labels must not be empty");
  TORCH_CHECK(!labels_a.is_complex() && !labels_b.is_complex(),
              "mutual_info_score: labels must be real, got ", labels_a.scalar_type(), " and ",
              labels_b.scalar_type());
  const auto a = labels_a.to(at::kCPU).to(at::kDouble).contiguous();
  const auto b = labels_b.to(at::kCPU).to(at::kDouble).contiguous();
  TORCH_CHECK(!a.isnan().any().item<bool>(), "mutual_info_score: labels_a must not contain NaN");
  TORCH_CHECK(!b.isnan().any().item<bool>(), "mutual_info_score: labels_b must not contain NaN");
  const int64_t n = a.size(0);
  return detail::mi_discrete_discrete(detail::group_labels(a.data_ptr<double>(), n),
                                      detail::group_labels(b.data_ptr<double>(), n), n);
}

}  // namespace infozoo::analysis
