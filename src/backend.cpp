// SPDX-License-Identifier: Apache-2.0
#include "keras/backend.h"

#include "detail/block_cache.h"
#include "detail/naming.h"

namespace keras::backend {

void clear_session() {
  detail::reset_object_names();
  detail::release_cached_blocks();
}

}  // namespace keras::backend
