// SPDX-License-Identifier: BSD-3-Clause
// Tasks with known mutual information (Czyż et al. 2023), their closed forms and samplers. The
// samplers loop over rows in a fixed order (no BLAS, no parallel split), so a seed gives the same
// bits on every run and thread count; the draws are those the header documents per task.
#include "infozoo/datasets/mi_tasks.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <utility>

namespace infozoo::datasets {
namespace {

constexpr double kPi = 3.14159265358979323846;

// digamma for x > 0: the recurrence up to x >= 10, then the asymptotic series to x^-12 (the first
// term left out, 1 / (12 x^14), is below 1e-15 there). std has no digamma; the arguments here are
// (dof + k) / 2 > 0.
double digamma(double x) {
  double result = 0.0;
  while (x < 10.0) {
    result -= 1.0 / x;
    x += 1.0;
  }
  const double inv = 1.0 / x;
  const double inv2 = inv * inv;
  // psi(x) ~ log x - 1/(2x) - sum B_2k / (2k x^2k)
  const double series =
      inv2 * (1.0 / 12 -
              inv2 * (1.0 / 120 -
                      inv2 * (1.0 / 252 -
                              inv2 * (1.0 / 240 - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760))))));
  return result + std::log(x) - 0.5 * inv - series;
}

// Differential entropy (nats) of a standard k-dimensional Student-t with `dof` degrees of freedom
// (Arellano-Valle et al. 2013, eq. 7).
double student_t_entropy(int64_t k, double dof) {
  const double half_sum = 0.5 * (dof + static_cast<double>(k));
  return std::lgamma(0.5 * dof) - std::lgamma(half_sum) +
         0.5 * static_cast<double>(k) * std::log(dof * kPi) +
         half_sum * (digamma(half_sum) - digamma(0.5 * dof));
}

// A float64, contiguous CPU copy of a covariance, checked: square, >= 2x2, real, finite,
// symmetric.
at::Tensor checked_covariance(const at::Tensor& covariance, const char* where) {
  TORCH_CHECK(covariance.defined() && covariance.dim() == 2 &&
                  covariance.size(0) == covariance.size(1) && covariance.size(0) >= 2,
              where, ": covariance must be a square [d, d] tensor with d >= 2, got ",
              covariance.defined() ? covariance.sizes() : c10::IntArrayRef{});
  TORCH_CHECK(!covariance.is_complex() && covariance.scalar_type() != at::kBool, where,
              ": covariance must be real, got ", covariance.scalar_type());
  const auto c = covariance.to(at::kCPU, at::kDouble).contiguous();
  TORCH_CHECK(at::isfinite(c).all().item<bool>(), where, ": covariance must be finite");
  const auto a = c.accessor<double, 2>();
  const int64_t d = c.size(0);
  for (int64_t i = 0; i < d; ++i) {
    for (int64_t j = 0; j < i; ++j) {
      const double scale = std::max({std::abs(a[i][j]), std::abs(a[j][i]), 1e-300});
      TORCH_CHECK(std::abs(a[i][j] - a[j][i]) <= 1e-12 * scale, where,
                  ": covariance must be symmetric, got [", i, ", ", j, "] = ", a[i][j], " and [", j,
                  ", ", i, "] = ", a[j][i]);
    }
  }
  return c;
}

// The lower Cholesky factor of a checked covariance (float64, row by row in a fixed order: the
// same bits on every machine and thread count), or an error naming the first leading minor that
// is not positive.
at::Tensor cholesky_factor(const at::Tensor& c, const char* where) {
  const int64_t d = c.size(0);
  const auto a = c.accessor<double, 2>();
  auto factor = at::zeros({d, d}, at::kDouble);
  auto l = factor.accessor<double, 2>();
  for (int64_t j = 0; j < d; ++j) {
    double diag = a[j][j];
    for (int64_t k = 0; k < j; ++k) diag -= l[j][k] * l[j][k];
    TORCH_CHECK(diag > 0, where,
                ": covariance must be positive definite, got a leading minor of order ", j + 1,
                " that is not");
    l[j][j] = std::sqrt(diag);
    for (int64_t i = j + 1; i < d; ++i) {
      double sum = a[i][j];
      for (int64_t k = 0; k < j; ++k) sum -= l[i][k] * l[j][k];
      l[i][j] = sum / l[j][j];
    }
  }
  return factor;
}

