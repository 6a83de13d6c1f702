// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/conv2d.h"

#include "keras/backend.h"
#include "keras/config.h"
#include "keras/utils/random.h"
#include "kernels/activation.h"
#include "kernels/convolution2d.h"
#include "kernels/image_layout.h"
#include "support/expect_error.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"
#include "support/tensors.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace keras::layers {
namespace {

using testing::all_close;
using testing::error_message;
using testing::gradient_matches_finite_differences;
using Sizes = std::vector<std::int64_t>;

// Every activation Keras names, with a finite-difference step that does not cross a kink
// (relu's and selu's at 0, relu6's at 0 and 6, hard_sigmoid's and hard_silu's at -3 and 3).
const std::vector<std::pair<const char*, double>> every_activation{
    {"linear", 1e-2},    {"relu", 1e-4}, {"leaky_relu", 1e-4},  {"relu6", 1e-4},
    {"sigmoid", 1e-2},   {"tanh", 1e-2}, {"softmax", 1e-2},     {"log_softmax", 1e-2},
    {"elu", 1e-2},       {"selu", 1e-4}, {"softplus", 1e-2},    {"softsign", 1e-2},
    {"silu", 1e-2},      {"gelu", 1e-2}, {"exponential", 1e-2}, {"hard_sigmoid", 1e-4},
    {"hard_silu", 1e-4}, {"mish", 1e-2}};

class Conv2DTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    utils::set_random_seed(1);  // the same initial weights whatever ran before
  }
};

TEST_F(Conv2DTest, OutputShapesFollowKerasFormulas) {
  const auto shape_of = [](Conv2DOptions options, const Shape& input) {
    return Conv2D(std::move(options)).compute_output_spec(input);
  };
  EXPECT_EQ(shape_of({.filters = 32, .kernel_size = 3}, {None, 28, 28, 1}),
            Shape({None, 26, 26, 32}));
  // same: ceil(n / s), whatever the kernel.
  EXPECT_EQ(
      shape_of({.filters = 4, .kernel_size = 3, .strides = 2, .padding = "same"}, {None, 7, 8, 3}),
      Shape({None, 4, 4, 4}));
  // valid: floor((n - (k - 1) * d - 1) / s) + 1.
  EXPECT_EQ(shape_of({.filters = 4, .kernel_size = {3, 1}, .strides = {2, 1}}, {None, 7, 6, 3}),
            Shape({None, 3, 6, 4}));
  EXPECT_EQ(shape_of({.filters = 4, .kernel_size = 3, .dilation_rate = 2}, {None, 9, 10, 3}),
            Shape({None, 5, 6, 4}));
  EXPECT_EQ(shape_of({.filters = 5, .kernel_size = 5, .strides = 2}, {None, 11, 12, 3}),
            Shape({None, 4, 4, 5}));
  EXPECT_EQ(
      shape_of({.filters = 4, .kernel_size = 3, .data_format = "channels_first"}, {None, 3, 7, 9}),
      Shape({None, 4, 5, 7}));
  // Unknown spatial axes stay unknown.
  EXPECT_EQ(shape_of({.filters = 4, .kernel_size = 3}, {None, None, 10, 3}),
            Shape({None, None, 8, 4}));
  EXPECT_EQ(shape_of({.filters = 4, .kernel_size = 3, .padding = "Same"}, {2, None, None, 3}),
            Shape({2, None, None, 4}));
}

TEST_F(Conv2DTest, KernelIsHwioWhateverTheDataFormat) {
  Conv2D conv({.filters = 4, .kernel_size = {3, 2}, .data_format = "channels_first"});
  (void)conv.compute_output_spec({None, 6, 7, 7});
  ASSERT_EQ(conv.weights().size(), 2u);
  EXPECT_EQ(conv.weights()[0].path(), "conv2d/kernel");
  EXPECT_EQ(conv.weights()[0].value().shape(), (Sizes{3, 2, 6, 4}));
  EXPECT_EQ(conv.weights()[1].path(), "conv2d/bias");
  EXPECT_EQ(conv.weights()[1].value().shape(), (Sizes{4}));
  EXPECT_EQ(conv.count_params(), 3 * 2 * 6 * 4 + 4);
  Conv2D grouped({.filters = 6, .kernel_size = 3, .groups = 3, .use_bias = false});
  (void)grouped.compute_output_spec({None, 8, 8, 9});
  EXPECT_EQ(grouped.weights()[0].value().shape(), (Sizes{3, 3, 3, 6}));
  EXPECT_EQ(grouped.count_params(), 3 * 3 * 3 * 6);
}

