// SPDX-License-Identifier: Apache-2.0
// Keras's "Simple MNIST convnet" example (keras.io/examples/vision/mnist_convnet), in C++,
// trained on the MNIST digits shipped in data/mnist (10,000 training digits, the 10,000
// official test digits). Python's lines are quoted above their C++ counterparts.
//
// Usage: mnist_convnet [EPOCHS]   (15 by default, as in the Keras example)
#include <cstdlib>
#include <iostream>
#include <keras/keras.h>
#include <string>

namespace {

// x.astype("float32") / 255, then np.expand_dims(x, -1).
keras::Tensor to_unit_images(const keras::Tensor& pixels) {
  keras::Tensor x = pixels.astype(keras::DType::float32);
  float* values = x.data<float>();
  for (std::int64_t i = 0; i < x.size(); ++i) values[i] /= 255.0f;
  return x.reshape({x.dim(0), x.dim(1), x.dim(2), 1});
}

}  // namespace

int main(int argc, char** argv) try {
  const int epochs = argc > 1 ? std::stoi(argv[1]) : 15;
  keras::utils::set_random_seed(1337);

  // (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
  auto [train, test] = keras::datasets::mnist::load_data();
  const keras::Tensor x_train = to_unit_images(train.x);
  const keras::Tensor x_test = to_unit_images(test.x);
  std::cout << "x_train shape: " << keras::Shape::of(x_train.shape()).to_string() << '\n'
            << x_train.dim(0) << " train samples\n"
            << x_test.dim(0) << " test samples\n";
  // y_train = keras.utils.to_categorical(y_train, num_classes)
  const keras::Tensor y_train = keras::utils::to_categorical(train.y, 10);
  const keras::Tensor y_test = keras::utils::to_categorical(test.y, 10);

  keras::Sequential model;
  model.add(keras::Input({.shape = {28, 28, 1}}));
  model.add(keras::layers::Conv2D({.filters = 32, .kernel_size = {3, 3}, .activation = "relu"}));
  model.add(keras::layers::MaxPooling2D({.pool_size = {2, 2}}));
  model.add(keras::layers::Conv2D({.filters = 64, .kernel_size = {3, 3}, .activation = "relu"}));
  model.add(keras::layers::MaxPooling2D({.pool_size = {2, 2}}));
  model.add(keras::layers::Flatten());
  model.add(keras::layers::Dropout({.rate = 0.5}));
  model.add(keras::layers::Dense({.units = 10, .activation = "softmax"}));
  model.summary();

  // model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
  model.compile({.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  // model.fit(x_train, y_train, batch_size=128, epochs=15, validation_split=0.1)
  model.fit(x_train, y_train, {.batch_size = 128, .epochs = epochs, .validation_split = 0.1});

  // score = model.evaluate(x_test, y_test, verbose=0)
  const auto score = model.evaluate(x_test, y_test, {.verbose = 0});
  std::cout << "Test loss: " << score.at("loss") << '\n'
            << "Test accuracy: " << score.at("accuracy") << '\n';
  model.save("mnist_convnet.keras");
  std::cout << "Saved mnist_convnet.keras\n";
  return 0;
} catch (const std::exception& error) {
  std::cerr << "mnist_convnet: " << error.what() << '\n';
  return 1;
}
