// SPDX-License-Identifier: Apache-2.0
#include "kernels/inner_product.h"

#include "kernels/engine.h"
#include "kernels/fused_activation.h"
#include "kernels/weights_layout.h"

#include <fmt/format.h>

#include <array>
#include <deque>
#include <unordered_map>

namespace keras::kernels {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
constexpr auto f32 = memory::data_type::f32;

}  // namespace

// Keras's kernel (in, out), row-major, is oneDNN's weights {out, in} in format `io`; the
// primitives choose their own layout (`any`: blocked for oneDNN's brgemm kernels).
struct InnerProductPlan::Primitives {
  // A forward primitive, with the activation's post-op or without, and its weights.
  struct Forward {
    dnnl::inner_product_forward::primitive_desc pd;
    dnnl::inner_product_forward primitive;
    CachedWeights* weights;
  };

  std::int64_t rows;
  bool with_bias;
  bool applies_activation;
  memory::desc src_md, keras_weights_md, any_weights_md, bias_md, dst_md;
  FusedActivation activation;
  std::array<std::optional<Forward>, 2> forwards;  // [with_post_op]
  std::deque<CachedWeights> weights;               // one per layout the primitives read
  dnnl::inner_product_backward_data backward_data;
  CachedWeights* backward_data_weights = nullptr;
  dnnl::inner_product_backward_weights backward_weights;
  std::optional<GradientWeights> diff_weights;
  Tensor src;                            // the last forward's input
  std::optional<Variable> last_weights;  // and weights
  Tensor bias;

  Primitives(std::int64_t rows_, std::int64_t in, std::int64_t out, bool with_bias_,
             const ActivationSpec& spec)
      : rows(rows_),
        with_bias(with_bias_),
        applies_activation(FusedActivation::applies(spec)),
        src_md({rows_, in}, f32, tag::nc),
        keras_weights_md({out, in}, f32, tag::io),
        any_weights_md({out, in}, f32, tag::any),
        bias_md(with_bias_ ? memory::desc({out}, f32, tag::x) : memory::desc()),
        dst_md({rows_, out}, f32, tag::nc),
        activation(spec, dst_md) {
    (void)forward(false);  // fails here, not at the first call, if oneDNN refuses the shape
  }

  Forward& forward(bool with_post_op) {
    auto& slot = forwards[with_post_op ? 1 : 0];
    if (slot) return *slot;
    const dnnl::primitive_attr attr = with_post_op ? activation.post_ops() : dnnl::primitive_attr();
    const dnnl::inner_product_forward::primitive_desc pd(
        {dnnl::prop_kind::forward_training, src_md, any_weights_md, bias_md, dst_md}, attr,
        cpu_engine());
    return slot.emplace(Forward{pd, dnnl::inner_product_forward(pd),
                                &cached_weights(weights, keras_weights_md, pd.weights_desc())});
  }

  Tensor run_forward(bool with_post_op) {
    Forward& f = forward(with_post_op);
    Tensor dst = Tensor::empty({rows, dst_md.dims()[1]});
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(src_md, src)},
                                         {DNNL_ARG_WEIGHTS, f.weights->get(*last_weights)},
                                         {DNNL_ARG_DST, wrap(dst_md, dst)}};
    if (with_bias) args.emplace(DNNL_ARG_BIAS, wrap(bias_md, bias));
    f.primitive.execute(cpu_stream(), args);
    cpu_stream().wait();
    return dst;
  }

  Tensor run_backward_data(const Tensor& diff_dst) {
    if (!backward_data) {
      const dnnl::inner_product_backward_data::primitive_desc pd({src_md, any_weights_md, dst_md},
                                                                 cpu_engine(), forwards[0]->pd);
      backward_data = dnnl::inner_product_backward_data(pd);
      backward_data_weights = &cached_weights(weights, keras_weights_md, pd.weights_desc());
    }
    Tensor diff_src = Tensor::empty({rows, src_md.dims()[1]});
    backward_data.execute(cpu_stream(),
                          {{DNNL_ARG_DIFF_DST, wrap(dst_md, diff_dst)},
                           {DNNL_ARG_WEIGHTS, backward_data_weights->get(*last_weights)},
                           {DNNL_ARG_DIFF_SRC, wrap(src_md, diff_src)}});
    cpu_stream().wait();
    return diff_src;
  }

  void run_backward_weights(const Tensor& diff_dst, Tensor& diff_weights_keras, Tensor& diff_bias) {
    if (!backward_weights) {
      const auto desc =
          with_bias
              ? dnnl::inner_product_backward_weights::desc(src_md, any_weights_md, bias_md, dst_md)
              : dnnl::inner_product_backward_weights::desc(src_md, any_weights_md, dst_md);
      const dnnl::inner_product_backward_weights::primitive_desc pd(desc, cpu_engine(),
                                                                    forwards[0]->pd);
      backward_weights = dnnl::inner_product_backward_weights(pd);
      diff_weights.emplace(pd.diff_weights_desc(), keras_weights_md);
    }
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, wrap(src_md, src)},
        {DNNL_ARG_DIFF_DST, wrap(dst_md, diff_dst)},
        {DNNL_ARG_DIFF_WEIGHTS, diff_weights->target(diff_weights_keras)}};
    if (with_bias) args.emplace(DNNL_ARG_DIFF_BIAS, wrap(bias_md, diff_bias));
    backward_weights.execute(cpu_stream(), args);
    diff_weights->finish(diff_weights_keras);
    cpu_stream().wait();
  }
};

InnerProductPlan::InnerProductPlan(std::int64_t rows, std::int64_t in, std::int64_t out,
                                   bool with_bias, const ActivationSpec& activation) {
  try {
    primitives_ = std::make_unique<Primitives>(rows, in, out, with_bias, activation);
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

bool InnerProductPlan::applies_activation() const noexcept {
  return primitives_->applies_activation;
}

Tensor InnerProductPlan::forward(const Tensor& src, const Variable& weights, const Tensor& bias,
                                 bool training) {
  auto& p = *primitives_;
  p.src = src.contiguous();
  p.last_weights.emplace(weights);
  p.bias = bias;
  try {
    return p.activation.forward(p.run_forward(p.activation.fused(training)), training);
  } catch (const dnnl::error& error) {
    throw Error(fmt::format("oneDNN cannot run an inner product of ({}, {}): {}", p.rows,
                            p.src_md.dims()[1], error.what()));
  }
}

Tensor InnerProductPlan::backward(const Tensor& diff_dst, Tensor& diff_weights, Tensor& diff_bias,
                                  InputGradient input_gradient) {
  auto& p = *primitives_;
  try {
    // After an inference forward, an activation whose backward reads its input has its
    // input recomputed: the product again, without the post-op.
    const Tensor diff_linear =
        p.activation.backward(diff_dst.contiguous(), [&] { return p.run_forward(false); });
    Tensor diff_src =
        input_gradient == InputGradient::compute ? p.run_backward_data(diff_linear) : Tensor();
    p.run_backward_weights(diff_linear, diff_weights, diff_bias);
    return diff_src;
  } catch (const dnnl::error& error) {
    throw Error(fmt::format("oneDNN cannot run the backward of an inner product of ({}, {}): {}",
                            p.rows, p.src_md.dims()[1], error.what()));
  }
}

bool InnerProductPlan::reorders_weights() const {
  return primitives_->forwards[0]->weights->reorders();
}

std::int64_t InnerProductPlan::weights_reorder_count() const {
  std::int64_t count = 0;
  for (const CachedWeights& cache : primitives_->weights) count += cache.reorder_count();
  return count;
}

}  // namespace keras::kernels
