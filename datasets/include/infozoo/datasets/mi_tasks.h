// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Distributions whose mutual information is known in closed form, with seeded samplers: the
/// ground truth `infozoo estimators` measures estimators against. After Czyż, Grabowski, Vogt,
/// Beerenwinkel & Marx 2023, "Beyond Normal: On the Evaluation of Mutual Information Estimators"
/// (their benchmark, cbg-ethz/bmi): Gaussians, their images under invertible maps (which leave
/// the mutual information unchanged), additive uniform noise, Student-t, and scikit-learn's
/// discrete-continuous test case. Every true value is computed by formula, never by sampling.
///
/// Samples are float64 on the CPU, drawn from a NumpyRandomState seeded with the seed (numpy's
/// legacy MT19937), so `np.random.RandomState(seed)` followed by the draws each task documents
/// gives the same numbers (tests/generators/mi_tasks_reference.py does exactly that).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "infozoo/datasets/numpy_random.h"

namespace infozoo::datasets {

/// n samples of a task: `X` [n, dim_x] and `Y` [n, dim_y], float64 on the CPU.
/// Example: `auto [X, Y] = find_mi_task("normal-1x1").sample(5000, 0);  // X [5000, 1]`
struct MiSample {
  at::Tensor X;  ///< [n, dim_x], float64
  at::Tensor Y;  ///< [n, dim_y], float64
};

/// Draws `n` samples from `rng` (the task's documented order of draws).
/// Example: `MiSampler draw = [](int64_t n, NumpyRandomState& rng) { ... };`
using MiSampler = std::function<MiSample(int64_t n, NumpyRandomState& rng)>;

/// A distribution of (X, Y) with its true mutual information. Build one with the factories below
/// or take the suite's (`mi_task_suite`, `find_mi_task`).
/// Example:
///   const MiTask task = bivariate_normal_task("normal-1x1", 0.75);
///   auto [X, Y] = task.sample(/*n=*/5000, /*seed=*/0);  // task.true_mi == 0.4133 nats
struct MiTask {
  std::string name;         ///< e.g. "dense-5x5"; the name `--tasks` takes
  std::string description;  ///< one line: the distribution and its parameters
  int64_t dim_x = 1;        ///< columns of X
  int64_t dim_y = 1;        ///< columns of Y
  double true_mi = 0.0;     ///< I(X; Y) in nats, by formula
  bool discrete_x = false;  ///< X holds class labels 0, 1, ... (as float64), Y is continuous
  MiSampler draw;           ///< the sampler; `sample` seeds it

