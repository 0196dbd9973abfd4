// SPDX-License-Identifier: BSD-3-Clause
// Fuzzes the `infozoo` command line: the input, split at NUL bytes, is the argument list given
// to apps::run_cli, so every subcommand's options, validators and run-time checks (UsageError,
// TORCH_CHECK) see arbitrary values. Any outcome but exit code 0, 1 or 2 fails, as do crashes and
// sanitizer reports. To keep each input in milliseconds the RunFilter bounds the work: `all` is
// parsed but not run, sizes are capped, and files are only read or written in a scratch folder.
#include <ATen/ATen.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli/common_options.h"
#include "cli/run_cli.h"
#include "experiments/catalog.h"
#include "fuzz_support.h"

namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxArgs = 24;
constexpr int64_t kMaxSamples = 300, kMaxEpochs = 20, kMaxSteps = 2000, kMaxBins = 256;
// infonce-bound: each step of its default 4 batch sizes (up to B = 1024) costs tens of ms.
constexpr int64_t kMaxStepsPerLevel = 5;
// estimators: 18 tasks, each seed runs four KSGs, and each critic seed trains two critics.
constexpr int64_t kMaxSeeds = 2, kMaxCriticSeeds = 1, kMaxCriticSteps = 5;

// A fresh folder, removed at exit: --out and --weights name files there only. (No chdir: libFuzzer
// reads the corpus through relative paths after the first input has run.)
struct ScratchFolder {
  fs::path path;
  ScratchFolder() {
    std::string pattern = (fs::temp_directory_path() / "infozoo_cli_fuzz_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path = pattern;
  }
  ~ScratchFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

bool plain_name(const std::string& name) { return name.find('/') == std::string::npos; }

const fs::path& scratch_folder() {
  static ScratchFolder folder;
  return folder.path;
}

// The value of `name` as parsed, or "" when the subcommand has no such option or it was not given.
std::string given(CLI::App& app, const char* name) {
  const CLI::Option* option = app.get_option_no_throw(name);
  return option != nullptr && option->count() > 0 ? option->as<std::string>() : "";
}

// Sets option `name` to `value` as if it had been typed (common_options.h).
void retype(CLI::App& app, const char* name, const std::string& value) {
  infozoo::apps::retype_option(*app.get_option(name), value);
}

bool bound_work(const infozoo::apps::Subcommand* chosen, CLI::App& app) {
  if (chosen == nullptr) return false;  // `all`: minutes
  for (const char* path_option : {"--out", "--weights"}) {
    const std::string path = given(app, path_option);
    if (!plain_name(path)) return false;  // no /dev/zero, no ../..
    if (!path.empty()) retype(app, path_option, (scratch_folder() / path).string());
  }
  // A default --out (posenc.png) is written in the scratch folder too.
  if (app.get_option_no_throw("--out") != nullptr && given(app, "--out").empty()) {
    retype(app, "--out", (scratch_folder() / "default.png").string());
  }
  const std::pair<const char*, int64_t> caps[] = {{"--samples", kMaxSamples},
                                                  {"--epochs", kMaxEpochs},
                                                  {"--steps", kMaxSteps},
                                                  {"--bins", kMaxBins},
                                                  {"--steps-per-level", kMaxStepsPerLevel},
                                                  {"--seeds", kMaxSeeds},
                                                  {"--critic-seeds", kMaxCriticSeeds},
                                                  {"--critic-steps", kMaxCriticSteps}};
  for (const auto& [name, cap] : caps) {
    const CLI::Option* option = app.get_option_no_throw(name);
    if (option == nullptr) continue;
    // As typed, or the default the subcommand registered (mlp's 1000 epochs are capped too).
    int64_t value = 0;
    if (option->count() > 0) {
      value = option->as<int64_t>();
    } else if (!CLI::detail::lexical_cast(option->get_default_str(), value)) {
      continue;  // no default: the experiment's own size
    }
    if (value > cap) retype(app, name, std::to_string(cap));
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  infozoo::fuzz::use_one_thread();
  std::vector<std::string> args;
  std::string current;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(data[i]);
    }
  }
  if (!current.empty()) args.push_back(current);
  if (args.size() > kMaxArgs) return -1;  // not added to the corpus
  std::ostringstream out, err;
  const int code = infozoo::apps::run_cli(infozoo::apps::experiments(), args, out, err, bound_work);
  if (code != 0 && code != 1 && code != 2) {
    std::fprintf(stderr, "run_cli returned %d\n", code);
    std::abort();
  }
  // The contract: a failure is exactly one line on stderr. Arguments with line breaks are echoed
  // verbatim in the message (e.g. "unknown subcommand 'ja\n'"; reported), so they are exempt.
  const std::string message = err.str();
  bool line_breaks = false;
  for (const auto& a : args)
    line_breaks = line_breaks || a.find_first_of("\n\r") != std::string::npos;
  if (code != 0 && !line_breaks && std::count(message.begin(), message.end(), '\n') != 1) {
    std::fprintf(stderr, "exit %d with stderr:\n%s\n", code, message.c_str());
    std::abort();
  }
  return 0;
}
