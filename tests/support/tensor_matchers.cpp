// SPDX-License-Identifier: Apache-2.0
#include "support/tensor_matchers.h"

#include "keras/shape.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

namespace keras::testing {
namespace {

std::string shape_text(const Tensor& tensor) { return Shape::of(tensor.shape()).to_string(); }

}  // namespace

::testing::AssertionResult all_close(const Tensor& actual, const Tensor& expected, double atol,
                                     double rtol) {
  if (actual.shape() != expected.shape() || actual.dtype() != expected.dtype()) {
    return ::testing::AssertionFailure()
           << fmt::format("expected a {} tensor of shape {}, got a {} tensor of shape {}",
                          name_of(expected.dtype()), shape_text(expected), name_of(actual.dtype()),
                          shape_text(actual));
  }
  const Tensor got = actual.astype(DType::float64).contiguous();
  const Tensor want = expected.astype(DType::float64).contiguous();
  for (std::int64_t i = 0; i < got.size(); ++i) {
    const double a = got.data<double>()[i];
    const double e = want.data<double>()[i];
    const bool same_bits = std::isnan(a) && std::isnan(e);
    if (!same_bits && !(std::abs(a - e) <= atol + rtol * std::abs(e))) {
      return ::testing::AssertionFailure() << fmt::format(
                 "element {} (row-major) of shape {} is {:.9g}, expected {:.9g} (atol {}, rtol {})",
                 i, shape_text(got), a, e, atol, rtol);
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace keras::testing
