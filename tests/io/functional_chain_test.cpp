// SPDX-License-Identifier: Apache-2.0
#include "io/functional_chain.h"

#include "io/model_config.h"
#include "keras/backend.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

namespace keras::io {
namespace {

using testing::error_message;

// Keras 2 / TF.js form; the layers are listed out of call order on purpose.
constexpr const char* keras2_chain = R"(
  {"class_name": "Model", "config": {"name": "model_1", "layers": [
    {"name": "out", "class_name": "Dense", "inbound_nodes": [[["hidden", 0, 0, {}]]],
     "config": {"name": "out", "units": 2}},
    {"name": "input_1", "class_name": "InputLayer", "inbound_nodes": [],
     "config": {"batch_input_shape": [null, 4], "dtype": "float32", "name": "input_1"}},
    {"name": "hidden", "class_name": "Dense", "inbound_nodes": [[["input_1", 0, 0, {}]]],
     "config": {"name": "hidden", "units": 3}}],
   "input_layers": [["input_1", 0, 0]], "output_layers": [["out", 0, 0]]}})";

// Keras 3 form: a flat endpoint and __keras_tensor__ arguments.
constexpr const char* keras3_chain = R"(
  {"module": "keras", "class_name": "Functional", "config": {"name": "functional",
   "layers": [
    {"module": "keras.layers", "class_name": "InputLayer", "name": "input_layer",
     "config": {"batch_shape": [null, 4], "dtype": "float32", "name": "input_layer"},
     "inbound_nodes": []},
    {"module": "keras.layers", "class_name": "Dense", "name": "dense",
     "config": {"name": "dense", "units": 2},
     "build_config": {"input_shape": [null, 4]},
     "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {
       "shape": [null, 4], "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}],
       "kwargs": {}}]}],
   "input_layers": ["input_layer", 0, 0], "output_layers": ["dense", 0, 0]},
   "registered_name": "Functional"})";

class FunctionalChainTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(FunctionalChainTest, PutsAKeras2ChainInCallOrder) {
  const Json config = sequential_config_of(Json::parse(keras2_chain));
  EXPECT_EQ(config["class_name"], "Sequential");
  EXPECT_EQ(config["config"]["name"], "model_1");
  const Sequential model = sequential_from_config(config);
  ASSERT_EQ(model.layers().size(), 2u);
  EXPECT_EQ(model.layers()[0]->name(), "hidden");
  EXPECT_EQ(model.output_shape(), Shape({None, 2}));
}

TEST_F(FunctionalChainTest, ReadsKeras3NodesAndFlatEndpoints) {
  const Sequential model = sequential_from_config(sequential_config_of(Json::parse(keras3_chain)));
  EXPECT_EQ(model.name(), "functional");
  EXPECT_EQ(model.input_shape(), Shape({None, 4}));
  EXPECT_EQ(model.count_params(), 10);
}

TEST_F(FunctionalChainTest, LeavesOtherClassesAlone) {
  const Json sequential = Json::parse(R"({"class_name": "Sequential", "config": {}})");
  EXPECT_EQ(sequential_config_of(sequential), sequential);
}

TEST_F(FunctionalChainTest, NamesWhyAGraphIsNotAChain) {
  const auto reason = [](const std::string& change_from, const std::string& change_to) {
    std::string text = keras2_chain;
    text.replace(text.find(change_from), change_from.size(), change_to);
    return error_message<NotImplementedError>(
        [&] { (void)sequential_config_of(Json::parse(text)); });
  };
  const std::string lead = "Functional model 'model_1' is not a single chain of layers: ";
  const std::string tail =
      ". kerascpp loads Functional models whose layers form one chain, as a Sequential";
  EXPECT_EQ(reason(R"([["out", 0, 0]])", R"([["out", 0, 0], ["hidden", 0, 0]])"),
            lead + "it has 1 inputs and 2 outputs" + tail);
  EXPECT_EQ(reason(R"([[["hidden", 0, 0, {}]]])", R"([[["hidden", 0, 0, {}], ["input_1", 0, 0,
                   {}]]])"),
            lead + "layer 'out' takes 2 inputs" + tail);
  EXPECT_EQ(reason(R"([[["hidden", 0, 0, {}]]])", R"([[["hidden", 0, 0, {}]], [["input_1", 0,
                   0, {}]]])"),
            lead + "layer 'out' is called 2 times" + tail);
  EXPECT_EQ(reason(R"([[["hidden", 0, 0, {}]]])", R"([[["input_1", 0, 0, {}]]])"),
            lead + "layer 'hidden' is not on the path from the input to the output" + tail);
}

TEST_F(FunctionalChainTest, RejectsReferencesToUnknownLayers) {
  std::string text = keras2_chain;
  text.replace(text.find(R"([[["hidden")"), 11, R"([[["missing")");
  EXPECT_EQ(error_message<ValueError>([&] { (void)sequential_config_of(Json::parse(text)); }),
            "Functional model 'model_1' refers to layer 'missing', which is not one of its layers");
  EXPECT_EQ(error_message<ValueError>(
                [] { (void)sequential_config_of(Json::parse(R"({"class_name": "Functional"})")); }),
            "A serialized Functional model needs a list of \"layers\" in its config");
}

}  // namespace
}  // namespace keras::io
