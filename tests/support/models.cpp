// SPDX-License-Identifier: Apache-2.0
#include "support/models.h"

#include "keras/layers/conv2d.h"
#include "keras/layers/dense.h"
#include "keras/layers/dropout.h"
#include "keras/layers/flatten.h"
#include "keras/layers/input_layer.h"
#include "keras/layers/max_pooling2d.h"

namespace keras::testing {

Sequential mnist_convnet() {
  Sequential model;
  model.add(Input({.shape = {28, 28, 1}}));
  model.add(layers::Conv2D({.filters = 32, .kernel_size = 3, .activation = "relu"}));
  model.add(layers::MaxPooling2D({.pool_size = 2}));
  model.add(layers::Conv2D({.filters = 64, .kernel_size = 3, .activation = "relu"}));
  model.add(layers::MaxPooling2D({.pool_size = 2}));
  model.add(layers::Flatten());
  model.add(layers::Dropout({.rate = 0.5}));
  model.add(layers::Dense({.units = 10, .activation = "softmax"}));
  return model;
}

std::string summary_text(const Sequential& model, int line_length) {
  std::string text;
  model.summary({.line_length = line_length, .print_fn = [&](const std::string& s) { text = s; }});
  return text;
}

}  // namespace keras::testing
