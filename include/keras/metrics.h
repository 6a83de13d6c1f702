// SPDX-License-Identifier: Apache-2.0
// Every Keras metric kerascpp implements (Python: `keras.metrics`).
#pragma once

#include "keras/metrics/accuracy.h"
#include "keras/metrics/binary_accuracy.h"
#include "keras/metrics/categorical_accuracy.h"
#include "keras/metrics/mean.h"
#include "keras/metrics/mean_absolute_error.h"
#include "keras/metrics/mean_squared_error.h"
#include "keras/metrics/metric.h"
#include "keras/metrics/sparse_categorical_accuracy.h"
