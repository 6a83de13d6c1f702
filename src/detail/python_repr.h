// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace keras::detail {

/// Python's `str(x)` of a float, as Keras's messages, configs and logs print numbers: the
/// shortest text that reads back as `x`, with Python's spelling ("1.0", "0.001", "1e-05",
/// "1e+16", "nan", "inf", "-inf").
[[nodiscard]] std::string python_float(double value);

}  // namespace keras::detail
