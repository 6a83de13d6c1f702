// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/shape.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keras::detail {

/// One row of Keras's summary table.
struct SummaryRow {
  std::string layer;         // "flatten (Flatten)"
  std::string output_shape;  // "(None, 784)" or "?"
  std::string params;        // "18,496" or "0 (unbuilt)"
};

/// What a summary needs to know about a model.
struct SummaryData {
  std::string model_name;
  std::vector<SummaryRow> rows;
  std::int64_t trainable_count = 0;
  std::int64_t trainable_bytes = 0;
  std::int64_t non_trainable_count = 0;
  std::int64_t non_trainable_bytes = 0;
  // Once a compiled model's optimizer has made its slots, Keras counts them too.
  std::optional<std::int64_t> optimizer_count;
  std::int64_t optimizer_bytes = 0;
};

/// Keras 3's summary text (the rich table as printed without a terminal), every line
/// ending in '\n'. `line_length` 0 means min(88, terminal columns - 4).
[[nodiscard]] std::string format_summary(const SummaryData& data, int line_length);

/// A shape as Keras's summary prints it: like a tuple, but `(None)` for rank 1.
[[nodiscard]] std::string format_summary_shape(const Shape& shape);
/// 34826 -> "34,826".
[[nodiscard]] std::string with_thousands_separators(std::int64_t value);
/// 139304 -> "136.04 KB", as Keras's readable_memory_size.
[[nodiscard]] std::string readable_memory_size(std::int64_t bytes);

}  // namespace keras::detail
