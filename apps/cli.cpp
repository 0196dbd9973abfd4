// The `infozoo` command line: one CLI11 subcommand per experiment plus `all`, with the exit
// codes of the contract (0 success, 1 runtime failure, 2 bad option or value).
#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <fmt/format.h>
#include <torch/cuda.h>

#include <algorithm>
#include <deque>
#include <ostream>
#include <string_view>

#include "experiment.h"
#include "experiments.h"
#include "plot.h"

namespace infozoo::apps {
namespace {

void add_common_options(CLI::App& app, Settings& s) {
  app.add_option("--device", s.device, "auto (CUDA when available), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  app.add_flag("--json", s.json, "Print the reference's values as one JSON object");
}

void resolve_device(Settings& s) {
  const bool cuda = torch::cuda::is_available();
  if (s.device == "cuda" && !cuda) {
    throw UsageError("--device cuda: CUDA is not available (no GPU, or LibTorch built without CUDA)");
  }
  s.resolved_device = (s.device == "cuda" || (s.device == "auto" && cuda)) ? c10::Device(c10::kCUDA)
                                                                          : c10::Device(c10::kCPU);
}

// Errors are one line on stderr, whatever they quote: a newline or other control character from
// argv or a path is written escaped (\n, \t, \xHH).
std::string escape_controls(std::string_view text) {
  std::string line;
  line.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      line += "\\n";
    } else if (c == '\t') {
      line += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      line += fmt::format("\\x{:02x}", byte);
    } else {
      line += c;
    }
  }
  return line;
}

// An exception's text as one line: its own trailing line breaks dropped, the rest escaped.
std::string one_line(std::string_view message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.remove_suffix(1);
  return escape_controls(message);
}

void print(const Outcome& outcome, const Settings& s, std::ostream& out) {
  if (s.json) {
    out << outcome.json.dump(1) << "\n";  // indent=1, as reference.py's json.dump
  } else {
    out << outcome.text;
  }
}

// `infozoo all`: every experiment at its defaults, on the chosen device.
Outcome run_all(const Settings& common) {
  Outcome all;
  all.json = nlohmann::json::object();
  for (const auto& experiment : experiments()) {
    if (!experiment.in_all) continue;
    Settings s;
    s.device = common.device;
    s.resolved_device = common.resolved_device;
    s.json = common.json;
    // Registering the options sets their defaults; experiments that write a picture by
    // default (posenc) do so as they would alone.
    CLI::App defaults;
    experiment.add_options(defaults, s);
    Outcome one = experiment.run(s);
    all.json[experiment.name] = one.json;
    all.text += fmt::format("== {}: {} ==\n{}\n", experiment.name, experiment.description, one.text);
  }
  return all;
}

}  // namespace

std::vector<double> to_doubles(const at::Tensor& t) {
  const auto c = t.detach().to(at::kCPU, at::kDouble).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

void add_seed_option(CLI::App& app, Settings& s) {
  app.add_option("--seed", s.seed, "Random seed, as numpy's np.random.seed / torch.manual_seed")
      ->check(CLI::Range(int64_t{0}, int64_t{4294967295}))
      ->capture_default_str();
}

void add_samples_option(CLI::App& app, Settings& s, int64_t default_samples) {
  app.add_option("--samples", s.samples, fmt::format("Number of samples (default {})", default_samples))
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
}

void add_bins_option(CLI::App& app, Settings& s) {
  app.add_option("--bins", s.bins, "Histogram bins per axis")
      ->check(CLI::Range(int64_t{1}, int64_t{4096}))
      ->capture_default_str();
}

void add_epochs_option(CLI::App& app, Settings& s) {
  app.add_option("--epochs", s.epochs, "Training epochs")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40))
      ->capture_default_str();
}

void add_out_option(CLI::App& app, Settings& s, const std::string& default_out) {
  // A build without PLplot draws nothing unless asked: an explicit --out still fails, clearly.
  s.out = plot::available() ? default_out : "";
  app.add_option("--out", s.out, "Write the plot to this PNG file")->capture_default_str();
}

OneIntraOpThread::OneIntraOpThread() : threads_before_(at::get_num_threads()) { at::set_num_threads(1); }

OneIntraOpThread::~OneIntraOpThread() { at::set_num_threads(threads_before_); }

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return run_cli(args, out, err, nullptr);
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const RunFilter& filter) {
  CLI::App app{"infozoo: the seed tutorial's information theory, softmax, backprop, attention, "
               "contrastive and diffusion experiments in LibTorch C++",
               "infozoo"};
  app.require_subcommand(1);
  app.fallthrough(false);

  // One Settings per subcommand: registering an option sets its default, and the defaults differ
  // between subcommands (posenc's --out is posenc.png, mlp's is none), so they cannot share one.
  std::deque<Settings> subcommand_settings;  // a deque keeps the addresses CLI11 binds to
  Settings all_settings;
  Settings* chosen_settings = &all_settings;
  const Experiment* chosen = nullptr;
  for (const auto& experiment : experiments()) {
    CLI::App* sub = app.add_subcommand(experiment.name, experiment.description);
    Settings& own = subcommand_settings.emplace_back();
    add_common_options(*sub, own);
    experiment.add_options(*sub, own);
    sub->callback([&chosen, &chosen_settings, &experiment, &own] {
      chosen = &experiment;
      chosen_settings = &own;
    });
  }
  CLI::App* all = app.add_subcommand("all", "Run every experiment at its defaults");
  add_common_options(*all, all_settings);

  // CLI11 reports an unknown first word only as "A subcommand is required"; name it instead.
  const auto subcommands = app.get_subcommands([](CLI::App*) { return true; });
  const auto known = [&](const std::string& name) {
    return std::any_of(subcommands.begin(), subcommands.end(),
                       [&](const CLI::App* sub) { return sub->get_name() == name; });
  };
  if (!args.empty() && !args.front().empty() && args.front().front() != '-' && !known(args.front())) {
    err << "infozoo: error: unknown subcommand '" << escape_controls(args.front()) << "' (see infozoo --help)\n";
    return 2;
  }

  // CLI11 parses back to front.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app.exit(e, out, err);  // --help
    }
    err << "infozoo: error: " << one_line(e.what()) << " (see infozoo --help)\n";
    return 2;
  }

  Settings& settings = *chosen_settings;
  try {
    resolve_device(settings);
    if (filter && !filter(chosen, settings)) return 0;
    const Outcome outcome = chosen ? chosen->run(settings) : run_all(settings);
    print(outcome, settings, out);
    out.flush();
    return 0;
  } catch (const UsageError& e) {
    err << "infozoo: error: " << one_line(e.what()) << "\n";
    return 2;
  } catch (const c10::Error& e) {
    err << "infozoo: error: " << one_line(e.what_without_backtrace()) << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << "infozoo: error: " << one_line(e.what()) << "\n";
    return 1;
  }
}

Experiment not_implemented_experiment(std::string name, std::string description) {
  return Experiment{std::move(name), std::move(description) + " (not implemented yet)",
                    [](CLI::App&, Settings&) {},
                    [](const Settings&) -> Outcome { throw std::runtime_error("not implemented yet"); }};
}

}  // namespace infozoo::apps
