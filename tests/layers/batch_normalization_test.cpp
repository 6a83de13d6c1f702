// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/batch_normalization.h"

#include "keras/backend.h"
#include "keras/utils/random.h"
#include "support/expect_error.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace keras::layers {
namespace {

using initializers::Initializer;
using testing::all_close;
using testing::error_message;
using testing::gradient_matches_finite_differences;

struct Statistics {
  std::vector<double> mean;
  std::vector<double> variance;  // biased
};

// Per-column mean and biased variance of a (rows, C) tensor, in double precision.
Statistics column_statistics(const Tensor& x) {
  const auto rows = x.dim(0);
  const auto channels = x.dim(1);
  const auto values = x.to_vector();
  Statistics stats{std::vector<double>(static_cast<std::size_t>(channels)),
                   std::vector<double>(static_cast<std::size_t>(channels))};
  for (std::int64_t c = 0; c < channels; ++c) {
    double sum = 0;
    double squares = 0;
    for (std::int64_t r = 0; r < rows; ++r)
      sum += values[static_cast<std::size_t>(r * channels + c)];
    const double mean = sum / static_cast<double>(rows);
    for (std::int64_t r = 0; r < rows; ++r) {
      const double d = values[static_cast<std::size_t>(r * channels + c)] - mean;
      squares += d * d;
    }
    stats.mean[static_cast<std::size_t>(c)] = mean;
    stats.variance[static_cast<std::size_t>(c)] = squares / static_cast<double>(rows);
  }
  return stats;
}

// gamma · (x − mean) / sqrt(variance + epsilon) + beta on a (rows, C) tensor.
Tensor normalize(const Tensor& x, const Statistics& stats, const std::vector<float>& gamma,
                 const std::vector<float>& beta, double epsilon) {
  const auto channels = x.dim(1);
  auto values = x.to_vector();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto c = i % static_cast<std::size_t>(channels);
    values[i] = static_cast<float>(
        gamma[c] * (values[i] - stats.mean[c]) / std::sqrt(stats.variance[c] + epsilon) + beta[c]);
  }
  return Tensor::from_data(values, x.shape());
}

Tensor vector_tensor(const std::vector<double>& values) {
  const std::vector<float> floats(values.begin(), values.end());
  return Tensor::from_data(floats, {static_cast<std::int64_t>(floats.size())});
}

class BatchNormalizationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    utils::set_random_seed(1);
  }
};

TEST_F(BatchNormalizationTest, KeepsTheShapeAndHasKerasWeights) {
  BatchNormalization layer;
  EXPECT_EQ(layer.compute_output_spec({None, None, None, 3}), Shape({None, None, None, 3}));
  EXPECT_EQ(layer.count_params(), 12);
  std::vector<std::string> paths;
  for (const Variable& weight : layer.weights()) paths.push_back(weight.path());
  EXPECT_EQ(paths, (std::vector<std::string>{
                       "batch_normalization/gamma", "batch_normalization/beta",
                       "batch_normalization/moving_mean", "batch_normalization/moving_variance"}));
  EXPECT_EQ(layer.trainable_weights().size(), 2u);
  EXPECT_EQ(layer.non_trainable_weights().size(), 2u);
  EXPECT_TRUE(all_close(layer.weights()[0].value(), Tensor::ones({3})));
  EXPECT_TRUE(all_close(layer.weights()[1].value(), Tensor::zeros({3})));
  EXPECT_TRUE(all_close(layer.weights()[2].value(), Tensor::zeros({3})));
  EXPECT_TRUE(all_close(layer.weights()[3].value(), Tensor::ones({3})));

  BatchNormalization channels_first({.axis = 1});
  EXPECT_EQ(channels_first.compute_output_spec({None, 8, None, 5}), Shape({None, 8, None, 5}));
  EXPECT_EQ(channels_first.count_params(), 32);
}

TEST_F(BatchNormalizationTest, WithoutCenterAndScaleOnlyMovingStatisticsRemain) {
  BatchNormalization layer({.center = false, .scale = false});
  (void)layer.compute_output_spec({None, 4});
  EXPECT_EQ(layer.count_params(), 8);
  EXPECT_TRUE(layer.trainable_weights().empty());
  EXPECT_EQ(layer.weights()[0].name(), "moving_mean");
  BatchNormalization only_scale({.center = false});
  (void)only_scale.compute_output_spec({None, 4});
  EXPECT_EQ(only_scale.weights()[0].name(), "gamma");
  EXPECT_EQ(only_scale.weights().size(), 3u);
}

