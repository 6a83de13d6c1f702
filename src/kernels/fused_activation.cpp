// SPDX-License-Identifier: Apache-2.0
#include "kernels/fused_activation.h"

namespace keras::kernels {

FusedActivation::FusedActivation(const ActivationSpec& spec, const dnnl::memory::desc& dst)
    : eltwise_(activation_as_eltwise(spec)), dst_(dst) {}

bool FusedActivation::applies(const ActivationSpec& spec) {
  return spec.kind == ActivationKind::linear || activation_as_eltwise(spec).has_value();
}

bool FusedActivation::backward_reads_output() const { return reads_dst(eltwise_->backward); }

bool FusedActivation::fused(bool training) const noexcept {
  return eltwise_.has_value() && (!training || backward_reads_output());
}

dnnl::primitive_attr FusedActivation::post_ops() const {
  dnnl::primitive_attr attr;
  if (!eltwise_) return attr;
  dnnl::post_ops chain;
  chain.append_eltwise(1.0f, eltwise_->forward, eltwise_->alpha, eltwise_->beta);
  attr.set_post_ops(chain);
  return attr;
}

Tensor FusedActivation::forward(const Tensor& primitive_dst, bool training) {
  kept_ = Tensor();
  if (!eltwise_) return primitive_dst;
  if (fused(training)) {
    if (backward_reads_output()) kept_ = primitive_dst;
    return primitive_dst;
  }
  if (!forward_) {
    forward_ = dnnl::eltwise_forward({{dnnl::prop_kind::forward_training, eltwise_->forward, dst_,
                                       eltwise_->alpha, eltwise_->beta},
                                      cpu_engine()});
  }
  kept_ = primitive_dst;
  Tensor dst = Tensor::empty(primitive_dst.shape());
  forward_.execute(cpu_stream(),
                   {{DNNL_ARG_SRC, wrap(dst_, primitive_dst)}, {DNNL_ARG_DST, wrap(dst_, dst)}});
  cpu_stream().wait();
  return dst;
}

Tensor FusedActivation::backward(const Tensor& diff_dst,
                                 const std::function<Tensor()>& recompute_linear) {
  if (!eltwise_) return diff_dst;
  if (!backward_) {
    // The hint names the backward algorithm: oneDNN's *_use_dst_for_bwd forms are forward
    // algorithms too.
    const dnnl::eltwise_forward::primitive_desc hint(
        {dnnl::prop_kind::forward_training, eltwise_->backward, dst_, eltwise_->alpha,
         eltwise_->beta},
        cpu_engine());
    backward_ = dnnl::eltwise_backward(
        {{eltwise_->backward, dst_, dst_, eltwise_->alpha, eltwise_->beta}, cpu_engine(), hint});
  }
  const Tensor operand = kept_.defined() ? kept_ : recompute_linear();
  const Tensor packed = diff_dst.contiguous();
  Tensor diff_src = Tensor::empty(diff_dst.shape());
  backward_.execute(cpu_stream(),
                    {{backward_reads_output() ? DNNL_ARG_DST : DNNL_ARG_SRC, wrap(dst_, operand)},
                     {DNNL_ARG_DIFF_DST, wrap(dst_, packed)},
                     {DNNL_ARG_DIFF_SRC, wrap(dst_, diff_src)}});
  cpu_stream().wait();
  return diff_src;
}

}  // namespace keras::kernels
