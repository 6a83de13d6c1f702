// SPDX-License-Identifier: Apache-2.0
#include "keras/error.h"

#include <utility>

namespace keras {

FileError::FileError(std::string path, const std::string& what)
    : Error(what), path_(std::move(path)) {}

}  // namespace keras
