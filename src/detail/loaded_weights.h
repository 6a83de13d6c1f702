// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace keras::detail {

/// While one lives on this thread, initializers give zeros instead of drawing random values
/// (the seed stream still advances as usual): the model being built belongs to a loader that
/// reads every weight from its file right after, as Keras builds a model and then loads it.
/// Drawing 25 million random weights took a fifth of load_model's time for a 100 MB model.
class WeightsFromFile {
 public:
  WeightsFromFile() noexcept { ++depth(); }
  ~WeightsFromFile() { --depth(); }
  WeightsFromFile(const WeightsFromFile&) = delete;
  WeightsFromFile& operator=(const WeightsFromFile&) = delete;

  [[nodiscard]] static bool active() noexcept { return depth() > 0; }

 private:
  static int& depth() noexcept {
    thread_local int count = 0;
    return count;
  }
};

}  // namespace keras::detail
