// SPDX-License-Identifier: Apache-2.0
#include "callbacks/python_format.h"

#include "detail/python_repr.h"
#include "keras/error.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <limits>

namespace keras::callbacks::detail {
namespace {

using testing::error_message;

TEST(PythonFormatTest, StrOfAFloatIsPythonsRepr) {
  EXPECT_EQ(keras::detail::python_float(1.0), "1.0");
  EXPECT_EQ(keras::detail::python_float(-2.0), "-2.0");
  EXPECT_EQ(keras::detail::python_float(0.1), "0.1");
  EXPECT_EQ(keras::detail::python_float(0.0001), "0.0001");
  EXPECT_EQ(keras::detail::python_float(1e-05), "1e-05");
  EXPECT_EQ(keras::detail::python_float(1e16), "1e+16");
  EXPECT_EQ(keras::detail::python_float(1e15), "1000000000000000.0");
  EXPECT_EQ(keras::detail::python_float(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(keras::detail::python_float(static_cast<double>(0.001f)), "0.0010000000474974513");
  EXPECT_EQ(keras::detail::python_float(-0.0), "-0.0");
  EXPECT_EQ(keras::detail::python_float(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(keras::detail::python_float(-std::numeric_limits<double>::quiet_NaN()), "nan");
}

TEST(PythonFormatTest, FillsNamedFieldsWithIntAndFloatSpecs) {
  const FormatArgs args{{"epoch", 3LL}, {"val_loss", 0.123456}, {"accuracy", 1.0}};
  EXPECT_EQ(python_str_format("{epoch:02d}-{val_loss:.2f}.keras", args), "03-0.12.keras");
  EXPECT_EQ(python_str_format("{epoch}-{epoch:d}-{val_loss:.4f}", args), "3-3-0.1235");
  EXPECT_EQ(python_str_format("{accuracy}|{val_loss:.3e}|{epoch:.1f}", args), "1.0|1.235e-01|3.0");
  EXPECT_EQ(python_str_format("{epoch:>4}|{epoch:<3d}|{val_loss:+.1f}", args), "   3|3  |+0.1");
  EXPECT_EQ(python_str_format("{{epoch}} {{{epoch}}}", args), "{epoch} {3}");
}

TEST(PythonFormatTest, RejectsWhatPythonRejectsInItsWords) {
  const FormatArgs args{{"epoch", 3LL}, {"loss", 0.5}};
  EXPECT_EQ(error_message<MissingFormatKey>([&] { (void)python_str_format("{val_loss}", args); }),
            "'val_loss'");
  EXPECT_EQ(error_message<ValueError>([&] { (void)python_str_format("{loss:d}", args); }),
            "Unknown format code 'd' for object of type 'float'");
  EXPECT_EQ(error_message<ValueError>([&] { (void)python_str_format("a}b", args); }),
            "Single '}' encountered in format string");
  EXPECT_EQ(error_message<ValueError>([&] { (void)python_str_format("ab{", args); }),
            "Single '{' encountered in format string");
  EXPECT_EQ(error_message<ValueError>([&] { (void)python_str_format("{epoch", args); }),
            "expected '}' before end of string");
  EXPECT_EQ(error_message<ValueError>([&] { (void)python_str_format("{epoch:q}", args); }),
            "Unknown format code 'q' for object of type 'int'");
  EXPECT_EQ(error_message<ValueError>([&] { (void)python_str_format("{loss:1.2.3f}", args); }),
            "Invalid format specifier '1.2.3f' for object of type 'float'");
  EXPECT_EQ(error_message<IndexError>([&] { (void)python_str_format("{}.keras", args); }),
            "Replacement index 0 out of range for positional args tuple");
}

}  // namespace
}  // namespace keras::callbacks::detail
