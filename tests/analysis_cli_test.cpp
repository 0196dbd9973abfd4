// SPDX-License-Identifier: BSD-3-Clause
// The closed-form subcommands (info-gain, temperature, softmax, jacobian, diffusion, calculus):
// their text against the seed's own print statements run by Python (tests/generators/seed_text.py),
// numpy's array printing, the diffusion options' usage errors, and calculus's JSON.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "output/numpy_format.h"
#include "test_support.h"

namespace infozoo::test_support {
namespace {

size_t line_count(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }

std::vector<std::string> seed_text_cases() {
  std::vector<std::string> cases;
  for (const auto& name : expected_files("seed_text")) {
    if (name.find("__") != std::string::npos) cases.push_back(name);
  }
  return cases;
}

class SeedText : public ::testing::TestWithParam<std::string> {};

TEST_P(SeedText, TextIsWhatTheSeedPrints) {
  const auto expected = load_expected("seed_text/" + GetParam());
  std::vector<std::string> args{expected.at("section").get<std::string>()};
  for (const auto& arg : expected.at("args")) args.push_back(arg.get<std::string>());
  args.insert(args.end(), {"--device", "cpu"});
  TempDir cwd("infozoo_seed_text");  // where a default --out picture lands
  const auto r = run_infozoo_in(cwd.path, args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The seed's lines come first, exactly; infozoo's reading of them (units, what the numbers
  // mean) follows after a blank line.
  const auto seed = expected.at("text").get<std::string>();
  ASSERT_GE(r.out.size(), seed.size()) << r.out;
  EXPECT_EQ(r.out.substr(0, seed.size()), seed);
  const auto reading = r.out.substr(seed.size());
  EXPECT_EQ(reading.substr(0, 1), "\n") << "no blank line between the seed's lines and the reading";
  EXPECT_GT(line_count(reading), 1u) << "no reading after the seed's lines";
}

std::string case_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(0, info.param.size() - 5);  // drop ".json"
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Seed, SeedText, ::testing::ValuesIn(seed_text_cases()), case_name);

double decode(const nlohmann::json& v) {
  return v.is_string() ? std::stod(v.get<std::string>()) : v.get<double>();  // "nan", "-inf"
}

TEST(NumpyFormat, ArrayStrMatchesNumpy) {
  const auto cases = load_expected("seed_text/numpy_str.json");
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    const auto& values = c.at("values");
    torch::Tensor a;
    if (!values.empty() && values[0].is_array()) {
      std::vector<double> flat;
      for (const auto& row : values) {
        for (const auto& v : row) flat.push_back(decode(v));
      }
      a = torch::tensor(flat, torch::kDouble).reshape({static_cast<int64_t>(values.size()), -1});
    } else {
      std::vector<double> flat;
      for (const auto& v : values) flat.push_back(decode(v));
      a = torch::tensor(flat, torch::kDouble);
    }
    EXPECT_EQ(apps::numpy_array_str(a), c.at("str").get<std::string>()) << c.at("values").dump();
  }
}

TEST(NumpyFormat, RoundHalvesToEvenLikeRint) {
  const auto r = apps::numpy_round(torch::tensor({0.5, 1.5, 2.5, -2.5}, torch::kDouble), 0);
  EXPECT_TRUE(torch::equal(r, torch::tensor({0.0, 2.0, 2.0, -2.0}, torch::kDouble)));
  const auto r4 = apps::numpy_round(torch::tensor({0.23347959715646865}, torch::kDouble), 4);
  EXPECT_EQ(r4[0].item<double>(), 0.2335);
}

struct BadOption {
  std::vector<std::string> args;
  std::string message;
};

TEST(DiffusionCli, BadOptionsExitTwoNamingTheOption) {
  const std::vector<BadOption> cases = {
      {{"--steps", "1"}, "--steps must be >= 2, got 1"},
      {{"--steps", "-5"}, "--steps must be >= 2, got -5"},
      {{"--steps", "abc"}, "--steps"},
      {{"--beta-start", "0"}, "--beta-start must be in (0, 1), got 0"},
      {{"--beta-start", "-0.1"}, "--beta-start must be in (0, 1), got -0.1"},
      {{"--beta-start", "nan"}, "--beta-start"},
      {{"--beta-end", "1"}, "--beta-end must be in (0, 1), got 1"},
      {{"--beta-end", "1.5"}, "--beta-end must be in (0, 1), got 1.5"},
      {{"--beta-start", "0.02", "--beta-end", "0.01"},
       "--beta-start must be less than --beta-end, got --beta-start 0.02 and --beta-end 0.01"},
      {{"--beta-start", "0.02", "--beta-end", "0.02"}, "--beta-start must be less than --beta-end"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args{"diffusion"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_infozoo(args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(DiffusionCli, TwoStepsIsTheSmallestSchedule) {
  const auto r = run_infozoo({"diffusion", "--steps", "2", "--json", "--device", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("t"), nlohmann::json({0, 0, 1, 1}));
  EXPECT_EQ(j.at("peak_loss_t"), 0);
}

TEST(DiffusionCli, JsonKeysAreTheReferencesThenTheReading) {
  TempDir cwd("infozoo_diffusion");
  const auto r = run_infozoo_in(cwd.path, {"diffusion", "--json", "--device", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"half_bound_t", "mi_upper", "peak_loss_t",
                                      "share_lost_in_first_tenth", "snr", "t", "tenth_bound_t"}));
  // The reading against the seed's formulas, computed here: the first steps where
  // 0.5 log(1 + SNR) is below half and a tenth of its t = 0 value, and the share lost by t = 100.
  const auto betas = torch::linspace(1e-4, 0.02, 1000);
  const auto alpha_bar = torch::cumprod(1 - betas, 0);
  const auto bound = (0.5 * torch::log(1 + alpha_bar / (1 - alpha_bar))).to(torch::kDouble);
  const double first = bound[0].item<double>();
  const auto first_below = [&](double fraction) {
    return (bound < fraction * first).to(torch::kLong).argmax().item<int64_t>();
  };
  EXPECT_EQ(j.at("half_bound_t").get<int64_t>(), first_below(0.5));
  EXPECT_EQ(j.at("tenth_bound_t").get<int64_t>(), first_below(0.1));
  const double share = ((first - bound[100]) / (first - bound[999])).item<double>();
  EXPECT_NEAR(j.at("share_lost_in_first_tenth").get<double>(), share, 1e-6);
}

TEST(SoftmaxCli, NaiveNanIsJsonNull) {
  const auto r = run_infozoo({"softmax", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const auto& v : j.at("naive")) EXPECT_TRUE(v.is_null()) << r.out;
}

TEST(CalculusCli, TableRowsAgreeWithAutogradAndInequalitiesHold) {
  const auto r = run_infozoo({"calculus", "--json", "--device", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("trials"), 100);
  const auto& table = j.at("matrix_calculus");
  ASSERT_EQ(table.size(), 6u) << r.out;
  for (const auto& key : {"linear_dx", "linear_dA", "quadratic_form", "trace", "least_squares",
                          "softmax_cross_entropy"}) {
    const double err = table.at(key).get<double>();
    std::cout << "calculus " << key << ": max |closed form - autograd| = " << err << "\n";
    EXPECT_LT(err, 1e-12) << key;
  }
  const auto& checks = j.at("inequalities");
  ASSERT_EQ(checks.size(), 3u) << r.out;
  for (const auto& key : {"jensen", "cauchy_schwarz", "kl_nonnegative"}) {
    const auto& c = checks.at(key);
    EXPECT_EQ(c.at("max_violation").get<double>(), 0.0) << key;
    EXPECT_GT(c.at("min_slack").get<double>(), 0.0) << key;
    EXPECT_LT(c.at("equality_error").get<double>(), 1e-12) << key;
  }
}

TEST(CalculusCli, SeedMakesItDeterministic) {
  const auto a = run_infozoo({"calculus", "--json", "--seed", "7", "--device", "cpu"});
  const auto b = run_infozoo({"calculus", "--json", "--seed", "7", "--device", "cpu"});
  const auto c = run_infozoo({"calculus", "--json", "--seed", "8", "--device", "cpu"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(nlohmann::json::parse(a.out).at("inequalities"),
            nlohmann::json::parse(c.out).at("inequalities"));
}

TEST(CalculusCli, TextHasOneLinePerRow) {
  const auto r = run_infozoo({"calculus", "--device", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(line_count(r.out), 1u + 6u + 2u + 3u + 1u) << r.out;
  EXPECT_NE(r.out.find("Every closed form agrees with autograd"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("d/dX tr(AXB)      = A^T B^T"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Cauchy-Schwarz"), std::string::npos) << r.out;
}

TEST(CalculusCli, RunsOnCuda_CUDA) {
  if (!torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  const auto r = run_infozoo({"calculus", "--json", "--device", "cuda"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const auto& item : j.at("matrix_calculus").items()) {
    EXPECT_LT(item.value().get<double>(), 1e-12) << item.key();
  }
}

TEST(DiffusionCli, CudaMatchesCpu_CUDA) {
  if (!torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  const auto cpu = run_infozoo({"diffusion", "--json", "--device", "cpu"});
  const auto cuda = run_infozoo({"diffusion", "--json", "--device", "cuda"});
  ASSERT_EQ(cuda.exit_code, 0) << cuda.err;
  expect_json_near(nlohmann::json::parse(cpu.out), nlohmann::json::parse(cuda.out), {1e-5, 0.0});
}

// mi-hist's conclusion is drawn from its numbers: the claim holds at the seed's defaults, and the
// text says it does not when the estimate cannot see the dependence.
TEST(MiHistCli, ConclusionFollowsTheNumbers) {
  const auto json = run_infozoo({"mi-hist", "--json", "--device", "cpu"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  const double floor = j.at("shuffled_mi_mean").get<double>();
  // The plug-in estimate's bias on independent data is about (B - 1)^2 / (2n) nats (Miller-Madow)
  // when every cell is reachable; x's sparse tail bins make it somewhat smaller.
  const double bias = 29.0 * 29.0 / (2 * 5000.0);
  EXPECT_GT(floor, 0.6 * bias);
  EXPECT_LT(floor, 1.1 * bias);
  EXPECT_GE(j.at("shuffled_mi_max").get<double>(), floor);
  EXPECT_GT(j.at("mi_nonlinear").get<double>(), 5 * j.at("shuffled_mi_max").get<double>());
  const TempDir dir("infozoo_mi_hist");
  const auto png = (dir.path / "mi-hist.png").string();
  const auto text = run_infozoo({"mi-hist", "--device", "cpu", "--out", png});
  EXPECT_NE(text.out.find("MI captures the dependence Pearson misses"), std::string::npos)
      << text.out;

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--bins", "1"}, std::vector<std::string>{"--samples", "40"}}) {
    std::vector<std::string> full{"mi-hist", "--device", "cpu"};
    full.insert(full.end(), args.begin(), args.end());
    auto with_json = full;
    with_json.push_back("--json");
    const auto r = run_infozoo(with_json);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto k = nlohmann::json::parse(r.out);
    // The floor swallows the nonlinear relation: with one bin MI is 0 for any data; with 40
    // points the 900 cells are nearly all empty and any pairing looks informative.
    EXPECT_LE(k.at("mi_nonlinear").get<double>(), k.at("shuffled_mi_max").get<double>());
    full.insert(full.end(), {"--out", png});
    const auto t = run_infozoo(full);
    EXPECT_EQ(t.out.find("captures the dependence"), std::string::npos) << t.out;
    EXPECT_NE(t.out.find("not"), std::string::npos) << t.out;
  }
}

// posenc's relative-position claims, measured on the seed's table: each below float64 rounding.
TEST(PosencCli, RelativePositionIsARotationAndExtrapolates) {
  const auto r = run_infozoo({"posenc", "--json", "--device", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"rotation_max_error", "dot_product_max_spread",
                          "dot_product_vs_closed_form", "extrapolation_max_error"}) {
    const double error = j.at(key).get<double>();
    EXPECT_GE(error, 0) << key;
    EXPECT_LT(error, 1e-10) << key;
  }
  EXPECT_EQ(j.at("extension_prefix_max_difference").get<double>(), 0.0);
}

// infonce's gradient shares: between the even spread and 1, ordered by tau, near even at tau = 1
// where similarities of random unit vectors in 128 dims are ~0.09 and exp(s / tau) hardly varies.
TEST(InfonceCli, HardNegativeSharesFollowTheTemperature) {
  const auto r = run_infozoo({"infonce", "--json", "--device", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto shares = nlohmann::json::parse(r.out).at("hard_negative_share");
  const double even1 = 3.0 / 256, even10 = 26.0 / 256;  // ceil(1% and 10% of K = 256)
  double previous = 2;
  for (const char* tau : {"0.01", "0.07", "0.5", "1.0"}) {
    const double top1 = shares.at(tau).at("top_1_percent"),
                 top10 = shares.at(tau).at("top_10_percent");
    EXPECT_GE(top1, even1) << tau;
    EXPECT_GE(top10, top1) << tau;
    EXPECT_LE(top10, 1.0 + 1e-9) << tau;
    EXPECT_LT(top10, previous) << tau;
    previous = top10;
  }
  EXPECT_GT(shares.at("0.01").at("top_1_percent").get<double>(), 0.5);
  EXPECT_LT(shares.at("1.0").at("top_10_percent").get<double>(), 1.5 * even10);
}

// norms: BatchNorm1d normalises the columns, LayerNorm the rows, from LibTorch's own outputs; the
// normalised axis is within float32 rounding and eps = 1e-5 (var v / (v + eps)) of mean 0, var 1.
TEST(NormsCli, EachNormalisesItsOwnAxis) {
  const auto r = run_infozoo({"norms", "--json", "--device", "cpu", "--batch", "64"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto check = [](const nlohmann::json& axis, bool normalised, const char* what) {
    const double mean = axis.at("max_abs_mean"), var = axis.at("max_abs_var_minus_1");
    if (normalised) {
      EXPECT_LT(mean, 1e-5) << what;
      EXPECT_LT(var, 1e-4) << what;
    } else {
      EXPECT_GT(std::max(mean, var), 0.1) << what;
    }
  };
  check(j.at("batch_norm").at("per_feature"), true, "BatchNorm per feature");
  check(j.at("batch_norm").at("per_sample"), false, "BatchNorm per sample");
  check(j.at("layer_norm").at("per_sample"), true, "LayerNorm per sample");
  check(j.at("layer_norm").at("per_feature"), false, "LayerNorm per feature");
  EXPECT_GT(j.at("batch_norm").at("other_sample_effect").get<double>(), 1e-3);
  EXPECT_EQ(j.at("layer_norm").at("other_sample_effect").get<double>(), 0.0);
}

// distill: the soft labels' entropy (nats) rises with tau toward log C and stays below it; the
// teacher, which saw ten times the rows, beats the student on hard labels; each gain is the
// paired difference of the accuracies; at tau = 8 the soft labels help on every seed, the
// claim of Hinton et al. (2015) that a small model learns more from them than from the labels.
TEST(DistillCli, SoftLabelsCarryMoreAsTauRisesAndHelpTheStudent) {
  TempDir cwd("infozoo_distill");
  const auto r =
      run_infozoo_in(cwd.path, {"distill", "--json", "--device", "cpu", "--tau", "1,8,100"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const double uniform = std::log(5.0);
  EXPECT_NEAR(j.at("uniform_entropy").get<double>(), uniform, 1e-12);
  const auto hard = j.at("hard_label_accuracy").at("per_seed");
  const double teacher = j.at("teacher_accuracy").at("mean"),
               hard_mean = j.at("hard_label_accuracy").at("mean");
  EXPECT_GT(teacher, hard_mean + 0.1);
  const auto& sweep = j.at("sweep");
  ASSERT_EQ(sweep.size(), 3u);
  double previous = 0;
  for (const auto& row : sweep) {
    const double entropy = row.at("soft_label_entropy").at("mean");
    EXPECT_GT(entropy, previous) << row.at("tau");
    EXPECT_LT(entropy, uniform) << row.at("tau");
    previous = entropy;
    const auto accuracy = row.at("student_accuracy").at("per_seed"),
               gain = row.at("gain_over_hard_labels").at("per_seed");
    ASSERT_EQ(accuracy.size(), hard.size());
    for (size_t s = 0; s < hard.size(); ++s) {
      EXPECT_NEAR(gain[s].get<double>(), accuracy[s].get<double>() - hard[s].get<double>(), 1e-12);
    }
  }
  // tau = 100: softmax(v / tau) ~ (1 + v / tau) / C, so the entropy is within a few % of log C.
  EXPECT_GT(previous, 0.95 * uniform);
  for (const auto& gain : sweep[1].at("gain_over_hard_labels").at("per_seed"))
    EXPECT_GT(gain.get<double>(), 0.0);
}

// distill on a GPU: the same experiment, one seed; the teacher's soft labels stay below log C and
// rise with tau, and the teacher beats the student trained on a tenth of its rows.
TEST(DistillCli, RunsOnCuda_CUDA) {
  if (!torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  TempDir cwd("infozoo_distill_cuda");
  const auto r = run_infozoo_in(
      cwd.path, {"distill", "--json", "--device", "cuda", "--seeds", "1", "--tau", "1,8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& sweep = j.at("sweep");
  const double low = sweep[0].at("soft_label_entropy").at("mean"),
               high = sweep[1].at("soft_label_entropy").at("mean");
  EXPECT_LT(low, high);
  EXPECT_LT(high, std::log(5.0));
  EXPECT_GT(j.at("teacher_accuracy").at("mean").get<double>(),
            j.at("hard_label_accuracy").at("mean").get<double>());
}

}  // namespace
}  // namespace infozoo::test_support