// log det of a symmetric positive-definite matrix from its Cholesky factor: 2 sum log L_ii.
double log_det(const at::Tensor& c, const char* where) {
  const auto factor = cholesky_factor(c, where);
  const auto f = factor.accessor<double, 2>();
  double sum = 0.0;
  for (int64_t i = 0; i < factor.size(0); ++i) sum += std::log(f[i][i]);
  return 2.0 * sum;
}

// Splits the columns of xy [n, dim_x + dim_y] into X and Y (contiguous copies).
MiSample split_columns(const at::Tensor& xy, int64_t dim_x) {
  return {xy.slice(/*dim=*/1, 0, dim_x).contiguous(), xy.slice(/*dim=*/1, dim_x).contiguous()};
}

// Applies `f` to every element of t in place (t float64 contiguous).
template <class F>
void apply_elementwise(at::Tensor& t, F f) {
  double* p = t.data_ptr<double>();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = f(p[i]);
}

// Rotates coordinates (i, j) of every row of t [n, d] by the angle speed * ||row||^2: the
// spiral exp(speed ||x||^2 A) x, with A[i][j] = -1, A[j][i] = 1.
void spiral_rows(at::Tensor& t, int64_t i, int64_t j, double speed) {
  auto a = t.accessor<double, 2>();
  for (int64_t r = 0; r < t.size(0); ++r) {
    double norm2 = 0.0;
    for (int64_t c = 0; c < t.size(1); ++c) norm2 += a[r][c] * a[r][c];
    const double angle = speed * norm2;
    const double cs = std::cos(angle), sn = std::sin(angle);
    const double xi = a[r][i], xj = a[r][j];
    a[r][i] = cs * xi - sn * xj;
    a[r][j] = sn * xi + cs * xj;
  }
}

void check_name(const std::string& name, const char* where) {
  TORCH_CHECK(!name.empty(), where, ": name must not be empty");
}

void check_dims(int64_t dim_x, int64_t dim_y, const char* where) {
  TORCH_CHECK(dim_x >= 1 && dim_y >= 1, where, ": dim_x and dim_y must be >= 1, got dim_x=", dim_x,
              ", dim_y=", dim_y);
}

std::string dims(const MiTask& t) {
  return std::to_string(t.dim_x) + "x" + std::to_string(t.dim_y);
}

// A task's transform keeps everything but the name and description; the sampler wraps base's.
MiTask transformed(std::string name, MiTask base, std::string what,
                   std::function<void(MiSample&)> map) {
  MiTask task = base;
  task.name = std::move(name);
  task.description = std::move(what) + " of " + base.description;
  task.draw = [draw = std::move(base.draw), map = std::move(map)](int64_t n,
                                                                  NumpyRandomState& rng) {
    MiSample s = draw(n, rng);
    map(s);
    return s;
  };
  return task;
}

}  // namespace

MiSample MiTask::sample(int64_t n, int64_t seed) const {
  TORCH_CHECK(n >= 1, "MiTask::sample: n must be >= 1, got ", n, " (task ", name, ")");
  TORCH_CHECK(seed >= 0 && seed <= int64_t{0xffffffff},
              "MiTask::sample: seed must be in [0, 2^32), got ", seed, " (task ", name, ")");
  TORCH_CHECK(static_cast<bool>(draw), "MiTask::sample: task ", name, " has no sampler");
  NumpyRandomState rng(seed);
  return draw(n, rng);
}

double gaussian_mutual_information(const at::Tensor& covariance, int64_t dim_x) {
  constexpr const char* kWhere = "gaussian_mutual_information";
  const auto c = checked_covariance(covariance, kWhere);
  const int64_t d = c.size(0);
  TORCH_CHECK(dim_x >= 1 && dim_x < d, kWhere, ": dim_x must be in [1, ", d - 1,
              "] for a covariance of size ", d, ", got ", dim_x);
  const double joint = log_det(c, kWhere);
  const double lx = log_det(c.slice(0, 0, dim_x).slice(1, 0, dim_x).contiguous(), kWhere);
  const double ly = log_det(c.slice(0, dim_x).slice(1, dim_x).contiguous(), kWhere);
  return 0.5 * (lx + ly - joint);
}

