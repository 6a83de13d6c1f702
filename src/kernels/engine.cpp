// SPDX-License-Identifier: Apache-2.0
#include "kernels/engine.h"

namespace keras::kernels {

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpu_stream() {
  static dnnl::stream stream(cpu_engine());
  return stream;
}

dnnl::memory wrap(const dnnl::memory::desc& desc, const Tensor& tensor) {
  return {desc, cpu_engine(), const_cast<void*>(tensor.raw_data())};
}

}  // namespace keras::kernels
