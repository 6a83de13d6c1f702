// SPDX-License-Identifier: Apache-2.0
// Shared by the HDF5 tests: a temporary folder per test, the real Keras files, and small
// writers of (deliberately odd or broken) HDF5 objects through the C API.
#pragma once

#include "io/hdf5_file.h"
#include "io/hdf5_handle.h"
#include "keras/backend.h"
#include "support/golden_case.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

namespace keras::testing {

/// A fresh folder for each test, removed afterwards; clear_session for Keras's names.
class Hdf5TestFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    folder_ = std::filesystem::temp_directory_path() /
              ("keras_hdf5_test_" + std::to_string(::getpid()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  [[nodiscard]] std::string path(const std::string& name) const {
    return (folder_ / name).string();
  }

  /// A file written through the C API by `write(file_id)`, with file access list `access`.
  template <typename Write>
  std::string raw_file(const std::string& name, Write write, hid_t access = H5P_DEFAULT) {
    const std::string file_path = path(name);
    io::hdf5::silence_errors();
    const io::hdf5::Handle file(H5Fcreate(file_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access),
                                H5Fclose);
    EXPECT_TRUE(file.valid());
    write(file.get());
    return file_path;
  }

  std::filesystem::path folder_;
};

/// The folder of real Keras model files (../shared/data/keras-models).
inline std::filesystem::path keras_models_dir() {
  return golden_dir().parent_path() / "data" / "keras-models";
}

/// A dataset `name` in `parent` of file type `type` and shape `dims`, written from `data`
/// (memory type `memory_type`) unless `data` is null.
inline void raw_dataset(hid_t parent, const char* name, hid_t type, std::vector<hsize_t> dims,
                        hid_t memory_type = H5I_INVALID_HID, const void* data = nullptr,
                        hid_t create_list = H5P_DEFAULT) {
  const io::hdf5::Handle space(
      dims.empty() ? H5Screate(H5S_SCALAR)
                   : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
      H5Sclose);
  const io::hdf5::Handle dataset(
      H5Dcreate2(parent, name, type, space.get(), H5P_DEFAULT, create_list, H5P_DEFAULT), H5Dclose);
  ASSERT_TRUE(dataset.valid()) << name;
  if (data != nullptr) {
    ASSERT_GE(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), 0);
  }
}

/// An attribute `name` on `parent` of type `type` and shape `dims` ({} = scalar).
inline void raw_attribute(hid_t parent, const char* name, hid_t type, std::vector<hsize_t> dims,
                          const void* data) {
  const io::hdf5::Handle space(
      dims.empty() ? H5Screate(H5S_SCALAR)
                   : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
      H5Sclose);
  const io::hdf5::Handle attribute(
      H5Acreate2(parent, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  ASSERT_TRUE(attribute.valid()) << name;
  if (data != nullptr) {
    ASSERT_GE(H5Awrite(attribute.get(), type, data), 0);
  }
}

}  // namespace keras::testing
