// SPDX-License-Identifier: BSD-3-Clause
// `infozoo diffusion-mi`: the JSON schema, the bound against its closed form along the seed's
// linear schedule, the KSG estimate against what the bound and the low-SNR expansion allow, the
// estimator's ceiling psi(n) - psi(k) against its series, the same bytes for 1 and 2 threads, and
// the picture.
#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "output/plot.h"
#include "test_support.h"

namespace infozoo::test_support {
namespace {

namespace fs = std::filesystem;

// One default run shared by the tests below (about 2 s).
const nlohmann::json& default_json() {
  static const nlohmann::json json = [] {
    const auto r = run_infozoo({"diffusion-mi", "--json", "--device", "cpu"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }();
  return json;
}

std::vector<double> doubles(const nlohmann::json& j, const char* key) {
  return j.at(key).get<std::vector<double>>();
}

TEST(DiffusionMiCli, JsonSchema) {
  const auto& j = default_json();
  for (const char* key :
       {"t", "ksg", "ksg_half", "bound", "bound_same_covariance", "alpha_bar", "snr"}) {
    ASSERT_TRUE(j.contains(key) && j.at(key).is_array()) << key;
    EXPECT_EQ(j.at(key).size(), 20u) << key << ": --steps defaults to 20";
  }
  for (const char* key : {"ceiling", "log_n", "n", "k"}) EXPECT_TRUE(j.at(key).is_number()) << key;
  EXPECT_EQ(j.at("n").get<int64_t>(), 5000);
  EXPECT_EQ(j.at("k").get<int64_t>(), 3);
  const auto t = j.at("t").get<std::vector<int64_t>>();
  EXPECT_EQ(t.front(), 0);
  EXPECT_EQ(t.back(), 999);
  for (size_t i = 1; i < t.size(); ++i) EXPECT_GT(t[i], t[i - 1]) << "t must increase";
}

// The seed's linear schedule in float64: beta_t = 1e-4 + (0.02 - 1e-4) t / 999, alpha_bar_t =
// prod (1 - beta_s). infozoo's float32 cumulative product is within 1e-5 relative of it (1000
// float32 roundings of ~6e-8 each, and alpha_bar >= 4e-5). For d = 2, d/2 log(1 + SNR) =
// -log(1 - alpha_bar) exactly: the bound must equal that of its own alpha_bar to rounding.
TEST(DiffusionMiCli, BoundIsTheClosedFormAndDecreases) {
  const auto& j = default_json();
  const auto t = j.at("t").get<std::vector<int64_t>>();
  const auto alpha_bar = doubles(j, "alpha_bar"), bound = doubles(j, "bound"),
             snr = doubles(j, "snr"), same = doubles(j, "bound_same_covariance");
  for (size_t i = 0; i < t.size(); ++i) {
    double expected = 1.0;
    for (int64_t s = 0; s <= t[i]; ++s) expected *= 1 - (1e-4 + (0.02 - 1e-4) * s / 999.0);
    EXPECT_NEAR(alpha_bar[i], expected, 1e-5 * expected) << "t = " << t[i];
    EXPECT_NEAR(snr[i], alpha_bar[i] / (1 - alpha_bar[i]), 1e-12 * snr[i]) << "t = " << t[i];
    EXPECT_NEAR(bound[i], -std::log(1 - alpha_bar[i]), 1e-9 * bound[i] + 1e-15) << "t = " << t[i];
    // The Gaussian of X0's own covariance (unit variances) carries no more than the bound.
    EXPECT_LE(same[i], bound[i] * (1 + 1e-12)) << "t = " << t[i];
    if (i > 0) {
      EXPECT_LT(bound[i], bound[i - 1]) << "the bound must decrease in t, at t = " << t[i];
    }
  }
  EXPECT_NEAR(bound.front(), std::log(1e4), 1e-3) << "alpha_bar_0 = 1 - 1e-4: SNR ~ 1e4";
}

// psi(n) - psi(k), algorithm 1's largest value, against psi's asymptotic series for n = 5000
// (error below 1/(252 n^6)) and psi(3) = 3/2 - gamma; log n exactly.
TEST(DiffusionMiCli, CeilingIsPsiNMinusPsiK) {
  const auto& j = default_json();
  const double n = 5000;
  const double psi_n = std::log(n) - 1 / (2 * n) - 1 / (12 * n * n) + 1 / (120 * std::pow(n, 4));
  const double psi_3 = 1.5 - 0.57721566490153286061;
  // 1e-11: the 5000-term harmonic sum rounds by at most 5000 * ulp(9) / 2 = 4e-12.
  EXPECT_NEAR(j.at("ceiling").get<double>(), psi_n - psi_3, 1e-11);
  EXPECT_EQ(j.at("log_n").get<double>(), std::log(n));
}

TEST(DiffusionMiCli, EstimateAgainstTheBound) {
  const auto& j = default_json();
  const auto ksg = doubles(j, "ksg"), half = doubles(j, "ksg_half"), bound = doubles(j, "bound"),
             same = doubles(j, "bound_same_covariance"), snr = doubles(j, "snr");
  const double ceiling = j.at("ceiling").get<double>();
  // t = 999 (SNR 4e-5, so I(X0; Xt) <= 4e-5 nats): KSG on 5000 nearly independent 2+2-D pairs
  // scatters by ~0.005 nats around its small bias (0.0048 here); 0.02 is four times that.
  EXPECT_LT(std::abs(ksg.back()), 0.02);
  EXPECT_LT(ksg.back(), bound.back() + 0.02);
  // At t = 0 the bound (9.2 nats) is beyond what 5000 samples can show: the estimate is below the
  // ceiling and still grows from n/2 to n samples by a good part of log 2.
  EXPECT_LT(ksg.front(), ceiling);
  EXPECT_LT(ksg.front(), bound.front());
  EXPECT_GT(ksg.front() - half.front(), 0.25 * std::log(2.0));
  // At low SNR, I(X0; Xt) = SNR/2 tr Cov(X0) + O(SNR^2) for any input: with tr Cov = 2 the
  // Gaussian bound is tight to first order. At the step whose SNR is nearest 0.1 (t = 468, SNR
  // 0.119) the true value lies within SNR^2 ~ 0.015 below the same-covariance bound, and KSG's
  // error at n = 5000 is ~0.01 (see above): 0.03 nats.
  size_t low = 0;
  for (size_t i = 0; i < snr.size(); ++i) {
    if (std::abs(snr[i] - 0.1) < std::abs(snr[low] - 0.1)) low = i;
  }
  EXPECT_NEAR(ksg[low], same[low], 0.03) << "SNR " << snr[low];
  // Everywhere the estimate stays below the bound plus that tolerance (the true value is below it).
  for (size_t i = 0; i < ksg.size(); ++i) EXPECT_LT(ksg[i], bound[i] + 0.03) << "step " << i;
}

TEST(DiffusionMiCli, TextSaysWhatTheNumbersMean) {
  const auto r =
      run_infozoo({"diffusion-mi", "--device", "cpu", "--samples", "600", "--steps", "6"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* fragment :
       {"All information in nats", "alpha_bar_t", "KSG n/2", "Conclusions:", "psi(n) - psi(k)"}) {
    EXPECT_NE(r.out.find(fragment), std::string::npos) << fragment << "\n" << r.out;
  }
}

TEST(DiffusionMiCli, SameBytesForRunsAndThreadCounts) {
  const int before = at::get_num_threads();
  std::vector<std::string> outputs;
  for (const int threads : {1, 2, 2}) {
    at::set_num_threads(threads);
    const auto r = run_infozoo({"diffusion-mi", "--json", "--device", "cpu", "--samples", "1500",
                                "--steps", "5", "--seed", "3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    outputs.push_back(r.out);
  }
  at::set_num_threads(before);
  EXPECT_EQ(outputs[0], outputs[1]);
  EXPECT_EQ(outputs[1], outputs[2]);
  const auto other = run_infozoo({"diffusion-mi", "--json", "--device", "cpu", "--samples", "1500",
                                  "--steps", "5", "--seed", "4"});
  EXPECT_NE(other.out, outputs[0]) << "--seed must change the data";
}

TEST(DiffusionMiCli, OutDrawsAPng) {
  if (!apps::plot::available()) GTEST_SKIP() << "built without PLplot";
  TempDir dir("infozoo_diffusion_mi");
  const auto png = (dir.path / "dmi.png").string();
  const auto r = run_infozoo(
      {"diffusion-mi", "--device", "cpu", "--samples", "400", "--steps", "4", "--out", png});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("written to " + png), std::string::npos) << r.out;
  std::ifstream in(png, std::ios::binary);
  char head[8] = {};
  in.read(head, 8);
  EXPECT_EQ(std::string(head, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

}  // namespace
}  // namespace infozoo::test_support
