// SPDX-License-Identifier: Apache-2.0
#include "io/keras3_weights.h"

#include "hdf5_test_files.h"
#include "io/hdf5_file.h"
#include "keras/error.h"
#include "keras/keras.h"
#include "support/expect_error.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

namespace keras::io {
namespace {

using testing::all_close;
using testing::error_message;

// A CNN with every kind of weight: Conv2D kernels and biases, BatchNormalization's four,
// two Dense layers (the last named "output", which does not change its group name).
Sequential cnn() {
  Sequential model("cnn");
  model.add(Input({.shape = {8, 8, 3}}));
  model.add(layers::Conv2D({.filters = 4, .kernel_size = 3, .activation = "relu"}));
  model.add(layers::BatchNormalization());
  model.add(layers::MaxPooling2D({.pool_size = 2}));
  model.add(layers::Conv2D({.filters = 2, .kernel_size = 3, .padding = "same"}));
  model.add(layers::Flatten());
  model.add(layers::Dense({.units = 5, .activation = "relu"}));
  model.add(layers::Dense({.units = 3, .activation = "softmax", .name = "output"}));
  return model;
}

// Distinct values for every weight (positive ones for the moving variance).
void randomize(Sequential& model, std::uint64_t seed) {
  for (const Variable& variable : model.weights()) {
    Variable target = variable;
    target.assign(Tensor::uniform(variable.value().shape(), 0.1f, 1.0f, seed++));
  }
}

Sequential dense(const std::string& name, std::int64_t inputs, std::int64_t units,
                 bool use_bias = true) {
  Sequential model;
  model.add(Input({.shape = {inputs}}));
  model.add(layers::Dense({.units = units, .use_bias = use_bias, .name = name}));
  return model;
}

class Keras3WeightsTest : public testing::Hdf5TestFolder {};

TEST_F(Keras3WeightsTest, RoundTripGivesBitIdenticalPredictions) {
  Sequential saved = cnn();
  randomize(saved, 1);
  save_keras3_weights(saved, path("cnn.weights.h5"));
  Sequential loaded = cnn();
  const Tensor x = Tensor::uniform({4, 8, 8, 3}, -1.0f, 1.0f, 99);
  const Tensor expected = saved.predict(x);
  ASSERT_FALSE(all_close(loaded.predict(x), expected, 1e-3, 1e-3));
  load_keras3_weights(path("cnn.weights.h5"), loaded, "");
  EXPECT_TRUE(all_close(loaded.predict(x), expected));
  const std::vector<Tensor> want = saved.get_weights();
  const std::vector<Tensor> got = loaded.get_weights();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_TRUE(all_close(got[i], want[i])) << i;
}

TEST_F(Keras3WeightsTest, WritesKeras3sLayout) {
  Sequential model = cnn();
  randomize(model, 7);
  save_keras3_weights(model, path("cnn.weights.h5"));
  const hdf5::File file = hdf5::File::open_read(path("cnn.weights.h5"));
  const hdf5::Group& root = file.root();
  EXPECT_EQ(root.children(), (std::vector<std::string>{"layers", "vars"}));
  EXPECT_TRUE(root.group("vars").children().empty());
  EXPECT_EQ(root.group("layers").children(),
            (std::vector<std::string>{"batch_normalization", "conv2d", "conv2d_1", "dense",
                                      "dense_1", "flatten", "max_pooling2d"}));
  EXPECT_TRUE(root.group("layers/max_pooling2d/vars").children().empty());
  EXPECT_EQ(root.group("layers/dense_1/vars").children(), (std::vector<std::string>{"0", "1"}));
  // BatchNormalization: 0 = gamma, 1 = beta, 2 = moving_mean, 3 = moving_variance.
  const layers::Layer& batch_norm = model.get_layer(1);
  const hdf5::Group vars = root.group("layers/batch_normalization/vars");
  const std::vector<Variable> variables = batch_norm.weights();
  ASSERT_EQ(variables.size(), 4u);
  const char* names[] = {"gamma", "beta", "moving_mean", "moving_variance"};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(variables[i].name(), names[i]);
    EXPECT_EQ(vars.dataset_dtype(std::to_string(i)), "float32");
    EXPECT_TRUE(all_close(vars.read_float32(std::to_string(i)), variables[i].value())) << i;
  }
  EXPECT_TRUE(all_close(root.group("layers/dense_1/vars").read_float32("0"),
                        model.get_layer("output").weights()[0].value()));
}

TEST_F(Keras3WeightsTest, ReadsKeras2CheckpointDependenciesAndIgnoresOtherGroups) {
  Sequential saved = cnn();
  randomize(saved, 3);
  save_keras3_weights(saved, path("old.weights.h5"));
  {
    // Keras 2.13-2.15 named the layer list `_layer_checkpoint_dependencies`.
    hdf5::silence_errors();
    const hdf5::Handle file(H5Fopen(path("old.weights.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT),
                            H5Fclose);
    ASSERT_GE(H5Lmove(file.get(), "layers", file.get(), "_layer_checkpoint_dependencies",
                      H5P_DEFAULT, H5P_DEFAULT),
              0);
    const hdf5::Handle optimizer(
        H5Gcreate2(file.get(), "optimizer", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    const float rate = 0.001f;
    testing::raw_dataset(optimizer.get(), "learning_rate", H5T_IEEE_F32LE, {}, H5T_NATIVE_FLOAT,
                         &rate);
  }
  Sequential loaded = cnn();
  load_keras3_weights(path("old.weights.h5"), loaded, "");
  const Tensor x = Tensor::uniform({2, 8, 8, 3}, 0.0f, 1.0f, 5);
  EXPECT_TRUE(all_close(loaded.predict(x), saved.predict(x)));
}

TEST_F(Keras3WeightsTest, NamesTheLayerWhenTheVariableCountDiffers) {
  save_keras3_weights(dense("fc", 4, 3, /*use_bias=*/false), path("w.weights.h5"));
  Sequential model = dense("classifier", 4, 3);
  EXPECT_EQ(error_message<FileError>([&] {
              load_keras3_weights(path("w.weights.h5"), model, "model.keras:model.weights.h5");
            }),
            "Cannot load weights from 'model.keras:model.weights.h5': A total of 1 objects could "
            "not be loaded. Example error message for layer 'classifier' (Dense, group "
            "'/layers/dense/vars'): Layer 'classifier' expected 2 variables, but received 1 "
            "variables during loading. Expected: ['kernel', 'bias']");
}

TEST_F(Keras3WeightsTest, NamesTheVariableAndBothShapesWhenShapesDiffer) {
  Sequential saved;
  saved.add(Input({.shape = {4}}));
  saved.add(layers::Dense({.units = 3, .name = "a"}));
  saved.add(layers::Dense({.units = 2, .name = "b"}));
  save_keras3_weights(saved, path("w.weights.h5"));
  Sequential model;
  model.add(Input({.shape = {4}}));
  model.add(layers::Dense({.units = 3, .name = "a"}));
  model.add(layers::Dense({.units = 5, .name = "b"}));
  const std::vector<Tensor> before = model.get_weights();
  EXPECT_EQ(error_message<FileError>([&] { load_keras3_weights(path("w.weights.h5"), model, ""); }),
            "Cannot load weights from '" + path("w.weights.h5") +
                "': A total of 1 objects could not be loaded. Example error message for layer "
                "'b' (Dense, group '/layers/dense_1/vars'): Variable 'b/kernel' expects shape "
                "(3, 5), but '/layers/dense_1/vars/0' has shape (3, 2)");
  // Nothing was assigned, not even the layer that fitted.
  const std::vector<Tensor> after = model.get_weights();
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_TRUE(all_close(after[i], before[i]));
}

TEST_F(Keras3WeightsTest, CountsEveryLayerThatCannotBeLoaded) {
  save_keras3_weights(dense("x", 4, 3), path("w.weights.h5"));
  Sequential model;
  model.add(Input({.shape = {4}}));
  model.add(layers::Dense({.units = 2, .name = "first"}));
  model.add(layers::Dense({.units = 2, .name = "second"}));
  EXPECT_EQ(error_message<FileError>(
                [&] { load_keras3_weights(path("w.weights.h5"), model, "w.weights.h5"); }),
            "Cannot load weights from 'w.weights.h5': A total of 2 objects could not be loaded. "
            "Example error message for layer 'first' (Dense, group '/layers/dense/vars'): "
            "Variable 'first/kernel' expects shape (4, 2), but '/layers/dense/vars/0' has shape "
            "(4, 3)");
}

TEST_F(Keras3WeightsTest, NamesALayerThatWasNeverBuilt) {
  save_keras3_weights(dense("x", 4, 3), path("w.weights.h5"));
  Sequential model;  // no input shape: the Dense layer has no variables yet
  model.add(layers::Dense({.units = 3, .name = "late"}));
  EXPECT_EQ(error_message<FileError>(
                [&] { load_keras3_weights(path("w.weights.h5"), model, "w.weights.h5"); }),
            "Cannot load weights from 'w.weights.h5': A total of 1 objects could not be loaded. "
            "Example error message for layer 'late' (Dense, group '/layers/dense/vars'): Layer "
            "'late' was never built and thus it doesn't have any variables. However the weights "
            "file lists 2 variables for this layer.");
}

TEST_F(Keras3WeightsTest, NamesAMissingVariableDataset) {
  {
    hdf5::File file = hdf5::File::create(path("w.weights.h5"));
    const hdf5::Group vars =
        file.root().create_group("layers").create_group("dense").create_group("vars");
    vars.write_float32("0", Tensor::zeros({4, 3}));
    vars.write_float32("bias", Tensor::zeros({3}));
    file.close();
  }
  Sequential model = dense("fc", 4, 3);
  EXPECT_EQ(error_message<FileError>(
                [&] { load_keras3_weights(path("w.weights.h5"), model, "w.weights.h5"); }),
            "Cannot load weights from 'w.weights.h5': A total of 1 objects could not be loaded. "
            "Example error message for layer 'fc' (Dense, group '/layers/dense/vars'): Layer "
            "'fc' has no dataset '/layers/dense/vars/1' for variable 'fc/bias'");
}

TEST_F(Keras3WeightsTest, RejectsAFileWithoutLayers) {
  {
    hdf5::File file = hdf5::File::create(path("empty.h5"));
    file.close();
  }
  Sequential model = dense("fc", 4, 3);
  EXPECT_EQ(error_message<FileError>([&] { load_keras3_weights(path("empty.h5"), model, ""); }),
            "Cannot load weights from '" + path("empty.h5") +
                "': it has no group 'layers' (it is not a Keras 3 weights file)");
  EXPECT_EQ(error_message<FileError>([&] { load_keras3_weights(path("none.h5"), model, ""); }),
            "Cannot read HDF5 file '" + path("none.h5") + "': the file does not exist");
}

TEST_F(Keras3WeightsTest, SavingIsAtomic) {
  Sequential first = dense("fc", 4, 3);
  randomize(first, 11);
  save_keras3_weights(first, path("w.weights.h5"));
  Sequential second = dense("fc", 4, 3);
  randomize(second, 12);
  save_keras3_weights(second, path("w.weights.h5"));  // replaces the old file
  Sequential loaded = dense("fc", 4, 3);
  load_keras3_weights(path("w.weights.h5"), loaded, "");
  EXPECT_TRUE(all_close(loaded.get_weights()[0], second.get_weights()[0]));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(folder_),
                          std::filesystem::directory_iterator()),
            1);
  const std::string unwritable = path("missing/w.weights.h5");
  const std::string message =
      error_message<FileError>([&] { save_keras3_weights(first, unwritable); });
  EXPECT_EQ(message, "Cannot write HDF5 file '" + unwritable + "': the file cannot be created");
  EXPECT_FALSE(std::filesystem::exists(path("missing")));
}

}  // namespace
}  // namespace keras::io
