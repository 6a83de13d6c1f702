// SPDX-License-Identifier: Apache-2.0
#include "io/tfjs_model.h"

#include "keras/backend.h"
#include "keras/utils/npy.h"
#include "support/expect_error.h"
#include "support/golden_case.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>

namespace keras::io {
namespace {

using testing::all_close;
using testing::error_message;

// Dense(3) on 2 features, then BatchNormalization: 21 float32 weights, and a manifest in
// TF.js order (trainable weights first, then the moving statistics).
constexpr const char* dense_bn_topology = R"(
  {"class_name": "Sequential", "config": {"name": "small", "layers": [
    {"class_name": "Dense", "config": {"name": "dense", "units": 3, "activation": "linear",
     "batch_input_shape": [null, 2], "dtype": "float32"}},
    {"class_name": "BatchNormalization", "config": {"name": "batch_normalization",
     "axis": -1}}]},
   "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"})";

constexpr const char* dense_bn_weights = R"([
  {"name": "dense/kernel", "shape": [2, 3], "dtype": "float32"},
  {"name": "dense/bias", "shape": [3], "dtype": "float32"},
  {"name": "batch_normalization/gamma", "shape": [3], "dtype": "float32"},
  {"name": "batch_normalization/beta", "shape": [3], "dtype": "float32"},
  {"name": "batch_normalization/moving_mean", "shape": [3], "dtype": "float32"},
  {"name": "batch_normalization/moving_variance", "shape": [3], "dtype": "float32"}])";

class TfjsModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    folder_ = std::filesystem::temp_directory_path() /
              ("keras_tfjs_test_" + std::to_string(::getpid()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  [[nodiscard]] std::string path(const std::string& name) const {
    return (folder_ / name).string();
  }
  void write(const std::string& name, const std::string& bytes) const {
    std::ofstream(path(name), std::ios::binary) << bytes;
  }
  // model.json with the given topology, weight entries and shard names.
  std::string write_model(const std::string& topology, const std::string& weights,
                          const std::string& paths = R"(["weights.bin"])") const {
    write("model.json", R"({"format": "layers-model", "modelTopology": )" + topology +
                            R"(, "weightsManifest": [{"paths": )" + paths + R"(, "weights": )" +
                            weights + "}]}");
    return path("model.json");
  }
  // The float32 bytes of 1, 2, ..., count.
  static std::string counting_floats(int count) {
    std::vector<float> values(static_cast<std::size_t>(count));
    std::iota(values.begin(), values.end(), 1.0f);
    return {reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)};
  }
  std::string dense_bn_model() const {
    write("weights.bin", counting_floats(21));
    return write_model(dense_bn_topology, dense_bn_weights);
  }
  [[nodiscard]] std::string prefix() const {
    return "Cannot read TF.js model '" + path("model.json") + "': ";
  }

  std::filesystem::path folder_;
};

TEST_F(TfjsModelTest, LoadsTheRealFashionMlp) {
  const auto folder =
      testing::golden_dir().parent_path() / "data" / "keras-models" / "fashion_mlp_tfjs";
  ASSERT_TRUE(std::filesystem::exists(folder / "model.json"))
      << "no real model files in " << folder;
  Sequential model = load_tfjs_model((folder / "model.json").string());
  EXPECT_EQ(model.name(), "sequential");
  ASSERT_EQ(model.layers().size(), 3u);
  EXPECT_EQ(model.layers()[2]->name(), "dense_1");
  EXPECT_EQ(model.input_shape(), Shape({None, 28, 28}));
  EXPECT_EQ(model.count_params(), 101770);
  const Tensor y = model.predict(utils::load_npy((folder / "input.npy").string()));
  EXPECT_TRUE(all_close(y, utils::load_npy((folder / "expected.npy").string()), 1e-5, 1e-4));
}

