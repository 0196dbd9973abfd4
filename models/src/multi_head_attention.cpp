// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/models/multi_head_attention.h"

#include <ATen/ATen.h>
#include <torch/version.h>

#include <algorithm>
#include <ios>
#include <vector>

#include "attention_checks.h"

namespace infozoo::models {
namespace {

// Scores per chunk of heads: at most this many bytes, so that the scaling, masking and softmax of
// a chunk run in cache, and the [B, H, Lq, Lk] scores never exist at once when no one asked for
// the weights (4 x 8 x 1024^2 float32 scores would be 128 MiB, and their softmax another 128).
constexpr int64_t kScoreChunkBytes = int64_t{4} << 20;

// The part of a mask (broadcastable to [B, H, Lq, Lk]) that covers batches [b0, b1) and heads
// [h0, h1); a dimension the mask lacks or broadcasts (size 1) stays as it is.
at::Tensor mask_block(const at::Tensor& mask, int64_t b0, int64_t b1, int64_t h0, int64_t h1) {
  if (!mask.defined()) return mask;
  at::Tensor block = mask;
  const int64_t batch_dim = mask.dim() - 4, head_dim = mask.dim() - 3;  // < 0: no such dimension
  if (batch_dim >= 0 && mask.size(batch_dim) > 1) block = block.slice(batch_dim, b0, b1);
  if (head_dim >= 0 && mask.size(head_dim) > 1) block = block.slice(head_dim, h0, h1);
  return block;
}

// scaled_dot_product_attention's output for q, k, v [B, H, L, dk], computed a group of heads at
// a time; each (batch, head) is the same GEMMs and softmax as in one call, so the same numbers.
// LibTorch 1.13's path when no one asked for the weights.
at::Tensor chunked_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                             const at::Tensor& mask, double dropout) {
  const int64_t B = q.size(0), H = q.size(1);
  const int64_t head_bytes = q.size(2) * k.size(2) * static_cast<int64_t>(q.element_size());
  const int64_t heads_per_chunk =
      std::max<int64_t>(1, kScoreChunkBytes / std::max<int64_t>(head_bytes, 1));
  const auto attend = [dropout](const at::Tensor& qc, const at::Tensor& kc, const at::Tensor& vc,
                                const at::Tensor& mc) {
    return scaled_dot_product_attention(qc, kc, vc,
                                        AttentionOptions(mc).dropout(dropout).training(true))
        .output;
  };
  if (heads_per_chunk >= B * H) return attend(q, k, v, mask);
  std::vector<at::Tensor> rows;  // one [b_step, H, Lq, dk] block per step along the batch
  const int64_t b_step = std::max<int64_t>(1, heads_per_chunk / H);
  const int64_t h_step = std::min(H, heads_per_chunk);
  for (int64_t b0 = 0; b0 < B; b0 += b_step) {
    const int64_t b1 = std::min(B, b0 + b_step);
    std::vector<at::Tensor> heads;
    for (int64_t h0 = 0; h0 < H; h0 += h_step) {
      const int64_t h1 = std::min(H, h0 + h_step);
      heads.push_back(
          attend(q.slice(0, b0, b1).slice(1, h0, h1), k.slice(0, b0, b1).slice(1, h0, h1),
                 v.slice(0, b0, b1).slice(1, h0, h1), mask_block(mask, b0, b1, h0, h1)));
    }
    rows.push_back(heads.size() == 1 ? heads[0] : at::cat(heads, /*dim=*/1));
  }
  return rows.size() == 1 ? rows[0] : at::cat(rows, /*dim=*/0);
}

#if TORCH_VERSION_MAJOR >= 2
// LibTorch's fused scaled-dot-product attention on q, k, v [B, H, L, dk] with the seed's
// keep-mask (already checked); LibTorch 2's path when no one asked for the weights.
at::Tensor fused_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                           const at::Tensor& mask, double dropout) {
  if (!mask.defined()) {
    // `{}` is "no mask" whichever optional type this LibTorch takes.
    return at::scaled_dot_product_attention(q, k, v, {}, dropout, /*is_causal=*/false);
  }
  // Rows with every key excluded attend to all keys inside the kernel (finite values and
  // gradients) and are zeroed afterwards, the same result as scaled_dot_product_attention.
  at::Tensor keep = mask.ne(0);
  // As [B or 1, H or 1, Lq or 1, Lk]: the fused kernel indexes the mask's last two dimensions.
  while (keep.dim() < 4) keep = keep.unsqueeze(0);
  const auto dead = keep.logical_not().all(/*dim=*/-1, /*keepdim=*/true);  // (..., Lq or 1, 1)
  keep = keep.logical_or(dead);
  return at::scaled_dot_product_attention(q, k, v, keep, dropout, /*is_causal=*/false)
      .masked_fill(dead, 0.0);  // (B, H, Lq, dk)
}
#endif

}  // namespace

MultiHeadAttentionImpl::MultiHeadAttentionImpl(const MultiHeadAttentionOptions& options_)
    : options(options_) {
  reset();
}

