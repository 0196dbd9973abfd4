// SPDX-License-Identifier: BSD-3-Clause
#include "cli/common_options.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>

#include "output/plot.h"

namespace infozoo::apps {
namespace {

// The name of add_out_option's check, which set_out_option switches off to clear --out.
constexpr const char* kPngCheck = "png-path";

bool is_decimal_integer(const std::string& text) {
  const size_t digits = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  return text.size() > digits &&
         std::all_of(text.begin() + static_cast<std::ptrdiff_t>(digits), text.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; });
}

// Why `path` cannot be --out, or "" when it can: the plotter (PLplot pngcairo) writes PNG only.
std::string png_path_problem(const std::string& path) {
  if (path.empty()) return "the file name is empty (give a .png path)";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return "";  // the plotter says "it is a directory"
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension != ".png") {
    return fmt::format("'{}' must end in .png (the plots are PNG files only)", path);
  }
  return "";
}

}  // namespace

CLI::Validator integer_in(int64_t minimum, int64_t maximum, const std::string& why_minimum) {
  const std::string why = why_minimum.empty() ? "" : " " + why_minimum;
  return CLI::Validator(
      [minimum, maximum, why](const std::string& text) -> std::string {
        if (!is_decimal_integer(text)) return fmt::format("'{}' is not an integer", text);
        const char* first = text.data() + (text[0] == '+' ? 1 : 0);
        int64_t value = 0;
        const auto [end, error] = std::from_chars(first, text.data() + text.size(), value);
        const bool negative = text[0] == '-';
        if (error == std::errc::result_out_of_range) {
          return negative ? fmt::format("must be >= {}{}, got {}", minimum, why, text)
                          : fmt::format("must be <= {}, got {}", maximum, text);
        }
        if (value < minimum) return fmt::format("must be >= {}{}, got {}", minimum, why, value);
        if (value > maximum) return fmt::format("must be <= {}, got {}", maximum, value);
        return "";
      },
      fmt::format("INT in [{} - {}]", minimum, maximum), "integer");
}

void add_seed_option(CLI::App& app, int64_t& seed) {
  app.add_option("--seed", seed, "Random seed, as numpy's np.random.seed / torch.manual_seed")
      ->check(integer_in(0, int64_t{4294967295}))
      ->capture_default_str();
}

void add_seed_options(CLI::App& app, SeedOptions& options) { add_seed_option(app, options.seed); }

void add_samples_option(CLI::App& app, int64_t& samples, int64_t minimum,
                        const std::string& why_minimum) {
  app.add_option("--samples", samples, "Number of samples")
      ->check(integer_in(minimum, kMaxSize, why_minimum))
      ->capture_default_str();
}

void add_bins_option(CLI::App& app, int64_t& bins) {
  app.add_option("--bins", bins, "Histogram bins per axis")
      ->check(integer_in(1, 4096))
      ->capture_default_str();
}

void add_epochs_option(CLI::App& app, int64_t& epochs) {
  app.add_option("--epochs", epochs, "Training epochs")
      ->check(integer_in(1, kMaxSize))
      ->capture_default_str();
}

void add_out_option(CLI::App& app, std::string& out, const std::string& default_out) {
  out = plot::available() ? default_out : "";
  app.add_option("--out", out, "Write the plot to this PNG file (.png)")
      ->check(CLI::Validator(png_path_problem, "", kPngCheck))
      ->capture_default_str();
}

void retype_option(CLI::Option& option, const std::string& value) {
  option.clear();
  option.add_result(value);
  option.run_callback();
}

void set_out_option(CLI::Option& out, const std::string& path) {
  CLI::Validator* png = out.get_validator(kPngCheck);
  png->active(!path.empty());
  retype_option(out, path);
  png->active(true);
}

}  // namespace infozoo::apps
