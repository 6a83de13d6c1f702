// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace keras::kernels {

/// The process's one CPU engine and stream (oneDNN's recommended set-up for CPU work).
dnnl::engine& cpu_engine();
dnnl::stream& cpu_stream();

}  // namespace keras::kernels
