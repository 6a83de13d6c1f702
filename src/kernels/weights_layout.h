// SPDX-License-Identifier: Apache-2.0
// Kernel-internal, like engine.h: it includes oneDNN, so only src/kernels/*.cpp include it.
#pragma once

#include "keras/variable.h"
#include "kernels/engine.h"

#include <cstdint>
#include <deque>

namespace keras::kernels {

/// A layer's weights in the layout a primitive prefers, reordered from Keras's layout only
/// when the Variable's values changed since the last reorder (another storage, or a new
/// Variable::version()), so the reorder runs once per weight update, not once per call.
class CachedWeights {
 public:
  /// `keras`: the Variable's layout; `own`: the primitive's (format `any` resolved).
  CachedWeights(const dnnl::memory::desc& keras, const dnnl::memory::desc& own);

  [[nodiscard]] const dnnl::memory::desc& desc() const noexcept { return own_; }
  /// The weights as the primitive reads them: the Variable's storage itself when the layouts
  /// are the same, else the kept copy, reordered again first when it is stale.
  [[nodiscard]] dnnl::memory get(const Variable& weights);
  /// Whether the layouts differ, so that get() keeps a copy.
  [[nodiscard]] bool reorders() const noexcept { return static_cast<bool>(reorder_); }
  /// How many reorders get() ran.
  [[nodiscard]] std::int64_t reorder_count() const noexcept { return reorder_count_; }

 private:
  dnnl::memory::desc keras_;
  dnnl::memory::desc own_;
  dnnl::reorder reorder_;  // empty when the layouts are the same
  dnnl::memory copy_;
  const void* source_ = nullptr;  // the storage and version the copy was made from
  std::uint64_t version_ = 0;
  std::int64_t reorder_count_ = 0;
};

/// The cache of `caches` in layout `own`, added when missing: primitives that read the
/// weights in the same layout share one copy.
[[nodiscard]] CachedWeights& cached_weights(std::deque<CachedWeights>& caches,
                                            const dnnl::memory::desc& keras,
                                            const dnnl::memory::desc& own);

/// A weight gradient that a primitive writes in its own layout and Keras reads in its own:
/// the primitive writes into a scratch buffer, then one reorder writes the Keras tensor.
/// Without a layout difference the primitive writes the Keras tensor directly.
class GradientWeights {
 public:
  GradientWeights(const dnnl::memory::desc& own, const dnnl::memory::desc& keras);

  /// Where the primitive writes the gradient that ends in `diff_weights` (Keras's layout).
  [[nodiscard]] dnnl::memory target(Tensor& diff_weights);
  /// Reorders the gradient into `diff_weights` when target() was the scratch buffer; queued on
  /// the stream after the primitive.
  void finish(Tensor& diff_weights);

 private:
  dnnl::memory::desc own_;
  dnnl::memory::desc keras_;
  dnnl::reorder reorder_;  // empty when the layouts are the same
  dnnl::memory scratch_;
};

}  // namespace keras::kernels
