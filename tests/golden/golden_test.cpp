// SPDX-License-Identifier: Apache-2.0
// The golden runner: every case folder under golden_dir(), dispatched on case.json's "type".
// A case whose layer, loss, optimizer or model kerascpp lacks is "not implemented": skipped
// and counted, or a failure when KERAS_GOLDEN_STRICT=1.
#include "io/tfjs_model.h"
#include "keras/layers/layer.h"
#include "keras/losses.h"
#include "keras/optimizers.h"
#include "support/golden_case.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <optional>

namespace keras::testing {
namespace {

struct Tolerance {
  double atol = 0.0;
  double rtol = 0.0;
};

Tolerance tolerance(const nlohmann::json& spec, const char* key) {
  const auto& entry = spec.at(key);
  return {entry.at("atol").get<double>(), entry.at("rtol").get<double>()};
}

bool strict() {
  const char* value = std::getenv("KERAS_GOLDEN_STRICT");
  return value != nullptr && std::string(value) == "1";
}

void not_implemented(const std::string& what) {
  if (strict()) {
    FAIL() << "not implemented (KERAS_GOLDEN_STRICT=1): " << what;
  } else {
    GTEST_SKIP() << "not implemented: " << what;
  }
}

void check_layer_case(const GoldenCase& golden) {
  const auto& spec = golden.spec;
  std::unique_ptr<layers::Layer> layer;
  try {
    layer = layers::deserialize(spec.at("layer").dump());
  } catch (const NotImplementedError& error) {
    return not_implemented(error.what());
  }
  const Tensor x = golden.tensor("x.npy");
  const bool training = spec.value("training", false);
  layer->build(Shape::of(x.shape()).without_batch().with_batch(None));
  auto weights = layer->weights();
  for (const auto& weight : spec.at("weights")) {
    weights.at(weight.at("index").get<std::size_t>())
        .assign(golden.tensor(weight.at("file").get<std::string>()));
  }

  const Tolerance forward = tolerance(spec, "tolerance");
  const Tensor y = (*layer)(x, training);
  EXPECT_TRUE(all_close(y, golden.tensor("y.npy"), forward.atol, forward.rtol)) << "forward";
  if (spec.contains("state_after_call")) {
    for (const auto& [index, file] : spec["state_after_call"].at("files").items()) {
      EXPECT_TRUE(all_close(weights.at(std::stoul(index)).value(),
                            golden.tensor(file.get<std::string>()), forward.atol, forward.rtol))
          << "weight " << index << " after the call";
    }
  }
  if (!spec.contains("gradient") || spec["gradient"].is_null()) return;

  const auto& gradient = spec["gradient"];
  const Tolerance backward = tolerance(spec, "tolerance_gradient");
  for (auto& weight : weights) weight.gradient().copy_from(Tensor::zeros(weight.value().shape()));
  const Tensor dx = layer->backward(golden.tensor(gradient.at("dy").get<std::string>()));
  EXPECT_TRUE(all_close(dx, golden.tensor(gradient.at("dx").get<std::string>()), backward.atol,
                        backward.rtol))
      << "input gradient";
  const auto weight_gradients = gradient.value("dweights", nlohmann::json::object());
  for (const auto& [index, file] : weight_gradients.items()) {
    EXPECT_TRUE(all_close(weights.at(std::stoul(index)).gradient(),
                          golden.tensor(file.get<std::string>()), backward.atol, backward.rtol))
        << "gradient of weight " << index;
  }
}

// A loss: built from the case's config; the per-sample values, the reduced loss and its
// gradient with respect to y_pred.
void check_loss_case(const GoldenCase& golden) {
  const auto& spec = golden.spec;
  std::shared_ptr<losses::Loss> loss;
  try {
    loss = losses::deserialize(spec.at("loss").dump());
  } catch (const NotImplementedError& error) {
    return not_implemented(error.what());
  }
  const auto& files = spec.at("files");
  const auto file = [&](const char* key) { return files.at(key).at("file").get<std::string>(); };
  const Tensor y_true = golden.tensor(file("y_true"));
  const Tensor y_pred = golden.tensor(file("y_pred"));
  const Tolerance forward = tolerance(spec, "tolerance");
  EXPECT_TRUE(all_close(loss->per_sample(y_true, y_pred), golden.tensor(file("per_sample")),
                        forward.atol, forward.rtol))
      << "per-sample loss";
  const auto [value, gradient] = loss->value_and_gradient(y_true, y_pred);
  EXPECT_TRUE(
      all_close(Tensor::full({}, value), golden.tensor(file("loss")), forward.atol, forward.rtol))
      << "reduced loss";
  const Tolerance backward = tolerance(spec, "tolerance_gradient");
  EXPECT_TRUE(all_close(gradient, golden.tensor(file("dy_pred")), backward.atol, backward.rtol))
      << "gradient with respect to y_pred";
}

bool scalar_close(double actual, const Tensor& expected, const Tolerance& tolerance) {
  return all_close(Tensor::full({}, actual), expected, tolerance.atol, tolerance.rtol);
}

// One train_on_batch with the case's optimizer and loss: the losses before the step (inference
// and training mode), each trainable weight's gradient, every weight after, and predict after.
void check_train_step(const GoldenCase& golden, Sequential& model) {
  const auto& step = golden.spec.at("train_step");
  model.compile({.optimizer = optimizers::deserialize(step.at("optimizer").dump()),
                 .loss = losses::deserialize(step.at("loss").dump())});
  const Tensor x = golden.tensor(step.at("x").get<std::string>());
  const Tensor y = golden.tensor(step.at("y_true").get<std::string>());
  const Tolerance forward = tolerance(step, "tolerance");
  const Tolerance backward = tolerance(step, "tolerance_gradient");
  EXPECT_TRUE(scalar_close(model.test_on_batch(x, y).at("loss"),
                           golden.tensor(step.at("loss_eval_before").get<std::string>()), forward))
      << "loss in inference mode before the step";
  EXPECT_TRUE(scalar_close(model.train_on_batch(x, y).at("loss"),
                           golden.tensor(step.at("loss_before").get<std::string>()), forward))
      << "train_on_batch's loss";
  const auto weights = model.weights();
  for (const auto& [index, file] : step.at("dweights").items()) {
    EXPECT_TRUE(all_close(weights.at(std::stoul(index)).gradient(),
                          golden.tensor(file.get<std::string>()), backward.atol, backward.rtol))
        << "gradient of weight " << index;
  }
  const auto& after = step.at("weights_after");
  ASSERT_EQ(after.size(), weights.size()) << "weights after the step";
  for (std::size_t i = 0; i < weights.size(); ++i) {
    EXPECT_TRUE(all_close(weights[i].value(), golden.tensor(after[i].get<std::string>()),
                          forward.atol, forward.rtol))
        << "weight " << i << " after the step";
  }
  EXPECT_TRUE(all_close(model.predict(x), golden.tensor(step.at("y_after").get<std::string>()),
                        forward.atol, forward.rtol))
      << "predict after the step";
}

// A whole model: load its TF.js files, check the weights (Keras order) and predict, then the
// training step when the case has one.
void check_model_case(const GoldenCase& golden) {
  const auto& spec = golden.spec;
  const std::string model_json = spec.at("tfjs_model").value("model_json", "model.json");
  std::optional<Sequential> model;
  try {
    model = io::load_tfjs_model((golden.folder / model_json).string());
  } catch (const NotImplementedError& error) {
    return not_implemented(error.what());
  }
  const auto weights = model->get_weights();
  ASSERT_EQ(weights.size(), spec.at("weights").size()) << "weight count";
  for (const auto& weight : spec.at("weights")) {
    const auto index = weight.at("index").get<std::size_t>();
    EXPECT_TRUE(all_close(weights.at(index), golden.tensor(weight.at("file").get<std::string>())))
        << "loaded weight " << index << " (" << weight.at("name").get<std::string>() << ")";
  }
  const auto& predict = spec.at("predict");
  const Tolerance forward = tolerance(predict, "tolerance");
  EXPECT_TRUE(all_close(model->predict(golden.tensor(predict.at("x").get<std::string>())),
                        golden.tensor(predict.at("y").get<std::string>()), forward.atol,
                        forward.rtol))
      << "predict";
  if (!spec.contains("train_step") || spec["train_step"].is_null()) return;
  check_train_step(golden, *model);
}

// An optimizer: built from the case's config, then three updates of the initial variables
// from the given gradients, each compared with the weights Keras 3 gives after that step.
void check_optimizer_case(const GoldenCase& golden) {
  const auto& spec = golden.spec;
  std::shared_ptr<optimizers::Optimizer> optimizer;
  try {
    optimizer = optimizers::deserialize(spec.at("optimizer").dump());
  } catch (const NotImplementedError& error) {
    return not_implemented(error.what());
  }
  std::vector<Variable> variables;
  for (const auto& variable : spec.at("variables")) {
    variables.emplace_back("golden/w" + std::to_string(variable.at("index").get<int>()),
                           golden.tensor(variable.at("file").get<std::string>()), true);
  }
  const Tolerance tolerances = tolerance(spec, "tolerance");
  for (const auto& step : spec.at("steps")) {
    const auto& gradients = step.at("gradients");
    const auto& weights_after = step.at("weights_after");
    for (std::size_t i = 0; i < variables.size(); ++i) {
      variables[i].gradient().copy_from(golden.tensor(gradients.at(i).get<std::string>()));
    }
    optimizer->apply(variables);
    for (std::size_t i = 0; i < variables.size(); ++i) {
      EXPECT_TRUE(all_close(variables[i].value(),
                            golden.tensor(weights_after.at(i).get<std::string>()), tolerances.atol,
                            tolerances.rtol))
          << "variable " << i << " after step " << step.at("step").get<int>();
    }
  }
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, MatchesReference) {
  const GoldenCase& golden = GetParam();
  const std::string type = golden.spec.at("type").get<std::string>();
  if (type == "layer") return check_layer_case(golden);
  if (type == "loss") return check_loss_case(golden);
  if (type == "model") return check_model_case(golden);
  if (type == "optimizer") return check_optimizer_case(golden);
  not_implemented("golden cases of type \"" + type + "\"");
}

std::string case_test_name(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string name = info.param.name;
  for (char& c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenTest,
                         ::testing::ValuesIn(discover_golden_cases(golden_dir())), case_test_name);

TEST(GoldenFolderTest, HoldsCases) {
  EXPECT_FALSE(discover_golden_cases(golden_dir()).empty())
      << "no golden case folders in " << golden_dir() << " (set KERAS_GOLDEN_DIR)";
}

// Prints the runner's summary line: passed, failed, not implemented.
class SummaryPrinter : public ::testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const ::testing::TestInfo& info) override {
    if (std::string(info.test_suite_name()).rfind("Cases/GoldenTest", 0) != 0) return;
    const auto* result = info.result();
    if (result->Skipped()) {
      ++not_implemented_;
    } else if (result->Failed()) {
      ++failed_;
    } else {
      ++passed_;
    }
  }
  void OnTestProgramEnd(const ::testing::UnitTest& /*unit_test*/) override {
    std::cout << "golden cases in " << golden_dir().string() << ": " << passed_ << " passed, "
              << failed_ << " failed, " << not_implemented_ << " not implemented\n";
  }

 private:
  int passed_ = 0;
  int failed_ = 0;
  int not_implemented_ = 0;
};

}  // namespace
}  // namespace keras::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::UnitTest::GetInstance()->listeners().Append(new keras::testing::SummaryPrinter);
  return RUN_ALL_TESTS();
}