TEST_F(Conv2DTest, ComputesCrossCorrelationPlusBias) {
  Conv2D conv({.filters = 1,
               .kernel_size = 2,
               .bias_initializer = initializers::Initializer::constant(0.5)});
  (void)conv.compute_output_spec({None, 3, 3, 1});
  // The kernel is not flipped: weight (0, 1) meets the input right of the window's corner.
  conv.weights()[0].assign(Tensor::from_data(std::vector<float>{1, 10, 100, 1000}, {2, 2, 1, 1}));
  const Tensor y = conv(testing::iota({1, 3, 3, 1}));
  // Window at (0, 0): 0*1 + 1*10 + 3*100 + 4*1000.
  const std::vector<float> expected{4310.5f, 5421.5f, 7643.5f, 8754.5f};
  EXPECT_TRUE(all_close(y, Tensor::from_data(expected, {1, 2, 2, 1})));
}

TEST_F(Conv2DTest, SamePaddingPutsTheExtraRowAndColumnAtTheEnd) {
  // A 2x2 kernel picking the window's top-left cell: with TensorFlow's rule no padding goes
  // before, so the output is the input itself.
  Conv2D conv({.filters = 1, .kernel_size = 2, .padding = "same", .use_bias = false});
  (void)conv.compute_output_spec({None, 4, 5, 1});
  conv.weights()[0].assign(Tensor::from_data(std::vector<float>{1, 0, 0, 0}, {2, 2, 1, 1}));
  const Tensor x = Tensor::uniform({2, 4, 5, 1}, -1.0f, 1.0f, 3);
  EXPECT_TRUE(all_close(conv(x), x, 0.0, 0.0));
}

TEST_F(Conv2DTest, ChannelsFirstMatchesChannelsLastOnTransposedData) {
  for (const char* padding : {"valid", "same"}) {
    Conv2D last({.filters = 5, .kernel_size = 3, .strides = 2, .padding = padding});
    Conv2D first({.filters = 5,
                  .kernel_size = 3,
                  .strides = 2,
                  .padding = padding,
                  .data_format = "channels_first"});
    const Tensor x = Tensor::uniform({2, 8, 7, 3}, -1.0f, 1.0f, 4);
    const Tensor y = last(x);
    (void)first.compute_output_spec({None, 3, 8, 7});
    for (std::size_t i = 0; i < 2; ++i) first.weights()[i].assign(last.weights()[i].value());
    const Tensor y_first = first(x.permute({0, 3, 1, 2}).contiguous());
    EXPECT_TRUE(all_close(y_first.permute({0, 2, 3, 1}), y, 1e-5, 1e-5)) << padding;
  }
}

TEST_F(Conv2DTest, GroupsConvolveTheirOwnChannels) {
  Conv2D grouped({.filters = 4, .kernel_size = 3, .groups = 2});
  const Tensor x = Tensor::uniform({2, 6, 6, 6}, -1.0f, 1.0f, 5);
  const Tensor y = grouped(x);
  const Tensor kernel = grouped.weights()[0].value();  // (3, 3, 3, 4)
  const Tensor bias = grouped.weights()[1].value();
  for (std::int64_t g = 0; g < 2; ++g) {
    Conv2D single({.filters = 2, .kernel_size = 3});
    (void)single.compute_output_spec({None, 6, 6, 3});
    single.weights()[0].assign(kernel.narrow(3, 2 * g, 2).contiguous());
    single.weights()[1].assign(bias.narrow(0, 2 * g, 2).contiguous());
    const Tensor part = single(x.narrow(3, 3 * g, 3).contiguous());
    EXPECT_TRUE(all_close(y.narrow(3, 2 * g, 2), part, 1e-5, 1e-5)) << "group " << g;
  }
}

TEST_F(Conv2DTest, PlanFollowsTheInputShape) {
  Conv2D conv({.filters = 3, .kernel_size = 3, .padding = "same"});
  (void)conv.compute_output_spec({None, None, None, 2});
  for (const Sizes& shape : {Sizes{2, 5, 5, 2}, Sizes{3, 8, 6, 2}, Sizes{2, 5, 5, 2}}) {
    const Tensor x = Tensor::uniform(shape, -1.0f, 1.0f, 6);
    Conv2D fresh({.filters = 3, .kernel_size = 3, .padding = "same"});
    (void)fresh.compute_output_spec({None, None, None, 2});
    for (std::size_t i = 0; i < 2; ++i) fresh.weights()[i].assign(conv.weights()[i].value());
    EXPECT_TRUE(all_close(conv(x), fresh(x), 0.0, 0.0)) << Shape::of(shape).to_string();
  }
}

