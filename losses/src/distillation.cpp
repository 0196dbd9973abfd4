// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/losses/distillation.h"

#include <ATen/ATen.h>

#include <cmath>
#include <utility>

#include "info_nce_detail.h"

namespace infozoo::losses {
namespace {

void check_options(const DistillationLossOptions& options) {
  detail::check_temperature(options.temperature());
  TORCH_CHECK(options.alpha() >= 0.0 && options.alpha() <= 1.0,
              "alpha (the soft term's weight) must be in [0, 1], got ", options.alpha());
}

void check_inputs(const at::Tensor& student, const at::Tensor& teacher, const at::Tensor& targets,
                  double alpha) {
  TORCH_CHECK(
      student.defined() && student.dim() == 2 && student.size(0) >= 1 && student.size(1) >= 1,
      "student logits must be [B, C] with B, C >= 1, got shape ",
      student.defined() ? student.sizes() : at::IntArrayRef{});
  TORCH_CHECK(student.is_floating_point(), "student logits must be floating point, got ",
              student.scalar_type());
  TORCH_CHECK(teacher.defined() && teacher.sizes() == student.sizes(),
              "teacher logits must have the student's shape [B, C] = ", student.sizes(), ", got ",
              teacher.defined() ? teacher.sizes() : at::IntArrayRef{});
  TORCH_CHECK(
      teacher.scalar_type() == student.scalar_type() && teacher.device() == student.device(),
      "teacher logits must have the student's dtype and device (", student.scalar_type(), ", ",
      student.device(), "), got ", teacher.scalar_type(), ", ", teacher.device());
  if (!targets.defined()) {
    TORCH_CHECK(alpha == 1.0,
                "targets (class indices [B]) are needed when alpha < 1 weights the hard "
                "cross-entropy, got alpha = ",
                alpha);
    return;
  }
  TORCH_CHECK(targets.dim() == 1 && targets.size(0) == student.size(0),
              "targets must be class indices [B] with B = ", student.size(0), ", got shape ",
              targets.sizes());
  TORCH_CHECK(targets.scalar_type() == at::kLong && targets.device() == student.device(),
              "targets must be int64 on the logits' device (", student.device(), "), got ",
              targets.scalar_type(), ", ", targets.device());
  const auto C = student.size(1);
  // One host sync, for a clear message instead of cross_entropy's device-side assert.
  const auto range = at::aminmax(targets);
  const auto low = std::get<0>(range).item<int64_t>(), high = std::get<1>(range).item<int64_t>();
  TORCH_CHECK(low >= 0 && high < C, "targets must be class indices in [0, ", C,
              "), got values in [", low, ", ", high, "]");
}

}  // namespace

at::Tensor distillation_loss(const at::Tensor& student, const at::Tensor& teacher,
                             const at::Tensor& targets, const DistillationLossOptions& options) {
  check_options(options);
  check_inputs(student, teacher, targets, options.alpha());
  const double tau = options.temperature();
  const double alpha = options.alpha();
  // Both through log_softmax, so a teacher probability that underflows to 0 at small tau
  // contributes 0 * (finite) = 0, never 0 * log 0.
  const auto log_p_teacher = at::log_softmax(teacher.detach() / tau, /*dim=*/-1);
  const auto log_p_student = at::log_softmax(student / tau, /*dim=*/-1);
  const auto kl = (log_p_teacher.exp() * (log_p_teacher - log_p_student)).sum(/*dim=*/-1);  // [B]
  auto per_sample = kl * (alpha * tau * tau);
  if (alpha < 1.0) {
    const auto ce = at::cross_entropy_loss(student, targets, /*weight=*/{}, at::Reduction::None);
    per_sample = per_sample + ce * (1.0 - alpha);
  }
  return detail::reduce(per_sample, torch::enumtype::reduction_get_enum(options.reduction()));
}

DistillationLossImpl::DistillationLossImpl(DistillationLossOptions options_)
    : options(std::move(options_)) {
  reset();
}

void DistillationLossImpl::reset() { check_options(options); }

at::Tensor DistillationLossImpl::forward(const at::Tensor& student, const at::Tensor& teacher,
                                         const at::Tensor& targets) {
  return distillation_loss(student, teacher, targets, options);
}

void DistillationLossImpl::pretty_print(std::ostream& stream) const {
  stream << "infozoo::losses::DistillationLoss(temperature=" << options.temperature()
         << ", alpha=" << options.alpha()
         << ", reduction=" << detail::reduction_name(options.reduction()) << ")";
}

}  // namespace infozoo::losses
