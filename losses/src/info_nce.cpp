// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/losses/info_nce.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ios>
#include <string>
#include <vector>

#include "info_nce_detail.h"
#include "row_logsumexp.h"

namespace infozoo::losses {
namespace {

void check_negatives(const at::Tensor& query, const at::Tensor& negatives, NegativeMode mode) {
  const auto B = query.size(0);
  const auto D = query.size(1);
  if (mode == NegativeMode::kPaired) {
    TORCH_CHECK(negatives.dim() == 3,
                "negatives must be [B, K, D] for negative_mode=paired (use negative_mode=unpaired "
                "for a shared [K, D] bank), got shape ",
                negatives.sizes());
    TORCH_CHECK(negatives.size(0) == B, "negatives must have query's batch size B=", B,
                ", got shape ", negatives.sizes());
  } else {
    TORCH_CHECK(negatives.dim() == 2,
                "negatives must be [K, D] for negative_mode=unpaired, got shape ",
                negatives.sizes());
  }
  TORCH_CHECK(negatives.size(-1) == D, "negatives must have query's feature size D=", D,
              ", got shape ", negatives.sizes());
  TORCH_CHECK(negatives.size(-2) >= 1,
              "negatives must hold at least one negative (K >= 1), got shape ", negatives.sizes());
  TORCH_CHECK(
      negatives.scalar_type() == query.scalar_type() && negatives.device() == query.device(),
      "negatives must have query's dtype and device (", query.scalar_type(), ", ", query.device(),
      "), got ", negatives.scalar_type(), ", ", negatives.device());
}

// Columns of the shared bank per block on the CPU: a (B, 4096) float32 block of logits is 4 MiB
// at B = 256, so it stays in cache between the GEMM that writes it and the log-sum-exp that reads
// it. A GPU takes the whole bank as one block: there each block costs kernel launches, not cache.
constexpr int64_t kBankBlock = 4096;

// Log-sum-exp of each row of `block` (B, N), any dtype and device, in ATen ops, as (B, 1),
// overwriting `block`: the max, then the sum of exponentials in place. Safe for any logits: a row
// whose max is infinite has that max as its log-sum-exp, where subtracting it would give NaN.
at::Tensor row_logsumexp_aten_overwriting(at::Tensor& block) {
  auto row_max = at::amax(block, /*dim=*/{-1}, /*keepdim=*/true);
  row_max.masked_fill_(row_max.isinf(), 0);
  block.sub_(row_max).exp_();
  return block.sum(/*dim=*/-1, /*keepdim=*/true).log_().add_(row_max);
}

// -log softmax(logits)[0] per row for logits = [pos_sim, query bank^T / t], without the (B, 1 + K)
// logits: one log-sum-exp per block of the bank, then one over the block results and pos_sim.
// Each block lives in one reused buffer and the 1/t rides on the GEMM (alpha). A float32 block
// on the CPU takes row_logsumexp_avx2 (max and sum of exponentials in one read of each row, nothing
// written back); a block with a row it cannot settle (an infinite max, NaN), other dtypes and
// other devices take the ATen in-place log-sum-exp. O(B * kBankBlock) memory. Not
// differentiable; with autograd the one-matrix cross-entropy is used instead, which keeps its
// logits for backward anyway.
at::Tensor shared_bank_losses(const at::Tensor& query, const at::Tensor& bank,
                              const at::Tensor& pos_sim, double t) {
  const int64_t K = bank.size(0), B = query.size(0);
  const int64_t block_columns = bank.is_cpu() ? kBankBlock : K;
  const bool fused =
      bank.is_cpu() && query.scalar_type() == at::kFloat && detail::row_logsumexp_avx2_available();
  std::vector<at::Tensor> parts{pos_sim};  // (B, 1) each
  at::Tensor block_logits;
  for (int64_t k0 = 0; k0 < K; k0 += block_columns) {
    const auto block = bank.slice(0, k0, std::min(K, k0 + block_columns));
    if (!block_logits.defined() || block_logits.size(1) != block.size(0)) {
      block_logits = at::empty({B, block.size(0)}, query.options());
    }
    at::addmm_out(block_logits, block_logits, query, block.t(), /*beta=*/0, /*alpha=*/1.0 / t);
    if (fused) {
      auto lse = at::empty({B, 1}, query.options());
      detail::row_logsumexp_avx2(block_logits.data_ptr<float>(), B, block.size(0),
                                 lse.data_ptr<float>());
      if (lse.isfinite().all().item<bool>()) {
        parts.push_back(std::move(lse));
        continue;
      }
    }
    parts.push_back(row_logsumexp_aten_overwriting(block_logits));
  }
  return at::logsumexp(at::cat(parts, /*dim=*/-1), /*dim=*/-1) - pos_sim.squeeze(-1);  // (B)
}

}  // namespace

at::Tensor info_nce_loss(const at::Tensor& query, const at::Tensor& positive,
                         const at::Tensor& negatives, double temperature) {
  return info_nce(query, positive, negatives, InfoNCEOptions().temperature(temperature));
}

at::Tensor info_nce(const at::Tensor& query_in, const at::Tensor& positive_in,
                    const at::Tensor& negatives_in, const InfoNCEOptions& options) {
  detail::check_temperature(options.temperature());
  detail::check_query_positive(query_in, positive_in);
  if (negatives_in.defined()) {
    check_negatives(query_in, negatives_in, options.negative_mode());
  }
  const bool normalize = options.normalize();
  const auto query = normalize ? detail::l2_normalize(query_in) : query_in;
  const auto positive = normalize ? detail::l2_normalize(positive_in) : positive_in;
  const double t = options.temperature();
  const int64_t B = query.size(0);

  at::Tensor logits;
  at::Tensor labels;
  if (!negatives_in.defined()) {
    // In-batch: row i's positive sits on the diagonal.
    logits = at::matmul(query, positive.t()) / t;  // (B, B)
    labels = at::arange(B, query.options().dtype(at::kLong));
  } else {
    const auto negatives = normalize ? detail::l2_normalize(negatives_in) : negatives_in;
    const auto pos_sim = at::sum(query * positive, /*dim=*/-1, /*keepdim=*/true) / t;  // (B, 1)
    const bool needs_grad =
        at::GradMode::is_enabled() && (query.requires_grad() || negatives.requires_grad());
    if (options.negative_mode() == NegativeMode::kUnpaired && negatives.size(0) > kBankBlock &&
        !needs_grad) {
      return detail::reduce(shared_bank_losses(query, negatives, pos_sim, t),
                            torch::enumtype::reduction_get_enum(options.reduction()));
    }
    const auto neg_sim = options.negative_mode() == NegativeMode::kPaired
                             ? at::bmm(negatives, query.unsqueeze(-1)).squeeze(-1) / t  // (B, K)
                             : at::matmul(query, negatives.t()) / t;                    // (B, K)
    logits = at::cat({pos_sim, neg_sim}, /*dim=*/-1);           // (B, 1 + K)
    labels = at::zeros({B}, query.options().dtype(at::kLong));  // the positive is at index 0
  }
  // cross_entropy is log_softmax + NLL: log-sum-exp with the row maximum subtracted, so
  // logits near 1/temperature (100 at 0.01) cannot overflow exp.
  return at::cross_entropy_loss(logits, labels, /*weight=*/{},
                                torch::enumtype::reduction_get_enum(options.reduction()));
}

InfoNCEImpl::InfoNCEImpl(InfoNCEOptions options_) : options(std::move(options_)) { reset(); }

void InfoNCEImpl::reset() { detail::check_temperature(options.temperature()); }

at::Tensor InfoNCEImpl::forward(const at::Tensor& query, const at::Tensor& positive,
                                const at::Tensor& negatives) {
  return info_nce(query, positive, negatives, options);
}

void InfoNCEImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "infozoo::losses::InfoNCE(temperature=" << options.temperature()
         << ", reduction=" << detail::reduction_name(options.reduction()) << ", negative_mode="
         << (options.negative_mode() == NegativeMode::kPaired ? "paired" : "unpaired")
         << ", normalize=" << options.normalize() << ")";
}

}  // namespace infozoo::losses
