// SPDX-License-Identifier: BSD-3-Clause
// The tasks with known mutual information (datasets/mi_tasks.h): every true value against an
// independent evaluation (tests/generators/mi_tasks_reference.py: scipy integration or another
// closed form), the samplers draw for draw against numpy, their shapes, determinism and moments,
// and the transformed tasks as invertible maps of their Gaussian samples. The bad inputs are rows
// of tests/bad_input_test.cpp.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <set>
#include <string>

#include "infozoo/datasets/mi_tasks.h"
#include "test_support.h"

namespace infozoo::test_support {
namespace {

namespace ds = infozoo::datasets;

constexpr double kPi = 3.14159265358979323846;

const nlohmann::json& reference() {
  static const nlohmann::json doc = load_expected("mi_tasks.json");
  return doc;
}

TEST(MiTasks, SuiteListsTheReferenceTasksInOrder) {
  const auto& suite = ds::mi_task_suite();
  const auto& tasks = reference().at("tasks");
  ASSERT_EQ(suite.size(), tasks.size());
  std::set<std::string> names;
  for (size_t i = 0; i < suite.size(); ++i) {
    EXPECT_EQ(suite[i].name, tasks[i].at("name").get<std::string>());
    EXPECT_EQ(suite[i].dim_x, tasks[i].at("dim_x").get<int64_t>()) << suite[i].name;
    EXPECT_EQ(suite[i].dim_y, tasks[i].at("dim_y").get<int64_t>()) << suite[i].name;
    EXPECT_FALSE(suite[i].description.empty()) << suite[i].name;
    names.insert(suite[i].name);
    EXPECT_EQ(&ds::find_mi_task(suite[i].name), &suite[i]);
  }
  EXPECT_EQ(names.size(), suite.size()) << "task names must be unique";
}

// The closed forms against scipy's integrals (quad/dblquad, asked for 1e-12 relative; the error
// estimate of each is stored with it) or a second closed form (eigenvalues, one term per pair).
// 1e-9 relative leaves room for quad's error, never for a wrong formula (the smallest formula
// slip, a missing 1/2 or a log of the wrong side, moves the values by more than 1e-3).
TEST(MiTasks, TrueMiEqualsTheIndependentEvaluation) {
  const auto& suite = ds::mi_task_suite();
  for (size_t i = 0; i < suite.size(); ++i) {
    const auto& ref = reference().at("tasks")[i];
    const double expected = ref.at("true_mi").get<double>();
    const double tol = 1e-9 * std::abs(expected) + 2 * ref.at("quad_error").get<double>();
    EXPECT_NEAR(suite[i].true_mi, expected, tol) << suite[i].name;
  }
}

// The formula against a Monte Carlo mean of log p(x, y) / (p(x) p(y)) over 200 000 samples drawn
// by the task's documented sampler (numpy, the same draws as ours): the sampler draws from the
// distribution whose MI the formula gives. 5 standard errors: a wrong density or a sampler of
// another distribution (a rho of 0.7, a dof of 3) moves the mean by tens of them.
TEST(MiTasks, TrueMiMatchesAMonteCarloOfTheSampler) {
  const auto& suite = ds::mi_task_suite();
  for (size_t i = 0; i < suite.size(); ++i) {
    const auto& ref = reference().at("tasks")[i];
    EXPECT_NEAR(suite[i].true_mi, ref.at("monte_carlo_mi").get<double>(),
                5 * ref.at("monte_carlo_se").get<double>())
        << suite[i].name;
  }
}

// MI is invariant under invertible maps of either side: the transformed tasks carry the base's
// value exactly.
TEST(MiTasks, TransformedTasksKeepTheBaseValue) {
  const double normal = ds::find_mi_task("normal-1x1").true_mi;
  EXPECT_EQ(ds::find_mi_task("normal-cdf-1x1").true_mi, normal);
  EXPECT_EQ(ds::find_mi_task("half-cube-1x1").true_mi, normal);
  EXPECT_EQ(ds::find_mi_task("spiral-3x3").true_mi, ds::find_mi_task("2-pair-2x2").true_mi);
}

TEST(MiTasks, ClosedFormsAtPointsKnownByHand) {
  // Cauchy pair: 2 log(4 pi) - (log(2 pi) + 3) = log(8 pi) - 3.
  EXPECT_NEAR(ds::student_t_mutual_information(1, 1, 1), std::log(8 * kPi) - 3, 1e-14);
  // Large dof: the identity-dispersion t tends to independent Gaussians, I -> 0 like 1/dof^2.
  EXPECT_LT(ds::student_t_mutual_information(2, 2, 1e4), 1e-6);
  EXPECT_GT(ds::student_t_mutual_information(2, 2, 1e4), 0.0);
  // The two branches of the uniform-noise formula meet at epsilon = 1/2 (value 1/2).
  EXPECT_NEAR(ds::additive_uniform_mutual_information(0.5), 0.5, 1e-15);
  EXPECT_NEAR(ds::additive_uniform_mutual_information(std::nextafter(0.5, 1.0)), 0.5, 1e-15);
  EXPECT_NEAR(ds::bernoulli_uniform_mutual_information(0.5), std::log(2.0) / 2, 1e-15);
  EXPECT_NEAR(ds::bernoulli_uniform_mutual_information(0.3),
              ds::bernoulli_uniform_mutual_information(0.7), 1e-15);  // symmetric in p
  const auto cov = torch::tensor({{1.0, 0.6}, {0.6, 1.0}}, torch::kDouble);
  EXPECT_NEAR(ds::gaussian_mutual_information(cov, 1), -0.5 * std::log(1 - 0.36), 1e-15);
  // Scaling a side leaves the MI alone (log det S_xx and log det S move together).
  const auto scaled = torch::tensor({{4.0, 1.2}, {1.2, 1.0}}, torch::kDouble);
  EXPECT_NEAR(ds::gaussian_mutual_information(scaled, 1), -0.5 * std::log(1 - 0.36), 1e-15);
}

// The samplers draw for draw against numpy's RandomState following the documented order; 1e-12
// relative covers BLAS's other summation order in Z @ L.T, scipy's ndtr and expm against libm's
// erfc and cos/sin (a few ulps each), nothing more.
TEST(MiTasks, SamplesEqualNumpysDrawForDraw) {
  const auto n = reference().at("sample_n").get<int64_t>();
  const auto seed = reference().at("sample_seed").get<int64_t>();
  const auto& suite = ds::mi_task_suite();
  for (size_t i = 0; i < suite.size(); ++i) {
    const auto& ref = reference().at("tasks")[i];
    const auto s = suite[i].sample(n, seed);
    for (const auto& [tensor, key] : {std::pair{s.X, "X"}, std::pair{s.Y, "Y"}}) {
      const auto rows = ref.at(key);
      ASSERT_EQ(static_cast<int64_t>(rows.size()), tensor.size(0)) << suite[i].name;
      const auto a = tensor.accessor<double, 2>();
      double worst = 0.0;
      for (int64_t r = 0; r < tensor.size(0); ++r) {
        ASSERT_EQ(static_cast<int64_t>(rows[r].size()), tensor.size(1)) << suite[i].name;
        for (int64_t c = 0; c < tensor.size(1); ++c) {
          const double e = rows[r][c].get<double>();
          worst = std::max(worst, std::abs(a[r][c] - e) / std::max(1.0, std::abs(e)));
        }
      }
      EXPECT_LE(worst, 1e-12) << suite[i].name << " " << key;
    }
  }
}

TEST(MiTasks, ShapesDtypeAndDeterminism) {
  for (const auto& task : ds::mi_task_suite()) {
    const auto a = task.sample(11, 5);
    EXPECT_EQ(a.X.sizes(), (std::vector<int64_t>{11, task.dim_x})) << task.name;
    EXPECT_EQ(a.Y.sizes(), (std::vector<int64_t>{11, task.dim_y})) << task.name;
    EXPECT_EQ(a.X.scalar_type(), torch::kDouble);
    EXPECT_EQ(a.Y.scalar_type(), torch::kDouble);
    EXPECT_TRUE(a.X.is_contiguous() && a.Y.is_contiguous()) << task.name;
    EXPECT_TRUE(torch::isfinite(a.X).all().item<bool>() && torch::isfinite(a.Y).all().item<bool>());
    const auto b = task.sample(11, 5);
    EXPECT_TRUE(torch::equal(a.X, b.X) && torch::equal(a.Y, b.Y)) << task.name << " same seed";
    const auto c = task.sample(11, 6);
    EXPECT_FALSE(torch::equal(a.Y, c.Y)) << task.name << " another seed, same Y";
    const auto one = task.sample(1, 5);
    EXPECT_EQ(one.X.size(0), 1);
  }
}

// Pearson's r of two columns.
double correlation(const torch::Tensor& a, const torch::Tensor& b) {
  const auto da = a - a.mean(), db = b - b.mean();
  return ((da * db).sum() / (da.norm() * db.norm())).item<double>();
}

// The sample correlation's standard error is about (1 - rho^2) / sqrt(n). Each check allows 4
// standard errors; where one test makes hundreds of them (25x25), 5 (a chance of 6e-7 each of
// a false alarm, so under 1e-3 for the 1225 pairs). The seed is fixed, so the outcome is too.
TEST(MiTasks, GaussianSampleCorrelations) {
  constexpr int64_t n = 20000;
  const double sqrt_n = std::sqrt(static_cast<double>(n));
  for (const char* name : {"dense-5x5", "2-pair-5x5", "dense-25x25", "2-pair-25x25"}) {
    const auto& task = ds::find_mi_task(name);
    const auto s = task.sample(n, 11);
    const auto xy = torch::cat({s.X, s.Y}, 1);
    const int64_t d = xy.size(1);
    const double k = d > 10 ? 5.0 : 4.0;
    const bool dense = std::string(name).rfind("dense", 0) == 0;
    const auto centred = xy - xy.mean(0);
    const auto sd = centred.norm(2, {0});
    const auto r = (centred.t().mm(centred) / sd.outer(sd)).contiguous();  // (d, d) Pearson's r
    const auto ra = r.accessor<double, 2>();
    const auto var = xy.var(0).contiguous();
    for (int64_t i = 0; i < d; ++i) {
      // The variance's standard error is sqrt(2 / n) for a unit Gaussian.
      EXPECT_NEAR(var[i].item<double>(), 1.0, k * std::sqrt(2.0) / sqrt_n) << name;
      for (int64_t j = 0; j < i; ++j) {
        const bool paired = i == j + task.dim_x && j < 2;
        const double rho = dense ? 0.5 : (paired ? 0.8 : 0.0);
        EXPECT_NEAR(ra[i][j], rho, k * (1 - rho * rho) / sqrt_n)
            << name << " (" << i << ", " << j << ")";
      }
    }
  }
}

TEST(MiTasks, NonGaussianSampleMoments) {
  constexpr int64_t n = 20000;
  const double sqrt_n = std::sqrt(static_cast<double>(n));
  for (const double eps : {0.1, 0.75}) {
    const auto s =
        ds::find_mi_task(eps == 0.1 ? "uniform-noise-0.1" : "uniform-noise-0.75").sample(n, 2);
    const auto noise = s.Y - s.X;
    EXPECT_GE(s.X.min().item<double>(), 0.0);
    EXPECT_LT(s.X.max().item<double>(), 1.0);
    EXPECT_LE(noise.abs().max().item<double>(), eps * (1 + 1e-15));
    // U(-eps, eps) has variance eps^2 / 3; its sample variance's standard error is about
    // sqrt(4/45) eps^2 / sqrt(n) (fourth moment eps^4 / 5).
    EXPECT_NEAR(noise.var().item<double>(), eps * eps / 3,
                4 * std::sqrt(4.0 / 45) * eps * eps / sqrt_n);
    EXPECT_NEAR(correlation(s.X, noise), 0.0, 4 / sqrt_n);
  }
  // Student-t: P(|T| < 1) is 1/2 for dof 1 (Cauchy) and 1/sqrt(3) for dof 2; a frequency's
  // standard error is sqrt(p (1 - p) / n).
  for (const auto& [name, p] : {std::pair{"student-t-2x2-dof1", 0.5},
                                std::pair{"student-t-2x2-dof2", 1 / std::sqrt(3.0)}}) {
    const auto s = ds::find_mi_task(name).sample(n, 3);
    const auto xy = torch::cat({s.X, s.Y}, 1);
    for (int64_t c = 0; c < 4; ++c) {
      const double inside = (xy.select(1, c).abs() < 1).to(torch::kDouble).mean().item<double>();
      EXPECT_NEAR(inside, p, 4 * std::sqrt(p * (1 - p) / n)) << name << " column " << c;
    }
    // Dependent but uncorrelated: |X| and |Y| share the scale, so their log-magnitudes correlate.
    EXPECT_GT(correlation(s.X.select(1, 0).abs().log(), s.Y.select(1, 0).abs().log()), 0.1);
  }
  // The discrete-continuous pair: X = 1 with probability 0.7, Y uniform on its interval.
  const auto s = ds::find_mi_task("discrete-continuous").sample(n, 4);
  const auto x1 = s.X.squeeze(1) == 1;
  EXPECT_TRUE(((s.X == 0) | (s.X == 1)).all().item<bool>());
  EXPECT_NEAR(x1.to(torch::kDouble).mean().item<double>(), 0.7, 4 * std::sqrt(0.21 / n));
  const auto y = s.Y.squeeze(1);
  EXPECT_GE(y.index({x1}).min().item<double>(), 0.0);
  EXPECT_LE(y.index({x1}).max().item<double>(), 2.0);
  EXPECT_GE(y.index({~x1}).min().item<double>(), -1.0);
  EXPECT_LE(y.index({~x1}).max().item<double>(), 1.0);
}

// Each transformed task is its base's sample (same seed) pushed through the map, and the inverse
// map brings it back: the maps are invertible, so the MI is the base's.
TEST(MiTasks, TransformsAreInvertibleMapsOfTheGaussianSamples) {
  constexpr int64_t n = 2000;
  const auto base = ds::find_mi_task("normal-1x1").sample(n, 9);
  const auto cdf = ds::find_mi_task("normal-cdf-1x1").sample(n, 9);
  const auto cube = ds::find_mi_task("half-cube-1x1").sample(n, 9);
  for (const auto& [b, c, h] :
       {std::tuple{base.X, cdf.X, cube.X}, std::tuple{base.Y, cdf.Y, cube.Y}}) {
    EXPECT_TRUE(torch::allclose(c, 0.5 * torch::erfc(-b / std::sqrt(2.0)), 1e-15, 1e-15));
    EXPECT_TRUE(torch::allclose(h, b * b.abs().sqrt(), 1e-15, 1e-15));
    EXPECT_TRUE(torch::allclose(torch::special::ndtri(c), b, 1e-9, 1e-9));  // ndtri(Phi(b))
    EXPECT_TRUE(torch::allclose(h.sign() * h.abs().pow(2.0 / 3.0), b, 1e-13, 1e-13));
    EXPECT_GT(c.min().item<double>(), 0.0);
    EXPECT_LT(c.max().item<double>(), 1.0);
  }

  // The spiral: the same base as the suite's spiral-3x3, rotated back by speed * ||y||^2 (the
  // rotation keeps the norm) to recover it.
  const double speed = 1.0 / 3;
  const auto pair = ds::paired_normal_task("2-pair-3x3", 3, 3, 2, 0.8);
  const auto plain = pair.sample(n, 9);
  const auto turned = ds::find_mi_task("spiral-3x3").sample(n, 9);
  for (const auto& [p, t, i, j] :
       {std::tuple{plain.X, turned.X, 0, 1}, std::tuple{plain.Y, turned.Y, 1, 2}}) {
    const auto norm2 = (t * t).sum(1);
    EXPECT_TRUE(torch::allclose(norm2, (p * p).sum(1), 1e-12, 1e-12)) << "norm kept";
    const auto angle = -speed * norm2;
    auto back = t.clone();
    back.select(1, i) = angle.cos() * t.select(1, i) - angle.sin() * t.select(1, j);
    back.select(1, j) = angle.sin() * t.select(1, i) + angle.cos() * t.select(1, j);
    EXPECT_TRUE(torch::allclose(back, p, 1e-12, 1e-12));
    EXPECT_FALSE(torch::allclose(t, p, 1e-3, 1e-3)) << "the spiral moved the points";
  }
  EXPECT_EQ(ds::find_mi_task("spiral-3x3").true_mi, pair.true_mi);
}

// Factories compose: a spiral of a 2x2 Gaussian turns X only (Y has no plane (1, 2)).
TEST(MiTasks, SpiralOfATwoColumnYLeavesY) {
  const auto base = ds::dense_normal_task("d", 2, 2, 0.5);
  const auto turned = ds::spiral_task("s", base, 1.0);
  const auto a = base.sample(50, 1), b = turned.sample(50, 1);
  EXPECT_TRUE(torch::equal(a.Y, b.Y));
  EXPECT_FALSE(torch::equal(a.X, b.X));
  EXPECT_EQ(turned.true_mi, base.true_mi);
  EXPECT_EQ(turned.name, "s");
}

}  // namespace
}  // namespace infozoo::test_support
