// SPDX-License-Identifier: Apache-2.0
// A compiled model's optimizer state in its files: written as Keras 3 writes it, read back
// from kerascpp's and Keras's files, and what Keras does where it does not fit.
#include "io/optimizer_state.h"

#include "hdf5_test_files.h"
#include "io/hdf5_file.h"
#include "io/keras3_weights.h"
#include "io/keras_archive.h"
#include "io/zip_archive.h"
#include "keras/error.h"
#include "keras/keras.h"
#include "support/expect_error.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

namespace keras::io {
namespace {

using testing::error_message;
using testing::keras_models_dir;
using testing::raw_dataset;

Sequential small_cnn() {
  Sequential model("small_cnn");
  model.add(Input({.shape = {6, 6, 1}}));
  model.add(layers::Conv2D({.filters = 2, .kernel_size = 3, .activation = "relu", .name = "conv"}));
  model.add(layers::Flatten({.name = "flatten"}));
  model.add(layers::Dense({.units = 3, .activation = "softmax", .name = "dense"}));
  return model;
}

void compile_adam(Sequential& model) {
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.01}),
                 .loss = "sparse_categorical_crossentropy"});
}

// Every optimizer with every slot it can keep, the way Keras orders them.
std::vector<std::shared_ptr<optimizers::Optimizer>> every_optimizer() {
  return {std::make_shared<optimizers::Adam>(optimizers::AdamOptions{.learning_rate = 0.01}),
          std::make_shared<optimizers::AdamW>(optimizers::AdamWOptions{.learning_rate = 0.01}),
          std::make_shared<optimizers::SGD>(
              optimizers::SGDOptions{.learning_rate = 0.05, .momentum = 0.9, .nesterov = true}),
          std::make_shared<optimizers::RMSprop>(
              optimizers::RMSpropOptions{.momentum = 0.5, .centered = true})};
}

const Tensor& batch() {
  static const Tensor x = Tensor::uniform({4, 6, 6, 1}, 0.0f, 1.0f, 3);
  return x;
}

const Tensor& labels() {
  static const Tensor y =
      Tensor::from_data(std::span<const std::int32_t>(std::vector{0, 1, 2, 1}), {4});
  return y;
}

// A compiled model after three steps: its optimizer's slots are neither zero nor alike.
Sequential trained_cnn(std::shared_ptr<optimizers::Optimizer> optimizer = nullptr) {
  Sequential model = small_cnn();
  if (optimizer) {
    model.compile({.optimizer = std::move(optimizer), .loss = "sparse_categorical_crossentropy"});
  } else {
    compile_adam(model);
  }
  for (int step = 0; step < 3; ++step) (void)model.train_on_batch(batch(), labels());
  return model;
}

bool bit_identical(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && a.dtype() == b.dtype() &&
         std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()) == 0;
}

void expect_same_optimizer_state(const optimizers::Optimizer& actual,
                                 const optimizers::Optimizer& expected) {
  const std::vector<Variable> got = actual.variables();
  const std::vector<Variable> want = expected.variables();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].path(), want[i].path());
    EXPECT_TRUE(bit_identical(got[i].value().contiguous(), want[i].value().contiguous()))
        << want[i].path();
  }
  EXPECT_EQ(actual.iterations(), expected.iterations());
  EXPECT_EQ(actual.learning_rate(), expected.learning_rate());
}

// What a build gives: zero slots (the step count and learning rate aside).
void expect_fresh_slots(const optimizers::Optimizer& optimizer) {
  const std::vector<Variable> variables = optimizer.variables();
  for (std::size_t i = 2; i < variables.size(); ++i) {
    EXPECT_TRUE(bit_identical(variables[i].value(), Tensor::zeros(variables[i].value().shape())))
        << variables[i].path();
  }
}

// A compiled model whose optimizer is built, as loading a compiled model builds it.
Sequential cnn_with_a_built_optimizer() {
  Sequential model = small_cnn();
  compile_adam(model);
  model.optimizer().build(model.trainable_weights());
  return model;
}

class OptimizerStateTest : public testing::Hdf5TestFolder {
 protected:
  // Loads `file` into a model of the same architecture, compiled, its optimizer built, and
  // returns what that printed on standard error.
  std::string load_into_a_built_optimizer(const std::string& file, Sequential& model) {
    model = cnn_with_a_built_optimizer();
    ::testing::internal::CaptureStderr();
    try {
      model.load_weights(file);
    } catch (...) {
      (void)::testing::internal::GetCapturedStderr();
      throw;
    }
    return ::testing::internal::GetCapturedStderr();
  }

