// SPDX-License-Identifier: Apache-2.0
#pragma once

// Every callback fit, evaluate and predict take (Keras's `keras.callbacks`).
#include "keras/callbacks/callback.h"
#include "keras/callbacks/csv_logger.h"
#include "keras/callbacks/early_stopping.h"
#include "keras/callbacks/history.h"
#include "keras/callbacks/model_checkpoint.h"
#include "keras/callbacks/progbar_logger.h"
#include "keras/callbacks/reduce_lr_on_plateau.h"
#include "keras/callbacks/terminate_on_nan.h"
