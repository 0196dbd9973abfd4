// SPDX-License-Identifier: BSD-3-Clause
// Argument checks and preprocessing shared by the multivariate k-NN estimators (ksg_detail.h).
// The scaling and the jitter are scikit-learn 1.2.1's (_mutual_info.py, _estimate_mi), through
// the same functions mutual_info_regression uses, so one-column inputs get the same bits.
#include "ksg_detail.h"

#include <ATen/ATen.h>

#include "infozoo/datasets/numpy_random.h"
#include "mi_detail.h"

namespace infozoo::analysis::detail {

Variable load_variable(const at::Tensor& t, const char* caller, const char* name) {
  TORCH_CHECK(t.defined() && (t.dim() == 1 || t.dim() == 2) && t.size(0) > 0, caller, ": ", name,
              " must be a non-empty tensor [n_samples, n_features] or [n_samples], got ",
              t.defined() ? c10::str(t.sizes()) : std::string("an undefined tensor"));
  TORCH_CHECK(t.dim() == 1 || t.size(1) > 0, caller, ": ", name,
              " must have at least one column, got shape ", t.sizes());
  TORCH_CHECK(t.is_floating_point() || at::isIntegralType(t.scalar_type(), /*includeBool=*/false),
              caller, ": ", name, " must hold real numbers (floating point or integer), got ",
              t.scalar_type());
  const auto m = t.dim() == 1 ? t.unsqueeze(1) : t;
  // Column-major float64: each column contiguous, as the estimators read them.
  const auto cols = m.to(at::kCPU).to(at::kDouble).t().contiguous();
  const int64_t n = m.size(0), d = m.size(1);
  const double* v = cols.data_ptr<double>();
  Variable out;
  out.cols.resize(d);
  for (int64_t c = 0; c < d; ++c) {
    out.cols[c].assign(v + c * n, v + (c + 1) * n);
    for (int64_t i = 0; i < n; ++i) {
      if (!std::isfinite(out.cols[c][i])) {
        TORCH_CHECK(false, caller, ": ", name, " must be finite, got ", out.cols[c][i], " at row ",
                    i, ", column ", c);
      }
    }
  }
  return out;
}

int64_t check_same_samples(const std::vector<const at::Tensor*>& ts,
                           const std::vector<const char*>& names, const char* caller) {
  const int64_t n = ts[0]->size(0);
  for (size_t a = 1; a < ts.size(); ++a) {
    TORCH_CHECK(ts[a]->size(0) == n, caller, ": ", names[0], " and ", names[a],
                " must have the same number of samples (rows), got ", n, " and ", ts[a]->size(0));
  }
  return n;
}

void check_neighbours(int64_t k, int64_t n, const char* caller) {
  TORCH_CHECK(k >= 1, caller, ": k must be >= 1, got ", k);
  TORCH_CHECK(k < n, caller, ": k must be < n_samples (", n, "), got k = ", k,
              "; the estimate needs at least k + 1 samples");
}

void check_jitter_seed(const std::optional<int64_t>& seed, const char* caller) {
  if (!seed) return;
  TORCH_CHECK(*seed >= 0 && *seed < (int64_t{1} << 32), caller,
              ": jitter_seed must be in [0, 2^32), got ", *seed);
}

void preprocess(const std::vector<Variable*>& vars, int64_t n, bool standardize,
                const std::optional<int64_t>& seed) {
  if (standardize) {
    for (Variable* v : vars) scale_columns(v->cols, n);
  }
  if (!seed) return;
  datasets::NumpyRandomState rng(*seed);
  for (Variable* v : vars) jitter_columns(v->cols, n, rng);
}

std::vector<double> digamma_table(int64_t size) {
  std::vector<double> t(size + 1, 0.0);
  for (int64_t i = 1; i <= size; ++i) t[i] = digamma(static_cast<double>(i));
  return t;
}

double numpy_mean(const std::vector<double>& v) {
  return numpy_sum(v.data(), static_cast<int64_t>(v.size())) / static_cast<double>(v.size());
}

}  // namespace infozoo::analysis::detail
