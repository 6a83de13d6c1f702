// SPDX-License-Identifier: Apache-2.0
#include "keras/models/save_model.h"

#include "io/atomic_file.h"
#include "io/file_kind.h"
#include "io/hdf5_file.h"
#include "io/keras3_weights.h"
#include "io/keras_archive.h"
#include "io/legacy_h5.h"
#include "keras/error.h"

#include <fmt/format.h>

#include <utility>

namespace keras {
namespace models {

void save_model(const Sequential& model, const std::string& path) {
  // Keras: saving_api.save_model.
  if (!path.ends_with(".keras")) {
    throw ValueError(fmt::format(
        "Invalid `filepath` argument: expected a `.keras` extension. Received: filepath={}", path));
  }
  io::save_keras_archive(model, path);
}

void save_weights(const Sequential& model, const std::string& path) {
  // Keras: saving_api.save_weights.
  if (!path.ends_with(".weights.h5")) {
    throw ValueError(
        fmt::format("The filename must end in `.weights.h5`. Received: filepath={}", path));
  }
  io::AtomicFile file(path);
  io::save_keras3_weights(model, file.temporary());
  file.commit();
}

void load_weights(Sequential& model, const std::string& path) {
  // By content, not by name: Keras 3 chooses by extension, but a renamed file is still what
  // its bytes say.
  const io::FileHead head = io::sniff_file(path);
  switch (head.kind) {
    case io::FileKind::zip:
      io::load_keras_archive_weights(path, model);
      return;
    case io::FileKind::hdf5: {
      io::hdf5::File file = io::hdf5::File::open_read(path);
      if (io::is_legacy_h5_weights(file)) {
        io::load_legacy_h5_weights(file, model, path);
      } else {
        io::load_keras3_weights(std::move(file), model, path);
      }
      return;
    }
    case io::FileKind::json:
    case io::FileKind::other:
      break;
  }
  throw FileError(
      path, fmt::format("Cannot load weights from '{}': not a Keras weights file ({}); kerascpp "
                        "reads Keras 3 .weights.h5 and .keras files and legacy Keras .h5 files",
                        path,
                        head.bytes.empty()
                            ? "the file is empty"
                            : fmt::format("it starts with {}", io::bytes_repr(head.bytes))));
}

}  // namespace models

// Sequential's Keras methods live here rather than in sequential.cpp so that the core
// model does not depend on the file formats.
void Sequential::save(const std::string& path) const { models::save_model(*this, path); }

void Sequential::save_weights(const std::string& path) const { models::save_weights(*this, path); }

void Sequential::load_weights(const std::string& path) { models::load_weights(*this, path); }

}  // namespace keras
