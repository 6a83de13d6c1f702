// SPDX-License-Identifier: Apache-2.0
#include "io/keras_archive.h"

#include "io/hdf5_file.h"
#include "io/zip_archive.h"
#include "keras/backend.h"
#include "keras/error.h"
#include "keras/layers/conv2d.h"
#include "keras/layers/dense.h"
#include "keras/layers/dropout.h"
#include "keras/layers/flatten.h"
#include "keras/layers/input_layer.h"
#include "keras/layers/max_pooling2d.h"
#include "keras/metrics/sparse_categorical_accuracy.h"
#include "keras/optimizers/adam.h"
#include "keras/utils/npy.h"
#include "keras/utils/random.h"
#include "support/expect_error.h"
#include "support/golden_case.h"
#include "support/models.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>

namespace keras::io {
namespace {

namespace fs = std::filesystem;
using testing::all_close;
using testing::error_message;
using testing::mnist_convnet;

fs::path real_model_dir() {
  return testing::golden_dir().parent_path() / "data" / "keras-models" / "mnist_mlp_keras310_zip";
}

std::string read_bytes(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// The architecture of the real mnist_mlp_keras310_zip model.
Sequential mnist_mlp() {
  Sequential model;
  model.add(Input({.shape = {28, 28}}));
  model.add(layers::Flatten());
  model.add(layers::Dense({.units = 128, .activation = "relu"}));
  model.add(layers::Dense({.units = 10, .activation = "softmax"}));
  return model;
}

// A layer no registry knows, so that serialising a model holding it fails mid-save.
class Unsaveable final : public layers::Layer {
 public:
  Unsaveable() : Layer("Unsaveable", {}) {}
  [[nodiscard]] std::string_view class_name() const override { return "Unsaveable"; }
  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override {
    return input_shape;
  }
  [[nodiscard]] Tensor call(const Tensor& inputs, bool) override { return inputs; }
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override { return grad_outputs; }
};

// Each HDF5 object of a weights file: "group" or "<dtype> <shape>", by path.
void list_objects(const hdf5::Group& group, const std::string& prefix,
                  std::map<std::string, std::string>& objects) {
  for (const std::string& name : group.children(hdf5::Order::name)) {
    const std::string path = prefix + "/" + name;
    if (path == "/optimizer") continue;  // the real model was trained; ours is not compiled
    if (group.has_group(name)) {
      objects[path] = "group";
      list_objects(group.group(name), path, objects);
    } else {
      std::string description = group.dataset_dtype(name);
      const Tensor values = group.read_float32(name);
      for (const std::int64_t size : values.shape()) {
        description += " " + std::to_string(size);
      }
      objects[path] = description;
    }
  }
}

std::set<std::string> keys_of(const Json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

class KerasArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    utils::set_random_seed(5);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / (std::string("kerascpp_keras_archive_") + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  [[nodiscard]] std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // A copy of the real model.keras with config.json replaced by `config` (nullopt: left
  // out) and its weights member named `weights_name` (empty: left out).
  [[nodiscard]] std::string variant(const std::string& name,
                                    const std::optional<std::string>& config,
                                    const std::string& weights_name = "model.weights.h5") const {
    const ZipReader real((real_model_dir() / "model.keras").string());
    const std::string out = path(name);
    ZipWriter writer(out);
    writer.add_bytes("metadata.json", real.read("metadata.json", 1 << 20));
    if (config) writer.add_bytes("config.json", *config);
    if (!weights_name.empty()) {
      writer.add_bytes(weights_name, real.read("model.weights.h5", 1 << 24));
    }
    writer.close();
    return out;
  }

  [[nodiscard]] std::string real_config() const {
    return ZipReader((real_model_dir() / "model.keras").string()).read("config.json", 1 << 20);
  }

  fs::path dir_;
};

TEST_F(KerasArchiveTest, LoadsTheRealKeras310Model) {
  const fs::path dir = real_model_dir();
  Sequential model = load_keras_archive((dir / "model.keras").string());
  EXPECT_EQ(model.count_params(), 101770);
  const Tensor input = utils::load_npy((dir / "input.npy").string());
  EXPECT_TRUE(all_close(model.predict(input), utils::load_npy((dir / "expected.npy").string()),
                        1e-4, 1e-4));
  const Tensor digits = utils::load_npy((dir / "mnist16_input.npy").string());
  EXPECT_TRUE(all_close(model.predict(digits),
                        utils::load_npy((dir / "mnist16_expected.npy").string()), 1e-4, 1e-4));
}

TEST_F(KerasArchiveTest, ToleratesKeras3ConfigVariations) {
  Json config = Json::parse(real_config());
  // Keras 3.0.x: module paths and registered names; early 3.x: dtype strings.
  config["module"] = "keras.src.models.sequential";
  config["registered_name"] = "Sequential";
  config["config"]["dtype"] = "float32";
  for (Json& layer : config["config"]["layers"]) {
    layer["module"] = "keras.src.layers";
    layer["registered_name"] = layer["class_name"];
    if (layer["config"].contains("dtype")) layer["config"]["dtype"] = "float32";
  }
  config["compile_config"]["optimizer"] = "adam";
  config["compile_config"]["loss"] = {{"module", "builtins"},
                                      {"class_name", "function"},
                                      {"config", "binary_crossentropy"},
                                      {"registered_name", "function"}};
  Sequential model = load_keras_archive(variant("variant.keras", config.dump()));
  const fs::path dir = real_model_dir();
  EXPECT_TRUE(all_close(model.predict(utils::load_npy((dir / "input.npy").string())),
                        utils::load_npy((dir / "expected.npy").string()), 1e-4, 1e-4));
}

TEST_F(KerasArchiveTest, RoundTripsTheMnistConvnetBitForBit) {
  Sequential original = mnist_convnet();
  const std::string file = path("convnet.keras");
  save_keras_archive(original, file);
  Sequential copy = load_keras_archive(file);
  EXPECT_EQ(copy.to_json(), original.to_json());
  const Tensor x = Tensor::uniform({5, 28, 28, 1}, 0.0f, 1.0f, 7);
  EXPECT_TRUE(all_close(copy.predict(x), original.predict(x)));
  // Weights alone into a fresh model of the same architecture.
  Sequential fresh = mnist_convnet();
  load_keras_archive_weights(file, fresh);
  EXPECT_TRUE(all_close(fresh.predict(x), original.predict(x)));
}

TEST_F(KerasArchiveTest, WritesWhatKerasWrites) {
  const std::string ours = path("mlp.keras");
  save_keras_archive(mnist_mlp(), ours);
  const ZipReader mine(ours);
  const ZipReader real((real_model_dir() / "model.keras").string());
  EXPECT_EQ(mine.member_names(), real.member_names());

  // metadata.json: the keys and formats of Keras's json.dumps.
  EXPECT_TRUE(std::regex_match(
      mine.read("metadata.json", 1024),
      std::regex(
          R"(\{"keras_version": "3\.10\.0", "date_saved": "\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d"\})")));

  // config.json: Python's separators, and the key sets at the top and per layer.
  const std::string text = mine.read("config.json", 1 << 20);
  EXPECT_TRUE(text.starts_with(R"({"module": "keras", "class_name": "Sequential", "config": {)"))
      << text.substr(0, 80);
  const Json config = Json::parse(text);
  Json expected = Json::parse(real.read("config.json", 1 << 20));
  expected.erase("compile_config");  // written only for a compiled model
  EXPECT_EQ(keys_of(config), keys_of(expected));
  EXPECT_EQ(keys_of(config["config"]), keys_of(expected["config"]));
  const Json& layers = config["config"]["layers"];
  const Json& expected_layers = expected["config"]["layers"];
  ASSERT_EQ(layers.size(), expected_layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    SCOPED_TRACE(expected_layers[i]["class_name"].get<std::string>());
    EXPECT_EQ(keys_of(layers[i]), keys_of(expected_layers[i]));
    EXPECT_EQ(keys_of(layers[i]["config"]), keys_of(expected_layers[i]["config"]));
    EXPECT_EQ(layers[i]["config"]["name"], expected_layers[i]["config"]["name"]);
  }

  // model.weights.h5: the same groups and datasets, dtypes and shapes.
  const auto objects_of = [&](const ZipReader& archive) {
    std::map<std::string, std::string> objects;
    list_objects(
        hdf5::File::open_image(archive.read_image("model.weights.h5", UINT64_MAX), archive.path())
            .root(),
        "", objects);
    return objects;
  };
  EXPECT_EQ(objects_of(mine), objects_of(real));
}

// A compiled model is saved with Keras's compile_config, and loads compiled again (its
// optimizer's state: tests/io/optimizer_state_test.cpp).
TEST_F(KerasArchiveTest, WritesTheCompileConfigKerasWritesAndReadsItBack) {
  Sequential model = mnist_mlp();
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.003}),
                 .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy", metrics::SparseCategoricalAccuracy()}});
  const std::string ours = path("compiled.keras");
  save_keras_archive(model, ours);
  const Json config = Json::parse(ZipReader(ours).read("config.json", 1 << 20));
  const Json expected = Json::parse(
      ZipReader((real_model_dir() / "model.keras").string()).read("config.json", 1 << 20));
  // Keys in Keras's order.
  const auto keys_in_order = [](const Json& object) {
    std::vector<std::string> keys;
    for (const auto& item : object.items()) keys.push_back(item.key());
    return keys;
  };
  EXPECT_EQ(keys_in_order(config), keys_in_order(expected));
  const Json& compile_config = config["compile_config"];
  const Json& expected_compile = expected["compile_config"];
  EXPECT_EQ(keys_in_order(compile_config), keys_in_order(expected_compile));
  EXPECT_EQ(keys_in_order(compile_config["optimizer"]),
            keys_in_order(expected_compile["optimizer"]));
  EXPECT_EQ(keys_in_order(compile_config["optimizer"]["config"]),
            keys_in_order(expected_compile["optimizer"]["config"]));
  EXPECT_EQ(compile_config["metrics"][0], "accuracy");
  EXPECT_EQ(compile_config["metrics"][1]["class_name"], "SparseCategoricalAccuracy");
  EXPECT_EQ(compile_config["loss"]["class_name"], "SparseCategoricalCrossentropy");

  const Sequential loaded = load_keras_archive(ours);
  ASSERT_TRUE(loaded.compiled());
  EXPECT_EQ(loaded.optimizer().class_name(), "Adam");
  EXPECT_DOUBLE_EQ(loaded.optimizer().learning_rate(), 0.003);
  EXPECT_EQ(loaded.loss().class_name(), "SparseCategoricalCrossentropy");
  Sequential trained = load_keras_archive(ours);
  const Tensor labels = Tensor::from_data(std::span<const std::int32_t>(std::vector{3}), {1});
  const callbacks::Logs logs = trained.train_on_batch(Tensor::zeros({1, 28, 28}), labels);
  EXPECT_EQ(logs.count("accuracy"), 1U);
  EXPECT_EQ(logs.count("SparseCategoricalAccuracy"), 1U);
}

TEST_F(KerasArchiveTest, WritesConfigAsPythonJsonDumps) {
  EXPECT_EQ(python_json_dumps(Json::parse(
                R"({"a":[1,2.5,null,true],"b":{},"c":[],"d":{"e":"f\u00e9"},"g":1e-07})")),
            R"({"a": [1, 2.5, null, true], "b": {}, "c": [], "d": {"e": "f\u00e9"}, "g": 1e-07})");
}

TEST_F(KerasArchiveTest, AFailedSaveLeavesTheOldFileAndNoTemporary) {
  const std::string file = path("model.keras");
  write_bytes(file, "old contents");
  Sequential model = mnist_mlp();
  model.add(std::make_shared<Unsaveable>());
  EXPECT_EQ(error_message<NotImplementedError>([&] { save_keras_archive(model, file); }),
            "Unknown layer: 'Unsaveable'. kerascpp does not implement this Keras layer class "
            "(docs/layers.md lists those it does).");
  EXPECT_EQ(read_bytes(file), "old contents");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);

