// SPDX-License-Identifier: Apache-2.0
#include "training/training_data.h"

#include "detail/random.h"
#include "keras/error.h"
#include "keras/shape.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <numeric>

namespace keras::training {
namespace {

Tensor as_target(const Tensor& y) {
  switch (y.dtype()) {
    case DType::float32:
    case DType::int32:
      return y.contiguous();
    case DType::float64:
      return y.astype(DType::float32);
    case DType::int64:
    case DType::uint8:
      return y.astype(DType::int32);
  }
  return y;
}

}  // namespace

TrainingData prepare_data(const Tensor& x, const Tensor& y, std::string_view method) {
  if (!x.defined() || !y.defined()) {
    throw ValueError(fmt::format("{}() needs both x and y.", method));
  }
  if (x.rank() == 0 || y.rank() == 0) {
    throw ValueError(
        fmt::format("{}() needs x and y with a batch axis first. Received: x.shape={}, y.shape={}",
                    method, Shape::of(x.shape()).to_string(), Shape::of(y.shape()).to_string()));
  }
  if (x.dim(0) != y.dim(0)) {
    throw ValueError(fmt::format(
        "Data cardinality is ambiguous: x has {} samples, y has {} samples. Make sure all "
        "arrays contain the same number of samples. (x.shape={}, y.shape={})",
        x.dim(0), y.dim(0), Shape::of(x.shape()).to_string(), Shape::of(y.shape()).to_string()));
  }
  if (x.dim(0) == 0) {
    throw ValueError(
        fmt::format("{}() received an empty dataset (x.shape={}): there is nothing to {}.", method,
                    Shape::of(x.shape()).to_string(), method == "fit" ? "train on" : "evaluate"));
  }
  return {x.contiguous(), as_target(y)};
}

std::pair<TrainingData, TrainingData> split_validation(const TrainingData& data, double fraction) {
  if (!(fraction >= 0.0 && fraction < 1.0)) {
    throw ValueError(fmt::format(
        "`validation_split` must be a float in [0, 1). Received: validation_split={}", fraction));
  }
  const std::int64_t samples = data.size();
  const auto split_at =
      static_cast<std::int64_t>(std::floor(static_cast<double>(samples) * (1.0 - fraction)));
  if (split_at == 0 || split_at == samples) {
    throw ValueError(fmt::format(
        "Training data contains {} samples, which is not sufficient to split it into a "
        "validation and training set as specified by `validation_split={}`. Either provide "
        "more data, or a different value for the `validation_split` argument.",
        samples, fraction));
  }
  return {{data.x.slice(0, split_at), data.y.slice(0, split_at)},
          {data.x.slice(split_at, samples), data.y.slice(split_at, samples)}};
}

std::vector<std::int64_t> epoch_order(std::int64_t samples, bool shuffle, std::uint64_t seed) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(samples));
  std::iota(order.begin(), order.end(), 0);
  if (!shuffle) return order;
  // Fisher-Yates on kerascpp's own generator: the same seed gives the same order with any
  // standard library.
  detail::Random random(seed);
  for (std::int64_t i = samples - 1; i > 0; --i) {
    const auto j = static_cast<std::int64_t>(random.next_u64() % static_cast<std::uint64_t>(i + 1));
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
  }
  return order;
}

Tensor take_rows(const Tensor& source, const std::vector<std::int64_t>& order, std::int64_t begin,
                 std::int64_t end) {
  const auto first = order[static_cast<std::size_t>(begin)];
  bool consecutive = true;
  for (std::int64_t i = begin; i < end && consecutive; ++i) {
    consecutive = order[static_cast<std::size_t>(i)] == first + (i - begin);
  }
  if (consecutive) return source.slice(first, first + (end - begin));

  std::vector<std::int64_t> shape = source.shape();
  shape[0] = end - begin;
  Tensor batch = Tensor::empty(std::move(shape), source.dtype());
  const std::size_t row_bytes = source.nbytes() / static_cast<std::size_t>(source.dim(0));
  const auto* from = static_cast<const std::byte*>(source.raw_data());
  auto* to = static_cast<std::byte*>(batch.raw_data());
  for (std::int64_t i = begin; i < end; ++i) {
    std::memcpy(to + static_cast<std::size_t>(i - begin) * row_bytes,
                from + static_cast<std::size_t>(order[static_cast<std::size_t>(i)]) * row_bytes,
                row_bytes);
  }
  return batch;
}

}  // namespace keras::training
