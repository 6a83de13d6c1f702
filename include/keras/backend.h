// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace keras::backend {

/// Resets Keras's global state: automatic layer and model names start again at
/// `flatten`, `dense`, `sequential`, ... (Python: `keras.backend.clear_session()`).
void clear_session();

}  // namespace keras::backend
