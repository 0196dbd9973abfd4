// SPDX-License-Identifier: BSD-3-Clause
// apps/plot.h: PNG figures appear complete or not at all, never leave temporary files behind,
// say clearly when the path cannot be written, and print nothing on stdout.
#include "output/plot.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>

namespace infozoo::apps::plot {
namespace {

namespace fs = std::filesystem;

class PlotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!available()) GTEST_SKIP() << "built without PLplot";
    tmp_ = std::make_unique<infozoo::test_support::TempDir>("infozoo_plot_test");
    dir_ = tmp_->path;
  }

  // The names in the test folder: the picture and nothing else (no temporary files).
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  std::unique_ptr<infozoo::test_support::TempDir>
      tmp_;  // removed with its contents after each test
  fs::path dir_;
};

bool has_png_signature(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, 8);
  return in && std::string(head, 8) == std::string("\x89PNG\r\n\x1a\n", 8);
}

TEST_F(PlotTest, HeatmapWritesAPngAndNothingElse) {
  const auto path = dir_ / "heat.png";
  ::testing::internal::CaptureStdout();
  {
    Figure figure(path.string(), 600, 200);
    figure.heatmap(torch::randn({5, 7}, torch::kDouble), {"title", "x", "y"});
    figure.save();
  }
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "") << "PLplot must not write to stdout";
  EXPECT_TRUE(has_png_signature(path));
  EXPECT_GT(fs::file_size(path), 1000u);
  EXPECT_EQ(entries(), std::vector<std::string>{"heat.png"});
}

TEST_F(PlotTest, TwoPanelFigureWithLineAndDecisionBoundary) {
  const auto path = dir_ / "mlp.png";
  const auto xs = torch::linspace(-1, 1, 30, torch::kDouble);
  const auto ys = torch::linspace(-1, 1, 20, torch::kDouble);
  const auto grid = torch::sigmoid(4 * (xs.unsqueeze(0) + ys.unsqueeze(1)));  // (ny, nx)
  const auto points = torch::rand({40, 2}, torch::kDouble) * 2 - 1;
  const auto classes = (points.sum(1) > 0).to(torch::kLong);
  Figure figure(path.string(), 800, 300, /*panels=*/2);
  figure.line({0, 1, 2, 3}, {1.0, 0.5, 0.3, 0.25}, {"loss", "epoch", "loss"});
  figure.decision_boundary(xs, ys, grid, points, classes, {"boundary", "x1", "x2"});
  figure.save();
  EXPECT_TRUE(has_png_signature(path));
  EXPECT_EQ(entries(), std::vector<std::string>{"mlp.png"});
}

TEST_F(PlotTest, SeriesOfEveryStyleWithNonFinitePointsWritesAPng) {
  const auto path = dir_ / "series.png";
  const double nan = std::nan("");
  const double inf = std::numeric_limits<double>::infinity();
  ::testing::internal::CaptureStdout();
  {
    Figure figure(path.string(), 700, 400, /*panels=*/2);
    figure.series({{"estimate", {1, 2, 3, 4}, {0.9, nan, 2.1, 2.9}, Series::Style::kMarkers},
                   {"other estimate", {1, 2, 3, 4}, {1.1, 1.9, inf, 3.2}, Series::Style::kMarkers},
                   {"truth", {1, 4}, {1, 4}, Series::Style::kDashed},
                   {"curve", {1, 2, nan, 4}, {1.5, 2.5, 3.0, 3.5}, Series::Style::kLine},
                   {"", {}, {}, Series::Style::kLine}},  // no points, no legend entry
                  {"Estimate vs truth", "true MI (nats)", "estimate (nats)"});
    // One point only (a zero-width range on both axes), no labels: no legend.
    figure.series({{"", {2.0}, {5.0}, Series::Style::kLine}}, {"", "", ""});
    figure.save();
  }
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "") << "PLplot must not write to stdout";
  EXPECT_TRUE(has_png_signature(path));
  EXPECT_GT(fs::file_size(path), 1000u);
  EXPECT_EQ(entries(), std::vector<std::string>{"series.png"});
}

TEST_F(PlotTest, SeriesErrorsNameTheProblem) {
  const auto path = dir_ / "bad_series.png";
  const auto message = [&](const std::vector<Series>& series) {
    try {
      Figure figure(path.string(), 300, 200);
      figure.series(series, {"", "", ""});
    } catch (const c10::Error& e) {
      return std::string(e.what_without_backtrace());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({}).find("series needs at least one series"), std::string::npos);
  EXPECT_NE(message({{"a", {1, 2}, {1}, Series::Style::kLine}})
                .find("series 'a' needs x and y of the same length, got 2 and 1"),
            std::string::npos);
  EXPECT_NE(message({{"a", {std::nan("")}, {1}, Series::Style::kMarkers}})
                .find("series needs at least one finite point"),
            std::string::npos);
  EXPECT_TRUE(entries().empty()) << "a failed figure leaves nothing behind";
}

TEST_F(PlotTest, AFailedFigureLeavesNoFileBehind) {
  const auto path = dir_ / "broken.png";
  try {
    Figure figure(path.string(), 600, 200);
    figure.heatmap(torch::ones({3}), {"", "", ""});  // not 2-D
    FAIL() << "expected an error";
  } catch (const c10::Error& e) {
    EXPECT_NE(std::string(e.what_without_backtrace())
                  .find("heatmap values must be a non-empty 2-D tensor"),
              std::string::npos);
  }
  EXPECT_TRUE(entries().empty());
  // An earlier picture under the same name stays as it was.
  { std::ofstream(path) << "old"; }
  try {
    Figure figure(path.string(), 600, 200);
    figure.line({0.0, 1.0}, {1.0, std::nan("")}, {"", "", ""});
    FAIL() << "expected an error";
  } catch (const c10::Error& e) {
    EXPECT_NE(std::string(e.what_without_backtrace()).find("line values must be finite"),
              std::string::npos);
  }
  std::ifstream in(path);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "old");
  EXPECT_EQ(entries(), std::vector<std::string>{"broken.png"});
}

TEST_F(PlotTest, UnwritablePathIsAClearError) {
  const auto path = dir_ / "no_such_folder" / "x.png";
  try {
    Figure figure(path.string(), 600, 200);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot write plot '" + path.string() + "': No such file or directory");
  }
  try {
    Figure figure(dir_.string(), 600, 200);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot write plot '" + dir_.string() + "': it is a directory");
  }
  // A second figure can be drawn after the failures (PLplot's state was never left open).
  Figure figure((dir_ / "ok.png").string(), 300, 100);
  figure.line({0.0, 1.0}, {0.0, 1.0}, {"", "", ""});
  figure.save();
  EXPECT_TRUE(has_png_signature(dir_ / "ok.png"));
}

TEST_F(PlotTest, OneFigureAtATimeAndNoDrawingAfterSave) {
  Figure first((dir_ / "a.png").string(), 300, 100);
  try {
    Figure second((dir_ / "b.png").string(), 300, 100);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("another figure is still being drawn"), std::string::npos);
  }
  first.line({0.0, 1.0}, {0.0, 1.0}, {"", "", ""});
  first.save();
  EXPECT_THROW(first.line({0.0, 1.0}, {0.0, 1.0}, {"", "", ""}), c10::Error);
}

}  // namespace
}  // namespace infozoo::apps::plot