TEST_F(BatchNormalizationTest, InferenceUsesTheMovingStatistics) {
  BatchNormalization layer({.epsilon = 1e-5});
  const Tensor x = Tensor::uniform({5, 3}, -2.0f, 2.0f, 3);
  (void)layer.compute_output_spec({None, 3});
  const std::vector<float> gamma{0.5f, 2.0f, -1.0f};
  const std::vector<float> beta{0.1f, -0.2f, 0.3f};
  const Statistics moving{{0.2, -0.1, 0.5}, {0.5, 1.5, 2.0}};
  auto weights = layer.weights();
  weights[0].assign(Tensor::from_data(gamma, {3}));
  weights[1].assign(Tensor::from_data(beta, {3}));
  weights[2].assign(vector_tensor(moving.mean));
  weights[3].assign(vector_tensor(moving.variance));
  EXPECT_TRUE(all_close(layer(x, false), normalize(x, moving, gamma, beta, 1e-5), 1e-6, 1e-5));
  EXPECT_TRUE(all_close(weights[2].value(), vector_tensor(moving.mean)));  // untouched
}

TEST_F(BatchNormalizationTest, TrainingUsesBatchStatisticsAndMovesTheMovingOnes) {
  BatchNormalization layer({.momentum = 0.9});
  const Tensor x = Tensor::uniform({6, 4}, -1.0f, 3.0f, 5);
  const Tensor y = layer(x, true);
  const Statistics batch = column_statistics(x);
  EXPECT_TRUE(all_close(y, normalize(x, batch, {1, 1, 1, 1}, {0, 0, 0, 0}, 1e-3), 1e-5, 1e-5));
  std::vector<double> mean(4);
  std::vector<double> variance(4);
  for (std::size_t c = 0; c < 4; ++c) {
    mean[c] = 0.1 * batch.mean[c];                // from 0: moving * 0.9 + batch * 0.1
    variance[c] = 0.9 + 0.1 * batch.variance[c];  // from 1, with the biased batch variance
  }
  EXPECT_TRUE(all_close(layer.weights()[2].value(), vector_tensor(mean), 1e-6, 1e-5));
  EXPECT_TRUE(all_close(layer.weights()[3].value(), vector_tensor(variance), 1e-6, 1e-5));
}

