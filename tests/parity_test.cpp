// Every case in tests/expected/reference/ (reference.py's JSON for one section and one set of
// arguments) replayed through `infozoo <section> <args> --json` and compared with tolerances.
#include <gtest/gtest.h>

#include <map>

#include "test_support.h"

namespace infozoo::test_support {
namespace {

// float64 sections (numpy) to 1e-9 relative; float32 sections (torch) to 1e-5. The MLP is
// float64 but 1000 epochs of SGD amplify last-bit differences in BLAS sums, hence 1e-6.
JsonTolerance tolerance_for(const std::string& section) {
  static const std::map<std::string, JsonTolerance> table = {
      {"attention",
       {1e-5, 1e-6}},  // output_sum sums 4096 float32 values: atol for its cancellation
      {"mha", {1e-5, 1e-5}},
      {"infonce", {1e-5, 0.0}},
      {"diffusion", {1e-5, 0.0}},
      {"mlp", {1e-6, 1e-12}},
      {"feature-select", {1e-9, 1e-15, /*allow_extra_keys=*/true}},
  };
  const auto it = table.find(section);
  return it == table.end() ? JsonTolerance{1e-9, 1e-15} : it->second;
}

class ReferenceParity : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceParity, JsonMatchesReference) {
  const auto expected = load_expected("reference/" + GetParam());
  const auto section = expected.at("section").get<std::string>();
  std::vector<std::string> args{section};
  for (const auto& arg : expected.at("args")) {
    args.push_back(arg.get<std::string>());
  }
  args.insert(args.end(), {"--json", "--device", "cpu"});
  const auto result = run_infozoo(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto actual = nlohmann::json::parse(result.out);
  expect_json_near(expected.at("output"), actual, tolerance_for(section));
}

std::string case_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(0, info.param.size() - 5);  // drop ".json"
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Reference, ReferenceParity,
                         ::testing::ValuesIn(expected_files("reference")), case_name);

}  // namespace
}  // namespace infozoo::test_support
