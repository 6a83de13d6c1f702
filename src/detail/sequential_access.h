// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/sequential.h"

#include <vector>

namespace keras::detail {

/// Sequential's state that no public call shows, for tests and for saving.
struct SequentialAccess {
  /// Per layer (the InputLayer first), whether the last call gave it its input in channel
  /// blocks; one more entry for the model's output, always false.
  [[nodiscard]] static const std::vector<bool>& channel_block_inputs(const Sequential& model) {
    return model.channel_block_inputs_;
  }
  /// The metrics compile() was given, as given (io/compile_config.h saves them).
  [[nodiscard]] static const std::vector<metrics::MetricArg>& compiled_metrics(
      const Sequential& model) {
    return model.metric_args_;
  }
};

}  // namespace keras::detail
