// SPDX-License-Identifier: BSD-3-Clause
// state_dict files shared with Python: files written by torch.save in Python 1.13
// (tests/generators/mha_weights.py) load into the C++ modules, C++-written files load back, and
// missing, corrupt, truncated or mismatched files are refused with the key or file named.
#include "infozoo/io/state_dict.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <unistd.h>

#include <algorithm>
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
  const auto expected = test_support::load_expected("mha_weights/mixed.json");
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
    const auto expected = test_support::load_expected(std::string("mha_weights/") + name);
    std::vector<std::string> args{"mha"};
    for (const auto& arg : expected.at("args")) args.push_back(arg.get<std::string>());
    args.back() = kExpected + "/" + args.back();  // the file, relative to tests/expected
    args.insert(args.end(), {"--json", "--device", "cpu"});
    test_support::TempDir cwd("infozoo_mha_weights");  // where the default mha.png lands
    const auto result = test_support::run_infozoo_in(cwd.path, args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    // float32, as the `mha` parity cases (output_sum adds 10240 values, hence the atol); the
    // reading's keys come beyond the reference's, and name the file the weights came from.
    test_support::JsonTolerance tolerance{1e-5, 1e-5};
    tolerance.allow_extra_keys = true;
    const auto actual = nlohmann::json::parse(result.out);
    test_support::expect_json_near(expected.at("output"), actual, tolerance);
    EXPECT_EQ(actual.at("weights_source").get<std::string>(), args[args.size() - 4]);
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
  const auto result = test_support::run_infozoo({"mha", "--weights", "/nonexistent/weights.pt"});
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

// The seed's module as Python built it (torch.manual_seed(7)): the reference the loads below are
// compared with, independent of the file they read.
MultiHeadAttention seed_module() {
  torch::manual_seed(7);
  return MultiHeadAttention(512, 8);
}

void expect_parameters_equal(const torch::nn::Module& actual, const torch::nn::Module& expected) {
  const auto reference = expected.named_parameters();
  for (const auto& p : actual.named_parameters()) {
    EXPECT_TRUE(torch::equal(p.value(), reference[p.key()])) << p.key();
  }
}

// `entries` with `prefix` before every key: a bigger model's state_dict around them.
NamedTensors with_prefix(const std::string& prefix, const NamedTensors& entries) {
  NamedTensors out;
  for (const auto& [name, tensor] : entries) out.emplace_back(prefix + name, tensor);
  return out;
}

TEST_F(StateDictTest, OptionsChainAsLibTorchsDo) {
  const LoadStateDictOptions defaults;
  EXPECT_TRUE(defaults.strict());
  EXPECT_EQ(defaults.prefix(), "");
  const auto options = LoadStateDictOptions().strict(false).prefix("mha.");
  EXPECT_FALSE(options.strict());
  EXPECT_EQ(options.prefix(), "mha.");
}

TEST_F(StateDictTest, LoadsInMemoryEntries) {
  // Python's file, read first: the same values as loading the file itself.
  MultiHeadAttention m(512, 8);
  EXPECT_TRUE(load_state_dict(*m, read_state_dict(kMhaFile)).empty());
  expect_parameters_equal(*m, *seed_module());
  // Entries built in C++, of another dtype: converted to the module's float32.
  MultiHeadAttention small(MultiHeadAttentionOptions(4, 2));
  NamedTensors entries;
  for (const auto& p : small->named_parameters()) {
    entries.emplace_back(p.key(), torch::full(p.value().sizes(), 0.25, torch::kDouble));
  }
  EXPECT_TRUE(load_state_dict(*small, entries).empty());
  for (const auto& p : small->named_parameters()) {
    EXPECT_EQ(p.value().scalar_type(), torch::kFloat) << p.key();
    EXPECT_TRUE(torch::equal(p.value(), torch::full(p.value().sizes(), 0.25))) << p.key();
    EXPECT_TRUE(p.value().requires_grad()) << p.key();
  }
}

TEST_F(StateDictTest, PrefixLoadsOnePartOfABiggerModel) {
  // Python's file is MultiHeadAttention's state_dict: its W_Q.* is a bare Linear's.
  torch::nn::Linear w_q(512, 512);
  EXPECT_TRUE(load_state_dict(*w_q, kMhaFile, LoadStateDictOptions().prefix("W_Q.")).empty());
  EXPECT_TRUE(torch::equal(w_q->weight, seed_module()->W_Q->weight));
  EXPECT_TRUE(torch::equal(w_q->bias, seed_module()->W_Q->bias));
  // A bigger model's state_dict (written by C++) with the seed's module under encoder.mha.: the
  // other keys are another part of the model, neither loaded nor unexpected.
  auto model = with_prefix("encoder.mha.", read_state_dict(kMhaFile));
  model.insert(model.begin(), {"encoder.embedding.weight", torch::ones({10, 512})});
  model.emplace_back("head.weight", torch::ones({2, 512}));
  model.emplace_back("encoder.mha_extra", torch::ones({1}));  // a prefix of the key, not of a name
  const auto path = temp("model.pt");
  write_state_dict(model, path);
  MultiHeadAttention m(512, 8);
  EXPECT_TRUE(load_state_dict(*m, path, LoadStateDictOptions().prefix("encoder.mha.")).empty());
  expect_parameters_equal(*m, *seed_module());
}

TEST_F(StateDictTest, NonStrictLoadReturnsMissingAndUnexpectedKeys) {
  const std::vector<std::string> biases{"W_Q.bias", "W_K.bias", "W_V.bias", "W_O.bias"};
  const auto options = LoadStateDictOptions().strict(false);
  // Python's file has biases that this module lacks: the weights load, the biases come back.
  MultiHeadAttention no_bias(MultiHeadAttentionOptions(512, 8).bias(false));
  const auto unexpected = load_state_dict(*no_bias, kMhaFile, options);
  EXPECT_EQ(unexpected.unexpected_keys, biases);
  EXPECT_TRUE(unexpected.missing_keys.empty());
  expect_parameters_equal(*no_bias, *seed_module());
  // The other way round, with a prefix: the keys come back as the state_dict names them, and the
  // module's biases keep their values.
  const auto path = temp("no_bias.pt");
  auto entries = with_prefix("mha.", read_state_dict(kMhaFile));
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [](const auto& e) {
                                 return e.first.size() > 5 &&
                                        e.first.compare(e.first.size() - 5, 5, ".bias") == 0;
                               }),
                entries.end());
  entries.emplace_back("mha.W_O.scale", torch::ones({1}));
  write_state_dict(entries, path);
  torch::manual_seed(0);
  MultiHeadAttention with_bias(512, 8);
  const auto bias_before = with_bias->W_K->bias.clone();
  const auto keys =
      load_state_dict(*with_bias, path, LoadStateDictOptions().strict(false).prefix("mha."));
  EXPECT_EQ(keys.missing_keys, (std::vector<std::string>{"mha.W_Q.bias", "mha.W_K.bias",
                                                         "mha.W_V.bias", "mha.W_O.bias"}));
  EXPECT_EQ(keys.unexpected_keys, std::vector<std::string>{"mha.W_O.scale"});
  EXPECT_TRUE(torch::equal(with_bias->W_K->weight, seed_module()->W_K->weight));
  EXPECT_TRUE(torch::equal(with_bias->W_K->bias, bias_before));
  // Shapes must agree also when not strict, as in Python.
  MultiHeadAttention small(64, 8);
  expect_error([&] { load_state_dict(*small, kMhaFile, options); },
               "key 'W_Q.weight' has shape [512, 512] but the module's has shape [64, 64]");
}

