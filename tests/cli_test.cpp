// SPDX-License-Identifier: BSD-3-Clause
// The command-line contract: --help, exit codes 0/1/2, one line on stderr, JSON-only stdout.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <torch/version.h>
#include <unistd.h>

#include <infozoo/version.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#ifdef INFOZOO_TEST_HAVE_PNG
#include <png.h>
#endif

#include "cli/run_cli.h"
#include "experiments/catalog.h"
#include "output/plot.h"
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

// --help states each size's real range: the 3-NN estimate needs 4 samples, a correlation 2.
TEST(Cli, HelpShowsTheRealLimits) {
  const std::pair<const char*, const char*> limits[] = {
      {"mi", "INT in [4 - 1099511627776]"},
      {"feature-select", "INT in [4 - 1099511627776]"},
      {"mi-hist", "INT in [2 - 1099511627776]"},
      {"mlp", "INT in [1 - 1099511627776]"},
  };
  for (const auto& [subcommand, range] : limits) {
    const auto r = run_infozoo({subcommand, "--help"});
    ASSERT_EQ(r.exit_code, 0) << subcommand;
    const auto samples = r.out.find("--samples");
    ASSERT_NE(samples, std::string::npos) << r.out;
    const std::string line = r.out.substr(samples, r.out.find('\n', samples) - samples);
    EXPECT_NE(line.find(range), std::string::npos) << subcommand << ": " << line;
  }
  const auto r = run_infozoo({"mi-hist", "--help"});
  EXPECT_NE(r.out.find("INT in [1 - 4096]"), std::string::npos) << r.out;        // --bins
  EXPECT_NE(r.out.find("INT in [0 - 4294967295]"), std::string::npos) << r.out;  // --seed
}

// The limit in --help is the one enforced: one below it fails, the limit itself parses.
TEST(Cli, HelpLimitIsTheEnforcedLimit) {
  EXPECT_EQ(run_infozoo({"mi-hist", "--samples", "1"}).exit_code, 2);
  EXPECT_EQ(run_infozoo({"mi-hist", "--samples", "2", "--json"}).exit_code, 0);
  EXPECT_EQ(run_infozoo({"mi", "--samples", "3"}).exit_code, 2);
  EXPECT_EQ(run_infozoo({"mi", "--samples", "4", "--json"}).exit_code, 0);
}

TEST(Cli, UnknownOptionsComeInTheOrderTyped) {
  const auto r = run_infozoo({"info-gain", "--zeta", "--alpha", "--mu"});
  EXPECT_EQ(r.exit_code, 2);
  const auto zeta = r.err.find("--zeta"), alpha = r.err.find("--alpha"), mu = r.err.find("--mu");
  ASSERT_NE(mu, std::string::npos) << r.err;
  EXPECT_LT(zeta, alpha) << r.err;
  EXPECT_LT(alpha, mu) << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
}

TEST(Cli, UnknownOptionSuggestsTheClosestOne) {
  const std::pair<const char*, const char*> typos[] = {
      {"--sampels", "--samples"}, {"--sample", "--samples"}, {"--seeds", "--seed"},
      {"--jsn", "--json"},        {"--bin", "--bins"},       {"--devcie", "--device"}};
  for (const auto& [typo, meant] : typos) {
    const auto r = run_infozoo({"mi-hist", typo});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(std::string("unknown option ") + typo + " (did you mean " + meant + "?)"),
              std::string::npos)
        << r.err;
  }
  // Nothing is close to --frobnicate: no suggestion.
  const auto r = run_infozoo({"mi-hist", "--frobnicate"});
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
}

