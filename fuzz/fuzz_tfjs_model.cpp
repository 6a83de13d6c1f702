// SPDX-License-Identifier: Apache-2.0
// TF.js `model.json` with its weight shard. One input holds both: the bytes before the first
// NUL are model.json (JSON text has no raw NUL), the bytes after it are the shard, written
// under every plain file name the weightsManifest lists. Without a NUL there is no shard.
#include "scratch_folder.h"

#include <nlohmann/json.hpp>

#include <keras/error.h>
#include <keras/models/load_model.h>
#include <string>
#include <vector>

namespace {

std::vector<std::string> shard_names(std::string_view model_json) {
  const auto json = nlohmann::json::parse(model_json, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> names;
  if (!json.is_object() || !json.contains("weightsManifest")) return names;
  for (const auto& group : json["weightsManifest"]) {
    if (!group.is_object() || !group.contains("paths") || !group["paths"].is_array()) continue;
    for (const auto& name : group["paths"]) {
      if (!name.is_string()) continue;
      const auto& text = name.get_ref<const std::string&>();
      if (!text.empty() && text.size() < 64 && text.find('/') == std::string::npos && text != "." &&
          text != ".." && text != "model.json") {
        names.push_back(text);
      }
    }
  }
  return names;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const keras::fuzz::ScratchFolder folder;
  static std::vector<std::string> written;
  const std::string_view input = keras::fuzz::as_text(data, size);
  const auto separator = input.find('\0');
  const std::string_view model_json = input.substr(0, separator);

  for (const std::string& name : written) folder.remove(name);
  written.clear();
  if (separator != std::string_view::npos) {
    written = shard_names(model_json);
    for (const std::string& name : written) folder.write(name, input.substr(separator + 1));
  }
  const std::string path = folder.write("model.json", model_json);
  try {
    (void)keras::models::load_model(path);
  } catch (const keras::Error&) {
    // A malformed file must be refused with keras::Error; anything else fails the fuzzer.
  }
  return 0;
}
