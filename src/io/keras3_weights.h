// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/hdf5_file.h"
#include "keras/sequential.h"

#include <string>

namespace keras::io {

/// Reads Keras 3's weight layout (`layers/<snake_case class>[_<n>]/vars/<i>`, see
/// keras-spec.md 5.1) from the HDF5 file at `h5_path` into `model`. `shown_path` is the
/// name used in messages (for a member of a `.keras` archive: "model.keras:model.weights.h5").
/// Throws FileError naming the file, the layer, and the expected and found shapes or counts.
void load_keras3_weights(const std::string& h5_path, Sequential& model,
                         const std::string& shown_path);
/// The same from a file already open (a `.keras` archive's member, opened from memory).
void load_keras3_weights(hdf5::File file, Sequential& model, const std::string& shown_path);

/// Writes `model`'s weights in Keras 3's layout to a new HDF5 file at `h5_path`.
void save_keras3_weights(const Sequential& model, const std::string& h5_path);

}  // namespace keras::io
