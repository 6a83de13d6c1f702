// SPDX-License-Identifier: Apache-2.0
#include <keras/keras.h>

int main() {
  keras::Sequential model;
  model.add(keras::layers::Flatten({.input_shape = {28, 28, 1}}));
  return model.output_shape() == keras::Shape{keras::None, 784} ? 0 : 1;
}
