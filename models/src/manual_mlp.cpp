// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/models/manual_mlp.h"

#include <ATen/ATen.h>

#include <cmath>

#include "infozoo/datasets/numpy_random.h"
#include "infozoo/detail/ordered_sum.h"
#include "manual_mlp_cpu.h"

namespace infozoo::models {
namespace {

constexpr int64_t kLogEvery = 200;  // the seed prints one line every 200 epochs

// Whether `buffer` can be overwritten: right shape, dtype and device, and no one else holds it or
// a view of its memory. Reusing buffers, the training loop allocates nothing after its first
// epoch, while a tensor a caller kept from an earlier call is never overwritten.
bool reusable(const at::Tensor& buffer, at::IntArrayRef sizes, const at::TensorOptions& options) {
  return buffer.defined() && buffer.use_count() == 1 &&
         buffer.unsafeGetTensorImpl()->storage().use_count() == 1 && buffer.sizes() == sizes &&
         buffer.scalar_type() == c10::typeMetaToScalarType(options.dtype()) &&
         buffer.device() == options.device();
}

at::Tensor& reuse(at::Tensor& buffer, at::IntArrayRef sizes, const at::TensorOptions& options) {
  if (!reusable(buffer, sizes, options) || !buffer.is_contiguous())
    buffer = at::empty(sizes, options);
  return buffer;
}

// [rows, features] with one contiguous row per feature (strides {1, rows}), the CPU kernel's
// layout.
bool feature_major(const at::Tensor& t) { return t.dim() == 2 && t.t().is_contiguous(); }

at::Tensor& reuse_feature_major(at::Tensor& buffer, int64_t rows, int64_t features,
                                const at::TensorOptions& options) {
  if (!reusable(buffer, {rows, features}, options) || !feature_major(buffer)) {
    buffer = at::empty_strided({rows, features}, {1, rows}, options);  // not a view: no base kept
  }
  return buffer;
}

}  // namespace

ManualMLPImpl::ManualMLPImpl(ManualMLPOptions options) : options(std::move(options)) { reset(); }

ManualMLPImpl::ManualMLPImpl(ManualMLPOptions options, datasets::NumpyRandomState& random_state)
    : options(std::move(options)) {
  register_parameters();
  reset_parameters(random_state);
}

void ManualMLPImpl::reset() {
  register_parameters();
  reset_parameters();
}

void ManualMLPImpl::register_parameters() {
  const auto d = options.input_dim();
  const auto h = options.hidden_dim();
  const auto o = options.output_dim();
  TORCH_CHECK(d > 0, "input_dim must be positive, got ", d);
  TORCH_CHECK(h > 0, "hidden_dim must be positive, got ", h);
  TORCH_CHECK(o > 0, "output_dim must be positive, got ", o);
  TORCH_CHECK(at::isFloatingType(options.dtype()), "dtype must be a floating point type, got ",
              options.dtype());
  const auto opts = at::TensorOptions().dtype(options.dtype());
  // No requires_grad: backward() is the seed's hand-written one, not autograd.
  W1 = register_parameter("W1", at::empty({d, h}, opts), /*requires_grad=*/false);
  b1 = register_parameter("b1", at::zeros({h}, opts), /*requires_grad=*/false);
  W2 = register_parameter("W2", at::empty({h, o}, opts), /*requires_grad=*/false);
  b2 = register_parameter("b2", at::zeros({o}, opts), /*requires_grad=*/false);
}

void ManualMLPImpl::reset_parameters() {
  const double d = options.input_dim(), h = options.hidden_dim(), o = options.output_dim();
  W1.copy_(at::randn(W1.sizes(), W1.options()).mul_(std::sqrt(2.0 / (d + h))));
  b1.zero_();
  W2.copy_(at::randn(W2.sizes(), W2.options()).mul_(std::sqrt(2.0 / (h + o))));
  b2.zero_();
}

void ManualMLPImpl::reset_parameters(datasets::NumpyRandomState& random_state) {
  const double d = options.input_dim(), h = options.hidden_dim(), o = options.output_dim();
  // numpy's order: W1's randn, then W2's; each scaled in float64 before any cast.
  W1.copy_(random_state.randn(W1.sizes()).mul_(std::sqrt(2.0 / (d + h))));
  b1.zero_();
  W2.copy_(random_state.randn(W2.sizes()).mul_(std::sqrt(2.0 / (h + o))));
  b2.zero_();
}

void ManualMLPImpl::check_input(const at::Tensor& input) const {
  TORCH_CHECK(input.defined() && input.dim() == 2 && input.size(1) == options.input_dim(),
              "X must have shape [B, input_dim=", options.input_dim(), "], got ",
              input.defined() ? input.sizes() : at::IntArrayRef{});
  TORCH_CHECK(input.size(0) > 0, "X must hold at least one sample, got shape ", input.sizes());
  TORCH_CHECK(input.scalar_type() == W1.scalar_type(), "X must have the parameters' dtype ",
              W1.scalar_type(), ", got ", input.scalar_type());
  TORCH_CHECK(input.device() == W1.device(), "X must be on the parameters' device ", W1.device(),
              ", got ", input.device());
}

bool ManualMLPImpl::use_cpu_kernel(const at::Tensor& input) const {
  const auto dtype = W1.scalar_type();
  return options.cpu_kernel() && input.device().is_cpu() && W1.device().is_cpu() &&
         (dtype == at::kDouble || dtype == at::kFloat) && W1.is_contiguous() &&
         b1.is_contiguous() && W2.is_contiguous() && b2.is_contiguous();
}

at::Tensor ManualMLPImpl::forward(const at::Tensor& input) {
  check_input(input);
  const auto b = input.size(0);
  const auto h = options.hidden_dim();
  const auto o = options.output_dim();
  const auto opts = input.options();
  if (use_cpu_kernel(input)) {
    X = input.contiguous();
    const detail::MlpSizes n{b, options.input_dim(), h, o};
    AT_DISPATCH_FLOATING_TYPES(X.scalar_type(), "ManualMLP::forward", [&] {
      const detail::MlpCaches<scalar_t> caches{
          reuse_feature_major(z1, b, h, opts).data_ptr<scalar_t>(),
          reuse_feature_major(a1, b, h, opts).data_ptr<scalar_t>(),
          reuse_feature_major(z2, b, o, opts).data_ptr<scalar_t>(),
          reuse_feature_major(probs, b, o, opts).data_ptr<scalar_t>()};
      const detail::MlpScratch<scalar_t> scratch(
          n, reuse(scratch_, {detail::MlpScratch<scalar_t>::size(n)}, opts).data_ptr<scalar_t>());
      detail::mlp_forward<scalar_t>(n, X.data_ptr<scalar_t>(), W1.data_ptr<scalar_t>(),
                                    b1.data_ptr<scalar_t>(), W2.data_ptr<scalar_t>(),
                                    b2.data_ptr<scalar_t>(), caches, scratch);
    });
    return probs;
  }
  X = input;
  at::addmm_out(reuse(z1, {b, h}, opts), b1, X, W1);   // (B, H) = X (B, D) @ W1 (D, H) + b1
  at::clamp_min_out(reuse(a1, {b, h}, opts), z1, 0);   // ReLU
  at::addmm_out(reuse(z2, {b, o}, opts), b2, a1, W2);  // (B, O) = a1 (B, H) @ W2 (H, O) + b2
  // Softmax with the row maximum subtracted first, so exp never overflows (seed 2.1).
  at::amax_out(reuse(z2_max_, {b, 1}, opts), z2, {1}, /*keepdim=*/true);
  at::sub_out(reuse(probs, {b, o}, opts), z2, z2_max_);
  probs.exp_();
  at::sum_out(reuse(exp_sum_, {b, 1}, opts), probs, {1}, /*keepdim=*/true);
  probs.div_(exp_sum_);
  return probs;
}

const ManualMLPGradients& ManualMLPImpl::backward(const at::Tensor& y_onehot, double lr) {
  TORCH_CHECK(probs.defined(), "backward needs a forward first");
  TORCH_CHECK(y_onehot.defined() && y_onehot.sizes() == probs.sizes(),
              "y_onehot must have the shape of the last forward's output ", probs.sizes(), ", got ",
              y_onehot.defined() ? y_onehot.sizes() : at::IntArrayRef{});
  TORCH_CHECK(y_onehot.device() == probs.device(), "y_onehot must be on device ", probs.device(),
              ", got ", y_onehot.device());
  TORCH_CHECK(std::isfinite(lr), "lr must be finite, got ", lr);
  const auto b = probs.size(0);
  const auto opts = probs.options();
  reuse(grads_.dW1, W1.sizes(), opts);
  reuse(grads_.db1, b1.sizes(), opts);
  reuse(grads_.dW2, W2.sizes(), opts);
  reuse(grads_.db2, b2.sizes(), opts);
  // The kernel reads the caches the kernel's forward left (feature-major); after a forward on the
  // ATen path the backward stays there too.
  if (use_cpu_kernel(X) && feature_major(z1) && feature_major(a1) && feature_major(probs)) {
    const auto x = X.contiguous();  // no copy when it already is
    const auto y = y_onehot.to(probs.scalar_type()).contiguous();
    const detail::MlpSizes n{b, options.input_dim(), options.hidden_dim(), options.output_dim()};
    AT_DISPATCH_FLOATING_TYPES(X.scalar_type(), "ManualMLP::backward", [&] {
      const detail::MlpCaches<scalar_t> caches{z1.data_ptr<scalar_t>(), a1.data_ptr<scalar_t>(),
                                               z2.data_ptr<scalar_t>(), probs.data_ptr<scalar_t>()};
      const detail::MlpScratch<scalar_t> scratch(
          n, reuse(scratch_, {detail::MlpScratch<scalar_t>::size(n)}, opts).data_ptr<scalar_t>());
      detail::mlp_backward<scalar_t>(
          n, x.data_ptr<scalar_t>(), W2.data_ptr<scalar_t>(), caches, y.data_ptr<scalar_t>(),
          scratch, grads_.dW1.data_ptr<scalar_t>(), grads_.db1.data_ptr<scalar_t>(),
          grads_.dW2.data_ptr<scalar_t>(), grads_.db2.data_ptr<scalar_t>());
      const auto step = static_cast<scalar_t>(lr);
      detail::sgd_step(W2.data_ptr<scalar_t>(), grads_.dW2.data_ptr<scalar_t>(), W2.numel(), step);
      detail::sgd_step(b2.data_ptr<scalar_t>(), grads_.db2.data_ptr<scalar_t>(), b2.numel(), step);
      detail::sgd_step(W1.data_ptr<scalar_t>(), grads_.dW1.data_ptr<scalar_t>(), W1.numel(), step);
      detail::sgd_step(b1.data_ptr<scalar_t>(), grads_.db1.data_ptr<scalar_t>(), b1.numel(), step);
    });
    return grads_;
  }
  // Softmax followed by cross-entropy has the gradient softmax - y w.r.t. the logits (seed 3.2).
  at::sub_out(reuse(delta2_, probs.sizes(), opts), probs, y_onehot).div_(b);  // (B, O)
  at::mm_out(grads_.dW2, a1.t(), delta2_);                        // (H, O) = a1^T (H, B) @ (B, O)
  at::sum_out(grads_.db2, delta2_, {0});                          // (O)
  at::mm_out(reuse(delta1_, z1.sizes(), opts), delta2_, W2.t());  // (B, H) = (B, O) @ W2^T (O, H)
  at::gt_out(reuse(relu_mask_, z1.sizes(), opts.dtype(at::kBool)), z1, 0);
  delta1_.mul_(relu_mask_);                // ReLU'(z1): 1 where z1 > 0, else 0
  at::mm_out(grads_.dW1, X.t(), delta1_);  // (D, H) = X^T (D, B) @ (B, H)
  at::sum_out(grads_.db1, delta1_, {0});   // (H)
  W2.sub_(grads_.dW2, lr);
  b2.sub_(grads_.db2, lr);
  W1.sub_(grads_.dW1, lr);
  b1.sub_(grads_.db1, lr);
  return grads_;
}

std::vector<ManualMLPLogEntry> ManualMLPImpl::train(const at::Tensor& input, const at::Tensor& y,
                                                    int64_t epochs, double lr,
                                                    std::vector<double>* epoch_losses) {
  check_input(input);
  TORCH_CHECK(epochs >= 0, "epochs must be >= 0, got ", epochs);
  TORCH_CHECK(y.defined() && y.dim() == 1 && y.size(0) == input.size(0),
              "y must be 1-D with one label per row of X (", input.size(0), "), got shape ",
              y.defined() ? y.sizes() : at::IntArrayRef{});
  TORCH_CHECK(!at::isFloatingType(y.scalar_type()) && y.scalar_type() != at::kBool,
              "y must hold integer class labels, got dtype ", y.scalar_type());
  const auto labels = y.to(input.device(), at::kLong);
  const auto y_min = labels.min().item<int64_t>();
  const auto y_max = labels.max().item<int64_t>();
  TORCH_CHECK(y_min >= 0 && y_max < options.output_dim(),
              "y must lie in [0, output_dim=", options.output_dim(), "), got labels from ", y_min,
              " to ", y_max);
  // The seed's np.eye(n_classes)[y], with n_classes = output_dim so the shapes always agree.
  const auto y_onehot = at::one_hot(labels, options.output_dim()).to(input.scalar_type());

  // The seed's loss, -mean(sum(y * log(p + 1e-10), 1)), of the cached probs. On the CPU, a batch
  // longer than one thread's share is summed in an order fixed by B (infozoo/detail/ordered_sum.h),
  // so the loss does not follow the thread count.
  const auto loss_of_probs = [&] {
    const auto per_sample = (y_onehot * at::log(probs + 1e-10)).sum(1);  // (B)
    if (!per_sample.is_cpu() || per_sample.numel() <= infozoo::detail::kOrderedChunk) {
      return -per_sample.mean().item<double>();
    }
    const auto batch = static_cast<double>(per_sample.numel());
    return -(infozoo::detail::ordered_sum(per_sample.to(at::kDouble)) / batch);
  };

  std::vector<ManualMLPLogEntry> log;
  if (epoch_losses) epoch_losses->clear();
  for (int64_t epoch = 0; epoch < epochs; ++epoch) {
    forward(input);
    // The seed computes the loss every epoch but reads it only every 200: computing it only when
    // it is read changes no number and saves a third of an epoch.
    const bool logged = epoch % kLogEvery == 0;
    const double loss = logged || epoch_losses ? loss_of_probs() : 0.0;
    if (epoch_losses) epoch_losses->push_back(loss);
    if (logged) {
      const double acc = probs.argmax(1).eq(labels).to(at::kDouble).mean().item<double>();
      log.push_back({epoch, loss, acc});
    }
    backward(y_onehot, lr);
  }
  return log;
}

void ManualMLPImpl::pretty_print(std::ostream& stream) const {
  stream << "infozoo::models::ManualMLP(input_dim=" << options.input_dim()
         << ", hidden_dim=" << options.hidden_dim() << ", output_dim=" << options.output_dim()
         << ", dtype=" << options.dtype() << ")";
}

}  // namespace infozoo::models
