// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/pads2d.h"

#include "detail/unbuilt_error.h"
#include "keras/error.h"
#include "keras/shape.h"
#include "layers/pads2d_args.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

namespace keras::layers {
namespace {

// Where CPython puts a small int in a fresh set (8 slots); hash(-1) is -2. Sets are printed
// in slot order, so `{v for v in (a, b) if v < 0}` prints in this order.
int python_set_slot(int value) { return (value == -1 ? -2 : value) & 7; }

// Keras's `{v for v in value_tuple if v < 0}`, as Python prints it.
std::string negative_values_repr(const Pads2D::Axis& axis) {
  std::vector<int> values;
  for (const int value : {axis.before(), axis.after()}) {
    if (value < 0 && std::find(values.begin(), values.end(), value) == values.end()) {
      values.push_back(value);
    }
  }
  std::stable_sort(values.begin(), values.end(),
                   [](int a, int b) { return python_set_slot(a) < python_set_slot(b); });
  return fmt::format("{{{}}}", fmt::join(values, ", "));
}

std::string axis_repr(const Pads2D::Axis& axis) {
  if (axis.symmetric()) return std::to_string(axis.before());
  return fmt::format("({}, {})", axis.before(), axis.after());
}

}  // namespace

void check_pads(const Pads2D& pads, std::string_view argument) {
  if (pads.single_int()) {
    // Keras's Cropping2D check; Keras's ZeroPadding2D takes a negative int and fails later,
    // inside ops.pad, so kerascpp rejects it up front with the same sentence.
    if (pads.top() < 0) {
      throw ValueError(
          fmt::format("`{0}` cannot be negative. Received: {0}={1}.", argument, pads.top()));
    }
    return;
  }
  // argument_validation.standardize_tuple(padding[i], 2, "1st entry of padding", allow_zero=True)
  const char* const ordinals[] = {"1st", "2nd"};
  const Pads2D::Axis* const axes[] = {&pads.height(), &pads.width()};
  for (std::size_t index = 0; index < 2; ++index) {
    const Pads2D::Axis& axis = *axes[index];
    if (axis.before() >= 0 && axis.after() >= 0) continue;
    const std::string name = fmt::format("{} entry of {}", ordinals[index], argument);
    throw ValueError(fmt::format(
        "The `{0}` argument must be a tuple of 2 integers. Received {0}={1}, including values "
        "{2} that do not satisfy `value >= 0`",
        name, axis_repr(axis), negative_values_repr(axis)));
  }
}

std::string pads_repr(const Pads2D& pads) {
  return fmt::format("(({}, {}), ({}, {}))", pads.top(), pads.bottom(), pads.left(), pads.right());
}

void check_grad_outputs(std::string_view layer, const std::vector<std::int64_t>& last_output_shape,
                        const Tensor& grad_outputs) {
  if (last_output_shape.empty()) {
    throw detail::backward_before_call_error(layer);
  }
  if (grad_outputs.shape() != last_output_shape) {
    throw ValueError(fmt::format(
        "Layer \"{}\": `backward` received gradients of shape {}, but the last call returned "
        "shape {}",
        layer, Shape::of(grad_outputs.shape()).to_string(),
        Shape::of(last_output_shape).to_string()));
  }
}

}  // namespace keras::layers

namespace keras::io {
namespace {

// A JSON value as Python prints the list/int/str Keras's from_config receives.
std::string python_repr(const Json& value) {
  if (value.is_array()) {
    std::vector<std::string> items;
    for (const Json& item : value) items.push_back(python_repr(item));
    return fmt::format("[{}]", fmt::join(items, ", "));
  }
  if (value.is_null()) return "None";
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_string()) return fmt::format("'{}'", value.get<std::string>());
  return value.dump();
}

std::optional<int> as_int(const Json& value) {
  if (!value.is_number_integer()) return std::nullopt;
  const auto number = value.get<std::int64_t>();
  if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max()) {
    return std::nullopt;
  }
  return static_cast<int>(number);
}

layers::Pads2D::Axis axis_from_json(const Json& entry, std::string_view name) {
  if (const auto both = as_int(entry)) return {*both};
  if (entry.is_array() && entry.size() == 2) {
    const auto before = as_int(entry[0]);
    const auto after = as_int(entry[1]);
    if (before && after) return {*before, *after};
  }
  throw ValueError(fmt::format("The `{0}` argument must be a tuple of 2 integers. Received {0}={1}",
                               name, python_repr(entry)));
}

}  // namespace

layers::Pads2D pads_from_json(const Json& value, std::string_view argument) {
  if (const auto all = as_int(value)) return {*all};
  if (!value.is_array()) {
    // Keras's message, which says "crop" for ZeroPadding2D's `padding` too.
    throw ValueError(fmt::format(
        "`{0}` should be either an int, a tuple of 2 ints (symmetric_height_crop, "
        "symmetric_width_crop), or a tuple of 2 tuples of 2 ints ((top_crop, bottom_crop), "
        "(left_crop, right_crop)). Received: {0}={1}.",
        argument, python_repr(value)));
  }
  if (value.size() != 2) {
    throw ValueError(fmt::format("`{0}` should have two elements. Received: {0}={1}.", argument,
                                 python_repr(value)));
  }
  return {axis_from_json(value[0], fmt::format("1st entry of {}", argument)),
          axis_from_json(value[1], fmt::format("2nd entry of {}", argument))};
}

Json pads_json(const layers::Pads2D& pads) {
  return Json::array(
      {Json::array({pads.top(), pads.bottom()}), Json::array({pads.left(), pads.right()})});
}

}  // namespace keras::io
