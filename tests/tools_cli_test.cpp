// SPDX-License-Identifier: BSD-3-Clause
// `infozoo rank` and `infozoo select` on files: the scores equal scikit-learn's on the same
// numbers (tests/generators/tools_reference.py), in the JSON schema the issue gives, from CSV and
// .npy alike; selection judged by the true roles of make_classification's columns.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "output/plot.h"
#include "test_support.h"

namespace infozoo::test_support {
namespace {

const std::string kTools = std::string(INFOZOO_EXPECTED_DIR) + "/tools/";

nlohmann::json run_json(std::vector<std::string> args) {
  args.push_back("--json");
  const auto r = run_infozoo(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json{};
}

// scikit-learn's scores for the same numbers, bit for bit: the reader parses each decimal to the
// nearest double (as Python's float() does) and the estimator is scikit-learn's step for step.
// The constant column is the one documented exception: infozoo gives 0 where scikit-learn
// estimates its 1e-10 jitter alone (mutual_info.h). The text column's MI is a contingency-table
// sum of logarithms: numpy 1.24 takes them with its own SIMD log (AVX-512 SVML on this machine),
// which may differ from glibc's log by an ulp, so that one is compared within 4 ulps.
TEST(Rank, CsvScoresAreScikitLearnsInTheIssuesSchema) {
  const auto expected = load_expected("tools/tools.json");
  for (const auto& c : expected.at("cases")) {
    const auto target = c.at("target").get<std::string>();
    const auto json = run_json({"rank", kTools + "mixed.csv", "--target", target});
    ASSERT_FALSE(json.is_null());
    EXPECT_EQ(json.at("target"), target);
    EXPECT_EQ(json.at("task"), c.at("task")) << "auto task for " << target;
    EXPECT_EQ(json.size(), 4u) << "keys: target, task, scores, ranking";
    const auto& scores = json.at("scores");
    ASSERT_EQ(scores.size(), c.at("features").size());
    for (const auto& [name, value] : c.at("scores").items()) {
      const double want = name == "constant" ? 0.0 : value.get<double>();
      const double got = scores.at(name).get<double>();
      if (name == "colour") {
        EXPECT_LE(ulp_distance(got, want), 4) << target << " / " << name << ": " << got;
      } else {
        EXPECT_EQ(got, want) << target << " / " << name;
      }
    }
    // Ranking: best first, every feature once.
    const auto ranking = json.at("ranking").get<std::vector<std::string>>();
    ASSERT_EQ(ranking.size(), scores.size());
    for (size_t i = 1; i < ranking.size(); ++i) {
      EXPECT_GE(scores.at(ranking[i - 1]).get<double>(), scores.at(ranking[i]).get<double>());
    }
  }
}

TEST(Rank, TextSaysUnitsTaskCategoriesAndTheConstantColumn) {
  const auto r = run_infozoo({"rank", kTools + "mixed.csv", "--target", "label"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("nats"), std::string::npos);
  EXPECT_NE(r.out.find("class labels (classification)"), std::string::npos);
  EXPECT_NE(r.out.find("'colour' coded as categories"), std::string::npos);
  EXPECT_NE(r.out.find("constant column: carries no information"), std::string::npos);
  EXPECT_EQ(r.out.find("-0.0000"), std::string::npos);
}

TEST(Rank, NpyGivesTheCsvsScores) {
  const auto expected = load_expected("tools/tools.json").at("roles");
  std::string columns;
  for (const auto& c : expected.at("columns"))
    columns += (columns.empty() ? "" : ",") + c.get<std::string>();
  const auto from_npy = run_json({"rank", kTools + expected.at("npy").get<std::string>(),
                                  "--target", "y", "--columns", columns});
  const auto from_csv =
      run_json({"rank", kTools + expected.at("file").get<std::string>(), "--target", "y"});
  ASSERT_FALSE(from_npy.is_null());
  EXPECT_EQ(from_npy.at("task"), "classif");
  for (const auto& [name, value] : expected.at("scores").items()) {
    EXPECT_EQ(from_npy.at("scores").at(name).get<double>(), value.get<double>()) << name;
    EXPECT_EQ(from_csv.at("scores").at(name).get<double>(), value.get<double>()) << name;
  }
}

// The truth: on make_classification's columns (3 informative, 2 redundant, 5 useless, shuffled),
// the criteria that weigh redundancy through joint or conditional MI pick no noise among 3.
TEST(Select, JointCriteriaPickNoUselessColumn) {
  const auto expected = load_expected("tools/tools.json").at("roles");
  const auto roles = expected.at("roles");
  for (const std::string method : {"jmi", "cmim", "mim"}) {
    for (const std::string estimation : {"knn", "binned"}) {
      const auto json = run_json({"select", kTools + "roles.csv", "--target", "y", "--method",
                                  method, "-k", "3", "--estimation", estimation});
      ASSERT_FALSE(json.is_null());
      EXPECT_EQ(json.at("method"), method);
      EXPECT_EQ(json.size(), 4u) << "keys: target, method, selected, scores";
      const auto selected = json.at("selected").get<std::vector<std::string>>();
      ASSERT_EQ(selected.size(), 3u);
      EXPECT_EQ(std::set<std::string>(selected.begin(), selected.end()).size(), 3u);
      for (const auto& name : selected) {
        EXPECT_NE(roles.at(name), "useless") << method << " " << estimation << " picked " << name;
      }
      EXPECT_EQ(json.at("scores").size(), 3u);
    }
  }
  // The first pick of any criterion is the column with the most MI (scikit-learn's scores).
  const auto json =
      run_json({"select", kTools + "roles.csv", "--target", "y", "--method", "mrmr", "-k", "2"});
  std::string best;
  for (const auto& [name, value] : expected.at("scores").items()) {
    if (best.empty() || value.get<double>() > expected.at("scores").at(best).get<double>())
      best = name;
  }
  EXPECT_EQ(json.at("selected").at(0), best);
  EXPECT_EQ(json.at("scores").at(0).get<double>(), expected.at("scores").at(best).get<double>());
}

TEST(Select, DrawsABarChart) {
  if (!apps::plot::available()) GTEST_SKIP() << "built without PLplot";
  const TempDir dir("infozoo_tools");
  const auto png = (dir.path / "select.png").string();
  const auto r = run_infozoo({"select", kTools + "roles.csv", "--target", "y", "--method", "jmi",
                              "-k", "3", "--out", png});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(std::filesystem::file_size(png), 5000u);
}

}  // namespace
}  // namespace infozoo::test_support
