// SPDX-License-Identifier: Apache-2.0
#include "kernels/activation_program.h"

#include <unordered_map>

namespace keras::kernels {

using dnnl::algorithm;

bool reads_dst(algorithm alg) {
  return alg == algorithm::eltwise_relu_use_dst_for_bwd ||
         alg == algorithm::eltwise_tanh_use_dst_for_bwd ||
         alg == algorithm::eltwise_elu_use_dst_for_bwd ||
         alg == algorithm::eltwise_logistic_use_dst_for_bwd ||
         alg == algorithm::eltwise_exp_use_dst_for_bwd ||
         alg == algorithm::eltwise_clip_v2_use_dst_for_bwd;
}

const dnnl::memory::desc& ActivationProgram::desc_of(int operand) const {
  return operand >= constants ? scalar : data;
}

int ActivationProgram::constant(float value) {
  dnnl::memory memory(scalar, cpu_engine());
  *static_cast<float*>(memory.get_data_handle()) = value;
  constant_memories.push_back(memory);
  return constants + static_cast<int>(constant_memories.size()) - 1;
}

void ActivationProgram::eltwise(algorithm alg, float alpha, float beta, int src, int dst) {
  const dnnl::eltwise_forward::primitive_desc pd(
      {dnnl::prop_kind::forward_training, alg, data, alpha, beta}, cpu_engine());
  steps.push_back({dnnl::eltwise_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}}});
}

void ActivationProgram::eltwise_backward(algorithm alg, float alpha, float beta, int operand,
                                         int diff_dst, int diff_src) {
  const dnnl::eltwise_forward::primitive_desc hint(
      {dnnl::prop_kind::forward_training, alg, data, alpha, beta}, cpu_engine());
  const dnnl::eltwise_backward::primitive_desc pd({alg, data, data, alpha, beta}, cpu_engine(),
                                                  hint);
  steps.push_back({dnnl::eltwise_backward(pd),
                   {{reads_dst(alg) ? DNNL_ARG_DST : DNNL_ARG_SRC, operand},
                    {DNNL_ARG_DIFF_DST, diff_dst},
                    {DNNL_ARG_DIFF_SRC, diff_src}}});
}

void ActivationProgram::binary(algorithm alg, int src0, int src1, int dst,
                               const std::vector<PostOp>& post_ops) {
  dnnl::post_ops chain;
  std::vector<std::pair<int, int>> args{
      {DNNL_ARG_SRC_0, src0}, {DNNL_ARG_SRC_1, src1}, {DNNL_ARG_DST, dst}};
  for (const PostOp& op : post_ops) {
    if (op.operand < 0) {
      chain.append_eltwise(1.0f, op.alg, op.alpha, op.beta);
    } else {
      args.emplace_back(DNNL_ARG_ATTR_MULTIPLE_POST_OP(chain.len()) | DNNL_ARG_SRC_1, op.operand);
      chain.append_binary(op.alg, desc_of(op.operand));
    }
  }
  dnnl::primitive_attr attr;
  attr.set_post_ops(chain);
  const dnnl::binary::primitive_desc pd({alg, data, desc_of(src1), data}, attr, cpu_engine());
  steps.push_back({dnnl::binary(pd), std::move(args)});
}

void ActivationProgram::softmax(algorithm alg) {
  const dnnl::softmax_v2_forward::primitive_desc pd(
      {dnnl::prop_kind::forward_training, alg, data, data, softmax_axis}, cpu_engine());
  steps.push_back({dnnl::softmax_v2_forward(pd), {{DNNL_ARG_SRC, x}, {DNNL_ARG_DST, y}}});
}

void ActivationProgram::softmax_backward(algorithm alg) {
  const dnnl::softmax_v2_forward::primitive_desc hint(
      {dnnl::prop_kind::forward_training, alg, data, data, softmax_axis}, cpu_engine());
  const dnnl::softmax_v2_backward::primitive_desc pd({alg, data, data, data, softmax_axis},
                                                     cpu_engine(), hint);
  steps.push_back({dnnl::softmax_v2_backward(pd),
                   {{DNNL_ARG_DST, y}, {DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_SRC, dx}}});
}

bool ActivationProgram::uses(int operand) const {
  for (const Step& step : steps) {
    for (const auto& [arg, used] : step.args) {
      if (used == operand) return true;
    }
  }
  return false;
}

void ActivationProgram::run(std::array<Tensor*, constants> tensors) const {
  std::array<dnnl::memory, constants> memories;
  for (std::size_t operand = 0; operand < memories.size(); ++operand) {
    Tensor* tensor = tensors[operand];
    if (tensor != nullptr && tensor->defined()) {
      memories[operand] = dnnl::memory(data, cpu_engine(), tensor->raw_data());
    }
  }
  for (const Step& step : steps) {
    std::unordered_map<int, dnnl::memory> args;
    for (const auto& [arg, operand] : step.args) {
      args.emplace(arg, operand >= constants
                            ? constant_memories[static_cast<std::size_t>(operand - constants)]
                            : memories[static_cast<std::size_t>(operand)]);
    }
    step.primitive.execute(cpu_stream(), args);
  }
  cpu_stream().wait();
}

}  // namespace keras::kernels
