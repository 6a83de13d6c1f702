// SPDX-License-Identifier: Apache-2.0
#include "keras/models/load_model.h"

#include "keras/backend.h"
#include "keras/error.h"
#include "keras/layers/conv2d.h"
#include "keras/layers/dense.h"
#include "keras/layers/dropout.h"
#include "keras/layers/flatten.h"
#include "keras/layers/input_layer.h"
#include "keras/layers/max_pooling2d.h"
#include "keras/models/model_from_json.h"
#include "keras/models/save_model.h"
#include "keras/utils/npy.h"
#include "keras/utils/random.h"
#include "support/expect_error.h"
#include "support/golden_case.h"
#include "support/models.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace keras::models {
namespace {

namespace fs = std::filesystem;
using testing::all_close;
using testing::error_message;
using testing::mnist_convnet;

fs::path keras_models_dir() {
  return testing::golden_dir().parent_path() / "data" / "keras-models";
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

class LoadModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    utils::set_random_seed(11);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / (std::string("kerascpp_load_model_") + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  [[nodiscard]] std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

void expect_matches_reference(Sequential& model, const fs::path& dir) {
  EXPECT_TRUE(all_close(model.predict(utils::load_npy((dir / "input.npy").string())),
                        utils::load_npy((dir / "expected.npy").string()), 1e-4, 1e-4));
}

TEST_F(LoadModelTest, RecognisesAKerasArchiveByContent) {
  const fs::path dir = keras_models_dir() / "mnist_mlp_keras310_zip";
  Sequential model = load_model((dir / "model.keras").string());
  expect_matches_reference(model, dir);
  EXPECT_TRUE(all_close(model.predict(utils::load_npy((dir / "mnist16_input.npy").string())),
                        utils::load_npy((dir / "mnist16_expected.npy").string()), 1e-4, 1e-4));
  // The name does not matter, the bytes do.
  const std::string renamed = path("model.bin");
  fs::copy_file(dir / "model.keras", renamed);
  Sequential again = load_model(renamed);
  expect_matches_reference(again, dir);
}

TEST_F(LoadModelTest, LoadsAnArchitectureAndKeras3WeightsAsTwoFiles) {
  // The real archive's config.json and model.weights.h5, as two files.
  const fs::path dir = keras_models_dir() / "mnist_mlp_keras310_zip";
  Sequential source = load_model((dir / "model.keras").string());
  write_bytes(path("config.json"), source.to_json());
  save_weights(source, path("mlp.weights.h5"));
  Sequential model = load_model(path("config.json"), path("mlp.weights.h5"));
  expect_matches_reference(model, dir);
}

TEST_F(LoadModelTest, LoadsAKeras2ArchitectureAndLegacyWeights) {
  const fs::path dir = keras_models_dir() / "mnist_lenet5_avgpool_json_weights_keras224";
  Sequential model = load_model((dir / "lenet5.json").string(), (dir / "lenet5.h5").string());
  expect_matches_reference(model, dir);
}

TEST_F(LoadModelTest, SavesAndLoadsBitForBit) {
  Sequential original = mnist_convnet();
  const Tensor x = Tensor::uniform({4, 28, 28, 1}, 0.0f, 1.0f, 3);
  original.save(path("convnet.keras"));
  Sequential copy = load_model(path("convnet.keras"));
  EXPECT_TRUE(all_close(copy.predict(x), original.predict(x)));

  original.save_weights(path("convnet.weights.h5"));
  Sequential fresh = mnist_convnet();
  fresh.load_weights(path("convnet.weights.h5"));
  EXPECT_TRUE(all_close(fresh.predict(x), original.predict(x)));
  Sequential from_archive = mnist_convnet();
  from_archive.load_weights(path("convnet.keras"));
  EXPECT_TRUE(all_close(from_archive.predict(x), original.predict(x)));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 2)
      << "no temporary files are left behind";
}

TEST_F(LoadModelTest, RecognisesLegacyH5AndTfjsModelsByContent) {
  const fs::path legacy = keras_models_dir() / "mnist_cnn_keras35_legacy_h5";
  Sequential from_h5 = load_model((legacy / "cnn_model_mnist.h5").string());
  expect_matches_reference(from_h5, legacy);
  const fs::path tfjs = keras_models_dir() / "fashion_mlp_tfjs";
  Sequential from_json = load_model((tfjs / "model.json").string());
  expect_matches_reference(from_json, tfjs);
}

TEST_F(LoadModelTest, AFailedSaveWeightsLeavesNoTemporary) {
  const std::string folder = path("in_the_way.weights.h5");
  fs::create_directory(folder);
  EXPECT_EQ(error_message<FileError>([&] { save_weights(mnist_convnet(), folder); }),
            "Cannot write '" + folder + "': Is a directory");
  EXPECT_TRUE(fs::is_directory(folder));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(LoadModelTest, RequiresKerasExtensionsWhenSaving) {
  const Sequential model = mnist_convnet();
  EXPECT_EQ(error_message<ValueError>([&] { save_model(model, "model.h5"); }),
            "Invalid `filepath` argument: expected a `.keras` extension. Received: "
            "filepath=model.h5");
  EXPECT_EQ(error_message<ValueError>([&] { save_weights(model, "model.h5"); }),
            "The filename must end in `.weights.h5`. Received: filepath=model.h5");
}

TEST_F(LoadModelTest, NamesAMissingFileAsKerasDoes) {
  const std::string keras = path("missing.keras");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_model(keras); }),
            "File not found: filepath=" + keras +
                ". Please ensure the file is an accessible `.keras` zip file.");
  const std::string h5 = path("missing.h5");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_model(h5); }),
            "File not found: filepath=" + h5 + ".");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_model(dir_.string()); }),
            "Cannot read '" + dir_.string() +
                "': it is a folder, not a file (a TensorFlow SavedModel folder is not "
                "supported)");
}

