// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>

namespace keras::layers {

/// The rows and columns ZeroPadding2D adds and Cropping2D removes on each side of an image:
/// Keras's `padding` / `cropping` argument, in any of its three forms,
///
///     .padding = 1                  // the same on every side
///     .padding = {1, 2}             // (symmetric_height, symmetric_width)
///     .padding = {{1, 2}, {3, 4}}   // ((top, bottom), (left, right))
///
/// It remembers the form it was given in, so that messages quote it as Keras does.
class Pads2D {
 public:
  /// One axis: a symmetric int, or (before, after).
  class Axis {
   public:
    Axis(int both) : sizes_{both, both}, symmetric_(true) {}  // NOLINT: reads like Python
    Axis(int before, int after) : sizes_{before, after}, symmetric_(false) {}
    [[nodiscard]] int before() const noexcept { return sizes_[0]; }
    [[nodiscard]] int after() const noexcept { return sizes_[1]; }
    /// True when given as one int.
    [[nodiscard]] bool symmetric() const noexcept { return symmetric_; }

   private:
    std::array<int, 2> sizes_;
    bool symmetric_;
  };

  Pads2D(int all) : height_(all), width_(all), single_int_(true) {}  // NOLINT: `padding=1`
  Pads2D(Axis height, Axis width) : height_(height), width_(width), single_int_(false) {}

  [[nodiscard]] const Axis& height() const noexcept { return height_; }
  [[nodiscard]] const Axis& width() const noexcept { return width_; }
  [[nodiscard]] int top() const noexcept { return height_.before(); }
  [[nodiscard]] int bottom() const noexcept { return height_.after(); }
  [[nodiscard]] int left() const noexcept { return width_.before(); }
  [[nodiscard]] int right() const noexcept { return width_.after(); }
  /// True when given as one int for all four sides.
  [[nodiscard]] bool single_int() const noexcept { return single_int_; }

  /// Equal when the four sides are (whatever form they were given in).
  friend bool operator==(const Pads2D& a, const Pads2D& b) noexcept {
    return a.top() == b.top() && a.bottom() == b.bottom() && a.left() == b.left() &&
           a.right() == b.right();
  }

 private:
  Axis height_;
  Axis width_;
  bool single_int_;
};

}  // namespace keras::layers
