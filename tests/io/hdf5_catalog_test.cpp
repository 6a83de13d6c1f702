// SPDX-License-Identifier: Apache-2.0
#include "io/hdf5_catalog.h"

#include "hdf5_test_files.h"
#include "io/hdf5_file.h"
#include "io/hdf5_reader_process.h"
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

// What reading `name` as an int64 scalar gives: the value or the error's text.
std::string int64_scalar_or_error(const Group& group, const std::string& name) {
  try {
    return std::to_string(group.read_int64_scalar(name));
  } catch (const FileError& error) {
    return error.what();
  }
}

// Walks `expected` (HDF5 in this process) and `actual` (the catalog) together: the same
// children, kinds, string attributes, float32 weights and integers (an optimizer's step
// count; the catalog leaves other types to HDF5).
void expect_same_tree(const Group& expected, const Group& actual) {
  SCOPED_TRACE(expected.path());
  const std::vector<std::string> children = expected.children(Order::creation);
  ASSERT_EQ(actual.children(Order::creation), children);
  ASSERT_EQ(actual.children(Order::name), expected.children(Order::name));
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
    } else if (expected.has_dataset(name) && expected.dataset_dtype(name).starts_with("int")) {
      EXPECT_EQ(int64_scalar_or_error(actual, name), int64_scalar_or_error(expected, name)) << name;
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

// The same through File::open_read, which reads the file as the catalog asks for it.
void expect_read_from_disk_like_hdf5(const std::string& file_path) {
  SCOPED_TRACE(file_path);
  const File hdf5 = File::open_read_here(file_path);
  const File catalog = File::open_read(file_path);
  expect_same_tree(hdf5.root(), catalog.root());
  EXPECT_FALSE(catalog.started_helper());
}

// Walks two catalogs of one file together from `group`: the same answers to every question.
void expect_same_catalog(const Catalog& expected, const Catalog& actual, const std::string& group) {
  SCOPED_TRACE(group);
  const auto children = expected.children(group);
  ASSERT_TRUE(children.has_value());
  ASSERT_EQ(actual.children(group), children);
  for (const std::string& name : attribute_names) {
    EXPECT_EQ(actual.has_attribute(group, name), expected.has_attribute(group, name)) << name;
    EXPECT_EQ(actual.strings(group, name), expected.strings(group, name)) << name;
  }
  for (const std::string& name : *children) {
    const auto kind = expected.kind(group, name);
    ASSERT_EQ(actual.kind(group, name), kind) << name;
    const auto place = expected.float32_place(group, name);
    const auto actual_place = actual.float32_place(group, name);
    ASSERT_EQ(actual_place.has_value(), place.has_value()) << name;
    if (place) {
      EXPECT_EQ(actual_place->shape, place->shape) << name;
      EXPECT_EQ(actual_place->offset, place->offset) << name;
    }
    EXPECT_EQ(actual.integer_scalar_place(group, name), expected.integer_scalar_place(group, name))
        << name;
    if (kind == ObjectKind::group) {
      expect_same_catalog(expected, actual, group == "/" ? "/" + name : group + "/" + name);
    }
  }
}

using Hdf5CatalogTest = testing::Hdf5TestFolder;

// Read through a fetch that copies exactly the bytes asked for into a block of 0xA5 bytes,
// the catalog answers as it does from the whole file: it reads no byte it did not fetch.
TEST_F(Hdf5CatalogTest, FetchesEveryByteItReads) {
  const Sequential model = testing::mnist_convnet();
  model.save_weights(path("model.weights.h5"));
  std::vector<std::string> files{path("model.weights.h5")};
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(testing::keras_models_dir())) {
    if (entry.path().extension() == ".h5") files.push_back(entry.path().string());
  }
  for (const std::string& file_path : files) {
    SCOPED_TRACE(file_path);
    const std::string bytes = read_bytes(file_path);
    const std::span whole(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    std::vector<unsigned char> block(bytes.size(), 0xA5);
    const auto lazy = Catalog::read(block, [&](std::uint64_t offset, std::uint64_t size) {
      std::memcpy(block.data() + offset, bytes.data() + offset, size);
    });
    const auto expected = Catalog::read(whole);
    ASSERT_TRUE(expected.has_value());
    ASSERT_TRUE(lazy.has_value());
    expect_same_catalog(*expected, *lazy, "/");
  }
}

TEST_F(Hdf5CatalogTest, ReadsEveryKerasFileInTheSharedDataLikeHdf5) {
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(testing::keras_models_dir())) {
    const std::string file_path = entry.path().string();
    if (entry.path().extension() == ".h5") {
      expect_read_like_hdf5(image_of(read_bytes(file_path)), file_path);
      expect_read_from_disk_like_hdf5(file_path);
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
  expect_read_from_disk_like_hdf5(path("model.weights.h5"));
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

std::string tiny_keras_file() {
  return read_bytes(testing::keras_models_dir() / "tiny_conv2d_same_8x8_keras231" /
                    "keras_conv2d_model.h5");
}

void write_number(std::string& bytes, std::size_t at, std::uint64_t value, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) bytes[at + i] = static_cast<char>(value >> (8 * i));
}

// What a question answers: its value written out, or its error; nothing when HDF5's helper
// crashed or hung on the file (HDF5 then has no answer to compare with).
std::optional<std::string> outcome(const std::function<std::string()>& question) {
  try {
    return question();
  } catch (const FileError& error) {
    const std::string message = error.what();
    if (message.find("the process that reads it with HDF5") != std::string::npos) {
      return std::nullopt;
    }
    return "error: " + message;
  }
}

std::string joined(const std::vector<std::string>& strings) {
  std::string text;
  for (const std::string& string : strings) text += string + '\n';
  return text;
}

std::string values_of(const Tensor& values) {
  return Shape::of(values.shape()).to_string() +
         std::string(static_cast<const char*>(values.raw_data()), values.nbytes());
}

// Asks the file (catalog first, as the loaders do) and HDF5 alone (its helper) the loaders'
// questions about every group they can reach, and expects the same answers.
void expect_answers_like_hdf5(const std::string& bytes, const std::string& name) {
  const FileImage image = image_of(bytes);
  std::optional<File> file;
  std::optional<ReaderProcess> hdf5;
  const auto opened = outcome([&] { return (file.emplace(File::open_image(image, name)), ""); });
  const auto hdf5_opened = outcome([&] { return (hdf5.emplace(image, name), ""); });
  if (!opened || !hdf5_opened) return;
  ASSERT_EQ(*opened, *hdf5_opened) << name;
  if (!file) return;
  int questions = 0;
  const auto same = [&](const std::function<std::string()>& ours,
                        const std::function<std::string()>& theirs, const std::string& what) {
    ++questions;
    const auto expected = outcome(theirs);
    if (expected) {
      EXPECT_EQ(outcome(ours), expected) << name << ": " << what;
    }
  };
  std::function<void(const Group&, int)> walk = [&](const Group& group, int depth) {
    const std::string path = group.path();
    same([&] { return joined(group.children()); },
         [&] { return joined(hdf5->children(path, Order::name)); }, "children of " + path);
    for (const std::string& attribute : attribute_names) {
      same([&] { return joined(group.string_list_attribute(attribute)); },
           [&] { return joined(hdf5->string_list_attribute(path, attribute)); },
           attribute + " of " + path);
    }
    std::vector<std::string> children;
    try {
      children = group.children();
    } catch (const FileError&) {
      return;
    }
    for (const std::string& child : children) {
      if (questions > 400) return;
      same([&] { return std::to_string(group.has_group(child)); },
           [&] { return std::to_string(hdf5->has_group(path, child)); }, "group " + child);
      same([&] { return std::to_string(group.has_dataset(child)); },
           [&] { return std::to_string(hdf5->has_dataset(path, child)); }, "dataset " + child);
      same([&] { return values_of(group.read_float32(child)); },
           [&] { return values_of(hdf5->read_float32(path, child)); }, "values of " + child);
      if (depth < 8 && outcome([&] { return std::to_string(group.has_group(child)); }) == "1") {
        walk(group.group(child), depth + 1);
      }
    }
  };
  walk(file->root(), 0);
}

// Damaged copies of a real file, truncated (with the superblock's end-of-file address moved to
// match, or the parser would never see them) and with random bytes changed: wherever the
// catalog answers, it answers as HDF5 does, and it never reads outside the bytes it was given
// (the sanitizer build checks that).
TEST_F(Hdf5CatalogTest, AnswersDamagedFilesAsHdf5Does) {
  const std::string original = tiny_keras_file();
  std::mt19937 random(42);
  std::vector<std::string> damaged;
  for (std::size_t length = 96; length < original.size(); length += 211) {
    std::string truncated = original.substr(0, length);
    write_number(truncated, 40, length, 8);
    damaged.push_back(std::move(truncated));
  }
  for (int copy = 0; copy < 150; ++copy) {
    std::string bytes = original;
    for (int flip = 0; flip < 3; ++flip) {
      bytes[random() % 4096] = static_cast<char>(random());  // the metadata: the weights follow
    }
    damaged.push_back(std::move(bytes));
  }
  int catalogued = 0;
  for (std::size_t i = 0; i < damaged.size(); ++i) {
    const FileImage image = image_of(damaged[i]);
    if (!Catalog::read(bytes_of(image))) continue;
    ++catalogued;
    expect_answers_like_hdf5(damaged[i], "damaged copy " + std::to_string(i));
  }
  EXPECT_GT(catalogued, 20);
}

// Files HDF5 refuses or reads otherwise than a plain reading of their structures would.
TEST_F(Hdf5CatalogTest, LeavesToHdf5WhatHdf5ReadsOtherwise) {
  const std::string original = tiny_keras_file();
  ASSERT_TRUE(Catalog::read(bytes_of(image_of(original))).has_value());
  std::vector<std::pair<std::string, std::string>> files;

  std::string short_end = original;  // HDF5 reads nothing past the end-of-file address
  write_number(short_end, 40, original.size() - 200, 8);
  files.emplace_back("end of file before the last dataset", short_end);

  std::string swapped = original;  // HDF5 lists and searches a group in its B-tree's order
  std::size_t node = swapped.find("SNOD");
  while (node != std::string::npos && static_cast<unsigned char>(swapped[node + 6]) < 3) {
    node = swapped.find("SNOD", node + 4);
  }
  ASSERT_NE(node, std::string::npos);  // a node of three or more entries
  std::swap_ranges(swapped.begin() + static_cast<long>(node + 8),
                   swapped.begin() + static_cast<long>(node + 48),
                   swapped.begin() + static_cast<long>(node + 48));
  files.emplace_back("symbol node entries out of order", swapped);

  std::string small_nodes = original;  // symbol nodes hold at most twice the leaf K
  write_number(small_nodes, 16, 1, 2);
  files.emplace_back("leaf K of 1", small_nodes);

  std::string odd_type = original;  // a datatype class HDF5 does not know
  const std::string float32_type("\x11\x20\x1f\x00\x04\x00\x00\x00", 8);
  const std::size_t type = odd_type.find(float32_type);
  ASSERT_NE(type, std::string::npos);
  odd_type[type] = '\x1f';
  files.emplace_back("datatype class 15", odd_type);

  for (const auto& [what, bytes] : files) {
    EXPECT_FALSE(Catalog::read(bytes_of(image_of(bytes))).has_value()) << what;
    expect_answers_like_hdf5(bytes, what);
  }
}

}  // namespace
}  // namespace keras::io::hdf5
