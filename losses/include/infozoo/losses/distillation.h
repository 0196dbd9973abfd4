// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Knowledge distillation (seed 2.1's temperature, Hinton, Vinyals and Dean 2015, "Distilling the
/// Knowledge in a Neural Network"): a student learns from a teacher's softened distribution
/// softmax(teacher / tau) as well as from the hard labels. The soft term is multiplied by tau^2 so
/// that its gradient, tau (softmax(student / tau) - softmax(teacher / tau)), keeps the same scale
/// as tau changes. All values in nats.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>
#include <torch/enum.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/modules/common.h>
#include <torch/nn/modules/container/any_value.h>
#include <torch/nn/options/loss.h>
#include <torch/nn/pimpl.h>

#include <ostream>

namespace infozoo::losses {

/// Temperature, mixing weight and reduction of a distillation loss.
/// Example: `DistillationLossOptions().temperature(4).alpha(0.9)`.
struct DistillationLossOptions {
  /// torch::kNone, torch::kMean or torch::kSum, as torch::nn::CrossEntropyLossOptions takes.
  using reduction_t = torch::nn::CrossEntropyLossOptions::reduction_t;
  /// tau > 0 divides both logits before the softmax; tau = 1 is the plain softmax, larger values
  /// spread the teacher's probability over the wrong classes ("dark knowledge").
  TORCH_ARG(double, temperature) = 4.0;
  /// Weight in [0, 1] of the soft term; the hard cross-entropy gets 1 - alpha.
  TORCH_ARG(double, alpha) = 0.9;
  /// torch::kMean over the batch (the KL summed over classes per sample, PyTorch's "batchmean"),
  /// torch::kSum, or torch::kNone for the [B] per-sample losses.
  TORCH_ARG(reduction_t, reduction) = torch::kMean;
};

/// `alpha tau^2 KL(softmax(teacher / tau) || softmax(student / tau)) + (1 - alpha)
/// CE(student, targets)` per sample, in nats: `student` and `teacher` logits [B, C] (same dtype
/// and device), `targets` int64 class indices [B] in [0, C) (may be undefined when alpha = 1).
/// The teacher is a fixed reference: no gradient flows into `teacher`.
/// Example: `distillation_loss(student(x), teacher(x), y,
/// DistillationLossOptions().temperature(4))`
at::Tensor distillation_loss(const at::Tensor& student, const at::Tensor& teacher,
                             const at::Tensor& targets,
                             const DistillationLossOptions& options = {});

/// The distillation loss as a module (no parameters): `forward(student, teacher, targets = {})`.
/// Example:
/// ```
///   DistillationLoss loss(DistillationLossOptions().temperature(4).alpha(0.9));
///   auto l = loss(student(x), teacher(x).detach(), y);
///   l.backward();
/// ```
class DistillationLossImpl : public torch::nn::Cloneable<DistillationLossImpl> {
 public:
  /// Checks `options_` (temperature > 0, alpha in [0, 1]).
  explicit DistillationLossImpl(DistillationLossOptions options_ = {});

  /// Checks the options; there is nothing to register.
  void reset() override;

  /// distillation_loss(student, teacher, targets, options).
  at::Tensor forward(const at::Tensor& student, const at::Tensor& teacher,
                     const at::Tensor& targets = {});

  /// `infozoo::losses::DistillationLoss(temperature=4, alpha=0.9, reduction=mean)`.
  void pretty_print(std::ostream& stream) const override;

  /// The options with which this module was built.
  DistillationLossOptions options;

 protected:
  FORWARD_HAS_DEFAULT_ARGS({2, torch::nn::AnyValue(at::Tensor())})
};

/// A ModuleHolder for DistillationLossImpl. Example: `DistillationLoss loss; loss(s, t, y);`
TORCH_MODULE(DistillationLoss);

}  // namespace infozoo::losses
