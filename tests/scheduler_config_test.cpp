// SPDX-License-Identifier: BSD-3-Clause
// diffusers' scheduler_config.json in both directions: files written by diffusers 0.25.1's
// save_config (tests/expected/diffusers/configs/, from tests/generators/diffusers_config.py) load
// into DDPMScheduler / DDIMScheduler::from_config and step as diffusers' scheduler loaded from the
// same file did (1e-6 relative, float32); save_config writes the same JSON object diffusers wrote;
// foreign keys are listed, bad values name the key and the file.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <type_traits>
#include <vector>

#include "infozoo/models/ddim_scheduler.h"
#include "infozoo/models/ddpm_scheduler.h"
#include "test_support.h"

namespace infozoo::models {
namespace {

const std::filesystem::path kConfigs =
    std::filesystem::path(INFOZOO_EXPECTED_DIR) / "diffusers" / "configs";

torch::Tensor tensor_of(const nlohmann::json& values) {
  return torch::tensor(values.get<std::vector<double>>(), torch::kDouble)
      .to(torch::kFloat)
      .reshape({2, 2, 3});
}

void expect_close(const torch::Tensor& actual, const nlohmann::json& expected,
                  const std::string& what) {
  const auto e = tensor_of(expected).to(torch::kDouble);
  const auto excess =
      ((actual.to(torch::kDouble) - e).abs() - 1e-6 * e.abs().clamp_min(1)).max().item<double>();
  EXPECT_LE(excess, 0.0) << what << "\nactual " << actual << "\nexpected " << e;
}

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

template <typename Scheduler>
void check_case(const std::string& name, const nlohmann::json& s) {
  const auto folder = (kConfigs / name).string();
  std::vector<std::string> ignored{"stale"};
  auto scheduler = Scheduler::from_config(folder, &ignored);  // a folder, as from_pretrained
  EXPECT_TRUE(ignored.empty()) << name;
  if constexpr (std::is_same_v<Scheduler, DDIMScheduler>) {
    scheduler->options.eta(s["eta"].get<double>());  // a step argument in diffusers, not config
  }
  scheduler->set_timesteps(5);
  EXPECT_EQ(scheduler->timestep_list(), s["timesteps"].get<std::vector<int64_t>>()) << name;
  const auto out = scheduler->step(tensor_of(s["model_output"]), s["t"].get<int64_t>(),
                                   tensor_of(s["sample"]), tensor_of(s["noise"]));
  expect_close(out.prev_sample, s["prev_sample"], name + " prev_sample");
  expect_close(out.pred_original_sample, s["pred_original_sample"], name + " x0");
  // What C++ writes is the object diffusers wrote: same keys, types and values.
  EXPECT_EQ(nlohmann::json::parse(scheduler->config_json()),
            read_json(kConfigs / name / "scheduler_config.json"))
      << name;
}

TEST(SchedulerConfig, DiffusersConfigsLoadAndStepAsInDiffusers) {
  const auto steps = read_json(kConfigs / "steps.json");
  ASSERT_EQ(steps.size(), 5u);
  for (const auto& [name, s] : steps.items()) {
    if (s["class"] == "DDPMScheduler") {
      check_case<DDPMScheduler>(name, s);
    } else {
      check_case<DDIMScheduler>(name, s);
    }
  }
}

TEST(SchedulerConfig, SaveThenLoadRestoresEveryOption) {
  test_support::TempDir dir;
  DDPMScheduler ddpm(DDPMSchedulerOptions()
                         .num_train_timesteps(20)
                         .trained_betas(std::vector<double>(20, 0.05))
                         .variance_type("learned_range")
                         .prediction_type("sample")
                         .timestep_spacing("linspace")
                         .rescale_betas_zero_snr(true));
  ddpm->save_config(dir.path.string());  // a folder: scheduler_config.json inside
  ASSERT_TRUE(std::filesystem::exists(dir.path / "scheduler_config.json"));
  auto loaded = DDPMScheduler::from_config((dir.path / "scheduler_config.json").string());
  EXPECT_EQ(loaded->config_json(), ddpm->config_json());
  EXPECT_TRUE(torch::equal(loaded->alphas_cumprod, ddpm->alphas_cumprod));

  DDIMScheduler ddim(DDIMSchedulerOptions().set_alpha_to_one(false).clip_sample_range(3.5));
  const auto file = (dir.path / "ddim.json").string();
  ddim->save_config(file);
  auto ddim_loaded = DDIMScheduler::from_config(file);
  EXPECT_FALSE(ddim_loaded->options.set_alpha_to_one());
  EXPECT_EQ(ddim_loaded->options.clip_sample_range(), 3.5);
  EXPECT_EQ(ddim_loaded->config_json(), ddim->config_json());
}

TEST(SchedulerConfig, KeysOfTheOtherSchedulerAreIgnoredAndListed) {
  std::vector<std::string> ignored;
  auto ddim = DDIMScheduler::from_config((kConfigs / "ddpm_cosine_v").string(), &ignored);
  EXPECT_EQ(ignored, std::vector<std::string>{"variance_type"});
  EXPECT_EQ(ddim->options.prediction_type(), "v_prediction");
  auto ddpm = DDPMScheduler::from_config((kConfigs / "ddim_sd").string(), &ignored);
  EXPECT_EQ(ignored, std::vector<std::string>{"set_alpha_to_one"});
  EXPECT_EQ(ddpm->options.beta_schedule(), "scaled_linear");
}

TEST(SchedulerConfig, AnUnwritableTargetLeavesNoFile) {
  test_support::TempDir dir;
  const auto missing = dir.path / "no_such_folder" / "scheduler_config.json";
  EXPECT_THROW(DDPMScheduler()->save_config(missing.string()), c10::Error);
  EXPECT_FALSE(std::filesystem::exists(missing));
}

}  // namespace
}  // namespace infozoo::models
