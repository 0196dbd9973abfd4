// SPDX-License-Identifier: BSD-3-Clause
// Shared steps of the multivariate k-NN estimators (ksg.cpp, conditional_mi.cpp,
// differential_entropy.cpp, mi_significance.cpp): argument checks that name the caller and the
// argument, float64 columns, scikit-learn's scaling and jitter, digamma tables, numpy means.
#pragma once

#include <ATen/Parallel.h>
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "infozoo/analysis/ksg.h"
#include "max_norm_knn.h"

namespace infozoo::analysis::detail {

/// One variable's samples as float64 columns, column after column: cols[c][i].
struct Variable {
  std::vector<std::vector<double>> cols;
  int64_t dim() const { return static_cast<int64_t>(cols.size()); }
  std::vector<const double*> pointers() const {
    std::vector<const double*> out;
    for (const auto& c : cols) out.push_back(c.data());
    return out;
  }
};

/// Checks `t` ([n, d] or [n], real, finite, d >= 1, n >= 1) and copies it to float64 columns.
/// Errors name `caller` and `name` ("ksg_mutual_info: X must be ...").
Variable load_variable(const at::Tensor& t, const char* caller, const char* name);

/// The sample count shared by every variable; errors name the first mismatch.
int64_t check_same_samples(const std::vector<const at::Tensor*>& ts,
                           const std::vector<const char*>& names, const char* caller);

/// 1 <= k < n.
void check_neighbours(int64_t k, int64_t n, const char* caller);

/// A jitter seed, when given, lies in [0, 2^32).
void check_jitter_seed(const std::optional<int64_t>& seed, const char* caller);

/// scikit-learn's preprocessing of _estimate_mi on the variables in order: each column divided by
/// its standard deviation (`standardize`), then 1e-10 * max(1, mean |column|) * N(0, 1) noise
/// (`seed` set) drawn from NumpyRandomState(seed): the first variable's [n, d] normals
/// row-major, then the next one's.
void preprocess(const std::vector<Variable*>& vars, int64_t n, bool standardize,
                const std::optional<int64_t>& seed);

/// digamma(0..size) (index 0 unused), for the neighbour counts.
std::vector<double> digamma_table(int64_t size);

/// np.mean of per-sample terms in sample order (numpy's pairwise sum over n).
double numpy_mean(const std::vector<double>& v);

/// The KSG estimate (nats, not clipped) on preprocessed variables, sample i being (X row i, Y row
/// y_rows[i]) (`y_rows` null: row i): the joint tree is built here, the marginal counters (on X
/// and on the unpermuted Y) are the caller's, so a permutation test builds them once.
double ksg_estimate(const Variable& X, const Variable& Y, const int64_t* y_rows, int64_t k,
                    KsgAlgorithm algorithm, const MaxNormCounter& x_counter,
                    const MaxNormCounter& y_counter);

/// Per-sample neighbour queries run over at::parallel_for with this many samples a task.
constexpr int64_t kSampleGrain = 256;

/// Calls `visit(i, dist, idx)` for every point i of `tree` with its k nearest neighbours (as
/// MaxNormTree::knn gives them), in parallel over samples. Queries go in the tree's spatial order
/// (cache); `visit` must write only sample i's results, so they do not depend on the thread count.
template <typename Visit>
void for_each_knn(const MaxNormTree& tree, int64_t k, const Visit& visit) {
  at::parallel_for(0, tree.size(), kSampleGrain, [&](int64_t begin, int64_t end) {
    std::vector<double> dist;
    std::vector<int64_t> idx;
    for (int64_t p = begin; p < end; ++p) {
      const int64_t i = tree.index_at(p);
      tree.knn(i, k, dist, idx);
      visit(i, dist, idx);
    }
  });
}

}  // namespace infozoo::analysis::detail