TEST_F(Conv2DTest, EmptyBatchGivesEmptyOutputAndZeroGradients) {
  Conv2D conv({.filters = 4, .kernel_size = 3});
  const Tensor y = conv(Tensor::zeros({0, 5, 5, 3}));
  EXPECT_EQ(y.shape(), (Sizes{0, 3, 3, 4}));
  EXPECT_EQ(conv.backward(y).shape(), (Sizes{0, 5, 5, 3}));
  EXPECT_TRUE(all_close(conv.weights()[0].gradient(), Tensor::zeros({3, 3, 3, 4}), 0.0, 0.0));
}

struct GradientCase {
  const char* what;
  Conv2DOptions options;
  Sizes input;
  double step = 1e-2;
};

TEST_F(Conv2DTest, BackwardMatchesFiniteDifferences) {
  // ReLU's kink needs a step small enough not to cross it.
  const std::vector<GradientCase> cases{
      {"valid", {.filters = 3, .kernel_size = 3}, {2, 5, 6, 2}},
      {"same, even size", {.filters = 3, .kernel_size = 3, .padding = "same"}, {2, 6, 6, 2}},
      {"same, odd size", {.filters = 2, .kernel_size = {2, 3}, .padding = "same"}, {1, 7, 5, 3}},
      {"strides 2, valid", {.filters = 3, .kernel_size = 3, .strides = 2}, {2, 7, 8, 2}},
      {"strides 2, same",
       {.filters = 3, .kernel_size = 3, .strides = 2, .padding = "same"},
       {2, 7, 6, 2}},
      {"dilation 2", {.filters = 2, .kernel_size = 3, .dilation_rate = 2}, {2, 7, 8, 2}},
      {"dilation 2, same",
       {.filters = 2, .kernel_size = 2, .padding = "same", .dilation_rate = {2, 1}},
       {1, 6, 5, 2}},
      {"channels_first",
       {.filters = 3, .kernel_size = 3, .padding = "same", .data_format = "channels_first"},
       {2, 2, 5, 6}},
      {"no bias", {.filters = 3, .kernel_size = 3, .use_bias = false}, {2, 5, 5, 2}},
      {"relu", {.filters = 3, .kernel_size = 3, .activation = "relu"}, {2, 5, 5, 2}, 1e-4},
      {"tanh", {.filters = 3, .kernel_size = 3, .activation = "tanh"}, {2, 5, 5, 2}},
      {"groups 2", {.filters = 4, .kernel_size = 3, .groups = 2}, {1, 5, 5, 4}},
  };
  for (const auto& [what, options, input, step] : cases) {
    Conv2D conv(options);
    const Tensor x = Tensor::uniform(input, -1.0f, 1.0f, 2);
    const auto check = [&, step = step](auto forward, auto backward, const Tensor& at) {
      return gradient_matches_finite_differences(
          {.forward = forward, .backward = backward, .step = step, .atol = 5e-3, .rtol = 1e-2}, at);
    };
    EXPECT_TRUE(check([&](const Tensor& inputs) { return conv(inputs); },
                      [&](const Tensor& grad) { return conv.backward(grad); }, x))
        << "inputs, " << what;
    for (Variable weight : conv.weights()) {
      EXPECT_TRUE(check(
          [&](const Tensor& value) {
            weight.assign(value);
            return conv(x);
          },
          [&](const Tensor& grad) {
            (void)conv.backward(grad);
            return weight.gradient().clone();
          },
          weight.value().clone()))
          << weight.path() << ", " << what;
    }
  }
}

TEST_F(Conv2DTest, BackwardMatchesFiniteDifferencesForEveryActivationAndMode) {
  for (const auto& [activation, step] : every_activation) {
    for (const bool training : {false, true}) {
      Conv2D conv({.filters = 2, .kernel_size = 2, .activation = activation});
      const Tensor x = Tensor::uniform({1, 4, 3, 2}, -1.0f, 1.0f, 2);
      const auto check = [&, step = step](auto forward, auto backward, const Tensor& at) {
        return gradient_matches_finite_differences(
            {.forward = forward, .backward = backward, .step = step, .atol = 5e-3, .rtol = 1e-2},
            at);
      };
      const std::string what = std::string(activation) + (training ? ", training" : ", inference");
      EXPECT_TRUE(check([&](const Tensor& input) { return conv(input, training); },
                        [&](const Tensor& grad) { return conv.backward(grad); }, x))
          << "inputs, " << what;
      for (Variable weight : conv.weights()) {
        EXPECT_TRUE(check(
            [&](const Tensor& value) {
              weight.assign(value);
              return conv(x, training);
            },
            [&](const Tensor& grad) {
              (void)conv.backward(grad);
              return weight.gradient().clone();
            },
            weight.value().clone()))
            << weight.path() << ", " << what;
      }
    }
  }
}

