// SPDX-License-Identifier: Apache-2.0
#include "keras/models/model_from_json.h"

#include "io/model_config.h"

namespace keras::models {

Sequential model_from_json(std::string_view json) {
  const io::Json serialized = io::parse_json(json, "model config");
  // Keras 2's to_json() wraps the model in {"class_name", "config", "keras_version", ...};
  // tf.keras and TF.js may nest it under "model_config".
  if (serialized.contains("model_config")) {
    return io::sequential_from_config(serialized["model_config"]);
  }
  return io::sequential_from_config(serialized);
}

}  // namespace keras::models