double student_t_mutual_information(int64_t dim_x, int64_t dim_y, double dof) {
  check_dims(dim_x, dim_y, "student_t_mutual_information");
  TORCH_CHECK(dof > 0 && std::isfinite(dof),
              "student_t_mutual_information: dof must be > 0 and finite, got ", dof);
  return student_t_entropy(dim_x, dof) + student_t_entropy(dim_y, dof) -
         student_t_entropy(dim_x + dim_y, dof);
}

double additive_uniform_mutual_information(double epsilon) {
  TORCH_CHECK(epsilon > 0 && std::isfinite(epsilon),
              "additive_uniform_mutual_information: epsilon must be > 0 and finite, got ", epsilon);
  return epsilon <= 0.5 ? epsilon - std::log(2 * epsilon) : 0.25 / epsilon;
}

double bernoulli_uniform_mutual_information(double p) {
  TORCH_CHECK(p > 0 && p < 1, "bernoulli_uniform_mutual_information: p must be in (0, 1), got ", p);
  const double entropy_y =
      -0.5 * ((1 - p) * std::log(0.5 * (1 - p)) + p * std::log(0.5 * p) + std::log(0.5));
  return entropy_y - std::log(2.0);
}

MiTask multivariate_normal_task(std::string name, const at::Tensor& covariance, int64_t dim_x) {
  constexpr const char* kWhere = "multivariate_normal_task";
  check_name(name, kWhere);
  const auto c = checked_covariance(covariance, kWhere);
  const int64_t d = c.size(0);
  TORCH_CHECK(dim_x >= 1 && dim_x < d, kWhere, ": dim_x must be in [1, ", d - 1,
              "] for a covariance of size ", d, ", got ", dim_x);
  MiTask task;
  task.name = std::move(name);
  task.dim_x = dim_x;
  task.dim_y = d - dim_x;
  task.true_mi = gaussian_mutual_information(c, dim_x);
  task.description = "Gaussian " + dims(task);
  const auto factor = cholesky_factor(c, kWhere);
  task.draw = [factor, d, dim_x](int64_t n, NumpyRandomState& rng) {
    const auto z = rng.standard_normal({n, d});
    auto xy = at::empty({n, d}, at::kDouble);
    const auto za = z.accessor<double, 2>();
    const auto la = factor.accessor<double, 2>();
    auto out = xy.accessor<double, 2>();
    for (int64_t r = 0; r < n; ++r) {
      for (int64_t i = 0; i < d; ++i) {
        double sum = 0.0;
        for (int64_t j = 0; j <= i; ++j) sum += la[i][j] * za[r][j];  // (L z)_i, L lower
        out[r][i] = sum;
      }
    }
    return split_columns(xy, dim_x);
  };
  return task;
}

MiTask bivariate_normal_task(std::string name, double rho) {
  TORCH_CHECK(std::abs(rho) < 1, "bivariate_normal_task: rho must be in (-1, 1), got ", rho);
  auto task = multivariate_normal_task(
      std::move(name), at::tensor({1.0, rho, rho, 1.0}, at::kDouble).reshape({2, 2}), 1);
  std::ostringstream what;
  what << "bivariate normal, rho " << rho;
  task.description = what.str();
  return task;
}

MiTask dense_normal_task(std::string name, int64_t dim_x, int64_t dim_y, double correlation) {
  check_dims(dim_x, dim_y, "dense_normal_task");
  const int64_t d = dim_x + dim_y;
  TORCH_CHECK(correlation < 1 && correlation > -1.0 / static_cast<double>(d - 1),
              "dense_normal_task: correlation must be in (-1/(d-1), 1) = (",
              -1.0 / static_cast<double>(d - 1), ", 1) for d = ", d,
              " coordinates (positive definite), got ", correlation);
  auto cov = at::full({d, d}, correlation, at::kDouble);
  cov.diagonal().fill_(1.0);
  auto task = multivariate_normal_task(std::move(name), cov, dim_x);
  std::ostringstream what;
  what << "Gaussian " << dims(task) << ", every correlation " << correlation;
  task.description = what.str();
  return task;
}

