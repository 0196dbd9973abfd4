// SPDX-License-Identifier: BSD-3-Clause
// `infozoo infonce-bound` at tiny sizes and the train_critic it is built on: the JSON schema, the
// invariants that a wrong estimate would break (InfoNCE <= log B, log B itself, levels and batch
// sizes as asked), learning, determinism across runs and thread counts, the picture, and
// train_critic on n fixed samples of any width with its checks.
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "experiments/critic_training.h"
#include "output/plot.h"
#include "test_support.h"

namespace infozoo::test_support {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTiny{"infonce-bound",     "--json", "--device", "cpu",
                                     "--steps-per-level", "30",     "--levels", "2",
                                     "--batch-sizes",     "32,8"};

nlohmann::json run_json(const std::vector<std::string>& args) {
  const auto r = run_infozoo(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
}

TEST(InfoNCEBoundCli, JsonSchemaAndBounds) {
  const auto j = run_json(kTiny);
  std::set<std::string> keys;
  for (const auto& item : j.items()) keys.insert(item.key());
  EXPECT_EQ(keys, (std::set<std::string>{"true_mi", "batch_sizes", "infonce", "nwj", "log_batch",
                                         "steps_per_level"}));
  // --levels 2: true MI 2 and 4 nats; batch sizes in increasing order whatever the order typed.
  EXPECT_EQ(j["true_mi"].get<std::vector<double>>(), (std::vector<double>{2.0, 4.0}));
  EXPECT_EQ(j["batch_sizes"].get<std::vector<int64_t>>(), (std::vector<int64_t>{8, 32}));
  EXPECT_EQ(j["steps_per_level"].get<int64_t>(), 30);
  for (const int64_t B : {8, 32}) {
    const auto key = std::to_string(B);
    EXPECT_NEAR(j["log_batch"][key].get<double>(), std::log(static_cast<double>(B)), 1e-12);
    const auto infonce = j["infonce"][key].get<std::vector<double>>();
    const auto nwj = j["nwj"][key].get<std::vector<double>>();
    ASSERT_EQ(infonce.size(), 2u) << B;
    ASSERT_EQ(nwj.size(), 2u) << B;
    for (size_t l = 0; l < 2; ++l) {
      ASSERT_TRUE(std::isfinite(infonce[l]) && std::isfinite(nwj[l])) << B;
      // No InfoNCE estimate can pass log B (each batch's bound is log B minus a cross-entropy
      // >= 0); float32 losses leave 1e-5 of room.
      EXPECT_LE(infonce[l], std::log(static_cast<double>(B)) + 1e-5) << B << " level " << l;
    }
  }
  // It learns: an untrained critic scores about 0; after 60 steps at B = 32 the estimate at 4 nats
  // is well above it (measured 1.06; the bound there is at most log 32 = 3.47).
  EXPECT_GT(j["infonce"]["32"][1].get<double>(), 0.5);
}

TEST(InfoNCEBoundCli, SameBytesForRunsAndThreadCounts) {
  const int before = at::get_num_threads();
  std::vector<std::string> outputs;
  for (const int threads : {1, 2, 2}) {
    at::set_num_threads(threads);
    const auto r = run_infozoo(kTiny);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    outputs.push_back(r.out);
  }
  at::set_num_threads(before);
  EXPECT_EQ(outputs[1], outputs[0]) << "2 threads differ from 1";
  EXPECT_EQ(outputs[2], outputs[1]) << "two runs differ";
}

TEST(InfoNCEBoundCli, LevelsAsAListAndTextWithAPicture) {
  TempDir dir("infozoo_infonce_bound");
  const auto png = (dir.path / "stairs.png").string();
  std::vector<std::string> args{
      "infonce-bound", "--device",      "cpu", "--steps-per-level", "5", "--levels",
      "1.5,3",         "--batch-sizes", "4"};
  if (apps::plot::available()) args.insert(args.end(), {"--out", png});
  const auto r = run_infozoo(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("stepping through 1.5, 3 nats every 5 steps (10 Adam steps per critic"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("B = 4 (log B = 1.386 nats, the InfoNCE ceiling)"), std::string::npos);
  EXPECT_NE(r.out.find("    2    3.000  1.386"), std::string::npos) << r.out;
  if (apps::plot::available()) {
    std::ifstream in(png, std::ios::binary);
    char magic[8] = {};
    in.read(magic, 8);
    EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  }
  const auto j = run_json({"infonce-bound", "--json", "--device", "cpu", "--steps-per-level", "2",
                           "--levels", "3", "--batch-sizes", "2"});
  EXPECT_EQ(j["true_mi"].get<std::vector<double>>(), (std::vector<double>{2.0, 4.0, 6.0}));
}

TEST(InfoNCEBoundCli, RunsOnCuda_CUDA) {
  if (!torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  auto args = kTiny;
  args[3] = "cuda";
  const auto j = run_json(args);
  for (const int64_t B : {8, 32}) {
    for (const double v : j["infonce"][std::to_string(B)].get<std::vector<double>>()) {
      EXPECT_LE(v, std::log(static_cast<double>(B)) + 1e-5);
    }
  }
  // The same batches as on the CPU (drawn there); the critic's float32 arithmetic differs.
  const auto cpu = run_json(kTiny);
  EXPECT_NEAR(j["infonce"]["32"][1].get<double>(), cpu["infonce"]["32"][1].get<double>(), 0.1);
}

// ---- train_critic ----

// n fixed pairs (x [n, 1], y [n, 3]) with y_k = x + noise_k: minibatches drawn from them by index,
// as the estimators suite does.
struct FixedSamples {
  torch::Tensor x, y;
  explicit FixedSamples(int64_t n) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(5);
    x = at::randn({n, 1}, gen);
    y = x.repeat({1, 3}) + 0.5 * at::randn({n, 3}, gen);
  }
  apps::BatchSource source(int64_t batch, uint64_t seed) const {
    auto gen = std::make_shared<at::Generator>(at::make_generator<at::CPUGeneratorImpl>(seed));
    return [this, gen, batch](int64_t) {
      const auto index = at::randint(x.size(0), {batch}, *gen, at::kLong);
      return std::pair{x.index_select(0, index), y.index_select(0, index)};
    };
  }
};

apps::CriticTraining small_training(apps::CriticObjective objective) {
  apps::CriticTraining t;
  t.steps = 60;
  t.batch_size = 32;
  t.learning_rate = 3e-3;
  t.hidden_dim = 32;
  t.embed_dim = 8;
  t.seed = 3;
  t.record_every = 7;
  t.objective = objective;
  return t;
}

TEST(TrainCritic, FixedSamplesOfAnyWidthDeterministicAndBelowLogB) {
  const FixedSamples data(500);
  for (const auto objective : {apps::CriticObjective::kInfoNCE, apps::CriticObjective::kNWJ}) {
    const auto t = small_training(objective);
    torch::manual_seed(1);  // global state the result must not depend on
    const auto a = apps::train_critic(1, 3, t, data.source(32, 11), data.source(32, 12), 3);
    torch::manual_seed(2);
    const auto b = apps::train_critic(1, 3, t, data.source(32, 11), data.source(32, 12), 3);
    EXPECT_EQ(a.infonce, b.infonce);
    EXPECT_EQ(a.nwj, b.nwj);
    EXPECT_EQ(a.trace_nwj, b.trace_nwj);
    EXPECT_EQ(a.log_batch, std::log(32.0));
    EXPECT_EQ(a.trace_step, (std::vector<int64_t>{0, 7, 14, 21, 28, 35, 42, 49, 56}));
    ASSERT_EQ(a.trace_infonce.size(), 9u);
    EXPECT_LE(a.infonce, a.log_batch + 1e-5);
    for (const double v : a.trace_infonce) EXPECT_LE(v, a.log_batch + 1e-5);
    // I(x; y) = 0.5 log(1 + 3 / 0.25) = 1.28 nats. The critic learns something within 60 steps
    // (an untrained one scores about 0) and the held-out InfoNCE estimate stays below the truth
    // plus the spread of a 3-batch mean (InfoNCE is a lower bound in expectation).
    const double truth = 0.5 * std::log(13.0);
    EXPECT_GT(a.infonce, 0.3) << static_cast<int>(objective);
    EXPECT_LT(a.infonce, truth + 0.3) << static_cast<int>(objective);
    // Another seed, another critic.
    auto other = t;
    other.seed = 4;
    const auto c = apps::train_critic(1, 3, other, data.source(32, 11), data.source(32, 12), 3);
    EXPECT_NE(c.infonce, a.infonce);
  }
}

TEST(TrainCritic, BadTrainingAndBatchesAreNamed) {
  const FixedSamples data(100);
  const auto source = data.source(32, 1);
  auto t = small_training(apps::CriticObjective::kInfoNCE);
  const auto train = [&](const apps::CriticTraining& tr, int64_t dy, int64_t eval_batches) {
    apps::train_critic(1, dy, tr, source, source, eval_batches);
  };
  expect_error([&] { train(t, 0, 1); }, "train_critic: dx and dy must be >= 1, got dx=1, dy=0");
  expect_error([&] { train(t, 3, 0); }, "train_critic: eval_batches must be >= 1, got 0");
  auto bad = t;
  bad.steps = 0;
  expect_error([&] { train(bad, 3, 1); }, "train_critic: steps must be >= 1, got 0");
  bad = t;
  bad.batch_size = 1;
  expect_error([&] { train(bad, 3, 1); },
               "batch_size must be >= 2 (a positive and a negative), got 1");
  bad = t;
  bad.learning_rate = -1;
  expect_error([&] { train(bad, 3, 1); }, "learning_rate must be > 0 and finite, got -1");
  bad = t;
  bad.record_every = -2;
  expect_error([&] { train(bad, 3, 1); }, "record_every must be >= 0, got -2");
  bad = t;
  bad.batch_size = 16;  // the source draws 32
  expect_error([&] { train(bad, 3, 1); },
               "the training batch of step 0 must be x [B, dx] = [16, 1] and y [B, dy] = [16, 3], "
               "got x [32, 1] and y [32, 3]");
  expect_error([&] { train(t, 2, 1); }, "y [B, dy] = [32, 2], got x [32, 1] and y [32, 3]");
  const apps::BatchSource doubles = [&](int64_t s) {
    const auto [x, y] = source(s);
    return std::pair{x.to(torch::kDouble), y};
  };
  expect_error([&] { apps::train_critic(1, 3, t, doubles, doubles, 1); },
               "the training batch must be float32, got Double and Float");
}

}  // namespace
}  // namespace infozoo::test_support