  // A folder in the way: everything is written, the final rename fails.
  const std::string folder = path("folder.keras");
  fs::create_directory(folder);
  EXPECT_EQ(error_message<FileError>([&] { save_keras_archive(mnist_mlp(), folder); }),
            "Cannot write '" + folder + "': Is a directory");
  EXPECT_TRUE(fs::is_directory(folder));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 2);
}

TEST_F(KerasArchiveTest, ReplacesAnExistingFile) {
  const std::string file = path("model.keras");
  write_bytes(file, "old contents");
  save_keras_archive(mnist_mlp(), file);
  EXPECT_EQ(read_bytes(file).substr(0, 4), "PK\x03\x04");
}

TEST_F(KerasArchiveTest, NamesAMissingMember) {
  const std::string no_weights = variant("no_weights.keras", real_config(), "");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_keras_archive(no_weights); }),
            "Cannot load model from '" + no_weights +
                "': Expected a model.weights.h5 or model.weights.npz file.");
  const std::string npz = variant("npz.keras", real_config(), "model.weights.npz");
  EXPECT_EQ(error_message<NotImplementedError>([&] { (void)load_keras_archive(npz); }),
            "Cannot load model from '" + npz +
                "': its weights are in model.weights.npz (Keras's weights_format=\"npz\"), "
                "which kerascpp does not read; save the model with the default "
                "weights_format=\"h5\"");
  const std::string no_config = variant("no_config.keras", std::nullopt);
  EXPECT_EQ(error_message<FileError>([&] { (void)load_keras_archive(no_config); }),
            "Cannot read zip archive '" + no_config +
                "': There is no item named 'config.json' in the archive");
}

