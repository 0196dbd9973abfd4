// SPDX-License-Identifier: BSD-3-Clause
// scheduler_config.json, read and written as diffusers 0.25.1's ConfigMixin does.
#include "scheduler_config.h"

#include <c10/util/Exception.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "infozoo/io/atomic_file.h"

namespace infozoo::models::detail {
namespace {

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string config_path(const std::string& path) {
  return is_directory(path) ? path + "/scheduler_config.json" : path;
}

// The value of `key`, or nullptr when the config lacks it.
const nlohmann::json* find(const nlohmann::json& config, const char* key) {
  const auto it = config.find(key);
  return it == config.end() ? nullptr : &*it;
}

[[noreturn]] void wrong_type(const std::string& file, const char* key, const char* expected,
                             const nlohmann::json& value) {
  TORCH_CHECK(false, file, ": key '", key, "' must be ", expected, ", got ", value.dump());
}

}  // namespace

nlohmann::json read_config_file(const char* scheduler, const std::string& path, std::string& file) {
  TORCH_CHECK(!path.empty(), scheduler, "::from_config: path is empty");
  file = config_path(path);
  std::ifstream in(file, std::ios::binary);
  TORCH_CHECK(in, scheduler, "::from_config: cannot open ", file,
              " (a scheduler_config.json file, or the folder that holds one)");
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json config;
  try {
    config = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    TORCH_CHECK(false, scheduler, "::from_config: ", file, " is not valid JSON: ", e.what());
  }
  TORCH_CHECK(config.is_object(), scheduler, "::from_config: ", file,
              " must hold a JSON object of scheduler options, got ", config.type_name());
  return config;
}

void read_key(const nlohmann::json& config, const std::string& file, const char* key,
              int64_t& out) {
  const auto* v = find(config, key);
  if (v == nullptr) return;
  if (!v->is_number_integer()) wrong_type(file, key, "an integer", *v);
  out = v->get<int64_t>();
}

void read_key(const nlohmann::json& config, const std::string& file, const char* key, double& out) {
  const auto* v = find(config, key);
  if (v == nullptr) return;
  if (!v->is_number()) wrong_type(file, key, "a number", *v);
  out = v->get<double>();
}

void read_key(const nlohmann::json& config, const std::string& file, const char* key, bool& out) {
  const auto* v = find(config, key);
  if (v == nullptr) return;
  if (!v->is_boolean()) wrong_type(file, key, "true or false", *v);
  out = v->get<bool>();
}

void read_key(const nlohmann::json& config, const std::string& file, const char* key,
              std::string& out) {
  const auto* v = find(config, key);
  if (v == nullptr) return;
  if (!v->is_string()) wrong_type(file, key, "a string", *v);
  out = v->get<std::string>();
}

void read_key(const nlohmann::json& config, const std::string& file, const char* key,
              std::vector<double>& out) {
  const auto* v = find(config, key);
  if (v == nullptr || v->is_null()) {
    if (v != nullptr) out.clear();
    return;
  }
  const char* expected = "null or a list of numbers";
  if (!v->is_array()) wrong_type(file, key, expected, *v);
  std::vector<double> values;
  values.reserve(v->size());
  for (const auto& x : *v) {
    if (!x.is_number()) wrong_type(file, key, expected, x);
    values.push_back(x.get<double>());
  }
  out = std::move(values);
}

std::vector<std::string> unknown_keys(const nlohmann::json& config,
                                      const std::vector<std::string>& known) {
  std::vector<std::string> unknown;
  for (const auto& item : config.items()) {
    const std::string& key = item.key();
    if (key.rfind('_', 0) == 0) continue;  // diffusers' own: _class_name, _diffusers_version
    if (std::find(known.begin(), known.end(), key) == known.end()) unknown.push_back(key);
  }
  return unknown;  // nlohmann's object is a std::map: already sorted
}

nlohmann::json config_value(const std::vector<double>& betas) {
  return betas.empty() ? nlohmann::json(nullptr) : nlohmann::json(betas);
}

std::string config_text(const char* class_name, nlohmann::json config) {
  config["_class_name"] = class_name;
  config["_diffusers_version"] = "0.25.1";
  return config.dump(2) + "\n";
}

void write_config_file(const std::string& path, const std::string& text) {
  TORCH_CHECK(!path.empty(), "save_config: path is empty");
  io::write_file_atomically(config_path(path), text);
}

}  // namespace infozoo::models::detail
