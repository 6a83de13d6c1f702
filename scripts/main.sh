#!/usr/bin/env bash
# The main job: installs what is missing, builds, and trains Keras's MNIST convnet example
# (examples/mnist_convnet.cpp) on the shipped digits; it saves build/mnist_convnet.keras.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/configure.sh
cmake --build build --target mnist_convnet
cd build && bin/mnist_convnet
