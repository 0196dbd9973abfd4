// SPDX-License-Identifier: BSD-3-Clause
#include "experiments/held_out_accuracy.h"

#include <torch/torch.h>

#include "experiments/one_intra_op_thread.h"

namespace infozoo::apps {

double held_out_accuracy(const at::Tensor& X, const at::Tensor& y,
                         const std::vector<int64_t>& columns) {
  TORCH_CHECK(!columns.empty(), "held_out_accuracy: columns must not be empty");
  const OneIntraOpThread same_bits_for_any_thread_count;
  torch::NoGradGuard no_grad_outside;
  const auto index = torch::tensor(columns, torch::kLong);
  const auto features = X.to(torch::kDouble).index_select(1, index);
  const int64_t n = X.size(0);
  const auto n_train = static_cast<int64_t>(kTrainFraction * static_cast<double>(n));
  TORCH_CHECK(n_train >= 2 && n - n_train >= 1, "held_out_accuracy: need at least 3 rows, got ", n);
  auto train = features.slice(0, 0, n_train);
  auto test = features.slice(0, n_train);
  const auto mean = train.mean(0);
  auto std = train.std(0, /*unbiased=*/false);
  std = torch::where(std > 0, std, torch::ones_like(std));  // a constant column stays 0
  train = (train - mean) / std;
  test = (test - mean) / std;
  const auto labels = y.to(torch::kLong);
  const auto y_train = labels.slice(0, 0, n_train);
  const auto y_test = labels.slice(0, n_train);
  const int64_t classes = labels.max().item<int64_t>() + 1;

  auto W = torch::zeros({train.size(1), classes}, torch::kDouble).requires_grad_(true);
  auto b = torch::zeros({classes}, torch::kDouble).requires_grad_(true);
  torch::optim::LBFGS optimizer(
      {W, b}, torch::optim::LBFGSOptions(1.0).max_iter(200).line_search_fn("strong_wolfe"));
  auto closure = [&] {
    torch::AutoGradMode enable(true);
    optimizer.zero_grad();
    const auto logits = torch::matmul(train, W) + b;
    auto loss = torch::nn::functional::cross_entropy(
                    logits, y_train,
                    torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) +
                0.5 * (W * W).sum();
    loss.backward();
    return loss;
  };
  optimizer.step(closure);
  const auto predicted = (torch::matmul(test, W) + b).argmax(1);
  return predicted.eq(y_test).to(torch::kDouble).mean().item<double>();
}

}  // namespace infozoo::apps