  /// `n` >= 1 samples from a NumpyRandomState seeded with `seed` (in [0, 2^32)): the same seed
  /// gives the same tensors on every run and thread count.
  /// Example: `auto s = task.sample(1000, 7);  // s.X [1000, task.dim_x]`
  MiSample sample(int64_t n, int64_t seed) const;
};

/// I(X; Y) in nats of a Gaussian (X, Y) with joint `covariance` [d, d] (symmetric positive
/// definite, real, finite) whose first `dim_x` coordinates are X (1 <= dim_x < d):
/// 0.5 (log det S_xx + log det S_yy - log det S), each log det from a float64 Cholesky factor.
/// Example: `gaussian_mutual_information(torch::tensor({{1.0, 0.75}, {0.75, 1.0}}), 1)` is
/// -0.5 log(1 - 0.75^2) = 0.4133 nats.
double gaussian_mutual_information(const at::Tensor& covariance, int64_t dim_x);

/// I(X; Y) in nats of a multivariate Student-t (X, Y) with identity dispersion and `dof` > 0
/// degrees of freedom (X and Y uncorrelated, yet dependent through their shared scale):
/// h(dim_x) + h(dim_y) - h(dim_x + dim_y), with the entropy of a standard k-dimensional t
/// h(k) = log Gamma(dof/2) - log Gamma((dof+k)/2) + k/2 log(dof pi) + (dof+k)/2 (psi((dof+k)/2) -
/// psi(dof/2)) (Arellano-Valle, Contreras-Reyes & Genton 2013, eq. 7, as Czyż et al.'s
/// SplitStudentT computes it; for a general dispersion, add the Gaussian MI of the dispersion).
/// Example: `student_t_mutual_information(1, 1, 1)` is log(8 pi) - 3 = 0.2242 nats.
double student_t_mutual_information(int64_t dim_x, int64_t dim_y, double dof);

/// I(X; X + N) in nats for X ~ U(0, 1), N ~ U(-epsilon, epsilon), epsilon > 0:
/// epsilon - log(2 epsilon) for epsilon <= 1/2, 1 / (4 epsilon) above (h(X + N) - log(2 epsilon),
/// the density of X + N being a trapezoid).
/// Example: `additive_uniform_mutual_information(0.75)` is 1/3 nats.
double additive_uniform_mutual_information(double epsilon);

/// I(X; Y) in nats for scikit-learn's discrete-continuous test (test_mutual_info.py,
/// test_compute_mi_cd): X = 1 with probability 1 - p (0 < p < 1), Y | X = 0 ~ U(-1, 1),
/// Y | X = 1 ~ U(0, 2): H(Y) - log 2 = -((1-p) log((1-p)/2) + p log(p/2) + log(1/2)) / 2 - log 2.
/// Example: `bernoulli_uniform_mutual_information(0.5)` is log(2) / 2 = 0.3466 nats.
double bernoulli_uniform_mutual_information(double p);

/// A Gaussian task: (X, Y) ~ N(0, covariance), X its first `dim_x` coordinates. Draws:
/// Z = rng.standard_normal((n, d)), then each row times the lower Cholesky factor L of the
/// covariance (XY = Z @ L.T). `covariance` as for gaussian_mutual_information.
/// Example: `multivariate_normal_task("corr-2x1", cov, /*dim_x=*/2)` with cov [3, 3].
MiTask multivariate_normal_task(std::string name, const at::Tensor& covariance, int64_t dim_x);

/// The bivariate normal with unit variances and correlation `rho` (|rho| < 1): I = -0.5 log(1 -
/// rho^2). Example: `bivariate_normal_task("normal-1x1", 0.75)`.
MiTask bivariate_normal_task(std::string name, double rho);

/// Czyż et al.'s "dense" Gaussian: unit variances and every pair of the dim_x + dim_y
/// coordinates correlated at `correlation` (in (-1 / (d - 1), 1) for the covariance to be
/// positive definite). Example: `dense_normal_task("dense-5x5", 5, 5, 0.5)` (0.5928 nats).
MiTask dense_normal_task(std::string name, int64_t dim_x, int64_t dim_y, double correlation);

/// A Gaussian of independent unit-variance coordinates but for `pairs` pairs (X_i, Y_i),
/// i < pairs, each correlated at `correlation` (|correlation| < 1, 1 <= pairs <= min(dim_x,
/// dim_y)): I = -pairs / 2 log(1 - correlation^2), whatever the dimensions.
/// Example: `paired_normal_task("2-pair-25x25", 25, 25, 2, 0.8)` is -log(0.36) = 1.0217 nats.
MiTask paired_normal_task(std::string name, int64_t dim_x, int64_t dim_y, int64_t pairs,
                          double correlation);

/// `base` with both X and Y mapped through the standard normal CDF, coordinate by coordinate
/// (Phi(x) = erfc(-x / sqrt 2) / 2, strictly increasing, so the MI is base's).
/// Example: `normal_cdf_task("normal-cdf-1x1", bivariate_normal_task("b", 0.75))`.
MiTask normal_cdf_task(std::string name, MiTask base);

/// `base` with both X and Y mapped through Czyż et al.'s half-cube map x |x|^(1/2), coordinate
/// by coordinate (invertible: y -> sign(y) |y|^(2/3)), so the MI is base's.
/// Example: `half_cube_task("half-cube-1x1", bivariate_normal_task("b", 0.75))`.
MiTask half_cube_task(std::string name, MiTask base);

/// `base` with Czyż et al.'s spiral diffeomorphism x -> exp(speed ||x||^2 A) x applied to X, A
/// the so(dim_x) generator rotating the plane of coordinates (0, 1), and to Y in the plane (1, 2)
/// when dim_y >= 3 (their transform_spiral_task, default speed 1/3; Y is left as it is when
/// dim_y < 3). A rotation keeps ||x||, so the map is inverted by rotating back by the same angle:
/// the MI is base's. Needs base.dim_x >= 2 and speed finite.
/// Example: `spiral_task("spiral-3x3", paired_normal_task("p", 3, 3, 2, 0.8), 1.0 / 3)`.
MiTask spiral_task(std::string name, MiTask base, double speed = 1.0 / 3.0);

/// X ~ U(0, 1), Y = X + N, N ~ U(-epsilon, epsilon), epsilon > 0 (1x1). Draws:
/// x = rng.random_sample((n, 1)), then noise = rng.uniform(-epsilon, epsilon, (n, 1)).
/// Example: `additive_uniform_task("uniform-noise-0.1", 0.1)` (1.7094 nats).
MiTask additive_uniform_task(std::string name, double epsilon);

/// A Student-t (X, Y) with identity dispersion and an integer `dof` >= 1 degrees of freedom:
/// (X, Y) = Z / sqrt(W / dof), Z ~ N(0, I), W ~ chi^2(dof) the sum of dof squared standard
/// normals. Draws: Z = rng.standard_normal((n, d)), then G = rng.standard_normal((n, dof)),
/// W = (G ** 2).sum(axis=1). Heavy tails: dof 1 is the Cauchy case, dof 2 has no variance.
/// Example: `student_t_task("student-t-2x2-dof2", 2, 2, 2)`.
MiTask student_t_task(std::string name, int64_t dim_x, int64_t dim_y, int64_t dof);

/// scikit-learn's test_compute_mi_cd (1x1, discrete_x): x = rng.uniform(size=n) > p (so X = 1
/// with probability 1 - p), then Y's values where X = 0 from rng.uniform(-1, 1), then those
/// where X = 1 from rng.uniform(0, 2), in that order as scikit-learn draws them; 0 < p < 1.
/// Example: `bernoulli_uniform_task("discrete-continuous", 0.3)` (0.3054 nats).
MiTask bernoulli_uniform_task(std::string name, double p);

/// The suite of `infozoo estimators`, in this order: normal-1x1 (rho 0.75), normal-cdf-1x1,
/// half-cube-1x1, spiral-3x3 (on 2-pair 3x3), uniform-noise-0.1, uniform-noise-0.75,
/// dense-{2x2,3x3,5x5,25x25} (correlation 0.5), 2-pair-{2x2,5x5,25x25} (correlation 0.8),
/// student-t-{1x1,2x2}-dof{1,2}, discrete-continuous (p 0.3).
/// Example: `for (const auto& t : mi_task_suite()) std::cout << t.name << " " << t.true_mi;`
const std::vector<MiTask>& mi_task_suite();

/// The suite's task of that name; an unknown name is an error that lists the valid ones.
/// Example: `find_mi_task("dense-25x25").dim_x  // 25`
const MiTask& find_mi_task(const std::string& name);

}  // namespace infozoo::datasets
