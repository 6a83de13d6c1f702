// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/config.h"
#include "keras/tensor.h"
#include "keras/variable.h"
#include "kernels/activation.h"
#include "kernels/image_layout.h"
#include "kernels/input_gradient.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
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
  ImageLayouts layouts;  // channel blocks only with channels_last

  friend bool operator==(const Convolution2DGeometry&, const Convolution2DGeometry&) = default;
};

/// The oneDNN convolution primitives of one layer (forward, backward data, backward
/// weights), made for an input shape and geometry and reused until either changes; each is
/// made when first needed. The layer's activation is fused into the forward as a post-op
/// where it is one oneDNN eltwise (see fused_activation.h). Weights come in Keras's HWIO
/// layout `(kh, kw, in / groups, filters)`; oneDNN picks its own layout, and the plan keeps
/// the weights reordered into it, reordering again only when the Variable's version() moved;
/// the weight gradient is reordered back to HWIO.
class Convolution2DPlan {
 public:
  Convolution2DPlan(std::string layer_name, const ActivationSpec& activation);
  ~Convolution2DPlan();
  Convolution2DPlan(const Convolution2DPlan&) = delete;
  Convolution2DPlan& operator=(const Convolution2DPlan&) = delete;

  /// Whether forward applies the activation; if not (softmax, selu, ...), forward returns
  /// the pre-activation and the layer applies it, and backward takes its gradient.
  [[nodiscard]] bool applies_activation() const noexcept { return applies_activation_; }

  /// dst = activation(conv(src, weights) + bias), src and dst rank 4 as the geometry's data
  /// format says, or rank 5 where its layouts say channel blocks; `bias` is ignored without
  /// a bias. `training` says whether a backward may follow
  /// (an activation whose backward reads its input is fused only when it is false). Keeps
  /// src, the weights and what the activation's backward reads.
  [[nodiscard]] Tensor forward(const Tensor& src, const Variable& weights, const Tensor& bias,
                               const Convolution2DGeometry& geometry, bool training);
  /// diff_src for diff_dst of the last forward (an empty tensor when `input_gradient` says
  /// skip); overwrites the weight gradient (HWIO) and the bias gradient (filters; ignored
  /// without a bias).
  /// With `activation_done`, diff_dst is already the gradient of the pre-activation (the
  /// fused activation's backward was done by the caller).
  [[nodiscard]] Tensor backward(const Tensor& diff_dst, Tensor& diff_weights, Tensor& diff_bias,
                                InputGradient input_gradient = InputGradient::compute,
                                bool activation_done = false);

  /// For tests: whether the primitives use Winograd's algorithm (see
  /// config::winograd_convolutions).
  [[nodiscard]] bool uses_winograd() const;
  /// For tests: whether a primitive made so far for the current shape is one of oneDNN's
  /// reference loops (orders of magnitude slower than its generated kernels).
  [[nodiscard]] bool runs_reference_kernels() const;
  /// For tests: whether the forward's weights layout differs from HWIO, and how many times
  /// the weights were reordered into a primitive's layout since the shape last changed.
  [[nodiscard]] bool reorders_weights() const;
  [[nodiscard]] std::int64_t weights_reorder_count() const;

 private:
  struct Primitives;

  void check_diff_dst(const Tensor& diff_dst) const;

  std::string layer_name_;
  ActivationSpec activation_;
  bool applies_activation_;
  std::unique_ptr<Primitives> primitives_;  // for the last forward's shape and geometry
  Tensor src_;                              // the last forward's input
  std::optional<Variable> weights_;         // the last forward's weights
  Tensor bias_;
};

}  // namespace keras::kernels
