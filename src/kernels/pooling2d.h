// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/config.h"
#include "keras/tensor.h"
#include "kernels/image_layout.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace keras::kernels {

/// Max pooling never picks a padded cell; average pooling divides by the real cells of each
/// window (oneDNN's pooling_max and pooling_avg_exclude_padding, Keras's rules).
enum class PoolingAlgorithm { max, average };

/// One pooling over the two spatial axes, in oneDNN's terms: rows first, then columns.
struct Pooling2DGeometry {
  PoolingAlgorithm algorithm = PoolingAlgorithm::max;
  DataFormat data_format = DataFormat::channels_last;  // NHWC or NCHW tensors, never transposed
  std::array<std::int64_t, 2> kernel{};
  std::array<std::int64_t, 2> strides{};
  std::array<std::int64_t, 2> padding_l{};  // top, left
  std::array<std::int64_t, 2> padding_r{};  // bottom, right
  bool keepdims = true;  // false: a 1x1 dst comes out as (N, C), as global pooling returns it
  ImageLayout layout = ImageLayout::plain;  // of src and dst; channel blocks with channels_last

  friend bool operator==(const Pooling2DGeometry&, const Pooling2DGeometry&) = default;
};

/// The oneDNN pooling primitives of one layer, created for an input shape and geometry and
/// reused until either changes. The forward pass always runs as forward_training, so the
/// workspace max pooling's backward needs is there after every call.
class Pooling2DPlan {
 public:
  explicit Pooling2DPlan(std::string layer_name);
  ~Pooling2DPlan();
  Pooling2DPlan(const Pooling2DPlan&) = delete;
  Pooling2DPlan& operator=(const Pooling2DPlan&) = delete;

  /// dst for src (rank 4, NHWC or NCHW as the geometry says, or rank 5 in channel blocks);
  /// keeps the workspace.
  [[nodiscard]] Tensor forward(const Tensor& src, const Pooling2DGeometry& geometry);
  /// diff_src for diff_dst of the last forward.
  [[nodiscard]] Tensor backward(const Tensor& diff_dst);

 private:
  struct Primitives;

  std::string layer_name_;
  std::unique_ptr<Primitives> primitives_;  // for the last forward's shape and geometry
};

}  // namespace keras::kernels
