// SPDX-License-Identifier: Apache-2.0
#include "keras/datasets/mnist.h"

#include "io/idx.h"
#include "keras/error.h"
#include "keras/shape.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <vector>

namespace keras::datasets::mnist {
namespace {

namespace fs = std::filesystem;

// A folder to look in, and why it is looked in (for the message when nothing is found).
struct Place {
  std::string folder;
  std::string_view source;
};

// An explicit path, or else $KERAS_MNIST_DIR, is the only place looked in: quietly falling
// back to other data would hide a typo.
std::vector<Place> places_to_look(const std::string& path) {
  if (!path.empty()) return {{path, "the path argument"}};
  if (const char* folder = std::getenv("KERAS_MNIST_DIR"); folder != nullptr && *folder != 0) {
    return {{folder, "$KERAS_MNIST_DIR"}};
  }
  return {{KERAS_MNIST_DIR_DEFAULT, "kerascpp's data/mnist"},
          {KERAS_MNIST_DIR_INSTALLED, "kerascpp's installed copy"}};
}

// `folder/stem.gz` or `folder/stem`, whichever exists; empty when neither does.
std::string find_file(const std::string& folder, const std::string& stem) {
  for (const char* suffix : {".gz", ""}) {
    const fs::path candidate = fs::path(folder) / (stem + suffix);
    std::error_code error;
    if (fs::is_regular_file(candidate, error)) return candidate.string();
  }
  return {};
}

std::string required_file(const Place& place, const std::string& stem) {
  std::string found = find_file(place.folder, stem);
  if (found.empty()) {
    throw FileError(place.folder, fmt::format("Cannot load MNIST from '{}' ({}): it has no {}.gz "
                                              "or {}",
                                              place.folder, place.source, stem, stem));
  }
  return found;
}

const Place& folder_with_mnist(const std::vector<Place>& places) {
  std::string looked;
  for (const Place& place : places) {
    if (!find_file(place.folder, "t10k-images-idx3-ubyte").empty()) return place;
    looked += fmt::format("{}'{}' ({})", looked.empty() ? "" : ", ", place.folder, place.source);
  }
  throw FileError(places.front().folder,
                  fmt::format("Cannot find MNIST: no t10k-images-idx3-ubyte.gz or "
                              "t10k-images-idx3-ubyte in {}; pass the folder to "
                              "keras::datasets::mnist::load_data(path) or set KERAS_MNIST_DIR",
                              looked));
}

LabelledImages read_split(const std::string& images_path, const std::string& labels_path) {
  Tensor images = io::read_idx(images_path);
  Tensor labels = io::read_idx(labels_path);
  if (images.dtype() != DType::uint8 || images.rank() != 3) {
    throw FileError(
        images_path,
        fmt::format("Cannot load MNIST images from '{}': it holds {} data of shape "
                    "{}, not uint8 images of shape (N, rows, columns)",
                    images_path, name_of(images.dtype()), Shape::of(images.shape()).to_string()));
  }
  if (labels.dtype() != DType::uint8 || labels.rank() != 1) {
    throw FileError(
        labels_path,
        fmt::format("Cannot load MNIST labels from '{}': it holds {} data of shape "
                    "{}, not uint8 labels of shape (N,)",
                    labels_path, name_of(labels.dtype()), Shape::of(labels.shape()).to_string()));
  }
  if (labels.dim(0) != images.dim(0)) {
    throw FileError(labels_path,
                    fmt::format("Cannot load MNIST labels from '{}': it holds {} labels for the {} "
                                "images of '{}'",
                                labels_path, labels.dim(0), images.dim(0), images_path));
  }
  return {std::move(images), std::move(labels)};
}

}  // namespace

TrainTestSplit load_data(const std::string& path) {
  const std::vector<Place> places = places_to_look(path);
  const Place& place = folder_with_mnist(places);
  // The official 60,000 training digits when the folder has them, else the shipped subset.
  const std::string train =
      find_file(place.folder, "train-images-idx3-ubyte").empty() ? "train-10k" : "train";
  // Named one by one, so that the first missing file is the one reported.
  const std::string train_images = required_file(place, train + "-images-idx3-ubyte");
  const std::string train_labels = required_file(place, train + "-labels-idx1-ubyte");
  const std::string test_images = required_file(place, "t10k-images-idx3-ubyte");
  const std::string test_labels = required_file(place, "t10k-labels-idx1-ubyte");
  return {read_split(train_images, train_labels), read_split(test_images, test_labels)};
}

}  // namespace keras::datasets::mnist
