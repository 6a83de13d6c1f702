// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <string>

namespace keras::datasets {

/// Images and their labels, unpacked like Python's pair: `auto [x_train, y_train] = train;`.
struct LabelledImages {
  Tensor x;  // uint8 (N, rows, columns), pixels 0..255
  Tensor y;  // uint8 (N,), the class of each image
};

/// A training and a test set, unpacked like Python's `(x_train, y_train), (x_test, y_test)`:
/// `auto [train, test] = keras::datasets::mnist::load_data();`.
struct TrainTestSplit {
  LabelledImages train;
  LabelledImages test;
};

}  // namespace keras::datasets

namespace keras::datasets::mnist {

/// Loads MNIST's 28x28 greyscale digits (Python: `keras.datasets.mnist.load_data()`): x uint8
/// (N, 28, 28), y uint8 (N,) with values 0..9, as Keras returns them.
///
///     auto [train, test] = keras::datasets::mnist::load_data();
///     auto [x_train, y_train] = train;   // (10000, 28, 28) and (10000,) with the shipped data
///
/// `path` is a folder holding MNIST's IDX files, gzipped or not: t10k-images-idx3-ubyte,
/// t10k-labels-idx1-ubyte, and the official train-images-idx3-ubyte / train-labels-idx1-ubyte
/// or the shipped 10,000-digit subset train-10k-images-idx3-ubyte / train-10k-labels-idx1-ubyte.
/// Empty: $KERAS_MNIST_DIR, else the project's data/mnist (the subset; see its README.md),
/// else the installed copy. Throws FileError naming where it looked and which file is missing
/// or malformed. Nothing is downloaded.
[[nodiscard]] TrainTestSplit load_data(const std::string& path = "");

}  // namespace keras::datasets::mnist
