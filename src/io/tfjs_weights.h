// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/json.h"
#include "keras/tensor.h"

#include <string>
#include <vector>

namespace keras::io {

/// One weight of a TF.js weightsManifest, as float32: its manifest name (`dense/kernel`) and
/// its values in the manifest's shape.
struct TfjsWeight {
  std::string name;
  Tensor value;
};

/// Reads every weight a TF.js `weightsManifest` lists: each group's shard files (paths
/// relative to the folder of `model_json_path`) are concatenated in order and sliced in
/// manifest order. float32, int32 and float16 weights and uint8/uint16/float16 quantization
/// become float32; optimizer weights (`"group": "optimizer"`) are skipped. Throws FileError
/// naming the file for a malformed manifest, a missing shard or too few bytes, and
/// NotImplementedError naming the weight for a dtype kerascpp does not read.
[[nodiscard]] std::vector<TfjsWeight> read_tfjs_weights(const Json& manifest,
                                                        const std::string& model_json_path);

}  // namespace keras::io