MiTask paired_normal_task(std::string name, int64_t dim_x, int64_t dim_y, int64_t pairs,
                          double correlation) {
  check_dims(dim_x, dim_y, "paired_normal_task");
  TORCH_CHECK(pairs >= 1 && pairs <= std::min(dim_x, dim_y),
              "paired_normal_task: pairs must be in [1, min(dim_x, dim_y)] = [1, ",
              std::min(dim_x, dim_y), "], got ", pairs);
  TORCH_CHECK(std::abs(correlation) < 1, "paired_normal_task: correlation must be in (-1, 1), got ",
              correlation);
  const int64_t d = dim_x + dim_y;
  auto cov = at::eye(d, at::kDouble);
  auto c = cov.accessor<double, 2>();
  for (int64_t i = 0; i < pairs; ++i) {
    c[i][dim_x + i] = correlation;
    c[dim_x + i][i] = correlation;
  }
  auto task = multivariate_normal_task(std::move(name), cov, dim_x);
  std::ostringstream what;
  what << "Gaussian " << dims(task) << ", " << pairs << " pairs (X_i, Y_i) correlated at "
       << correlation << ", the rest independent";
  task.description = what.str();
  return task;
}

MiTask normal_cdf_task(std::string name, MiTask base) {
  check_name(name, "normal_cdf_task");
  return transformed(std::move(name), std::move(base), "normal CDF", [](MiSample& s) {
    const auto phi = [](double v) { return 0.5 * std::erfc(-v / std::sqrt(2.0)); };
    apply_elementwise(s.X, phi);
    apply_elementwise(s.Y, phi);
  });
}

MiTask half_cube_task(std::string name, MiTask base) {
  check_name(name, "half_cube_task");
  return transformed(std::move(name), std::move(base), "half-cube x|x|^(1/2)", [](MiSample& s) {
    const auto half_cube = [](double v) { return v * std::sqrt(std::abs(v)); };
    apply_elementwise(s.X, half_cube);
    apply_elementwise(s.Y, half_cube);
  });
}

MiTask spiral_task(std::string name, MiTask base, double speed) {
  check_name(name, "spiral_task");
  TORCH_CHECK(base.dim_x >= 2,
              "spiral_task: base.dim_x must be >= 2 (a rotation of X's plane "
              "(0, 1)), got ",
              base.dim_x, " (task ", base.name, ")");
  TORCH_CHECK(std::isfinite(speed), "spiral_task: speed must be finite, got ", speed);
  const bool spiral_y = base.dim_y >= 3;
  std::ostringstream what;
  what << "spiral (speed " << speed << (spiral_y ? ", X and Y)" : ", X)");
  return transformed(std::move(name), std::move(base), what.str(), [speed, spiral_y](MiSample& s) {
    spiral_rows(s.X, 0, 1, speed);
    if (spiral_y) spiral_rows(s.Y, 1, 2, speed);
  });
}

MiTask additive_uniform_task(std::string name, double epsilon) {
  check_name(name, "additive_uniform_task");
  MiTask task;
  task.true_mi = additive_uniform_mutual_information(epsilon);  // checks epsilon
  task.name = std::move(name);
  std::ostringstream what;
  what << "Y = X + N, X ~ U(0, 1), N ~ U(-" << epsilon << ", " << epsilon << ")";
  task.description = what.str();
  task.draw = [epsilon](int64_t n, NumpyRandomState& rng) {
    auto x = rng.random_sample({n, 1});
    const auto noise = rng.uniform(-epsilon, epsilon, {n, 1});
    return MiSample{x, x + noise};
  };
  return task;
}

