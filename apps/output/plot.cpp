// SPDX-License-Identifier: BSD-3-Clause
#include "output/plot.h"

#include "output/to_doubles.h"

#include <ATen/ATen.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#ifdef INFOZOO_HAVE_PLPLOT
#include <plplot.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <memory>

#include "infozoo/detail/error_text.h"
#include "infozoo/io/atomic_file.h"
#endif

namespace infozoo::apps::plot {

#ifndef INFOZOO_HAVE_PLPLOT

bool available() { return false; }

struct Figure::State {};

Figure::Figure(std::string path, int, int, int) {
  throw std::runtime_error("cannot draw '" + path +
                           "': this infozoo was built without PLplot (install libplplot-dev and "
                           "plplot-driver-cairo, then reconfigure)");
}
Figure::~Figure() = default;
void Figure::heatmap(const at::Tensor&, const Labels&) {}
void Figure::line(const std::vector<double>&, const std::vector<double>&, const Labels&) {}
void Figure::series(const std::vector<Series>&, const Labels&) {}
void Figure::bars(const Bars&, const Labels&) {}
void Figure::decision_boundary(const at::Tensor&, const at::Tensor&, const at::Tensor&,
                               const at::Tensor&, const at::Tensor&, const Labels&) {}
void Figure::save() {}

#else

namespace {

// Legend text: 0.8 of the default size, 2 characters of line spacing per entry.
constexpr double kTextScale = 0.8, kTextSpacing = 2.0;

// cmap0 indices used below.
constexpr PLINT kBackground = 0, kForeground = 1, kRed = 2, kBlue = 3;

// matplotlib's tab10, for series: cmap0 entries kSeriesColour0 onwards (PLplot's default cmap0
// has 16 entries; the first four are the ones above).
constexpr PLINT kSeriesColour0 = 4;
constexpr std::array<std::array<int, 3>, 10> kTab10 = {{{31, 119, 180},
                                                        {255, 127, 14},
                                                        {44, 160, 44},
                                                        {214, 39, 40},
                                                        {148, 103, 189},
                                                        {140, 86, 75},
                                                        {227, 119, 194},
                                                        {127, 127, 127},
                                                        {188, 189, 34},
                                                        {23, 190, 207}}};

// Marker shapes for kMarkers series, in turn (Unicode glyphs, drawn by plstring as
// decision_boundary's points are, and by pllegend as symbols).
constexpr std::array<const char*, 8> kMarkerGlyphs = {"●", "■", "▲", "◆", "▼", "✚", "✖", "★"};

// PLplot's line style 2: short dashes (1 is solid).
constexpr PLINT kSolid = 1, kDash = 2;

// matplotlib's RdBu (ColorBrewer's 11-class RdBu), from dark red through white to dark blue.
constexpr std::array<std::array<double, 3>, 11> kRdBu = {{{0.403922, 0.000000, 0.121569},
                                                          {0.698039, 0.094118, 0.168627},
                                                          {0.839216, 0.376471, 0.301961},
                                                          {0.956863, 0.647059, 0.509804},
                                                          {0.992157, 0.858824, 0.780392},
                                                          {0.968627, 0.968627, 0.968627},
                                                          {0.819608, 0.898039, 0.941176},
                                                          {0.572549, 0.772549, 0.870588},
                                                          {0.262745, 0.576471, 0.764706},
                                                          {0.129412, 0.400000, 0.674510},
                                                          {0.019608, 0.188235, 0.380392}}};

// Loads RdBu's entries [first, last] into cmap1: all of it for heatmaps, its light middle for
// filled regions that points are drawn on.
void set_red_blue_cmap1(size_t first = 0, size_t last = kRdBu.size() - 1) {
  std::vector<PLFLT> pos, r, g, b;
  for (size_t i = first; i <= last; ++i) {
    pos.push_back(static_cast<double>(i - first) / (last - first));
    r.push_back(kRdBu[i][0]);
    g.push_back(kRdBu[i][1]);
    b.push_back(kRdBu[i][2]);
  }
  plscmap1n(256);
  plscmap1l(/*itype=rgb*/ 1, static_cast<PLINT>(pos.size()), pos.data(), r.data(), g.data(),
            b.data(), /*alt_hue_path=*/nullptr);
}

// PLplot's matrices are arrays of pointers to columns: a[ix][iy]. From a row-major [ny, nx]
// tensor (row = y) this is its transpose.
struct PlMatrix {
  std::vector<double> data;
  std::vector<const PLFLT*> rows;
  PLINT nx = 0, ny = 0;
};

PlMatrix to_pl_matrix(const at::Tensor& yx) {
  const auto t = yx.detach().to(at::kCPU, at::kDouble).t().contiguous();  // (nx, ny)
  PlMatrix m;
  m.nx = static_cast<PLINT>(t.size(0));
  m.ny = static_cast<PLINT>(t.size(1));
  m.data.assign(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
  for (PLINT i = 0; i < m.nx; ++i) m.rows.push_back(m.data.data() + static_cast<size_t>(i) * m.ny);
  return m;
}

bool has_pngcairo() {
  // plgDevs fills arrays the caller provides; n is their capacity on input, the count on output.
  std::array<const char*, 128> menu_storage{}, name_storage{};
  const char** menu = menu_storage.data();
  const char** names = name_storage.data();
  int n = static_cast<int>(name_storage.size());
  plgDevs(&menu, &names, &n);
  for (int i = 0; i < n; ++i) {
    if (std::strcmp(names[i], "pngcairo") == 0) return true;
  }
  return false;
}

// While PLplot runs, file descriptor 1 points at stderr, so that nothing PLplot or its drivers
// print can end up in the program's stdout (whose --json output must be JSON only).
class StdoutToStderr {
 public:
  StdoutToStderr() {
    std::fflush(stdout);
    saved_ = ::dup(STDOUT_FILENO);
    if (saved_ >= 0) ::dup2(STDERR_FILENO, STDOUT_FILENO);
  }
  ~StdoutToStderr() {
    std::fflush(stdout);
    if (saved_ >= 0) {
      ::dup2(saved_, STDOUT_FILENO);
      ::close(saved_);
    }
  }
  StdoutToStderr(const StdoutToStderr&) = delete;
  StdoutToStderr& operator=(const StdoutToStderr&) = delete;

 private:
  int saved_ = -1;
};

bool figure_open = false;  // PLplot has one global state: one figure at a time

[[noreturn]] void fail(const std::string& path, const std::string& why) {
  throw std::runtime_error("cannot write plot '" + path + "': " + why);
}

// AtomicFile's reason, without its "cannot write '<path>': " (fail() says that in its own words).
std::string reason(const c10::Error& e, const std::string& path) {
  const auto text = infozoo::detail::first_line(e);
  const auto prefix = "cannot write '" + path + "': ";
  return text.compare(0, prefix.size(), prefix) == 0 ? text.substr(prefix.size()) : text;
}

void check_finite(const at::Tensor& t, const char* name) {
  TORCH_CHECK(at::isfinite(t).all().item<bool>(), "plot: ", name, " must be finite");
}

}  // namespace

bool available() { return true; }

struct Figure::State {
  std::string path;
  std::unique_ptr<io::AtomicFile> file;  // PLplot writes its temp_path(); removed unless saved
  int panels = 1;
  int drawn = 0;
  bool open = false;  // between plinit and plend
  std::unique_ptr<StdoutToStderr> redirect;

