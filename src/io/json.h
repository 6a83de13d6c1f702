// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace keras::io {

/// Keras configs keep their key order (Python dicts do), so kerascpp writes them ordered.
using Json = nlohmann::ordered_json;

/// Parses JSON text; throws ValueError naming `what`, the line and the column on bad syntax.
[[nodiscard]] Json parse_json(std::string_view text, std::string_view what);

}  // namespace keras::io
