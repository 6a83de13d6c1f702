// SPDX-License-Identifier: Apache-2.0
// The seed example, line for line:
//
//     model = Sequential()
//     model.add(Flatten(input_shape=(28, 28, 1)))
//     model.summary()
#include <iostream>
#include <keras/keras.h>

int main() try {
  keras::Sequential model;
  model.add(keras::layers::Flatten({.input_shape = {28, 28, 1}}));
  model.summary();
  return 0;
} catch (const std::exception& error) {
  std::cerr << "seed_flatten: " << error.what() << '\n';
  return 1;
}
