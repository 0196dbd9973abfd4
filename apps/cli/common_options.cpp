#include "cli/common_options.h"

#include "output/plot.h"

namespace infozoo::apps {

void add_seed_option(CLI::App& app, int64_t& seed) {
  app.add_option("--seed", seed, "Random seed, as numpy's np.random.seed / torch.manual_seed")
      ->check(CLI::Range(int64_t{0}, int64_t{4294967295}))
      ->capture_default_str();
}

void add_samples_option(CLI::App& app, int64_t& samples) {
  app.add_option("--samples", samples, "Number of samples")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40))
      ->capture_default_str();
}

void add_bins_option(CLI::App& app, int64_t& bins) {
  app.add_option("--bins", bins, "Histogram bins per axis")
      ->check(CLI::Range(int64_t{1}, int64_t{4096}))
      ->capture_default_str();
}

void add_epochs_option(CLI::App& app, int64_t& epochs) {
  app.add_option("--epochs", epochs, "Training epochs")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40))
      ->capture_default_str();
}

void add_out_option(CLI::App& app, std::string& out, const std::string& default_out) {
  out = plot::available() ? default_out : "";
  app.add_option("--out", out, "Write the plot to this PNG file")->capture_default_str();
}

}  // namespace infozoo::apps
