// SPDX-License-Identifier: Apache-2.0
#include "detail/unbuilt_error.h"

#include <fmt/format.h>

namespace keras::detail {

ValueError count_params_unbuilt_error(std::string_view name) {
  return ValueError(fmt::format(
      "You tried to call `count_params` on layer '{}', but the layer isn't built. You can build "
      "it manually via: `layer.build(input_shape)`.",
      name));
}

ValueError backward_before_call_error(std::string_view layer) {
  return ValueError(fmt::format(
      "Layer \"{}\": `backward` needs a call first; it returns the gradient of the last call",
      layer));
}

}  // namespace keras::detail
