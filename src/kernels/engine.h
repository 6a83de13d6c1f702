// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <oneapi/dnnl/dnnl.hpp>

namespace keras::kernels {

/// The process's one CPU engine and stream (oneDNN's recommended set-up for CPU work).
dnnl::engine& cpu_engine();
dnnl::stream& cpu_stream();

/// A oneDNN memory object over `tensor`'s bytes, described by `desc` (no copy: a primitive
/// reads or writes the tensor itself).
dnnl::memory wrap(const dnnl::memory::desc& desc, const Tensor& tensor);

}  // namespace keras::kernels
