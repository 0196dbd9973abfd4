// SPDX-License-Identifier: BSD-3-Clause
// `infozoo estimators` on a tiny run (2 tasks, n = 500, 3 seeds, 20 critic steps): the JSON
// schema of issue 14, the true values against their closed forms computed here, KSG on the
// bivariate normal within a statistical tolerance of the truth, determinism, the text's
// structure and the picture. The bad options are rows of tests/bad_input_cli_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "experiments/estimator_runs.h"
#include "infozoo/datasets/mi_tasks.h"
#include "output/plot.h"
#include "test_support.h"

namespace infozoo::test_support {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTiny = {
    "estimators", "--tasks", "normal-1x1,2-pair-2x2", "--samples", "500",
    "--seeds",    "3",       "--critic-steps",        "20",        "--device",
    "cpu"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

const CliResult& tiny_json() {
  static const CliResult r = run_infozoo(with(kTiny, {"--json"}));
  return r;
}

TEST(EstimatorsCli, JsonFollowsTheIssuesSchema) {
  const auto& r = tiny_json();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("n").get<int64_t>(), 500);
  EXPECT_EQ(j.at("seeds").get<int64_t>(), 3);
  EXPECT_EQ(j.at("critic_seeds").get<int64_t>(), 3);  // the default 3, here all the seeds
  EXPECT_EQ(j.at("critic_steps").get<int64_t>(), 20);
  const auto& tasks = j.at("tasks");
  ASSERT_EQ(tasks.size(), 2u);
  const std::vector<std::vector<std::string>> keys = {
      {"histogram", "infonce", "ksg1_k10", "ksg1_k3", "ksg2_k10", "ksg2_k3", "nwj", "sklearn"},
      {"infonce", "ksg1_k10", "ksg1_k3", "ksg2_k10", "ksg2_k3", "nwj"}};  // no 1x1-only ones
  for (size_t i = 0; i < tasks.size(); ++i) {
    const auto& t = tasks[i];
    EXPECT_EQ(t.size(), 5u) << t.dump();
    EXPECT_TRUE(t.at("name").is_string());
    EXPECT_TRUE(t.at("true_mi").is_number_float());
    std::vector<std::string> got;
    for (const auto& [key, estimate] : t.at("estimates").items()) {
      got.push_back(key);
      EXPECT_EQ(estimate.size(), 2u) << key;
      EXPECT_TRUE(estimate.at("mean").is_number()) << key;
      EXPECT_TRUE(estimate.at("std").is_number()) << key;
      EXPECT_GE(estimate.at("std").get<double>(), 0.0) << key;
    }
    EXPECT_EQ(got, keys[i]) << t.at("name");
  }
  EXPECT_EQ(tasks[0].at("name"), "normal-1x1");
  EXPECT_EQ(tasks[0].at("dim_x"), 1);
  EXPECT_EQ(tasks[1].at("name"), "2-pair-2x2");
  EXPECT_EQ(tasks[1].at("dim_y"), 2);
}

// The formulas, written out here: -0.5 log(1 - rho^2), once for rho 0.75 and twice for 0.8.
TEST(EstimatorsCli, TrueValuesAreTheClosedForms) {
  const auto j = nlohmann::json::parse(tiny_json().out);
  EXPECT_NEAR(j["tasks"][0]["true_mi"].get<double>(), -0.5 * std::log(1 - 0.75 * 0.75), 1e-15);
  EXPECT_NEAR(j["tasks"][1]["true_mi"].get<double>(), -std::log(1 - 0.8 * 0.8), 1e-15);
}

// KSG's spread at n = 500 on this task is about 0.035 nats per seed (Kraskov et al. 2004, and
// the suite's own std), so the mean of 3 seeds has a standard error near 0.02 and KSG's own bias
// is below 0.01 here: 0.1 nats is 4 standard errors plus that bias. A KSG that counted
// neighbours wrongly, or a task whose samples were not the stated normal, lands far outside.
TEST(EstimatorsCli, KsgOnTheBivariateNormalIsNearTheTruth) {
  const auto j = nlohmann::json::parse(tiny_json().out);
  const double truth = j["tasks"][0]["true_mi"].get<double>();
  for (const char* key : {"ksg1_k3", "ksg1_k10", "ksg2_k3", "ksg2_k10"}) {
    const auto& e = j["tasks"][0]["estimates"][key];
    EXPECT_NEAR(e["mean"].get<double>(), truth, 0.1) << key;
    EXPECT_LT(e["std"].get<double>(), 0.1) << key;
  }
  // The 2x2 task's MI (1.02 nats) is larger; KSG's bias there is still well under 0.2 nats.
  const double truth2 = j["tasks"][1]["true_mi"].get<double>();
  EXPECT_NEAR(j["tasks"][1]["estimates"]["ksg1_k3"]["mean"].get<double>(), truth2, 0.2);
}

TEST(EstimatorsCli, SameBytesOnEveryRun) {
  const auto again = run_infozoo(with(kTiny, {"--json"}));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, tiny_json().out);
}

