// SPDX-License-Identifier: Apache-2.0
#include "keras/models/model_from_json.h"

#include "keras/backend.h"
#include "keras/layers/conv2d.h"
#include "keras/layers/dense.h"
#include "keras/layers/dropout.h"
#include "keras/layers/flatten.h"
#include "keras/layers/input_layer.h"
#include "keras/layers/max_pooling2d.h"
#include "keras/utils/random.h"
#include "support/expect_error.h"
#include "support/golden_case.h"
#include "support/models.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace keras::models {
namespace {

using testing::all_close;
using testing::error_message;
using testing::mnist_convnet;

class ModelFromJsonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    utils::set_random_seed(3);
  }
};

TEST_F(ModelFromJsonTest, RoundTripsTheMnistConvnet) {
  Sequential original = mnist_convnet();
  Sequential copy = model_from_json(original.to_json());
  EXPECT_EQ(copy.to_json(), original.to_json());
  EXPECT_EQ(copy.count_params(), 34826);
  copy.set_weights(original.get_weights());
  const Tensor x = Tensor::uniform({3, 28, 28, 1}, 0.0f, 1.0f, 4);
  EXPECT_TRUE(all_close(copy.predict(x), original.predict(x)));
}

TEST_F(ModelFromJsonTest, WritesKeras3Structure) {
  const auto config = nlohmann::ordered_json::parse(mnist_convnet().to_json());
  EXPECT_EQ(config["module"], "keras");
  EXPECT_EQ(config["class_name"], "Sequential");
  EXPECT_EQ(config["build_config"]["input_shape"].dump(), "[null,28,28,1]");
  const auto& layers = config["config"]["layers"];
  ASSERT_EQ(layers.size(), 8u);
  EXPECT_EQ(layers[0]["class_name"], "InputLayer");
  EXPECT_FALSE(layers[0].contains("build_config"));
  EXPECT_EQ(layers[1]["build_config"]["input_shape"].dump(), "[null,28,28,1]");
  EXPECT_FALSE(layers[2].contains("build_config")) << "MaxPooling2D is built at construction";
  EXPECT_EQ(layers[5]["build_config"]["input_shape"].dump(), "[null,5,5,64]");
  EXPECT_EQ(layers[7]["module"], "keras.layers");
  EXPECT_TRUE(layers[7]["registered_name"].is_null());
}

TEST_F(ModelFromJsonTest, ReadsKeras2ConfigsWithInputShapeOnTheFirstLayer) {
  // The golden TF.js models hold Keras 2 style topologies.
  const auto cases = testing::discover_golden_cases(testing::golden_dir());
  const auto mlp = std::find_if(cases.begin(), cases.end(),
                                [](const auto& golden) { return golden.name == "model_mlp"; });
  ASSERT_NE(mlp, cases.end());
  std::ifstream file(mlp->folder / "model.json");
  const auto topology = nlohmann::json::parse(file)["modelTopology"];
  const Sequential model = model_from_json(topology.dump());
  EXPECT_EQ(model.name(), "model_mlp");
  EXPECT_EQ(model.input_shape(), Shape({None, 28, 28, 1}));
  EXPECT_EQ(model.layers().size(), 3u);
  EXPECT_EQ(model.layers_with_input()[0]->class_name(), "InputLayer");
}

TEST_F(ModelFromJsonTest, ReadsKeras20BareLayerLists) {
  const Sequential model = model_from_json(
      R"({"class_name": "Sequential", "config": [{"class_name": "Flatten", "config":
          {"name": "flatten_1", "batch_input_shape": [null, 4, 4]}}]})");
  EXPECT_EQ(model.output_shape(), Shape({None, 16}));
}

TEST_F(ModelFromJsonTest, NamesWhatItCannotRebuild) {
  EXPECT_EQ(error_message<NotImplementedError>(
                [] { (void)model_from_json(R"({"class_name": "Functional", "config": {}})"); }),
            "Cannot rebuild a model of class 'Functional': kerascpp rebuilds Sequential models");
  EXPECT_EQ(error_message<NotImplementedError>([] {
              (void)model_from_json(R"({"class_name": "Sequential", "config": {"layers": [
                  {"class_name": "LSTM", "config": {}}]}})");
            }),
            "Unknown layer: 'LSTM'. kerascpp does not implement this Keras layer class "
            "(docs/layers.md lists those it does).");
}

// The fuzzer's find: a Sequential without "config" was indexed before it was checked.
TEST_F(ModelFromJsonTest, NamesAMissingConfig) {
  EXPECT_EQ(error_message<ValueError>(
                [] { (void)model_from_json(R"({"class_name": "Sequential", "confCg": {}})"); }),
            R"(A serialized model needs a "config", got: {"class_name":"Sequential","confCg":{}})");
}

TEST_F(ModelFromJsonTest, SetWeightsChecksCountsAndShapes) {
  Sequential model = mnist_convnet();
  auto weights = model.get_weights();
  ASSERT_EQ(weights.size(), 6u);
  weights.pop_back();
  EXPECT_EQ(error_message<ValueError>([&] { model.set_weights(weights); }),
            "You called `set_weights(weights)` on layer 'sequential' with a weight list of "
            "length 5, but the layer was expecting 6 weights.");
  weights.push_back(Tensor::zeros({11}));
  EXPECT_EQ(error_message<ValueError>([&] { model.set_weights(weights); }),
            "Layer dense weight shape (10,) is not compatible with provided weight shape (11,).");
}

}  // namespace
}  // namespace keras::models
