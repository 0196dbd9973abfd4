// SPDX-License-Identifier: BSD-3-Clause
// The distributed InfoNCE against the single-process info_nce over the concatenated batch: two
// and three real processes on 127.0.0.1 (this test binary re-executed as workers, one per rank,
// meeting through a FileStore in a temporary folder or a TCPStore), the same loss and the same
// gradients to float32 precision; ranks that never arrive, die or send bad input make the others
// fail with a clear error within a bounded timeout.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "infozoo/losses/info_nce.h"

#if INFOZOO_HAVE_C10D
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "infozoo/distributed/process_group.h"
#include "infozoo/losses/distributed_info_nce.h"

#include "test_support.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using infozoo::distributed::RendezvousOptions;
using infozoo::losses::DistributedInfoNCEOptions;
using infozoo::test_support::TempDir;

constexpr int64_t kFeatures = 8;  // D of the raw embeddings
constexpr int64_t kInputs = 5;    // input size of the small encoder
constexpr uint64_t kSeed = 1234;
// How long a worker waits for its peers: generous where all ranks start (process start-up on a
// busy machine can differ by seconds), short where one never comes. The parent kills workers
// still running after kHang.
constexpr int kRendezvousMs = 10000;
constexpr int kNeverArrivesMs = 1500;
constexpr auto kHang = std::chrono::seconds(20);

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : fallback;
}

std::vector<int64_t> parse_sizes(const std::string& text) {
  std::vector<int64_t> sizes;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    sizes.push_back(std::stoll(item));
  }
  return sizes;
}

int64_t sum(const std::vector<int64_t>& v) {
  int64_t s = 0;
  for (auto x : v) s += x;
  return s;
}

// The global batch, the same in every process for the same seed.
struct Batch {
  torch::Tensor query, positive;  // (N, kFeatures)
  torch::Tensor view1, view2;     // (N, kInputs), the encoder's inputs
};

Batch make_batch(int64_t n) {
  torch::manual_seed(kSeed);
  Batch b;
  b.query = torch::randn({n, kFeatures});
  b.positive = b.query + 0.5 * torch::randn({n, kFeatures});
  b.view1 = torch::randn({n, kInputs});
  b.view2 = b.view1 + 0.3 * torch::randn({n, kInputs});
  return b;
}

torch::nn::Linear make_encoder() {
  torch::manual_seed(kSeed + 1);
  return torch::nn::Linear(kInputs, kFeatures);
}

DistributedInfoNCEOptions embedding_options(c10::intrusive_ptr<c10d::ProcessGroup> group) {
  return DistributedInfoNCEOptions(std::move(group)).temperature(0.1).normalize(true);
}

DistributedInfoNCEOptions encoder_options(c10::intrusive_ptr<c10d::ProcessGroup> group) {
  return DistributedInfoNCEOptions(std::move(group)).temperature(0.5).normalize(false);
}

// ---------------------------------------------------------------------------------------------
// Worker side: one rank, driven by INFOZOO_DIST_* variables, writing rank<r>.pt or rank<r>.err.

void run_worker(const std::string& mode, int64_t rank, int64_t world, const fs::path& out) {
  RendezvousOptions rv(world, rank);
  rv.timeout(std::chrono::milliseconds(std::stoll(env_or("INFOZOO_DIST_TIMEOUT_MS", "10000"))));
  const auto port = std::stoll(env_or("INFOZOO_DIST_PORT", "0"));
  if (port != 0) {
    rv.tcp_port(port);
  } else {
    rv.file_store((out / "store").string());
  }
  auto group = infozoo::distributed::init_gloo_process_group(rv);

  if (mode == "dies" && rank == 1) {
    std::_Exit(3);  // gone right after the rendezvous, before the first collective
  }
  const auto sizes = parse_sizes(env_or("INFOZOO_DIST_SIZES", "5,5"));
  int64_t offset = 0;
  for (int64_t r = 0; r < rank; ++r) offset += sizes[r];
  const auto batch = make_batch(sum(sizes));
  auto mine = [&](const torch::Tensor& t) { return t.narrow(0, offset, sizes[rank]).clone(); };

  auto query = mine(batch.query).requires_grad_();
  auto positive = mine(batch.positive).requires_grad_();
  if (mode == "mismatch" && rank == 1) {
    query = query.narrow(1, 0, 6).detach().requires_grad_();  // D = 6 where the others have 8
    positive = positive.narrow(1, 0, 6).detach().requires_grad_();
  }
  if (mode == "bad_input" && rank == 1) {
    query = query.unsqueeze(0);  // [1, B, D]
  }
  auto loss = infozoo::losses::distributed_info_nce(query, positive, embedding_options(group));
  loss.backward();

  auto encoder = make_encoder();
  auto encoder_loss = infozoo::losses::distributed_info_nce(
      encoder(mine(batch.view1)), encoder(mine(batch.view2)), encoder_options(group));
  encoder_loss.backward();
  infozoo::losses::all_reduce_gradients(encoder->parameters(), group);

  torch::save(std::vector<torch::Tensor>{loss.detach(), query.grad(), positive.grad(),
                                         encoder_loss.detach(), encoder->weight.grad(),
                                         encoder->bias.grad()},
              (out / ("rank" + std::to_string(rank) + ".pt")).string());
}

