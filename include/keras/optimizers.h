// SPDX-License-Identifier: Apache-2.0
// The Keras 3 optimizers kerascpp implements: SGD, Adam, AdamW and RMSprop, with
// keras::optimizers::get("adam") and deserialize() for Keras's identifiers and configs.
#pragma once

#include "keras/optimizers/adam.h"
#include "keras/optimizers/adamw.h"
#include "keras/optimizers/optimizer.h"
#include "keras/optimizers/rmsprop.h"
#include "keras/optimizers/sgd.h"
