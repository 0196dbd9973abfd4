// SPDX-License-Identifier: BSD-3-Clause
// The bad-input table (tests/bad_input.md): every public library function and module option with
// the bad inputs it can get, and what infozoo answers. One row per case: the call, and either the
// error text it must raise (fragments that name the argument and the value, in order) or, for
// inputs that are legitimate (views, NaN propagation), the result it must give. The table in
// tests/bad_input.md lists exactly these rows (checked below); INFOZOO_PRINT_BAD_INPUT_TABLE=1
// prints them as Markdown. The command-line rows are in bad_input_cli_test.cpp.
#include <gtest/gtest.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "bad_input_rows.h"
#include "infozoo/analysis/differential_entropy.h"
#include "infozoo/analysis/entropy.h"
#include "infozoo/analysis/feature_selection.h"
#include "infozoo/analysis/histogram_mi.h"
#include "infozoo/analysis/ksg.h"
#include "infozoo/analysis/matrix_calculus.h"
#include "infozoo/analysis/mi_significance.h"
#include "infozoo/analysis/mutual_info.h"
#include "infozoo/analysis/softmax.h"
#include "infozoo/datasets/make_classification.h"
#include "infozoo/datasets/make_moons.h"
#include "infozoo/datasets/mi_tasks.h"
#include "infozoo/datasets/numpy_random.h"
#include "infozoo/datasets/sample_without_replacement.h"
#include "infozoo/io/state_dict.h"
#include "infozoo/io/table.h"
#include "infozoo/losses/diffusion_loss.h"
#include "infozoo/losses/distillation.h"
#include "infozoo/losses/info_nce.h"
#include "infozoo/losses/mi_bounds.h"
#include "infozoo/models/attention.h"
#include "infozoo/models/ddim_scheduler.h"
#include "infozoo/models/ddpm_scheduler.h"
#include "infozoo/models/diffusion_schedule.h"
#include "infozoo/models/manual_mlp.h"
#include "infozoo/models/multi_head_attention.h"
#include "infozoo/models/positional_encoding.h"
#include "infozoo/models/separable_critic.h"
#include "test_support.h"
#include "torch_save_archive.h"