// The real file is the converter's: Keras's training_config inside the topology.
TEST_F(TfjsModelTest, CompilesAsTheSavedTrainingConfigSays) {
  const auto real = testing::golden_dir().parent_path() / "data" / "keras-models" /
                    "fashion_mlp_tfjs" / "model.json";
  const Sequential converted = load_tfjs_model(real.string());
  ASSERT_TRUE(converted.compiled());
  EXPECT_EQ(converted.optimizer().class_name(), "Adam");
  EXPECT_EQ(converted.loss().class_name(), "SparseCategoricalCrossentropy");

  // TF.js's own "trainingConfig" beside the manifest, in Keras's names...
  write("weights.bin", counting_floats(21));
  const auto with_training_config = [&](const std::string& training_config) {
    write("model.json", std::string(R"({"format": "layers-model", "modelTopology": )") +
                            dense_bn_topology + R"(, "trainingConfig": )" + training_config +
                            R"(, "weightsManifest": [{"paths": ["weights.bin"], "weights": )" +
                            dense_bn_weights + "}]}");
    return path("model.json");
  };
  const Sequential keras_names = load_tfjs_model(with_training_config(
      R"({"loss": "mean_squared_error", "metrics": ["mae"],
          "optimizer_config": {"class_name": "SGD", "config": {"learning_rate": 0.05}}})"));
  ASSERT_TRUE(keras_names.compiled());
  EXPECT_EQ(keras_names.optimizer().class_name(), "SGD");
  EXPECT_DOUBLE_EQ(keras_names.optimizer().learning_rate(), 0.05);
  EXPECT_EQ(keras_names.loss().class_name(), "MeanSquaredError");

  // ...and in TF.js's, which Keras does not read: uncompiled, and the warning says why.
  ::testing::internal::CaptureStderr();
  const Sequential tfjs_names = load_tfjs_model(with_training_config(
      R"({"loss": "meanSquaredError", "metrics": ["accuracy"],
          "optimizer_config": {"class_name": "Adam", "config": {"learningRate": 0.001}}})"));
  const std::string warning = ::testing::internal::GetCapturedStderr();
  EXPECT_FALSE(tfjs_names.compiled());
  EXPECT_EQ(warning.rfind("UserWarning: the model in '" + path("model.json") +
                              "' was saved compiled, but kerascpp cannot compile it as saved, so "
                              "it is loaded uncompiled: ",
                          0),
            0u)
      << warning;
  EXPECT_NE(warning.find("learningRate"), std::string::npos) << warning;
}

TEST_F(TfjsModelTest, ConcatenatesShardsAndSlicesTensorsAcrossThem) {
  // 84 bytes in three shards of 18, 40 and 26 bytes: the kernel's fifth float and the
  // beta vector straddle shard boundaries.
  const std::string bytes = counting_floats(21);
  write("group1-shard1of3.bin", bytes.substr(0, 18));
  write("group1-shard2of3.bin", bytes.substr(18, 40));
  write("group1-shard3of3.bin", bytes.substr(58));
  Sequential model = load_tfjs_model(
      write_model(dense_bn_topology, dense_bn_weights,
                  R"(["group1-shard1of3.bin", "group1-shard2of3.bin", "group1-shard3of3.bin"])"));
  const auto weights = model.get_weights();  // Keras order equals the manifest's here
  ASSERT_EQ(weights.size(), 6u);
  EXPECT_TRUE(
      all_close(weights[0], Tensor::from_data(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3})));
  EXPECT_TRUE(all_close(weights[3], Tensor::from_data(std::vector<float>{13, 14, 15}, {3})));
  EXPECT_TRUE(all_close(weights[5], Tensor::from_data(std::vector<float>{19, 20, 21}, {3})));
  EXPECT_FALSE(model.layers()[1]->weights()[2].trainable());
}

