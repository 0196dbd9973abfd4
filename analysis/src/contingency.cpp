// SPDX-License-Identifier: BSD-3-Clause
// Discrete variables: labels grouped as np.unique does, and the contingency-table mutual
// information of scikit-learn 1.2.1's mutual_info_score (sklearn/metrics/cluster/_supervised.py),
// with its order of operations so the result matches to the last bits.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "mi_detail.h"

namespace infozoo::analysis::detail {

LabelGroups group_labels(const double* d, int64_t n) {
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), int64_t{0});
  std::sort(order.begin(), order.end(), [d](int64_t a, int64_t b) { return d[a] < d[b]; });
  LabelGroups g;
  g.id.assign(n, 0);
  for (int64_t p = 0; p < n; ++p) {
    if (p == 0 || d[order[p]] != d[order[p - 1]]) g.counts.push_back(0);
    g.id[order[p]] = g.n_labels() - 1;
    g.counts.back()++;
  }
  return g;
}

LabelGroups joint_labels(const LabelGroups& a, const LabelGroups& b, int64_t n) {
  std::vector<double> pair(n);
  for (int64_t i = 0; i < n; ++i) {
    pair[i] = static_cast<double>(a.id[i] * b.n_labels() + b.id[i]);
  }
  return group_labels(pair.data(), n);
}

double mi_discrete_discrete(const LabelGroups& a, const LabelGroups& b, int64_t n) {
  // A labeling with one label has zero entropy, so MI = 0 (sklearn returns before any log).
  if (a.n_labels() == 1 || b.n_labels() == 1) return 0.0;
  // The non-zero cells in row-major order, as sp.find on the CSR contingency matrix gives them.
  std::vector<int64_t> cell(n);
  for (int64_t i = 0; i < n; ++i) cell[i] = a.id[i] * b.n_labels() + b.id[i];
  std::sort(cell.begin(), cell.end());
  const double log_sum = std::log(static_cast<double>(n));
  std::vector<double> terms;
  for (int64_t p = 0; p < n;) {
    int64_t q = p;
    while (q < n && cell[q] == cell[p]) ++q;
    const int64_t nz = q - p;
    const int64_t row = cell[p] / b.n_labels();
    const int64_t col = cell[p] % b.n_labels();
    const double contingency_nm = static_cast<double>(nz) / static_cast<double>(n);
    const int64_t outer = a.counts[row] * b.counts[col];
    const double log_outer = -std::log(static_cast<double>(outer)) + log_sum + log_sum;
    double mi =
        contingency_nm * (std::log(static_cast<double>(nz)) - log_sum) + contingency_nm * log_outer;
    if (std::abs(mi) < std::numeric_limits<double>::epsilon()) mi = 0.0;
    terms.push_back(mi);
    p = q;
  }
  return std::max(0.0, numpy_sum(terms.data(), static_cast<int64_t>(terms.size())));
}

}  // namespace infozoo::analysis::detail
