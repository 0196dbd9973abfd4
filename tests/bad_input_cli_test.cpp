// SPDX-License-Identifier: BSD-3-Clause
// The command-line rows of the bad-input table (tests/bad_input.md, ids `cli_*`): each bad option
// value must give its exit code (2: bad option or value, 1: runtime failure) and exactly one line
// on stderr containing the fragments below, with nothing on stdout and no file left behind.
#include <gtest/gtest.h>
#include <torch/cuda.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bad_input_rows.h"
#include "output/plot.h"
#include "test_support.h"

namespace infozoo::test_support {
namespace {

namespace fs = std::filesystem;

const fs::path& scratch() {
  static const TempDir dir("infozoo_bad_cli");  // removed at exit
  return dir.path;
}

const std::string kCorpus = std::string(INFOZOO_EXPECTED_DIR) + "/../fuzz/corpus/state_dict_file/";

// A small table for the rank/select rows, written once into its own folder (not scratch(), which
// must stay empty) and named in the errors.
std::string table_file(const std::string& name, const std::string& content) {
  static const TempDir dir("infozoo_bad_tables");  // removed at exit
  const auto path = dir.path / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

// Runs `args`; a wrong exit code, stdout output or more than one stderr line is a failure, and
// the stderr line comes back as a c10::Error for the row's fragments.
void expect_cli(const std::vector<std::string>& args, int code) {
  const auto r = run_infozoo(args);
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_EQ(r.out, "") << "stdout must stay empty on failure";
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  TORCH_CHECK(false, r.err);
}

// The error a --out row expects: the row's own with PLplot; without it, every --out is refused
// before any file is touched, with the build's reason.
std::vector<std::string> out_error(std::vector<std::string> with_plplot) {
  if (apps::plot::available()) return with_plplot;
  return {"cannot draw '", "this infozoo was built without PLplot"};
}

std::vector<BadInputRow> cli_rows() {
  std::vector<BadInputRow> rows;
  auto add = [&rows](std::string id, std::string what, std::string input,
                     std::vector<std::string> args, int code, std::vector<std::string> error,
                     bool needs_cuda = false) {
    error.insert(error.begin(), "infozoo: error: ");
    rows.push_back({std::move(id), std::move(what),
                    std::move(input) + " (exit " + std::to_string(code) + ")",
                    [args, code] { expect_cli(args, code); }, std::move(error), needs_cuda});
  };
  const std::string missing_dir = (scratch() / "no_such_folder").string();

  add("cli_no_subcommand", "infozoo", "no subcommand", {}, 2, {"subcommand"});
  add("cli_unknown_subcommand", "infozoo", "unknown subcommand", {"frobnicate"}, 2,
      {"unknown subcommand 'frobnicate'"});
  add("cli_unknown_subcommand_newline", "infozoo", "unknown subcommand with a newline and a tab",
      {"frob\nni\tcate\n"}, 2, {"unknown subcommand 'frob\\nni\\tcate\\n'"});
  add("cli_unknown_option", "infozoo info-gain", "unknown option --frobnicate",
      {"info-gain", "--frobnicate"}, 2, {"--frobnicate"});
  add("cli_unknown_option_close", "infozoo mi", "--sampels 10 (a typo of --samples)",
      {"mi", "--sampels", "10"}, 2,
      {"unknown option --sampels (did you mean --samples?)", "unexpected argument '10'",
       "(see infozoo mi --help)"});
  add("cli_unknown_options_order", "infozoo mi-hist", "--frob --jsn --nope, in that order",
      {"mi-hist", "--frob", "--jsn", "--nope"}, 2,
      {"unknown option --frob, unknown option --jsn (did you mean --json?), unknown option "
       "--nope"});
  add("cli_unknown_option_before_subcommand", "infozoo", "--frob before the subcommand",
      {"--frob", "mi"}, 2, {"unknown option --frob", "(see infozoo --help)"});
  add("cli_subcommand_option_before_subcommand", "infozoo", "--samples 5 before mi",
      {"--samples", "5", "mi"}, 2,
      {"--samples is an option of mi: put it after the subcommand, as in 'infozoo mi --samples "
       "...' (see infozoo mi --help)"});
  add("cli_seed_negative", "--seed", "-1", {"mi", "--seed", "-1"}, 2, {"--seed", "-1"});
  add("cli_seed_too_large", "--seed", "2^32 (numpy seeds are < 2^32)",
      {"attention", "--seed", "4294967296"}, 2, {"--seed", "4294967296"});
  add("cli_seed_text", "--seed", "not a number", {"infonce", "--seed", "seven"}, 2,
      {"--seed", "seven"});
  add("cli_seed_fraction", "--seed", "1.5", {"mi", "--seed", "1.5"}, 2,
      {"--seed: '1.5' is not an integer"});
  add("cli_samples_text", "--samples", "abc", {"mi", "--samples", "abc"}, 2,
      {"--samples: 'abc' is not an integer"});
  add("cli_samples_exponent", "--samples", "1e3 (exponent notation)", {"mi", "--samples", "1e3"}, 2,
      {"--samples: '1e3' is not an integer"});
  add("cli_samples_beyond_int64", "--samples", "2^64 (beyond int64)",
      {"mlp", "--samples", "18446744073709551616"}, 2,
      {"--samples must be <= 1099511627776, got 18446744073709551616"});
  add("cli_samples_above_limit", "--samples", "2^40 + 1", {"mi-hist", "--samples", "1099511627777"},
      2, {"--samples must be <= 1099511627776, got 1099511627777"});
  add("cli_samples_out_of_memory", "mi-hist --samples", "2^40 (8 TiB of float64)",
      {"mi-hist", "--samples", "1099511627776"}, 1,
      {"out of memory: mi-hist with --samples 1099511627776 needs more memory than is free",
       "(try a smaller --samples)"});
  add("cli_samples_too_few_feature_select", "feature-select --samples", "3",
      {"feature-select", "--samples", "3"}, 2,
      {"--samples must be >= 4 for the 3-NN estimate, got 3"});
  add("cli_steps_text", "--steps", "ten", {"diffusion", "--steps", "ten"}, 2,
      {"--steps: 'ten' is not an integer"});
  add("cli_tcp_port_text", "contrastive --tcp-port", "http", {"contrastive", "--tcp-port", "http"},
      2, {"--tcp-port: 'http' is not an integer"});
  add("cli_ddpm_ddim_steps", "ddpm --ddim-steps", "200 with --train-timesteps 100",
      {"ddpm", "--train-timesteps", "100", "--ddim-steps", "200"}, 2,
      {"--ddim-steps must be <= --train-timesteps (100), got 200"});
  add("cli_ddpm_lr", "ddpm --lr", "0", {"ddpm", "--lr", "0"}, 2, {"--lr must be > 0, got 0"});
  add("cli_ddpm_min_snr_gamma", "ddpm --min-snr-gamma", "-1", {"ddpm", "--min-snr-gamma", "-1"}, 2,
      {"--min-snr-gamma must be >= 0 (0: off), got -1"});
  add("cli_ddpm_schedule", "ddpm --schedule", "cosine", {"ddpm", "--schedule", "cosine"}, 2,
      {"--schedule", "cosine"});
  add("cli_ddpm_timesteps", "ddpm --train-timesteps", "1", {"ddpm", "--train-timesteps", "1"}, 2,
      {"--train-timesteps", "1"});
  add("cli_distill_tau_zero", "distill --tau", "1,0", {"distill", "--tau", "1,0"}, 2,
      {"--tau must hold temperatures > 0, got 0"});
  add("cli_distill_alpha", "distill --alpha", "2", {"distill", "--alpha", "2"}, 2,
      {"--alpha must be in [0, 1], got 2"});
  add("cli_distill_student_rows", "distill --student-rows", "4 (fewer than the 5 classes)",
      {"distill", "--student-rows", "4"}, 2, {"--student-rows", "4"});
  add("cli_norms_batch_one", "norms --batch", "1", {"norms", "--batch", "1"}, 2, {"--batch", "1"});
  add("cli_scaling_dk_zero", "scaling --dk", "4,0", {"scaling", "--dk", "4,0"}, 2, {"--dk", "0"});
  add("cli_scaling_dk_repeated", "scaling --dk", "4,4", {"scaling", "--dk", "4,4"}, 2,
      {"--dk must not repeat a dimension, got 4 twice"});
  add("cli_scaling_keys_one", "scaling --keys", "1", {"scaling", "--keys", "1"}, 2,
      {"--keys", "1"});
  add("cli_samples_zero", "--samples", "0", {"mi", "--samples", "0"}, 2, {"--samples", "0"});
  add("cli_samples_negative", "--samples", "-5", {"mlp", "--samples", "-5"}, 2,
      {"--samples", "-5"});
  add("cli_samples_too_few", "mi --samples", "3 (the 3-NN estimate needs 4)",
      {"mi", "--samples", "3"}, 2, {"--samples must be >= 4 for the 3-NN estimate, got 3"});
  add("cli_samples_too_few_hist", "mi-hist --samples", "1", {"mi-hist", "--samples", "1"}, 2,
      {"--samples must be >= 2 for a correlation, got 1"});
  add("cli_bins_zero", "--bins", "0", {"mi-hist", "--bins", "0"}, 2, {"--bins", "0"});
  add("cli_bins_huge", "--bins", "5000", {"mi-hist", "--bins", "5000"}, 2, {"--bins", "5000"});
  add("cli_epochs_zero", "--epochs", "0", {"mlp", "--epochs", "0"}, 2, {"--epochs", "0"});
  add("cli_infonce_bound_steps_zero", "infonce-bound --steps-per-level", "0",
      {"infonce-bound", "--steps-per-level", "0"}, 2, {"--steps-per-level must be >= 1, got 0"});
  add("cli_infonce_bound_levels_zero", "infonce-bound --levels", "a count of 0",
      {"infonce-bound", "--levels", "0"}, 2,
      {"--levels must be a count in [1, 50] or a list of nats, got 0"});
  add("cli_infonce_bound_levels_many", "infonce-bound --levels", "a count of 51",
      {"infonce-bound", "--levels", "51"}, 2,
      {"--levels must be a count in [1, 50] or a list of nats, got 51"});
  add("cli_infonce_bound_levels_nonpositive", "infonce-bound --levels", "0 nats in a list",
      {"infonce-bound", "--levels", "2,0"}, 2,
      {"--levels must be a count or a comma-separated list of true MIs in (0, 100] nats, got '0' "
       "in '2,0'"});
  add("cli_infonce_bound_levels_large", "infonce-bound --levels", "200 nats",
      {"infonce-bound", "--levels", "2,200"}, 2, {"(0, 100] nats, got '200' in '2,200'"});
  add("cli_infonce_bound_levels_text", "infonce-bound --levels", "two",
      {"infonce-bound", "--levels", "two"}, 2, {"--levels must be a count", "got 'two' in 'two'"});
  add("cli_infonce_bound_levels_nan", "infonce-bound --levels", "nan",
      {"infonce-bound", "--levels", "nan"}, 2, {"--levels must be a count", "got 'nan' in 'nan'"});
  add("cli_infonce_bound_levels_empty_entry", "infonce-bound --levels", "a trailing comma",
      {"infonce-bound", "--levels", "2,4,"}, 2, {"--levels must be a count", "got '' in '2,4,'"});
  std::string fifty_one_levels = "1";
  for (int i = 1; i < 51; ++i) fifty_one_levels += ",1";
  add("cli_infonce_bound_levels_too_long", "infonce-bound --levels", "a list of 51",
      {"infonce-bound", "--levels", fifty_one_levels}, 2,
      {"--levels must list at most 50 true MIs, got 51"});
  add("cli_infonce_bound_batch_one", "infonce-bound --batch-sizes", "1 in the list",
      {"infonce-bound", "--batch-sizes", "16,1"}, 2, {"--batch-sizes must be >= 2, got 1"});
  add("cli_infonce_bound_batch_large", "infonce-bound --batch-sizes", "20000",
      {"infonce-bound", "--batch-sizes", "20000"}, 2,
      {"--batch-sizes must be <= 16384, got 20000"});
  add("cli_infonce_bound_batch_text", "infonce-bound --batch-sizes", "abc in the list",
      {"infonce-bound", "--batch-sizes", "16,abc"}, 2, {"--batch-sizes: 'abc' is not an integer"});
  add("cli_infonce_bound_batch_twice", "infonce-bound --batch-sizes", "16 twice",
      {"infonce-bound", "--batch-sizes", "16,64,16"}, 2,
      {"--batch-sizes must not repeat a size, got 16 twice"});
  add("cli_estimators_unknown_task", "estimators --tasks", "'gauss'",
      {"estimators", "--tasks", "normal-1x1,gauss"}, 2,
      {"--tasks: unknown task 'gauss' (the tasks are normal-1x1, normal-cdf-1x1",
       "discrete-continuous)"});
  add("cli_estimators_empty_task", "estimators --tasks", "a trailing comma",
      {"estimators", "--tasks", "normal-1x1,"}, 2, {"--tasks: unknown task ''"});
  add("cli_estimators_no_task", "estimators --tasks", "empty", {"estimators", "--tasks", ""}, 2,
      {"--tasks: give at least one task name (the tasks are normal-1x1"});
  add("cli_estimators_task_twice", "estimators --tasks", "a task twice",
      {"estimators", "--tasks", "dense-2x2,normal-1x1,dense-2x2"}, 2,
      {"--tasks: task 'dense-2x2' is listed twice"});
  add("cli_estimators_seeds_one", "estimators --seeds", "1", {"estimators", "--seeds", "1"}, 2,
      {"--seeds must be >= 2 for a standard deviation, got 1"});
  add("cli_estimators_samples_too_few", "estimators --samples", "19",
      {"estimators", "--samples", "19"}, 2,
      {"--samples must be >= 20 for the 10-NN estimate and the critics' held-out fifth, got 19"});
  add("cli_estimators_critic_steps_zero", "estimators --critic-steps", "0",
      {"estimators", "--critic-steps", "0"}, 2, {"--critic-steps must be >= 1, got 0"});
  add("cli_estimators_critic_seeds_negative", "estimators --critic-seeds", "-1",
      {"estimators", "--critic-seeds", "-1"}, 2, {"--critic-seeds must be >= 0, got -1"});
  add("cli_estimators_critic_seeds_above_seeds", "estimators --critic-seeds", "3 with --seeds 2",
      {"estimators", "--seeds", "2", "--critic-seeds", "3"}, 2,
      {"--critic-seeds must be <= --seeds (2), got 3"});
  add("cli_estimators_seed_overflow", "estimators --seed", "2^32 - 1 with --seeds 2",
      {"estimators", "--seed", "4294967295", "--seeds", "2"}, 2,
      {"--seed + --seeds - 1 must be < 2^32 (numpy seeds), got 4294967296"});
  add("cli_steps_one", "--steps", "1", {"diffusion", "--steps", "1"}, 2,
      {"--steps must be >= 2, got 1"});
  add("cli_steps_negative", "--steps", "-3", {"diffusion", "--steps", "-3"}, 2,
      {"--steps must be >= 2, got -3"});
  add("cli_diffusion_mi_steps_above_schedule", "diffusion-mi --steps", "1001 (T = 1000 steps)",
      {"diffusion-mi", "--steps", "1001"}, 2, {"--steps must be <= 1000, got 1001"});
  add("cli_diffusion_mi_k_zero", "diffusion-mi --k", "0", {"diffusion-mi", "--k", "0"}, 2,
      {"--k must be >= 1, got 0"});
  add("cli_diffusion_mi_k_half_samples", "diffusion-mi --k, --samples", "k 50 with 100 samples",
      {"diffusion-mi", "--k", "50", "--samples", "100"}, 2,
      {"--k must be less than half of --samples", "got --k 50 and --samples 100"});
  add("cli_diffusion_mi_samples_too_few", "diffusion-mi --samples", "3",
      {"diffusion-mi", "--samples", "3"}, 2,
      {"--samples must be >= 4 for a 1-NN estimate on half of them, got 3"});
  add("cli_beta_start_zero", "--beta-start", "0", {"diffusion", "--beta-start", "0"}, 2,
      {"--beta-start must be in (0, 1), got 0"});
  add("cli_beta_end_one", "--beta-end", "1", {"diffusion", "--beta-end", "1"}, 2,
      {"--beta-end must be in (0, 1), got 1"});
  add("cli_beta_nan", "--beta-end", "nan", {"diffusion", "--beta-end", "nan"}, 2,
      {"--beta-end", "nan"});
  add("cli_beta_order", "--beta-start, --beta-end", "start 0.1 > end 0.01",
      {"diffusion", "--beta-start", "0.1", "--beta-end", "0.01"}, 2,
      {"--beta-start must be less than --beta-end"});
  add("cli_device_unknown", "--device", "gpu", {"softmax", "--device", "gpu"}, 2,
      {"--device", "gpu"});
  add("cli_device_cuda_missing", "--device", "cuda without a GPU", {"softmax", "--device", "cuda"},
      2, {"--device cuda: CUDA is not available"});
  add("cli_out_missing_folder", "posenc --out", "folder does not exist",
      {"posenc", "--out", missing_dir + "/p.png"}, 1,
      out_error({"cannot write plot '", "no_such_folder/p.png'"}));
  add("cli_out_newline", "posenc --out", "a path with a newline, in a missing folder",
      {"posenc", "--out", missing_dir + "/a\nb.png"}, 1,
      out_error({"cannot write plot '", "no_such_folder/a\\nb.png'"}));
  add("cli_out_directory", "posenc --out", "a directory", {"posenc", "--out", scratch().string()},
      1, out_error({"cannot write plot '", "': it is a directory"}));
  add("cli_out_jpg", "posenc --out", "pe.jpg (PNG only)", {"posenc", "--out", "pe.jpg"}, 2,
      {"--out: 'pe.jpg' must end in .png (the plots are PNG files only)"});
  add("cli_out_svg", "mlp --out", "p.svg (PNG only)", {"mlp", "--out", "p.svg"}, 2,
      {"--out: 'p.svg' must end in .png"});
  add("cli_out_no_extension", "posenc --out", "a name without .png", {"posenc", "--out", "plot"}, 2,
      {"--out: 'plot' must end in .png"});
  add("cli_out_empty", "posenc --out", "\"\" (empty)", {"posenc", "--out", ""}, 2,
      {"--out: the file name is empty (give a .png path)"});
  add("cli_all_out_dir_missing", "all --out-dir", "folder does not exist",
      {"all", "--out-dir", missing_dir}, 2, {"--out-dir", "no_such_folder"});
  add("cli_out_mlp_missing_folder", "mlp --out", "folder does not exist",
      {"mlp", "--samples", "40", "--epochs", "2", "--out", missing_dir + "/m.png"}, 1,
      out_error({"cannot write plot '", "no_such_folder/m.png'"}));
  add("cli_weights_missing", "mha --weights", "missing file",
      {"mha", "--weights", missing_dir + "/w.pt"}, 2, {"--weights", "no_such_folder/w.pt"});
  add("cli_weights_not_a_zip", "mha --weights", "not a torch.save file",
      {"mha", "--weights", kCorpus + "not_a_zip.pt"}, 1,
      {"not_a_zip.pt' is not a readable torch.save archive"});
  add("cli_weights_truncated", "mha --weights", "truncated file",
      {"mha", "--weights", kCorpus + "mha_4_2_truncated.pt"}, 1,
      {"mha_4_2_truncated.pt' is not a readable torch.save archive"});
  add("cli_weights_wrong_module", "mha --weights", "state_dict of MultiHeadAttention(4, 2)",
      {"mha", "--weights", kCorpus + "mha_4_2.pt"}, 1,
      {"key 'W_Q.weight' has shape [4, 4] but the module's has shape [512, 512]"});
  add("cli_weights_not_a_dict", "mha --weights", "torch.save(tensor)",
      {"mha", "--weights", kCorpus + "tensor.pt"}, 1, {"tensor.pt' holds no dict"});

  // ---- rank / select on a user's table (the reader's own rows are cli_table_*) ----
  const auto xy = table_file("xy.csv", "x,y\n1,0\n2,1\n3,0\n4,1\n5,0\n6,1\n");
  add("cli_rank_no_target", "rank --target", "not given", {"rank", xy}, 2,
      {"--target is required"});
  add("cli_rank_one_class", "rank FILE --target", "a target with one class",
      {"rank", table_file("one_class.csv", "x,y\n1,0\n2,0\n3,0\n4,0\n5,0\n"), "--target", "y"}, 2,
      {"the target 'y' has one value (0) in all 5 rows: there is nothing to predict"});
  add("cli_rank_only_target", "rank FILE --target", "a table of the target alone",
      {"rank", table_file("only_y.csv", "y\n0\n1\n0\n1\n1\n"), "--target", "y"}, 2,
      {"has only the target column 'y'; nothing to score"});
  add("cli_rank_too_few_rows", "rank FILE --k", "3 with 3 rows",
      {"rank", table_file("three.csv", "x,y\n1,0\n2,1\n3,0\n"), "--target", "y"}, 2,
      {"3 rows is too few for the 3-NN estimators (need at least 4)"});
  add("cli_rank_discrete_unknown", "rank --discrete", "a name that is no feature",
      {"rank", xy, "--target", "y", "--discrete", "zz"}, 2,
      {"--discrete names 'zz', which is not a feature column; they are 'x'"});
  add("cli_rank_discrete_target", "rank --discrete", "the target's name",
      {"rank", xy, "--target", "y", "--discrete", "y"}, 2,
      {"--discrete names 'y', which is not a feature column"});
  add("cli_rank_delimiter", "rank --delimiter", ";;",
      {"rank", xy, "--target", "y", "--delimiter", ";;"}, 2,
      {"--delimiter must be one character (or \\t), got ';;'"});
  add("cli_rank_task", "rank --task", "classify",
      {"rank", xy, "--target", "y", "--task", "classify"}, 2, {"--task", "classify"});
  add("cli_rank_classif_fractions", "rank --task classif", "a target with fractions",
      {"rank", table_file("frac.csv", "x,y\n1,0.5\n2,1\n3,0\n4,1\n5,2\n"), "--target", "y",
       "--task", "classif"},
      2, {"--task classif needs class labels, but the target 'y' holds fractions (e.g. 0.5)"});
  add("cli_rank_regression_text", "rank --task regression", "a text target",
      {"rank", table_file("text_y.csv", "x,y\n1,a\n2,b\n3,a\n4,b\n5,a\n"), "--target", "y",
       "--task", "regression"},
      2, {"--task regression needs a numeric target, but the target 'y' holds text"});
  add("cli_select_k_too_large", "select -k", "5 of 1 feature column",
      {"select", xy, "--target", "y", "-k", "5"}, 2,
      {"-k must be at most the number of feature columns (1), got 5"});
  add("cli_select_disr_knn", "select --method disr", "with k-NN estimation",
      {"select", xy, "--target", "y", "--method", "disr", "-k", "1"}, 2,
      {"--method disr needs joint entropies", "--estimation binned"});
  add("cli_select_method", "select --method", "pca",
      {"select", xy, "--target", "y", "--method", "pca"}, 2, {"--method", "pca"});
  add("cli_select_bins", "select --bins", "1", {"select", xy, "--target", "y", "--bins", "1"}, 2,
      {"--bins", "1"});

  // ---- the table reader's errors as the CLI reports them: a bad table is a bad argument, exit 2
  // (issue 15), unlike a bad --weights file (exit 1), whose path the experiment chose ----
  add("cli_table_missing_file", "rank FILE", "no such file",
      {"rank", (scratch() / "absent.csv").string(), "--target", "y"}, 2,
      {"cannot open '", "absent.csv': No such file or directory"});
  add("cli_table_directory", "rank FILE", "a directory",
      {"rank", scratch().string(), "--target", "y"}, 2, {"': it is a directory"});
  add("cli_table_missing_target", "rank --target", "'z', not a column",
      {"rank", xy, "--target", "z"}, 2, {"xy.csv: no column named 'z'; the columns are 'x', 'y'"});
  add("cli_table_empty", "rank FILE", "an empty file",
      {"rank", table_file("empty.csv", ""), "--target", "y"}, 2,
      {"empty.csv: is empty (expected a header row of column names)"});
  add("cli_table_header_only", "rank FILE", "a header, no rows",
      {"rank", table_file("header.csv", "x,y\n"), "--target", "y"}, 2,
      {"header.csv: has a header but no data rows"});
  add("cli_table_ragged", "rank FILE", "a short row",
      {"rank", table_file("ragged.csv", "x,y\n1,0\n2\n"), "--target", "y"}, 2,
      {"ragged.csv: line 3 has 1 field, the header has 2"});
  add("cli_table_non_numeric", "rank FILE", "text in a numeric column",
      {"rank", table_file("mixed.csv", "x,y\n1,0\nabc,1\n"), "--target", "y"}, 2,
      {"mixed.csv: row 2 (line 3), column 'x': 'abc' is not a number"});
  add("cli_table_missing_value", "rank FILE", "an empty cell, no --drop-missing",
      {"rank", table_file("hole.csv", "x,y\n1,0\n,1\n"), "--target", "y"}, 2,
      {"hole.csv: row 2 (line 3), column 'x': missing value ''"});
  add("cli_table_duplicate_names", "rank FILE", "column 'x' twice",
      {"rank", table_file("dup.csv", "x,x,y\n1,2,0\n"), "--target", "y"}, 2,
      {"dup.csv: duplicate column names: 'x'"});
  add("cli_table_not_text", "rank FILE", "a binary file",
      {"rank", table_file("binary.csv", std::string("x,y\n1,\0\x01\n", 10)), "--target", "y"}, 2,
      {"binary.csv: is not a text file (CSV) or a .npy file"});
  return rows;
}

class CliBadInput : public ::testing::TestWithParam<BadInputRow> {};

TEST_P(CliBadInput, AnswersAsTheTableSays) {
  const auto& row = GetParam();
  if (row.id == "cli_device_cuda_missing" && torch::cuda::is_available())
    GTEST_SKIP() << "this machine has CUDA";
  run_bad_input_row(row, torch::cuda::is_available());
  // A failed --out leaves nothing behind, not even a temporary file.
  std::error_code ec;
  if (fs::exists(scratch() / "no_such_folder", ec)) ADD_FAILURE() << "a folder was created";
  for (const auto& entry : fs::directory_iterator(scratch(), ec)) {
    ADD_FAILURE() << "left behind: " << entry.path();
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, CliBadInput, ::testing::ValuesIn(cli_rows()),
                         [](const auto& info) { return info.param.id; });

TEST(BadInputTable, ListsExactlyTheCliRows) { check_table_lists(cli_rows(), /*cli=*/true); }

}  // namespace
}  // namespace infozoo::test_support
