// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace keras::training {

/// Inputs and targets of the same length, batch axis first, contiguous.
struct TrainingData {
  Tensor x;
  Tensor y;
  [[nodiscard]] std::int64_t size() const { return x.dim(0); }
};

/// Checks x and y as fit/evaluate receive them (a batch axis, the same length, not empty)
/// and returns them contiguous, integer labels as int32 and float targets as float32.
[[nodiscard]] TrainingData prepare_data(const Tensor& x, const Tensor& y, std::string_view method);

/// Keras's validation_split: the first floor(N * (1 - fraction)) samples train, the rest
/// validate, without shuffling; throws ValueError when either part would be empty.
[[nodiscard]] std::pair<TrainingData, TrainingData> split_validation(const TrainingData& data,
                                                                     double fraction);

/// The sample order of one epoch: 0..n-1, shuffled from `seed` when asked.
[[nodiscard]] std::vector<std::int64_t> epoch_order(std::int64_t samples, bool shuffle,
                                                    std::uint64_t seed);

/// Rows [begin, end) of `order` taken from `source`: a view when they are consecutive,
/// otherwise a contiguous copy.
[[nodiscard]] Tensor take_rows(const Tensor& source, const std::vector<std::int64_t>& order,
                               std::int64_t begin, std::int64_t end);

}  // namespace keras::training