  void close_plplot() {
    if (open) {
      plend();
      open = false;
    }
    redirect.reset();
  }

  void next_panel() {
    TORCH_CHECK(open, "plot: the figure '", path, "' is already saved");
    TORCH_CHECK(drawn < panels, "plot: the figure '", path, "' has only ", panels, " panel(s)");
    ++drawn;
    pladv(0);
    plcol0(kForeground);
    plschr(0.0, 1.0);
  }
};

Figure::Figure(std::string path, int width, int height, int panels, int rows)
    : state_(std::make_unique<State>()) {
  if (path.empty()) fail(path, "empty file name");
  if (width < 16 || height < 16) fail(path, "the size must be at least 16x16 pixels");
  if (panels < 1) fail(path, "a figure needs at least one panel");
  if (rows < 1 || rows > panels) fail(path, "a figure needs 1 to `panels` rows");
  if (figure_open) fail(path, "another figure is still being drawn");
  try {
    state_->file = std::make_unique<io::AtomicFile>(path);
  } catch (const c10::Error& e) {
    fail(path, reason(e, path));
  }
  state_->path = std::move(path);
  state_->panels = panels;

  state_->redirect = std::make_unique<StdoutToStderr>();
  // Without pngcairo, plinit would ask for a device on stdin; refuse instead.
  if (!has_pngcairo()) {
    state_->redirect.reset();
    state_->file.reset();
    fail(state_->path, "PLplot has no pngcairo device (install plplot-driver-cairo)");
  }
  plsdev("pngcairo");
  plsfnam(state_->file->temp_path().c_str());
  plspage(0.0, 0.0, width, height, 0, 0);
  plscol0(kBackground, 255, 255, 255);
  plscol0(kForeground, 0, 0, 0);
  plscol0(kRed, 200, 30, 40);
  plscol0(kBlue, 30, 70, 180);
  plssub((panels + rows - 1) / rows, rows);
  plinit();
  state_->open = true;
  figure_open = true;
}

Figure::~Figure() {
  if (!state_ || state_->path.empty()) return;
  const bool unsaved = state_->open;
  state_->close_plplot();
  if (unsaved) {
    figure_open = false;
    state_->file.reset();  // a failed figure leaves nothing behind
  }
}

void Figure::heatmap(const at::Tensor& values, const Labels& labels) {
  TORCH_CHECK(values.dim() == 2 && values.numel() > 0,
              "plot: heatmap values must be a non-empty 2-D tensor, got ", values.sizes());
  check_finite(values, "heatmap values");
  state_->next_panel();
  const auto rows = values.size(0), cols = values.size(1);
  // plimagefr puts the values on cell corners and colours each cell by its first corner, so
  // (rows + 1) x (cols + 1) corners, the last row and column repeated, give one cell per value:
  // cell (row r, col c) spans [c - 0.5, c + 0.5] x [r - 0.5, r + 0.5].
  const auto padded = at::cat({values, values.slice(0, rows - 1)}, 0);
  const auto m = to_pl_matrix(at::cat({padded, padded.slice(1, cols - 1)}, 1));
  double vmin = values.min().item<double>(), vmax = values.max().item<double>();
  if (vmin == vmax) {
    vmin -= 0.5;
    vmax += 0.5;
  }
  set_red_blue_cmap1();
  plvpor(0.12, 0.86, 0.17, 0.88);  // room on the left for the y label
  // A reversed y axis (rows - 0.5 at the bottom, -0.5 at the top) puts row 0 at the top, as imshow.
  plwind(-0.5, cols - 0.5, rows - 0.5, -0.5);
  plimagefr(m.rows.data(), m.nx, m.ny, -0.5, cols - 0.5, -0.5, rows - 0.5, vmin, vmax, vmin, vmax,
            nullptr, nullptr);
  plcol0(kForeground);
  plbox("bcnst", 0.0, 0, "bcnstv", 0.0, 0);
  pllab(labels.x.c_str(), labels.y.c_str(), labels.title.c_str());

  // Colour bar: the same cmap1 from vmin to vmax, labelled on its right.
  const PLINT n_values = 101;
  std::vector<PLFLT> bar(n_values);
  for (PLINT i = 0; i < n_values; ++i) bar[i] = vmin + (vmax - vmin) * i / (n_values - 1);
  const PLFLT* bar_values[] = {bar.data()};
  const char* axis_opts[] = {"bcvtm"};
  PLFLT ticks[] = {0.0};
  PLINT sub_ticks[] = {0};
  PLINT label_opts[] = {0};
  const char* bar_labels[] = {""};
  PLFLT bar_width = 0, bar_height = 0;
  plcolorbar(
      &bar_width, &bar_height, PL_COLORBAR_IMAGE, PL_POSITION_RIGHT, /*x=*/0.02, /*y=*/0.0,
      /*x_length=*/0.025, /*y_length=*/1.0, /*bg_color=*/kBackground, /*bb_color=*/kForeground,
      /*bb_style=*/1, 0.0, 0.0, /*cont_color=*/0, /*cont_width=*/0.0, /*n_labels=*/0, label_opts,
      bar_labels, /*n_axes=*/1, axis_opts, ticks, sub_ticks, &n_values, bar_values);
}

void Figure::line(const std::vector<double>& x, const std::vector<double>& y,
                  const Labels& labels) {
  TORCH_CHECK(!x.empty() && x.size() == y.size(),
              "plot: line needs x and y of the same non-zero length, got ", x.size(), " and ",
              y.size());
  for (size_t i = 0; i < x.size(); ++i) {
    TORCH_CHECK(std::isfinite(x[i]) && std::isfinite(y[i]),
                "plot: line values must be finite, got (", x[i], ", ", y[i], ") at index ", i);
  }
  state_->next_panel();
  auto [xmin, xmax] = std::minmax_element(x.begin(), x.end());
  auto [ymin, ymax] = std::minmax_element(y.begin(), y.end());
  double x0 = *xmin, x1 = *xmax, y0 = *ymin, y1 = *ymax;
  if (x0 == x1) x0 -= 0.5, x1 += 0.5;
  const double pad = y1 > y0 ? 0.05 * (y1 - y0) : 0.5;
  plvpor(0.15, 0.95, 0.15, 0.88);
  plwind(x0, x1, y0 - pad, y1 + pad);
  plbox("bcnst", 0.0, 0, "bcnstv", 0.0, 0);
  pllab(labels.x.c_str(), labels.y.c_str(), labels.title.c_str());
  plcol0(kBlue);
  plwidth(2.0);
  plline(static_cast<PLINT>(x.size()), x.data(), y.data());
  plwidth(1.0);
}

void Figure::series(const std::vector<Series>& series, const Labels& labels) {
  TORCH_CHECK(!series.empty(), "plot: series needs at least one series, got none");
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double x0 = kInf, x1 = -kInf, y0 = kInf, y1 = -kInf;
  for (size_t s = 0; s < series.size(); ++s) {
    const auto& one = series[s];
    TORCH_CHECK(one.x.size() == one.y.size(), "plot: series '", one.label,
                "' needs x and y of the same length, got ", one.x.size(), " and ", one.y.size());
    for (size_t i = 0; i < one.x.size(); ++i) {
      if (!std::isfinite(one.x[i]) || !std::isfinite(one.y[i])) continue;
      x0 = std::min(x0, one.x[i]);
      x1 = std::max(x1, one.x[i]);
      y0 = std::min(y0, one.y[i]);
      y1 = std::max(y1, one.y[i]);
    }
  }
  TORCH_CHECK(x0 <= x1, "plot: series needs at least one finite point (x, y), got none in ",
              series.size(), " series");
  state_->next_panel();
  // A little room around the points, so that markers on the frame stay whole.
  const double xpad = x1 > x0 ? 0.03 * (x1 - x0) : 0.5;
  const double ypad = y1 > y0 ? 0.05 * (y1 - y0) : 0.5;
  // Smaller axis text and wider margins than one-series panels: figures of 3-4 narrow panels
  // otherwise lose the y label and the bottom of the x label, and the title runs off the top.
  constexpr double kVpLeft = 0.17, kVpBottom = 0.2, kVpTop = 0.84;
  plschr(0.0, 0.8);
  plvpor(kVpLeft, 0.95, kVpBottom, kVpTop);
  // Headroom for the legend in the top right corner, so that it covers no point: its height (one
  // text line of kTextSpacing characters per entry, plus a margin) as a fraction of the viewport.
  size_t n_labelled = 0;
  for (const auto& one : series) n_labelled += one.label.empty() ? 0 : 1;
  double legend_fraction = 0;
  if (n_labelled > 0) {
    PLFLT default_mm = 0, char_mm = 0, sx0 = 0, sx1 = 0, sy0 = 0, sy1 = 0;
    plgchr(&default_mm, &char_mm);
    plgspa(&sx0, &sx1, &sy0, &sy1);
    const double viewport_mm = (kVpTop - kVpBottom) * (sy1 - sy0);
    legend_fraction = std::min(
        0.6, ((n_labelled + 0.5) * kTextSpacing * kTextScale * char_mm) / viewport_mm + 0.03);
  }
  const double y_low = y0 - ypad, y_high = y1 + ypad;
  plwind(x0 - xpad, x1 + xpad, y_low,
         y_high + (y_high - y_low) * legend_fraction / (1 - legend_fraction));
  plbox("bcnst", 0.0, 0, "bcnstv", 0.0, 0);
  pllab(labels.x.c_str(), labels.y.c_str(), labels.title.c_str());

  // Legend entries (one per labelled series), filled while drawing.
  std::vector<PLINT> opts, colours, styles, symbol_numbers;
  std::vector<PLFLT> widths, symbol_scales;
  std::vector<const char*> texts, symbols;
  size_t markers_used = 0;
  for (size_t s = 0; s < series.size(); ++s) {
    const auto& one = series[s];
    const PLINT colour = kSeriesColour0 + static_cast<PLINT>(s % kTab10.size());
    const auto& rgb = kTab10[s % kTab10.size()];
    plscol0(colour, rgb[0], rgb[1], rgb[2]);
    plcol0(colour);
    const char* glyph = "";
    const bool points = one.style == Series::Style::kPoints;
    if (one.style == Series::Style::kMarkers || points) {
      glyph = points ? "•" : kMarkerGlyphs[markers_used++ % kMarkerGlyphs.size()];
      std::vector<PLFLT> px, py;
      for (size_t i = 0; i < one.x.size(); ++i) {
        if (!std::isfinite(one.x[i]) || !std::isfinite(one.y[i])) continue;
        px.push_back(one.x[i]);
        py.push_back(one.y[i]);
      }
      plschr(0.0, points ? 0.45 : 0.8);
      if (!px.empty()) plstring(static_cast<PLINT>(px.size()), px.data(), py.data(), glyph);
      plschr(0.0, 1.0);
    } else {
      // A non-finite point breaks the line, as in matplotlib: each finite run is drawn on its own.
      pllsty(one.style == Series::Style::kDashed ? kDash : kSolid);
      plwidth(2.0);
      std::vector<PLFLT> px, py;
      auto flush = [&] {
        if (px.size() >= 2) plline(static_cast<PLINT>(px.size()), px.data(), py.data());
        if (px.size() == 1) plstring(1, px.data(), py.data(), "·");  // a lone point stays visible
        px.clear();
        py.clear();
      };
      for (size_t i = 0; i < one.x.size(); ++i) {
        if (std::isfinite(one.x[i]) && std::isfinite(one.y[i])) {
          px.push_back(one.x[i]);
          py.push_back(one.y[i]);
        } else {
          flush();
        }
      }
      flush();
      plwidth(1.0);
      pllsty(kSolid);
    }
    if (one.label.empty()) continue;
    const bool markers = one.style == Series::Style::kMarkers || points;
    opts.push_back(markers ? PL_LEGEND_SYMBOL : PL_LEGEND_LINE);
    colours.push_back(colour);
    styles.push_back(one.style == Series::Style::kDashed ? kDash : kSolid);
    widths.push_back(2.0);
    symbol_numbers.push_back(markers ? 1 : 0);
    symbol_scales.push_back(points ? 1.2 : 0.8);  // a legend dot large enough to see its colour
    texts.push_back(one.label.c_str());
    symbols.push_back(glyph);
  }
  plcol0(kForeground);
  if (texts.empty()) return;
  const auto n = static_cast<PLINT>(texts.size());
  std::vector<PLINT> text_colours(texts.size(), kForeground);
  PLFLT legend_width = 0, legend_height = 0;
  pllegend(&legend_width, &legend_height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
           PL_POSITION_TOP | PL_POSITION_RIGHT | PL_POSITION_INSIDE, /*x=*/0.02, /*y=*/0.02,
           /*plot_width=*/0.06, /*bg_color=*/kBackground, /*bb_color=*/kForeground,
           /*bb_style=*/kSolid, /*nrow=*/0, /*ncolumn=*/0, n, opts.data(), /*text_offset=*/1.0,
           kTextScale, kTextSpacing, /*text_justification=*/0.0, text_colours.data(), texts.data(),
           /*box_colors=*/nullptr, /*box_patterns=*/nullptr,
           /*box_scales=*/nullptr, /*box_line_widths=*/nullptr, colours.data(), styles.data(),
           widths.data(), colours.data(), symbol_scales.data(), symbol_numbers.data(),
           symbols.data());
}

void Figure::bars(const Bars& bars, const Labels& labels) {
  const size_t n = bars.names.size();
  TORCH_CHECK(n > 0, "plot: bars needs at least one bar, got none");
  TORCH_CHECK(bars.heights.size() == n && bars.group.size() == n,
              "plot: bars needs as many heights and groups as names (", n, "), got ",
              bars.heights.size(), " and ", bars.group.size());
  TORCH_CHECK(bars.marks.empty() || bars.marks.size() == n, "plot: bars needs no marks or ", n,
              ", got ", bars.marks.size());
  double top = 0, bottom = 0;
  size_t longest = 0;
  for (size_t i = 0; i < n; ++i) {
    TORCH_CHECK(std::isfinite(bars.heights[i]), "plot: bar heights must be finite, got ",
                bars.heights[i], " for '", bars.names[i], "'");
    TORCH_CHECK(bars.group[i] >= 0 && static_cast<size_t>(bars.group[i]) < bars.groups.size(),
                "plot: bar '", bars.names[i], "' has group ", bars.group[i], ", not one of the ",
                bars.groups.size(), " groups");
    top = std::max(top, bars.heights[i]);
    bottom = std::min(bottom, bars.heights[i]);
    longest = std::max(longest, bars.names[i].size());
  }
  if (top == bottom) top = 1;
  state_->next_panel();
  // Names of more than 3 characters, or many bars, are written upright so that they never overlap.
  const bool upright = longest > 3 || n > 30;
  const double name_room =
      upright ? std::min(0.3, 0.03 + 0.012 * static_cast<double>(longest)) : 0.1;
  plvpor(0.1, 0.97, name_room + 0.06, 0.86);
  // Headroom above the tallest bar for its mark and the legend.
  const double span = top - bottom;
  const double legend_room = 0.06 * static_cast<double>(bars.groups.size() + 1);
  plwind(-0.6, static_cast<double>(n) - 0.4, bottom, top + span * (0.12 + legend_room));
  plbox("bc", 0.0, 0, "bcnstv", 0.0, 0);
  pllab("", labels.y.c_str(), labels.title.c_str());
  plmtex("b", upright ? 1.0 + name_room * 40 : 3.2, 0.5, 0.5, labels.x.c_str());
  std::vector<PLINT> colours(bars.groups.size());
  for (size_t g = 0; g < bars.groups.size(); ++g) {
    colours[g] = kSeriesColour0 + static_cast<PLINT>(g % kTab10.size());
    const auto& rgb = kTab10[g % kTab10.size()];
    plscol0(colours[g], rgb[0], rgb[1], rgb[2]);
  }
  plschr(0.0, n > 30 ? 0.55 : 0.75);
  for (size_t i = 0; i < n; ++i) {
    const double x = static_cast<double>(i), h = bars.heights[i];
    PLFLT px[] = {x - 0.4, x - 0.4, x + 0.4, x + 0.4};
    PLFLT py[] = {0, h, h, 0};
    plcol0(colours[bars.group[i]]);
    plfill(4, px, py);
    plcol0(kForeground);
    plline(4, px, py);
    if (!bars.marks.empty() && !bars.marks[i].empty()) {
      plptex(x, std::max(h, 0.0) + 0.02 * span, 0, 1, 0.0, bars.marks[i].c_str());  // upright
    }
    // The name below the frame, centred on the bar (upright: read from bottom to top). plmtex
    // writes outside the window, where plptex would be clipped.
    const double at = (x + 0.6) / static_cast<double>(n);  // the bar's centre, in the viewport
    if (upright) {
      plmtex("bv", 0.7, at, 1.0, bars.names[i].c_str());
    } else {
      plmtex("b", 1.5, at, 0.5, bars.names[i].c_str());
    }
  }
  plschr(0.0, 1.0);
  std::vector<PLINT> opts(bars.groups.size(), PL_LEGEND_COLOR_BOX);
  std::vector<PLINT> text_colours(bars.groups.size(), kForeground), patterns(bars.groups.size(), 0);
  std::vector<PLFLT> scales(bars.groups.size(), 0.8), widths(bars.groups.size(), 1.0);
  std::vector<const char*> texts;
  for (const auto& g : bars.groups) texts.push_back(g.c_str());
  PLFLT legend_width = 0, legend_height = 0;
  pllegend(&legend_width, &legend_height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
           PL_POSITION_TOP | PL_POSITION_RIGHT | PL_POSITION_INSIDE, 0.02, 0.02, 0.05, kBackground,
           kForeground, kSolid, 0, 0, static_cast<PLINT>(texts.size()), opts.data(), 1.0, 0.8, 2.0,
           0.0, text_colours.data(), texts.data(), colours.data(), patterns.data(), scales.data(),
           widths.data(), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
}

void Figure::decision_boundary(const at::Tensor& xs, const at::Tensor& ys, const at::Tensor& grid,
                               const at::Tensor& points, const at::Tensor& classes,
                               const Labels& labels) {
  TORCH_CHECK(xs.dim() == 1 && ys.dim() == 1 && xs.size(0) >= 2 && ys.size(0) >= 2,
              "plot: xs and ys must be 1-D with at least 2 values, got ", xs.sizes(), " and ",
              ys.sizes());
  TORCH_CHECK(grid.dim() == 2 && grid.size(0) == ys.size(0) && grid.size(1) == xs.size(0),
              "plot: grid must have shape [ny=", ys.size(0), ", nx=", xs.size(0), "], got ",
              grid.sizes());
  TORCH_CHECK(points.dim() == 2 && points.size(1) == 2, "plot: points must have shape [N, 2], got ",
              points.sizes());
  TORCH_CHECK(classes.dim() == 1 && classes.size(0) == points.size(0),
              "plot: classes must have one label per point (", points.size(0), "), got ",
              classes.sizes());
  check_finite(grid, "grid");
  check_finite(points, "points");
  state_->next_panel();
  const auto xv = to_doubles(xs), yv = to_doubles(ys);
  auto m = to_pl_matrix(grid);
  const double x0 = xv.front(), x1 = xv.back(), y0 = yv.front(), y1 = yv.back();
  plvpor(0.14, 0.80, 0.15, 0.88);  // room on the right for the colour bar
  plwind(x0, x1, y0, y1);

  // Filled probability bands, 10 levels from 0 to 1, in RdBu's light middle (salmon to light blue).
  set_red_blue_cmap1(/*first=*/3, /*last=*/7);
  std::vector<PLFLT> levels(11);
  for (size_t i = 0; i < levels.size(); ++i)
    levels[i] = static_cast<double>(i) / (levels.size() - 1);
  plpsty(0);
  plshades(m.rows.data(), m.nx, m.ny, nullptr, x0, x1, y0, y1, levels.data(),
           static_cast<PLINT>(levels.size()), /*fill_width=*/1.0, /*cont_color=*/0,
           /*cont_width=*/0.0, plfill, /*rectangular=*/1, nullptr, nullptr);

  // The decision boundary P = 0.5.
  std::vector<PLFLT> xg(xv), yg(yv);
  PLcGrid cgrid{xg.data(), yg.data(), nullptr, m.nx, m.ny, 0};
  PLFLT half[] = {0.5};
  plcol0(kForeground);
  plwidth(2.0);
  plcont(m.rows.data(), m.nx, m.ny, 1, m.nx, 1, m.ny, half, 1, pltr1, &cgrid);
  plwidth(1.0);

  // The samples, class 0 red and class 1 blue, as filled circles.
  const auto pts = points.detach().to(at::kCPU, at::kDouble).contiguous();
  const auto cls = classes.detach().to(at::kCPU, at::kLong).contiguous();
  for (int64_t c = 0; c <= 1; ++c) {
    std::vector<PLFLT> px, py;
    for (int64_t i = 0; i < pts.size(0); ++i) {
      if (cls[i].item<int64_t>() != c) continue;
      px.push_back(pts[i][0].item<double>());
      py.push_back(pts[i][1].item<double>());
    }
    if (px.empty()) continue;
    plcol0(c == 0 ? kRed : kBlue);
    plschr(0.0, 0.7);
    plstring(static_cast<PLINT>(px.size()), px.data(), py.data(), "●");
    plschr(0.0, 1.0);
  }
  plcol0(kForeground);
  plbox("bcnst", 0.0, 0, "bcnstv", 0.0, 0);
  pllab(labels.x.c_str(), labels.y.c_str(), labels.title.c_str());

  // Legend of the two classes' markers and the boundary line, while the panel's viewport is
  // current.
  {
    std::array<PLINT, 3> opts{PL_LEGEND_SYMBOL, PL_LEGEND_SYMBOL, PL_LEGEND_LINE};
    std::array<PLINT, 3> colours{kRed, kBlue, kForeground},
        text_colours{kForeground, kForeground, kForeground};
    std::array<PLINT, 3> styles{kSolid, kSolid, kSolid}, symbol_numbers{1, 1, 0};
    std::array<PLFLT, 3> widths{2.0, 2.0, 2.0}, symbol_scales{1.2, 1.2, 0.0};
    std::array<const char*, 3> texts{"class 0", "class 1", "P(class 1) = 0.5"};
    std::array<const char*, 3> symbols{"●", "●", ""};
    PLFLT legend_width = 0, legend_height = 0;
    pllegend(&legend_width, &legend_height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
             PL_POSITION_TOP | PL_POSITION_RIGHT | PL_POSITION_INSIDE, /*x=*/0.02, /*y=*/0.02,
             /*plot_width=*/0.06, /*bg_color=*/kBackground, /*bb_color=*/kForeground,
             /*bb_style=*/kSolid, /*nrow=*/0, /*ncolumn=*/0, 3, opts.data(), /*text_offset=*/1.0,
             kTextScale, kTextSpacing, /*text_justification=*/0.0, text_colours.data(),
             texts.data(),
             /*box_colors=*/nullptr, /*box_patterns=*/nullptr, /*box_scales=*/nullptr,
             /*box_line_widths=*/nullptr, colours.data(), styles.data(), widths.data(),
             colours.data(), symbol_scales.data(), symbol_numbers.data(), symbols.data());
  }

  // Colour bar, drawn by hand in a narrow viewport on the right with the bands' own levels
  // (plcolorbar drew nothing after plshades here): P(class 1) from 0 at the bottom to 1 at the top.
  plvpor(0.83, 0.855, 0.15, 0.88);
  plwind(0.0, 1.0, 0.0, 1.0);
  std::vector<PLFLT> column(2 * 101);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j <= 100; ++j) column[i * 101 + j] = j / 100.0;
  std::vector<PLFLT*> column_rows{column.data(), column.data() + 101};
  plshades(column_rows.data(), 2, 101, nullptr, 0.0, 1.0, 0.0, 1.0, levels.data(),
           static_cast<PLINT>(levels.size()), 1.0, 0, 0.0, plfill, 1, nullptr, nullptr);
  plcol0(kForeground);
  plbox("bc", 0.0, 0, "bcmstv", 0.5, 5);
  plmtex("r", 3.5, 0.5, 0.5, "P(class 1)");
}

void Figure::save() {
  TORCH_CHECK(state_->open, "plot: the figure '", state_->path, "' is already saved");
  state_->close_plplot();  // plend writes the PNG
  figure_open = false;
  // PLplot reports write failures only on stderr: check that a PNG really arrived.
  static const unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  unsigned char head[8] = {};
  std::ifstream in(state_->file->temp_path(), std::ios::binary);
  in.read(reinterpret_cast<char*>(head), sizeof head);
  if (!in || std::memcmp(head, kSignature, sizeof head) != 0) {
    state_->file.reset();
    fail(state_->path, "PLplot did not produce a PNG (see its messages on stderr)");
  }
  in.close();
  try {
    state_->file->commit();  // PLplot closed the file: sync it and rename it into place
  } catch (const c10::Error& e) {
    const auto why = reason(e, state_->path);
    state_->file.reset();
    fail(state_->path, why);
  }
}

#endif

}  // namespace infozoo::apps::plot