void MultiHeadAttentionImpl::reset() {
  const auto d_model = options.d_model();
  const auto n_heads = options.n_heads();
  TORCH_CHECK(d_model > 0, "d_model must be positive, got d_model=", d_model);
  TORCH_CHECK(n_heads > 0, "n_heads must be positive, got n_heads=", n_heads);
  TORCH_CHECK(d_model % n_heads == 0, "d_model must be divisible by n_heads, got d_model=", d_model,
              ", n_heads=", n_heads);
  TORCH_CHECK(options.dropout() >= 0.0 && options.dropout() < 1.0,
              "dropout must be in [0, 1), got ", options.dropout());
  // Built and registered in the seed's order, so their initialisation draws the seed's numbers.
  const auto linear = torch::nn::LinearOptions(d_model, d_model).bias(options.bias());
  W_Q = register_module("W_Q", torch::nn::Linear(linear));
  W_K = register_module("W_K", torch::nn::Linear(linear));
  W_V = register_module("W_V", torch::nn::Linear(linear));
  W_O = register_module("W_O", torch::nn::Linear(linear));
}

void MultiHeadAttentionImpl::reset_parameters() {
  for (auto* projection : {&W_Q, &W_K, &W_V, &W_O}) {
    (*projection)->reset_parameters();
  }
}

at::Tensor MultiHeadAttentionImpl::forward(const at::Tensor& query, const at::Tensor& key,
                                           const at::Tensor& value, const at::Tensor& mask) {
  const auto heads = project_heads(query, key, value);
  if (mask.defined()) check_mask(mask, heads);
#if TORCH_VERSION_MAJOR >= 2
  return merge_heads(fused_attention(heads.q, heads.k, heads.v, mask, attention_dropout()));
#else
  return merge_heads(chunked_attention(heads.q, heads.k, heads.v, mask, attention_dropout()));
#endif
}

AttentionOutput MultiHeadAttentionImpl::forward_with_weights(const at::Tensor& query,
                                                             const at::Tensor& key,
                                                             const at::Tensor& value,
                                                             const at::Tensor& mask) {
  const auto heads = project_heads(query, key, value);
  auto attended = scaled_dot_product_attention(
      heads.q, heads.k, heads.v,
      AttentionOptions(mask).dropout(attention_dropout()).training(true));
  attended.output = merge_heads(attended.output);
  return attended;
}

MultiHeadAttentionImpl::Heads MultiHeadAttentionImpl::project_heads(const at::Tensor& query,
                                                                    const at::Tensor& key,
                                                                    const at::Tensor& value) {
  const int64_t d_model = options.d_model();
  const int64_t H = options.n_heads();
  const int64_t dk = d_model / H;
  const auto check_input = [d_model](const at::Tensor& t, const char* name) {
    TORCH_CHECK(t.defined() && t.dim() == 3 && t.size(2) == d_model, name,
                " must be [B, L, d_model] with d_model=", d_model, ", got shape ",
                t.defined() ? t.sizes() : at::IntArrayRef{});
  };
  check_input(query, "query");
  check_input(key, "key");
  check_input(value, "value");
  const int64_t B = query.size(0);
  TORCH_CHECK(key.size(0) == B && value.size(0) == B,
              "query, key and value must have the same batch size B, got query ", query.sizes(),
              ", key ", key.sizes(), " and value ", value.sizes());
  TORCH_CHECK(key.size(1) == value.size(1), "key and value must have the same length Lk, got key ",
              key.sizes(), " and value ", value.sizes());
  return {W_Q(query).view({B, -1, H, dk}).transpose(1, 2),   // (B, H, Lq, dk)
          W_K(key).view({B, -1, H, dk}).transpose(1, 2),     // (B, H, Lk, dk)
          W_V(value).view({B, -1, H, dk}).transpose(1, 2)};  // (B, H, Lk, dk)
}

void MultiHeadAttentionImpl::check_mask(const at::Tensor& mask, const Heads& heads) const {
  detail::check_mask(mask, "mask",
                     {heads.q.size(0), heads.q.size(1), heads.q.size(2), heads.k.size(2)},
                     heads.q.device());
}

at::Tensor MultiHeadAttentionImpl::merge_heads(const at::Tensor& attended) {
  const int64_t B = attended.size(0);
  const auto merged = attended.transpose(1, 2).contiguous().view({B, -1, options.d_model()});
  return W_O(merged);  // (B, Lq, d_model)
}

double MultiHeadAttentionImpl::attention_dropout() const {
  return is_training() ? options.dropout() : 0.0;
}

void MultiHeadAttentionImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "infozoo::models::MultiHeadAttention(d_model=" << options.d_model()
         << ", n_heads=" << options.n_heads() << ", dk=" << options.d_model() / options.n_heads()
         << ", bias=" << options.bias() << ", dropout=" << options.dropout() << ")";
}

}  // namespace infozoo::models