// The plan fuses what is one oneDNN eltwise as a post-op, fused for inference only where the
// backward reads the pre-activation; the result must be the convolution, then the activation.
TEST_F(Conv2DTest, FusedActivationsMatchTheConvolutionThenTheActivation) {
  for (const auto& [activation, step] : every_activation) {
    for (const char* data_format : {"channels_last", "channels_first"}) {
      Conv2DOptions options{.filters = 8,
                            .kernel_size = 3,
                            .padding = "same",
                            .data_format = data_format,
                            .activation = activation};
      Conv2D fused(options);
      options.activation = "";
      Conv2D linear(options);
      (void)fused.compute_output_spec({None, 6, 6, 6});
      (void)linear.compute_output_spec({None, 6, 6, 6});
      for (std::size_t i = 0; i < 2; ++i) linear.weights()[i].assign(fused.weights()[i].value());
      const kernels::ActivationSpec spec = kernels::activation_from_name(activation);
      const Tensor x = Tensor::uniform({2, 6, 6, 6}, -1.0f, 1.0f, 3);
      const Tensor pre = linear(x, true);
      const Tensor y = kernels::activation_forward(spec, pre);
      const Tensor dy = Tensor::uniform(y.shape(), -1.0f, 1.0f, 4);
      const Tensor dx = linear.backward(kernels::activation_backward(spec, pre, y, dy));
      for (const bool training : {false, true}) {
        const std::string what = std::string(activation) + ", " + data_format +
                                 (training ? ", training" : ", inference");
        EXPECT_TRUE(all_close(fused(x, training), y, 1e-6, 1e-5)) << what;
        EXPECT_TRUE(all_close(fused.backward(dy), dx, 1e-5, 1e-5)) << what;
        for (std::size_t i = 0; i < 2; ++i) {
          EXPECT_TRUE(
              all_close(fused.weights()[i].gradient(), linear.weights()[i].gradient(), 1e-5, 1e-5))
              << fused.weights()[i].path() << ", " << what;
        }
      }
    }
  }
}

TEST_F(Conv2DTest, PlanReordersTheKernelOnlyWhenItsVersionMoves) {
  const auto relu = kernels::activation_from_name("relu");
  const kernels::Convolution2DGeometry geometry{.kernel = {3, 3}, .filters = 64};
  Variable kernel("conv2d/kernel", Tensor::uniform({3, 3, 32, 64}, -0.1f, 0.1f, 5), true);
  const Tensor bias = Tensor::uniform({64}, -1.0f, 1.0f, 6);
  const Tensor x = Tensor::uniform({2, 7, 7, 32}, -1.0f, 1.0f, 7);
  kernels::Convolution2DPlan plan("conv2d", relu);
  const Tensor first = plan.forward(x, kernel, bias, geometry, false);
  if (!plan.reorders_weights()) {
    GTEST_SKIP() << "oneDNN reads the HWIO kernel as it is on this machine: nothing to keep";
  }
  EXPECT_EQ(plan.weights_reorder_count(), 1);
  EXPECT_TRUE(all_close(plan.forward(x, kernel, bias, geometry, false), first, 0.0, 0.0));
  EXPECT_EQ(plan.weights_reorder_count(), 1);
  // A training step reorders for the backward once too, and no more while nothing changes.
  Tensor grad_kernel = Tensor::zeros({3, 3, 32, 64});
  Tensor grad_bias = Tensor::zeros({64});
  for (int step = 0; step < 2; ++step) {
    (void)plan.forward(x, kernel, bias, geometry, true);
    (void)plan.backward(Tensor::ones(first.shape()), grad_kernel, grad_bias);
  }
  const std::int64_t after_training = plan.weights_reorder_count();
  EXPECT_LE(after_training, 2);
  // assign() through any copy of the Variable moves the version.
  Variable copy = kernel;
  copy.assign(Tensor::uniform({3, 3, 32, 64}, -0.1f, 0.1f, 8));
  const Tensor second = plan.forward(x, kernel, bias, geometry, false);
  EXPECT_EQ(plan.weights_reorder_count(), after_training + 1);
  kernels::Convolution2DPlan fresh("conv2d", relu);
  EXPECT_TRUE(all_close(second, fresh.forward(x, kernel, bias, geometry, false), 0.0, 0.0));
  // An in-place write is seen once marked: mark_modified() is the contract.
  kernel.value().copy_from(Tensor::zeros({3, 3, 32, 64}));
  kernel.mark_modified();
  const Tensor zeroed = plan.forward(x, kernel, bias, geometry, false);
  EXPECT_EQ(plan.weights_reorder_count(), after_training + 2);
  const Tensor relu_bias = kernels::activation_forward(relu, bias);
  for (std::int64_t position = 0; position < 2 * 5 * 5; ++position) {
    EXPECT_TRUE(all_close(zeroed.reshape({50, 64}).narrow(0, position, 1).reshape({64}), relu_bias,
                          0.0, 0.0));
  }
}

