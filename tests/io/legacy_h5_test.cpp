// SPDX-License-Identifier: Apache-2.0
#include "io/legacy_h5.h"

#include "hdf5_test_files.h"
#include "io/functional_chain.h"
#include "io/hdf5_file.h"
#include "io/keras3_weights.h"
#include "io/model_config.h"
#include "keras/error.h"
#include "keras/keras.h"
#include "keras/models/model_from_json.h"
#include "keras/utils/npy.h"
#include "support/expect_error.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <utility>

namespace keras::io {
namespace {

using testing::all_close;
using testing::error_message;
using testing::keras_models_dir;

// ---------------------------------------------------------------------------------------------
// Real files from public repositories (../shared/data/keras-models; see each PROVENANCE.md).

struct RealFile {
  const char* folder;
  const char* file;
};

void PrintTo(const RealFile& real, std::ostream* out) { *out << real.folder; }

class LegacyH5RealFileTest : public ::testing::TestWithParam<RealFile> {
 protected:
  void SetUp() override {
    backend::clear_session();
    folder_ = keras_models_dir() / GetParam().folder;
  }
  [[nodiscard]] Tensor npy(const char* name) const {
    return utils::load_npy((folder_ / name).string());
  }
  std::filesystem::path folder_;
};

TEST_P(LegacyH5RealFileTest, PredictsTheExpectedOutputs) {
  const std::string file = (folder_ / GetParam().file).string();
  EXPECT_TRUE(is_legacy_h5_weights(hdf5::File::open_read(file)));
  Sequential model = load_legacy_h5_model(file);
  EXPECT_TRUE(all_close(model.predict(npy("input.npy")), npy("expected.npy"), 1e-4, 1e-4));
  if (std::filesystem::exists(folder_ / "mnist16_input.npy")) {
    EXPECT_TRUE(all_close(model.predict(npy("mnist16_input.npy")), npy("mnist16_expected.npy"),
                          1e-4, 1e-4));
  }
}

INSTANTIATE_TEST_SUITE_P(
    KerasModels, LegacyH5RealFileTest,
    ::testing::Values(RealFile{"mnist_cnn_same_act_keras224", "model.h5"},
                      RealFile{"mnist_cnn_keras35_legacy_h5", "cnn_model_mnist.h5"},
                      RealFile{"mnist_lenet_reshape_keras216", "mnist.h5"},
                      RealFile{"tiny_conv2d_same_8x8_keras231", "keras_conv2d_model.h5"},
                      RealFile{"tiny_mlp_batchnorm_functional_keras231",
                               "keras_3layer_batch_norm.h5"},
                      RealFile{"tiny_cnn_batchnorm_keras213", "cnn_batch_norm.h5"}),
    [](const ::testing::TestParamInfo<RealFile>& param) {
      std::string name = param.param.folder;
      std::erase(name, '_');
      return name;
    });

// Keras saved this file with a compiled model: Adam's two moments of every weight take twice
// the model's bytes. Loading reads the model's config and weights and the file's structure,
// not the optimizer's weights, which kerascpp does not restore.
TEST(LegacyH5LoadTest, ReadsTheModelsWeightsWithoutTheOptimizers) {
  backend::clear_session();
  const std::string path =
      (keras_models_dir() / "mnist_cnn_keras35_legacy_h5" / "cnn_model_mnist.h5").string();
  Sequential model = load_legacy_h5_model(path);
  std::uint64_t weight_bytes = 0;
  for (const Variable& weight : model.weights()) weight_bytes += weight.value().nbytes();
  hdf5::File file = hdf5::File::open_read(path);
  (void)file.root().string_attribute("model_config");  // what load_legacy_h5_model adds
  load_legacy_h5_weights(file, model, path);
  EXPECT_GE(file.bytes_read(), weight_bytes);
  EXPECT_LT(file.bytes_read(), weight_bytes + weight_bytes / 4);
  EXPECT_GT(std::filesystem::file_size(path), 3 * weight_bytes);
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream stream(file);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

TEST(LegacyH5TwoFileTest, LoadsSaveWeightsIntoAModelFromJson) {
  backend::clear_session();
  const std::filesystem::path folder =
      keras_models_dir() / "mnist_lenet5_avgpool_json_weights_keras224";
  ASSERT_TRUE(std::filesystem::exists(folder / "lenet5.h5")) << "missing " << folder;
  const std::string weights = (folder / "lenet5.h5").string();
  EXPECT_TRUE(is_legacy_h5_weights(hdf5::File::open_read(weights)));
  Sequential model = models::model_from_json(read_text(folder / "lenet5.json"));
  load_legacy_h5_weights(weights, model);
  const auto npy = [&](const char* name) { return utils::load_npy((folder / name).string()); };
  EXPECT_TRUE(all_close(model.predict(npy("input.npy")), npy("expected.npy"), 1e-4, 1e-4));
  EXPECT_TRUE(
      all_close(model.predict(npy("mnist16_input.npy")), npy("mnist16_expected.npy"), 1e-4, 1e-4));
  // It holds weights only.
  EXPECT_EQ(error_message<FileError>([&] { (void)load_legacy_h5_model(weights); }),
            "Cannot load model from '" + weights +
                "': it has no 'model_config' attribute, so it holds weights only (Keras's "
                "save_weights); load them into a model of the same architecture with "
                "load_weights");
}

// ---------------------------------------------------------------------------------------------
// Files written here in Keras 2's layout.

struct SavedWeight {
  std::string name;
  Tensor value;
};
struct SavedLayer {
  std::string name;
  std::vector<SavedWeight> weights;
};

// What Keras 2's save_weights_to_hdf5_group writes into `group`.
void write_keras2_weights(const hdf5::Group& group, const std::vector<SavedLayer>& saved,
                          const std::string& keras_version = "2.15.0",
                          const std::string& backend = "tensorflow") {
  std::vector<std::string> layer_names;
  for (const SavedLayer& layer : saved) {
    layer_names.push_back(layer.name);
    const hdf5::Group layer_group = group.create_group(layer.name);
    std::vector<std::string> weight_names;
    for (const SavedWeight& weight : layer.weights) {
      weight_names.push_back(weight.name);
      layer_group.write_float32(weight.name, weight.value);
    }
    layer_group.write_string_list_attribute("weight_names", weight_names);
  }
  group.write_string_list_attribute("layer_names", layer_names);
  group.write_string_attribute("keras_version", keras_version);
  group.write_string_attribute("backend", backend);
}

std::vector<SavedLayer> saved_layers(const Sequential& model) {
  std::vector<SavedLayer> saved;
  for (const auto& layer : model.layers()) {
    SavedLayer entry{layer->name(), {}};
    for (const Variable& variable : layer->weights()) {
      entry.weights.push_back({variable.path() + ":0", variable.value().clone()});
    }
    saved.push_back(std::move(entry));
  }
  return saved;
}

Sequential small_cnn() {
  Sequential model("small");
  model.add(Input({.shape = {6, 6, 2}}));
  model.add(layers::Conv2D({.filters = 3, .kernel_size = 3, .activation = "relu"}));
  model.add(layers::BatchNormalization());
  model.add(layers::Flatten());
  model.add(layers::Dense({.units = 4, .activation = "softmax"}));
  std::uint64_t seed = 20;
  for (const Variable& variable : model.weights()) {
    Variable target = variable;
    target.assign(Tensor::uniform(variable.value().shape(), 0.2f, 1.0f, seed++));
  }
  return model;
}

class LegacyH5Test : public testing::Hdf5TestFolder {
 protected:
  std::string write_weights(const std::string& name, const std::vector<SavedLayer>& saved,
                            const std::string& keras_version = "2.15.0",
                            const std::string& backend = "tensorflow") {
    hdf5::File file = hdf5::File::create(path(name));
    write_keras2_weights(file.root(), saved, keras_version, backend);
    file.close();
    return path(name);
  }
  std::string write_model(const std::string& name, const std::string& model_config,
                          const std::vector<SavedLayer>& saved) {
    hdf5::File file = hdf5::File::create(path(name));
    file.root().write_string_attribute("model_config", model_config);
    write_keras2_weights(file.root().create_group("model_weights"), saved);
    file.close();
    return path(name);
  }
};

TEST_F(LegacyH5Test, RoundTripsAFullModelFile) {
  const Sequential saved = small_cnn();
  const std::string file =
      write_model("m.h5", sequential_config(saved).dump(), saved_layers(saved));
  Sequential loaded = load_legacy_h5_model(file);
  const Tensor x = Tensor::uniform({3, 6, 6, 2}, 0.0f, 1.0f, 4);
  EXPECT_TRUE(all_close(loaded.predict(x), Sequential(small_cnn()).predict(x)));
  // The same file's weights load into a model of the same architecture.
  backend::clear_session();
  Sequential other = small_cnn();
  for (const Variable& variable : other.weights()) {
    Variable target = variable;
    target.assign(Tensor::zeros(variable.value().shape()));
  }
  load_legacy_h5_weights(file, other);
  EXPECT_TRUE(all_close(other.predict(x), loaded.predict(x)));
}

TEST_F(LegacyH5Test, MatchesLayersByPositionNotByName) {
  const Sequential saved = small_cnn();
  std::vector<SavedLayer> layers = saved_layers(saved);
  for (SavedLayer& layer : layers) layer.name = "renamed_" + layer.name;
  // Keras 3's legacy writer: weight names without ":0", and an empty top-level group.
  for (SavedLayer& layer : layers) {
    for (SavedWeight& weight : layer.weights) weight.name = "sequential/" + weight.name;
  }
  const std::string file = write_weights("w.h5", layers);
  {
    hdf5::silence_errors();
    const hdf5::Handle raw(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
    const hdf5::Handle top(
        H5Gcreate2(raw.get(), "top_level_model_weights", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        H5Gclose);
    testing::raw_attribute(top.get(), "weight_names", H5T_IEEE_F64LE, {0}, nullptr);
  }
  backend::clear_session();
  Sequential model = small_cnn();
  for (const Variable& variable : model.weights()) {
    Variable target = variable;
    target.assign(Tensor::zeros(variable.value().shape()));
  }
  load_legacy_h5_weights(file, model);
  const std::vector<Tensor> want = saved.get_weights();
  const std::vector<Tensor> got = model.get_weights();
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_TRUE(all_close(got[i], want[i])) << i;
}

TEST_F(LegacyH5Test, NamesLayerAndWeightCountMismatches) {
  const Sequential model_a = small_cnn();
  std::vector<SavedLayer> layers = saved_layers(model_a);
  layers.pop_back();
  const std::string file = write_weights("w.h5", layers);
  backend::clear_session();
  Sequential model = small_cnn();
  EXPECT_EQ(error_message<FileError>([&] { load_legacy_h5_weights(file, model); }),
            "Cannot load weights from '" + file +
                "': Layer count mismatch when loading weights from file. Model expected 3 "
                "layers, found 2 saved layers.");

  layers = saved_layers(model_a);
  layers[1].weights.pop_back();
  const std::string fewer = write_weights("fewer.h5", layers);
  EXPECT_EQ(error_message<FileError>([&] { load_legacy_h5_weights(fewer, model); }),
            "Cannot load weights from '" + fewer +
                "': Weight count mismatch for layer #1 (named batch_normalization in the current "
                "model, batch_normalization in the save file). Layer expects 4 weight(s). "
                "Received 3 saved weight(s)");
}

TEST_F(LegacyH5Test, NamesTheLayerTheWeightAndBothShapes) {
  std::vector<SavedLayer> layers = saved_layers(small_cnn());
  layers[3].weights[0].value = Tensor::zeros({27, 5});
  const std::string file = write_weights("w.h5", layers);
  backend::clear_session();
  Sequential model = small_cnn();
  const std::vector<Tensor> before = model.get_weights();
  EXPECT_EQ(error_message<FileError>([&] { load_legacy_h5_weights(file, model); }),
            "Cannot load weights from '" + file +
                "': Shape mismatch in layer #2 (named dense) for weight dense/kernel. Weight "
                "expects shape (48, 4). Received saved weight with shape (27, 5) "
                "('/dense/dense/kernel:0')");
  const std::vector<Tensor> after = model.get_weights();
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_TRUE(all_close(after[i], before[i]));
}

TEST_F(LegacyH5Test, RejectsTopLevelWeights) {
  {
    hdf5::File raw = hdf5::File::create(path("top.h5"));
    write_keras2_weights(raw.root(), saved_layers(small_cnn()));
    const hdf5::Group top = raw.root().create_group("top_level_model_weights");
    top.write_float32("scale", Tensor::ones({1}));
    top.write_string_list_attribute("weight_names", {"scale"});
    raw.close();
  }
  backend::clear_session();
  Sequential model = small_cnn();
  EXPECT_EQ(error_message<FileError>([&] { load_legacy_h5_weights(path("top.h5"), model); }),
            "Cannot load weights from '" + path("top.h5") +
                "': Weight count mismatch for top-level weights when loading weights from file. "
                "Model expects 0 top-level weight(s). Received 1 saved top-level weight(s)");
}

TEST_F(LegacyH5Test, NamesMissingGroupsAndDatasets) {
  std::vector<SavedLayer> layers = saved_layers(small_cnn());
  const std::string file = write_weights("w.h5", layers);
  {
    hdf5::silence_errors();
    const hdf5::Handle raw(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
    ASSERT_GE(H5Ldelete(raw.get(), "dense/dense/bias:0", H5P_DEFAULT), 0);
    ASSERT_GE(H5Lmove(raw.get(), "conv2d", raw.get(), "elsewhere", H5P_DEFAULT, H5P_DEFAULT), 0);
  }
  backend::clear_session();
  Sequential model = small_cnn();
  EXPECT_EQ(error_message<FileError>([&] { load_legacy_h5_weights(file, model); }),
            "Cannot read HDF5 file '" + file + "': group '/' has no group 'conv2d'");
  {
    const hdf5::Handle raw(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
    ASSERT_GE(H5Lmove(raw.get(), "elsewhere", raw.get(), "conv2d", H5P_DEFAULT, H5P_DEFAULT), 0);
  }
  EXPECT_EQ(error_message<FileError>([&] { load_legacy_h5_weights(file, model); }),
            "Cannot read HDF5 file '" + file + "': group '/dense' has no dataset 'dense/bias:0'");
}

TEST_F(LegacyH5Test, RejectsFilesThatAreNotKeras2Weights) {
  {
    hdf5::File file = hdf5::File::create(path("empty.h5"));
    file.close();
  }
  Sequential model = small_cnn();
  EXPECT_FALSE(is_legacy_h5_weights(hdf5::File::open_read(path("empty.h5"))));
  EXPECT_EQ(error_message<FileError>([&] { load_legacy_h5_weights(path("empty.h5"), model); }),
            "Cannot load weights from '" + path("empty.h5") +
                "': it has neither a 'layer_names' attribute nor a 'model_weights' group (it is "
                "not a Keras 2 weights file)");
  save_keras3_weights(model, path("k3.weights.h5"));
  EXPECT_FALSE(is_legacy_h5_weights(hdf5::File::open_read(path("k3.weights.h5"))));
  std::ofstream(path("text.h5")) << "text";
  EXPECT_EQ(error_message<FileError>([&] { (void)load_legacy_h5_model(path("text.h5")); }),
            "Cannot read HDF5 file '" + path("text.h5") +
                "': it is not an HDF5 file (no HDF5 signature)");
}

TEST_F(LegacyH5Test, RejectsWeightsItWouldHaveToConvert) {
  const std::string keras1 = write_weights("k1.h5", saved_layers(small_cnn()), "1.2.2");
  const std::string theano = write_weights("th.h5", saved_layers(small_cnn()), "2.0.8", "theano");
  backend::clear_session();
  Sequential model = small_cnn();
  EXPECT_EQ(error_message<NotImplementedError>([&] { load_legacy_h5_weights(keras1, model); }),
            "Cannot load weights from '" + keras1 +
                "': it was written by Keras 1.2.2, whose weight layouts Keras 2 converts on "
                "loading; kerascpp reads files written by Keras 2 and later");
  EXPECT_EQ(error_message<NotImplementedError>([&] { load_legacy_h5_weights(theano, model); }),
            "Cannot load weights from '" + theano +
                "': it was written with the Theano backend, whose convolution kernels Keras "
                "flips on loading (layer 'conv2d'); kerascpp does not convert them");
}

TEST_F(LegacyH5Test, RejectsAnUnbuiltModel) {
  const std::string file = write_weights("w.h5", saved_layers(small_cnn()));
  Sequential model("unbuilt");
  model.add(layers::Dense({.units = 4}));
  EXPECT_EQ(error_message<ValueError>([&] { load_legacy_h5_weights(file, model); }),
            "Cannot load weights from '" + file +
                "' into model 'unbuilt': the model is not built, so its layers have no weights "
                "yet; give it an input shape first");
}

TEST_F(LegacyH5Test, LoadsAFunctionalChainAndNamesWhatIsNotOne) {
  const Sequential saved = small_cnn();
  // Keras 2's Functional form of small_cnn.
  Json functional = Json::parse(R"({"class_name": "Model", "config": {"name": "model_1",
    "layers": [], "input_layers": [["input_1", 0, 0]], "output_layers": [["dense", 0, 0]]}})");
  std::string previous = "input_1";
  Json& list = functional["config"]["layers"];
  list.push_back({{"name", "input_1"},
                  {"class_name", "InputLayer"},
                  {"config", {{"batch_input_shape", {nullptr, 6, 6, 2}}, {"name", "input_1"}}},
                  {"inbound_nodes", Json::array()}});
  for (const auto& layer : saved.layers()) {
    Json entry = serialize_layer(*layer);
    entry["name"] = layer->name();
    entry["inbound_nodes"] =
        Json::array({Json::array({Json::array({previous, 0, 0, Json::object()})})});
    previous = layer->name();
    list.push_back(entry);
  }
  const std::string file = write_model("f.h5", functional.dump(), saved_layers(saved));
  backend::clear_session();
  Sequential loaded = load_legacy_h5_model(file);
  EXPECT_EQ(loaded.name(), "model_1");
  const Tensor x = Tensor::uniform({2, 6, 6, 2}, 0.0f, 1.0f, 8);
  EXPECT_TRUE(all_close(loaded.predict(x), Sequential(small_cnn()).predict(x)));

  list[4]["inbound_nodes"][0].push_back(Json::array({"input_1", 0, 0, Json::object()}));
  const std::string branched = write_model("b.h5", functional.dump(), saved_layers(saved));
  EXPECT_EQ(error_message<NotImplementedError>([&] { (void)load_legacy_h5_model(branched); }),
            "Cannot load model from '" + branched +
                "': Functional model 'model_1' is not a single chain of layers: layer 'dense' "
                "takes 2 inputs. kerascpp loads Functional models whose layers form one chain, "
                "as a Sequential");
}

TEST_F(LegacyH5Test, NamesTheFileInConfigErrors) {
  const std::string broken = write_model("j.h5", R"({"class_name": "Sequential", )", {});
  const std::string parse_error = error_message<ValueError>([&] {
    (void)parse_json(R"({"class_name": "Sequential", )", "the model_config of '" + broken + "'");
  });
  EXPECT_EQ(error_message<FileError>([&] { (void)load_legacy_h5_model(broken); }),
            "Cannot load model from '" + broken + "': " + parse_error);
  const std::string unknown = write_model(
      "u.h5", R"({"class_name": "Sequential", "config": [{"class_name": "Lambda", "config": {}}]})",
      {});
  EXPECT_EQ(error_message<NotImplementedError>([&] { (void)load_legacy_h5_model(unknown); }),
            "Cannot load model from '" + unknown +
                "': Unknown layer: 'Lambda'. kerascpp does not implement this Keras layer class "
                "(docs/layers.md lists those it does).");
}

// The chain rules functional_chain_test.cpp does not reach.
TEST(FunctionalChainReasonsTest, NamesEveryOtherReason) {
  const auto chain = [](const std::string& dense_nodes, const std::string& input_class) {
    return Json::parse(R"({"class_name": "Model", "config": {"name": "m", "layers": [
      {"name": "in", "class_name": ")" +
                       input_class + R"(", "config": {"name": "in"},
       "inbound_nodes": []},
      {"name": "d", "class_name": "Dense", "config": {"name": "d", "units": 1},
       "inbound_nodes": )" +
                       dense_nodes + R"(}],
      "input_layers": [["in", 0, 0]], "output_layers": [["d", 0, 0]]}})");
  };
  const auto reason = [](const Json& config) {
    return error_message<NotImplementedError>([&] { (void)sequential_config_of(config); });
  };
  const std::string lead = "Functional model 'm' is not a single chain of layers: ";
  const std::string tail =
      ". kerascpp loads Functional models whose layers form one chain, as a Sequential";
  EXPECT_EQ(reason(chain(R"([[["in", 0, 0, {"training": true, "mask": null}]]])", "InputLayer")),
            lead + "layer 'd' is called with keyword arguments (training)" + tail);
  EXPECT_EQ(reason(chain(R"([{"args": [{"class_name": "__keras_tensor__", "config":
                            {"keras_history": ["in", 0, 0]}}], "kwargs": {"training": false}}])",
                         "InputLayer")),
            lead + "layer 'd' is called with keyword arguments (training)" + tail);
  EXPECT_EQ(reason(chain(R"([[["in", 1, 2, {}]]])", "InputLayer")),
            lead + "layer 'd' takes output 2 of call 1 of layer 'in'" + tail);
  EXPECT_EQ(reason(chain(R"([[["in", 0, 0, {}]]])", "Dense")),
            lead + "its input 'in' is a Dense, not an InputLayer" + tail);
  EXPECT_EQ(reason(chain(R"([[["d", 0, 0, {}]]])", "InputLayer")),
            lead + "layer 'd' is not connected to the input" + tail);
  const auto unreadable = [](const Json& config) {
    return error_message<ValueError>([&] { (void)sequential_config_of(config); });
  };
  EXPECT_EQ(unreadable(chain(R"([[[0, 0, 0]]])", "InputLayer")),
            "Functional model 'm' has a tensor reference kerascpp cannot read: [0,0,0]");
  EXPECT_EQ(unreadable(chain(R"([7])", "InputLayer")),
            "Functional model 'm' has an inbound node kerascpp cannot read: 7");
  Json config = chain(R"([[["in", 0, 0, {}]]])", "InputLayer");
  config["config"]["input_layers"] = "in";
  EXPECT_EQ(unreadable(config), "Functional model 'm' has a \"input_layers\" that is not a list");
}

}  // namespace
}  // namespace keras::io
