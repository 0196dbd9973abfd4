// SPDX-License-Identifier: BSD-3-Clause
// diffusers' scheduler_config.json for DDPMScheduler and DDIMScheduler: one table of the keys
// both write (for_each_config_key), read and written through nlohmann_json, so a scheduler
// configured in Python loads in C++ and back. The values keep diffusers' JSON types: integers,
// numbers, booleans, strings, and `trained_betas` as null or a list of numbers.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace infozoo::models::detail {

/// The keys DDPMSchedulerOptions and DDIMSchedulerOptions share, in diffusers' names: calls
/// f(key, member) for each, with the member as a mutable reference.
template <typename Options, typename F>
void for_each_config_key(Options& o, F&& f) {
  f("num_train_timesteps", o.num_train_timesteps());
  f("beta_start", o.beta_start());
  f("beta_end", o.beta_end());
  f("beta_schedule", o.beta_schedule());
  f("trained_betas", o.trained_betas());
  f("clip_sample", o.clip_sample());
  f("prediction_type", o.prediction_type());
  f("thresholding", o.thresholding());
  f("dynamic_thresholding_ratio", o.dynamic_thresholding_ratio());
  f("clip_sample_range", o.clip_sample_range());
  f("sample_max_value", o.sample_max_value());
  f("timestep_spacing", o.timestep_spacing());
  f("steps_offset", o.steps_offset());
  f("rescale_betas_zero_snr", o.rescale_betas_zero_snr());
}

/// The JSON object of `path`, or of `path`/scheduler_config.json when `path` is a folder (as
/// diffusers' from_pretrained reads it). Errors name the scheduler, the file and, for JSON that
/// does not parse, the line and column where it stops.
nlohmann::json read_config_file(const char* scheduler, const std::string& path, std::string& file);

/// Sets `out` from `config[key]` when present; an error names the file, the key and the type
/// it needs. One overload per member type.
void read_key(const nlohmann::json& config, const std::string& file, const char* key, int64_t& out);
/// As above, for a number.
void read_key(const nlohmann::json& config, const std::string& file, const char* key, double& out);
/// As above, for a boolean.
void read_key(const nlohmann::json& config, const std::string& file, const char* key, bool& out);
/// As above, for a string.
void read_key(const nlohmann::json& config, const std::string& file, const char* key,
              std::string& out);
/// As above, for null (no trained betas) or a list of numbers.
void read_key(const nlohmann::json& config, const std::string& file, const char* key,
              std::vector<double>& out);

/// The keys of `config` that are neither in `known` nor diffusers' private "_..." keys, sorted.
std::vector<std::string> unknown_keys(const nlohmann::json& config,
                                      const std::vector<std::string>& known);

/// `member` as diffusers writes it (trained_betas: null when empty).
template <typename T>
nlohmann::json config_value(const T& member) {
  return nlohmann::json(member);
}
/// The trained betas: null when there are none, as diffusers writes them.
nlohmann::json config_value(const std::vector<double>& betas);

/// The text diffusers' save_config writes: keys sorted, two-space indent, a final newline,
/// with "_class_name" and "_diffusers_version" (0.25.1, the release infozoo matches).
std::string config_text(const char* class_name, nlohmann::json config);

/// Writes `text` to `path`, or to `path`/scheduler_config.json when `path` is a folder, through
/// io::AtomicFile (never half-written).
void write_config_file(const std::string& path, const std::string& text);

/// Reads `Options` from `path` with for_each_config_key plus the scheduler's own keys (`extra`),
/// builds the scheduler and lists the ignored keys; errors name the file.
template <typename Scheduler, typename Options, typename Extra>
Scheduler scheduler_from_config(const char* name, const std::string& path,
                                std::vector<std::string>* ignored_keys, Extra&& extra) {
  std::string file;
  const auto config = read_config_file(name, path, file);
  Options options;
  std::vector<std::string> known;
  auto read = [&](const char* key, auto& member) {
    read_key(config, file, key, member);
    known.emplace_back(key);
  };
  for_each_config_key(options, read);
  extra(options, read);
  if (ignored_keys != nullptr) *ignored_keys = unknown_keys(config, known);
  try {
    return Scheduler(std::move(options));
  } catch (const c10::Error& e) {
    TORCH_CHECK(false, file, ": ", e.what_without_backtrace());
  }
}

}  // namespace infozoo::models::detail
