// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// InfoNCE contrastive loss (seed section 7; van den Oord et al. 2018, "Representation Learning
/// with Contrastive Predictive Coding"): cross-entropy of picking the positive among 1 + K
/// candidates by similarity / temperature. log(1 + K) - loss is a lower bound on the mutual
/// information I(x; x+), tight as K grows. All values in nats.
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

/// The seed's `info_nce_loss(query, positive, negatives, temperature)`: query and positive
/// [B, D], negatives [B, K, D]; mean over the batch of -log(exp(q.p/t) / (exp(q.p/t) +
/// sum_k exp(q.n_k/t))), in nats. Stable for small temperatures (log-sum-exp).
/// Example: `info_nce_loss(q, p, negatives, /*temperature=*/0.07)` is a float scalar.
at::Tensor info_nce_loss(const at::Tensor& query, const at::Tensor& positive,
                         const at::Tensor& negatives, double temperature = 0.07);

/// Where the negatives of an InfoNCE come from.
/// Example: `InfoNCEOptions().negative_mode(NegativeMode::kUnpaired)` for a [K, D] queue.
enum class NegativeMode {
  kPaired,    ///< negatives [B, K, D]: K of its own for every query (the seed)
  kUnpaired,  ///< negatives [K, D]: one bank shared by the batch (a MoCo-style queue)
};

/// Temperature, reduction, negatives layout and normalisation of an InfoNCE.
/// Example: `InfoNCEOptions().temperature(0.1).negative_mode(NegativeMode::kUnpaired)`.
struct InfoNCEOptions {
  /// torch::kNone, torch::kMean or torch::kSum, as torch::nn::CrossEntropyLossOptions takes.
  using reduction_t = torch::nn::CrossEntropyLossOptions::reduction_t;
  /// Divides every similarity; > 0. Small values sharpen the softmax onto hard negatives.
  TORCH_ARG(double, temperature) = 0.07;
  /// torch::kMean (the seed), torch::kSum, or torch::kNone for the [B] per-query losses.
  TORCH_ARG(reduction_t, reduction) = torch::kMean;
  /// Layout of `negatives` when they are given.
  TORCH_ARG(NegativeMode, negative_mode) = NegativeMode::kPaired;
  /// L2-normalise query, positive and negatives first (cosine similarity); the seed normalises
  /// its inputs outside the loss, so the default leaves them as they are.
  TORCH_ARG(bool, normalize) = false;
};

/// InfoNCE with every option: `negatives` [B, K, D] (paired), [K, D] (unpaired, computed as one
/// [B, D] x [D, K] product), or undefined for in-batch negatives, where query i's positive is
/// positive i and the other B - 1 positives are its negatives (logits query positive^T, [B, B]).
/// Example: `info_nce(q, p, {}, InfoNCEOptions().temperature(0.1))` (SimCLR / CLIP style).
at::Tensor info_nce(const at::Tensor& query, const at::Tensor& positive,
                    const at::Tensor& negatives, const InfoNCEOptions& options = {});

/// The InfoNCE loss as a module (no parameters): `forward(query, positive, negatives = {})`.
/// Example:
/// ```
///   InfoNCE loss(InfoNCEOptions().temperature(0.07).negative_mode(NegativeMode::kUnpaired));
///   auto l = loss(query, key, queue);  // queue: [K, D]
/// ```
class InfoNCEImpl : public torch::nn::Cloneable<InfoNCEImpl> {
 public:
  /// Checks `options_` (temperature > 0).
  explicit InfoNCEImpl(InfoNCEOptions options_ = {});

  /// Checks the options; there is nothing to register.
  void reset() override;

  /// info_nce(query, positive, negatives, options).
  at::Tensor forward(const at::Tensor& query, const at::Tensor& positive,
                     const at::Tensor& negatives = {});

  /// `infozoo::losses::InfoNCE(temperature=0.07, reduction=mean, negative_mode=paired,
  /// normalize=false)`.
  void pretty_print(std::ostream& stream) const override;

  /// The options with which this module was built.
  InfoNCEOptions options;

 protected:
  FORWARD_HAS_DEFAULT_ARGS({2, torch::nn::AnyValue(at::Tensor())})
};

/// A ModuleHolder for InfoNCEImpl. Example: `InfoNCE loss; auto l = loss(q, p);  // in-batch`
TORCH_MODULE(InfoNCE);

}  // namespace infozoo::losses
