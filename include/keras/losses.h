// SPDX-License-Identifier: Apache-2.0
// Every Keras loss kerascpp implements (Python: `keras.losses`).
#pragma once

#include "keras/losses/binary_crossentropy.h"
#include "keras/losses/categorical_crossentropy.h"
#include "keras/losses/loss.h"
#include "keras/losses/mean_absolute_error.h"
#include "keras/losses/mean_squared_error.h"
#include "keras/losses/sparse_categorical_crossentropy.h"
