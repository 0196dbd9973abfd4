#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <fmt/format.h>
#include <torch/cuda.h>

#include <algorithm>
#include <deque>
#include <ostream>
#include <string_view>

#include "cli/run_cli.h"

namespace infozoo::apps {
namespace {

// The options every subcommand has, as typed.
struct CommonOptions {
  std::string device = "auto";
  bool json = false;
};

void add_common_options(CLI::App& app, CommonOptions& o) {
  app.add_option("--device", o.device, "auto (CUDA when available), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  app.add_flag("--json", o.json, "Print the reference's values as one JSON object");
}

RunContext resolve(const CommonOptions& o) {
  const bool cuda = torch::cuda::is_available();
  if (o.device == "cuda" && !cuda) {
    throw UsageError(
        "--device cuda: CUDA is not available (no GPU, or LibTorch built without CUDA)");
  }
  RunContext context;
  context.device = (o.device == "cuda" || (o.device == "auto" && cuda)) ? c10::Device(c10::kCUDA)
                                                                        : c10::Device(c10::kCPU);
  return context;
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
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r'))
    message.remove_suffix(1);
  return escape_controls(message);
}

void print(const Outcome& outcome, const CommonOptions& o, std::ostream& out) {
  if (o.json) {
    out << outcome.json.dump(1) << "\n";  // indent=1, as reference.py's json.dump
  } else {
    out << outcome.text;
  }
}

// `infozoo all`: every experiment at its defaults, on the chosen device.
Outcome run_all(const std::vector<Subcommand>& subcommands, const RunContext& context) {
  Outcome all;
  all.json = nlohmann::json::object();
  for (const auto& subcommand : subcommands) {
    if (!subcommand.in_all) continue;
    // Registering the options sets their defaults; experiments that write a picture by
    // default (posenc) do so as they would alone.
    CLI::App defaults;
    Outcome one = subcommand.bind(defaults)(context);
    all.json[subcommand.name] = one.json;
    all.text +=
        fmt::format("== {}: {} ==\n{}\n", subcommand.name, subcommand.description, one.text);
  }
  return all;
}

}  // namespace

int run_cli(const std::vector<Subcommand>& subcommands, const std::vector<std::string>& args,
            std::ostream& out, std::ostream& err) {
  return run_cli(subcommands, args, out, err, nullptr);
}

int run_cli(const std::vector<Subcommand>& subcommands, const std::vector<std::string>& args,
            std::ostream& out, std::ostream& err, const RunFilter& filter) {
  CLI::App app{
      "infozoo: the seed tutorial's information theory, softmax, backprop, attention, "
      "contrastive and diffusion experiments in LibTorch C++",
      "infozoo"};
  app.require_subcommand(1);
  app.fallthrough(false);

  // Each subcommand's options live in its own Runner (bind): registering an option sets its
  // default, and the defaults differ between subcommands (posenc's --out is posenc.png, mlp's is
  // none). The common options get one copy per subcommand too.
  std::deque<CommonOptions> common;  // a deque keeps the addresses CLI11 binds to
  std::vector<Runner> runners;
  runners.reserve(subcommands.size());
  CommonOptions* chosen_common = &common.emplace_back();
  CLI::App* chosen_app = nullptr;
  const Subcommand* chosen = nullptr;
  const Runner* chosen_runner = nullptr;
  for (const auto& subcommand : subcommands) {
    CLI::App* sub = app.add_subcommand(subcommand.name, subcommand.description);
    CommonOptions& own = common.emplace_back();
    add_common_options(*sub, own);
    const Runner& runner = runners.emplace_back(subcommand.bind(*sub));
    sub->callback(
        [&chosen, &chosen_common, &chosen_app, &chosen_runner, sub, &subcommand, &own, &runner] {
          chosen = &subcommand;
          chosen_common = &own;
          chosen_app = sub;
          chosen_runner = &runner;
        });
  }
  CLI::App* all = app.add_subcommand("all", "Run every experiment at its defaults");
  add_common_options(*all, *chosen_common);
  chosen_app = all;

  // CLI11 reports an unknown first word only as "A subcommand is required"; name it instead.
  const auto subcommands = app.get_subcommands([](CLI::App*) { return true; });
  const auto known = [&](const std::string& name) {
    return std::any_of(subcommands.begin(), subcommands.end(),
                       [&](const CLI::App* sub) { return sub->get_name() == name; });
  };
  if (!args.empty() && !args.front().empty() && args.front().front() != '-' &&
      !known(args.front())) {
    err << "infozoo: error: unknown subcommand '" << escape_controls(args.front())
        << "' (see infozoo --help)\n";
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

  try {
    const RunContext context = resolve(*chosen_common);
    if (filter && !filter(chosen, *chosen_app)) return 0;
    const Outcome outcome = chosen ? (*chosen_runner)(context) : run_all(subcommands, context);
    print(outcome, *chosen_common, out);
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

}  // namespace infozoo::apps
