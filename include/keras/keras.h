// SPDX-License-Identifier: Apache-2.0
//
// kerascpp: the Keras layers-and-models API for convolutional networks, natively in C++20.
//
// Python Keras                                   kerascpp
// ---------------------------------------------  ---------------------------------------------
// model = keras.Sequential()                     keras::Sequential model;
// model.add(keras.Input(shape=(28, 28, 1)))      model.add(keras::Input({.shape = {28, 28, 1}}));
// model.add(layers.Flatten())                    model.add(keras::layers::Flatten());
// model.summary()                                model.summary();
// y = model.predict(x, batch_size=32)            keras::Tensor y = model.predict(x, 32);
//
// Layers take one options aggregate whose fields are Keras's keyword arguments, with
// Keras's defaults, in Keras's order, so designated initialisers read like the Python call:
//
//     keras::layers::Flatten({.data_format = "channels_first", .name = "to_vector"});
//
// The legacy `input_shape=` argument works on the first layer of a Sequential, as in Keras:
//
//     model.add(keras::layers::Flatten({.input_shape = {28, 28, 1}}));  // (None, 784)
//
// Data lives in keras::Tensor: float32 (int32 for labels), row-major, channels-last
// (NHWC) images, reference-counted storage shared between views. Flatten of a
// contiguous channels-last tensor is such a view: it copies nothing.
//
//     auto x = keras::Tensor::uniform({32, 28, 28, 1}, 0.0f, 1.0f, /*seed=*/42);
//     auto y = model.predict(x);            // (32, 784), the same values as x
//
// Shapes known before data arrives are keras::Shape, where `keras::None` is an unknown
// axis and printing follows Keras: `(None, 784)`.
//
// Every error is an exception derived from keras::Error (ValueError, TypeError,
// IndexError, NotImplementedError, FileError), worded as Keras words it, naming the
// layer, the shapes and the file involved. docs/errors.md lists them.
#pragma once

#include "keras/backend.h"
#include "keras/callbacks.h"
#include "keras/config.h"
#include "keras/datasets/mnist.h"
#include "keras/dtype.h"
#include "keras/error.h"
#include "keras/initializers.h"
#include "keras/layers/activation.h"
#include "keras/layers/average_pooling2d.h"
#include "keras/layers/batch_normalization.h"
#include "keras/layers/conv2d.h"
#include "keras/layers/cropping2d.h"
#include "keras/layers/dense.h"
#include "keras/layers/dropout.h"
#include "keras/layers/flatten.h"
#include "keras/layers/global_average_pooling2d.h"
#include "keras/layers/global_max_pooling2d.h"
#include "keras/layers/input_layer.h"
#include "keras/layers/layer.h"
#include "keras/layers/leaky_relu.h"
#include "keras/layers/max_pooling2d.h"
#include "keras/layers/permute.h"
#include "keras/layers/relu.h"
#include "keras/layers/reshape.h"
#include "keras/layers/softmax.h"
#include "keras/layers/zero_padding2d.h"
#include "keras/losses.h"
#include "keras/metrics.h"
#include "keras/models/convert_data_format.h"
#include "keras/models/load_model.h"
#include "keras/models/model_from_json.h"
#include "keras/models/save_model.h"
#include "keras/optimizers.h"
#include "keras/sequential.h"
#include "keras/shape.h"
#include "keras/tensor.h"
#include "keras/utils/image.h"
#include "keras/utils/npy.h"
#include "keras/utils/plot_history.h"
#include "keras/utils/plot_model.h"
#include "keras/utils/progbar.h"
#include "keras/utils/random.h"
#include "keras/utils/to_categorical.h"
#include "keras/variable.h"
