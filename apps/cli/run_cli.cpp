// SPDX-License-Identifier: BSD-3-Clause
// The `infozoo` command line (run_cli.h): CLI11 parses one subcommand per experiment plus `all`;
// errors become one line on stderr and the exit codes of the contract.
#include "cli/run_cli.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <fmt/format.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <new>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/common_options.h"
#include "infozoo/version.h"

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

// The common options in effect: those typed after the subcommand, else those typed before it
// (`infozoo --json mi` is `infozoo mi --json`).
CommonOptions merge(const CommonOptions& before, const CLI::App& top, const CommonOptions& after,
                    const CLI::App& sub) {
  CommonOptions o = after;
  o.json = before.json || after.json;
  if (sub.get_option("--device")->count() == 0 && top.get_option("--device")->count() > 0) {
    o.device = before.device;
  }
  return o;
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

// CLI11 writes a failed check as "--samples: <message>"; a range message reads as a sentence
// ("--samples must be >= 4 ..., got 3"), like the subcommands' own UsageErrors.
std::string validation_message(const CLI::ValidationError& e) {
  std::string text = e.what();
  const auto colon = text.find(": must ");
  if (colon != std::string::npos && text.rfind("--", 0) == 0 && text.find_first_of(" :") == colon) {
    text.erase(colon, 1);
  }
  return text;
}

// Damerau-Levenshtein distance (optimal string alignment): a swapped pair of letters counts 1.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The long option names (--samples) of `app`, and of the top-level app when it is a subcommand.
std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* a = &app; a != nullptr; a = a->get_parent()) {
    for (const CLI::Option* option : a->get_options()) {
      for (const auto& name : option->get_lnames()) names.push_back("--" + name);
    }
  }
  return names;
}

