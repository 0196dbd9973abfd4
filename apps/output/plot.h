// SPDX-License-Identifier: BSD-3-Clause
// PNG figures for the subcommands' --out, drawn with PLplot's pngcairo device (C API). The
// picture only appears under its name once it is complete: PLplot writes to a temporary file in
// the same folder, which save() checks and renames into place. PLplot is optional at build time
// (INFOZOO_HAVE_PLPLOT); without it, making a Figure throws a clear error.
#pragma once

#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <vector>

namespace infozoo::apps::plot {

/// Whether this build can draw PNGs (PLplot was found at configure time).
bool available();

/// A panel's title and axis labels.
struct Labels {
  std::string title;
  std::string x;
  std::string y;
};

/// One data series of `Figure::series`: points (x[i], y[i]) drawn as `style`, named in the legend.
struct Series {
  /// How a series is drawn.
  enum class Style {
    kLine,     ///< a solid line through the points
    kDashed,   ///< a dashed line (reference values: a truth, a ceiling)
    kMarkers,  ///< a marker at each point, no line
    kPoints,   ///< a small dot at each point: clouds of hundreds of points (samples, data)
  };
  std::string label;  ///< its legend entry
  std::vector<double> x;
  std::vector<double> y;
  Style style = Style::kLine;
};

/// A bar chart of `Figure::bars`: one bar per name, coloured by its group, with an optional short
/// mark written above it (e.g. the order a feature was picked in).
struct Bars {
  std::vector<std::string> names;   ///< one per bar, written below it (turned upright when long)
  std::vector<double> heights;      ///< one per bar, finite; bars start at 0
  std::vector<int> group;           ///< one per bar: an index into `groups`
  std::vector<std::string> groups;  ///< the legend entry of each group's colour
  std::vector<std::string> marks;   ///< empty, or one per bar (an empty string: no mark)
};

/// A figure of `panels` panels side by side, `width` x `height` pixels, written to `path` on
/// save(). One figure at a time (PLplot keeps global state). Each drawing call fills the next
/// panel. Throws std::runtime_error, naming the path, when the folder is not writable or the build
/// has no PLplot. PLplot's own messages go to stderr, never stdout, while the figure is open.
/// Example:
///   plot::Figure fig("posenc.png", 1200, 400);
///   fig.heatmap(pe.slice(0, 0, 50).slice(1, 0, 64), {"Positional encoding", "dimension",
///   "position"}); fig.save();
class Figure {
 public:
  /// `panels` fill `rows` rows (>= 1) left to right, top to bottom, ceil(panels / rows) a row.
  Figure(std::string path, int width, int height, int panels = 1, int rows = 1);
  ~Figure();
  Figure(const Figure&) = delete;
  Figure& operator=(const Figure&) = delete;

  /// `values` [rows, cols] as matplotlib's imshow(aspect='auto', cmap='RdBu'): row 0 at the top,
  /// low values red, high values blue, a colour bar on the right.
  void heatmap(const at::Tensor& values, const Labels& labels);

  /// A line through (x[i], y[i]), e.g. a loss curve.
  void line(const std::vector<double>& x, const std::vector<double>& y, const Labels& labels);

  /// Several series in one panel, each in its own colour (and marker shape for kMarkers), with a
  /// legend of their labels; the axes span every series. Non-finite points are skipped.
  /// Example: `fig.series({{"KSG", x, y, Series::Style::kMarkers}, {"truth", x, x,
  /// Series::Style::kDashed}}, {"Estimate vs truth", "true MI (nats)", "estimate (nats)"});`
  void series(const std::vector<Series>& series, const Labels& labels);

  /// Bars coloured by group (matplotlib's tab10, in group order) with a legend of the groups and
  /// each bar's mark above it. Example: `fig.bars({{"x0", "x1"}, {0.3, 0.1}, {0, 1}, {"selected",
  /// "not selected"}, {"1", ""}}, {"MI with the target", "column", "MI (nats)"});`
  void bars(const Bars& bars, const Labels& labels);
  /// `grid` [ny, nx] (e.g. P(class 1), in [0, 1]) over the regular grid `xs` [nx] x `ys` [ny],
  /// filled red (0) to blue (1) with the 0.5 contour drawn, and `points` [N, 2] on top, coloured by
  /// their 0/1 `classes` [N].
  void decision_boundary(const at::Tensor& xs, const at::Tensor& ys, const at::Tensor& grid,
                         const at::Tensor& points, const at::Tensor& classes, const Labels& labels);

  /// Finishes the PNG and renames it to `path`; after this the figure can draw no more.
  void save();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace infozoo::apps::plot
