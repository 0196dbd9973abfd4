// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// InfoNCE over a batch split across processes (c10d), as SimCLR-style and lightly's
/// `gather_distributed` training do: every rank gathers the positives of all ranks, so its queries
/// meet the global batch's B_total - 1 in-batch negatives, and the loss and the gradients equal
/// those of the single-process info_nce over the concatenated batch (info_nce.h). All values in
/// nats.
///
/// Why the gradients come out exact: rank r computes the part L_r of the global loss L = sum_r L_r
/// that belongs to its own queries. all_gather_with_grad's backward sums the gradients the ranks
/// send to every gathered row and hands each rank the rows it contributed, so rank r receives
/// dL/d(positive_r); the returned loss is L itself (all-reduced), with an identity backward, so
/// each rank's loss.backward() propagates exactly its part.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/options/loss.h>
#include <torch/nn/pimpl.h>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>

#include <ostream>
#include <vector>

namespace infozoo::losses {

/// Concatenates every rank's `x` [B_r, D] in rank order into [sum_r B_r, D] (the B_r may differ;
/// D and the dtype may not: a clear error on every rank names each rank's shape). Collective:
/// every rank of `group` must call it, and must run its backward. The backward all-reduces
/// (sums) the gradient of the gathered tensor and returns this rank's rows.
/// Example: `auto all = all_gather_with_grad(embeddings, group);  // (B_total, D)`
at::Tensor all_gather_with_grad(const at::Tensor& x,
                                const c10::intrusive_ptr<c10d::ProcessGroup>& group);

/// Temperature, reduction and normalisation of a DistributedInfoNCE, and the process group it
/// spans (null: this process alone, i.e. info_nce with in-batch negatives).
/// Example: `DistributedInfoNCEOptions(group).temperature(0.2).normalize(true)`.
struct DistributedInfoNCEOptions {
  /// torch::kNone, torch::kMean or torch::kSum, as torch::nn::CrossEntropyLossOptions takes.
  using reduction_t = torch::nn::CrossEntropyLossOptions::reduction_t;
  /// The group the loss spans (null: this process alone), the other options at their defaults.
  /* implicit */ DistributedInfoNCEOptions(
      c10::intrusive_ptr<c10d::ProcessGroup> process_group = {})
      : process_group_(std::move(process_group)) {}
  /// The ranks whose batches make up the global batch.
  TORCH_ARG(c10::intrusive_ptr<c10d::ProcessGroup>, process_group);
  /// Divides every similarity; > 0.
  TORCH_ARG(double, temperature) = 0.07;
  /// torch::kMean (over the global batch), torch::kSum (over the global batch), or torch::kNone
  /// for this rank's [B_r] per-query losses.
  TORCH_ARG(reduction_t, reduction) = torch::kMean;
  /// L2-normalise query and positive first (cosine similarity).
  TORCH_ARG(bool, normalize) = false;
};

/// InfoNCE with in-batch negatives over the global batch: rank r's query i (global index
/// offset_r + i) is scored against the positives of every rank, its own positive being the
/// target. Returns the same value on every rank: info_nce(cat(query), cat(positive), {}, ...)
/// of the concatenated batches (kNone: this rank's rows of it). Collective, like
/// all_gather_with_grad. Example: `auto loss = distributed_info_nce(q, p,
/// DistributedInfoNCEOptions(group).temperature(0.1));`
at::Tensor distributed_info_nce(const at::Tensor& query, const at::Tensor& positive,
                                const DistributedInfoNCEOptions& options = {});

/// Sums every parameter's gradient over the ranks, in place (one all-reduce): after each rank's
/// backward of the distributed loss, the parameters hold the gradient of the global loss, as one
/// process on the whole batch would. (DDP averages instead: the loss here is already global.)
/// Parameters of the same shapes, in the same order, on every rank. Collective.
/// Example: `loss.backward(); all_reduce_gradients(encoder->parameters(), group); opt.step();`
void all_reduce_gradients(const std::vector<at::Tensor>& parameters,
                          const c10::intrusive_ptr<c10d::ProcessGroup>& group);

/// The distributed InfoNCE as a module (no parameters): `forward(query, positive)`.
/// Example:
/// ```
///   DistributedInfoNCE loss(DistributedInfoNCEOptions(group).temperature(0.2));
///   loss(encoder(view1), encoder(view2)).backward();  // then all-reduce (sum) parameter grads
/// ```
class DistributedInfoNCEImpl : public torch::nn::Cloneable<DistributedInfoNCEImpl> {
 public:
  /// Checks `options_` (temperature > 0).
  explicit DistributedInfoNCEImpl(DistributedInfoNCEOptions options_ = {});

  /// Checks the options; there is nothing to register.
  void reset() override;

  /// distributed_info_nce(query, positive, options).
  at::Tensor forward(const at::Tensor& query, const at::Tensor& positive);

  /// `infozoo::losses::DistributedInfoNCE(temperature=0.07, reduction=mean, normalize=false,
  /// rank=0, world_size=2)`.
  void pretty_print(std::ostream& stream) const override;

  /// The options with which this module was built.
  DistributedInfoNCEOptions options;
};

/// A ModuleHolder for DistributedInfoNCEImpl.
/// Example: `DistributedInfoNCE loss(DistributedInfoNCEOptions(group));`
TORCH_MODULE(DistributedInfoNCE);

}  // namespace infozoo::losses
