// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/layers/layer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace keras::kernels {
class BinaryPlan;
}

namespace keras::layers {

/// Options of Dropout, named and ordered as Keras's arguments (`rate` has no default in
/// Keras; 0 here, which makes the layer the identity).
struct DropoutOptions {
  double rate = 0.0;                  // fraction of the inputs to drop, in [0, 1]
  OptionalShape noise_shape;          // the mask's shape, batch axis included; None: the input's
  std::optional<std::uint64_t> seed;  // none: drawn from utils::set_random_seed's stream
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// Inverted dropout: with `training`, each element is zeroed with probability `rate` and
/// the others are scaled by `1 / (1 - rate)`; otherwise the input itself is returned. A
/// `noise_shape` with size-1 axes shares one decision across them (`{None, 1, 1, C}` drops
/// whole channels). Each training call draws a new mask from the layer's own generator, so
/// a seed (or utils::set_random_seed) gives the same sequence of masks run after run.
///
///     model.add(keras::layers::Dropout({.rate = 0.5}));
///
/// Keras: https://keras.io/api/layers/regularization_layers/dropout/
class Dropout final : public Layer {
 public:
  explicit Dropout(DropoutOptions options);
  ~Dropout() override;
  Dropout(Dropout&&) noexcept;

  [[nodiscard]] std::string_view class_name() const override { return "Dropout"; }
  [[nodiscard]] const DropoutOptions& options() const noexcept { return options_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  /// `grad_outputs` times the last call's mask; `grad_outputs` itself when that call did
  /// not drop (inference, or rate 0).
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 private:
  [[nodiscard]] std::vector<std::int64_t> mask_shape(const std::vector<std::int64_t>& input) const;

  DropoutOptions options_;
  std::uint64_t seed_ = 0;   // the generator's seed: options.seed, else drawn at construction
  std::uint64_t calls_ = 0;  // training calls so far: the generator's counter
  std::unique_ptr<kernels::BinaryPlan> plan_;  // input times mask, for the last shapes
  bool dropped_ = false;                       // whether the last call applied mask_
  Tensor mask_;  // of the last dropping call: 0 or 1 / (1 - rate), of the noise shape
  std::vector<std::int64_t> last_shape_;
};

}  // namespace keras::layers