// Winograd's algorithm (on by default for such shapes) against oneDNN's direct convolution:
// forward with the fused ReLU, dL/dx and the weight gradients, with "same" and "valid" padding.
TEST_F(Conv2DTest, WinogradAgreesWithTheDirectConvolution) {
  const auto relu = kernels::activation_from_name("relu");
  Variable kernel("conv2d/kernel", Tensor::uniform({3, 3, 16, 32}, -0.15f, 0.15f, 11), true);
  const Tensor bias = Tensor::uniform({32}, -0.1f, 0.1f, 12);
  const Tensor x = Tensor::uniform({8, 9, 9, 16}, -1.0f, 1.0f, 13);
  for (const std::int64_t pad : {0, 1}) {
    const kernels::Convolution2DGeometry geometry{
        .kernel = {3, 3}, .padding_l = {pad, pad}, .padding_r = {pad, pad}, .filters = 32};
    struct Result {
      bool winograd;
      Tensor y, dx, dkernel, dbias;
    };
    auto run = [&](bool winograd) {
      config::set_winograd_convolutions(winograd);
      kernels::Convolution2DPlan plan("conv2d", relu);
      Result result{false, plan.forward(x, kernel, bias, geometry, true), {}, {}, {}};
      result.winograd = plan.uses_winograd();
      const Tensor dy = Tensor::uniform(result.y.shape(), -1.0f, 1.0f, 14);
      result.dkernel = Tensor::zeros(kernel.value().shape());
      result.dbias = Tensor::zeros({32});
      result.dx = plan.backward(dy, result.dkernel, result.dbias);
      return result;
    };
    const Result direct = run(false);
    const Result winograd = run(true);
    config::set_winograd_convolutions(true);
    EXPECT_FALSE(direct.winograd);
    EXPECT_TRUE(winograd.winograd) << "this machine's oneDNN has no Winograd kernels";
    EXPECT_TRUE(all_close(winograd.y, direct.y, 1e-5, 1e-5)) << "padding " << pad;
    EXPECT_TRUE(all_close(winograd.dx, direct.dx, 1e-5, 1e-5)) << "padding " << pad;
    EXPECT_TRUE(all_close(winograd.dkernel, direct.dkernel, 1e-4, 1e-5)) << "padding " << pad;
    EXPECT_TRUE(all_close(winograd.dbias, direct.dbias, 1e-4, 1e-5)) << "padding " << pad;
  }
}

