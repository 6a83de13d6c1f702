// SPDX-License-Identifier: Apache-2.0
// The golden runner: every case folder under golden_dir(), dispatched on case.json's "type".
// A case whose layer, loss, optimizer or model kerascpp lacks is "not implemented": skipped
// and counted, or a failure when KERAS_GOLDEN_STRICT=1.
#include "io/tfjs_model.h"
#include "keras/layers/layer.h"
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

// A whole model: load its TF.js files, check the weights (Keras order) and predict; the
// train_step part needs losses and optimizers, and is reported once predict has passed.
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
  if (::testing::Test::HasFailure()) return;
  not_implemented("the train_step part of model cases (losses and optimizers); predict passed");
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, MatchesReference) {
  const GoldenCase& golden = GetParam();
  const std::string type = golden.spec.at("type").get<std::string>();
  if (type == "layer") return check_layer_case(golden);
  if (type == "model") return check_model_case(golden);
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