TEST_F(KerasArchiveTest, NamesLineAndColumnOfAJsonSyntaxError) {
  const std::string file =
      variant("syntax.keras", "{\"module\": \"keras\",\n \"class_name\" \"Seq\"}");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_keras_archive(file); }),
            "Invalid JSON in " + file +
                ":config.json: parse error at line 2, column 19: syntax error while parsing "
                "object separator - unexpected string literal; expected ':'");
}

TEST_F(KerasArchiveTest, NamesAnUnknownLayerClass) {
  Json config = Json::parse(real_config());
  config["config"]["layers"][2]["class_name"] = "Dense3D";
  const std::string file = variant("unknown.keras", config.dump());
  EXPECT_EQ(error_message<NotImplementedError>([&] { (void)load_keras_archive(file); }),
            "Cannot load model from '" + file +
                "': Unknown layer: 'Dense3D'. kerascpp does not implement this Keras layer "
                "class (docs/layers.md lists those it does).");
}

TEST_F(KerasArchiveTest, RejectsAMemberWhoseDeclaredSizeLies) {
  const std::string file = path("lying.keras");
  std::string bytes = read_bytes(real_model_dir() / "model.keras");
  // config.json's central directory entry claims 2 GiB (compressed and not).
  const std::size_t entry = bytes.find(std::string("PK\x01\x02", 4), bytes.rfind("metadata.json"));
  ASSERT_NE(entry, std::string::npos);
  for (const std::size_t field : {entry + 20, entry + 24}) {
    bytes[field] = '\xff';
    bytes[field + 1] = '\xff';
    bytes[field + 2] = '\xff';
    bytes[field + 3] = '\x7f';
  }
  write_bytes(file, bytes);
  EXPECT_EQ(error_message<FileError>([&] { (void)load_keras_archive(file); }),
            "Cannot read zip archive '" + file +
                "': member 'config.json' declares 2147483647 bytes (2147483647 compressed), "
                "which a 1244351-byte archive cannot hold");
}

}  // namespace
}  // namespace keras::io
