// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace keras::testing {

/// One folder of the golden reference data: its case.json and its .npy files.
struct GoldenCase {
  std::string name;
  std::filesystem::path folder;
  nlohmann::json spec;

  /// The tensor stored in `file`, a name relative to the case's folder.
  [[nodiscard]] Tensor tensor(const std::string& file) const;
};

/// $KERAS_GOLDEN_DIR when set, else the folder fixed when the project was configured.
[[nodiscard]] std::filesystem::path golden_dir();

/// Every sub-folder of `dir` holding a case.json, sorted by name; found by listing the
/// folder, so any set of cases in the golden format is checked.
[[nodiscard]] std::vector<GoldenCase> discover_golden_cases(const std::filesystem::path& dir);

}  // namespace keras::testing