TEST_F(LoadModelTest, SaysWhatAFileThatIsNoModelStartsWith) {
  const std::string text = path("notes.keras");
  write_bytes(text, "hello\tworld's \x01\xff and more");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_model(text); }),
            "Cannot load model from '" + text +
                "': not a Keras model file (it starts with b'hello\\tworld\\'s \\x01\\xff'); "
                "kerascpp loads Keras 3 .keras archives, legacy Keras .h5 files and "
                "TensorFlow.js model.json files");
  const std::string empty = path("empty.h5");
  write_bytes(empty, "");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_model(empty); }),
            "Cannot load model from '" + empty +
                "': not a Keras model file (the file is empty); kerascpp loads Keras 3 .keras "
                "archives, legacy Keras .h5 files and TensorFlow.js model.json files");
  Sequential model = mnist_convnet();
  EXPECT_EQ(error_message<FileError>([&] { model.load_weights(text); }),
            "Cannot load weights from '" + text +
                "': not a Keras weights file (it starts with b'hello\\tworld\\'s \\x01\\xff'); "
                "kerascpp reads Keras 3 .weights.h5 and .keras files and legacy Keras .h5 "
                "files");
}

TEST_F(LoadModelTest, AsksForWeightsWithAnArchitectureAlone) {
  const std::string json = path("model.json");
  write_bytes(json, mnist_convnet().to_json());
  EXPECT_EQ(error_message<FileError>([&] { (void)load_model(json); }),
            "Cannot load model from '" + json +
                "': it holds a model architecture without weights; load it with its weights "
                "file, keras::models::load_model(architecture_path, weights_path) or the "
                "kerascpp command line's --weights option");
  const std::string other = path("other.json");
  write_bytes(other, "  {\"hello\": 1}");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_model(other); }),
            "Cannot load model from '" + other +
                "': not a Keras model file (it starts with b'  {\"hello\": 1}'); kerascpp loads "
                "Keras 3 .keras archives, legacy Keras .h5 files and TensorFlow.js model.json "
                "files");
  const std::string broken = path("broken.json");
  write_bytes(broken, "{\"class_name\": }");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_model(broken); }),
            "Invalid JSON in " + broken +
                ": parse error at line 1, column 16: syntax error while parsing value - "
                "unexpected '}'; expected '[', '{', or a literal");
}

TEST_F(LoadModelTest, NamesTheArchitectureFileOfTheTwoFileForm) {
  const std::string weights = path("w.weights.h5");
  const std::string not_json = path("arch.h5");
  write_bytes(not_json, "\x89HDF\r\n\x1a\n");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_model(not_json, weights); }),
            "Cannot load model from '" + not_json +
                "': an architecture file is JSON (Keras's model.to_json() or a .keras file's "
                "config.json), but it starts with b'\\x89HDF\\r\\n\\x1a\\n'");
  const std::string unknown = path("unknown.json");
  write_bytes(
      unknown,
      R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense3D", "config": {}}]}})");
  EXPECT_EQ(error_message<NotImplementedError>([&] { (void)load_model(unknown, weights); }),
            "Cannot load model from '" + unknown +
                "': Unknown layer: 'Dense3D'. kerascpp does not implement this Keras layer "
                "class (docs/layers.md lists those it does).");
}

}  // namespace
}  // namespace keras::models
