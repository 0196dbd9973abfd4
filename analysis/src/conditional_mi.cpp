// SPDX-License-Identifier: BSD-3-Clause
// Conditional mutual information I(X; Y | Z) by k nearest neighbours in the max-norm.
// Algorithm 1: Frenzel & Pompe (2007), "Partial mutual information for coupling analysis of
// multivariate time series", Phys. Rev. Lett. 99, 204101, eq. (4): eps_i = distance to the k-th
// neighbour in (X, Y, Z); n_xz, n_yz, n_z count the j != i strictly inside eps_i in (X, Z), (Y, Z)
// and Z; I = psi(k) - <psi(n_xz + 1) + psi(n_yz + 1) - psi(n_z + 1)>.
// Algorithm 2: KSG's second algorithm carried over as in JIDT's
// ConditionalMutualInfoCalculatorMultiVariateKraskov2 (Lizier; derived in Wibral, Vicente &
// Lindner 2014, "Transfer entropy in neuroscience"): eps_x, eps_y, eps_z are the largest marginal
// distances to the k joint neighbours; n_z = #{j != i : ||z_j - z_i|| <= eps_z}, n_xz the j that
// also have ||x_j - x_i|| <= eps_x (n_yz likewise);
// I = psi(k) - 2/k + <psi(n_z) - psi(n_xz) + 1/n_xz - psi(n_yz) + 1/n_yz>.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

#include "infozoo/analysis/ksg.h"
#include "ksg_detail.h"
#include "max_norm_knn.h"
#include "mi_detail.h"

namespace infozoo::analysis {

double conditional_mutual_info(const at::Tensor& X, const at::Tensor& Y, const at::Tensor& Z,
                               const KsgOptions& options) {
  constexpr const char* kCaller = "conditional_mutual_info";
  auto x = detail::load_variable(X, kCaller, "X");
  auto y = detail::load_variable(Y, kCaller, "Y");
  auto z = detail::load_variable(Z, kCaller, "Z");
  const int64_t n = detail::check_same_samples({&X, &Y, &Z}, {"X", "Y", "Z"}, kCaller);
  const int64_t k = options.k();
  detail::check_neighbours(k, n, kCaller);
  detail::check_jitter_seed(options.jitter_seed(), kCaller);
  detail::preprocess({&x, &y, &z}, n, options.standardize(), options.jitter_seed());

  auto concat = [](std::vector<const double*> a, const std::vector<const double*>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  const auto px = x.pointers(), py = y.pointers(), pz = z.pointers();
  const detail::MaxNormTree joint(concat(concat(px, py), pz), n);
  const detail::MaxNormCounter xz(concat(px, pz), n);
  const detail::MaxNormCounter yz(concat(py, pz), n);
  const detail::MaxNormCounter zc(pz, n);
  const int64_t dx = x.dim(), dy = y.dim(), dz = z.dim();
  const auto psi = detail::digamma_table(n + 1);
  const bool two = options.algorithm() == KsgAlgorithm::kTwo;

  std::vector<double> t_xz(n), t_yz(n), t_z(n), inv_xz(two ? n : 0), inv_yz(two ? n : 0);
  at::parallel_for(0, n, detail::kSampleGrain, [&](int64_t begin, int64_t end) {
    std::vector<double> dist;
    std::vector<int64_t> idx;
    std::vector<double> r_xz(dx + dz), r_yz(dy + dz);
    for (int64_t p = begin; p < end; ++p) {
      const int64_t i = joint.index_at(p);  // spatial order; results stay in sample order
      joint.knn(i, k, dist, idx);
      if (!two) {
        const double eps = dist[k - 1];
        t_xz[i] = psi[xz.count(i, eps, /*inclusive=*/false) + 1];
        t_yz[i] = psi[yz.count(i, eps, /*inclusive=*/false) + 1];
        t_z[i] = psi[zc.count(i, eps, /*inclusive=*/false) + 1];
        continue;
      }
      auto extent = [&](const detail::Variable& v) {
        double e = 0.0;
        for (int64_t s = 0; s < k; ++s) {
          for (const auto& col : v.cols) e = std::max(e, std::fabs(col[i] - col[idx[s]]));
        }
        return e;
      };
      const double ex = extent(x), ey = extent(y), ez = extent(z);
      std::fill(r_xz.begin(), r_xz.begin() + dx, ex);
      std::fill(r_xz.begin() + dx, r_xz.end(), ez);
      std::fill(r_yz.begin(), r_yz.begin() + dy, ey);
      std::fill(r_yz.begin() + dy, r_yz.end(), ez);
      // n_xz, n_yz >= k (the k neighbours themselves), so the inverses are finite.
      const int64_t n_xz = xz.count(i, r_xz.data(), /*inclusive=*/true);
      const int64_t n_yz = yz.count(i, r_yz.data(), /*inclusive=*/true);
      t_xz[i] = psi[n_xz];
      t_yz[i] = psi[n_yz];
      t_z[i] = psi[zc.count(i, ez, /*inclusive=*/true)];
      inv_xz[i] = 1.0 / static_cast<double>(n_xz);
      inv_yz[i] = 1.0 / static_cast<double>(n_yz);
    }
  });
  using detail::numpy_mean;
  const double psi_k = detail::digamma(static_cast<double>(k));
  if (!two) return psi_k - numpy_mean(t_xz) - numpy_mean(t_yz) + numpy_mean(t_z);
  return psi_k - 2.0 / static_cast<double>(k) + numpy_mean(t_z) - numpy_mean(t_xz) +
         numpy_mean(inv_xz) - numpy_mean(t_yz) + numpy_mean(inv_yz);
}

}  // namespace infozoo::analysis
