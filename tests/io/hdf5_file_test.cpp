// SPDX-License-Identifier: Apache-2.0
#include "io/hdf5_file.h"

#include "hdf5_test_files.h"
#include "io/hdf5_reader_process.h"
#include "keras/error.h"
#include "support/expect_error.h"
#include "support/temp_folder.h"
#include "support/tensor_matchers.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>

namespace keras::io::hdf5 {
namespace {

using testing::all_close;
using testing::error_message;
using testing::raw_attribute;
using testing::raw_dataset;
using testing::read_bytes;

constexpr const char* vlen_config = R"({"class_name": "Sequential"})";

class Hdf5FileTest : public testing::Hdf5TestFolder {
 protected:
  std::string vlen_string_file();
  // Writes `bytes` over `file_path` and returns the error reading its model_config.
  std::string model_config_error(const std::string& file_path, const std::string& bytes);
  [[nodiscard]] std::string read_error(const std::string& file_path,
                                       const std::function<void(const Group&)>& action) {
    const File file = File::open_read(file_path);
    return error_message<FileError>([&] { action(file.root()); });
  }
};

TEST_F(Hdf5FileTest, NamesAMissingFile) {
  const std::string missing = path("missing.h5");
  EXPECT_EQ(error_message<FileError>([&] { (void)File::open_read(missing); }),
            "Cannot read HDF5 file '" + missing + "': the file does not exist");
  EXPECT_EQ(error_message<FileError>([&] { (void)File::open_read(missing, "shown.h5"); }),
            "Cannot read HDF5 file 'shown.h5': the file does not exist");
}

TEST_F(Hdf5FileTest, RejectsAFileThatIsNotHdf5) {
  std::ofstream(path("text.h5")) << "not an HDF5 file at all";
  EXPECT_EQ(error_message<FileError>([&] { (void)File::open_read(path("text.h5")); }),
            "Cannot read HDF5 file '" + path("text.h5") +
                "': it is not an HDF5 file (no HDF5 signature)");
  EXPECT_EQ(error_message<FileError>([&] { (void)File::open_read(folder_.string()); }),
            "Cannot read HDF5 file '" + folder_.string() + "': it is not a regular file");
}

TEST_F(Hdf5FileTest, RejectsATruncatedFile) {
  const std::vector<float> values(4096, 1.5f);
  const std::string file_path = raw_file("whole.h5", [&](hid_t file) {
    raw_dataset(file, "w", H5T_IEEE_F32LE, {4096}, H5T_NATIVE_FLOAT, values.data());
  });
  std::filesystem::resize_file(file_path, std::filesystem::file_size(file_path) / 2);
  EXPECT_EQ(error_message<FileError>([&] { (void)File::open_read(file_path); }),
            "Cannot read HDF5 file '" + file_path + "': the file is damaged or truncated");
}

TEST_F(Hdf5FileTest, ReadsADatasetOnlyWhenItIsAskedFor) {
  const std::vector<float> first(16384, 1.5f);
  const std::vector<float> second(16384, -2.0f);
  const std::string file_path = raw_file("two.h5", [&](hid_t file) {
    raw_dataset(file, "first", H5T_IEEE_F32LE, {16384}, H5T_NATIVE_FLOAT, first.data());
    raw_dataset(file, "second", H5T_IEEE_F32LE, {16384}, H5T_NATIVE_FLOAT, second.data());
  });
  const File file = File::open_read(file_path);
  EXPECT_LT(file.bytes_read(), 16384u);  // the structure: less than a page per object
  EXPECT_EQ(file.root().read_float32("second").to_vector(), second);
  EXPECT_GE(file.bytes_read(), 65536u);
  EXPECT_LT(file.bytes_read(), 65536u + 16384u);
  EXPECT_EQ(file.root().read_float32("first").to_vector(), first);
  EXPECT_FALSE(file.started_helper());
}

// HDF5's null string (a heap address of 0) is read as "" without reading anything.
TEST_F(Hdf5FileTest, ReadsAStringListWithANullStringWithoutTheRestOfTheFile) {
  const std::vector<float> values(262144, 1.5f);
  const std::string file_path = raw_file("null.h5", [&](hid_t file) {
    const Handle variable(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(variable.get(), H5T_VARIABLE);
    const std::vector<const char*> names{"a", nullptr, "b"};
    raw_attribute(file, "layer_names", variable.get(), {3}, names.data());
    raw_dataset(file, "w", H5T_IEEE_F32LE, {262144}, H5T_NATIVE_FLOAT, values.data());
  });
  const File file = File::open_read(file_path);
  EXPECT_EQ(file.root().string_list_attribute("layer_names"),
            (std::vector<std::string>{"a", "", "b"}));
  EXPECT_LT(file.bytes_read(), 65536u);
  EXPECT_FALSE(file.started_helper());
}

TEST_F(Hdf5FileTest, NamesAFileThatChangedWhileItIsOpen) {
  const std::vector<float> values(16384, 1.5f);
  const std::string file_path = raw_file("short.h5", [&](hid_t file) {
    raw_dataset(file, "w", H5T_IEEE_F32LE, {16384}, H5T_NATIVE_FLOAT, values.data());
  });
  const File file = File::open_read(file_path);
  std::filesystem::resize_file(file_path, std::filesystem::file_size(file_path) / 2);
  EXPECT_EQ(error_message<FileError>([&] { (void)file.root().read_float32("w"); }),
            "Cannot read HDF5 file '" + file_path + "': the file changed while it was read");
}

TEST_F(Hdf5FileTest, HandsStoredFloat32OutAsViewsOfTheFileImage) {
  const std::vector<float> values{1.5f, -2.0f, 3.25f, 4.0f, 5.0f, 6.0f};
  const std::vector<double> doubles{1.5, -2.0};
  const std::string file_path = raw_file("views.h5", [&](hid_t file) {
    raw_dataset(file, "f32", H5T_IEEE_F32LE, {2, 3}, H5T_NATIVE_FLOAT, values.data());
    raw_dataset(file, "f32be", H5T_IEEE_F32BE, {2, 3}, H5T_NATIVE_FLOAT, values.data());
    raw_dataset(file, "f64", H5T_IEEE_F64LE, {2}, H5T_NATIVE_DOUBLE, doubles.data());
  });
  const std::string bytes = read_bytes(file_path);
  FileImage image(bytes.size());
  std::memcpy(image.data(), bytes.data(), bytes.size());
  for (const bool in_helper : {true, false}) {
    SCOPED_TRACE(in_helper ? "in the helper process" : "in this process");
    const File file =
        in_helper ? File::open_image(image, "views.h5") : File::open_image_here(image, "views.h5");
    const Tensor stored = file.root().read_float32("f32");
    EXPECT_TRUE(image.offset_of(stored).has_value());  // no copy
    EXPECT_EQ(stored.shape(), (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(stored.to_vector(), values);
    // What HDF5 converts comes as a tensor of its own.
    const Tensor big_endian = file.root().read_float32("f32be");
    EXPECT_FALSE(image.offset_of(big_endian).has_value());
    EXPECT_EQ(big_endian.to_vector(), values);
    const Tensor converted = file.root().read_float32("f64");
    EXPECT_FALSE(image.offset_of(converted).has_value());
    EXPECT_EQ(converted.to_vector(), (std::vector<float>{1.5f, -2.0f}));
  }
}

TEST_F(Hdf5FileTest, NamesAnImageThatIsNotHdf5) {
  FileImage image(600);
  std::memset(image.data(), 'x', image.size());
  EXPECT_EQ(error_message<FileError>([&] { (void)File::open_image(image, "a.keras:w.h5"); }),
            "Cannot read HDF5 file 'a.keras:w.h5': it is not an HDF5 file (no HDF5 signature)");
}

TEST_F(Hdf5FileTest, NamesMissingGroupsAttributesAndDatasets) {
  const std::vector<float> values{1, 2};
  const std::string file_path = raw_file("f.h5", [&](hid_t file) {
    const Handle group(H5Gcreate2(file, "g", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    raw_dataset(group.get(), "d", H5T_IEEE_F32LE, {2}, H5T_NATIVE_FLOAT, values.data());
  });
  const std::string lead = "Cannot read HDF5 file '" + file_path + "': ";
  EXPECT_EQ(read_error(file_path, [](const Group& root) { (void)root.group("model_weights"); }),
            lead + "group '/' has no group 'model_weights'");
  EXPECT_EQ(read_error(file_path, [](const Group& root) { (void)root.group("g/d"); }),
            lead + "'/g/d' is a dataset, not a group");
  EXPECT_EQ(read_error(file_path, [](const Group& root) { (void)root.group("g").group("x/y"); }),
            lead + "group '/g' has no group 'x/y'");
  EXPECT_EQ(
      read_error(file_path, [](const Group& root) { (void)root.string_attribute("model_config"); }),
      lead + "group '/' has no attribute 'model_config'");
  EXPECT_EQ(read_error(file_path,
                       [](const Group& root) { (void)root.string_list_attribute("layer_names"); }),
            lead + "group '/' has no attribute 'layer_names'");
  EXPECT_EQ(read_error(file_path,
                       [](const Group& root) { (void)root.group("g").read_float32("kernel:0"); }),
            lead + "group '/g' has no dataset 'kernel:0'");
  EXPECT_EQ(read_error(file_path, [](const Group& root) { (void)root.read_float32("g"); }),
            lead + "'/g' is a group, not a dataset");
  const File file = File::open_read(file_path);
  EXPECT_TRUE(file.root().has_group("g"));
  EXPECT_TRUE(file.root().has_dataset("g/d"));
  EXPECT_FALSE(file.root().has_group("g/d"));
  EXPECT_FALSE(file.root().has_dataset("g//d"));
  EXPECT_FALSE(file.root().has_attribute("layer_names"));
  EXPECT_TRUE(
      all_close(file.root().read_float32("g/d"), Tensor::from_data(std::vector<float>{1, 2}, {2})));
}

TEST_F(Hdf5FileTest, ReadsFixedAndVariableLengthStrings) {
  const std::string file_path = raw_file("s.h5", [](hid_t file) {
    // NumPy `S` arrays: fixed length, null-padded (a name may fill its slot exactly).
    const Handle fixed(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(fixed.get(), 6);
    H5Tset_strpad(fixed.get(), H5T_STR_NULLPAD);
    raw_attribute(file, "layer_names", fixed.get(), {3}, "conv\0\0dense\0flat2d");
    // h5py's str: variable-length UTF-8, scalar and array.
    const Handle variable(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(variable.get(), H5T_VARIABLE);
    H5Tset_cset(variable.get(), H5T_CSET_UTF8);
    const char* config = R"({"class_name": "Sequential"})";
    raw_attribute(file, "model_config", variable.get(), {}, &config);
    const char* names[] = {"sequential/conv2d/kernel", "sequential/conv2d/bias"};
    raw_attribute(file, "weight_names", variable.get(), {2}, names);
    // A fixed-length scalar, space-padded, and an empty float64 array (h5py's `[]`).
    const Handle padded(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(padded.get(), 8);
    H5Tset_strpad(padded.get(), H5T_STR_SPACEPAD);
    raw_attribute(file, "backend", padded.get(), {}, "theano  ");
    raw_attribute(file, "empty", H5T_IEEE_F64LE, {0}, nullptr);
  });
  const File file = File::open_read(file_path);
  const Group& root = file.root();
  EXPECT_EQ(root.string_list_attribute("layer_names"),
            (std::vector<std::string>{"conv", "dense", "flat2d"}));
  EXPECT_EQ(root.string_attribute("model_config"), R"({"class_name": "Sequential"})");
  EXPECT_EQ(root.string_list_attribute("weight_names"),
            (std::vector<std::string>{"sequential/conv2d/kernel", "sequential/conv2d/bias"}));
  EXPECT_EQ(root.string_list_attribute("model_config"),
            (std::vector<std::string>{R"({"class_name": "Sequential"})"}));
  EXPECT_EQ(root.string_attribute("backend"), "theano");
  EXPECT_TRUE(root.string_list_attribute("empty").empty());
  EXPECT_EQ(error_message<FileError>([&] { (void)root.string_attribute("layer_names"); }),
            "Cannot read HDF5 file '" + file_path +
                "': attribute 'layer_names' of group '/' holds 3 strings, expected one");
}

// A file whose one attribute, model_config, is a variable-length string: its text lives in a
// global heap collection ("GCOL"), and the attribute holds a descriptor pointing there. The tests
// below damage one or the other.
std::string Hdf5FileTest::vlen_string_file() {
  return raw_file("heap.h5", [](hid_t file) {
    const Handle variable(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(variable.get(), H5T_VARIABLE);
    raw_attribute(file, "model_config", variable.get(), {}, &vlen_config);
  });
}

std::string Hdf5FileTest::model_config_error(const std::string& file_path,
                                             const std::string& bytes) {
  std::ofstream(file_path, std::ios::binary | std::ios::trunc) << bytes;
  const File file = File::open_read(file_path);
  return error_message<FileError>([&] { (void)file.root().string_attribute("model_config"); });
}

// Where the descriptor of model_config (length, heap address, index 1) sits in `bytes`.
std::size_t descriptor_offset(const std::string& bytes, std::size_t heap) {
  std::string descriptor;
  const auto append = [&](std::uint64_t value, int size) {
    for (int i = 0; i < size; ++i) descriptor.push_back(static_cast<char>(value >> (8 * i)));
  };
  append(std::strlen(vlen_config), 4);
  append(heap, 8);
  append(1, 4);
  return bytes.find(descriptor);
}

void put_little_endian(std::string& bytes, std::size_t at, std::uint64_t value, int size) {
  for (int i = 0; i < size; ++i) bytes[at + i] = static_cast<char>(value >> (8 * i));
}

// The fuzzer's find: a global heap whose object list holds a free-space entry of size 0 made
// HDF5 1.10's H5Aread loop forever. Here the first object's header of the heap is zeroed.
TEST_F(Hdf5FileTest, RejectsAGlobalHeapThatHdf5WouldReadForever) {
  const std::string file_path = vlen_string_file();
  std::string bytes = read_bytes(file_path);
  const std::size_t heap = bytes.find("GCOL");
  ASSERT_NE(heap, std::string::npos);
  constexpr std::size_t collection_header = 16;
  constexpr std::size_t object_header = 16;
  std::fill_n(bytes.begin() + static_cast<long>(heap + collection_header), object_header, '\0');
  EXPECT_EQ(model_config_error(file_path, bytes),
            fmt::format("Cannot read HDF5 file '{}': attribute 'model_config' of group '/' cannot "
                        "be read: the global heap at byte {} (where variable-length strings are "
                        "kept) is damaged: it lists a free-space object of size 0",
                        file_path, heap));
}

// The long fuzz run's find: an object whose size runs past its collection made H5HG_read copy
// from beyond the heap. Here the first object (the string) claims 16 MiB.
TEST_F(Hdf5FileTest, RejectsAGlobalHeapObjectLargerThanItsHeap) {
  const std::string file_path = vlen_string_file();
  std::string bytes = read_bytes(file_path);
  const std::size_t heap = bytes.find("GCOL");
  ASSERT_NE(heap, std::string::npos);
  constexpr std::size_t first_object_size = 16 + 8;  // collection header, then index..reserved
  put_little_endian(bytes, heap + first_object_size, std::uint64_t{1} << 24, 8);
  const std::string message = model_config_error(file_path, bytes);
  EXPECT_EQ(message.rfind(fmt::format("Cannot read HDF5 file '{}': attribute 'model_config' of "
                                      "group '/' cannot be read: the global heap at byte {} "
                                      "(where variable-length strings are kept) is damaged: its "
                                      "object 1 claims 16777216 bytes, more than the ",
                                      file_path, heap),
                          0),
            0U)
      << message;
}

// The fuzzer's 8 GB find: a descriptor claiming a string of gigabytes made HDF5 allocate and
// copy that much before the loader saw it.
TEST_F(Hdf5FileTest, RejectsAStringLongerThanItsHeapObject) {
  const std::string file_path = vlen_string_file();
  std::string bytes = read_bytes(file_path);
  const std::size_t descriptor = descriptor_offset(bytes, bytes.find("GCOL"));
  ASSERT_NE(descriptor, std::string::npos);
  put_little_endian(bytes, descriptor, 0xF9000000, 4);
  EXPECT_EQ(model_config_error(file_path, bytes),
            fmt::format("Cannot read HDF5 file '{}': attribute 'model_config' of group '/' claims "
                        "a string of 4177526784 bytes, but its heap object holds {}",
                        file_path, std::strlen(vlen_config)));
}

// The fuzzer's wild-copy find: an index the heap does not list made H5HG_read copy from an
// entry past the end of its object table.
TEST_F(Hdf5FileTest, RejectsAStringInAnObjectItsHeapDoesNotHold) {
  const std::string file_path = vlen_string_file();
  std::string bytes = read_bytes(file_path);
  const std::size_t heap = bytes.find("GCOL");
  const std::size_t descriptor = descriptor_offset(bytes, heap);
  ASSERT_NE(descriptor, std::string::npos);
  put_little_endian(bytes, descriptor + 12, 4095, 4);
  EXPECT_EQ(model_config_error(file_path, bytes),
            fmt::format("Cannot read HDF5 file '{}': attribute 'model_config' of group '/' cannot "
                        "be read: the global heap at byte {} holds no object 4095",
                        file_path, heap));
}

TEST_F(Hdf5FileTest, RejectsAStringPointingWhereNoHeapIs) {
  const std::string file_path = vlen_string_file();
  std::string bytes = read_bytes(file_path);
  const std::size_t descriptor = descriptor_offset(bytes, bytes.find("GCOL"));
  ASSERT_NE(descriptor, std::string::npos);
  put_little_endian(bytes, descriptor + 4, 8, 8);
  EXPECT_EQ(model_config_error(file_path, bytes),
            fmt::format("Cannot read HDF5 file '{}': attribute 'model_config' of group '/' cannot "
                        "be read: there is no global heap at byte 8",
                        file_path));
  put_little_endian(bytes, descriptor + 4, std::uint64_t{1} << 40, 8);
  EXPECT_EQ(model_config_error(file_path, bytes),
            fmt::format("Cannot read HDF5 file '{}': attribute 'model_config' of group '/' cannot "
                        "be read: there is no global heap at byte 1099511627776",
                        file_path));
}

// HDF5 writes a null string as a descriptor without a heap object.
TEST_F(Hdf5FileTest, ReadsNullAndEmptyVariableLengthStringsAsEmpty) {
  const std::string file_path = raw_file("null.h5", [](hid_t file) {
    const Handle variable(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(variable.get(), H5T_VARIABLE);
    const char* names[] = {"dense", "", nullptr};
    raw_attribute(file, "layer_names", variable.get(), {3}, names);
  });
  const File file = File::open_read(file_path);
  EXPECT_EQ(file.root().string_list_attribute("layer_names"),
            (std::vector<std::string>{"dense", "", ""}));
}

// The strings are read from the file's bytes, so a file still open for writing is flushed first.
// HDF5 reads in a helper process; one that does not answer in time becomes a FileError. No
// helper reads and sends 32 MiB within 1 ms (and if the open itself takes longer, the
// message is the same).
TEST_F(Hdf5FileTest, GivesUpOnAReaderThatTakesTooLong) {
  // float64, which HDF5 converts: float32 would come back as a view, in no time.
  const std::vector<double> zeros(std::size_t{8} << 20);
  const std::string file_path = raw_file("big.h5", [&](hid_t file) {
    raw_dataset(file, "big", H5T_IEEE_F64LE, {zeros.size()}, H5T_NATIVE_DOUBLE, zeros.data());
  });
  ReaderProcess::set_reply_timeout(std::chrono::milliseconds(1));
  const std::string message = error_message<FileError>(
      [&] { (void)File::open_read(file_path).root().read_float32("big"); });
  ReaderProcess::set_reply_timeout(std::chrono::seconds(60));
  EXPECT_EQ(message, "Cannot read HDF5 file '" + file_path +
                         "': the process that reads it with HDF5 did not answer within 0.001 s; "
                         "the file is damaged");
  EXPECT_EQ(File::open_read(file_path).root().read_float32("big").size(), std::int64_t{8} << 20);
}

TEST_F(Hdf5FileTest, ReadsBackAStringWrittenToAnOpenFile) {
  const File file = File::create(path("open.h5"));
  file.root().write_string_attribute("backend", "tensorflow");
  EXPECT_EQ(file.root().string_attribute("backend"), "tensorflow");
}

TEST_F(Hdf5FileTest, RejectsAttributesThatAreNotStrings) {
  const std::string file_path = raw_file("n.h5", [](hid_t file) {
    const std::int32_t numbers[] = {1, 2};
    raw_attribute(file, "layer_names", H5T_STD_I32LE, {2}, numbers);
    const std::int32_t grid[] = {1, 2, 3, 4};
    raw_attribute(file, "grid", H5T_STD_I32LE, {2, 2}, grid);
  });
  const std::string lead = "Cannot read HDF5 file '" + file_path + "': ";
  EXPECT_EQ(read_error(file_path,
                       [](const Group& root) { (void)root.string_list_attribute("layer_names"); }),
            lead + "attribute 'layer_names' of group '/' holds int32 values, not strings");
  EXPECT_EQ(
      read_error(file_path, [](const Group& root) { (void)root.string_list_attribute("grid"); }),
      lead + "attribute 'grid' of group '/' is not a list of strings");
}

TEST_F(Hdf5FileTest, WritesAndReadsChunkedStringLists) {
  // 1200 names of 100 bytes: 120,000 bytes, more than one object header takes.
  std::vector<std::string> names;
  for (int i = 0; i < 1200; ++i) names.push_back(fmt::format("{:0>100}", i));
  {
    File file = File::create(path("c.h5"));
    file.root().write_string_list_attribute("layer_names", names);
    file.root().write_string_list_attribute("weight_names", {});
    file.root().write_string_attribute("keras_version", "2.15.0");
    EXPECT_EQ(error_message<FileError>([&] {
                file.root().write_string_list_attribute("long", {std::string(64513, 'x')});
              }),
              "Cannot write HDF5 file '" + path("c.h5") +
                  "': attribute 'long' of group '/' has a string longer than 64512 bytes");
    file.close();
  }
  // Read here, not in the helper process: the test looks at the raw attributes.
  const File file = File::open_read_here(path("c.h5"));
  EXPECT_TRUE(file.root().has_attribute("layer_names"));
  EXPECT_GT(H5Aexists(file.root().id(), "layer_names1"), 0);
  EXPECT_LE(H5Aexists(file.root().id(), "layer_names"), 0);
  EXPECT_EQ(file.root().string_list_attribute("layer_names"), names);
  EXPECT_TRUE(file.root().string_list_attribute("weight_names").empty());
  EXPECT_EQ(file.root().string_attribute("keras_version"), "2.15.0");
}

TEST_F(Hdf5FileTest, ConvertsFloat64AndFloat16) {
  const std::vector<double> doubles{0.5, -1.25, 3.0};
  const std::vector<float> floats{0.5f, -2.0f, 1.5f, 65504.0f};
  const std::string file_path = raw_file("f.h5", [&](hid_t file) {
    raw_dataset(file, "f64", H5T_IEEE_F64LE, {3}, H5T_NATIVE_DOUBLE, doubles.data());
    // NumPy's float16 as h5py stores it: IEEE half precision, little-endian.
    const Handle half(H5Tcopy(H5T_IEEE_F32LE), H5Tclose);
    H5Tset_fields(half.get(), 15, 10, 5, 0, 10);
    H5Tset_size(half.get(), 2);
    H5Tset_ebias(half.get(), 15);
    raw_dataset(file, "f16", half.get(), {2, 2}, H5T_NATIVE_FLOAT, floats.data());
    const double scalar = 7.0;
    raw_dataset(file, "scalar", H5T_IEEE_F64LE, {}, H5T_NATIVE_DOUBLE, &scalar);
  });
  const File file = File::open_read(file_path);
  EXPECT_EQ(file.root().dataset_dtype("f64"), "float64");
  EXPECT_EQ(file.root().dataset_dtype("f16"), "float16");
  EXPECT_TRUE(all_close(file.root().read_float32("f64"),
                        Tensor::from_data(std::vector<float>{0.5f, -1.25f, 3.0f}, {3})));
  EXPECT_TRUE(all_close(file.root().read_float32("f16"), Tensor::from_data(floats, {2, 2})));
  const Tensor scalar = file.root().read_float32("scalar");
  EXPECT_EQ(scalar.rank(), 0);
  EXPECT_EQ(scalar.data<float>()[0], 7.0f);
}

TEST_F(Hdf5FileTest, WidensBfloat16MarkedByItsAttribute) {
  // 1.0, -2.0 and 0.15625 in bfloat16: the top halves of their float32 bits.
  const std::uint16_t bits[] = {0x3F80, 0xC000, 0x3E20};
  const std::string file_path = raw_file("b.h5", [&](hid_t file) {
    const Handle opaque(H5Tcreate(H5T_OPAQUE, 2), H5Tclose);
    raw_dataset(file, "w", opaque.get(), {3}, opaque.get(), bits);
    const Handle dataset(H5Dopen2(file, "w", H5P_DEFAULT), H5Dclose);
    const Handle text(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(text.get(), 8);
    raw_attribute(dataset.get(), "dtype", text.get(), {}, "bfloat16");
    // Keras 3 through h5py: a variable-length str.
    raw_dataset(file, "v", opaque.get(), {3}, opaque.get(), bits);
    const Handle vlen_dataset(H5Dopen2(file, "v", H5P_DEFAULT), H5Dclose);
    const Handle variable(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(variable.get(), H5T_VARIABLE);
    const char* name = "bfloat16";
    raw_attribute(vlen_dataset.get(), "dtype", variable.get(), {}, &name);
  });
  const File file = File::open_read(file_path);
  EXPECT_EQ(file.root().dataset_dtype("w"), "bfloat16");
  EXPECT_EQ(file.root().dataset_dtype("v"), "bfloat16");
  EXPECT_TRUE(all_close(file.root().read_float32("w"),
                        Tensor::from_data(std::vector<float>{1.0f, -2.0f, 0.15625f}, {3})));
}

TEST_F(Hdf5FileTest, RejectsDatasetsOfTheWrongType) {
  const std::string file_path = raw_file("i.h5", [](hid_t file) {
    const std::int32_t values[] = {1, 2, 3};
    raw_dataset(file, "ints", H5T_STD_I32LE, {3}, H5T_NATIVE_INT32, values);
    const Handle text(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(text.get(), 4);
    raw_dataset(file, "text", text.get(), {1}, text.get(), "abcd");
  });
  const std::string lead = "Cannot read HDF5 file '" + file_path + "': ";
  EXPECT_EQ(read_error(file_path, [](const Group& root) { (void)root.read_float32("ints"); }),
            lead +
                "dataset '/ints' holds int32 values; weights must be float32, float64, "
                "float16 or bfloat16");
  EXPECT_EQ(read_error(file_path, [](const Group& root) { (void)root.read_float32("text"); }),
            lead +
                "dataset '/text' holds string values; weights must be float32, float64, "
                "float16 or bfloat16");
}

// Keras's optimizer keeps its step count as an int64 scalar (int32 on JAX); the catalog reads
// little-endian integers, HDF5 (in the helper, or here) any other of one value.
TEST_F(Hdf5FileTest, ReadsAnIntegerOfOneValueAndNamesWhatIsNotOne) {
  const std::string file_path = raw_file("steps.h5", [](hid_t file) {
    const std::int64_t step = 1234567890123;
    raw_dataset(file, "iteration", H5T_STD_I64LE, {}, H5T_NATIVE_INT64, &step);
    const std::int32_t small = -7;
    raw_dataset(file, "int32", H5T_STD_I32BE, {1}, H5T_NATIVE_INT32, &small);
    raw_dataset(file, "jax", H5T_STD_I32LE, {}, H5T_NATIVE_INT32, &small);
    const std::uint8_t byte = 200;
    raw_dataset(file, "byte", H5T_STD_U8LE, {1, 1}, H5T_NATIVE_UINT8, &byte);
    const std::int64_t two[] = {1, 2};
    raw_dataset(file, "two", H5T_STD_I64LE, {2}, H5T_NATIVE_INT64, two);
    const float value = 1.0f;
    raw_dataset(file, "float", H5T_IEEE_F32LE, {}, H5T_NATIVE_FLOAT, &value);
  });
  const File file = File::open_read(file_path);
  EXPECT_EQ(file.root().read_int64_scalar("iteration"), 1234567890123);
  EXPECT_EQ(file.root().read_int64_scalar("jax"), -7);
  EXPECT_EQ(file.root().read_int64_scalar("byte"), 200);
  EXPECT_FALSE(file.started_helper());
  EXPECT_EQ(file.root().read_int64_scalar("int32"), -7);
  EXPECT_TRUE(file.started_helper());
  EXPECT_EQ(File::open_read_here(file_path).root().read_int64_scalar("int32"), -7);
  const std::string lead = "Cannot read HDF5 file '" + file_path + "': ";
  EXPECT_EQ(read_error(file_path, [](const Group& root) { (void)root.read_int64_scalar("two"); }),
            lead + "dataset '/two' holds 2 values, not one");
  EXPECT_EQ(read_error(file_path, [](const Group& root) { (void)root.read_int64_scalar("float"); }),
            lead + "dataset '/float' holds float32 values, not integers");
  EXPECT_EQ(
      read_error(file_path, [](const Group& root) { (void)root.read_int64_scalar("missing"); }),
      lead + "group '/' has no dataset 'missing'");
}

TEST_F(Hdf5FileTest, ChecksAbsurdShapesBeforeAllocating) {
  const std::string file_path = raw_file("huge.h5", [](hid_t file) {
    // Chunked datasets allocate nothing until written, so a file this small can declare them.
    const Handle chunked(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    const hsize_t chunk[] = {1, 1};
    H5Pset_chunk(chunked.get(), 2, chunk);
    raw_dataset(file, "huge", H5T_IEEE_F32LE, {hsize_t{1} << 31, hsize_t{1} << 31}, H5I_INVALID_HID,
                nullptr, chunked.get());
    const Handle chunked3(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    const hsize_t chunk3[] = {1, 1, 1};
    H5Pset_chunk(chunked3.get(), 3, chunk3);
    raw_dataset(file, "overflow", H5T_IEEE_F32LE,
                {hsize_t{1} << 30, hsize_t{1} << 30, hsize_t{1} << 30}, H5I_INVALID_HID, nullptr,
                chunked3.get());
    // A contiguous dataset never written: its data is not in the file.
    raw_dataset(file, "unwritten", H5T_IEEE_F32LE, {1000, 1000});
  });
  const std::string lead = "Cannot read HDF5 file '" + file_path + "': ";
  EXPECT_EQ(read_error(file_path, [](const Group& root) { (void)root.read_float32("huge"); }),
            lead +
                "dataset '/huge' has shape (2147483648, 2147483648), more than the "
                "4294967296 elements kerascpp reads");
  EXPECT_EQ(read_error(file_path, [](const Group& root) { (void)root.read_float32("overflow"); }),
            lead +
                "dataset '/overflow' has shape (1073741824, 1073741824, 1073741824), more "
                "than the 4294967296 elements kerascpp reads");
  EXPECT_EQ(read_error(file_path, [](const Group& root) { (void)root.read_float32("unwritten"); }),
            lead +
                "dataset '/unwritten' of shape (1000, 1000) needs 4000000 bytes of data, "
                "which the file does not hold (it is truncated or damaged)");
}

TEST_F(Hdf5FileTest, ListsChildrenInCreationOrderWhenTracked) {
  const std::string file_path = raw_file("o.h5", [](hid_t file) {
    const Handle tracked(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
    H5Pset_link_creation_order(tracked.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    const Handle ordered(H5Gcreate2(file, "ordered", H5P_DEFAULT, tracked.get(), H5P_DEFAULT),
                         H5Gclose);
    const Handle plain(H5Gcreate2(file, "plain", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    for (const hid_t group : {ordered.get(), plain.get()}) {
      for (const char* name : {"dense", "conv2d_1", "conv2d"}) {
        H5Gclose(H5Gcreate2(group, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
      }
    }
  });
  const File file = File::open_read(file_path);
  const std::vector<std::string> by_name{"conv2d", "conv2d_1", "dense"};
  EXPECT_EQ(file.root().group("ordered").children(Order::creation),
            (std::vector<std::string>{"dense", "conv2d_1", "conv2d"}));
  EXPECT_EQ(file.root().group("ordered").children(Order::name), by_name);
  EXPECT_EQ(file.root().group("plain").children(Order::creation), by_name);
  EXPECT_EQ(file.root().group("plain").children(), by_name);
  EXPECT_EQ(file.root().children(), (std::vector<std::string>{"ordered", "plain"}));
}

TEST_F(Hdf5FileTest, WritesFloat32DatasetsAndInt64Scalars) {
  const Tensor kernel = Tensor::from_data(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3});
  {
    File file = File::create(path("w.h5"));
    const Group vars = file.root().create_group("layers").create_group("dense");
    vars.write_float32("kernel:0", kernel.transpose(0, 1));  // a strided view
    vars.write_float32("nested/bias:0", Tensor::zeros({3}));
    vars.write_float32("scalar", Tensor::full({}, 2.5));
    vars.write_int64_scalar("iteration", 1234567890123);
    EXPECT_EQ(error_message<FileError>(
                  [&] { vars.write_float32("labels", Tensor::zeros({2}, DType::int32)); }),
              "Cannot write HDF5 file '" + path("w.h5") +
                  "': dataset '/layers/dense/labels' must be float32, got int32");
    EXPECT_EQ(error_message<FileError>([&] { (void)file.root().create_group("layers"); }),
              "Cannot write HDF5 file '" + path("w.h5") + "': group '/layers' cannot be created");
    file.close();
  }
  const File file = File::open_read_here(path("w.h5"));  // the test reads a raw dataset
  const Group dense = file.root().group("layers/dense");
  EXPECT_EQ(dense.path(), "/layers/dense");
  EXPECT_TRUE(all_close(dense.read_float32("kernel:0"), kernel.transpose(0, 1).contiguous()));
  EXPECT_TRUE(all_close(dense.read_float32("nested/bias:0"), Tensor::zeros({3})));
  EXPECT_EQ(dense.read_float32("scalar").data<float>()[0], 2.5f);
  EXPECT_EQ(dense.dataset_dtype("iteration"), "int64");
  std::int64_t iteration = 0;
  const Handle dataset(H5Dopen2(dense.id(), "iteration", H5P_DEFAULT), H5Dclose);
  ASSERT_GE(H5Dread(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &iteration), 0);
  EXPECT_EQ(iteration, 1234567890123);
}

// A loader may then use their bytes in the file's image as variables (io/weight_assignments.h).
TEST_F(Hdf5FileTest, WritesDatasetsOf1KiBAndMoreOnA64ByteBoundary) {
  {
    File file = File::create(path("aligned.h5"));
    for (const char* name : {"a", "b", "c"}) {
      file.root().write_float32(name, Tensor::ones({3}));  // 12 bytes: left where it falls
      file.root().write_float32(std::string(name) + "_kernel", Tensor::ones({257}));  // 1028
    }
    file.close();
  }
  const File file = File::open_read_here(path("aligned.h5"));
  for (const char* name : {"a_kernel", "b_kernel", "c_kernel"}) {
    const Handle dataset(H5Dopen2(file.root().id(), name, H5P_DEFAULT), H5Dclose);
    const haddr_t offset = H5Dget_offset(dataset.get());
    ASSERT_NE(offset, HADDR_UNDEF) << name;
    EXPECT_EQ(offset % 64, 0U) << name;
  }
}

TEST_F(Hdf5FileTest, NamesAFileThatCannotBeCreated) {
  const std::string file_path = path("no/such/folder/w.h5");
  EXPECT_EQ(error_message<FileError>([&] { (void)File::create(file_path); }),
            "Cannot write HDF5 file '" + file_path + "': the file cannot be created");
}

}  // namespace
}  // namespace keras::io::hdf5