  // Replaces dataset `name` of `file` with one of `type` and `dims` holding `data`.
  static void replace_dataset(const std::string& file, const char* name, hid_t type,
                              std::vector<hsize_t> dims, hid_t memory_type, const void* data) {
    const hid_t id = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(id, 0);
    ASSERT_GE(H5Ldelete(id, name, H5P_DEFAULT), 0);
    raw_dataset(id, name, type, std::move(dims), memory_type, data);
    H5Fclose(id);
  }
};

// The point of the state: training goes on after a save and a load exactly as it would have
// without them (the slots and step count, not fresh ones), for every optimizer.
TEST_F(OptimizerStateTest, TrainingResumesExactlyAfterASaveAndALoad) {
  for (const auto& optimizer : every_optimizer()) {
    SCOPED_TRACE(optimizer->class_name());
    backend::clear_session();
    Sequential model = trained_cnn(optimizer);
    save_keras_archive(model, path("trained.keras"));
    Sequential loaded = load_keras_archive(path("trained.keras"));
    EXPECT_EQ(loaded.optimizer().class_name(), optimizer->class_name());
    expect_same_optimizer_state(loaded.optimizer(), model.optimizer());
    EXPECT_EQ(loaded.optimizer().iterations(), 3);

    (void)model.train_on_batch(batch(), labels());
    (void)loaded.train_on_batch(batch(), labels());
    const std::vector<Tensor> expected = model.get_weights();
    const std::vector<Tensor> resumed = loaded.get_weights();
    ASSERT_EQ(resumed.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_TRUE(bit_identical(resumed[i], expected[i])) << i;
    }
    expect_same_optimizer_state(loaded.optimizer(), model.optimizer());
  }
}

// Keras builds the optimizer when it loads a compiled model, and still trains it after a layer
// is frozen: the optimizer takes any of the variables it was built for.
TEST_F(OptimizerStateTest, ALayerFrozenAfterLoadingTrainsOn) {
  save_keras_archive(trained_cnn(), path("trained.keras"));
  Sequential loaded = load_keras_archive(path("trained.keras"));
  loaded.get_layer("conv").set_trainable(false);
  const std::vector<Tensor> before = loaded.get_weights();
  (void)loaded.train_on_batch(batch(), labels());
  const std::vector<Tensor> after = loaded.get_weights();
  EXPECT_TRUE(bit_identical(after[0], before[0]));  // the frozen kernel
  EXPECT_TRUE(bit_identical(after[1], before[1]));
  EXPECT_FALSE(bit_identical(after[3], before[3]));  // the dense bias (its gradient is never 0)
  EXPECT_EQ(loaded.optimizer().iterations(), 4);
}

// Keras 3's layout: `optimizer/vars/<i>` in optimizer.variables()'s order, the step count as
// int64, the rest float32; the same in a `.weights.h5` (Keras's save_weights writes it too).
TEST_F(OptimizerStateTest, WritesTheStateWhereAndAsKerasWritesIt) {
  const Sequential model = trained_cnn();
  model.save_weights(path("trained.weights.h5"));
  const hdf5::File file = hdf5::File::open_read(path("trained.weights.h5"));
  const hdf5::Group vars = file.root().group("optimizer/vars");
  const std::vector<Variable> variables = model.optimizer().variables();
  ASSERT_EQ(variables.size(), 2 + 2 * model.trainable_weights().size());
  EXPECT_EQ(vars.children(hdf5::Order::name).size(), variables.size());
  EXPECT_EQ(vars.dataset_dtype("0"), "int64");
  EXPECT_EQ(vars.read_int64_scalar("0"), 3);
  for (std::size_t i = 1; i < variables.size(); ++i) {
    const std::string key = std::to_string(i);
    EXPECT_EQ(vars.dataset_dtype(key), "float32") << key;
    EXPECT_TRUE(bit_identical(vars.read_float32(key), variables[i].value())) << key;
  }
  EXPECT_EQ(vars.read_float32("1").data<float>()[0], 0.01f);
}

