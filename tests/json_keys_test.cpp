// SPDX-License-Identifier: BSD-3-Clause
// docs/json.md, the API reference's page of every subcommand's JSON keys, against the subcommands:
// each subcommand has a section, and each fast one prints exactly the keys its section lists.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "experiments/catalog.h"
#include "test_support.h"
#include "tools/tools.h"

namespace infozoo::test_support {
namespace {

struct Section {
  std::set<std::string> keys;      // always printed
  std::set<std::string> optional;  // printed with an option ("with `--timings`")
};

// "## name" headings, then table rows "| `a`, `b` | meaning |" naming the keys.
std::map<std::string, Section> documented() {
  std::ifstream in(std::string(INFOZOO_EXPECTED_DIR) + "/../../docs/json.md");
  EXPECT_TRUE(in) << "cannot read docs/json.md";
  std::map<std::string, Section> sections;
  std::string line, current;
  const std::regex key_re("`([A-Za-z0-9_]+)`");
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      current = line.substr(3);
      sections[current];
      continue;
    }
    if (current.empty() || line.rfind("| `", 0) != 0) continue;
    const auto bar = line.find(" | ", 2);
    const std::string names = line.substr(2, bar - 2), meaning = line.substr(bar + 3);
    const bool optional = meaning.rfind("with `--timings`", 0) == 0;
    for (std::sregex_iterator it(names.begin(), names.end(), key_re), end; it != end; ++it) {
      (optional ? sections[current].optional : sections[current].keys).insert((*it)[1]);
    }
  }
  return sections;
}

TEST(JsonKeysPage, EverySubcommandHasASection) {
  const auto sections = documented();
  for (const auto& s : apps::every_subcommand()) {
    if (s.name == "all") continue;  // every experiment's object, by name
    EXPECT_TRUE(sections.count(s.name)) << "docs/json.md has no section for " << s.name;
  }
}

class JsonKeys : public ::testing::TestWithParam<std::string> {};

TEST_P(JsonKeys, AreTheDocumentedOnes) {
  const auto sections = documented();
  const auto it = sections.find(GetParam());
  ASSERT_NE(it, sections.end());
  TempDir cwd("infozoo_json_keys");  // where a default --out picture lands
  const auto r = run_infozoo_in(cwd.path, {"--json", "--device", "cpu", GetParam()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> keys;
  const auto j = nlohmann::json::parse(r.out);  // items() of a temporary would dangle
  for (const auto& item : j.items()) keys.insert(item.key());
  EXPECT_EQ(keys, it->second.keys);
}

// Every subcommand that runs in seconds at its defaults; estimators, infonce-bound and ddpm train
// for minutes, and rank and select need a table (their keys are in tools_cli_test).
INSTANTIATE_TEST_SUITE_P(Fast, JsonKeys,
                         ::testing::Values("mi", "info-gain", "temperature", "distill", "softmax",
                                           "jacobian", "mlp", "norms", "attention", "scaling",
                                           "mha", "posenc", "calculus", "feature-select", "mi-hist",
                                           "infonce", "diffusion", "diffusion-mi", "contrastive"),
                         [](const auto& info) { return gtest_name(info.param); });

}  // namespace
}  // namespace infozoo::test_support
