// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace keras {

/// Where an image's channel axis is: last (NHWC, Keras's default) or first (NCHW).
enum class DataFormat { channels_last, channels_first };

/// "channels_last" or "channels_first".
[[nodiscard]] std::string_view name_of(DataFormat format) noexcept;

}  // namespace keras

namespace keras::config {

/// The data format layers use when theirs is not given (Python:
/// `keras.config.image_data_format()`); "channels_last" unless set otherwise.
[[nodiscard]] std::string image_data_format();
/// Sets it; throws ValueError for anything but "channels_last" or "channels_first".
void set_image_data_format(std::string_view data_format);

/// How many threads kerascpp's kernels (oneDNN, with its OpenMP runtime) use in each call of
/// the calling thread: by default OMP_NUM_THREADS, else one per core.
[[nodiscard]] int num_threads();
/// Sets it for every later call from this thread; throws ValueError unless `threads` >= 1.
void set_num_threads(int threads);

/// Whether 3x3 convolutions (stride 1, 16 channels or more, batches of 8 or more) may use
/// Winograd's algorithm: oneDNN's F(4x4, 3x3) kernels do about half the multiplications of a
/// direct convolution, and their results differ from it by rounding (about 1e-6 of the
/// outputs' magnitude). On by default; off gives oneDNN's direct convolution, as TensorFlow
/// computes it. Layers choose when they first see an input shape.
[[nodiscard]] bool winograd_convolutions();
void set_winograd_convolutions(bool enabled);

/// Whether a Sequential model hands images from one channels_last Conv2D or pooling layer to
/// the next in oneDNN's channel blocks (16 channels at a time, the layout its AVX-512
/// convolutions work in) rather than NHWC, so that no reorder runs between them; Conv2D
/// layers of 16, 32, ... filters with an activation oneDNN applies, and the pooling layers
/// after them. The values are those of NHWC; sums may round differently (about 1e-6 of their
/// magnitude). On by default; each call chooses.
[[nodiscard]] bool channel_blocks();
void set_channel_blocks(bool enabled);

/// Keras's `standardize_data_format`: empty means image_data_format(); case is ignored;
/// anything else throws ValueError in Keras's words.
[[nodiscard]] DataFormat standardize_data_format(std::string_view data_format);

}  // namespace keras::config
