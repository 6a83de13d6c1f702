// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/config.h"
#include "keras/tensor.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace keras::kernels {

/// One 2D convolution in oneDNN's terms (rows first, then columns), with Keras's numbers:
/// `dilation` 1 means none (oneDNN's 0), padding is explicit per side.
struct Convolution2DGeometry {
  DataFormat data_format = DataFormat::channels_last;  // NHWC or NCHW tensors, never transposed
  std::array<std::int64_t, 2> kernel{};
  std::array<std::int64_t, 2> strides{1, 1};
  std::array<std::int64_t, 2> dilation{1, 1};
  std::array<std::int64_t, 2> padding_l{};  // top, left
  std::array<std::int64_t, 2> padding_r{};  // bottom, right
  std::int64_t groups = 1;
  std::int64_t filters = 0;
  bool with_bias = true;

  friend bool operator==(const Convolution2DGeometry&, const Convolution2DGeometry&) = default;
};

/// The oneDNN convolution primitives of one layer (forward, backward data, backward
/// weights), made for an input shape and geometry and reused until either changes; the
/// backward ones are made at the first backward. Weights come in Keras's HWIO layout
/// `(kh, kw, in / groups, filters)`; oneDNN picks its own layout and the plan reorders into it
/// on every forward (the values may have changed since the last one), and reorders the
/// weight gradient back to HWIO.
class Convolution2DPlan {
 public:
  explicit Convolution2DPlan(std::string layer_name);
  ~Convolution2DPlan();
  Convolution2DPlan(const Convolution2DPlan&) = delete;
  Convolution2DPlan& operator=(const Convolution2DPlan&) = delete;

  /// dst = conv(src, weights) + bias, src rank 4 as the geometry's data format says; `bias`
  /// is ignored without a bias. Keeps src and weights for the backward passes.
  [[nodiscard]] Tensor forward(const Tensor& src, const Tensor& weights, const Tensor& bias,
                               const Convolution2DGeometry& geometry);
  /// diff_src for diff_dst of the last forward.
  [[nodiscard]] Tensor backward_data(const Tensor& diff_dst);
  /// The weight gradient (HWIO) and bias gradient (filters) for diff_dst of the last forward,
  /// overwriting `diff_weights` and `diff_bias` (ignored without a bias).
  void backward_weights(const Tensor& diff_dst, Tensor& diff_weights, Tensor& diff_bias);

 private:
  struct Primitives;

  void check_diff_dst(const Tensor& diff_dst) const;

  std::string layer_name_;
  std::unique_ptr<Primitives> primitives_;  // for the last forward's shape and geometry
  Tensor src_;                              // the last forward's input, read by backward_weights
  Tensor weights_;                          // the last forward's HWIO weights
};

}  // namespace keras::kernels