TEST_F(BatchNormalizationTest, FrozenLayerRunsInInferenceModeEvenWhenTraining) {
  BatchNormalization layer({.trainable = false});
  const Tensor x = Tensor::uniform({4, 2}, 1.0f, 3.0f, 6);
  // Moving statistics 0 and 1: inference is x / sqrt(1 + epsilon).
  const Statistics initial{{0, 0}, {1, 1}};
  EXPECT_TRUE(all_close(layer(x, true), normalize(x, initial, {1, 1}, {0, 0}, 1e-3), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(layer.weights()[2].value(), Tensor::zeros({2})));
  EXPECT_TRUE(all_close(layer.weights()[3].value(), Tensor::ones({2})));
  EXPECT_TRUE(layer.trainable_weights().empty());
}

TEST_F(BatchNormalizationTest, AnyChannelAxisMatchesChannelsLastOnTransposedData) {
  // (shape, axis, the permutation that moves that axis last, and its inverse).
  struct Case {
    std::vector<std::int64_t> shape;
    int axis;
    std::vector<int> to_last;
    std::vector<int> back;
  };
  const std::vector<Case> cases{{{2, 3, 4, 5}, 1, {0, 2, 3, 1}, {0, 3, 1, 2}},
                                {{2, 3, 4}, 1, {0, 2, 1}, {0, 2, 1}},
                                {{2, 3, 4, 5}, 2, {0, 1, 3, 2}, {0, 1, 3, 2}}};
  for (const Case& test : cases) {
    for (const bool training : {true, false}) {
      const Tensor x = Tensor::uniform(test.shape, -1.0f, 2.0f, 8);
      // Seeded moving statistics: both layers get the same ones.
      const BatchNormalizationOptions options{
          .axis = test.axis,
          .moving_mean_initializer = Initializer::random_uniform(-0.5, 0.5, 11),
          .moving_variance_initializer = Initializer::random_uniform(0.5, 1.5, 12)};
      BatchNormalization by_axis(options);
      BatchNormalizationOptions last_options = options;
      last_options.axis = -1;
      BatchNormalization last(last_options);
      const Tensor y = by_axis(x, training);
      const Tensor expected =
          last(x.permute(test.to_last).contiguous(), training).permute(test.back);
      EXPECT_TRUE(all_close(y, expected, 1e-5, 1e-5)) << test.axis << " training " << training;
    }
  }
}

TEST_F(BatchNormalizationTest, TakesNewBatchSizesIncludingEmptyOnes) {
  BatchNormalization layer;
  const Tensor big = Tensor::uniform({6, 2, 2, 3}, -1.0f, 1.0f, 9);
  const Tensor first = layer(big, true);
  (void)layer(big.slice(0, 2).contiguous(), true);
  const Tensor again = layer(big, true);
  EXPECT_TRUE(all_close(first, again, 1e-6, 1e-6));
  EXPECT_EQ(layer(Tensor::zeros({0, 2, 2, 3}), true).shape(),
            (std::vector<std::int64_t>{0, 2, 2, 3}));
}

TEST_F(BatchNormalizationTest, BackwardMatchesFiniteDifferences) {
  struct Layout {
    std::vector<std::int64_t> shape;
    int axis;
  };
  const std::vector<Layout> layouts{
      {{2, 3, 3, 4}, -1}, {{2, 4, 3, 3}, 1}, {{5, 3}, -1}, {{3, 4, 2}, 1}};
  const std::vector<std::pair<bool, bool>> parameters{
      {true, true}, {false, false}, {true, false}, {false, true}};
  for (const Layout& layout : layouts) {
    for (const auto& [center, scale] : parameters) {
      for (const bool training : {true, false}) {
        BatchNormalization layer(
            {.axis = layout.axis,
             .center = center,
             .scale = scale,
             .beta_initializer = Initializer::random_uniform(-0.5, 0.5),
             .gamma_initializer = Initializer::random_uniform(0.5, 1.5),
             .moving_mean_initializer = Initializer::random_uniform(-0.5, 0.5),
             .moving_variance_initializer = Initializer::random_uniform(0.5, 1.5)});
        const Tensor x = Tensor::uniform(layout.shape, -1.0f, 1.0f, 10);
        const auto check = [&](auto forward, auto backward, const Tensor& at) {
          return gradient_matches_finite_differences(
              {.forward = forward, .backward = backward, .step = 1e-2, .atol = 5e-3, .rtol = 1e-2},
              at);
        };
        const std::string what =
            fmt::format("shape rank {} axis {} center {} scale {} training {}", layout.shape.size(),
                        layout.axis, center, scale, training);
        EXPECT_TRUE(check([&](const Tensor& input) { return layer(input, training); },
                          [&](const Tensor& grad) { return layer.backward(grad); }, x))
            << "inputs, " << what;
        for (Variable weight : layer.trainable_weights()) {
          EXPECT_TRUE(check(
              [&](const Tensor& value) {
                weight.assign(value);
                return layer(x, training);
              },
              [&](const Tensor& grad) {
                (void)layer.backward(grad);
                return weight.gradient().clone();
              },
              weight.value().clone()))
              << weight.path() << ", " << what;
        }
      }
    }
  }
}

TEST_F(BatchNormalizationTest, ConfigHasKerasKeysAndRoundTrips) {
  const BatchNormalization layer(
      {.axis = 1, .momentum = 0.9, .epsilon = 1e-5, .center = false, .gamma_initializer = "zeros"});
  const auto config = nlohmann::ordered_json::parse(layer.get_config());
  std::vector<std::string> keys;
  for (const auto& [key, value] : config.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "name", "trainable", "dtype", "axis", "momentum", "epsilon", "center",
                      "scale", "beta_initializer", "gamma_initializer", "moving_mean_initializer",
                      "moving_variance_initializer", "beta_regularizer", "gamma_regularizer",
                      "beta_constraint", "gamma_constraint", "synchronized"}));
  EXPECT_EQ(config["axis"], 1);
  EXPECT_EQ(config["momentum"], 0.9);
  EXPECT_EQ(config["center"], false);
  EXPECT_EQ(config["synchronized"], false);
  EXPECT_EQ(config["gamma_initializer"].dump(),
            R"({"module":"keras.initializers","class_name":"Zeros","config":{},)"
            R"("registered_name":null})");
  const auto copy =
      deserialize(R"({"class_name": "BatchNormalization", "config": )" + layer.get_config() + "}");
  EXPECT_EQ(copy->get_config(), layer.get_config());
}

TEST_F(BatchNormalizationTest, ReadsKeras2Configs) {
  const auto layer = deserialize(R"({"class_name": "BatchNormalization", "config": {
      "name": "batch_normalization_1", "trainable": true, "dtype": "float32", "axis": [3],
      "momentum": 0.99, "epsilon": 0.001, "center": true, "scale": true,
      "beta_initializer": {"class_name": "Zeros", "config": {}},
      "gamma_initializer": {"class_name": "Ones", "config": {}},
      "moving_mean_initializer": {"class_name": "Zeros", "config": {}},
      "moving_variance_initializer": {"class_name": "Ones", "config": {}},
      "beta_regularizer": null, "gamma_regularizer": null, "beta_constraint": null,
      "gamma_constraint": null, "renorm": false, "fused": null}})");
  EXPECT_EQ(layer->name(), "batch_normalization_1");
  EXPECT_EQ(static_cast<const BatchNormalization&>(*layer).options().axis, 3);
  EXPECT_EQ(layer->compute_output_spec({None, 4, 4, 6}), Shape({None, 4, 4, 6}));
  EXPECT_EQ(layer->count_params(), 24);
}