TEST(DistributedInfoNCEWorker, Run) {
  const std::string mode = env_or("INFOZOO_DIST_MODE", "");
  if (mode.empty()) {
    GTEST_SKIP() << "runs only as a worker process of the DistributedInfoNCE tests";
  }
  const auto rank = std::stoll(env_or("INFOZOO_DIST_RANK", "0"));
  const auto world = std::stoll(env_or("INFOZOO_DIST_WORLD", "1"));
  const fs::path out = env_or("INFOZOO_DIST_OUT", ".");
  try {
    run_worker(mode, rank, world, out);
  } catch (const c10::Error& e) {
    std::ofstream(out / ("rank" + std::to_string(rank) + ".err")) << e.what_without_backtrace();
  } catch (const std::exception& e) {
    std::ofstream(out / ("rank" + std::to_string(rank) + ".err")) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------
// Parent side.

struct RankOutcome {
  bool finished = false;              // exited by itself before kHang
  std::vector<torch::Tensor> values;  // rank<r>.pt: loss, grads
  std::string error;                  // rank<r>.err
};

// A port nothing listens on right now (bound, read back, released).
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// Starts this binary once per rank in `ranks` (of `world`), waits for all (killing any still
// running after kHang), and reads what each wrote.
std::vector<RankOutcome> run_ranks(const std::string& mode, int64_t world,
                                   const std::vector<int64_t>& ranks, const std::string& sizes,
                                   const TempDir& dir, int port = 0,
                                   int timeout_ms = kRendezvousMs) {
  std::vector<std::string> base_env;
  for (char** e = environ; *e; ++e) base_env.emplace_back(*e);
  base_env.push_back("OMP_NUM_THREADS=1");
  base_env.push_back("INFOZOO_DIST_MODE=" + mode);
  base_env.push_back("INFOZOO_DIST_WORLD=" + std::to_string(world));
  base_env.push_back("INFOZOO_DIST_SIZES=" + sizes);
  base_env.push_back("INFOZOO_DIST_OUT=" + dir.path.string());
  base_env.push_back("INFOZOO_DIST_PORT=" + std::to_string(port));
  base_env.push_back("INFOZOO_DIST_TIMEOUT_MS=" + std::to_string(timeout_ms));

  const std::string self = fs::read_symlink("/proc/self/exe").string();
  std::vector<pid_t> pids;
  for (const auto rank : ranks) {
    auto env = base_env;
    env.push_back("INFOZOO_DIST_RANK=" + std::to_string(rank));
    std::vector<char*> envp;
    for (auto& s : env) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string filter = "--gtest_filter=DistributedInfoNCEWorker.Run";
    std::vector<char*> argv{const_cast<char*>(self.c_str()), filter.data(), nullptr};
    const std::string log = (dir.path / ("rank" + std::to_string(rank) + ".log")).string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0) << "could not start rank " << rank;
    pids.push_back(pid);
  }

  std::vector<RankOutcome> outcomes(ranks.size());
  const auto deadline = std::chrono::steady_clock::now() + kHang;
  size_t running = pids.size();
  while (running > 0 && std::chrono::steady_clock::now() < deadline) {
    for (size_t i = 0; i < pids.size(); ++i) {
      int status = 0;
      if (pids[i] > 0 && waitpid(pids[i], &status, WNOHANG) == pids[i]) {
        outcomes[i].finished = true;
        pids[i] = -1;
        --running;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto pid : pids) {
    if (pid > 0) {  // hung: the behaviour under test failed; do not leave it behind
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  for (size_t i = 0; i < ranks.size(); ++i) {
    const auto stem = dir.path / ("rank" + std::to_string(ranks[i]));
    if (fs::exists(stem.string() + ".pt")) {
      torch::load(outcomes[i].values, stem.string() + ".pt");
    }
    std::ifstream err(stem.string() + ".err");
    outcomes[i].error.assign(std::istreambuf_iterator<char>(err), {});
  }
  return outcomes;
}

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

// Single-process reference over the whole batch, then each rank's results against it.
void expect_equal_to_single_process(const std::vector<int64_t>& sizes,
                                    const std::vector<RankOutcome>& outcomes) {
  const auto batch = make_batch(sum(sizes));
  auto query = batch.query.clone().requires_grad_();
  auto positive = batch.positive.clone().requires_grad_();
  auto loss = infozoo::losses::distributed_info_nce(query, positive, embedding_options({}));
  loss.backward();
  // The null group is info_nce itself; check that too, so the reference is the seed's loss.
  const auto plain =
      infozoo::losses::info_nce(batch.query, batch.positive, {},
                                infozoo::losses::InfoNCEOptions().temperature(0.1).normalize(true));
  ASSERT_NEAR(loss.item<double>(), plain.item<double>(), 1e-6);

  auto encoder = make_encoder();
  auto encoder_loss = infozoo::losses::distributed_info_nce(
      encoder(batch.view1), encoder(batch.view2), encoder_options({}));
  encoder_loss.backward();

  double loss_diff = 0, grad_diff = 0, encoder_diff = 0;
  int64_t offset = 0;
  for (size_t r = 0; r < outcomes.size(); ++r) {
    const auto& o = outcomes[r];
    ASSERT_TRUE(o.finished) << "rank " << r << " hung";
    ASSERT_TRUE(o.error.empty()) << "rank " << r << ": " << o.error;
    ASSERT_EQ(o.values.size(), 6u) << "rank " << r << " wrote no results";
    const auto rows = [&](const torch::Tensor& t) { return t.narrow(0, offset, sizes[r]); };
    loss_diff = std::max(loss_diff, std::abs(o.values[0].item<double>() - loss.item<double>()));
    grad_diff = std::max(grad_diff, max_abs_diff(o.values[1], rows(query.grad())));
    grad_diff = std::max(grad_diff, max_abs_diff(o.values[2], rows(positive.grad())));
    loss_diff =
        std::max(loss_diff, std::abs(o.values[3].item<double>() - encoder_loss.item<double>()));
    encoder_diff = std::max(encoder_diff, max_abs_diff(o.values[4], encoder->weight.grad()));
    encoder_diff = std::max(encoder_diff, max_abs_diff(o.values[5], encoder->bias.grad()));
    offset += sizes[r];
  }
  std::cout << "world " << sizes.size() << ": |loss - single-process| max " << loss_diff
            << ", embedding grads max diff " << grad_diff << ", encoder grads max diff "
            << encoder_diff << " (losses " << loss.item<double>() << ", "
            << encoder_loss.item<double>() << ")\n";
  EXPECT_LE(loss_diff, 1e-5 * std::abs(loss.item<double>()));
  EXPECT_LE(grad_diff, 1e-5 * query.grad().abs().max().item<double>() + 1e-7);
  EXPECT_LE(encoder_diff, 1e-5 * encoder->weight.grad().abs().max().item<double>() + 1e-7);
}

TEST(DistributedInfoNCE, TwoProcessesOverTcpEqualOneProcess) {
  TempDir dir;
  const std::vector<int64_t> sizes{5, 5};
  expect_equal_to_single_process(sizes, run_ranks("equal", 2, {0, 1}, "5,5", dir, free_port()));
}

TEST(DistributedInfoNCE, ThreeProcessesWithUnevenBatchesEqualOneProcess) {
  TempDir dir;
  const std::vector<int64_t> sizes{4, 3, 5};
  expect_equal_to_single_process(sizes, run_ranks("equal", 3, {0, 1, 2}, "4,3,5", dir));
}

TEST(DistributedInfoNCE, RankThatNeverArrivesFailsTheOthers) {
  TempDir dir;
  const auto outcomes =
      run_ranks("equal", 3, {0, 1}, "4,3,3", dir, /*port=*/0, kNeverArrivesMs);  // no rank 2
  for (size_t r = 0; r < outcomes.size(); ++r) {
    EXPECT_TRUE(outcomes[r].finished) << "rank " << r << " hung instead of timing out";
    EXPECT_NE(outcomes[r].error.find("rendezvous failed: rank " + std::to_string(r) +
                                     " of world_size 3 did not meet every other rank through "
                                     "the file store"),
              std::string::npos)
        << outcomes[r].error;
    EXPECT_NE(outcomes[r].error.find("within 1500 ms"), std::string::npos) << outcomes[r].error;
  }
}

TEST(DistributedInfoNCE, RankThatDiesFailsTheOthers) {
  TempDir dir;
  const auto outcomes = run_ranks("dies", 2, {0, 1}, "5,5", dir);
  ASSERT_TRUE(outcomes[0].finished) << "rank 0 hung after its peer died";
  EXPECT_NE(outcomes[0].error.find("failed on rank 0 of 2 (a rank died, or did not join within "
                                   "the process group's timeout)"),
            std::string::npos)
      << outcomes[0].error;
}

TEST(DistributedInfoNCE, MismatchedEmbeddingSizesFailOnEveryRank) {
  TempDir dir;
  const auto outcomes = run_ranks("mismatch", 2, {0, 1}, "5,5", dir);
  for (size_t r = 0; r < outcomes.size(); ++r) {
    EXPECT_TRUE(outcomes[r].finished);
    EXPECT_NE(outcomes[r].error.find("query and positive must have the same feature size D and "
                                     "dtype on every rank, got [5, 8] Float on rank 0, [5, 6] "
                                     "Float on rank 1"),
              std::string::npos)
        << "rank " << r << ": " << outcomes[r].error;
  }
}

TEST(DistributedInfoNCE, BadInputOnOneRankFailsEveryRank) {
  TempDir dir;
  const auto outcomes = run_ranks("bad_input", 2, {0, 1}, "5,5", dir);
  ASSERT_TRUE(outcomes[0].finished && outcomes[1].finished);
  EXPECT_NE(outcomes[1].error.find("query must be [B, D], got shape [1, 5, 8]"), std::string::npos)
      << outcomes[1].error;
  EXPECT_NE(outcomes[0].error.find("rank 1 of 2 gave an invalid query and positive (its own error "
                                   "says why); rank 0 stops too"),
            std::string::npos)
      << outcomes[0].error;
}

// In-process checks: a group of one, and the errors raised before any peer is needed.

using infozoo::test_support::expect_error;

TEST(DistributedInfoNCE, GroupOfOneEqualsInfoNCE) {
  TempDir dir;
  auto group =
      infozoo::distributed::init_gloo_process_group(RendezvousOptions(1, 0)
                                                        .file_store((dir.path / "store").string())
                                                        .timeout(std::chrono::seconds(5)));
  ASSERT_EQ(group->getSize(), 1);
  const auto batch = make_batch(6);
  auto q = batch.query.clone().requires_grad_();
  auto p = batch.positive.clone().requires_grad_();
  infozoo::losses::DistributedInfoNCE module(DistributedInfoNCEOptions(group).temperature(0.2));
  auto loss = module(q, p);
  loss.backward();
  auto q2 = batch.query.clone().requires_grad_();
  auto p2 = batch.positive.clone().requires_grad_();
  auto expected =
      infozoo::losses::info_nce(q2, p2, {}, infozoo::losses::InfoNCEOptions().temperature(0.2));
  expected.backward();
  EXPECT_NEAR(loss.item<double>(), expected.item<double>(), 1e-6);
  EXPECT_TRUE(torch::allclose(q.grad(), q2.grad(), 1e-5, 1e-7));
  EXPECT_TRUE(torch::allclose(p.grad(), p2.grad(), 1e-5, 1e-7));
  EXPECT_EQ(c10::str(*module),
            "infozoo::losses::DistributedInfoNCE(temperature=0.2, reduction=mean, normalize=false, "
            "rank=0, world_size=1)");

  // reduction none: the per-query losses; sum: B times the mean.
  const auto none = infozoo::losses::distributed_info_nce(
      batch.query, batch.positive,
      DistributedInfoNCEOptions(group).temperature(0.2).reduction(torch::kNone));
  EXPECT_EQ(none.sizes(), torch::IntArrayRef({6}));
  const auto total = infozoo::losses::distributed_info_nce(
      batch.query, batch.positive,
      DistributedInfoNCEOptions(group).temperature(0.2).reduction(torch::kSum));
  EXPECT_NEAR(total.item<double>(), 6 * expected.item<double>(), 1e-4);
  EXPECT_NEAR(none.sum().item<double>(), total.item<double>(), 1e-4);

  expect_error(
      [&] {
        infozoo::losses::distributed_info_nce(batch.query, batch.positive,
                                              DistributedInfoNCEOptions(group).temperature(0));
      },
      "temperature must be positive and finite, got 0");
  expect_error(
      [&] {
        infozoo::losses::distributed_info_nce(batch.query, batch.positive.narrow(0, 0, 3),
                                              DistributedInfoNCEOptions(group));
      },
      "positive must have query's shape [B, D] = [6, 8], got [3, 8]");
  expect_error([&] { infozoo::losses::all_gather_with_grad(batch.query.view(-1), group); },
               "x must be [B, D], got shape [48]");
  // Gathering on its own gives the input back, and its gradient.
  auto x = batch.query.clone().requires_grad_();
  auto gathered = infozoo::losses::all_gather_with_grad(x, group);
  (gathered * 3).sum().backward();
  EXPECT_TRUE(torch::equal(gathered.detach(), batch.query));
  EXPECT_TRUE(torch::allclose(x.grad(), torch::full_like(x, 3)));
}

TEST(DistributedInfoNCE, RendezvousOptionsAreChecked) {
  expect_error(
      [] {
        infozoo::distributed::init_gloo_process_group(RendezvousOptions(0, 0).file_store("/tmp/x"));
      },
      "world_size must be >= 1, got 0");
  expect_error(
      [] {
        infozoo::distributed::init_gloo_process_group(RendezvousOptions(2, 2).file_store("/tmp/x"));
      },
      "rank must be in [0, world_size) = [0, 2), got 2");
  expect_error(
      [] {
        infozoo::distributed::init_gloo_process_group(RendezvousOptions(2, -1).tcp_port(29500));
      },
      "rank must be in [0, world_size) = [0, 2), got -1");
  expect_error([] { infozoo::distributed::init_gloo_process_group(RendezvousOptions(2, 0)); },
               "give exactly one of file_store and tcp_port, got file_store='', tcp_port=0");
  expect_error(
      [] {
        infozoo::distributed::init_gloo_process_group(RendezvousOptions(2, 1).tcp_port(70000));
      },
      "tcp_port must be in [1, 65535], got 70000");
  expect_error(
      [] {
        infozoo::distributed::init_gloo_process_group(
            RendezvousOptions(2, 0).file_store("/tmp/x").timeout(std::chrono::milliseconds(0)));
      },
      "timeout must be positive, got 0 ms");
  expect_error(
      [] {
        infozoo::losses::all_gather_with_grad(torch::ones({2, 2}), {});
      },
      "process_group must be a c10d::ProcessGroup, got null");
}

TEST(DistributedInfoNCE, UnreachableStoreFailsWithinTheTimeout) {
  const int port = free_port();  // nobody listens there
  expect_error(
      [&] {
        infozoo::distributed::init_gloo_process_group(
            RendezvousOptions(2, 1).tcp_port(port).timeout(std::chrono::milliseconds(1000)));
      },
      "rank 1 could not connect to the TCP store on 127.0.0.1:" + std::to_string(port) +
          " within 1000 ms");
  expect_error(
      [] {
        infozoo::distributed::init_gloo_process_group(
            RendezvousOptions(2, 0).file_store("/nonexistent/infozoo/store"));
      },
      "file_store must be in an existing folder, got '/nonexistent/infozoo/store'");
}

}  // namespace

#else  // !INFOZOO_HAVE_C10D

TEST(DistributedInfoNCE, NeedsC10d) {
  GTEST_SKIP() << "this LibTorch build has no c10d/Gloo (INFOZOO_HAVE_C10D=0)";
}

#endif
