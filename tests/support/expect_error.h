// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <typeinfo>

namespace keras::testing {

/// Runs `action`, which must throw `ErrorType`, and returns the message, so that a test can
/// pin the exact text: `EXPECT_EQ(error_message<ValueError>([&] { ... }), "...")`.
template <typename ErrorType, typename Action>
std::string error_message(Action&& action) {
  try {
    action();
  } catch (const ErrorType& error) {
    return error.what();
  } catch (const std::exception& error) {
    ADD_FAILURE() << "expected " << typeid(ErrorType).name() << ", got " << typeid(error).name()
                  << ": " << error.what();
    return {};
  }
  ADD_FAILURE() << "expected " << typeid(ErrorType).name() << ", nothing was thrown";
  return {};
}

}  // namespace keras::testing