MiTask student_t_task(std::string name, int64_t dim_x, int64_t dim_y, int64_t dof) {
  check_name(name, "student_t_task");
  check_dims(dim_x, dim_y, "student_t_task");
  TORCH_CHECK(dof >= 1 && dof <= 1000, "student_t_task: dof must be an integer in [1, 1000], got ",
              dof);
  MiTask task;
  task.name = std::move(name);
  task.dim_x = dim_x;
  task.dim_y = dim_y;
  task.true_mi = student_t_mutual_information(dim_x, dim_y, static_cast<double>(dof));
  task.description =
      "Student-t " + dims(task) + ", identity dispersion, dof " + std::to_string(dof);
  task.draw = [dim_x, d = dim_x + dim_y, dof](int64_t n, NumpyRandomState& rng) {
    auto xy = rng.standard_normal({n, d});
    const auto g = rng.standard_normal({n, dof});
    auto a = xy.accessor<double, 2>();
    const auto ga = g.accessor<double, 2>();
    for (int64_t r = 0; r < n; ++r) {
      double w = 0.0;
      for (int64_t j = 0; j < dof; ++j) w += ga[r][j] * ga[r][j];  // chi^2(dof)
      const double scale = 1.0 / std::sqrt(w / static_cast<double>(dof));
      for (int64_t i = 0; i < d; ++i) a[r][i] *= scale;
    }
    return split_columns(xy, dim_x);
  };
  return task;
}

MiTask bernoulli_uniform_task(std::string name, double p) {
  check_name(name, "bernoulli_uniform_task");
  MiTask task;
  task.true_mi = bernoulli_uniform_mutual_information(p);  // checks p
  task.name = std::move(name);
  task.discrete_x = true;
  std::ostringstream what;
  what << "X ~ Bernoulli(" << 1 - p << "), Y | X=0 ~ U(-1, 1), Y | X=1 ~ U(0, 2)";
  task.description = what.str();
  task.draw = [p](int64_t n, NumpyRandomState& rng) {
    const auto u = rng.random_sample({n});
    auto x = at::empty({n, 1}, at::kDouble);
    auto y = at::empty({n, 1}, at::kDouble);
    const auto ua = u.accessor<double, 1>();
    auto xa = x.accessor<double, 2>();
    auto ya = y.accessor<double, 2>();
    for (int64_t r = 0; r < n; ++r) xa[r][0] = ua[r] > p ? 1.0 : 0.0;
    // y[mask] = uniform(-1, 1, size=sum(mask)); y[~mask] = uniform(0, 2, size=sum(~mask))
    for (int64_t r = 0; r < n; ++r) {
      if (xa[r][0] == 0.0) ya[r][0] = -1.0 + 2.0 * rng.next_double();
    }
    for (int64_t r = 0; r < n; ++r) {
      if (xa[r][0] == 1.0) ya[r][0] = 0.0 + 2.0 * rng.next_double();
    }
    return MiSample{x, y};
  };
  return task;
}

const std::vector<MiTask>& mi_task_suite() {
  static const std::vector<MiTask> suite = [] {
    const auto normal = bivariate_normal_task("normal-1x1", 0.75);
    return std::vector<MiTask>{
        normal,
        normal_cdf_task("normal-cdf-1x1", normal),
        half_cube_task("half-cube-1x1", normal),
        spiral_task("spiral-3x3", paired_normal_task("2-pair-3x3", 3, 3, 2, 0.8)),
        additive_uniform_task("uniform-noise-0.1", 0.1),
        additive_uniform_task("uniform-noise-0.75", 0.75),
        dense_normal_task("dense-2x2", 2, 2, 0.5),
        dense_normal_task("dense-3x3", 3, 3, 0.5),
        dense_normal_task("dense-5x5", 5, 5, 0.5),
        dense_normal_task("dense-25x25", 25, 25, 0.5),
        paired_normal_task("2-pair-2x2", 2, 2, 2, 0.8),
        paired_normal_task("2-pair-5x5", 5, 5, 2, 0.8),
        paired_normal_task("2-pair-25x25", 25, 25, 2, 0.8),
        student_t_task("student-t-1x1-dof1", 1, 1, 1),
        student_t_task("student-t-1x1-dof2", 1, 1, 2),
        student_t_task("student-t-2x2-dof1", 2, 2, 1),
        student_t_task("student-t-2x2-dof2", 2, 2, 2),
        bernoulli_uniform_task("discrete-continuous", 0.3)};
  }();
  return suite;
}

const MiTask& find_mi_task(const std::string& name) {
  const auto& suite = mi_task_suite();
  std::string names;
  for (const auto& task : suite) {
    if (task.name == name) return task;
    names += (names.empty() ? "" : ", ") + task.name;
  }
  TORCH_CHECK(false, "find_mi_task: unknown task '", name, "'; the tasks are ", names);
}

}  // namespace infozoo::datasets