// The closest of `names` to the unknown option `typed` (its `=value` dropped), when one is
// close: at most a third of its letters wrong, at most 3 (--sampels, --seeds, --jsn).
std::string closest(const std::string& typed, const std::vector<std::string>& names) {
  const std::string word = typed.substr(0, typed.find('='));
  const size_t letters = word.size() - std::min<size_t>(word.find_first_not_of('-'), word.size());
  const size_t limit = std::min<size_t>(3, std::max<size_t>(1, letters / 3));
  std::string best;
  size_t best_distance = limit + 1;
  for (const auto& name : names) {
    const size_t distance = edit_distance(word, name);
    if (distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

// "unknown option --sampels (did you mean --samples?), unexpected argument 'x'": the arguments
// nothing took, in the order typed (CLI11's own message lists them back to front).
std::string extras_message(const CLI::App& app, const std::vector<std::string>& extras) {
  // Words before the subcommand are the top level's to take, the rest the subcommand's.
  const CLI::App* where = &app;
  const auto parsed = app.get_subcommands();
  if (app.remaining(/*recurse=*/false).empty() && !parsed.empty()) where = parsed.front();
  const auto names = option_names(*where);
  std::string message;
  for (const auto& extra : extras) {
    if (!message.empty()) message += ", ";
    if (extra.size() > 1 && extra[0] == '-') {
      message += "unknown option " + extra;
      const std::string suggestion = closest(extra, names);
      if (!suggestion.empty()) message += " (did you mean " + suggestion + "?)";
    } else {
      message += "unexpected argument '" + extra + "'";
    }
  }
  const std::string help =
      where == &app ? "infozoo --help" : "infozoo " + where->get_name() + " --help";
  return fmt::format("{} (see {})", escape_controls(message), help);
}

// The size options typed on the command line, as "--samples 1099511627776", for an
// out-of-memory error; "" when none was typed.
std::string typed_sizes(const CLI::App* app) {
  if (app == nullptr) return "";
  std::string typed;
  for (const char* name : {"--samples", "--epochs", "--steps", "--bins", "--batch-size"}) {
    const CLI::Option* option = app->get_option_no_throw(name);
    if (option == nullptr || option->count() == 0) continue;
    typed += fmt::format("{}{} {}", typed.empty() ? "" : ", ", name, option->as<std::string>());
  }
  return typed;
}

// One line for an allocation that failed: what was asked for, not the allocator's own text.
std::string out_of_memory_message(const CLI::App* app) {
  const std::string name = app == nullptr || app->get_name().empty() ? "all" : app->get_name();
  const std::string sizes = typed_sizes(app);
  if (sizes.empty()) return fmt::format("out of memory: {} needs more memory than is free", name);
  return fmt::format("out of memory: {} with {} needs more memory than is free (try a smaller {})",
                     name, sizes, sizes.substr(0, sizes.find(' ')));
}

bool is_out_of_memory(const c10::Error& e) {
  const std::string_view text = e.what_without_backtrace();
  return text.find("can't allocate memory") != std::string_view::npos ||
         text.find("out of memory") != std::string_view::npos;
}

void print(const Outcome& outcome, const CommonOptions& o, std::ostream& out) {
  if (o.json) {
    out << outcome.json.dump(1) << "\n";  // indent=1, as reference.py's json.dump
  } else {
    out << outcome.text;
  }
}

// `infozoo all`: every experiment at its defaults, on the chosen device. Pictures are drawn only
// into `out_dir` (one <subcommand>.png each), never into the working directory unasked.
Outcome run_all(const std::vector<Subcommand>& subcommands, const RunContext& context,
                const std::string& out_dir) {
  Outcome all;
  all.json = nlohmann::json::object();
  for (const auto& subcommand : subcommands) {
    if (!subcommand.in_all) continue;
    CLI::App defaults;  // registering the options sets their defaults
    const Runner runner = subcommand.bind(defaults);
    if (CLI::Option* out = defaults.get_option_no_throw("--out")) {
      set_out_option(*out,
                     out_dir.empty()
                         ? ""
                         : (std::filesystem::path(out_dir) / (subcommand.name + ".png")).string());
    }
    Outcome one = runner(context);
    all.json[subcommand.name] = one.json;
    all.text +=
        fmt::format("== {}: {} ==\n{}\n", subcommand.name, subcommand.description, one.text);
  }
  return all;
}

// The first word that is not a top-level option (or its value): the subcommand, as typed.
const std::string* first_word(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--device") {
      ++i;  // its value
    } else if (args[i].empty() || args[i].front() != '-') {
      return &args[i];
    }
  }
  return nullptr;
}

// An option of a subcommand typed before it (`infozoo --samples 5 mi`): the option's name and the
// subcommand's app, or nulls. Only the common options (and --help, --version) go before it.
std::pair<std::string, const CLI::App*> misplaced_option(const std::vector<std::string>& args,
                                                         const std::vector<CLI::App*>& registered) {
  for (size_t i = 0; i < args.size() && !args[i].empty() && args[i].front() == '-'; ++i) {
    const std::string name = args[i].substr(0, args[i].find('='));
    if (name == "--device") {
      if (name.size() == args[i].size()) ++i;  // its value
      continue;
    }
    if (name == "--json" || name == "--help" || name == "-h" || name == "--version") continue;
    for (size_t j = i + 1; j < args.size(); ++j) {
      for (const CLI::App* sub : registered) {
        if (sub->get_name() == args[j] && sub->get_option_no_throw(name) != nullptr) {
          return {name, sub};
        }
      }
    }
    return {"", nullptr};
  }
  return {"", nullptr};
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
  app.set_version_flag(
      "--version", fmt::format("infozoo {} (LibTorch {})", INFOZOO_VERSION_STRING, TORCH_VERSION));
  // The common options may also come before the subcommand: `infozoo --json mi`.
  CommonOptions before;
  add_common_options(app, before);

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
  std::string out_dir;
  all->add_option("--out-dir", out_dir,
                  "Draw every experiment's picture into this existing folder, as "
                  "<subcommand>.png (without it, `all` writes no files)")
      ->check(CLI::ExistingDirectory);
  chosen_app = all;

  // CLI11 reports an unknown first word only as "A subcommand is required"; name it instead.
  const auto registered = app.get_subcommands([](CLI::App*) { return true; });
  const auto known = [&](const std::string& name) {
    return std::any_of(registered.begin(), registered.end(),
                       [&](const CLI::App* sub) { return sub->get_name() == name; });
  };
  if (const auto [name, sub] = misplaced_option(args, registered); sub != nullptr) {
    err << "infozoo: error: " << escape_controls(name) << " is an option of " << sub->get_name()
        << ": put it after the subcommand, as in 'infozoo " << sub->get_name() << " "
        << escape_controls(name) << " ...' (see infozoo " << sub->get_name() << " --help)\n";
    return 2;
  }
  if (const std::string* word = first_word(args); word != nullptr && !known(*word)) {
    err << "infozoo: error: unknown subcommand '" << escape_controls(*word)
        << "' (see infozoo --help)\n";
    return 2;
  }

  // CLI11 parses back to front.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app.exit(e, out, err);  // --help, --version
    }
    const auto parsed = app.get_subcommands();
    const std::string help =
        parsed.empty() ? "infozoo --help" : "infozoo " + parsed.front()->get_name() + " --help";
    std::string message;
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      message = extras_message(app, app.remaining(/*recurse=*/true));
    } else if (const auto* invalid = dynamic_cast<const CLI::ValidationError*>(&e)) {
      message = one_line(validation_message(*invalid)) + " (see " + help + ")";
    } else {
      message = one_line(e.what()) + " (see " + help + ")";
    }
    err << "infozoo: error: " << message << "\n";
    return 2;
  }

  const CLI::App* typed = chosen ? chosen_app : nullptr;
  const CommonOptions in_effect = merge(before, app, *chosen_common, *chosen_app);
  try {
    const RunContext context = resolve(in_effect);
    if (filter && !filter(chosen, *chosen_app)) return 0;
    const Outcome outcome =
        chosen ? (*chosen_runner)(context) : run_all(subcommands, context, out_dir);
    print(outcome, in_effect, out);
    out.flush();
    return 0;
  } catch (const UsageError& e) {
    err << "infozoo: error: " << one_line(e.what()) << "\n";
    return 2;
  } catch (const c10::Error& e) {
    const std::string message =
        is_out_of_memory(e) ? out_of_memory_message(typed) : one_line(e.what_without_backtrace());
    err << "infozoo: error: " << message << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    err << "infozoo: error: " << out_of_memory_message(typed) << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << "infozoo: error: " << one_line(e.what()) << "\n";
    return 1;
  }
}

}  // namespace infozoo::apps