// What Keras saved: Keras 3.10's `.keras` (3,750 steps) and Keras 3.5's legacy `.h5` (28,125
// steps, `/optimizer_weights` listed by name), value for value.
TEST_F(OptimizerStateTest, ReadsTheStateKerasSaved) {
  const std::string archive_path =
      (keras_models_dir() / "mnist_mlp_keras310_zip" / "model.keras").string();
  const Sequential from_archive = models::load_model(archive_path);
  ASSERT_TRUE(from_archive.compiled());
  EXPECT_EQ(from_archive.optimizer().iterations(), 3750);
  const hdf5::File archive_weights = hdf5::File::open_image(
      ZipReader(archive_path).read_image("model.weights.h5", std::uint64_t{1} << 30), "member");
  const hdf5::Group vars = archive_weights.root().group("optimizer/vars");
  const std::vector<Variable> restored = from_archive.optimizer().variables();
  ASSERT_EQ(restored.size(), 10U);
  for (std::size_t i = 1; i < restored.size(); ++i) {
    EXPECT_TRUE(bit_identical(restored[i].value(), vars.read_float32(std::to_string(i))))
        << restored[i].path();
  }

  const std::string legacy_path =
      (keras_models_dir() / "mnist_cnn_keras35_legacy_h5" / "cnn_model_mnist.h5").string();
  const Sequential from_legacy = models::load_model(legacy_path);
  ASSERT_TRUE(from_legacy.compiled());
  EXPECT_EQ(from_legacy.optimizer().iterations(), 28125);
  const hdf5::File legacy = hdf5::File::open_read(legacy_path);
  const hdf5::Group weights = legacy.root().group("optimizer_weights");
  const std::vector<std::string> names = weights.string_list_attribute("weight_names");
  const std::vector<Variable> legacy_restored = from_legacy.optimizer().variables();
  ASSERT_EQ(legacy_restored.size(), names.size());
  for (std::size_t i = 1; i < names.size(); ++i) {
    EXPECT_TRUE(bit_identical(legacy_restored[i].value(), weights.read_float32(names[i])))
        << names[i];
  }
  EXPECT_EQ(legacy_restored[3].path(), "adam/conv2d_kernel_velocity");
  EXPECT_EQ(names[3], "adam/sequential_conv2d_kernel_velocity");
}

// Keras's compile=False, for inference: no compile, no optimizer, so no state read or kept.
TEST_F(OptimizerStateTest, CompileFalseLoadsUncompiledForEveryFormat) {
  for (const char* file :
       {"mnist_mlp_keras310_zip/model.keras", "mnist_cnn_keras35_legacy_h5/cnn_model_mnist.h5",
        "fashion_mlp_tfjs/model.json"}) {
    const std::string path = (keras_models_dir() / file).string();
    Sequential compiled = models::load_model(path);
    Sequential uncompiled = models::load_model(path, {.compile = false});
    EXPECT_TRUE(compiled.compiled()) << file;
    EXPECT_FALSE(uncompiled.compiled()) << file;
    std::vector<std::int64_t> shape{2};
    for (int axis = 1; axis < compiled.input_shape().rank(); ++axis) {
      shape.push_back(*compiled.input_shape()[axis]);
    }
    const Tensor x = Tensor::uniform(shape, 0.0f, 1.0f, 4);
    EXPECT_TRUE(bit_identical(uncompiled.predict(x), compiled.predict(x))) << file;
  }
}

// Keras 2's optimizers kept other variables (Adam: the step count, then every first moment,
// every second, and AMSGrad's maxima); Keras 3 cannot take them and starts afresh, saying so.
TEST_F(OptimizerStateTest, AKeras2OptimizerStartsAfreshWithKerasWarning) {
  const std::string file =
      (keras_models_dir() / "mnist_cnn_same_act_keras224" / "model.h5").string();
  ::testing::internal::CaptureStderr();
  const Sequential model = models::load_model(file);
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(model.compiled());
  EXPECT_EQ(warnings, "UserWarning: Error in loading the saved optimizer state from '" + file +
                          "' (optimizer 'adam' has 14 variables, the file holds 19). As a "
                          "result, your model is starting with a freshly initialized optimizer.\n");
  EXPECT_EQ(model.optimizer().iterations(), 0);
  expect_fresh_slots(model.optimizer());
}