TEST_F(TfjsModelTest, MatchesWeightsByNameNotByPosition) {
  // The converter's form: the Keras config under "model_config"; the manifest lists the
  // moving statistics first and the kernel last.
  write("weights.bin", counting_floats(21));
  const std::string topology =
      std::string(R"({"keras_version": "2.15.0", "model_config": )") + dense_bn_topology + "}";
  Sequential model = load_tfjs_model(write_model(topology, R"([
    {"name": "batch_normalization/moving_mean", "shape": [3], "dtype": "float32"},
    {"name": "batch_normalization/moving_variance", "shape": [3], "dtype": "float32"},
    {"name": "batch_normalization/gamma", "shape": [3], "dtype": "float32"},
    {"name": "batch_normalization/beta", "shape": [3], "dtype": "float32"},
    {"name": "dense/bias", "shape": [3], "dtype": "float32"},
    {"name": "dense/kernel", "shape": [2, 3], "dtype": "float32"}])"));
  const auto weights = model.get_weights();
  EXPECT_TRUE(
      all_close(weights[0], Tensor::from_data(std::vector<float>{16, 17, 18, 19, 20, 21}, {2, 3})));
  EXPECT_TRUE(all_close(weights[1], Tensor::from_data(std::vector<float>{13, 14, 15}, {3})));
  EXPECT_TRUE(all_close(weights[4], Tensor::from_data(std::vector<float>{1, 2, 3}, {3})));
}

TEST_F(TfjsModelTest, DecodesQuantizedHalfAndIntegerWeights) {
  const unsigned char kernel_uint8[] = {0, 1, 2, 4};   // min -1, scale 0.5
  const std::uint16_t bias_half[] = {0x3C00, 0xC000};  // 1.0, -2.0
  const std::uint16_t kernel_uint16[] = {4, 8};        // min 0, scale 0.25
  const std::int32_t bias_int[] = {7};
  std::string bytes(reinterpret_cast<const char*>(kernel_uint8), sizeof kernel_uint8);
  bytes.append(reinterpret_cast<const char*>(bias_half), sizeof bias_half);
  bytes.append(reinterpret_cast<const char*>(kernel_uint16), sizeof kernel_uint16);
  bytes.append(reinterpret_cast<const char*>(bias_int), sizeof bias_int);
  bytes.append(8, '\0');  // an optimizer weight, skipped
  write("weights.bin", bytes);
  Sequential model = load_tfjs_model(write_model(
      R"({"class_name": "Sequential", "config": {"name": "q", "layers": [
        {"class_name": "Dense", "config": {"name": "dense", "units": 2,
         "batch_input_shape": [null, 2]}},
        {"class_name": "Dense", "config": {"name": "dense_1", "units": 1}}]}})",
      R"([
        {"name": "dense/kernel", "shape": [2, 2], "dtype": "float32",
         "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.5}},
        {"name": "dense/bias", "shape": [2], "dtype": "float32",
         "quantization": {"dtype": "float16"}},
        {"name": "dense_1/kernel", "shape": [2, 1], "dtype": "float32",
         "quantization": {"dtype": "uint16", "min": 0, "scale": 0.25,
                          "original_dtype": "float32"}},
        {"name": "dense_1/bias", "shape": [1], "dtype": "int32"},
        {"name": "Adam/iter", "shape": [2], "dtype": "float32", "group": "optimizer"}])"));
  const auto weights = model.get_weights();
  EXPECT_TRUE(all_close(weights[0], Tensor::from_data(std::vector<float>{-1, -0.5, 0, 1}, {2, 2})));
  EXPECT_TRUE(all_close(weights[1], Tensor::from_data(std::vector<float>{1, -2}, {2})));
  EXPECT_TRUE(all_close(weights[2], Tensor::from_data(std::vector<float>{1, 2}, {2, 1})));
  EXPECT_TRUE(all_close(weights[3], Tensor::from_data(std::vector<float>{7}, {1})));
}

TEST_F(TfjsModelTest, LoadsAFunctionalChainAsSequential) {
  // tfjs's own save() of tf.model(): class "Model", Keras 2 style inbound nodes, and layer
  // names of tfjs's kind (`dense_Dense1`).
  write("weights.bin", counting_floats(3));
  Sequential model = load_tfjs_model(write_model(
      R"({"class_name": "Model", "config": {"name": "model1", "layers": [
        {"name": "input1", "class_name": "InputLayer", "inbound_nodes": [],
         "config": {"batch_input_shape": [null, 2], "dtype": "float32", "sparse": false,
                    "name": "input1"}},
        {"name": "dense_Dense1", "class_name": "Dense",
         "inbound_nodes": [[["input1", 0, 0, {}]]],
         "config": {"name": "dense_Dense1", "units": 1, "activation": "linear"}}],
        "input_layers": [["input1", 0, 0]], "output_layers": [["dense_Dense1", 0, 0]]}})",
      R"([{"name": "dense_Dense1/kernel", "shape": [2, 1], "dtype": "float32"},
          {"name": "dense_Dense1/bias", "shape": [1], "dtype": "float32"}])"));
  EXPECT_EQ(model.name(), "model1");
  ASSERT_EQ(model.layers().size(), 1u);
  const Tensor y = model.predict(Tensor::from_data(std::vector<float>{1, 1}, {1, 2}));
  EXPECT_TRUE(all_close(y, Tensor::from_data(std::vector<float>{6}, {1, 1})));
}