TEST(Cli, VersionNamesInfozooAndLibTorch) {
  const auto r = run_infozoo({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string("infozoo ") + INFOZOO_VERSION_STRING + " (LibTorch " +
                       TORCH_VERSION + ")\n");
  EXPECT_EQ(r.err, "");
}

// --json and --device work before the subcommand as after it.
TEST(Cli, CommonOptionsBeforeTheSubcommand) {
  const auto after = run_infozoo({"info-gain", "--json", "--device", "cpu"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  ASSERT_TRUE(nlohmann::json::accept(after.out)) << after.out;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--json", "info-gain", "--device", "cpu"},
        std::vector<std::string>{"--device", "cpu", "--json", "info-gain"},
        std::vector<std::string>{"--device=cpu", "info-gain", "--json"}}) {
    const auto before = run_infozoo(args);
    EXPECT_EQ(before.exit_code, 0) << before.err;
    EXPECT_EQ(before.out, after.out);
  }
  // The subcommand's own --device wins over one before it.
  const auto r = run_infozoo({"--device", "cuda", "info-gain", "--device", "cpu", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, after.out);
}

namespace fs = std::filesystem;

bool is_png(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  char magic[8] = {};
  file.read(magic, sizeof magic);
  return std::string(magic, sizeof magic) == std::string("\x89PNG\r\n\x1a\n", 8);
}

#ifdef INFOZOO_TEST_HAVE_PNG
// What a picture holds: its size, the share of pixels unlike the top-left corner (the
// background), and how many distinct colours it uses (up to a cap).
struct PngStats {
  uint32_t width = 0, height = 0;
  double foreground_share = 0;
  size_t colours = 0;
};

PngStats png_stats(const fs::path& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  PngStats stats;
  if (!png_image_begin_read_from_file(&image, path.c_str())) return stats;
  image.format = PNG_FORMAT_RGBA;
  std::vector<uint32_t> pixels(static_cast<size_t>(image.width) * image.height);
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) return stats;
  stats.width = image.width;
  stats.height = image.height;
  std::set<uint32_t> colours;
  size_t foreground = 0;
  for (const uint32_t p : pixels) {
    if (p != pixels.front()) ++foreground;
    if (colours.size() < 64) colours.insert(p);
  }
  stats.foreground_share = static_cast<double>(foreground) / pixels.size();
  stats.colours = colours.size();
  return stats;
}

// Each picture's size as its subcommand asks for it (width x height pixels).
const std::map<std::string, std::pair<uint32_t, uint32_t>>& picture_sizes() {
  static const std::map<std::string, std::pair<uint32_t, uint32_t>> sizes{
      {"attention.png", {800, 700}},
      {"diffusion-mi.png", {900, 560}},
      {"diffusion.png", {1600, 600}},
      {"distill.png", {1400, 550}},
      {"feature-select.png", {1100, 600}},
      {"infonce.png", {1400, 550}},
      {"mha.png", {2000, 620}},
      {"mi-hist.png", {1400, 600}},
      {"mlp.png", {1300, 520}},
      {"norms.png", {1400, 550}},
      {"posenc.png", {1800, 600}},
      {"scaling.png", {1400, 550}},
      {"temperature.png", {1600, 600}}};
  return sizes;
}
#endif

// The catalog as `all` sees it in these tests: `estimators` and `infonce-bound` train neural
// critics for minutes at their defaults (each has its own CLI test at small sizes), so here they
// leave `all`; every other experiment runs at its defaults, as `infozoo all` does.
const std::vector<apps::Subcommand>& quick_catalog() {
  static const std::vector<apps::Subcommand> catalog = [] {
    auto all = apps::experiments();
    for (auto& e : all)
      if (e.name == "estimators" || e.name == "infonce-bound") e.in_all = false;
    return all;
  }();
  return catalog;
}

// Runs `args` on quick_catalog() with the working directory `dir`, then returns to where it was.
CliResult run_quick_in(const fs::path& dir, const std::vector<std::string>& args) {
  const InDirectory in(dir);
  std::ostringstream out, err;
  const int code = apps::run_cli(quick_catalog(), args, out, err);
  return {code, out.str(), err.str()};
}

std::vector<std::string> sections_of_all() {
  std::vector<std::string> names;
  for (const auto& e : quick_catalog())
    if (e.in_all) names.push_back(e.name);
  return names;
}

// `all` writes nothing where it runs: in a read-only folder it still prints every experiment, and
// the folder stays empty (root can write there anyway, so emptiness is the check that counts).
TEST(Cli, AllInAReadOnlyFolderPrintsEverythingAndWritesNothing) {
  TempDir dir("infozoo_all_read_only");
  ASSERT_EQ(::chmod(dir.path.c_str(), 0555), 0);
  const auto r = run_quick_in(dir.path, {"all", "--device", "cpu"});
  ::chmod(dir.path.c_str(), 0755);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  for (const auto& name : sections_of_all())
    EXPECT_NE(r.out.find("== " + name + ": "), std::string::npos) << name;
  EXPECT_TRUE(fs::is_empty(dir.path)) << "all wrote into the working directory";
}

// `all --out-dir DIR` draws one DIR/<subcommand>.png per subcommand that draws, and nothing else;
// the numbers are those of `all` without it.
TEST(Cli, AllOutDirDrawsEachPictureThere) {
  if (!apps::plot::available()) GTEST_SKIP() << "built without PLplot";
  TempDir cwd("infozoo_all_cwd"), pictures("infozoo_all_out_dir");
  const auto r = run_quick_in(
      cwd.path, {"all", "--json", "--device", "cpu", "--out-dir", pictures.path.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(pictures.path)) {
    files.push_back(entry.path().filename().string());
    EXPECT_TRUE(is_png(entry.path())) << entry.path();
#ifdef INFOZOO_TEST_HAVE_PNG
    // Not blank: at least 2% of the pixels differ from the background, in several colours
    // (axes and text alone are black on white; a series or a heatmap adds colours).
    const auto stats = png_stats(entry.path());
    const auto size = picture_sizes().find(files.back());
    ASSERT_NE(size, picture_sizes().end()) << files.back();
    EXPECT_EQ(std::make_pair(stats.width, stats.height), size->second) << files.back();
    EXPECT_GT(stats.foreground_share, 0.02) << files.back();
    EXPECT_GE(stats.colours, 4u) << files.back();
#endif
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"attention.png", "diffusion-mi.png", "diffusion.png",
                                             "distill.png", "feature-select.png", "infonce.png",
                                             "mha.png", "mi-hist.png", "mlp.png", "norms.png",
                                             "posenc.png", "scaling.png", "temperature.png"}));
  EXPECT_TRUE(fs::is_empty(cwd.path));
  const auto plain = run_quick_in(cwd.path, {"all", "--json", "--device", "cpu"});
  EXPECT_EQ(r.out, plain.out) << "--out-dir changed the numbers";
}

}  // namespace
}  // namespace infozoo::test_support
