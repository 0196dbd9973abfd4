// state_dict files shared with Python: files written by torch.save in Python 1.13
// (tests/generators/mha_weights.py) load into the C++ modules, C++-written files load back, and
// missing, corrupt, truncated or mismatched files are refused with the key or file named.
#include "infozoo/io/state_dict.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include "infozoo/models/multi_head_attention.h"
#include "test_support.h"

namespace infozoo::io {
namespace {

const std::string kExpected = INFOZOO_EXPECTED_DIR;
const std::string kMhaFile = kExpected + "/mha_weights/state_dict.pt";
const std::string kMixedFile = kExpected + "/mha_weights/mixed.pt";

using infozoo::test_support::expect_error;
using models::MultiHeadAttention;
using models::MultiHeadAttentionOptions;

// A fresh file name under the system temporary directory, removed at the end of the test.
class StateDictTest : public ::testing::Test {
 protected:
  std::string temp(const std::string& name) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("infozoo_state_dict_" + std::to_string(::getpid()) + "_" + name);
    files_.push_back(path.string());
    return path.string();
  }
  void TearDown() override {
    for (const auto& f : files_) std::remove(f.c_str());
  }
  static std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  static void write(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

 private:
  std::vector<std::string> files_;
};

TEST_F(StateDictTest, ReadsPythonsSeedModuleInOrder) {
  const auto entries = read_state_dict(kMhaFile);
  std::vector<std::string> keys;
  for (const auto& [name, tensor] : entries) keys.push_back(name);
  EXPECT_EQ(keys, (std::vector<std::string>{"W_Q.weight", "W_Q.bias", "W_K.weight", "W_K.bias",
                                            "W_V.weight", "W_V.bias", "W_O.weight", "W_O.bias"}));
  EXPECT_EQ(entries[0].second.sizes(), torch::IntArrayRef({512, 512}));
  EXPECT_EQ(entries[0].second.scalar_type(), torch::kFloat);
  // Python built it after torch.manual_seed(7): the same draws in C++ give the same weights.
  torch::manual_seed(7);
  MultiHeadAttention same_seed(512, 8);
  for (const auto& [name, tensor] : entries) {
    EXPECT_TRUE(torch::equal(tensor, same_seed->named_parameters()[name])) << name;
  }
}

TEST_F(StateDictTest, LoadsIntoTheModule) {
  torch::manual_seed(0);
  MultiHeadAttention m(512, 8);
  load_state_dict(*m, kMhaFile);
  const auto entries = read_state_dict(kMhaFile);
  for (const auto& [name, tensor] : entries) {
    EXPECT_TRUE(torch::equal(m->named_parameters()[name], tensor)) << name;
  }
  EXPECT_TRUE(m->W_Q->weight.requires_grad());  // still a trainable parameter
}

TEST_F(StateDictTest, ReadsOtherDtypesViewsAndSharedStorage) {
  const auto expected = testing::load_expected("mha_weights/mixed.json");
  const auto entries = read_state_dict(kMixedFile);
  ASSERT_EQ(entries.size(), expected.size());
  for (const auto& [name, tensor] : entries) {
    SCOPED_TRACE(name);
    const auto& e = expected.at(name);
    EXPECT_EQ(tensor.sizes().vec(), e.at("shape").get<std::vector<int64_t>>());
    EXPECT_EQ(c10::toString(tensor.scalar_type()),
              std::string(e.at("dtype") == "float64" ? "Double"
                          : e.at("dtype") == "int64" ? "Long"
                                                     : "Float"));
    const auto flat = tensor.contiguous().view(-1);
    const auto values = e.at("values");
    ASSERT_EQ(static_cast<size_t>(flat.numel()), values.size());
    for (int64_t i = 0; i < flat.numel(); ++i) {
      if (tensor.scalar_type() == torch::kLong) {
        EXPECT_EQ(flat[i].item<int64_t>(), values[i].get<int64_t>());
      } else {
        EXPECT_EQ(flat[i].item<double>(), values[i].get<double>());
      }
    }
  }
}

TEST_F(StateDictTest, CppSavedFileLoadsBack) {
  torch::manual_seed(3);
  MultiHeadAttention a(MultiHeadAttentionOptions(16, 4));
  const auto path = temp("roundtrip.pt");
  save_state_dict(*a, path);
  MultiHeadAttention b(MultiHeadAttentionOptions(16, 4));
  ASSERT_FALSE(torch::equal(a->W_V->weight, b->W_V->weight));
  load_state_dict(*b, path);
  for (const auto& p : a->named_parameters()) {
    EXPECT_TRUE(torch::equal(p.value(), b->named_parameters()[p.key()])) << p.key();
  }
  // The pickle is the one Python's torch.save writes (stored uncompressed in the zip): an
  // OrderedDict of _rebuild_tensor_v2, without the torch.jit global that torch.load refuses
  // under weights_only=True (PyTorch >= 2.6).
  const auto bytes = bytes_of(path);
  EXPECT_NE(bytes.find("collections\nOrderedDict\n"), std::string::npos);
  EXPECT_NE(bytes.find("torch._utils\n_rebuild_tensor_v2\n"), std::string::npos);
  EXPECT_EQ(bytes.find("torch.jit"), std::string::npos);
  // Names keep the module's order; other dtypes survive.
  write_state_dict(
      {{"x", torch::arange(5, torch::kLong)}, {"y", torch::ones({2, 2}, torch::kDouble).t()}},
      path);
  const auto entries = read_state_dict(path);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].first, "x");
  EXPECT_TRUE(torch::equal(entries[0].second, torch::arange(5, torch::kLong)));
  EXPECT_EQ(entries[1].second.scalar_type(), torch::kDouble);
}

