// SPDX-License-Identifier: BSD-3-Clause
// A pre-norm transformer block (Xiong et al. 2020, "On Layer Normalization in the Transformer
// Architecture"): x + MHA(LN(x)), then x + MLP(LN(x)), with infozoo::models::MultiHeadAttention
// as the attention. Trained with AdamW to output, at every position, the mean of the sequence
// (a task only attention can solve: each output needs every input), then saved and reloaded two
// ways, torch::save / torch::load and the Python-compatible state_dict file of infozoo::io, each
// checked to give the same output bit for bit. Exits non-zero on any failed check.
//
// Build against an installed infozoo (see CMakeLists.txt beside this file):
//   cmake -S . -B build -DCMAKE_PREFIX_PATH="<infozoo prefix>;<libtorch prefix>"
//   cmake --build build && build/transformer_block
#include <infozoo/io/state_dict.h>
#include <infozoo/models/multi_head_attention.h>
#include <torch/torch.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <ostream>
#include <string>

namespace {

constexpr int64_t kModel = 32;     // d_model
constexpr int64_t kHeads = 4;      // attention heads, each kModel / kHeads wide
constexpr int64_t kHidden = 64;    // MLP width
constexpr int64_t kSequence = 8;   // tokens per sequence
constexpr int64_t kBatch = 32;     // sequences per step
constexpr int64_t kSteps = 300;    // AdamW steps
constexpr int64_t kLogEvery = 50;  // steps between printed losses
constexpr double kLearningRate = 3e-3;
constexpr double kWeightDecay = 1e-2;
constexpr double kMaxLossRatio = 0.5;  // the final loss must be at most half the first

// LayerNorm -> multi-head self-attention -> residual, LayerNorm -> MLP -> residual.
struct TransformerBlockImpl : torch::nn::Module {
  TransformerBlockImpl(int64_t d_model, int64_t n_heads, int64_t hidden)
      : ln1(register_module("ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d_model})))),
        attn(register_module("attn", infozoo::models::MultiHeadAttention(d_model, n_heads))),
        ln2(register_module("ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d_model})))),
        fc1(register_module("fc1", torch::nn::Linear(d_model, hidden))),
        fc2(register_module("fc2", torch::nn::Linear(hidden, d_model))) {}

  // x [B, L, d_model] -> [B, L, d_model]
  torch::Tensor forward(torch::Tensor x) {
    const auto h = ln1(x);
    x = x + attn(h, h, h);                     // [B, L, d_model]
    return x + fc2(torch::gelu(fc1(ln2(x))));  // [B, L, d_model]
  }

  void pretty_print(std::ostream& stream) const override { stream << "TransformerBlock"; }

  torch::nn::LayerNorm ln1;
  infozoo::models::MultiHeadAttention attn;
  torch::nn::LayerNorm ln2;
  torch::nn::Linear fc1, fc2;
};
TORCH_MODULE(TransformerBlock);

// A batch of random sequences [B, L, d_model] and its target: the sequence mean at every position.
std::pair<torch::Tensor, torch::Tensor> make_batch() {
  const auto x = torch::randn({kBatch, kSequence, kModel});
  return {x, x.mean(/*dim=*/1, /*keepdim=*/true).expand_as(x)};
}

// Trains `block` on the mean task; returns the first and the last step's loss.
std::pair<double, double> train(TransformerBlock& block) {
  torch::optim::AdamW optimizer(
      block->parameters(), torch::optim::AdamWOptions(kLearningRate).weight_decay(kWeightDecay));
  block->train();
  double first = 0, last = 0;
  for (int64_t step = 0; step < kSteps; ++step) {
    const auto [x, target] = make_batch();
    const auto loss = torch::mse_loss(block(x), target);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    last = loss.item<double>();
    if (step == 0) first = last;
    if (step % kLogEvery == 0 || step == kSteps - 1) {
      std::printf("step %3lld  mse %.4f\n", static_cast<long long>(step), last);
    }
  }
  return {first, last};
}

bool check(bool ok, const std::string& what) {
  std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what.c_str());
  return ok;
}

}  // namespace

int main() {
  // Threads fixed before the first GEMM, so that every forward below rounds the same way.
  at::init_num_threads();
  torch::manual_seed(0);
  TransformerBlock block(kModel, kHeads, kHidden);
  std::cout << block << "\n";
  const auto [first, last] = train(block);
  bool ok = check(last <= kMaxLossRatio * first,
                  "mse went down from " + std::to_string(first) + " to " + std::to_string(last));

  torch::NoGradGuard no_grad;
  block->eval();
  const auto x = make_batch().first;
  const auto expected = block(x);
  const auto dir = std::filesystem::temp_directory_path();

  // torch::save / torch::load: LibTorch's own archive, read back into a freshly drawn block.
  const auto archive = (dir / "transformer_block_archive.pt").string();
  torch::save(block, archive);
  TransformerBlock from_archive(kModel, kHeads, kHidden);
  torch::load(from_archive, archive);
  from_archive->eval();
  ok &= check(torch::equal(from_archive(x), expected),
              "torch::save/torch::load gives the same output bit for bit");

  // The Python-compatible state_dict: `block.load_state_dict(torch.load(path))` reads it there.
  const auto state_dict = (dir / "transformer_block_state_dict.pt").string();
  infozoo::io::save_state_dict(*block, state_dict);
  TransformerBlock from_state_dict(kModel, kHeads, kHidden);
  ok &= check(!torch::equal(from_state_dict(x), expected), "a fresh block differs before loading");
  infozoo::io::load_state_dict(*from_state_dict, state_dict);
  from_state_dict->eval();
  ok &= check(torch::equal(from_state_dict(x), expected),
              "infozoo::io::save_state_dict/load_state_dict gives the same output bit for bit (" +
                  std::to_string(infozoo::io::read_state_dict(state_dict).size()) + " tensors)");

  std::filesystem::remove(archive);
  std::filesystem::remove(state_dict);
  std::printf("%s\n", ok ? "transformer_block: all checks passed" : "transformer_block: FAILED");
  return ok ? 0 : 1;
}
