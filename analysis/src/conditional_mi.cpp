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
  const bool two = options.algorithm() == KsgAlgorithm::kTwo;

  // Per sample: the radius in Z, and in (X, Z) and (Y, Z) one per coordinate (algorithm 2's
  // extents differ between the blocks).
  std::vector<double> r_z(n), r_xz(n * (dx + dz)), r_yz(n * (dy + dz));
  detail::for_each_knn(
      joint, k, [&](int64_t i, const std::vector<double>& dist, const std::vector<int64_t>& idx) {
        double ex = dist[k - 1], ey = ex, ez = ex;
        if (two) {
          auto extent = [&](const detail::Variable& v) {
            double e = 0.0;
            for (int64_t s = 0; s < k; ++s) {
              for (const auto& col : v.cols) e = std::max(e, std::fabs(col[i] - col[idx[s]]));
            }
            return e;
          };
          ex = extent(x);
          ey = extent(y);
          ez = extent(z);
        }
        r_z[i] = ez;
        std::fill_n(&r_xz[i * (dx + dz)], dx, ex);
        std::fill_n(&r_xz[i * (dx + dz) + dx], dz, ez);
        std::fill_n(&r_yz[i * (dy + dz)], dy, ey);
        std::fill_n(&r_yz[i * (dy + dz) + dy], dz, ez);
      });
  const auto n_xz = xz.count_all(r_xz, /*per_coordinate=*/true, /*inclusive=*/two);
  const auto n_yz = yz.count_all(r_yz, /*per_coordinate=*/true, /*inclusive=*/two);
  const auto n_z = zc.count_all(r_z, /*per_coordinate=*/false, /*inclusive=*/two);
  const auto psi = detail::digamma_table(n + 1);
  const int64_t shift = two ? 0 : 1;  // algorithm 1: psi(count + 1)
  std::vector<double> t_xz(n), t_yz(n), t_z(n), inv_xz(two ? n : 0), inv_yz(two ? n : 0);
  for (int64_t i = 0; i < n; ++i) {
    t_xz[i] = psi[n_xz[i] + shift];
    t_yz[i] = psi[n_yz[i] + shift];
    t_z[i] = psi[n_z[i] + shift];
    if (two) {
      // n_xz, n_yz >= k (the k neighbours themselves), so the inverses are finite.
      inv_xz[i] = 1.0 / static_cast<double>(n_xz[i]);
      inv_yz[i] = 1.0 / static_cast<double>(n_yz[i]);
    }
  }
  using detail::numpy_mean;
  const double psi_k = detail::digamma(static_cast<double>(k));
  if (!two) return psi_k - numpy_mean(t_xz) - numpy_mean(t_yz) + numpy_mean(t_z);
  return psi_k - 2.0 / static_cast<double>(k) + numpy_mean(t_z) - numpy_mean(t_xz) +
         numpy_mean(inv_xz) - numpy_mean(t_yz) + numpy_mean(inv_yz);
}

}  // namespace infozoo::analysis
