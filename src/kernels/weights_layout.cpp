// SPDX-License-Identifier: Apache-2.0
#include "kernels/weights_layout.h"

namespace keras::kernels {
namespace {

dnnl::reorder make_reorder(const dnnl::memory::desc& from, const dnnl::memory::desc& to) {
  if (from == to) return {};
  return dnnl::reorder(dnnl::reorder::primitive_desc(cpu_engine(), from, cpu_engine(), to));
}

}  // namespace

CachedWeights::CachedWeights(const dnnl::memory::desc& keras, const dnnl::memory::desc& own)
    : keras_(keras), own_(own), reorder_(make_reorder(keras, own)) {
  if (reorder_) copy_ = dnnl::memory(own_, cpu_engine());
}

dnnl::memory CachedWeights::get(const Variable& weights) {
  dnnl::memory user = wrap(keras_, weights.value());
  if (!reorder_) return user;
  const void* source = weights.value().raw_data();
  if (reorder_count_ == 0 || source != source_ || weights.version() != version_) {
    reorder_.execute(cpu_stream(), user, copy_);
    source_ = source;
    version_ = weights.version();
    ++reorder_count_;
  }
  return copy_;
}

CachedWeights& cached_weights(std::deque<CachedWeights>& caches, const dnnl::memory::desc& keras,
                              const dnnl::memory::desc& own) {
  for (CachedWeights& cache : caches) {
    if (cache.desc() == own) return cache;
  }
  return caches.emplace_back(keras, own);
}

GradientWeights::GradientWeights(const dnnl::memory::desc& own, const dnnl::memory::desc& keras)
    : own_(own), keras_(keras), reorder_(make_reorder(own, keras)) {
  if (reorder_) scratch_ = dnnl::memory(own_, cpu_engine());
}

dnnl::memory GradientWeights::target(Tensor& diff_weights) {
  return reorder_ ? scratch_ : wrap(keras_, diff_weights);
}

void GradientWeights::finish(Tensor& diff_weights) {
  if (!reorder_) return;
  dnnl::memory keras = wrap(keras_, diff_weights);
  reorder_.execute(cpu_stream(), scratch_, keras);
}

}  // namespace keras::kernels