// The plan in channel blocks (Sequential's layout between Conv2D and pooling layers) against
// NHWC: forward with the fused ReLU, dL/dx and the weight gradients, for each way into and
// out of the blocks: from an image of one or three channels (whose backward data runs on
// NHWC), of 4 or 8 (all on NHWC copies), from NHWC of 32 channels (copied in), between blocks
// (direct, Winograd, dilated with padding), and out of them; never on oneDNN's reference
// loops.
TEST_F(Conv2DTest, ChannelBlocksAgreeWithNhwc) {
  using kernels::ImageLayout;
  const auto relu = kernels::activation_from_name("relu");
  struct Case {
    std::int64_t channels;
    kernels::ImageLayouts layouts;
    bool winograd;
    std::int64_t stride_and_pad;
    std::int64_t dilation = 1;
  };
  const ImageLayout plain = ImageLayout::plain;
  const ImageLayout blocks = ImageLayout::channel_blocks;
  for (const Case& c :
       {Case{1, {plain, blocks}, true, 0}, Case{3, {plain, blocks}, true, 1},
        Case{4, {plain, blocks}, true, 0}, Case{8, {plain, blocks}, true, 1},
        Case{32, {plain, blocks}, false, 0}, Case{16, {blocks, blocks}, true, 0},
        Case{16, {blocks, blocks}, false, 1}, Case{16, {blocks, blocks}, true, 1, 2},
        Case{16, {blocks, plain}, true, 0}}) {
    config::set_winograd_convolutions(c.winograd);
    Variable kernel("conv2d/kernel", Tensor::uniform({3, 3, c.channels, 32}, -0.2f, 0.2f, 21),
                    true);
    const Tensor bias = Tensor::uniform({32}, -0.1f, 0.1f, 22);
    const Tensor x = Tensor::uniform({8, 11, 10, c.channels}, -1.0f, 1.0f, 23);
    const std::int64_t s = 1 + c.stride_and_pad;
    const std::int64_t p = c.stride_and_pad;
    const std::int64_t d = c.dilation;
    kernels::Convolution2DGeometry geometry{.kernel = {3, 3},
                                            .strides = {d > 1 ? 1 : s, d > 1 ? 1 : s},
                                            .dilation = {d, d},
                                            .padding_l = {p * d, p * d},
                                            .padding_r = {p * d, p * d},
                                            .filters = 32};
    kernels::Convolution2DPlan nhwc_plan("conv2d", relu);
    const Tensor y = nhwc_plan.forward(x, kernel, bias, geometry, true);
    const Tensor dy = Tensor::uniform(y.shape(), -1.0f, 1.0f, 24);
    Tensor dkernel = Tensor::zeros(kernel.value().shape());
    Tensor dbias = Tensor::zeros({32});
    const Tensor dx = nhwc_plan.backward(dy, dkernel, dbias);

    const auto in = [](const Tensor& t, ImageLayout layout) {
      return layout == blocks ? kernels::to_channel_blocks(t) : t;
    };
    const auto out = [](const Tensor& t, ImageLayout layout) {
      return layout == blocks ? kernels::from_channel_blocks(t) : t;
    };
    geometry.layouts = c.layouts;
    kernels::Convolution2DPlan plan("conv2d", relu);
    const Tensor blocked_y = plan.forward(in(x, c.layouts.input), kernel, bias, geometry, true);
    Tensor blocked_dkernel = Tensor::zeros(kernel.value().shape());
    Tensor blocked_dbias = Tensor::zeros({32});
    const Tensor blocked_dx =
        plan.backward(in(dy, c.layouts.output), blocked_dkernel, blocked_dbias);
    const bool used_winograd = plan.uses_winograd();
    const bool used_reference_kernels = plan.runs_reference_kernels();
    config::set_winograd_convolutions(true);
    const std::string name = std::to_string(c.channels) + " channels, dilation " +
                             std::to_string(d) + ", layouts " +
                             std::to_string(static_cast<int>(c.layouts.input)) + " -> " +
                             std::to_string(static_cast<int>(c.layouts.output));
    EXPECT_EQ(used_winograd, c.winograd && c.channels >= 16 && s == 1 && d == 1) << name;
    EXPECT_FALSE(used_reference_kernels) << name;
    EXPECT_TRUE(all_close(out(blocked_y, c.layouts.output), y, 1e-5, 1e-5)) << name;
    EXPECT_TRUE(all_close(out(blocked_dx, c.layouts.input), dx, 1e-5, 1e-5)) << name;
    EXPECT_TRUE(all_close(blocked_dkernel, dkernel, 1e-4, 1e-5)) << name;
    EXPECT_TRUE(all_close(blocked_dbias, dbias, 1e-4, 1e-5)) << name;
  }
}

// Where Winograd does not pay: few channels (an image's) or a single sample.
TEST_F(Conv2DTest, DirectConvolutionForImagesAndSingleSamples) {
  const auto relu = kernels::activation_from_name("relu");
  const kernels::Convolution2DGeometry geometry{.kernel = {3, 3}, .filters = 32};
  const Variable rgb_kernel("k", Tensor::uniform({3, 3, 3, 32}, -0.1f, 0.1f, 1), true);
  const Variable kernel("k", Tensor::uniform({3, 3, 16, 32}, -0.1f, 0.1f, 2), true);
  kernels::Convolution2DPlan plan("conv2d", relu);
  (void)plan.forward(Tensor::uniform({8, 9, 9, 3}, 0.0f, 1.0f, 3), rgb_kernel, Tensor::zeros({32}),
                     geometry, false);
  EXPECT_FALSE(plan.uses_winograd());
  (void)plan.forward(Tensor::uniform({1, 9, 9, 16}, 0.0f, 1.0f, 3), kernel, Tensor::zeros({32}),
                     geometry, false);
  EXPECT_FALSE(plan.uses_winograd());
  (void)plan.forward(Tensor::uniform({8, 9, 9, 16}, 0.0f, 1.0f, 3), kernel, Tensor::zeros({32}),
                     geometry, false);
  EXPECT_TRUE(plan.uses_winograd());
}