namespace infozoo::test_support {
namespace {

namespace fs = std::filesystem;
namespace an = infozoo::analysis;
namespace ds = infozoo::datasets;
namespace mo = infozoo::models;
namespace sio = infozoo::io;
namespace lo = infozoo::losses;

using torch::indexing::Slice;

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

torch::Tensor f32(std::vector<int64_t> shape) { return torch::randn(shape); }
torch::Tensor f64(std::vector<int64_t> shape) { return torch::randn(shape, torch::kDouble); }
torch::Tensor cuda(std::vector<int64_t> shape) { return torch::randn(shape, torch::kCUDA); }

// A scratch folder for the file rows, made once per process.
const fs::path& scratch() {
  static const TempDir dir("infozoo_bad_input");  // removed at exit
  return dir.path;
}

std::string scratch_file(const std::string& name, const std::string& bytes) {
  const auto path = (scratch() / name).string();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A valid state_dict of MultiHeadAttention(4, 2), written by infozoo (read back by Python too).
std::string mha_file() {
  const auto path = (scratch() / "mha_4_2.pt").string();
  if (!fs::exists(path)) {
    mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
    sio::save_state_dict(*m, path);
  }
  return path;
}

const std::string kCorpus = std::string(INFOZOO_EXPECTED_DIR) + "/../fuzz/corpus/state_dict_file/";
const std::string kPickleCorpus =
    std::string(INFOZOO_EXPECTED_DIR) + "/../fuzz/corpus/state_dict_pickle/";

std::vector<BadInputRow> library_rows() {
  std::vector<BadInputRow> rows;
  auto add = [&rows](std::string id, std::string what, std::string input,
                     std::function<void()> call, std::vector<std::string> error) {
    rows.push_back({std::move(id), std::move(what), std::move(input), std::move(call),
                    std::move(error), false});
  };
  auto add_cuda = [&rows](std::string id, std::string what, std::string input,
                          std::function<void()> call, std::vector<std::string> error) {
    rows.push_back({std::move(id), std::move(what), std::move(input), std::move(call),
                    std::move(error), true});
  };
  // Rows whose input is legitimate: the call checks the result itself.
  auto accepts = [&rows](std::string id, std::string what, std::string input,
                         std::function<void()> call) {
    rows.push_back({std::move(id), std::move(what), std::move(input), std::move(call), {}, false});
  };

  // ---- analysis: entropy.h ----
  add("entropy_undefined", "analysis::entropy(probs)", "undefined tensor", [] { an::entropy({}); },
      {"probs must be a non-empty tensor of probabilities with at least one dimension"});
  add("entropy_rank0", "analysis::entropy(probs)", "0-d tensor",
      [] { an::entropy(torch::tensor(0.5)); }, {"probs must be a non-empty tensor", "got []"});
  add("entropy_empty", "analysis::entropy(probs)", "empty [0]",
      [] { an::entropy(torch::empty({0})); }, {"probs must be a non-empty tensor", "got [0]"});
  add("entropy_int", "analysis::entropy(probs)", "int64 dtype",
      [] { an::entropy(torch::ones({2}, torch::kLong)); },
      {"probs must be floating point, got Long"});
  add("entropy_negative", "analysis::entropy(probs)", "negative probability",
      [] {
        an::entropy(torch::tensor({{0.5, 0.5}, {1.5, -0.5}}));
      },
      {"probs must hold probabilities >= 0, got -0.5 at flat index 3"});
  accepts("entropy_nan", "analysis::entropy(probs)",
          "NaN probability: NaN result (propagated, not hidden)", [] {
            EXPECT_TRUE(std::isnan(an::entropy(torch::tensor({kNaN, 0.5})).item<double>()));
          });
  accepts("entropy_expanded", "analysis::entropy(probs)", "broadcast-expanded / transposed view",
          [] {
            const auto p = torch::tensor({0.25, 0.75});
            EXPECT_TRUE(torch::equal(an::entropy(p.expand({3, 2})),
                                     an::entropy(p.expand({3, 2}).contiguous())));
            const auto q =
                torch::tensor({{0.5, 0.25}, {0.5, 0.75}}).t();  // rows [0.5, 0.5], [0.25, 0.75]
            EXPECT_TRUE(torch::allclose(an::entropy(q), an::entropy(q.contiguous())));
          });
  add("label_entropy_rank2", "analysis::label_entropy(labels)", "2-D labels",
      [] {
        an::label_entropy(torch::zeros({2, 2}));
      },
      {"labels must be a non-empty 1-D tensor, got shape [2, 2]"});
  add("label_entropy_empty", "analysis::label_entropy(labels)", "empty labels",
      [] { an::label_entropy(torch::empty({0})); },
      {"labels must be a non-empty 1-D tensor, got shape [0]"});
  add("information_gain_rank", "analysis::information_gain(y, x)", "2-D x_feature",
      [] {
        an::information_gain(torch::zeros({4}), torch::zeros({2, 2}));
      },
      {"y and x_feature must be 1-D", "x_feature [2, 2]"});
  add("information_gain_length", "analysis::information_gain(y, x)", "lengths 4 and 3",
      [] { an::information_gain(torch::zeros({4}), torch::zeros({3})); },
      {"same length", "y of length 4", "x_feature of length 3"});
  add("information_gain_empty", "analysis::information_gain(y, x)", "empty y and x",
      [] { an::information_gain(torch::zeros({0}), torch::zeros({0})); }, {"y must not be empty"});
  add_cuda("information_gain_devices", "analysis::information_gain(y, x)", "y on CPU, x on CUDA",
           [] { an::information_gain(torch::zeros({4}), torch::zeros({4}, torch::kCUDA)); },
           {"y and x_feature must be on the same device", "cpu", "cuda"});
  add("kl_divergence_shapes", "analysis::kl_divergence(p, q)", "shapes [3] and [2]",
      [] { an::kl_divergence(torch::ones({3}) / 3, torch::ones({2}) / 2); },
      {"p and q must have the same shape, got p [3] and q [2]"});
  add("kl_divergence_negative", "analysis::kl_divergence(p, q)", "negative q",
      [] {
        an::kl_divergence(torch::ones({2}) / 2, torch::tensor({1.25, -0.25}));
      },
      {"q must hold probabilities >= 0, got -0.25 at flat index 1"});
  add("kl_divergence_int", "analysis::kl_divergence(p, q)", "int64 q",
      [] { an::kl_divergence(torch::ones({2}) / 2, torch::ones({2}, torch::kLong)); },
      {"q must be floating point, got Long"});
  add_cuda("kl_divergence_devices", "analysis::kl_divergence(p, q)", "p on CPU, q on CUDA",
           [] { an::kl_divergence(torch::ones({2}) / 2, torch::ones({2}, torch::kCUDA) / 2); },
           {"p and q must be on the same device", "cpu", "cuda"});

  // ---- analysis: softmax.h ----
  add("softmax_temperature_zero", "analysis::softmax(z, temperature)", "temperature 0",
      [] { an::softmax(f32({3}), 0.0); }, {"temperature must be > 0, got 0"});
  add("stable_softmax_temperature_negative", "analysis::stable_softmax(z, temperature)",
      "temperature -1", [] { an::stable_softmax(f32({3}), -1.0); },
      {"temperature must be > 0, got -1"});
  add("stable_softmax_temperature_nan", "analysis::stable_softmax(z, temperature)",
      "temperature NaN", [] { an::stable_softmax(f32({3}), kNaN); },
      {"temperature must be > 0, got nan"});
  add("stable_softmax_dim", "analysis::stable_softmax(z, t, dim)", "dim 2 for a 2-D z",
      [] {
        an::stable_softmax(f32({2, 3}), 1.0, 2);
      },
      {"dim must be in [-2, 2) for z of shape [2, 3], got 2"});
  add("stable_softmax_int", "analysis::stable_softmax(z)", "int64 z",
      [] { an::stable_softmax(torch::ones({3}, torch::kLong)); },
      {"z must be floating point, got Long"});
  add("stable_softmax_rank0", "analysis::stable_softmax(z)", "0-d z",
      [] { an::stable_softmax(torch::tensor(1.0)); },
      {"z must be a tensor with at least one dimension, got []"});
  add("stable_softmax_empty", "analysis::stable_softmax(z)", "z [2, 0]",
      [] {
        an::stable_softmax(torch::empty({2, 0}));
      },
      {"z must not be empty along dim -1, got shape [2, 0]"});
  add("softmax_jacobian_int", "analysis::softmax_jacobian(z)", "int64 z",
      [] { an::softmax_jacobian(torch::ones({3}, torch::kLong)); },
      {"z must be floating point, got Long"});
  add("softmax_jacobian_undefined", "analysis::softmax_jacobian(z)", "undefined z",
      [] { an::softmax_jacobian({}); }, {"z must be a tensor with at least one dimension"});
  add("softmax_jvp_shape", "analysis::softmax_jvp(z, v)", "v [2] for z [3]",
      [] { an::softmax_jvp(f32({3}), f32({2})); }, {"v must have the shape of z [3], got [2]"});
  add_cuda("softmax_jvp_devices", "analysis::softmax_jvp(z, v)", "z on CPU, v on CUDA",
           [] { an::softmax_jvp(f32({3}), cuda({3})); },
           {"v must be on the device of z (cpu), got cuda"});
  accepts("stable_softmax_views", "analysis::stable_softmax(z)", "transposed and expanded views",
          [] {
            const auto z = f32({3, 4});
            EXPECT_TRUE(
                torch::equal(an::stable_softmax(z.t()), an::stable_softmax(z.t().contiguous())));
            const auto row = f32({4});
            EXPECT_TRUE(torch::equal(an::stable_softmax(row.expand({5, 4})),
                                     an::stable_softmax(row.expand({5, 4}).contiguous())));
          });

  // ---- analysis: mutual_info.h ----
  const auto mi_X = [] { return f64({20, 2}); };
  const auto mi_y = [] { return torch::arange(20, torch::kLong) % 2; };
  add("mutual_info_classif_rank", "analysis::mutual_info_classif(X, y)", "1-D X",
      [=] { an::mutual_info_classif(f64({20}), mi_y()); },
      {"mutual_info_classif: X must be a 2-D tensor [n_samples, n_features], got [20]"});
  add("mutual_info_classif_empty", "analysis::mutual_info_classif(X, y)", "X [0, 2]",
      [=] {
        an::mutual_info_classif(f64({0, 2}), torch::zeros({0}, torch::kLong));
      },
      {"X must not be empty, got shape [0, 2]"});
  add("mutual_info_classif_bool", "analysis::mutual_info_classif(X, y)", "bool X",
      [=] {
        an::mutual_info_classif(torch::zeros({20, 2}, torch::kBool), mi_y());
      },
      {"X must hold real numbers (floating point or integer), got Bool"});
  add("mutual_info_classif_y_rank", "analysis::mutual_info_classif(X, y)", "2-D y",
      [=] {
        an::mutual_info_classif(mi_X(), mi_y().view({10, 2}));
      },
      {"y must be a 1-D tensor [n_samples], got [10, 2]"});
  add("mutual_info_classif_samples", "analysis::mutual_info_classif(X, y)", "20 rows, 19 labels",
      [=] { an::mutual_info_classif(mi_X(), mi_y().slice(0, 0, 19)); },
      {"X and y must have the same number of samples, got X with 20 rows and y of length 19"});
  add("mutual_info_classif_neighbors", "MutualInfoOptions::n_neighbors", "0",
      [=] { an::mutual_info_classif(mi_X(), mi_y(), an::MutualInfoOptions().n_neighbors(0)); },
      {"n_neighbors must be >= 1, got 0"});
  add("mutual_info_classif_too_few", "MutualInfoOptions::n_neighbors",
      "n_neighbors 3 with 3 samples",
      [=] {
        an::mutual_info_classif(f64({3, 1}), torch::tensor({0, 1, 0}));
      },
      {"need at least n_neighbors + 1 = 4 samples, got 3"});
  add("mutual_info_classif_seed_negative", "MutualInfoOptions::random_state", "-1",
      [=] { an::mutual_info_classif(mi_X(), mi_y(), an::MutualInfoOptions().random_state(-1)); },
      {"random_state must be in [0, 2^32), got -1"});
  add("mutual_info_classif_seed_large", "MutualInfoOptions::random_state", "2^32",
      [=] {
        an::mutual_info_classif(mi_X(), mi_y(),
                                an::MutualInfoOptions().random_state(int64_t{1} << 32));
      },
      {"random_state must be in [0, 2^32), got 4294967296"});
  add("mutual_info_classif_fractional_labels", "analysis::mutual_info_classif(X, y)", "y = 0.5",
      [=] { an::mutual_info_classif(mi_X(), torch::full({20}, 0.5, torch::kDouble)); },
      {"y must hold class labels (integer values), got 0.5 at index 0"});
  add("mutual_info_classif_singletons", "analysis::mutual_info_classif(X, y)",
      "every class a single sample", [=] { an::mutual_info_classif(mi_X(), torch::arange(20)); },
      {"every class of y has a single sample"});
  add("mutual_info_classif_nan", "analysis::mutual_info_classif(X, y)", "NaN in X",
      [=] {
        auto X = mi_X();
        X[3][1] = kNaN;
        an::mutual_info_classif(X, mi_y());
      },
      {"mutual_info_classif: X must be finite, got nan in column 1 (row 3)"});
  add("mutual_info_regression_inf", "analysis::mutual_info_regression(X, y)", "inf in y",
      [=] {
        auto y = f64({20});
        y[5] = kInf;
        an::mutual_info_regression(mi_X(), y);
      },
      {"mutual_info_regression: y must be finite, got inf at index 5"});
  add("mutual_info_discrete_mask", "MutualInfoOptions::discrete_features",
      "mask of 3 entries for 2 columns",
      [=] {
        an::mutual_info_classif(mi_X(), mi_y(),
                                an::MutualInfoOptions().discrete_features(
                                    an::DiscreteFeatures::from_mask({true, false, true})));
      },
      {"discrete_features as a mask must have one entry per column of X (2), got 3"});
  add("mutual_info_discrete_index", "MutualInfoOptions::discrete_features", "index 2 for 2 columns",
      [=] {
        an::mutual_info_classif(
            mi_X(), mi_y(),
            an::MutualInfoOptions().discrete_features(an::DiscreteFeatures::from_indices({2})));
      },
      {"discrete_features index 2 is out of range for X with 2 columns"});
  add("mutual_info_discrete_no_index", "MutualInfoOptions::discrete_features", "empty index list",
      [=] {
        an::mutual_info_classif(
            mi_X(), mi_y(),
            an::MutualInfoOptions().discrete_features(an::DiscreteFeatures::from_indices({})));
      },
      {"discrete_features as indices must not be empty"});
  accepts("mutual_info_classif_views", "analysis::mutual_info_classif(X, y)",
          "transposed X view: same result", [=] {
            const auto Xt = f64({2, 20}).t();
            const auto opts = an::MutualInfoOptions().random_state(0);
            EXPECT_TRUE(torch::equal(an::mutual_info_classif(Xt, mi_y(), opts),
                                     an::mutual_info_classif(Xt.contiguous(), mi_y(), opts)));
          });
  add("mutual_info_score_rank", "analysis::mutual_info_score(a, b)", "2-D labels_a",
      [] {
        an::mutual_info_score(torch::zeros({2, 2}), torch::zeros({4}));
      },
      {"mutual_info_score: labels_a must be 1-D, got [2, 2]"});
  add("mutual_info_score_length", "analysis::mutual_info_score(a, b)", "lengths 4 and 3",
      [] { an::mutual_info_score(torch::zeros({4}), torch::zeros({3})); },
      {"labels_a and labels_b must have the same length, got 4 and 3"});
  add("mutual_info_score_empty", "analysis::mutual_info_score(a, b)", "empty labels",
      [] { an::mutual_info_score(torch::zeros({0}), torch::zeros({0})); },
      {"labels must not be empty"});
  add("mutual_info_score_nan", "analysis::mutual_info_score(a, b)", "NaN label",
      [] {
        an::mutual_info_score(torch::tensor({0.0, kNaN}), torch::zeros({2}));
      },
      {"labels_a must not contain NaN"});
  add("mutual_info_score_complex", "analysis::mutual_info_score(a, b)", "complex labels",
      [] { an::mutual_info_score(torch::zeros({2}, torch::kComplexFloat), torch::zeros({2})); },
      {"labels must be real, got ComplexFloat and Float"});

  // ---- analysis: ksg.h, differential_entropy.h, mi_significance.h ----
  add("ksg_undefined", "analysis::ksg_mutual_info(X, Y)", "undefined X",
      [] {
        an::ksg_mutual_info({}, f64({20, 1}));
      },
      {"ksg_mutual_info: X must be a non-empty tensor [n_samples, n_features] or [n_samples]",
       "got an undefined tensor"});
  add("ksg_rank3", "analysis::ksg_mutual_info(X, Y)", "3-D X",
      [] {
        an::ksg_mutual_info(f64({20, 2, 2}), f64({20, 1}));
      },
      {"X must be a non-empty tensor [n_samples, n_features] or [n_samples], got [20, 2, 2]"});
  add("ksg_empty", "analysis::ksg_mutual_info(X, Y)", "X [0, 2]",
      [] {
        an::ksg_mutual_info(f64({0, 2}), f64({0, 1}));
      },
      {"X must be a non-empty tensor", "got [0, 2]"});
  add("ksg_no_columns", "analysis::ksg_mutual_info(X, Y)", "Y [20, 0] (dy = 0)",
      [] {
        an::ksg_mutual_info(f64({20, 2}), f64({20, 0}));
      },
      {"ksg_mutual_info: Y must have at least one column, got shape [20, 0]"});
  add("ksg_bool", "analysis::ksg_mutual_info(X, Y)", "bool X",
      [] {
        an::ksg_mutual_info(torch::ones({20, 1}, torch::kBool), f64({20}));
      },
      {"X must hold real numbers (floating point or integer), got Bool"});
  add("ksg_samples", "analysis::ksg_mutual_info(X, Y)", "20 rows of X, 19 of Y",
      [] {
        an::ksg_mutual_info(f64({20, 2}), f64({19}));
      },
      {"X and Y must have the same number of samples (rows), got 20 and 19"});
  add("ksg_nan", "analysis::ksg_mutual_info(X, Y)", "NaN in X",
      [] {
        auto X = f64({20, 2});
        X[3][1] = kNaN;
        an::ksg_mutual_info(X, f64({20}));
      },
      {"ksg_mutual_info: X must be finite, got nan at row 3, column 1"});
  add("ksg_inf", "analysis::ksg_mutual_info(X, Y)", "inf in Y",
      [] {
        auto Y = f64({20});
        Y[5] = kInf;
        an::ksg_mutual_info(f64({20, 2}), Y);
      },
      {"ksg_mutual_info: Y must be finite, got inf at row 5, column 0"});
  add("ksg_k_zero", "KsgOptions::k", "0",
      [] { an::ksg_mutual_info(f64({20}), f64({20}), an::KsgOptions().k(0)); },
      {"ksg_mutual_info: k must be >= 1, got 0"});
  add("ksg_k_too_large", "KsgOptions::k", "k 20 with 20 samples",
      [] { an::ksg_mutual_info(f64({20}), f64({20}), an::KsgOptions().k(20)); },
      {"ksg_mutual_info: k must be < n_samples (20), got k = 20"});
  add("ksg_too_few_samples", "analysis::ksg_mutual_info(X, Y)", "3 samples with k 3",
      [] { an::ksg_mutual_info(f64({3}), f64({3})); },
      {"k must be < n_samples (3), got k = 3", "needs at least k + 1 samples"});
  add("ksg_seed_negative", "KsgOptions::jitter_seed", "-1",
      [] { an::ksg_mutual_info(f64({20}), f64({20}), an::KsgOptions().jitter_seed(-1)); },
      {"ksg_mutual_info: jitter_seed must be in [0, 2^32), got -1"});
  add("ksg_seed_large", "KsgOptions::jitter_seed", "2^32",
      [] {
        an::ksg_mutual_info(f64({20}), f64({20}), an::KsgOptions().jitter_seed(int64_t{1} << 32));
      },
      {"jitter_seed must be in [0, 2^32), got 4294967296"});
  accepts("ksg_views", "analysis::ksg_mutual_info(X, Y)",
          "transposed and strided views, integer and float32 X: the same estimate as a "
          "contiguous float64 copy",
          [] {
            const auto xy = f64({2, 50});  // rows are the variables: X = xy.t() is a view
            const auto y = f64({100}).slice(0, 0, 100, 2);
            const auto X = xy.t();
            EXPECT_EQ(an::ksg_mutual_info(X, y),
                      an::ksg_mutual_info(X.contiguous(), y.contiguous()));
            const auto Xi = torch::randint(0, 1000, {50, 2}, torch::kLong);
            EXPECT_EQ(an::ksg_mutual_info(Xi, y), an::ksg_mutual_info(Xi.to(torch::kDouble), y));
            const auto Xf = X.to(torch::kFloat);
            EXPECT_EQ(an::ksg_mutual_info(Xf, y), an::ksg_mutual_info(Xf.to(torch::kDouble), y));
          });
  add("cmi_z_samples", "analysis::conditional_mutual_info(X, Y, Z)", "20 rows of X, 19 of Z",
      [] {
        an::conditional_mutual_info(f64({20}), f64({20}), f64({19, 2}));
      },
      {"conditional_mutual_info: X and Z must have the same number of samples (rows), got 20 and "
       "19"});
  add("cmi_z_no_columns", "analysis::conditional_mutual_info(X, Y, Z)", "Z [20, 0] (dz = 0)",
      [] {
        an::conditional_mutual_info(f64({20}), f64({20}), f64({20, 0}));
      },
      {"conditional_mutual_info: Z must have at least one column, got shape [20, 0]"});
  add("cmi_z_nan", "analysis::conditional_mutual_info(X, Y, Z)", "NaN in Z",
      [] {
        auto Z = f64({20, 2});
        Z[7][0] = kNaN;
        an::conditional_mutual_info(f64({20}), f64({20}), Z);
      },
      {"conditional_mutual_info: Z must be finite, got nan at row 7, column 0"});
  add("cmi_z_undefined", "analysis::conditional_mutual_info(X, Y, Z)", "undefined Z",
      [] { an::conditional_mutual_info(f64({20}), f64({20}), {}); },
      {"conditional_mutual_info: Z must be a non-empty tensor", "got an undefined tensor"});
  add("cmi_k_too_large", "KsgOptions::k", "k 5 with 5 samples (conditional MI)",
      [] { an::conditional_mutual_info(f64({5}), f64({5}), f64({5}), an::KsgOptions().k(5)); },
      {"conditional_mutual_info: k must be < n_samples (5), got k = 5"});
  add("kl_entropy_duplicates", "analysis::kl_entropy(X)", "4 equal rows, k 3",
      [] {
        auto X = f64({20, 2});
        X.slice(0, 0, 4).copy_(X[0].expand({4, 2}));
        an::kl_entropy(X);
      },
      {"kl_entropy: the distance from sample 0 of X to its k-th neighbour (k = 3) is 0",
       "jitter_seed"});
  add("kl_entropy_k_too_large", "KlEntropyOptions::k", "k 10 with 10 samples",
      [] {
        an::kl_entropy(f64({10, 2}), an::KlEntropyOptions().k(10));
      },
      {"kl_entropy: k must be < n_samples (10), got k = 10"});
  add("kl_entropy_rank0", "analysis::kl_entropy(X)", "0-d X",
      [] { an::kl_entropy(torch::tensor(1.0)); },
      {"kl_entropy: X must be a non-empty tensor [n_samples, n_features] or [n_samples], got []"});
  add("kl_entropy_seed_negative", "KlEntropyOptions::jitter_seed", "-2",
      [] { an::kl_entropy(f64({10}), an::KlEntropyOptions().jitter_seed(-2)); },
      {"kl_entropy: jitter_seed must be in [0, 2^32), got -2"});
  add("permutation_test_zero", "PermutationTestOptions::permutations", "0",
      [] {
        an::permutation_test(f64({20}), f64({20}), an::PermutationTestOptions().permutations(0));
      },
      {"permutation_test: permutations must be >= 1, got 0"});
  add("permutation_test_negative", "PermutationTestOptions::permutations", "-5",
      [] {
        an::permutation_test(f64({20}), f64({20}), an::PermutationTestOptions().permutations(-5));
      },
      {"permutation_test: permutations must be >= 1, got -5"});
  add("permutation_test_seed", "PermutationTestOptions::seed", "-1",
      [] { an::permutation_test(f64({20}), f64({20}), an::PermutationTestOptions().seed(-1)); },
      {"permutation_test: seed must be in [0, 2^32), got -1"});
  add("permutation_test_samples", "analysis::permutation_test(X, Y)", "20 rows of X, 21 of Y",
      [] { an::permutation_test(f64({20}), f64({21})); },
      {"permutation_test: X and Y must have the same number of samples (rows), got 20 and 21"});
  add("normalize_mi_undefined", "analysis::normalize_mi(mi)", "undefined tensor",
      [] { an::normalize_mi(torch::Tensor()); },
      {"normalize_mi: mi must be a defined tensor of MIs in nats"});
  add("normalize_mi_int", "analysis::normalize_mi(mi)", "int64 tensor",
      [] { an::normalize_mi(torch::ones({3}, torch::kLong)); },
      {"normalize_mi: mi must be a floating-point tensor, got Long"});

  // ---- analysis: histogram_mi.h, feature_selection.h ----
  add("estimate_mi_rank", "analysis::estimate_mutual_information(x, y, n_bins)", "2-D x",
      [] {
        an::estimate_mutual_information(f64({2, 2}), f64({4}));
      },
      {"x and y must be 1-D tensors, got x [2, 2] and y [4]"});
  add("estimate_mi_length", "analysis::estimate_mutual_information(x, y, n_bins)",
      "lengths 4 and 3", [] { an::estimate_mutual_information(f64({4}), f64({3})); },
      {"x and y must have the same length, got 4 and 3"});
  add("estimate_mi_empty", "analysis::estimate_mutual_information(x, y, n_bins)", "empty x and y",
      [] { an::estimate_mutual_information(f64({0}), f64({0})); }, {"x and y must not be empty"});
  add("estimate_mi_bool", "analysis::estimate_mutual_information(x, y, n_bins)", "bool x",
      [] { an::estimate_mutual_information(torch::zeros({4}, torch::kBool), f64({4})); },
      {"x and y must be real, got Bool and Double"});
  add("estimate_mi_nan", "analysis::estimate_mutual_information(x, y, n_bins)", "NaN in x",
      [] {
        an::estimate_mutual_information(torch::tensor({0.0, kNaN, 1.0}), f64({3}));
      },
      {"estimate_mutual_information: x must be finite"});
  add("estimate_mi_bins", "analysis::estimate_mutual_information(x, y, n_bins)", "n_bins 0",
      [] { an::estimate_mutual_information(f64({4}), f64({4}), 0); },
      {"n_bins must be in [1, 4096], got 0"});
  add("estimate_mi_bins_huge", "analysis::estimate_mutual_information(x, y, n_bins)",
      "n_bins 100000", [] { an::estimate_mutual_information(f64({4}), f64({4}), 100000); },
      {"n_bins must be in [1, 4096], got 100000"});
  add("pearson_constant", "analysis::pearson_correlation(x, y)", "constant x",
      [] { an::pearson_correlation(torch::ones({4}, torch::kDouble), f64({4})); },
      {"pearson_correlation: x and y must not be constant, got variances 0 and"});
  add("pearson_inf", "analysis::pearson_correlation(x, y)", "inf in y",
      [] {
        an::pearson_correlation(f64({3}), torch::tensor({0.0, kInf, 1.0}));
      },
      {"pearson_correlation: x and y must be finite"});
  add("rank_by_score_rank", "analysis::rank_by_score(scores)", "2-D scores",
      [] {
        an::rank_by_score(torch::zeros({2, 2}));
      },
      {"scores must be a 1-D tensor, got [2, 2]"});
  add("select_by_threshold_undefined", "analysis::select_by_threshold(scores, t)",
      "undefined scores", [] { an::select_by_threshold({}, 0.1); },
      {"scores must be a 1-D tensor, got []"});
  add("select_features_count", "analysis::select_features(X, y, c, n_select)",
      "n_select 3 of 2 columns",
      [=] { an::select_features(mi_X(), mi_y(), an::SelectionCriterion::kMRMR, 3); },
      {"select_features: n_select must be in [1, 2] (the number of columns of X), got 3"});
  add("select_features_zero", "analysis::select_features(X, y, c, n_select)", "n_select 0",
      [=] { an::select_features(mi_X(), mi_y(), an::SelectionCriterion::kJMI, 0); },
      {"n_select must be in [1, 2]", "got 0"});
  add("select_features_disr_knn", "analysis::select_features(X, y, options)", "kDISR with kKnn",
      [=] {
        an::select_features(
            mi_X(), mi_y(),
            an::FeatureSelectionOptions().criterion(an::SelectionCriterion::kDISR).n_select(1));
      },
      {"select_features: criterion kDISR (disr) needs joint entropies", "got estimation kKnn"});
  add("select_features_bins", "analysis::select_features(X, y, options)", "n_bins 1",
      [=] {
        an::select_features(mi_X(), mi_y(),
                            an::FeatureSelectionOptions()
                                .estimation(an::MIEstimation::kBinned)
                                .n_bins(1)
                                .n_select(1));
      },
      {"select_features: n_bins must be >= 2, got 1"});
  add("select_features_binned_count", "analysis::select_features(X, y, options)",
      "binned, n_select 3 of 2 columns",
      [=] {
        an::select_features(
            mi_X(), mi_y(),
            an::FeatureSelectionOptions().estimation(an::MIEstimation::kBinned).n_select(3));
      },
      {"select_features: n_select must be in [1, 2] (the number of columns of X), got 3"});

  // ---- analysis: matrix_calculus.h ----
  add("linear_input_grad_rank", "analysis::linear_input_grad(A, grad_z)", "1-D A",
      [] { an::linear_input_grad(f64({3}), f64({3})); }, {"A must have 2 dimension(s), got [3]"});
  add("linear_input_grad_rows", "analysis::linear_input_grad(A, grad_z)", "A [3, 2], grad_z [2]",
      [] {
        an::linear_input_grad(f64({3, 2}), f64({2}));
      },
      {"grad_z must have A's row count 3, got 2"});
  add("linear_weight_grad_rank", "analysis::linear_weight_grad(grad_z, x)", "2-D x",
      [] {
        an::linear_weight_grad(f64({3}), f64({2, 2}));
      },
      {"x must have 1 dimension(s), got [2, 2]"});
  add("quadratic_form_grad_square", "analysis::quadratic_form_grad(A, x)", "A [2, 3]",
      [] {
        an::quadratic_form_grad(f64({2, 3}), f64({3}));
      },
      {"A must be square with x's length, got A [2, 3] and x [3]"});
  add("trace_product_grad_shapes", "analysis::trace_product_grad(A, B)", "A [2, 3], B [3, 3]",
      [] {
        an::trace_product_grad(f64({2, 3}), f64({3, 3}));
      },
      {"B's columns must equal A's rows 2, got B [3, 3]"});
  add("least_squares_grad_shapes", "analysis::least_squares_grad(A, x, b)",
      "A [3, 2], x [3], b [3]",
      [] {
        an::least_squares_grad(f64({3, 2}), f64({3}), f64({3}));
      },
      {"A [m, n] needs x [n] and b [m], got A [3, 2], x [3], b [3]"});
  add("softmax_cross_entropy_grad_shapes", "analysis::softmax_cross_entropy_grad(z, y)",
      "z [2, 3], y [3]",
      [] {
        an::softmax_cross_entropy_grad(f64({2, 3}), f64({3}));
      },
      {"y must be a target distribution with z's shape [2, 3], got [3]"});

  // ---- datasets ----
  add("make_moons_negative", "datasets::make_moons(n_samples)", "n_samples -1",
      [] { ds::make_moons(-1); }, {"make_moons: n_samples must be >= 0, got -1"});
  add("make_moons_pair_negative", "datasets::make_moons({n_out, n_in})", "(5, -1)",
      [] {
        ds::make_moons(std::pair<int64_t, int64_t>{5, -1});
      },
      {"make_moons: the number of samples of each moon must be >= 0, got (5, -1)"});
  add("make_moons_noise", "datasets::make_moons(n, noise)", "noise -0.1",
      [] { ds::make_moons(10, -0.1); }, {"make_moons: noise must be >= 0, got -0.1"});
  add("make_moons_seed", "datasets::make_moons(..., random_state)", "random_state 2^32",
      [] { ds::make_moons(10, 0.0, true, int64_t{1} << 32); },
      {"seed must be between 0 and 2**32 - 1, got 4294967296"});
  add("make_classification_samples", "MakeClassificationOptions::n_samples", "-1",
      [] { ds::make_classification(ds::MakeClassificationOptions().n_samples(-1)); },
      {"make_classification: n_samples must be >= 0, got -1"});
  add("make_classification_informative", "MakeClassificationOptions::n_informative", "0",
      [] { ds::make_classification(ds::MakeClassificationOptions().n_informative(0)); },
      {"make_classification: n_informative must be >= 1, got 0"});
  add("make_classification_features", "MakeClassificationOptions::n_features", "3 < 2 + 2 + 0",
      [] { ds::make_classification(ds::MakeClassificationOptions().n_features(3)); },
      {"must sum to less than the number of total features",
       "n_informative=2 + n_redundant=2 + n_repeated=0 > n_features=3"});
  add("make_classification_classes", "MakeClassificationOptions::n_classes", "0",
      [] { ds::make_classification(ds::MakeClassificationOptions().n_classes(0)); },
      {"n_classes and n_clusters_per_class must be >= 1", "n_classes=0"});
  add("make_classification_clusters", "MakeClassificationOptions::n_clusters_per_class",
      "n_classes 3 x 2 > 2^1",
      [] {
        ds::make_classification(ds::MakeClassificationOptions().n_informative(1).n_classes(3));
      },
      {"n_classes(3) * n_clusters_per_class(2) must be smaller or equal 2**n_informative(1)"});
  add("make_classification_weights", "MakeClassificationOptions::weights",
      "3 weights for 2 classes",
      [] {
        ds::make_classification(ds::MakeClassificationOptions().weights({0.2, 0.3, 0.5}));
      },
      {"weights needs 2 or 1 entries for n_classes=2, got 3"});
  add("make_classification_weight_nan", "MakeClassificationOptions::weights", "NaN weight",
      [] { ds::make_classification(ds::MakeClassificationOptions().weights({kNaN})); },
      {"weights must be finite and >= 0, got nan"});
  add("make_classification_sep", "MakeClassificationOptions::class_sep", "inf",
      [] { ds::make_classification(ds::MakeClassificationOptions().class_sep(kInf)); },
      {"class_sep must be finite, got inf"});
  add("make_classification_seed", "MakeClassificationOptions::random_state", "-1",
      [] { ds::make_classification(ds::MakeClassificationOptions().random_state(-1)); },
      {"seed must be between 0 and 2**32 - 1, got -1"});
  add("numpy_random_seed", "datasets::NumpyRandomState(seed)", "seed -1",
      [] { ds::NumpyRandomState rs(-1); }, {"seed must be between 0 and 2**32 - 1, got -1"});
  add("numpy_random_size", "NumpyRandomState::random_sample(size)", "size [2, -1]",
      [] {
        ds::NumpyRandomState(0).random_sample({2, -1});
      },
      {"size must not have negative dimensions, got [2, -1]"});
  add("numpy_random_randint", "NumpyRandomState::randint(low, high)", "low 5, high 5",
      [] { ds::NumpyRandomState(0).randint(5, 5, {2}); },
      {"randint needs low < high, got low=5, high=5"});
  add("numpy_random_normal", "NumpyRandomState::normal(loc, scale)", "scale -1",
      [] { ds::NumpyRandomState(0).normal(0.0, -1.0, {2}); },
      {"normal needs scale >= 0, got scale=-1"});
  add("numpy_random_uniform", "NumpyRandomState::uniform(low, high)", "high inf",
      [] { ds::NumpyRandomState(0).uniform(0.0, kInf, {2}); },
      {"uniform needs a finite high - low, got low=0, high=inf"});
  add("numpy_random_shuffle", "NumpyRandomState::shuffle(x)", "0-d x",
      [] {
        auto x = torch::tensor(1.0);
        ds::NumpyRandomState(0).shuffle(x);
      },
      {"shuffle needs a tensor with at least one dimension, got []"});
  add("numpy_random_permutation", "NumpyRandomState::permutation(n)", "n -1",
      [] { ds::NumpyRandomState(0).permutation(-1); }, {"permutation needs n >= 0, got n=-1"});
  add("sample_without_replacement_population", "datasets::sample_without_replacement",
      "n_population -1",
      [] {
        ds::NumpyRandomState rs(0);
        ds::sample_without_replacement(-1, 0, "auto", rs);
      },
      {"n_population should be greater than 0, got -1"});
  add("sample_without_replacement_samples", "datasets::sample_without_replacement",
      "n_samples 5 > n_population 3",
      [] {
        ds::NumpyRandomState rs(0);
        ds::sample_without_replacement(3, 5, "auto", rs);
      },
      {"n_population should be greater or equal than n_samples", "(5 > 3)"});
  add("sample_without_replacement_method", "datasets::sample_without_replacement", "method 'magic'",
      [] {
        ds::NumpyRandomState rs(0);
        ds::sample_without_replacement(3, 1, "magic", rs);
      },
      {"method must be one of 'auto', 'tracking_selection', 'reservoir_sampling', 'pool', got "
       "'magic'"});
  // ---- datasets: mi_tasks.h ----
  add("mi_task_sample_n", "MiTask::sample(n, seed)", "n 0",
      [] { ds::find_mi_task("normal-1x1").sample(0, 0); },
      {"MiTask::sample: n must be >= 1, got 0 (task normal-1x1)"});
  add("mi_task_sample_seed", "MiTask::sample(n, seed)", "seed -1",
      [] { ds::find_mi_task("dense-2x2").sample(10, -1); },
      {"MiTask::sample: seed must be in [0, 2^32), got -1 (task dense-2x2)"});
  add("mi_task_unknown", "datasets::find_mi_task(name)", "'gauss'",
      [] { ds::find_mi_task("gauss"); },
      {"find_mi_task: unknown task 'gauss'; the tasks are normal-1x1, normal-cdf-1x1",
       "discrete-continuous"});
  add("gaussian_mi_not_square", "datasets::gaussian_mutual_information(cov, dim_x)", "cov [2, 3]",
      [] {
        ds::gaussian_mutual_information(f64({2, 3}), 1);
      },
      {"gaussian_mutual_information: covariance must be a square [d, d] tensor with d >= 2, got "
       "[2, 3]"});
  add("gaussian_mi_dim_x", "datasets::gaussian_mutual_information(cov, dim_x)",
      "dim_x 2 for a 2x2 covariance",
      [] { ds::gaussian_mutual_information(torch::eye(2, torch::kDouble), 2); },
      {"dim_x must be in [1, 1] for a covariance of size 2, got 2"});
  add("gaussian_mi_not_positive_definite", "datasets::gaussian_mutual_information(cov, dim_x)",
      "correlation 2",
      [] {
        ds::gaussian_mutual_information(torch::tensor({{1.0, 2.0}, {2.0, 1.0}}), 1);
      },
      {"covariance must be positive definite, got a leading minor of order 2 that is not"});
  add("gaussian_mi_asymmetric", "datasets::gaussian_mutual_information(cov, dim_x)",
      "cov[0][1] 0.5, cov[1][0] 0.4",
      [] {
        ds::gaussian_mutual_information(torch::tensor({{1.0, 0.5}, {0.4, 1.0}}), 1);
      },
      {"covariance must be symmetric, got [1, 0] = 0.4 and [0, 1] = 0.5"});
  add("gaussian_mi_nan", "datasets::gaussian_mutual_information(cov, dim_x)", "NaN entry",
      [] {
        ds::gaussian_mutual_information(torch::tensor({{1.0, kNaN}, {kNaN, 1.0}}), 1);
      },
      {"gaussian_mutual_information: covariance must be finite"});
  add("student_t_mi_dof", "datasets::student_t_mutual_information(dx, dy, dof)", "dof 0",
      [] { ds::student_t_mutual_information(1, 1, 0.0); },
      {"student_t_mutual_information: dof must be > 0 and finite, got 0"});
  add("student_t_task_dof", "datasets::student_t_task(name, dx, dy, dof)", "dof 0",
      [] { ds::student_t_task("t", 1, 1, 0); },
      {"student_t_task: dof must be an integer in [1, 1000], got 0"});
  add("additive_uniform_epsilon", "datasets::additive_uniform_task(name, epsilon)", "epsilon 0",
      [] { ds::additive_uniform_task("u", 0.0); },
      {"additive_uniform_mutual_information: epsilon must be > 0 and finite, got 0"});
  add("bernoulli_uniform_p", "datasets::bernoulli_uniform_task(name, p)", "p 1",
      [] { ds::bernoulli_uniform_task("b", 1.0); },
      {"bernoulli_uniform_mutual_information: p must be in (0, 1), got 1"});
  add("bivariate_normal_rho", "datasets::bivariate_normal_task(name, rho)", "rho 1",
      [] { ds::bivariate_normal_task("b", 1.0); },
      {"bivariate_normal_task: rho must be in (-1, 1), got 1"});
  add("dense_normal_correlation", "datasets::dense_normal_task(name, dx, dy, correlation)",
      "correlation -0.5 for 4 coordinates", [] { ds::dense_normal_task("d", 2, 2, -0.5); },
      {"dense_normal_task: correlation must be in (-1/(d-1), 1) = (-0.333333, 1) for d = 4",
       "got -0.5"});
  add("paired_normal_pairs", "datasets::paired_normal_task(name, dx, dy, pairs, c)",
      "3 pairs for 2x2", [] { ds::paired_normal_task("p", 2, 2, 3, 0.8); },
      {"paired_normal_task: pairs must be in [1, min(dim_x, dim_y)] = [1, 2], got 3"});
  add("mi_task_dims", "datasets::dense_normal_task(name, dx, dy, correlation)", "dim_x 0",
      [] { ds::dense_normal_task("d", 0, 2, 0.5); },
      {"dense_normal_task: dim_x and dim_y must be >= 1, got dim_x=0, dim_y=2"});
  add("spiral_dim_x", "datasets::spiral_task(name, base, speed)", "a 1x1 base",
      [] { ds::spiral_task("s", ds::find_mi_task("normal-1x1")); },
      {"spiral_task: base.dim_x must be >= 2", "got 1 (task normal-1x1)"});
  add("mi_task_empty_name", "datasets::half_cube_task(name, base)", "empty name",
      [] { ds::half_cube_task("", ds::find_mi_task("normal-1x1")); },
      {"half_cube_task: name must not be empty"});

  // ---- models: attention.h ----
  const auto q = [] { return f32({2, 3, 4}); };
  add("attention_undefined", "models::scaled_dot_product_attention(Q, K, V)", "undefined K",
      [=] { mo::scaled_dot_product_attention(q(), {}, q()); }, {"K must be a defined tensor"});
  add("attention_rank", "models::scaled_dot_product_attention(Q, K, V)", "1-D Q",
      [=] { mo::scaled_dot_product_attention(f32({4}), q(), q()); },
      {"Q must have at least 2 dimensions", "got shape [4]"});
  add("attention_int", "models::scaled_dot_product_attention(Q, K, V)", "int64 Q",
      [=] {
        mo::scaled_dot_product_attention(torch::ones({2, 3, 4}, torch::kLong), q(), q());
      },
      {"Q must be floating point, got Long"});
  add("attention_dtypes", "models::scaled_dot_product_attention(Q, K, V)", "float32 Q, float64 K",
      [=] {
        mo::scaled_dot_product_attention(q(), f64({2, 3, 4}), q());
      },
      {"Q, K and V must have the same dtype, got Float, Double and Float"});
  add_cuda("attention_devices", "models::scaled_dot_product_attention(Q, K, V)",
           "Q on CPU, K and V on CUDA",
           [=] {
             mo::scaled_dot_product_attention(q(), cuda({2, 3, 4}), cuda({2, 3, 4}));
           },
           {"Q, K and V must be on the same device, got cpu, cuda:0 and cuda:0"});
  add("attention_dk", "models::scaled_dot_product_attention(Q, K, V)", "Q dk 4, K dk 5",
      [=] {
        mo::scaled_dot_product_attention(q(), f32({2, 3, 5}), q());
      },
      {"Q and K must have the same feature size dk, got Q [2, 3, 4] and K [2, 3, 5]"});
  add("attention_lk", "models::scaled_dot_product_attention(Q, K, V)", "K with 3 keys, V with 2",
      [=] {
        mo::scaled_dot_product_attention(q(), q(), f32({2, 2, 4}));
      },
      {"K and V must have the same number of keys Lk, got K [2, 3, 4] and V [2, 2, 4]"});
  add("attention_no_keys", "models::scaled_dot_product_attention(Q, K, V)", "zero keys (Lk = 0)",
      [=] {
        mo::scaled_dot_product_attention(q(), f32({2, 0, 4}), f32({2, 0, 4}));
      },
      {"K must hold at least one key (Lk >= 1), got K [2, 0, 4]"});
  add("attention_batch", "models::scaled_dot_product_attention(Q, K, V)", "batch 2 vs 3",
      [=] {
        mo::scaled_dot_product_attention(q(), f32({3, 3, 4}), f32({3, 3, 4}));
      },
      {"the leading (batch, head) dimensions of Q, K and V must broadcast"});
  add("attention_mask_shape", "AttentionOptions::mask", "mask [2, 2] for scores [2, 3, 3]",
      [=] {
        mo::scaled_dot_product_attention(q(), q(), q(), torch::ones({2, 2}));
      },
      {"mask of shape [2, 2] does not broadcast to the attention scores' shape (..., Lq, Lk) = [2, "
       "3, 3]"});
  add_cuda("attention_mask_device", "AttentionOptions::mask", "CUDA mask for CPU Q",
           [=] {
             mo::scaled_dot_product_attention(q(), q(), q(), torch::ones({3, 3}, torch::kCUDA));
           },
           {"mask must be on the device of Q (cpu), got cuda:0"});
  add("attention_additive_bool", "AttentionOptions::additive_mask", "bool additive mask",
      [=] {
        mo::scaled_dot_product_attention(
            q(), q(), q(), mo::AttentionOptions().additive_mask(torch::ones({3, 3}, torch::kBool)));
      },
      {"additive_mask must be floating point (use mask() for a boolean keep-mask), got Bool"});
  add("attention_scale", "AttentionOptions::scale", "NaN",
      [=] { mo::scaled_dot_product_attention(q(), q(), q(), mo::AttentionOptions().scale(kNaN)); },
      {"scale must be finite, got nan"});
  add("attention_dropout", "AttentionOptions::dropout", "1.0",
      [=] { mo::scaled_dot_product_attention(q(), q(), q(), mo::AttentionOptions().dropout(1.0)); },
      {"dropout must be in [0, 1), got 1"});
  accepts(
      "attention_views", "models::scaled_dot_product_attention(Q, K, V)",
      "transposed Q and broadcast-expanded K, V: the contiguous result", [=] {
        const auto Q = f32({2, 4, 3}).transpose(1, 2);  // (2, 3, 4), non-contiguous
        const auto K = f32({1, 3, 4}).expand({2, 3, 4});
        const auto a = mo::scaled_dot_product_attention(Q, K, K).output;
        const auto b =
            mo::scaled_dot_product_attention(Q.contiguous(), K.contiguous(), K.contiguous()).output;
        EXPECT_TRUE(torch::allclose(a, b, 1e-6, 1e-7));
      });

  // ---- models: multi_head_attention.h ----
  add("mha_d_model", "MultiHeadAttentionOptions::d_model", "0",
      [] { mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(0, 1)); },
      {"d_model must be positive, got d_model=0"});
  add("mha_heads", "MultiHeadAttentionOptions::n_heads", "-2",
      [] { mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, -2)); },
      {"n_heads must be positive, got n_heads=-2"});
  add("mha_divisible", "MultiHeadAttentionOptions::n_heads", "d_model 6, n_heads 4",
      [] { mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(6, 4)); },
      {"d_model must be divisible by n_heads, got d_model=6, n_heads=4"});
  add("mha_dropout", "MultiHeadAttentionOptions::dropout", "-0.5",
      [] { mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2).dropout(-0.5)); },
      {"dropout must be in [0, 1), got -0.5"});
  add("mha_forward_rank", "MultiHeadAttention::forward(q, k, v)", "2-D query",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        m(f32({3, 4}), f32({2, 3, 4}), f32({2, 3, 4}));
      },
      {"query must be [B, L, d_model] with d_model=4, got shape [3, 4]"});
  add("mha_forward_width", "MultiHeadAttention::forward(q, k, v)", "d_model 5 for a 4-wide module",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        const auto x = f32({2, 3, 5});
        m(x, x, x);
      },
      {"query must be [B, L, d_model] with d_model=4, got shape [2, 3, 5]"});
  add("mha_forward_batch", "MultiHeadAttention::forward(q, k, v)", "batch 2 vs 1",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        m(f32({2, 3, 4}), f32({1, 3, 4}), f32({1, 3, 4}));
      },
      {"query, key and value must have the same batch size B"});
  add("mha_forward_lk", "MultiHeadAttention::forward(q, k, v)", "key length 3, value length 2",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        m(f32({2, 3, 4}), f32({2, 3, 4}), f32({2, 2, 4}));
      },
      {"key and value must have the same length Lk, got key [2, 3, 4] and value [2, 2, 4]"});

  // ---- models: positional_encoding.h ----
  add("posenc_rotation_odd", "models::positional_encoding_rotation(offset, d_model)", "d_model 3",
      [] { mo::positional_encoding_rotation(1, 3); }, {"d_model must be positive and even, got 3"});
  add("posenc_max_len", "models::positional_encoding(max_len, d_model)", "max_len 0",
      [] { mo::positional_encoding(0, 4); }, {"max_len must be positive, got 0"});
  add("posenc_odd", "models::positional_encoding(max_len, d_model)", "d_model 5",
      [] { mo::positional_encoding(4, 5); }, {"d_model must be positive and even, got 5"});
  add("posenc_dtype", "models::positional_encoding(..., dtype)", "int64",
      [] { mo::positional_encoding(4, 4, torch::kLong); },
      {"dtype must be a floating point type, got Long"});
  add("posenc_forward_rank", "SinusoidalPositionalEncoding::forward(x)", "2-D x",
      [] {
        mo::SinusoidalPositionalEncoding pe(mo::SinusoidalPositionalEncodingOptions(8, 4));
        pe(f32({3, 4}));
      },
      {"x must have shape [B, L, D], got [3, 4]"});
  add("posenc_forward_width", "SinusoidalPositionalEncoding::forward(x)", "D 6 for d_model 4",
      [] {
        mo::SinusoidalPositionalEncoding pe(mo::SinusoidalPositionalEncodingOptions(8, 4));
        pe(f32({2, 3, 6}));
      },
      {"x's last dimension must equal d_model=4, got x of shape [2, 3, 6]"});
  add("posenc_forward_length", "SinusoidalPositionalEncoding::forward(x)", "L 9 > max_len 8",
      [] {
        mo::SinusoidalPositionalEncoding pe(mo::SinusoidalPositionalEncodingOptions(8, 4));
        pe(f32({2, 9, 4}));
      },
      {"sequence length L=9 is longer than max_len=8"});
  add("posenc_forward_dtype", "SinusoidalPositionalEncoding::forward(x)",
      "float64 x, float32 table",
      [] {
        mo::SinusoidalPositionalEncoding pe(mo::SinusoidalPositionalEncodingOptions(8, 4));
        pe(f64({2, 3, 4}));
      },
      {"x must have the encoding's dtype Float, got Double"});

  // ---- models: diffusion_schedule.h ----
  add("diffusion_steps", "DiffusionScheduleOptions::steps", "0",
      [] { mo::DiffusionSchedule s(mo::DiffusionScheduleOptions(0)); },
      {"steps must be >= 1, got 0"});
  add("diffusion_beta_start", "DiffusionScheduleOptions::beta_start", "0",
      [] { mo::diffusion_betas(mo::DiffusionScheduleOptions(10).beta_start(0.0)); },
      {"beta_start must be in (0, 1), got 0"});
  add("diffusion_beta_end", "DiffusionScheduleOptions::beta_end",
      "1 (alpha = 0: use signal_to_noise for SNR 0)",
      [] { mo::diffusion_betas(mo::DiffusionScheduleOptions(10).beta_end(1.0)); },
      {"beta_end must be in (0, 1), got 1"});
  add("diffusion_beta_nan", "DiffusionScheduleOptions::beta_end", "NaN",
      [] { mo::diffusion_betas(mo::DiffusionScheduleOptions(10).beta_end(kNaN)); },
      {"beta_end must be in (0, 1), got nan"});
  add("diffusion_beta_order", "DiffusionScheduleOptions::beta_start",
      "beta_start 0.5 > beta_end 0.1",
      [] { mo::diffusion_betas(mo::DiffusionScheduleOptions(10).beta_start(0.5).beta_end(0.1)); },
      {"beta_start must not exceed beta_end, got beta_start=0.5, beta_end=0.1"});
  add("ddpm_set_timesteps_zero", "DDPMScheduler::set_timesteps(n)", "0",
      [] { mo::DDPMScheduler().ptr()->set_timesteps(0); },
      {"num_inference_steps must be in [1, 1000] (num_train_timesteps), got 0"});
  add("ddpm_set_timesteps_too_many", "DDPMScheduler::set_timesteps(n)", "1001 of 1000",
      [] { mo::DDPMScheduler().ptr()->set_timesteps(1001); },
      {"num_inference_steps must be in [1, 1000]", "got 1001"});
  add("ddpm_step_t_range", "DDPMScheduler::step(model_output, t, sample)", "t = 1000 of 1000",
      [] {
        const auto x = torch::zeros({2, 2});
        mo::DDPMScheduler().ptr()->step(x, 1000, x);
      },
      {"DDPMScheduler::step: t must be in [0, 1000), got 1000"});
  add("ddpm_step_t_negative", "DDPMScheduler::step(model_output, t, sample)", "t = -1",
      [] {
        const auto x = torch::zeros({2, 2});
        mo::DDPMScheduler().ptr()->step(x, -1, x);
      },
      {"t must be in [0, 1000), got -1"});
  add("ddpm_step_shape", "DDPMScheduler::step(model_output, t, sample)",
      "model_output [2, 3] for sample [2, 2]",
      [] {
        mo::DDPMScheduler().ptr()->step(torch::zeros({2, 3}), 5, torch::zeros({2, 2}));
      },
      {"model_output must have the sample's shape [2, 2], got [2, 3]"});
  add("ddpm_learned_channels", "DDPMScheduler::step(model_output, t, sample)",
      "learned_range variance, model_output without the extra channels",
      [] {
        const auto x = torch::zeros({2, 2});
        mo::DDPMScheduler(mo::DDPMSchedulerOptions().variance_type("learned_range"))
            .ptr()
            ->step(x, 5, x);
      },
      {"with learned_range variance model_output must have twice the sample's channels",
       "[2, 4], got [2, 2]"});
  add("compute_snr_float_t", "losses::compute_snr(alphas_cumprod, timesteps)", "float timesteps",
      [] { lo::compute_snr(torch::full({10}, 0.5f), torch::ones({2})); },
      {"compute_snr: timesteps must hold integers, got Float"});
  add("compute_snr_t_range", "losses::compute_snr(alphas_cumprod, timesteps)", "t = 10 of T = 10",
      [] {
        lo::compute_snr(torch::full({10}, 0.5f), torch::tensor({3, 10}, torch::kLong));
      },
      {"compute_snr: timesteps must be in [0, 10), got values in [3, 10]"});
  add("diffusion_loss_shape", "losses::diffusion_loss(model_output, target)", "[4, 2] and [4, 3]",
      [] {
        lo::diffusion_loss(torch::zeros({4, 2}), torch::zeros({4, 3}));
      },
      {"diffusion_loss: model_output and target must have one shape [B, ...], got [4, 2] and [4, "
       "3]"});
  add("diffusion_loss_min_snr_without_snr", "DiffusionLossOptions::min_snr_gamma",
      "gamma 5 without snr",
      [] {
        lo::diffusion_loss(torch::zeros({4, 2}), torch::zeros({4, 2}),
                           lo::DiffusionLossOptions().min_snr_gamma(5.0));
      },
      {"min_snr_gamma needs snr with one value per sample (4), got []"});
  add("min_snr_gamma_zero", "losses::min_snr_weights(snr, gamma, prediction)", "gamma 0",
      [] { lo::min_snr_weights(torch::ones({2}), 0.0, "epsilon"); },
      {"min_snr_weights: gamma must be > 0, got 0"});
  add("diffusion_loss_prediction", "DiffusionLossOptions::prediction_type", "'noise'",
      [] {
        lo::diffusion_loss(torch::zeros({4, 2}), torch::zeros({4, 2}),
                           lo::DiffusionLossOptions().prediction_type("noise"));
      },
      {"prediction_type must be epsilon, sample or v_prediction, got 'noise'"});
  add("ddim_eta_negative", "DDIMSchedulerOptions::eta", "-0.5",
      [] { mo::DDIMScheduler(mo::DDIMSchedulerOptions().eta(-0.5)); },
      {"DDIMScheduler: eta must be >= 0, got -0.5"});
  add("ddim_set_timesteps_too_many", "DDIMScheduler::set_timesteps(n)", "2000 of 1000",
      [] { mo::DDIMScheduler().ptr()->set_timesteps(2000); },
      {"DDIMScheduler::set_timesteps: num_inference_steps must be in [1, 1000]", "got 2000"});
  add("ddim_step_shape", "DDIMScheduler::step(model_output, t, sample)",
      "model_output [2, 3] for sample [2, 2]",
      [] {
        mo::DDIMScheduler().ptr()->step(torch::zeros({2, 3}), 5, torch::zeros({2, 2}));
      },
      {"DDIMScheduler::step: model_output must have the sample's shape [2, 2], got [2, 3]"});
  add("ddim_step_t_range", "DDIMScheduler::step(model_output, t, sample)", "t = 5000",
      [] {
        const auto x = torch::zeros({2, 2});
        mo::DDIMScheduler().ptr()->step(x, 5000, x);
      },
      {"DDIMScheduler::step: t must be in [0, 1000), got 5000"});
  add("ddim_spacing", "DDIMSchedulerOptions::timestep_spacing", "'uniform'",
      [] { mo::DDIMScheduler(mo::DDIMSchedulerOptions().timestep_spacing("uniform")); },
      {"timestep_spacing must be one of leading, linspace, trailing, got 'uniform'"});
  add("ddpm_add_noise_float_t", "DDPMScheduler::add_noise(x0, noise, t)", "float t",
      [] {
        const auto x = torch::zeros({2, 2});
        mo::DDPMScheduler().ptr()->add_noise(x, x, torch::ones({2}));
      },
      {"add_noise: t must hold integers, got Float"});
  add("ddpm_beta_schedule", "DDPMSchedulerOptions::beta_schedule", "'cosine'",
      [] { mo::DDPMScheduler(mo::DDPMSchedulerOptions().beta_schedule("cosine")); },
      {"beta_schedule must be one of linear, scaled_linear, sigmoid, squaredcos_cap_v2, got "
       "'cosine'"});
  add("ddpm_prediction_type", "DDPMSchedulerOptions::prediction_type", "'eps'",
      [] { mo::DDPMScheduler(mo::DDPMSchedulerOptions().prediction_type("eps")); },
      {"prediction_type must be one of epsilon, sample, v_prediction, got 'eps'"});
  add("ddpm_variance_type", "DDPMSchedulerOptions::variance_type", "'small'",
      [] { mo::DDPMScheduler(mo::DDPMSchedulerOptions().variance_type("small")); },
      {"variance_type must be one of", "got 'small'"});
  add("ddpm_trained_betas", "DDPMSchedulerOptions::trained_betas", "3 values for T = 1000",
      [] {
        mo::DDPMScheduler(mo::DDPMSchedulerOptions().trained_betas({0.1, 0.2, 0.3}));
      },
      {"trained_betas must hold num_train_timesteps = 1000 values, got 3"});
  const auto config = [](const std::string& name, const std::string& json) {
    return scratch_file(name, json);
  };
  add("config_beta_schedule", "DDPMScheduler::from_config(path)",
      "scheduler_config.json with beta_schedule 'cosine'",
      [=] { mo::DDPMScheduler::from_config(config("c1.json", R"({"beta_schedule": "cosine"})")); },
      {"c1.json: DDPMScheduler: beta_schedule must be one of", "got 'cosine'"});
  add("config_prediction_type", "DDIMScheduler::from_config(path)",
      "scheduler_config.json with prediction_type 'eps'",
      [=] { mo::DDIMScheduler::from_config(config("c2.json", R"({"prediction_type": "eps"})")); },
      {"c2.json: DDIMScheduler: prediction_type must be one of", "got 'eps'"});
  add("config_variance_type", "DDPMScheduler::from_config(path)",
      "scheduler_config.json with variance_type 'small'",
      [=] { mo::DDPMScheduler::from_config(config("c3.json", R"({"variance_type": "small"})")); },
      {"c3.json: DDPMScheduler: variance_type must be one of", "got 'small'"});
  add("config_malformed", "DDPMScheduler::from_config(path)",
      "scheduler_config.json cut short: {\"beta_start\": 0.1",
      [=] { mo::DDPMScheduler::from_config(config("c4.json", R"({"beta_start": 0.1)")); },
      {"c4.json is not valid JSON", "at line 1, column 19"});
  add("config_not_object", "DDIMScheduler::from_config(path)",
      "scheduler_config.json holding [1, 2]",
      [=] { mo::DDIMScheduler::from_config(config("c5.json", "[1, 2]")); },
      {"c5.json must hold a JSON object of scheduler options, got array"});
  add("config_wrong_type", "DDPMScheduler::from_config(path)",
      "num_train_timesteps \"1000\" (a string)",
      [=] {
        mo::DDPMScheduler::from_config(config("c6.json", R"({"num_train_timesteps": "1000"})"));
      },
      {"c6.json: key 'num_train_timesteps' must be an integer, got \"1000\""});
  add("config_float_steps", "DDPMScheduler::from_config(path)", "num_train_timesteps 1000.5",
      [=] {
        mo::DDPMScheduler::from_config(config("c7.json", R"({"num_train_timesteps": 1000.5})"));
      },
      {"c7.json: key 'num_train_timesteps' must be an integer, got 1000.5"});
  add("config_trained_betas", "DDPMScheduler::from_config(path)", "trained_betas [0.1, \"x\"]",
      [=] {
        mo::DDPMScheduler::from_config(
            config("c8.json", R"({"num_train_timesteps": 2, "trained_betas": [0.1, "x"]})"));
      },
      {"c8.json: key 'trained_betas' must be null or a list of numbers, got \"x\""});
  add("config_missing", "DDIMScheduler::from_config(path)",
      "a folder without scheduler_config.json",
      [] { mo::DDIMScheduler::from_config(scratch().string()); },
      {"DDIMScheduler::from_config: cannot open",
       "scheduler_config.json (a scheduler_config.json "
       "file, or the folder that holds one)"});
  add("config_range", "DDIMScheduler::from_config(path)", "clip_sample_range -1",
      [=] { mo::DDIMScheduler::from_config(config("c9.json", R"({"clip_sample_range": -1})")); },
      {"c9.json: DDIMScheduler: clip_sample_range must be > 0, got -1"});
  add("signal_to_noise_int", "models::signal_to_noise(alpha_bar)", "int64 alpha_bar",
      [] { mo::signal_to_noise(torch::ones({2}, torch::kLong)); },
      {"alpha_bar must be a floating point tensor, got Long"});
  add("mi_bound_undefined", "models::gaussian_channel_mi_upper_bound(snr)", "undefined snr",
      [] { mo::gaussian_channel_mi_upper_bound({}); },
      {"snr must be a floating point tensor, got undefined"});
  const auto schedule = [] { return mo::DiffusionSchedule(mo::DiffusionScheduleOptions(10)); };
  add("q_sample_x0_int", "DiffusionSchedule::q_sample(x0, t, noise)", "int64 x0",
      [=] {
        schedule()->q_sample(torch::ones({2, 3}, torch::kLong), torch::tensor(1), f32({2, 3}));
      },
      {"x0 must be a floating point tensor [B, ...], got [2, 3]"});
  add("q_sample_noise_shape", "DiffusionSchedule::q_sample(x0, t, noise)",
      "noise [2, 4] for x0 [2, 3]",
      [=] {
        schedule()->q_sample(f32({2, 3}), torch::tensor(1), f32({2, 4}));
      },
      {"noise must have the shape of x0 [2, 3], got [2, 4]"});
  add("q_sample_t_float", "DiffusionSchedule::q_sample(x0, t, noise)", "float t",
      [=] {
        schedule()->q_sample(f32({2, 3}), torch::tensor(1.0), f32({2, 3}));
      },
      {"t must be an integer tensor of steps, got Float"});
  add("q_sample_t_shape", "DiffusionSchedule::q_sample(x0, t, noise)", "t [3] for B = 2",
      [=] {
        schedule()->q_sample(f32({2, 3}), torch::tensor({1, 2, 3}), f32({2, 3}));
      },
      {"t must be a scalar or have shape [B] = [2], got [3]"});
  add("q_sample_t_range", "DiffusionSchedule::q_sample(x0, t, noise)", "t = 10 with T = 10",
      [=] {
        schedule()->q_sample(f32({2, 3}), torch::tensor({0, 10}), f32({2, 3}));
      },
      {"t must be in [0, 10), got values in [0, 10]"});
  add("q_sample_t_negative", "DiffusionSchedule::q_sample(x0, t, noise)", "t = -1",
      [=] {
        schedule()->q_sample(f32({2, 3}), torch::tensor(-1), f32({2, 3}));
      },
      {"t must be in [0, 10), got values in [-1, -1]"});
  add_cuda("q_sample_devices", "DiffusionSchedule::q_sample(x0, t, noise)", "CUDA x0, CPU schedule",
           [=] {
             schedule()->q_sample(cuda({2, 3}), torch::tensor(1), cuda({2, 3}));
           },
           {"x0 and noise must be on the schedule's device cpu, got cuda:0 and cuda:0"});

  // ---- models: manual_mlp.h ----
  const auto mlp = [] { return mo::ManualMLP(mo::ManualMLPOptions(2, 4, 2)); };
  add("mlp_dims", "ManualMLPOptions::hidden_dim", "0",
      [] { mo::ManualMLP m(mo::ManualMLPOptions(2, 0, 2)); },
      {"hidden_dim must be positive, got 0"});
  add("mlp_dtype", "ManualMLPOptions::dtype", "int64",
      [] { mo::ManualMLP m(mo::ManualMLPOptions(2, 4, 2).dtype(torch::kLong)); },
      {"dtype must be a floating point type, got Long"});
  add("mlp_forward_shape", "ManualMLP::forward(X)", "X [5, 3] for input_dim 2",
      [=] {
        mlp()->forward(f64({5, 3}));
      },
      {"X must have shape [B, input_dim=2], got [5, 3]"});
  add("mlp_forward_empty", "ManualMLP::forward(X)", "X [0, 2]",
      [=] {
        mlp()->forward(f64({0, 2}));
      },
      {"X must hold at least one sample, got shape [0, 2]"});
  add("mlp_forward_dtype", "ManualMLP::forward(X)", "float32 X, float64 parameters",
      [=] {
        mlp()->forward(f32({5, 2}));
      },
      {"X must have the parameters' dtype Double, got Float"});
  add("mlp_backward_first", "ManualMLP::backward(y_onehot)", "backward before any forward",
      [=] {
        mlp()->backward(f64({5, 2}));
      },
      {"backward needs a forward first"});
  add("mlp_backward_shape", "ManualMLP::backward(y_onehot)", "y_onehot [5, 3] for output [5, 2]",
      [=] {
        auto m = mlp();
        m->forward(f64({5, 2}));
        m->backward(f64({5, 3}));
      },
      {"y_onehot must have the shape of the last forward's output [5, 2], got [5, 3]"});
  add("mlp_backward_lr", "ManualMLP::backward(y_onehot, lr)", "lr NaN",
      [=] {
        auto m = mlp();
        m->forward(f64({5, 2}));
        m->backward(f64({5, 2}), kNaN);
      },
      {"lr must be finite, got nan"});
  add("mlp_train_epochs", "ManualMLP::train(X, y, epochs)", "epochs -1",
      [=] {
        mlp()->train(f64({5, 2}), torch::zeros({5}, torch::kLong), -1);
      },
      {"epochs must be >= 0, got -1"});
  add("mlp_train_labels_float", "ManualMLP::train(X, y)", "float labels",
      [=] {
        mlp()->train(f64({5, 2}), torch::zeros({5}), 1);
      },
      {"y must hold integer class labels, got dtype Float"});
  add("mlp_train_labels_range", "ManualMLP::train(X, y)", "label 2 for output_dim 2",
      [=] {
        mlp()->train(f64({3, 2}), torch::tensor({0, 1, 2}), 1);
      },
      {"y must lie in [0, output_dim=2), got labels from 0 to 2"});
  add("mlp_train_labels_shape", "ManualMLP::train(X, y)", "4 labels for 5 rows",
      [=] {
        mlp()->train(f64({5, 2}), torch::zeros({4}, torch::kLong), 1);
      },
      {"y must be 1-D with one label per row of X (5), got shape [4]"});

  // ---- losses: info_nce.h ----
  const auto b = [] { return f32({4, 8}); };
  add("info_nce_temperature_zero", "losses::info_nce_loss(q, p, n, temperature)", "temperature 0",
      [=] {
        lo::info_nce_loss(b(), b(), f32({4, 3, 8}), 0.0);
      },
      {"temperature must be positive and finite, got 0"});
  add("info_nce_temperature_inf", "InfoNCEOptions::temperature", "inf",
      [=] { lo::info_nce(b(), b(), {}, lo::InfoNCEOptions().temperature(kInf)); },
      {"temperature must be positive and finite, got inf"});
  add("info_nce_module_temperature", "InfoNCEOptions::temperature (module)", "-1",
      [] { lo::InfoNCE m(lo::InfoNCEOptions().temperature(-1)); },
      {"temperature must be positive and finite, got -1"});
  add("info_nce_query_rank", "losses::info_nce(q, p, n)", "1-D query",
      [=] { lo::info_nce(f32({8}), f32({8}), {}); }, {"query must be [B, D], got shape [8]"});
  add("info_nce_query_empty", "losses::info_nce(q, p, n)", "query [0, 8]",
      [=] {
        lo::info_nce(f32({0, 8}), f32({0, 8}), {});
      },
      {"query must hold at least one non-empty row, got shape [0, 8]"});
  add("info_nce_query_int", "losses::info_nce(q, p, n)", "int64 query",
      [=] {
        lo::info_nce(torch::ones({4, 8}, torch::kLong), torch::ones({4, 8}, torch::kLong), {});
      },
      {"query must be floating point, got Long"});
  add("info_nce_positive_shape", "losses::info_nce(q, p, n)", "positive [3, 8] for query [4, 8]",
      [=] {
        lo::info_nce(b(), f32({3, 8}), {});
      },
      {"positive must have query's shape [B, D] = [4, 8], got [3, 8]"});
  add("info_nce_positive_dtype", "losses::info_nce(q, p, n)", "float64 positive",
      [=] {
        lo::info_nce(b(), f64({4, 8}), {});
      },
      {"positive must have query's dtype and device (Float, cpu), got Double, cpu"});
  add_cuda("info_nce_devices", "losses::info_nce(q, p, n)", "CUDA positive, CPU query",
           [=] {
             lo::info_nce(b(), cuda({4, 8}), {});
           },
           {"positive must have query's dtype and device (Float, cpu), got Float, cuda:0"});
  add("info_nce_paired_rank", "losses::info_nce(q, p, n) paired", "negatives [3, 8]",
      [=] {
        lo::info_nce(b(), b(), f32({3, 8}));
      },
      {"negatives must be [B, K, D] for negative_mode=paired", "got shape [3, 8]"});
  add("info_nce_paired_batch", "losses::info_nce(q, p, n) paired", "negatives batch 2 for B 4",
      [=] {
        lo::info_nce(b(), b(), f32({2, 3, 8}));
      },
      {"negatives must have query's batch size B=4, got shape [2, 3, 8]"});
  add("info_nce_negatives_width", "losses::info_nce(q, p, n)", "negatives D 7 for D 8",
      [=] {
        lo::info_nce(b(), b(), f32({4, 3, 7}));
      },
      {"negatives must have query's feature size D=8, got shape [4, 3, 7]"});
  add("info_nce_negatives_none", "losses::info_nce(q, p, n)", "K = 0 negatives",
      [=] {
        lo::info_nce(b(), b(), f32({4, 0, 8}));
      },
      {"negatives must hold at least one negative (K >= 1), got shape [4, 0, 8]"});
  add("info_nce_unpaired_rank", "losses::info_nce(q, p, n) unpaired", "negatives [4, 3, 8]",
      [=] {
        lo::info_nce(b(), b(), f32({4, 3, 8}),
                     lo::InfoNCEOptions().negative_mode(lo::NegativeMode::kUnpaired));
      },
      {"negatives must be [K, D] for negative_mode=unpaired, got shape [4, 3, 8]"});
  add("info_nce_negatives_dtype", "losses::info_nce(q, p, n)", "float64 negatives",
      [=] {
        lo::info_nce(b(), b(), f64({4, 3, 8}));
      },
      {"negatives must have query's dtype and device (Float, cpu), got Double, cpu"});
  accepts("info_nce_views", "losses::info_nce(q, p, n)",
          "transposed query, expanded negatives: the contiguous result", [=] {
            const auto query = f32({8, 4}).t();
            const auto positive = b();
            const auto negatives = f32({1, 3, 8}).expand({4, 3, 8});
            EXPECT_TRUE(torch::allclose(
                lo::info_nce(query, positive, negatives),
                lo::info_nce(query.contiguous(), positive, negatives.contiguous()), 1e-6, 1e-7));
          });

  // ---- losses: distillation.h ----
  const auto logits = [] { return f32({4, 5}); };
  const auto labels = [] { return torch::tensor({0, 1, 2, 4}, torch::kLong); };
  add("distillation_temperature_zero", "DistillationLossOptions::temperature", "0",
      [=] {
        lo::distillation_loss(logits(), logits(), labels(),
                              lo::DistillationLossOptions().temperature(0));
      },
      {"temperature must be positive and finite, got 0"});
  add("distillation_module_temperature", "DistillationLossOptions::temperature (module)", "nan",
      [] { lo::DistillationLoss m(lo::DistillationLossOptions().temperature(std::nan(""))); },
      {"temperature must be positive and finite, got nan"});
  add("distillation_alpha", "DistillationLossOptions::alpha", "1.5",
      [=] {
        lo::distillation_loss(logits(), logits(), labels(),
                              lo::DistillationLossOptions().alpha(1.5));
      },
      {"alpha (the soft term's weight) must be in [0, 1], got 1.5"});
  add("distillation_student_rank", "losses::distillation_loss(student, teacher, targets)",
      "1-D student logits", [=] { lo::distillation_loss(f32({5}), f32({5}), labels()); },
      {"student logits must be [B, C] with B, C >= 1, got shape [5]"});
  add("distillation_teacher_shape", "losses::distillation_loss(student, teacher, targets)",
      "teacher [4, 3] for student [4, 5]",
      [=] {
        lo::distillation_loss(logits(), f32({4, 3}), labels());
      },
      {"teacher logits must have the student's shape [B, C] = [4, 5], got [4, 3]"});
  add("distillation_teacher_dtype", "losses::distillation_loss(student, teacher, targets)",
      "float64 teacher",
      [=] {
        lo::distillation_loss(logits(), f64({4, 5}), labels());
      },
      {"teacher logits must have the student's dtype and device (Float, cpu), got Double, cpu"});
  add("distillation_targets_missing", "losses::distillation_loss(student, teacher, targets)",
      "no targets with alpha 0.9", [=] { lo::distillation_loss(logits(), logits(), {}); },
      {"targets (class indices [B]) are needed when alpha < 1"});
  add("distillation_targets_float", "losses::distillation_loss(student, teacher, targets)",
      "float targets", [=] { lo::distillation_loss(logits(), logits(), f32({4})); },
      {"targets must be int64 on the logits' device (cpu), got Float, cpu"});
  add("distillation_targets_range", "losses::distillation_loss(student, teacher, targets)",
      "class 5 of 5",
      [=] {
        lo::distillation_loss(logits(), logits(), torch::tensor({0, 1, 2, 5}, torch::kLong));
      },
      {"targets must be class indices in [0, 5), got values in [0, 5]"});

  // ---- losses: mi_bounds.h ----
  add("infonce_estimate_negatives", "losses::infonce_mi_estimate(loss, num_negatives)",
      "num_negatives 0", [] { lo::infonce_mi_estimate(1.0, 0); },
      {"num_negatives must be >= 1 (K negatives per positive), got 0"});
  add("infonce_estimate_loss_negative", "losses::infonce_mi_estimate(loss, num_negatives)",
      "loss -0.5", [] { lo::infonce_mi_estimate(-0.5, 15); },
      {"loss must be a finite InfoNCE loss >= 0", "got -0.5"});
  add("infonce_estimate_loss_nan", "losses::infonce_mi_estimate(loss, num_negatives)", "loss NaN",
      [] { lo::infonce_mi_estimate(kNaN, 15); },
      {"loss must be a finite InfoNCE loss >= 0", "got nan"});
  add("infonce_estimate_loss_inf", "losses::infonce_mi_estimate(loss, num_negatives)", "loss inf",
      [] { lo::infonce_mi_estimate(kInf, 15); },
      {"loss must be a finite InfoNCE loss >= 0", "got inf"});
  add("infonce_bound_not_square", "losses::infonce_lower_bound(scores)", "scores [3, 4]",
      [] {
        lo::infonce_lower_bound(f32({3, 4}));
      },
      {"scores must be a square [B, B] matrix", "got shape [3, 4]"});
  add("infonce_bound_rank", "losses::infonce_lower_bound(scores)", "1-D scores",
      [] { lo::infonce_lower_bound(f32({4})); },
      {"scores must be a square [B, B] matrix", "got shape [4]"});
  add("infonce_bound_undefined", "losses::infonce_lower_bound(scores)", "undefined scores",
      [] { lo::infonce_lower_bound({}); },
      {"scores must be a square [B, B] matrix", "got shape []"});
  add("infonce_bound_one", "losses::infonce_lower_bound(scores)", "scores [1, 1]",
      [] {
        lo::infonce_lower_bound(f32({1, 1}));
      },
      {"scores must be [B, B] with B >= 2 (each positive needs a negative), got shape [1, 1]"});
  add("infonce_bound_int", "losses::infonce_lower_bound(scores)", "int64 scores",
      [] {
        lo::infonce_lower_bound(torch::ones({3, 3}, torch::kLong));
      },
      {"scores must be floating point, got Long"});
  add("nwj_bound_not_square", "losses::nwj_lower_bound(scores)", "scores [2, 5, 5]",
      [] {
        lo::nwj_lower_bound(f32({2, 5, 5}));
      },
      {"scores must be a square [B, B] matrix", "got shape [2, 5, 5]"});
  add("nwj_bound_one", "losses::nwj_lower_bound(scores)", "scores [1, 1]",
      [] {
        lo::nwj_lower_bound(f64({1, 1}));
      },
      {"scores must be [B, B] with B >= 2", "got shape [1, 1]"});
  add("nwj_bound_int", "losses::nwj_lower_bound(scores)", "bool scores",
      [] {
        lo::nwj_lower_bound(torch::ones({3, 3}, torch::kBool));
      },
      {"scores must be floating point, got Bool"});
  accepts("mi_bounds_views", "losses::infonce_lower_bound / nwj_lower_bound(scores)",
          "transposed and expanded scores: the contiguous result", [=] {
            const auto t = f32({5, 5}).t();
            const auto e = f32({1, 4}).expand({4, 4});
            for (const auto& s : {t, e}) {
              EXPECT_NEAR(lo::infonce_lower_bound(s).item<double>(),
                          lo::infonce_lower_bound(s.contiguous()).item<double>(), 1e-6);
              EXPECT_NEAR(lo::nwj_lower_bound(s).item<double>(),
                          lo::nwj_lower_bound(s.contiguous()).item<double>(), 1e-6);
            }
          });

  // ---- models: separable_critic.h ----
  const auto critic = [] {
    return mo::SeparableCritic(mo::SeparableCriticOptions(2, 3).hidden_dim(4).embed_dim(2));
  };
  add("critic_dim_x", "SeparableCriticOptions::dim_x", "0",
      [] { mo::SeparableCritic c(mo::SeparableCriticOptions(0, 3)); },
      {"dim_x must be >= 1, got dim_x=0"});
  add("critic_dim_y", "SeparableCriticOptions::dim_y", "-1",
      [] { mo::SeparableCritic c(mo::SeparableCriticOptions(2, -1)); },
      {"dim_y must be >= 1, got dim_y=-1"});
  add("critic_hidden_dim", "SeparableCriticOptions::hidden_dim", "0",
      [] { mo::SeparableCritic c(mo::SeparableCriticOptions(2, 3).hidden_dim(0)); },
      {"hidden_dim must be >= 1, got hidden_dim=0"});
  add("critic_layers", "SeparableCriticOptions::layers", "0",
      [] { mo::SeparableCritic c(mo::SeparableCriticOptions(2, 3).layers(0)); },
      {"layers must be >= 1 (hidden layers per MLP), got layers=0"});
  add("critic_embed_dim", "SeparableCriticOptions::embed_dim", "0",
      [] { mo::SeparableCritic c(mo::SeparableCriticOptions(2, 3).embed_dim(0)); },
      {"embed_dim must be >= 1, got embed_dim=0"});
  add("critic_forward_x_rank", "SeparableCritic::forward(x, y)", "1-D x",
      [=] {
        critic()(f32({2}), f32({1, 3}));
      },
      {"x must be [B, dim_x] with dim_x=2, got shape [2]"});
  add("critic_forward_x_width", "SeparableCritic::forward(x, y)", "x [4, 3] for dim_x 2",
      [=] {
        critic()(f32({4, 3}), f32({4, 3}));
      },
      {"x must be [B, dim_x] with dim_x=2, got shape [4, 3]"});
  add("critic_forward_y_width", "SeparableCritic::forward(x, y)", "y [4, 2] for dim_y 3",
      [=] {
        critic()(f32({4, 2}), f32({4, 2}));
      },
      {"y must be [B, dim_y] with dim_y=3, got shape [4, 2]"});
  add("critic_forward_y_undefined", "SeparableCritic::forward(x, y)", "undefined y",
      [=] {
        critic()(f32({4, 2}), at::Tensor{});
      },
      {"y must be [B, dim_y] with dim_y=3, got shape []"});
  add("critic_forward_batch", "SeparableCritic::forward(x, y)", "5 x rows, 4 y rows",
      [=] {
        critic()(f32({5, 2}), f32({4, 3}));
      },
      {"x and y must hold the same number of pairs B, got x of shape [5, 2] and y of shape [4, "
       "3]"});

  // ---- io: state_dict.h (weights files) ----
  add("read_state_dict_missing", "io::read_state_dict(path)", "missing file",
      [] { sio::read_state_dict((scratch() / "nope.pt").string()); },
      {"state_dict file '", "nope.pt' cannot be opened (missing or unreadable)"});
  add("read_state_dict_directory", "io::read_state_dict(path)", "a directory",
      [] { sio::read_state_dict(scratch().string()); }, {"state_dict file '", "'"});
  add("read_state_dict_empty", "io::read_state_dict(path)", "empty file",
      [] { sio::read_state_dict(scratch_file("empty.pt", "")); },
      {"state_dict file '", "empty.pt' is not a readable torch.save archive"});
  add("read_state_dict_garbage", "io::read_state_dict(path)", "not a zip (text)",
      [] { sio::read_state_dict(scratch_file("text.pt", "hello, I am not a weights file\n")); },
      {"text.pt' is not a readable torch.save archive"});
  add("read_state_dict_truncated", "io::read_state_dict(path)", "file cut in half",
      [] {
        const auto bytes = read_bytes(mha_file());
        sio::read_state_dict(scratch_file("half.pt", bytes.substr(0, bytes.size() / 2)));
      },
      {"half.pt' is not a readable torch.save archive (corrupt or truncated?)"});
  // LibTorch's miniz skips the CRC-32 check, so read_state_dict does it: one flipped bit in a
  // tensor's bytes is caught.
  add("read_state_dict_bit_flip", "io::read_state_dict(path)", "one bit flipped in a tensor's data",
      [] {
        const auto path = scratch_file("bitflip.pt", "");
        sio::write_state_dict({{"w", torch::full({64}, 1234.5f)}}, path);
        auto bytes = read_bytes(path);
        const float value = 1234.5f;
        const auto at =
            bytes.find(std::string(reinterpret_cast<const char*>(&value), sizeof value));
        ASSERT_NE(at, std::string::npos);
        bytes[at + 1] = static_cast<char>(bytes[at + 1] ^ 0x10);
        sio::read_state_dict(scratch_file("bitflip.pt", bytes));
      },
      {"bitflip.pt' is not a readable torch.save archive", "record data/0 fails its CRC-32 check"});
  add("read_state_dict_corrupt", "io::read_state_dict(path)", "zip directory bytes flipped",
      [] {
        auto bytes = read_bytes(mha_file());
        // The last 200 bytes hold the end-of-directory records (zip64 and classic) and the end
        // of the central directory: with them inverted no entry can be located.
        for (size_t i = bytes.size() - 200; i < bytes.size(); ++i)
          bytes[i] = static_cast<char>(~bytes[i]);
        sio::read_state_dict(scratch_file("flipped.pt", bytes));
      },
      {"flipped.pt' is not a readable torch.save archive"});
  add("read_state_dict_legacy", "io::read_state_dict(path)", "legacy (non-zip) torch.save format",
      [] { sio::read_state_dict(kCorpus + "legacy.pt"); },
      {"legacy.pt' is in torch.save's legacy (pre-1.6, non-zip) format",
       "torch.save(state_dict, path)"});
  add("read_state_dict_tensor", "io::read_state_dict(path)", "torch.save(tensor), not a dict",
      [] { sio::read_state_dict(kCorpus + "tensor.pt"); },
      {"tensor.pt' holds no dict (save model.state_dict(), not the model)"});
  add("read_state_dict_values", "io::read_state_dict(path)", "dict with int and str values",
      [] { sio::read_state_dict(kCorpus + "mixed_values.pt"); },
      {"mixed_values.pt' holds an entry that is not name -> tensor"});
  // Under the sanitizers this row also checks that the cycle is freed (it once leaked).
  add("read_state_dict_self_reference", "io::read_state_dict(path)", "a list that holds itself",
      [] {
        const auto pickle = read_bytes(kPickleCorpus + "regress_self_reference.pkl");
        ASSERT_FALSE(pickle.empty());
        sio::read_state_dict(scratch_file("self.pt", torch_save_archive(pickle)));
      },
      {"self.pt' holds an entry that is not name -> tensor"});
  // LibTorch's own torch::save(module, path) writes a TorchScript archive, not a state_dict.
  add("read_state_dict_torchscript", "io::read_state_dict(path)",
      "file of LibTorch's torch::save(module, path)",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        const auto path = (scratch() / "torch_save.pt").string();
        torch::save(m, path);
        sio::read_state_dict(path);
      },
      {"torch_save.pt' was written by LibTorch's torch::save(module, path)",
       "a TorchScript archive, not a torch.save state_dict", "torch::load(module, path)"});
  add("load_state_dict_keys", "io::load_state_dict(module, path)",
      "file of another module (missing keys)",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        sio::load_state_dict(*m, kCorpus + "mixed.pt");
      },
      {"mixed.pt' lacks key(s) 'W_Q.weight'"});
  add("load_state_dict_shape", "io::load_state_dict(module, path)", "MHA(4, 2) file into MHA(6, 2)",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(6, 2));
        sio::load_state_dict(*m, mha_file());
      },
      {"key 'W_Q.weight' has shape [4, 4] but the module's has shape [6, 6]"});
  add("load_state_dict_both_keys", "io::load_state_dict(module, entries)",
      "W_O.bias missing, W_O.scale unexpected",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        sio::NamedTensors entries;
        for (const auto& p : m->named_parameters()) {
          if (p.key() != "W_O.bias") entries.emplace_back(p.key(), p.value().detach());
        }
        entries.emplace_back("W_O.scale", torch::ones({1}));
        sio::load_state_dict(*m, entries);
      },
      {"state_dict lacks key(s) 'W_O.bias' that the module has, and has unexpected key(s) "
       "'W_O.scale' that the module lacks",
       "LoadStateDictOptions().strict(false) loads the keys that match"});
  add("load_state_dict_prefix_form", "LoadStateDictOptions::prefix", "\"mha\" (no '.')",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        sio::load_state_dict(*m, mha_file(), sio::LoadStateDictOptions().prefix("mha"));
      },
      {"LoadStateDictOptions::prefix must be empty or end with '.' (as \"mha.\"), got 'mha'"});
  add("load_state_dict_prefix_unmatched", "LoadStateDictOptions::prefix",
      "\"decoder.\", which no key has",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        sio::load_state_dict(*m, mha_file(), sio::LoadStateDictOptions().prefix("decoder."));
      },
      {"mha_4_2.pt' lacks key(s) 'decoder.W_Q.weight'",
       "(no key starts with the prefix 'decoder.')"});
  add("load_state_dict_duplicate", "io::load_state_dict(module, entries)", "key 'W_Q.weight' twice",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        sio::load_state_dict(
            *m, {{"W_Q.weight", torch::ones({4, 4})}, {"W_Q.weight", torch::ones({4, 4})}});
      },
      {"state_dict holds key 'W_Q.weight' twice"});
  add("load_state_dict_undefined", "io::load_state_dict(module, entries)", "undefined tensor",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        sio::load_state_dict(*m, {{"W_Q.weight", torch::Tensor()}});
      },
      {"state_dict: key 'W_Q.weight' holds an undefined tensor"});
  add("load_state_dict_entries_shape", "io::load_state_dict(module, entries)",
      "W_Q.weight [2, 2] for [4, 4], not strict",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        sio::load_state_dict(*m, {{"W_Q.weight", torch::ones({2, 2})}},
                             sio::LoadStateDictOptions().strict(false));
      },
      {"state_dict: key 'W_Q.weight' has shape [2, 2] but the module's has shape [4, 4]"});
  add("write_state_dict_folder", "io::write_state_dict(entries, path)", "missing folder",
      [] {
        sio::write_state_dict({{"w", torch::ones({2})}}, (scratch() / "no" / "w.pt").string());
      },
      {"cannot write '", "no/w.pt': No such file or directory"});
  add("write_state_dict_directory", "io::write_state_dict(entries, path)", "path is a directory",
      [] {
        sio::write_state_dict({{"w", torch::ones({2})}}, scratch().string());
      },
      {"': it is a directory"});
  add("write_state_dict_duplicate", "io::write_state_dict(entries, path)", "key 'w' twice",
      [] {
        sio::write_state_dict({{"w", torch::ones({2})}, {"w", torch::ones({2})}},
                              (scratch() / "d.pt").string());
      },
      {"write_state_dict: duplicate key 'w'"});
  add("save_state_dict_unwritable", "io::save_state_dict(module, path)", "parent is a file",
      [] {
        mo::MultiHeadAttention m(mo::MultiHeadAttentionOptions(4, 2));
        sio::save_state_dict(*m, scratch_file("plain", "x") + "/m.pt");
      },
      {"plain/m.pt': Not a directory"});

  // ---- io: table.h (the CLI's cli_table_* rows show the same errors through `infozoo rank`) ----
  auto table = [](const std::string& name, const std::string& content,
                  const io::ReadTableOptions& options = {}) {
    io::read_table(scratch_file(name, content), options);
  };
  add("table_missing_file", "io::read_table(path)", "no such file",
      [] { io::read_table((scratch() / "absent.csv").string()); },
      {"cannot open '", "absent.csv': No such file or directory"});
  add("table_directory", "io::read_table(path)", "a directory",
      [] { io::read_table(scratch().string()); }, {"': it is a directory"});
  add("table_empty_file", "io::read_table(path)", "empty file", [=] { table("e.csv", ""); },
      {"e.csv: is empty (expected a header row of column names)"});
  add("table_header_only", "io::read_table(path)", "a header, no rows",
      [=] { table("h.csv", "a,b\n"); }, {"h.csv: has a header but no data rows"});
  add("table_ragged_row", "io::read_table(path)", "line 3 with 1 field of 2",
      [=] { table("r.csv", "a,b\n1,2\n3\n"); }, {"r.csv: line 3 has 1 field, the header has 2"});
  add("table_non_numeric", "io::read_table(path)", "'x' in a numeric column",
      [=] { table("n.csv", "a,b\n1,2\nx,3\n"); },
      {"n.csv: row 2 (line 3), column 'a': 'x' is not a number (the column's first value was a "
       "number)"});
  add("table_infinite", "io::read_table(path)", "inf in a cell",
      [=] { table("i.csv", "a\n1\ninf\n"); },
      {"row 2 (line 3), column 'a': 'inf' is not a finite number"});
  add("table_missing_value", "io::read_table(path)", "an empty cell",
      [=] { table("m.csv", "a,b\n1,\n"); },
      {"m.csv: row 1 (line 2), column 'b': missing value '' (set drop_missing to drop such rows)"});
  add("table_all_dropped", "io::read_table(path, drop_missing)", "every row has a missing value",
      [=] { table("d.csv", "a\nNA\n", io::ReadTableOptions().drop_missing(true)); },
      {"d.csv: every one of its 1 data rows has a missing value (all dropped)"});
  add("table_duplicate_names", "io::read_table(path)", "column 'a' twice",
      [=] { table("dup.csv", "a,b,a\n1,2,3\n"); }, {"dup.csv: duplicate column names: 'a'"});
  add("table_empty_name", "io::read_table(path)", "an empty header field",
      [=] { table("en.csv", "a,,c\n1,2,3\n"); }, {"en.csv: column 2 of the header has no name"});
  add("table_missing_target", "io::read_table(path, target_column)", "'y' not a column",
      [=] { table("t.csv", "a,b\n1,2\n", io::ReadTableOptions().target_column("y")); },
      {"t.csv: no column named 'y'; the columns are 'a', 'b'"});
  add("table_not_text", "io::read_table(path)", "bytes with a NUL",
      [=] { table("bin.csv", std::string("a,b\n1,\0\x01\n", 10)); },
      {"bin.csv: is not a text file (CSV) or a .npy file: byte 6 is NUL"});
  add("table_not_utf8", "io::read_table(path)", "bytes that are not UTF-8",
      [=] { table("latin1.csv", "a\n\xe9t\xe9\n"); },
      {"latin1.csv: is not a text file (CSV) or a .npy file: its first bytes are not UTF-8"});
  add("table_bad_quote", "io::read_table(path)", "a quote inside an unquoted field",
      [=] { table("q.csv", "a,b\n1,x\"y\n"); }, {"q.csv: line 2: error parsing data"});
  add("table_unclosed_quote", "io::read_table(path)", "a quoted field never closed",
      [=] { table("uq.csv", "a,b\n1,\"xy\n"); }, {"uq.csv: line", "a quoted field is not closed"});
  add("table_delimiter", "io::read_table(path, delimiter)", "a quote as delimiter",
      [=] { table("dl.csv", "a\n1\n", io::ReadTableOptions().delimiter('"')); },
      {"read_csv: delimiter must be one byte other than a quote, CR, LF or NUL"});
  const std::string npy_head = std::string("\x93NUMPY\x01\x00", 8);
  auto npy = [npy_head](const std::string& header) {
    std::string h = header;
    h.append(63 - (10 + h.size()) % 64, ' ');
    h += '\n';
    return npy_head + static_cast<char>(h.size()) + '\0' + h;
  };
  add("table_npy_dtype", "io::read_table(path.npy)", "complex128",
      [=] { table("c.npy", npy("{'descr': '<c16', 'fortran_order': False, 'shape': (2, 2), }")); },
      {"c.npy: .npy dtype '<c16' is not float64, float32, an integer or bool"});
  // Found by table_reader_fuzzer: std::stoi threw std::out_of_range, uncaught.
  add("table_npy_dtype_size", "io::read_table(path.npy)", "a 40-digit dtype size",
      [=] {
        table("ds.npy", npy("{'descr': '<f" + std::string(40, '4') +
                            "', 'fortran_order': False, 'shape': (2, 2), }"));
      },
      {"ds.npy: .npy dtype size '44444", "' is not a number of bytes"});
  add("table_npy_huge_shape", "io::read_table(path.npy)", "shape (2^62, 2^62)",
      [=] {
        table("hs.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': "
                            "(4611686018427387904, 4611686018427387904), }"));
      },
      {"hs.npy: .npy data is truncated: 0 bytes for 4611686018427387904 x 4611686018427387904"});
  add("table_npy_shape_overflow", "io::read_table(path.npy)", "a 30-digit shape entry",
      [=] {
        table("so.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (" +
                            std::string(30, '9') + ", 2), }"));
      },
      {"so.npy: .npy shape entry '999", "' is too large"});
  add("table_npy_object", "io::read_table(path.npy)", "object array",
      [=] { table("o.npy", npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }")); },
      {"o.npy: .npy dtype is not a plain number type"});
  add("table_npy_3d", "io::read_table(path.npy)", "shape (2, 2, 2)",
      [=] {
        table("3d.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 2), }") +
                            std::string(64, '\0'));
      },
      {"3d.npy: .npy array has 3 dimensions; a table needs 1 or 2"});
  add("table_npy_truncated", "io::read_table(path.npy)", "4 of 6 values",
      [=] {
        table("tr.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }") +
                            std::string(32, '\0'));
      },
      {"tr.npy: .npy data is truncated: 32 bytes for 3 x 2 values of 8 bytes"});
  add("table_npy_columns", "io::read_table(path.npy, columns)", "3 names for 2 columns",
      [=] {
        table("nc.npy",
              npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }") +
                  std::string(16, '\0'),
              io::ReadTableOptions().columns({"a", "b", "c"}));
      },
      {"nc.npy: 3 column names given for 2 columns"});
  return rows;
}

class LibraryBadInput : public ::testing::TestWithParam<BadInputRow> {};

TEST_P(LibraryBadInput, AnswersAsTheTableSays) {
  torch::manual_seed(0);
  run_bad_input_row(GetParam(), torch::cuda::is_available());
}

INSTANTIATE_TEST_SUITE_P(Rows, LibraryBadInput, ::testing::ValuesIn(library_rows()),
                         [](const auto& info) { return info.param.id; });

TEST(BadInputTable, ListsExactlyTheLibraryRows) {
  check_table_lists(library_rows(), /*cli=*/false);
}

}  // namespace
}  // namespace infozoo::test_support
