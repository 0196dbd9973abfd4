// SPDX-License-Identifier: BSD-3-Clause
// Every case in tests/expected/reference/ (reference.py's JSON for one section and one set of
// arguments) replayed through `infozoo <section> <args> --json` and compared with tolerances.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "test_support.h"

namespace infozoo::test_support {
namespace {

// float64 sections (numpy) in float64 ulps (JsonTolerance::max_ulps), measured against the
// committed reference (tests/expected/PROVENANCE.md) with Debian 12's LibTorch 1.13.1 on x86-64:
// most are bit for bit (0 ulps), where the README says so; the others get a budget of 2-4 times
// the distance measured, with the reason. float32 sections (torch) keep relative tolerances: their
// GEMMs and vectorised kernels round differently with another BLAS, thread count or processor.
JsonTolerance tolerance_for(const std::string& section) {
  JsonTolerance bit_for_bit;
  bit_for_bit.max_ulps = 0;
  static const std::map<std::string, JsonTolerance> table = [&] {
    std::map<std::string, JsonTolerance> t;
    t["attention"] = {1e-5,
                      1e-6};  // output_sum sums 4096 float32 values: atol for its cancellation
    t["attention"].allow_extra_keys = true;  // the weights' statistics, beyond the seed
    t["mha"] = {1e-5, 1e-5};                 // measured 4.6e-6 relative (float32 GEMMs)
    t["mha"].allow_extra_keys = true;        // where the weights came from, per-head statistics
    t["infonce"] = {1e-5, 0.0};
    t["infonce"].allow_extra_keys = true;  // the hard-negative gradient shares, beyond the seed
    t["diffusion"] = {1e-5, 0.0};
    t["diffusion"].allow_extra_keys = true;  // the bound's half-life and share lost early
    // Bit for bit: numpy's and scikit-learn's operations in their order.
    for (const char* s : {"mi", "info-gain", "softmax", "jacobian"}) {
      t[s] = bit_for_bit;
      t[s].allow_extra_keys = true;  // the reading's numbers (H(y), autograd's error, ...)
    }
    t["feature-select"] = bit_for_bit;
    t["feature-select"].allow_extra_keys = true;
    // Histogram MI bit for bit; Pearson's r sums in another order than np.corrcoef (6 ulps).
    t["mi-hist"] = bit_for_bit;
    t["mi-hist"].max_ulps_by_key = {{"pearson_linear", 16}, {"pearson_nonlinear", 16}};
    t["mi-hist"].allow_extra_keys = true;  // the shuffled floor, beyond the seed
    // 1000 epochs of SGD in the fused CPU kernel's order against numpy's BLAS: 1 ulp on the loss.
    t["mlp"] = bit_for_bit;
    t["mlp"].max_ulps_by_key = {{"loss", 4}};
    t["mlp"].allow_extra_keys = true;  // the held-out accuracy
    // exp and log of the softmax: 2 ulps.
    t["temperature"] = bit_for_bit;
    t["temperature"].max_ulps_by_key = {{"probs", 4}, {"entropy", 4}};
    t["temperature"].allow_extra_keys = true;  // the exact entropy and largest weight
    // sin/cos of pos / 10000^(2i/d): 1 ulp at position 1; at position 49, 1023 ulps (1.6e-13
    // relative) from the rounding of the larger arguments.
    t["posenc"] = bit_for_bit;
    t["posenc"].max_ulps_by_key = {{"row1_head", 4}, {"row49_head", 2048}, {"sum", 4}};
    t["posenc"].allow_extra_keys = true;  // the relative-position measurements, beyond the seed
    return t;
  }();
  const auto it = table.find(section);
  return it == table.end() ? bit_for_bit : it->second;
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
  TempDir cwd("infozoo_parity");  // where a default --out picture lands
  const auto result = run_infozoo_in(cwd.path, args);
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

TEST(UlpDistance, CountsRepresentableDoubles) {
  EXPECT_EQ(ulp_distance(1.0, 1.0), 0);
  EXPECT_EQ(ulp_distance(0.0, -0.0), 0);
  EXPECT_EQ(ulp_distance(1.0, std::nextafter(1.0, 2.0)), 1);
  EXPECT_EQ(ulp_distance(std::nextafter(1.0, 0.0), std::nextafter(1.0, 2.0)), 2);
  EXPECT_EQ(ulp_distance(-1.0, std::nextafter(-1.0, -2.0)), 1);
  const double tiny = std::numeric_limits<double>::denorm_min();
  EXPECT_EQ(ulp_distance(-tiny, tiny), 2);
  // The seed's perfect split with and without its + 1e-10 guard: 1.44e-10 relative.
  EXPECT_GT(ulp_distance(0.9999999998557304, 1.0), 600000);
  EXPECT_EQ(ulp_distance(std::nan(""), 1.0), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ulp_distance(-std::numeric_limits<double>::max(), std::numeric_limits<double>::max()),
            std::numeric_limits<int64_t>::max());
}

INSTANTIATE_TEST_SUITE_P(Reference, ReferenceParity,
                         ::testing::ValuesIn(expected_files("reference")), case_name);

}  // namespace
}  // namespace infozoo::test_support