// The suite's jobs on 1 and on 3 workers (more than this machine's cores: jobs finish in another
// order) give the same bits: each value is computed on one thread from its task and seed alone.
TEST(EstimatorsCli, SameValuesForAnyNumberOfWorkers) {
  const std::vector<const datasets::MiTask*> tasks = {&datasets::find_mi_task("normal-1x1"),
                                                      &datasets::find_mi_task("dense-3x3")};
  apps::SuiteSettings settings;
  settings.samples = 300;
  settings.seeds = 3;
  settings.critic_seeds = 2;
  settings.critic_steps = 5;
  std::vector<std::vector<apps::TaskRun>> results;
  for (const int64_t workers : {1, 3}) {
    settings.workers = workers;
    results.push_back(apps::run_suite(tasks, settings));
  }
  ASSERT_EQ(results[0].size(), 2u);
  for (size_t t = 0; t < 2; ++t) {
    ASSERT_EQ(results[0][t].estimates.size(), results[1][t].estimates.size());
    for (size_t e = 0; e < results[0][t].estimates.size(); ++e) {
      const auto& a = results[0][t].estimates[e].values;
      const auto& b = results[1][t].estimates[e].values;
      ASSERT_EQ(a.size(), b.size());
      for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(ulp_distance(a[i], b[i]), 0)
            << apps::estimator_key(results[0][t].estimates[e].kind) << " seed " << i;
      }
    }
  }
}

TEST(EstimatorsCli, TextHasATablePerTaskAndConclusions) {
  const auto r = run_infozoo(with(kTiny, {"--critic-seeds", "0"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* fragment :
       {"normal-1x1 (bivariate normal, rho 0.75; 1x1): true MI 0.4133 nats",
        "2-pair-2x2 (Gaussian 2x2, 2 pairs (X_i, Y_i) correlated at 0.8, the rest independent; "
        "2x2): true MI 1.0217 nats",
        "estimator", "bias", "Conclusions (computed from the numbers above):", "Ceilings:",
        "Neural critics: not run (--critic-seeds 0)."}) {
    EXPECT_NE(r.out.find(fragment), std::string::npos) << fragment << "\n" << r.out;
  }
  EXPECT_EQ(r.out.find("InfoNCE critic"), std::string::npos) << "critics were asked off";
}

TEST(EstimatorsCli, DrawsEstimateVersusTruth) {
  if (!apps::plot::available()) GTEST_SKIP() << "built without PLplot";
  TempDir dir("infozoo_estimators_png");
  const auto png = (dir.path / "estimators.png").string();
  const auto r = run_infozoo(with(kTiny, {"--critic-seeds", "0", "--out", png}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(png, std::ios::binary);
  char magic[8] = {};
  in.read(magic, 8);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  EXPECT_GT(fs::file_size(png), 1000u);
}

}  // namespace
}  // namespace infozoo::test_support