TEST_F(StateDictTest, StrictMismatchNamesMissingAndUnexpectedKeys) {
  auto entries = read_state_dict(kMhaFile);
  entries.erase(entries.begin() + 7);  // W_O.bias
  entries.emplace_back("W_O.scale", torch::ones({1}));
  MultiHeadAttention m(512, 8);
  const auto before = m->W_Q->weight.clone();
  expect_error([&] { load_state_dict(*m, entries); },
               "state_dict lacks key(s) 'W_O.bias' that the module has, and has unexpected "
               "key(s) 'W_O.scale' that the module lacks; LoadStateDictOptions().strict(false) "
               "loads the keys that match");
  EXPECT_TRUE(torch::equal(m->W_Q->weight, before));  // a refused load changes nothing
  expect_error([&] { load_state_dict(*m, kMhaFile, LoadStateDictOptions().prefix("decoder.")); },
               "lacks key(s) 'decoder.W_Q.weight', 'decoder.W_Q.bias'");
  expect_error([&] { load_state_dict(*m, kMhaFile, LoadStateDictOptions().prefix("decoder.")); },
               "that the module has (no key starts with the prefix 'decoder.')");
}

TEST_F(StateDictTest, LibTorchsOwnTorchSaveFileIsNamedAsSuch) {
  torch::manual_seed(5);
  MultiHeadAttention saved(MultiHeadAttentionOptions(8, 2));
  const auto path = temp("torch_save_module.pt");
  torch::save(saved, path);
  const std::string message =
      "state_dict file '" + path +
      "' was written by LibTorch's torch::save(module, path) (or Python's torch.jit.save): a "
      "TorchScript archive, not a torch.save state_dict; read it in C++ with "
      "torch::load(module, path)";
  expect_error([&] { read_state_dict(path); }, message);
  MultiHeadAttention m(MultiHeadAttentionOptions(8, 2));
  expect_error([&] { load_state_dict(*m, path); }, message);
  // ... and the advice works.
  torch::load(m, path);
  expect_parameters_equal(*m, *saved);
}

TEST_F(StateDictTest, LoadsOntoTheModulesDevice_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
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