TEST_F(Conv2DTest, ConfigHasKerasKeysAndRoundTrips) {
  const Conv2D conv({.filters = 8,
                     .kernel_size = {3, 5},
                     .strides = 2,
                     .padding = "SAME",
                     .groups = 2,
                     .activation = "swish",
                     .kernel_initializer = "he_normal"});
  const auto config = nlohmann::ordered_json::parse(conv.get_config());
  std::vector<std::string> keys;
  for (const auto& [key, value] : config.items()) keys.push_back(key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{
                "name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding",
                "data_format", "dilation_rate", "groups", "activation", "use_bias",
                "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
                "activity_regularizer", "kernel_constraint", "bias_constraint"}));
  EXPECT_EQ(config["kernel_size"].dump(), "[3,5]");
  EXPECT_EQ(config["strides"].dump(), "[2,2]");
  EXPECT_EQ(config["padding"], "same");
  EXPECT_EQ(config["data_format"], "channels_last");
  EXPECT_EQ(config["dilation_rate"].dump(), "[1,1]");
  EXPECT_EQ(config["activation"], "silu");
  const auto copy = deserialize(R"({"class_name": "Conv2D", "config": )" + conv.get_config() + "}");
  EXPECT_EQ(copy->get_config(), conv.get_config());
  EXPECT_EQ(
      nlohmann::json::parse(Conv2D({.filters = 1, .kernel_size = 1}).get_config()).at("activation"),
      "linear");
}

TEST_F(Conv2DTest, ReadsKeras2ConfigsAndIntPairs) {
  const auto layer = deserialize(R"({"class_name": "Conv2D", "config": {"name": "conv2d_7",
      "trainable": true, "dtype": "float32", "filters": 4, "kernel_size": 3, "strides": [1, 1],
      "padding": "valid", "data_format": "channels_first", "dilation_rate": 2, "groups": 1,
      "activation": "relu", "use_bias": false,
      "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
      "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null,
      "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
      "bias_constraint": null}})");
  EXPECT_EQ(layer->name(), "conv2d_7");
  EXPECT_EQ(layer->compute_output_spec({None, 2, 9, 9}), Shape({None, 4, 5, 5}));
  EXPECT_EQ(layer->count_params(), 3 * 3 * 2 * 4);
}

TEST_F(Conv2DTest, RejectsBadArgumentsInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { Conv2D({.filters = 0, .kernel_size = 3}); }),
            "Invalid value for argument `filters`. Expected a strictly positive value. Received "
            "filters=0.");
  EXPECT_EQ(
      error_message<ValueError>([] { Conv2D({.filters = 4, .kernel_size = 3, .groups = 0}); }),
      "The number of groups must be a positive integer. Received: groups=0.");
  EXPECT_EQ(
      error_message<ValueError>([] { Conv2D({.filters = 4, .kernel_size = 3, .groups = 3}); }),
      "The number of filters must be evenly divisible by the number of groups. Received: "
      "groups=3, filters=4.");
  EXPECT_EQ(error_message<ValueError>([] {
              Conv2D({.filters = 4, .kernel_size = {3, 0}});
            }),
            "The `kernel_size` argument must be a tuple of 2 integers. Received "
            "kernel_size=(3, 0), including values {0} that do not satisfy `value > 0`");
  EXPECT_EQ(
      error_message<ValueError>([] { Conv2D({.filters = 4, .kernel_size = 3, .strides = 0}); }),
      "The `strides` argument must be a tuple of 2 integers. Received strides=0, including "
      "values {0} that do not satisfy `value > 0`");
  EXPECT_EQ(error_message<ValueError>([] {
              Conv2D({.filters = 4, .kernel_size = 3, .dilation_rate = {-1, 2}});
            }),
            "The `dilation_rate` argument must be a tuple of 2 integers. Received "
            "dilation_rate=(-1, 2), including values {-1} that do not satisfy `value > 0`");
  EXPECT_EQ(error_message<ValueError>([] {
              Conv2D({.filters = 4, .kernel_size = 3, .strides = {1, 2}, .dilation_rate = 2});
            }),
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
            "strides=(1, 2) and dilation_rate=(2, 2)");
  EXPECT_EQ(error_message<ValueError>(
                [] { Conv2D({.filters = 4, .kernel_size = 3, .padding = "Causal"}); }),
            "The `padding` argument must be a list/tuple or one of {'valid', 'same'}. Received: "
            "causal");
  EXPECT_EQ(error_message<ValueError>(
                [] { Conv2D({.filters = 4, .kernel_size = 3, .data_format = "NHWC"}); }),
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            "Received: data_format=nhwc");
  EXPECT_EQ(error_message<ValueError>(
                [] { Conv2D({.filters = 4, .kernel_size = 3, .activation = "rellu"}); }),
            "Could not interpret activation function identifier: rellu");
  EXPECT_EQ(error_message<TypeError>([] { Conv2D({.filters = 4}); }),
            "Conv2D.__init__() missing 1 required positional argument: 'kernel_size'");
}