// A Keras 3 legacy file whose state does not fit (a slot of another shape; a learning rate the
// optimizer refuses) warns and starts afresh, as Keras's legacy loader does; one that fits
// brings its learning rate back too.
TEST_F(OptimizerStateTest, ALegacyStateThatDoesNotFitWarnsAndStartsAfresh) {
  const std::string file = path("cnn_model_mnist.h5");
  const auto copy_of_the_keras_file = [&] {
    std::filesystem::copy_file(
        keras_models_dir() / "mnist_cnn_keras35_legacy_h5" / "cnn_model_mnist.h5", file,
        std::filesystem::copy_options::overwrite_existing);
  };
  const auto load = [&](std::string& warnings) {
    ::testing::internal::CaptureStderr();
    Sequential model = models::load_model(file);
    warnings = ::testing::internal::GetCapturedStderr();
    return model;
  };
  std::string warnings;
  copy_of_the_keras_file();
  const float two_values[] = {1.0f, 2.0f};
  replace_dataset(file, "/optimizer_weights/adam/sequential_dense_1_bias_momentum", H5T_IEEE_F32LE,
                  {2}, H5T_NATIVE_FLOAT, two_values);
  Sequential misshapen = load(warnings);
  EXPECT_EQ(warnings,
            "UserWarning: Error in loading the saved optimizer state from '" + file +
                "' (Variable 'adam/dense_1_bias_momentum' expects shape (10,), but "
                "'/optimizer_weights/adam/sequential_dense_1_bias_momentum' has shape (2,)). As "
                "a result, your model is starting with a freshly initialized optimizer.\n");
  EXPECT_EQ(misshapen.optimizer().iterations(), 0);
  expect_fresh_slots(misshapen.optimizer());

  copy_of_the_keras_file();
  const float reduced_rate = 0.0002f;
  replace_dataset(file, "/optimizer_weights/adam/learning_rate", H5T_IEEE_F32LE, {},
                  H5T_NATIVE_FLOAT, &reduced_rate);
  const Sequential reduced = load(warnings);
  EXPECT_EQ(warnings, "");
  EXPECT_EQ(reduced.optimizer().learning_rate(), double{0.0002f});
  EXPECT_EQ(reduced.optimizer().iterations(), 28125);

  copy_of_the_keras_file();
  const float float_step_count = 28125.0f;
  replace_dataset(file, "/optimizer_weights/adam/iteration", H5T_IEEE_F32LE, {}, H5T_NATIVE_FLOAT,
                  &float_step_count);
  const Sequential float_steps = load(warnings);
  EXPECT_EQ(warnings, "UserWarning: Error in loading the saved optimizer state from '" + file +
                          "' (Cannot read HDF5 file '" + file +
                          "': dataset '/optimizer_weights/adam/iteration' holds float32 values, "
                          "not integers). As a result, your model is starting with a freshly "
                          "initialized optimizer.\n");
  EXPECT_EQ(float_steps.optimizer().iterations(), 0);

  // Loaded for inference, the state is not read: nothing to say.
  ::testing::internal::CaptureStderr();
  const Sequential for_inference = models::load_model(file, {.compile = false});
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_FALSE(for_inference.compiled());
}

