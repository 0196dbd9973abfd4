// The command-line contract: --help, exit codes 0/1/2, one line on stderr, JSON-only stdout.
#include <gtest/gtest.h>

#include "test_support.h"

namespace infozoo::test_support {
namespace {

size_t line_count(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }

TEST(Cli, HelpExitsZero) {
  const auto r = run_infozoo({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("diffusion"), std::string::npos) << r.out;
}

TEST(Cli, SubcommandHelpExitsZero) {
  const auto r = run_infozoo({"diffusion", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--device"), std::string::npos) << r.out;
}

TEST(Cli, NoSubcommandIsUsageError) {
  const auto r = run_infozoo({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
}

TEST(Cli, UnknownSubcommandIsUsageError) {
  const auto r = run_infozoo({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
}

TEST(Cli, UnknownOptionIsUsageError) {
  const auto r = run_infozoo({"info-gain", "--frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--frobnicate"), std::string::npos) << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
}

TEST(Cli, BadDeviceIsUsageError) {
  const auto r = run_infozoo({"info-gain", "--device", "tpu"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--device"), std::string::npos) << r.err;
}

TEST(Cli, CudaWithoutGpuIsUsageError) {
  if (torch_cuda_available()) GTEST_SKIP() << "a GPU is present";
  const auto r = run_infozoo({"info-gain", "--device", "cuda"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--device cuda"), std::string::npos) << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
}

TEST(Cli, JsonIsTheOnlyThingOnStdout) {
  const auto r = run_infozoo({"info-gain", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out;
}

TEST(Cli, SeedOutOfRangeIsUsageError) {
  for (const char* seed : {"-1", "4294967296", "abc"}) {
    const auto r = run_infozoo({"mi", "--seed", seed});
    EXPECT_EQ(r.exit_code, 2) << seed;
    EXPECT_NE(r.err.find("--seed"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace infozoo::test_support