TEST_F(TfjsModelTest, NamesTheFileWhenItIsMissingOrNotJson) {
  const std::string missing = path("model.json");
  const auto error = [&] { (void)load_tfjs_model(missing); };
  EXPECT_EQ(error_message<FileError>(error), prefix() + "the file cannot be opened");
  write("model.json", R"({"modelTopology": )");
  EXPECT_EQ(error_message<FileError>(error),
            "Invalid JSON in TF.js model '" + missing +
                "': parse error at line 1, column 19: syntax error while parsing value - "
                "unexpected end of input; expected '[', '{', or a literal");
  try {
    error();
  } catch (const FileError& file_error) {
    EXPECT_EQ(file_error.path(), missing);
  }
}

TEST_F(TfjsModelTest, RejectsModelJsonWithoutTopologyOrManifest) {
  write("model.json", R"({"weightsManifest": []})");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_tfjs_model(path("model.json")); }),
            prefix() + "it has no \"modelTopology\"");
  write("model.json", R"({"modelTopology": {}})");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_tfjs_model(path("model.json")); }),
            prefix() + "it has no \"weightsManifest\"");
  write("model.json", R"({"modelTopology": {"class_name": "Sequential"}, "weightsManifest": []})");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_tfjs_model(path("model.json")); }),
            prefix() +
                "its \"modelTopology\" holds no model config (\"class_name\" and "
                "\"config\")");
  write("model.json", R"({"modelTopology": {"class_name": "Sequential", "config": {}},
                          "weightsManifest": []})");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_tfjs_model(path("model.json")); }),
            prefix() + "A serialized Sequential model needs a list of \"layers\" in its config");
  write("model.json", R"({"modelTopology": {"class_name": "Sequential", "config": {"layers": [
      {"class_name": "Dense", "config": {"units": 2}}]}}, "weightsManifest": []})");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_tfjs_model(path("model.json")); }),
            prefix() +
                "its first layer has no \"batch_input_shape\", so the weights cannot be "
                "created");
}

TEST_F(TfjsModelTest, RejectsMalformedManifests) {
  const auto load = [&](const std::string& manifest) {
    write("model.json", std::string(R"({"modelTopology": )") + dense_bn_topology +
                            R"(, "weightsManifest": )" + manifest + "}");
    return error_message<FileError>([&] { (void)load_tfjs_model(path("model.json")); });
  };
  EXPECT_EQ(load("{}"), prefix() + "\"weightsManifest\" must be a list of weight groups");
  EXPECT_EQ(load(R"([{"paths": "weights.bin", "weights": []}])"),
            prefix() +
                "weightsManifest group 0 needs a list of \"paths\" (file names) and a list "
                "of \"weights\"");
  EXPECT_EQ(load(R"([{"paths": [], "weights": [{"name": "dense/kernel", "shape": [2, -3],
                     "dtype": "float32"}]}])"),
            prefix() +
                "entry 0 of weightsManifest group 0 needs a string \"name\", a \"shape\" "
                "of non-negative integers and a string \"dtype\"");
  EXPECT_EQ(load(R"([{"paths": [], "weights": [{"name": "dense/kernel", "shape": [2, 3],
                     "dtype": "float32", "quantization": {"dtype": "uint8", "min": 0}}]}])"),
            prefix() +
                "the quantization of weight 'dense/kernel' needs a numeric \"min\" and "
                "\"scale\"");
  EXPECT_EQ(load(R"([{"paths": [], "weights": [{"name": "dense/kernel",
                     "shape": [4611686018427387904, 3], "dtype": "float32"}]}])"),
            prefix() +
                "weight 'dense/kernel' has shape (4611686018427387904, 3), which is too "
                "large");
}