TEST_F(BatchNormalizationTest, RejectsAxesOutOfRangeAndUnknownChannels) {
  EXPECT_EQ(
      error_message<ValueError>([] {
        (void)BatchNormalization({.axis = 4, .name = "bn"}).compute_output_spec({None, 4, 4, 3});
      }),
      "Layer \"bn\": axis 4 is out of bounds for an input of rank 4. Received input shape: "
      "(None, 4, 4, 3)");
  EXPECT_EQ(error_message<ValueError>([] {
              (void)BatchNormalization({.axis = -3, .name = "bn"})(Tensor::zeros({2, 3}));
            }),
            "Layer \"bn\": axis -3 is out of bounds for an input of rank 2. Received input shape: "
            "(2, 3)");
  EXPECT_EQ(error_message<ValueError>([] {
              (void)BatchNormalization({.name = "bn"}).compute_output_spec({None, 5, None});
            }),
            "Input 0 of layer \"bn\" is incompatible with the layer: axis -1 of the input must be "
            "known to size the weights. Full shape received: (None, 5, None)");
}

TEST_F(BatchNormalizationTest, BuiltLayerKeepsItsRankAndChannels) {
  BatchNormalization layer({.name = "bn"});
  (void)layer(Tensor::zeros({2, 4, 4, 3}));
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)layer(Tensor::zeros({2, 4, 4, 5}));
            }),
            "Input 0 of layer \"bn\" is incompatible with the layer: expected axis -1 of input "
            "shape to have value 3, but received input with shape (2, 4, 4, 5)");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)layer(Tensor::zeros({2, 3}));
            }),
            "Input 0 of layer \"bn\" is incompatible with the layer: expected ndim=4, found "
            "ndim=2. Full shape received: (2, 3)");
}

TEST_F(BatchNormalizationTest, RejectsNonFloatInputs) {
  BatchNormalization layer({.name = "bn"});
  (void)layer.compute_output_spec({None, 3});
  // layer(x) casts x to float32 first, as Keras does; call() itself takes float32 only.
  EXPECT_EQ(error_message<TypeError>([&] {
              (void)layer.call(Tensor::zeros({2, 3}, DType::int32), false);
            }),
            "Layer \"bn\" normalizes float32 tensors, got dtype int32 (shape (2, 3))");
}

TEST_F(BatchNormalizationTest, BackwardNeedsACallAndMatchingGradients) {
  BatchNormalization layer({.name = "bn"});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)layer.backward(Tensor::zeros({2, 3}));
            }),
            "Layer \"bn\": `backward` needs a call first; it returns the gradient of the last "
            "call");
  (void)layer(Tensor::zeros({2, 3}), true);
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)layer.backward(Tensor::zeros({3, 3}));
            }),
            "Layer \"bn\": `backward` received gradients of shape (3, 3), but the last call "
            "returned shape (2, 3)");
}

TEST_F(BatchNormalizationTest, ConfigsWithUnsupportedFeaturesAreNotImplemented) {
  const auto message = [](const std::string& extra) {
    return error_message<NotImplementedError>([&] {
      (void)deserialize(R"({"class_name": "BatchNormalization", "config": {"name": "bn", )" +
                        extra + "}}");
    });
  };
  EXPECT_EQ(message(R"("gamma_regularizer": {"class_name": "L2", "config": {"l2": 0.01}})"),
            "BatchNormalization 'bn': `gamma_regularizer` is not supported");
  EXPECT_EQ(message(R"("beta_constraint": {"class_name": "NonNeg", "config": {}})"),
            "BatchNormalization 'bn': `beta_constraint` is not supported");
  EXPECT_EQ(message(R"("virtual_batch_size": 8)"),
            "BatchNormalization 'bn': `virtual_batch_size` is not supported");
  EXPECT_EQ(message(R"("synchronized": true)"),
            "BatchNormalization 'bn': `synchronized=True` is not supported");
  EXPECT_EQ(message(R"("renorm": true, "renorm_clipping": null, "renorm_momentum": 0.99)"),
            "BatchNormalization 'bn': `renorm=True` is not supported");
  EXPECT_EQ(message(R"("axis": [1, 2])"),
            "BatchNormalization 'bn': only a single `axis` is supported. Received: axis=[1,2]");
}

}  // namespace
}  // namespace keras::layers
