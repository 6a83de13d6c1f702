// SPDX-License-Identifier: Apache-2.0
#include "kernels/inner_product.h"

#include "kernels/engine.h"

#include <fmt/format.h>

namespace keras::kernels {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
constexpr auto f32 = memory::data_type::f32;

memory wrap(const memory::desc& desc, const Tensor& tensor) {
  return {desc, cpu_engine(), const_cast<void*>(tensor.raw_data())};
}

}  // namespace

// Keras's kernel (in, out), row-major, is oneDNN's weights {out, in} in format `io`:
// used as it is, with no copy.
struct InnerProductPlan::Primitives {
  std::int64_t rows;
  bool with_bias;
  memory::desc src, weights, bias, dst;
  dnnl::inner_product_forward forward;
  dnnl::inner_product_backward_data backward_data;
  dnnl::inner_product_backward_weights backward_weights;

  Primitives(std::int64_t rows_, std::int64_t in, std::int64_t out, bool with_bias_)
      : rows(rows_),
        with_bias(with_bias_),
        src({rows_, in}, f32, tag::nc),
        weights({out, in}, f32, tag::io),
        bias(with_bias_ ? memory::desc({out}, f32, tag::x) : memory::desc()),
        dst({rows_, out}, f32, tag::nc) {
    const auto& engine = cpu_engine();
    const dnnl::inner_product_forward::primitive_desc forward_pd(
        {dnnl::prop_kind::forward_training, src, weights, bias, dst}, engine);
    forward = dnnl::inner_product_forward(forward_pd);
    backward_data = dnnl::inner_product_backward_data({{src, weights, dst}, engine, forward_pd});
    const auto weights_desc =
        with_bias ? dnnl::inner_product_backward_weights::desc(src, weights, bias, dst)
                  : dnnl::inner_product_backward_weights::desc(src, weights, dst);
    backward_weights = dnnl::inner_product_backward_weights({weights_desc, engine, forward_pd});
  }
};

InnerProductPlan::InnerProductPlan(std::int64_t rows, std::int64_t in, std::int64_t out,
                                   bool with_bias) {
  try {
    primitives_ = std::make_unique<Primitives>(rows, in, out, with_bias);
  } catch (const dnnl::error& error) {
    throw Error(fmt::format("oneDNN cannot make an inner product of ({}, {}) by ({}, {}): {}", rows,
                            in, in, out, error.what()));
  }
}

InnerProductPlan::~InnerProductPlan() = default;
InnerProductPlan::InnerProductPlan(InnerProductPlan&&) noexcept = default;
InnerProductPlan& InnerProductPlan::operator=(InnerProductPlan&&) noexcept = default;

bool InnerProductPlan::matches(std::int64_t rows) const noexcept {
  return primitives_->rows == rows;
}

void InnerProductPlan::forward(const Tensor& src, const Tensor& weights, const Tensor& bias,
                               Tensor& dst) {
  auto& p = *primitives_;
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(p.src, src)},
                                       {DNNL_ARG_WEIGHTS, wrap(p.weights, weights)},
                                       {DNNL_ARG_DST, wrap(p.dst, dst)}};
  if (p.with_bias) args.emplace(DNNL_ARG_BIAS, wrap(p.bias, bias));
  p.forward.execute(cpu_stream(), args);
  cpu_stream().wait();
}

void InnerProductPlan::backward_data(const Tensor& diff_dst, const Tensor& weights,
                                     Tensor& diff_src) {
  auto& p = *primitives_;
  p.backward_data.execute(cpu_stream(), {{DNNL_ARG_DIFF_DST, wrap(p.dst, diff_dst)},
                                         {DNNL_ARG_WEIGHTS, wrap(p.weights, weights)},
                                         {DNNL_ARG_DIFF_SRC, wrap(p.src, diff_src)}});
  cpu_stream().wait();
}

void InnerProductPlan::backward_weights(const Tensor& src, const Tensor& diff_dst,
                                        Tensor& diff_weights, Tensor& diff_bias) {
  auto& p = *primitives_;
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(p.src, src)},
                                       {DNNL_ARG_DIFF_DST, wrap(p.dst, diff_dst)},
                                       {DNNL_ARG_DIFF_WEIGHTS, wrap(p.weights, diff_weights)}};
  if (p.with_bias) args.emplace(DNNL_ARG_DIFF_BIAS, wrap(p.bias, diff_bias));
  p.backward_weights.execute(cpu_stream(), args);
  cpu_stream().wait();
}

}  // namespace keras::kernels
