// SPDX-License-Identifier: BSD-3-Clause
// `infozoo contrastive`: it learns, it is deterministic, two ranks (threads of this process,
// meeting through a FileStore) follow the single-process loss curve, bad options are usage
// errors, a missing rank is a bounded failure, and `infozoo all` leaves it out.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "experiments/catalog.h"
#include "output/plot.h"
#include "test_support.h"

namespace infozoo::test_support {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSteps = "40";

std::vector<double> losses_of(const CliResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return {};
  return nlohmann::json::parse(r.out)["losses"].get<std::vector<double>>();
}

TEST(ContrastiveCli, LearnsAndIsDeterministic) {
  const std::vector<std::string> args{"contrastive", "--device", "cpu",
                                      "--json",      "--steps",  kSteps};
  const auto first = run_infozoo(args);
  const auto losses = losses_of(first);
  ASSERT_EQ(losses.size(), 40u);
  for (double l : losses) ASSERT_TRUE(std::isfinite(l));
  // Starts near log(256) = 5.55 (views not yet told apart) and must have dropped well below it.
  EXPECT_GT(losses.front(), 4.0);
  EXPECT_LT(losses.back(), losses.front() - 0.5);
  const auto json = nlohmann::json::parse(first.out);
  EXPECT_NEAR(json["mi_lower_bound"].get<double>(),
              std::log(256.0) - json["final_loss"].get<double>(), 1e-12);
  EXPECT_EQ(run_infozoo(args).out, first.out);  // same seed, same run
}

TEST(ContrastiveCli, TwoRanksFollowTheSingleProcessCurve) {
  if (!INFOZOO_HAVE_C10D) GTEST_SKIP() << "built without c10d";
  const auto single = losses_of(run_infozoo(
      {"contrastive", "--device", "cpu", "--json", "--steps", kSteps, "--batch-size", "101"}));
  TempDir dir;
  const auto store = (dir.path / "store").string();
  std::vector<CliResult> ranks(2);
  std::vector<std::thread> threads;
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&, r] {
      ranks[r] = run_infozoo({"contrastive", "--device", "cpu", "--json", "--steps", kSteps,
                              "--batch-size", "101", "--world-size", "2", "--rank",
                              std::to_string(r), "--store-file", store, "--timeout", "20"});
    });
  }
  for (auto& t : threads) t.join();
  double max_diff = 0;
  for (int r = 0; r < 2; ++r) {
    const auto losses = losses_of(ranks[r]);
    ASSERT_EQ(losses.size(), single.size()) << "rank " << r;
    for (size_t i = 0; i < losses.size(); ++i) {
      max_diff = std::max(max_diff, std::abs(losses[i] - single[i]) / std::abs(single[i]));
    }
  }
  std::cout << "2 ranks vs 1 process over " << kSteps << " Adam steps: max relative loss diff "
            << max_diff << "\n";
  EXPECT_LE(max_diff, 1e-5);
}

TEST(ContrastiveCli, MissingRankFailsWithinTheTimeout) {
  if (!INFOZOO_HAVE_C10D) GTEST_SKIP() << "built without c10d";
  TempDir dir;
  const auto r =
      run_infozoo({"contrastive", "--device", "cpu", "--steps", "2", "--world-size", "2", "--rank",
                   "0", "--store-file", (dir.path / "store").string(), "--timeout", "1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("rendezvous failed: rank 0 of world_size 2 did not meet every other rank"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("within 1000 ms"), std::string::npos) << r.err;
}

TEST(ContrastiveCli, BadOptionsAreUsageErrors) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--world-size", "2"}, "--world-size 2 needs --store-file PATH or --tcp-port PORT"},
      {{"--world-size", "2", "--rank", "2", "--tcp-port", "29555"},
       "--rank must be in [0, --world-size) = [0, 2), got 2"},
      {{"--store-file", "a", "--tcp-port", "29555"},
       "give one of --store-file and --tcp-port, not both"},
      {{"--temperature", "0"}, "--temperature must be > 0, got 0"},
      {{"--lr", "-1"}, "--lr must be > 0, got -1"},
      {{"--timeout", "0"}, "--timeout must be in (0, 86400] seconds, got 0"},
      {{"--batch-size", "3", "--world-size", "2", "--store-file", "a"},
       "--batch-size must be at least 2 per rank (4), got 3"},
      {{"--world-size", "0"}, "--world-size"},
      {{"--tcp-port", "70000"}, "--tcp-port"},
  };
  for (const auto& [extra, message] : cases) {
    std::vector<std::string> args{"contrastive", "--device", "cpu"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_infozoo(args);
    EXPECT_EQ(r.exit_code, 2) << message;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
}

TEST(ContrastiveCli, WritesTheLossCurve) {
  if (!apps::plot::available()) GTEST_SKIP() << "built without PLplot";
  TempDir dir;
  const auto png = (dir.path / "curve.png").string();
  const auto r = run_infozoo({"contrastive", "--device", "cpu", "--steps", "5", "--out", png});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Loss curve written to " + png), std::string::npos) << r.out;
  std::ifstream file(png, std::ios::binary);
  char magic[4] = {};
  file.read(magic, 4);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
}

TEST(ContrastiveCli, NotPartOfAll) {
  bool found = false;
  for (const auto& e : apps::experiments()) {
    if (e.name == "contrastive") {
      found = true;
      EXPECT_FALSE(e.in_all);
    } else if (e.name == "ddpm") {
      EXPECT_FALSE(e.in_all);  // beyond reference.py's sections, as contrastive
    } else {
      EXPECT_TRUE(e.in_all) << e.name;
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace infozoo::test_support
