// SPDX-License-Identifier: Apache-2.0
#include "support/golden_case.h"

#include "keras/utils/npy.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

namespace keras::testing {

Tensor GoldenCase::tensor(const std::string& file) const {
  return utils::load_npy((folder / file).string());
}

std::filesystem::path golden_dir() {
  if (const char* dir = std::getenv("KERAS_GOLDEN_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return KERAS_GOLDEN_DIR_DEFAULT;
}

std::vector<GoldenCase> discover_golden_cases(const std::filesystem::path& dir) {
  std::vector<GoldenCase> cases;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const auto spec_path = entry.path() / "case.json";
    if (!entry.is_directory() || !std::filesystem::exists(spec_path)) continue;
    std::ifstream spec_file(spec_path);
    cases.push_back(
        {entry.path().filename().string(), entry.path(), nlohmann::json::parse(spec_file)});
  }
  std::sort(cases.begin(), cases.end(),
            [](const GoldenCase& a, const GoldenCase& b) { return a.name < b.name; });
  return cases;
}

}  // namespace keras::testing
