// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The seed's hand-written two-layer MLP (section 3.2): Linear -> ReLU -> Linear -> softmax with
/// the cross-entropy gradients written out by hand (delta2 = (softmax - y) / B, then the chain
/// rule) and a plain SGD update, as a torch::nn::Module so its parameters travel with the module.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <ostream>
#include <vector>

namespace infozoo::datasets {
class NumpyRandomState;
}  // namespace infozoo::datasets

namespace infozoo::models {

/// Sizes and dtype of a ManualMLP. Example: `ManualMLPOptions(2, 32, 2).dtype(at::kFloat)`.
struct ManualMLPOptions {
  /// The three layer widths, the other options at their defaults.
  ManualMLPOptions(int64_t input_dim, int64_t hidden_dim, int64_t output_dim)
      : input_dim_(input_dim), hidden_dim_(hidden_dim), output_dim_(output_dim) {}
  /// Features per sample (the seed's 2 for make_moons).
  TORCH_ARG(int64_t, input_dim);
  /// Hidden ReLU units (the seed's 32).
  TORCH_ARG(int64_t, hidden_dim);
  /// Classes (the seed's 2).
  TORCH_ARG(int64_t, output_dim);
  /// Parameter dtype: float64 like the seed's numpy arrays.
  TORCH_ARG(c10::ScalarType, dtype) = c10::kDouble;
  /// On the CPU (float64/float32), run forward and backward as fused loops rather than ~20 ATen
  /// ops an epoch, which at the seed's sizes cost more in dispatch than in arithmetic. The two
  /// paths agree to rounding; false forces the ATen path (the one other devices use).
  TORCH_ARG(bool, cpu_kernel) = true;
};

/// The gradients of the mean cross-entropy that the last `backward` computed, before the update.
/// Example: `const auto& g = mlp->backward(y_onehot, 0.5);  // g.dW1: [D, H]`
struct ManualMLPGradients {
  at::Tensor dW1;  ///< dL/dW1, [D, H]
  at::Tensor db1;  ///< dL/db1, [H]
  at::Tensor dW2;  ///< dL/dW2, [H, O]
  at::Tensor db2;  ///< dL/db2, [O]
};

/// One line of the training log (the seed prints one every 200 epochs).
/// Example: `for (const auto& e : mlp->train(X, y, 1000, 0.5)) std::cout << e.loss;`
struct ManualMLPLogEntry {
  int64_t epoch;  ///< The epoch, 0-based (0, 200, 400, ...)
  double loss;    ///< mean cross-entropy in nats, with the seed's log(p + 1e-10)
  double acc;     ///< fraction of argmax predictions equal to y
};

/// The seed's `ManualMLP`: parameters `W1` [D, H], `b1` [H], `W2` [H, O], `b2` [O], registered
/// without requires_grad because `backward` is written by hand. Xavier-style initialisation
/// `randn * sqrt(2 / (fan_in + fan_out))`, zero biases; from a NumpyRandomState (W1 first, then W2,
/// exactly as `np.random.seed(s); ManualMLP(...)`) or else from torch's generator.
/// Example:
/// ```
///   datasets::NumpyRandomState rs(42);
///   ManualMLP mlp(ManualMLPOptions(2, 32, 2), rs);
///   auto log = mlp->train(X, y, /*epochs=*/1000, /*lr=*/0.5);
/// ```
class ManualMLPImpl : public torch::nn::Cloneable<ManualMLPImpl> {
 public:
  /// ManualMLPImpl(ManualMLPOptions(input_dim, hidden_dim, output_dim)).
  ManualMLPImpl(int64_t input_dim, int64_t hidden_dim, int64_t output_dim)
      : ManualMLPImpl(ManualMLPOptions(input_dim, hidden_dim, output_dim)) {}
  /// Initialises from torch's default generator.
  explicit ManualMLPImpl(ManualMLPOptions options);
  /// Initialises from `random_state` as the seed's numpy code does (torch's generator untouched).
  ManualMLPImpl(ManualMLPOptions options, datasets::NumpyRandomState& random_state);

  /// Registers the parameters and initialises them from torch's generator.
  void reset() override;
  /// Draws W1, then W2, from torch's generator; zero biases.
  void reset_parameters();
  /// Draws W1, then W2, from `random_state` (float64, as numpy) and casts to the option's dtype.
  void reset_parameters(datasets::NumpyRandomState& random_state);

  /// Class probabilities softmax(relu(X W1 + b1) W2 + b2) for `X` [B, D], shape [B, O]; caches
  /// X, z1, a1, z2 and probs for `backward`. The caches' memory is reused by the next forward only
  /// when nobody else holds them, so a returned tensor that is kept stays valid.
  at::Tensor forward(const at::Tensor& X);

  /// The seed's backward for the mean cross-entropy of the last forward against `y_onehot` [B, O],
  /// then one SGD step `p -= lr * dp`. Returns the gradients (before the step).
  const ManualMLPGradients& backward(const at::Tensor& y_onehot, double lr = 0.01);

  /// The seed's `train`: full-batch forward, loss, backward for `epochs` epochs on `X` [N, D] and
  /// integer labels `y` [N] in [0, output_dim); returns a log entry every 200 epochs. When
  /// `epoch_losses` is given it receives every epoch's loss (for a loss curve).
  std::vector<ManualMLPLogEntry> train(const at::Tensor& X, const at::Tensor& y,
                                       int64_t epochs = 1000, double lr = 0.01,
                                       std::vector<double>* epoch_losses = nullptr);

  /// The gradients of the last `backward`.
  const ManualMLPGradients& gradients() const { return grads_; }

  /// `infozoo::models::ManualMLP(input_dim=2, hidden_dim=32, output_dim=2, dtype=Double)`.
  void pretty_print(std::ostream& stream) const override;

  /// The options with which this module was built.
  ManualMLPOptions options;

  at::Tensor W1;  ///< First layer's weights, [D, H]
  at::Tensor b1;  ///< First layer's bias, [H]
  at::Tensor W2;  ///< Second layer's weights, [H, O]
  at::Tensor b2;  ///< Second layer's bias, [O]

  // What the last forward cached for backward, as in the seed.
  at::Tensor X;      ///< The last forward's input, [B, D]
  at::Tensor z1;     ///< X W1 + b1, [B, H]
  at::Tensor a1;     ///< relu(z1), [B, H]
  at::Tensor z2;     ///< a1 W2 + b2 (the logits), [B, O]
  at::Tensor probs;  ///< softmax(z2), [B, O]

 private:
  void register_parameters();
  void check_input(const at::Tensor& input) const;
  bool use_cpu_kernel(const at::Tensor& input) const;

  ManualMLPGradients grads_;
  // Scratch reused across epochs so that training allocates (almost) nothing after the first one.
  at::Tensor delta2_, delta1_, relu_mask_, z2_max_, exp_sum_;
  at::Tensor scratch_;  // the CPU kernel's per-chunk scratch (manual_mlp_cpu.h)
};

/// A ModuleHolder for ManualMLPImpl (`ManualMLP(...)->train(...)`).
/// Example: `ManualMLP mlp(2, 32, 2); auto probs = mlp(X);  // [B, 2]`
TORCH_MODULE(ManualMLP);

}  // namespace infozoo::models