TEST_F(TfjsModelTest, NamesDtypesItDoesNotRead) {
  write("weights.bin", counting_floats(21));
  const auto load = [&](const std::string& entry) {
    (void)load_tfjs_model(write_model(dense_bn_topology, "[" + entry + "]"));
  };
  EXPECT_EQ(error_message<NotImplementedError>([&] {
              load(R"({"name": "dense/kernel", "shape": [2, 3], "dtype": "complex64"})");
            }),
            "TF.js model '" + path("model.json") +
                "': weight 'dense/kernel' has dtype 'complex64', which kerascpp does not read (it "
                "reads float32, int32 and float16)");
  EXPECT_EQ(error_message<NotImplementedError>([&] {
              load(R"({"name": "dense/kernel", "shape": [2, 3], "dtype": "float32",
                       "quantization": {"dtype": "int8", "min": 0, "scale": 1}})");
            }),
            "TF.js model '" + path("model.json") +
                "': weight 'dense/kernel' is quantized to 'int8', which kerascpp does not read (it "
                "reads uint8, uint16 and float16 quantization)");
}

TEST_F(TfjsModelTest, RejectsMissingAndShortShards) {
  write_model(dense_bn_topology, dense_bn_weights, R"(["a.bin", "b.bin"])");
  write("a.bin", counting_floats(21).substr(0, 40));
  try {
    (void)load_tfjs_model(path("model.json"));
    ADD_FAILURE() << "a missing shard was not noticed";
  } catch (const FileError& error) {
    EXPECT_EQ(error.what(), prefix() + "weight shard '" + path("b.bin") + "' cannot be opened");
    EXPECT_EQ(error.path(), path("b.bin"));
  }
  write("b.bin", counting_floats(21).substr(40, 30));  // 14 bytes short
  EXPECT_EQ(error_message<FileError>([&] { (void)load_tfjs_model(path("model.json")); }),
            prefix() +
                "weight 'batch_normalization/moving_mean' of shape (3,) needs bytes 60 to "
                "72 of weightsManifest group 0, but its shards hold 70 bytes: 'a.bin' (40 "
                "bytes), 'b.bin' (30 bytes)");
}

TEST_F(TfjsModelTest, RejectsWeightsThatMatchNoLayerOrDoNotFit) {
  write("weights.bin", counting_floats(21));
  const auto load = [&](const std::string& first_weight) {
    std::string weights = dense_bn_weights;
    weights.replace(weights.find("dense/kernel"), std::strlen("dense/kernel"), first_weight);
    write_model(dense_bn_topology, weights);
    return error_message<FileError>([&] { (void)load_tfjs_model(path("model.json")); });
  };
  EXPECT_EQ(load("conv2d/kernel"),
            prefix() +
                "weight 'conv2d/kernel' matches no layer of the model (its layers with "
                "weights: [dense, batch_normalization])");
  EXPECT_EQ(load("dense/weights"), prefix() +
                                       "weight 'dense/weights' matches no weight of layer "
                                       "'dense' (its weights: [kernel, bias])");
  EXPECT_EQ(load("batch_normalization/beta"),
            prefix() +
                "weight 'batch_normalization/beta' has shape (2, 3) in the file, but layer "
                "'batch_normalization' expects (3,)");
  write_model(dense_bn_topology, R"([
      {"name": "dense/kernel", "shape": [2, 3], "dtype": "float32"},
      {"name": "dense/kernel", "shape": [2, 3], "dtype": "float32"}])");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_tfjs_model(path("model.json")); }),
            prefix() + "weight 'dense/kernel' appears twice in the weightsManifest");
  write_model(dense_bn_topology, R"([
      {"name": "sequential/dense/kernel", "shape": [2, 3], "dtype": "float32"},
      {"name": "dense/bias", "shape": [3], "dtype": "float32"}])");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_tfjs_model(path("model.json")); }),
            prefix() +
                "layer 'batch_normalization' gets no value for its weight 'gamma' from the "
                "weightsManifest");
}

}  // namespace
}  // namespace keras::io