TEST_F(Conv2DTest, RejectsInputsItCannotTakeInKerasWords) {
  Conv2D conv({.filters = 4, .kernel_size = 3});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)conv.compute_output_spec({None, 28});
            }),
            "Input 0 of layer \"conv2d\" is incompatible with the layer: expected min_ndim=4, "
            "found ndim=2. Full shape received: (None, 28)");
  EXPECT_EQ(
      error_message<ValueError>([&] {
        (void)conv.compute_output_spec({None, 2, 8, 8, 3});
      }),
      "Kernel shape must have the same length as input, but received kernel of shape (3, 3, 3, "
      "4) and input of shape (None, 2, 8, 8, 3).");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)conv.compute_output_spec({None, 2, 8, 3});
            }),
            "Computed output size would be zero or negative in layer \"conv2d\". Received "
            "`inputs shape=(None, 2, 8, 3)`, `kernel shape=(3, 3, 3, 4)`, `dilation_rate=[1 1]`, "
            "`strides=(1, 1)`, `padding=valid`.");
  EXPECT_EQ(
      error_message<ValueError>([&] {
        (void)conv.compute_output_spec({None, 8, 8, None});
      }),
      "Input 0 of layer \"conv2d\" is incompatible with the layer: the channel axis must be known "
      "to size the kernel. Full shape received: (None, 8, 8, None)");
  Conv2D grouped({.filters = 4, .kernel_size = 3, .groups = 2, .name = "grouped"});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)grouped.compute_output_spec({None, 5, 5, 3});
            }),
            "The number of input channels must be evenly divisible by the number of groups in "
            "layer \"grouped\". Received groups=2, but the input has 3 channels (full input "
            "shape is (None, 5, 5, 3)).");
}

TEST_F(Conv2DTest, ChannelAxisIsFixedOnceBuilt) {
  Conv2D last({.filters = 4, .kernel_size = 3, .name = "last"});
  (void)last(Tensor::zeros({1, 5, 5, 3}));
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)last(Tensor::zeros({1, 5, 5, 2}));
            }),
            "Input 0 of layer \"last\" is incompatible with the layer: expected axis -1 of input "
            "shape to have value 3, but received input with shape (1, 5, 5, 2)");
  Conv2D first({.filters = 4, .kernel_size = 3, .data_format = "channels_first", .name = "first"});
  (void)first(Tensor::zeros({1, 3, 5, 5}));
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)first(Tensor::zeros({1, 2, 5, 5}));
            }),
            "Input 0 of layer \"first\" is incompatible with the layer: expected axis 1 of input "
            "shape to have value 3, but received input with shape (1, 2, 5, 5)");
}

TEST_F(Conv2DTest, RejectsNonFloatInputsAndUnmatchedGradients) {
  Conv2D conv({.filters = 4, .kernel_size = 3, .name = "c"});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)conv.backward(Tensor::zeros({1, 3, 3, 4}));
            }),
            "Layer \"c\": `backward` needs a call first; it returns the gradient of the last call");
  (void)conv.compute_output_spec({None, 5, 5, 3});
  // conv(x) casts x to float32 first, as Keras does; call() itself takes float32 only.
  EXPECT_EQ(error_message<TypeError>([&] {
              (void)conv.call(Tensor::zeros({1, 5, 5, 3}, DType::int32), false);
            }),
            "Layer \"c\" convolves float32 tensors, got dtype int32 (shape (1, 5, 5, 3))");
  (void)conv(Tensor::zeros({1, 5, 5, 3}));
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)conv.backward(Tensor::zeros({1, 3, 3, 5}));
            }),
            "Layer \"c\": `backward` received gradients of shape (1, 3, 3, 5), but the last call "
            "returned shape (1, 3, 3, 4)");
}

TEST_F(Conv2DTest, KeepsRegularizersAndConstraintsThroughConfigs) {
  const auto layer = deserialize(R"({"class_name": "Conv2D", "config": {"filters": 2,
      "kernel_size": [3, 3], "kernel_constraint": {"class_name": "MaxNorm", "config": {}},
      "activity_regularizer": {"class_name": "L2", "config": {"l2": 0.1}}}})");
  const auto config = nlohmann::json::parse(layer->get_config());
  EXPECT_EQ(config["kernel_constraint"]["class_name"], "MaxNorm");
  EXPECT_EQ(config["activity_regularizer"]["config"]["l2"], 0.1);
  EXPECT_TRUE(config["bias_regularizer"].is_null());
}

}  // namespace
}  // namespace keras::layers