TEST_F(StateDictTest, MhaWeightsOptionMatchesPythonWithTheSameFile) {
  for (const char* name : {"reference_seed42.json", "reference_seed3.json"}) {
    SCOPED_TRACE(name);
    const auto expected = testing::load_expected(std::string("mha_weights/") + name);
    std::vector<std::string> args{"mha"};
    for (const auto& arg : expected.at("args")) args.push_back(arg.get<std::string>());
    args.back() = kExpected + "/" + args.back();  // the file, relative to tests/expected
    args.insert(args.end(), {"--json", "--device", "cpu"});
    const auto result = testing::run_infozoo(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    // float32, as the `mha` parity cases (output_sum adds 10240 values, hence the atol).
    testing::expect_json_near(expected.at("output"), nlohmann::json::parse(result.out),
                              {1e-5, 1e-5});
  }
}

TEST_F(StateDictTest, MissingCorruptAndTruncatedFilesAreNamed) {
  MultiHeadAttention m(512, 8);
  expect_error(
      [&] { load_state_dict(*m, "/nonexistent/weights.pt"); },
      "state_dict file '/nonexistent/weights.pt' cannot be opened (missing or unreadable)");
  const auto garbage = temp("garbage.pt");
  write(garbage, "this is not a zip archive, nor a pickle");
  expect_error([&] { load_state_dict(*m, garbage); },
               "state_dict file '" + garbage + "' is not a readable torch.save archive");
  const auto bytes = bytes_of(kMhaFile);
  for (const size_t keep : {bytes.size() / 2, bytes.size() - 100, size_t{200}}) {
    const auto truncated = temp("truncated.pt");
    write(truncated, bytes.substr(0, keep));
    expect_error([&] { load_state_dict(*m, truncated); },
                 "state_dict file '" + truncated + "' is not a readable torch.save archive");
  }
  const auto result = testing::run_infozoo({"mha", "--weights", "/nonexistent/weights.pt"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("/nonexistent/weights.pt"), std::string::npos) << result.err;
}

TEST_F(StateDictTest, KeyAndShapeMismatchesAreNamed) {
  MultiHeadAttention small(64, 8);
  expect_error([&] { load_state_dict(*small, kMhaFile); },
               "key 'W_Q.weight' has shape [512, 512] but the module's has shape [64, 64]");
  MultiHeadAttention no_bias(MultiHeadAttentionOptions(512, 8).bias(false));
  expect_error(
      [&] { load_state_dict(*no_bias, kMhaFile); },
      "has unexpected key(s) 'W_Q.bias', 'W_K.bias', 'W_V.bias', 'W_O.bias' that the module "
      "lacks");
  const auto path = temp("no_bias.pt");
  save_state_dict(*no_bias, path);
  MultiHeadAttention with_bias(512, 8);
  expect_error([&] { load_state_dict(*with_bias, path); },
               "lacks key(s) 'W_Q.bias', 'W_K.bias', 'W_V.bias', 'W_O.bias' that the module has");
  expect_error([&] { load_state_dict(*with_bias, kMixedFile); }, "lacks key(s) 'W_Q.weight'");
}

TEST_F(StateDictTest, LoadsOntoTheModulesDevice_CUDA) {
  if (!testing::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  MultiHeadAttention m(512, 8);
  m->to(torch::kCUDA);
  load_state_dict(*m, kMhaFile);
  EXPECT_TRUE(m->W_O->bias.is_cuda());
  EXPECT_TRUE(torch::equal(m->W_O->bias.cpu(), read_state_dict(kMhaFile)[7].second));
  const auto path = temp("cuda.pt");
  save_state_dict(*m, path);
  EXPECT_FALSE(read_state_dict(path)[0].second.is_cuda());
}

}  // namespace
}  // namespace infozoo::io