// Keras skips a saved state whose variable count differs from the optimizer's, with a warning:
// one saved before the optimizer took a step (2 variables), or none at all.
TEST_F(OptimizerStateTest, SkipsAStateOfAnotherCountWithKerasWarning) {
  Sequential untrained = small_cnn();
  compile_adam(untrained);
  untrained.save_weights(path("untrained.weights.h5"));
  small_cnn().save_weights(path("uncompiled.weights.h5"));

  Sequential model;
  EXPECT_EQ(load_into_a_built_optimizer(path("untrained.weights.h5"), model),
            "UserWarning: Skipping variable loading for optimizer 'adam', because it has 10 "
            "variables whereas the saved optimizer in '" +
                path("untrained.weights.h5") + "' has 2 variables.\n");
  EXPECT_EQ(model.optimizer().iterations(), 0);
  EXPECT_EQ(load_into_a_built_optimizer(path("uncompiled.weights.h5"), model),
            "UserWarning: Skipping variable loading for optimizer 'adam', because it has 10 "
            "variables whereas the saved optimizer in '" +
                path("uncompiled.weights.h5") + "' has 0 variables.\n");

  // A model that is not compiled has no optimizer to restore: the state is not read.
  Sequential uncompiled = small_cnn();
  ::testing::internal::CaptureStderr();
  trained_cnn().save_weights(path("trained.weights.h5"));
  uncompiled.load_weights(path("trained.weights.h5"));
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

// A saved variable of another shape fails the load, as in Keras, and leaves the model as it
// was: its weights and its optimizer.
TEST_F(OptimizerStateTest, NamesTheVariableWhoseShapeDiffersAndAssignsNothing) {
  trained_cnn().save_weights(path("trained.weights.h5"));
  const float values[] = {1.0f, 2.0f};
  replace_dataset(path("trained.weights.h5"), "/optimizer/vars/2", H5T_IEEE_F32LE, {2},
                  H5T_NATIVE_FLOAT, values);
  Sequential model = cnn_with_a_built_optimizer();
  const std::vector<Tensor> before = model.get_weights();
  EXPECT_EQ(error_message<FileError>([&] { model.load_weights(path("trained.weights.h5")); }),
            "Cannot load weights from '" + path("trained.weights.h5") +
                "': A total of 1 objects could not be loaded. Example error message for optimizer "
                "'adam' (Adam, group '/optimizer/vars'): Variable 'adam/conv_kernel_momentum' "
                "expects shape (3, 3, 1, 2), but '/optimizer/vars/2' has shape (2,)");
  const std::vector<Tensor> after = model.get_weights();
  for (std::size_t i = 0; i < before.size(); ++i) EXPECT_TRUE(bit_identical(after[i], before[i]));
  EXPECT_EQ(model.optimizer().iterations(), 0);
  expect_fresh_slots(model.optimizer());
}

TEST_F(OptimizerStateTest, RefusesALearningRateTheOptimizerCannotTake) {
  trained_cnn().save_weights(path("trained.weights.h5"));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  replace_dataset(path("trained.weights.h5"), "/optimizer/vars/1", H5T_IEEE_F32LE, {},
                  H5T_NATIVE_FLOAT, &nan);
  Sequential model;
  EXPECT_EQ(error_message<FileError>(
                [&] { (void)load_into_a_built_optimizer(path("trained.weights.h5"), model); }),
            "Cannot load weights from '" + path("trained.weights.h5") +
                "': A total of 1 objects could not be loaded. Example error message for optimizer "
                "'adam' (Adam, group '/optimizer/vars'): Optimizer 'adam' takes a finite learning "
                "rate >= 0, but '/optimizer/vars/1' holds nan");
}

TEST_F(OptimizerStateTest, RefusesAStepCountOutOfRangeOrNotAnInteger) {
  const std::string file = path("trained.weights.h5");
  const auto problem_with_steps = [&](hid_t type, hid_t memory_type, const void* steps) {
    trained_cnn().save_weights(file);
    replace_dataset(file, "/optimizer/vars/0", type, {}, memory_type, steps);
    Sequential model;
    return error_message<FileError>([&] { (void)load_into_a_built_optimizer(file, model); });
  };
  const std::string lead = "Cannot load weights from '" + file +
                           "': A total of 1 objects could not be loaded. Example error message "
                           "for optimizer 'adam' (Adam, group '/optimizer/vars'): ";
  for (const std::int64_t steps : {std::int64_t{-1}, std::numeric_limits<std::int64_t>::max()}) {
    EXPECT_EQ(problem_with_steps(H5T_STD_I64LE, H5T_NATIVE_INT64, &steps),
              lead + "Optimizer 'adam' counts its steps from 0, but '/optimizer/vars/0' holds " +
                  std::to_string(steps));
  }
  const double float_steps = 3.0;
  EXPECT_EQ(problem_with_steps(H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &float_steps),
            lead + "Cannot read HDF5 file '" + file +
                "': dataset '/optimizer/vars/0' holds float64 values, not integers");
}

// The learning rate is state too: a rate changed in training (ReduceLROnPlateau) comes back.
TEST_F(OptimizerStateTest, RestoresTheLearningRateTheOptimizerHad) {
  trained_cnn().save_weights(path("trained.weights.h5"));
  const float reduced = 0.0025f;
  replace_dataset(path("trained.weights.h5"), "/optimizer/vars/1", H5T_IEEE_F32LE, {},
                  H5T_NATIVE_FLOAT, &reduced);
  Sequential model;
  EXPECT_EQ(load_into_a_built_optimizer(path("trained.weights.h5"), model), "");
  EXPECT_EQ(model.optimizer().learning_rate(), double{0.0025f});
  EXPECT_EQ(model.optimizer().iterations(), 3);
}

}  // namespace
}  // namespace keras::io
