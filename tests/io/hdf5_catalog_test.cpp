// SPDX-License-Identifier: Apache-2.0
#include "io/hdf5_catalog.h"

#include "hdf5_test_files.h"
#include "io/hdf5_file.h"
#include "io/zip_archive.h"
#include "keras/error.h"
#include "support/expect_error.h"
#include "support/models.h"
#include "support/temp_folder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <random>

namespace keras::io::hdf5 {
namespace {

using testing::error_message;
using testing::raw_attribute;
using testing::raw_dataset;
using testing::read_bytes;

// Every attribute name Keras 2 and 3 write, and two they do not.
const std::vector<std::string> attribute_names{"model_config", "training_config",   "keras_version",
                                               "backend",      "layer_names",       "weight_names",
                                               "dtype",        "no_such_attribute", "layer_name"};

std::span<const unsigned char> bytes_of(const FileImage& image) {
  return {reinterpret_cast<const unsigned char*>(image.data()), image.size()};
}

FileImage image_of(const std::string& bytes) {
  FileImage image(bytes.size());
  std::memcpy(image.data(), bytes.data(), bytes.size());
  return image;
}

// Walks `expected` (HDF5 in this process) and `actual` (the catalog) together: the same
// children, kinds, string attributes and float32 weights (the catalog leaves other types, such
// as an optimizer's int64 iteration count, to HDF5).
void expect_same_tree(const Group& expected, const Group& actual) {
  SCOPED_TRACE(expected.path());
  const std::vector<std::string> children = expected.children(Order::name);
  ASSERT_EQ(actual.children(Order::creation), children);
  for (const std::string& name : attribute_names) {
    ASSERT_EQ(actual.has_attribute(name), expected.has_attribute(name)) << name;
    if (!expected.has_attribute(name)) continue;
    EXPECT_EQ(actual.string_list_attribute(name), expected.string_list_attribute(name)) << name;
  }
  for (const std::string& name : children) {
    ASSERT_EQ(actual.has_dataset(name), expected.has_dataset(name)) << name;
    ASSERT_EQ(actual.has_group(name), expected.has_group(name)) << name;
    if (expected.has_group(name)) {
      expect_same_tree(expected.group(name), actual.group(name));
    } else if (expected.has_dataset(name) && expected.dataset_dtype(name) == "float32") {
      const Tensor values = expected.read_float32(name);
      const Tensor read = actual.read_float32(name);
      ASSERT_EQ(read.shape(), values.shape()) << name;
      EXPECT_EQ(std::memcmp(read.raw_data(), values.raw_data(), values.nbytes()), 0) << name;
    }
  }
}

// The same answers as HDF5, and no helper process started to get them.
void expect_read_like_hdf5(const FileImage& image, const std::string& name) {
  SCOPED_TRACE(name);
  ASSERT_TRUE(Catalog::read(bytes_of(image)).has_value());
  const File hdf5 = File::open_image_here(image, name);
  const File catalog = File::open_image(image, name);
  expect_same_tree(hdf5.root(), catalog.root());
  EXPECT_FALSE(catalog.started_helper());
}

class Hdf5CatalogTest : public testing::Hdf5TestFolder {
 protected:
  template <typename Write>
  std::string raw_file(const std::string& name, Write write, hid_t access = H5P_DEFAULT) {
    const std::string file_path = path(name);
    silence_errors();
    const Handle file(H5Fcreate(file_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access), H5Fclose);
    EXPECT_TRUE(file.valid());
    write(file.get());
    return file_path;
  }
};

TEST_F(Hdf5CatalogTest, ReadsEveryKerasFileInTheSharedDataLikeHdf5) {
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(testing::keras_models_dir())) {
    const std::string file_path = entry.path().string();
    if (entry.path().extension() == ".h5") {
      expect_read_like_hdf5(image_of(read_bytes(file_path)), file_path);
      ++files;
    } else if (entry.path().extension() == ".keras") {
      const ZipReader archive(file_path);
      expect_read_like_hdf5(archive.read_image("model.weights.h5", std::uint64_t{1} << 30),
                            file_path);
      ++files;
    }
  }
  EXPECT_GE(files, 8);
}

TEST_F(Hdf5CatalogTest, ReadsWhatKerascppWritesLikeHdf5) {
  const Sequential model = testing::mnist_convnet();
  model.save(path("model.keras"));
  model.save_weights(path("model.weights.h5"));
  const ZipReader archive(path("model.keras"));
  expect_read_like_hdf5(archive.read_image("model.weights.h5", std::uint64_t{1} << 30),
                        "model.keras");
  expect_read_like_hdf5(image_of(read_bytes(path("model.weights.h5"))), "model.weights.h5");
}

TEST_F(Hdf5CatalogTest, LeavesNewStyleGroupsAndChunkedDatasetsToHdf5) {
  const std::vector<float> values{1, 2, 3, 4};
  const Handle latest(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_libver_bounds(latest.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  const std::string new_style = raw_file(
      "latest.h5",
      [&](hid_t file) {
        raw_dataset(file, "w", H5T_IEEE_F32LE, {4}, H5T_NATIVE_FLOAT, values.data());
      },
      latest.get());
  const std::string chunked = raw_file("chunked.h5", [&](hid_t file) {
    const Handle create(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    const hsize_t chunk = 2;
    H5Pset_chunk(create.get(), 1, &chunk);
    raw_dataset(file, "w", H5T_IEEE_F32LE, {4}, H5T_NATIVE_FLOAT, values.data(), create.get());
  });
  for (const std::string& file_path : {new_style, chunked}) {
    EXPECT_FALSE(Catalog::read(bytes_of(image_of(read_bytes(file_path)))).has_value());
    const File file = File::open_read(file_path);
    EXPECT_TRUE(file.started_helper());
    const Tensor read = file.root().read_float32("w");
    EXPECT_EQ(std::vector<float>(read.data<float>(), read.data<float>() + 4), values);
  }
}

TEST_F(Hdf5CatalogTest, AsksHdf5WhatItCannotAnswer) {
  const std::vector<double> values{1.5, -2.0};
  const std::string file_path = raw_file("f64.h5", [&](hid_t file) {
    raw_dataset(file, "f64", H5T_IEEE_F64LE, {2}, H5T_NATIVE_DOUBLE, values.data());
    const std::int64_t number = 7;
    raw_attribute(file, "number", H5T_STD_I64LE, {}, &number);
  });
  ASSERT_TRUE(Catalog::read(bytes_of(image_of(read_bytes(file_path)))).has_value());

  const File file = File::open_read(file_path);
  EXPECT_TRUE(file.root().has_attribute("number"));
  EXPECT_FALSE(file.started_helper());
  // Converted by HDF5, in the helper started for it.
  const Tensor read = file.root().read_float32("f64");
  EXPECT_EQ(std::vector<float>(read.data<float>(), read.data<float>() + 2),
            (std::vector<float>{1.5F, -2.0F}));
  EXPECT_TRUE(file.started_helper());

  // Failures keep HDF5's messages.
  const File here = File::open_read_here(file_path);
  for (const auto& action : std::vector<std::function<void(const Group&)>>{
           [](const Group& root) { (void)root.string_attribute("number"); },
           [](const Group& root) { (void)root.string_attribute("missing"); },
           [](const Group& root) { (void)root.string_list_attribute("missing"); },
           [](const Group& root) { (void)root.read_float32("missing"); },
           [](const Group& root) { (void)root.group("f64"); },
       }) {
    const File fresh = File::open_read(file_path);
    const std::string expected = error_message<FileError>([&] { action(here.root()); });
    EXPECT_FALSE(expected.empty());
    EXPECT_EQ(error_message<FileError>([&] { action(fresh.root()); }), expected);
  }
}

// Damaged copies of a real file: the catalog never reads outside the bytes it was given (the
// sanitizer build checks that), and any question about them ends in an answer or a FileError.
TEST_F(Hdf5CatalogTest, ReadsDamagedFilesWithinTheirBytes) {
  const std::string original = read_bytes(
      testing::keras_models_dir() / "tiny_conv2d_same_8x8_keras231" / "keras_conv2d_model.h5");
  std::mt19937 random(42);
  std::vector<std::string> damaged;
  for (std::size_t length = 0; length < original.size(); length += 97) {
    damaged.push_back(original.substr(0, length));
  }
  for (int copy = 0; copy < 300; ++copy) {
    std::string bytes = original;
    for (int flip = 0; flip < 4; ++flip) {
      bytes[random() % bytes.size()] = static_cast<char>(random());
    }
    damaged.push_back(std::move(bytes));
  }
  int catalogued = 0;
  for (const std::string& bytes : damaged) {
    const FileImage image = image_of(bytes);
    const std::optional<Catalog> catalog = Catalog::read(bytes_of(image));
    if (!catalog) continue;
    ++catalogued;
    const std::function<void(std::string_view)> walk = [&](std::string_view group) {
      const auto children = catalog->children(group);
      for (const std::string& name : children.value_or(std::vector<std::string>{})) {
        for (const std::string& attribute : attribute_names) {
          (void)catalog->strings(group, attribute);
        }
        const std::string path = group == "/" ? "/" + name : std::string(group) + "/" + name;
        if (catalog->kind(group, name) == ObjectKind::group) walk(path);
        if (const auto place = catalog->float32_place(group, name)) {
          EXPECT_LE(place->offset, bytes.size());
        }
      }
    };
    walk("/");
  }
  EXPECT_GT(catalogued, 0);  // flips in the weights leave the structure whole
}

}  // namespace
}  // namespace keras::io::hdf5
