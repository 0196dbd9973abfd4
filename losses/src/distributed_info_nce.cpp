// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/losses/distributed_info_nce.h"

#include <ATen/ATen.h>
#include <c10/util/irange.h>
#include <torch/enum.h>
#include <torch/csrc/distributed/c10d/Work.hpp>

#include <cctype>
#include <cmath>
#include <exception>
#include <ios>
#include <sstream>
#include <string>
#include <vector>

#include "infozoo/losses/info_nce.h"

#include "info_nce_detail.h"
#include "infozoo/detail/error_text.h"

namespace infozoo::losses {
namespace {

using ProcessGroupPtr = c10::intrusive_ptr<c10d::ProcessGroup>;

using infozoo::detail::first_line;

// Waits for a collective, turning c10d's and Gloo's failures (a peer that died, one that never
// called the collective within the group's timeout) into an error that says where it happened.
void wait_for(const c10::intrusive_ptr<c10d::Work>& work, const ProcessGroupPtr& group,
              const char* what) {
  try {
    work->wait();
  } catch (const std::exception& e) {
    TORCH_CHECK(
        false, what, " failed on rank ", group->getRank(), " of ", group->getSize(),
        " (a rank died, or did not join within the process group's timeout): ", first_line(e));
  }
}

// Sums `tensor` over the ranks, in place.
void all_reduce_sum_(at::Tensor& tensor, const ProcessGroupPtr& group, const char* what) {
  std::vector<at::Tensor> tensors{tensor};
  wait_for(group->allreduce(tensors), group, what);
}

// What every rank learns about every other rank's input before any data moves: whether its
// local checks passed, and its shape and dtype. Every rank sees the same table, so every rank
// raises the same error and none is left waiting in a collective the others skipped.
struct RankInput {
  bool valid;
  int64_t rows;
  int64_t cols;
  at::ScalarType dtype;
};

std::vector<RankInput> exchange_inputs(const at::Tensor& x, bool valid,
                                       const ProcessGroupPtr& group) {
  const auto device = x.defined() ? x.device() : at::Device(at::kCPU);
  const bool shaped = valid && x.defined() && x.dim() == 2;
  const auto meta = at::tensor({static_cast<int64_t>(valid), shaped ? x.size(0) : int64_t{-1},
                                shaped ? x.size(1) : int64_t{-1},
                                shaped ? static_cast<int64_t>(x.scalar_type()) : int64_t{-1}},
                               at::TensorOptions(at::kLong).device(device));
  const int world = group->getSize();
  std::vector<std::vector<at::Tensor>> gathered(1);
  for (int r = 0; r < world; ++r) {
    gathered[0].push_back(at::empty_like(meta));
  }
  std::vector<at::Tensor> inputs{meta};
  wait_for(group->allgather(gathered, inputs), group, "all_gather of the input shapes");

  std::vector<RankInput> table;
  for (const auto& row_tensor : gathered[0]) {
    const auto row = row_tensor.cpu();
    const auto* v = row.data_ptr<int64_t>();
    table.push_back({v[0] != 0, v[1], v[2], static_cast<at::ScalarType>(v[3] < 0 ? 0 : v[3])});
  }
  return table;
}

std::string describe_shapes(const std::vector<RankInput>& table) {
  std::ostringstream out;
  for (const auto r : c10::irange(table.size())) {
    out << (r ? ", " : "") << "[" << table[r].rows << ", " << table[r].cols << "] "
        << table[r].dtype << " on rank " << r;
  }
  return out.str();
}

// Every rank's input must be valid, with one feature size and one dtype.
void check_table(const std::vector<RankInput>& table, const std::string& name, int rank) {
  for (const auto r : c10::irange(table.size())) {
    TORCH_CHECK(table[r].valid, "rank ", r, " of ", table.size(), " gave an invalid ", name,
                " (its own error says why); rank ", rank, " stops too");
  }
  for (const auto& other : table) {
    TORCH_CHECK(other.cols == table[0].cols && other.dtype == table[0].dtype, name,
                " must have the same feature size D and dtype on every rank, got ",
                describe_shapes(table));
  }
}

// The all-gather itself, without autograd: rows of every rank, in rank order, (sum B_r, D).
std::vector<at::Tensor> gather_rows(const at::Tensor& x, const std::vector<RankInput>& table,
                                    const ProcessGroupPtr& group) {
  int64_t max_rows = 0;
  for (const auto& t : table) {
    max_rows = std::max(max_rows, t.rows);
  }
  // c10d's all-gather moves equal-sized tensors; pad every rank's rows to the largest batch.
  auto padded = x.size(0) == max_rows
                    ? x.contiguous()
                    : at::cat({x, at::zeros({max_rows - x.size(0), x.size(1)}, x.options())});
  std::vector<std::vector<at::Tensor>> gathered(1);
  for (size_t r = 0; r < table.size(); ++r) {
    gathered[0].push_back(at::empty_like(padded));
  }
  std::vector<at::Tensor> inputs{padded};
  wait_for(group->allgather(gathered, inputs), group, "all_gather");
  std::vector<at::Tensor> pieces;
  for (const auto r : c10::irange(table.size())) {
    pieces.push_back(gathered[0][r].narrow(0, 0, table[r].rows));
  }
  return pieces;
}

at::Tensor all_gather_checked(const at::Tensor& x, const std::vector<RankInput>& table,
                              const ProcessGroupPtr& group) {
  const int rank = group->getRank();
  auto pieces = gather_rows(x.detach(), table, group);
  if (!(at::GradMode::is_enabled() && x.requires_grad())) {
    return at::cat(pieces, /*dim=*/0);  // (sum B_r, D)
  }
  // Our own rows enter the concatenation as `x` itself, so autograd routes their gradient home;
  // the hook first sums the gradient of the whole gathered tensor over the ranks, which adds the
  // other ranks' losses' dependence on our rows. Every rank's backward runs this all-reduce.
  pieces[rank] = x;
  auto gathered = at::cat(pieces, /*dim=*/0);  // (sum B_r, D)
  gathered.register_hook([group](const at::Tensor& grad) {
    auto summed = grad.contiguous().clone();
    all_reduce_sum_(summed, group, "all_reduce of the gathered gradient");
    return summed;
  });
  return gathered;
}

// The value of sum over ranks of x, with the identity as backward: each rank's x is its part of
// the global sum, so d(sum)/d(x_r) = 1 and nothing has to travel in the backward pass.
at::Tensor global_sum(const at::Tensor& x, const ProcessGroupPtr& group) {
  auto total = x.detach().contiguous().clone();
  all_reduce_sum_(total, group, "all_reduce of the loss");
  return x + (total - x.detach());
}

}  // namespace

at::Tensor all_gather_with_grad(const at::Tensor& x, const ProcessGroupPtr& group) {
  TORCH_CHECK(group, "process_group must be a c10d::ProcessGroup, got null");
  std::string local_error;
  try {
    TORCH_CHECK(x.defined() && x.dim() == 2, "x must be [B, D], got shape ",
                x.defined() ? x.sizes() : at::IntArrayRef{});
  } catch (const c10::Error& e) {
    local_error = e.what_without_backtrace();
  }
  const auto table = exchange_inputs(x, local_error.empty(), group);
  TORCH_CHECK(local_error.empty(), local_error);
  check_table(table, "x", group->getRank());
  return all_gather_checked(x, table, group);
}

at::Tensor distributed_info_nce(const at::Tensor& query_in, const at::Tensor& positive_in,
                                const DistributedInfoNCEOptions& options) {
  const auto& group = options.process_group();
  if (!group) {
    return info_nce(query_in, positive_in, /*negatives=*/{},
                    InfoNCEOptions()
                        .temperature(options.temperature())
                        .reduction(options.reduction())
                        .normalize(options.normalize()));
  }
  // Local checks first, but their verdict travels with the shapes: a rank with bad input must
  // not leave the others waiting in the all-gather it would otherwise skip.
  std::string local_error;
  try {
    detail::check_temperature(options.temperature());
    detail::check_query_positive(query_in, positive_in);
  } catch (const c10::Error& e) {
    local_error = e.what_without_backtrace();
  }
  const auto table = exchange_inputs(positive_in, local_error.empty(), group);
  TORCH_CHECK(local_error.empty(), local_error);
  const int rank = group->getRank();
  check_table(table, "query and positive", rank);

  const bool normalize = options.normalize();
  const auto query = normalize ? detail::l2_normalize(query_in) : query_in;
  const auto positive = normalize ? detail::l2_normalize(positive_in) : positive_in;
  const auto all_positives = all_gather_checked(positive, table, group);  // (N, D)
  int64_t offset = 0;
  int64_t total = 0;
  for (const auto r : c10::irange(table.size())) {
    offset += static_cast<int>(r) < rank ? table[r].rows : 0;
    total += table[r].rows;
  }
  // Our queries are rows offset..offset+B-1 of the global batch; their positives sit there too.
  const auto logits = at::matmul(query, all_positives.t()) / options.temperature();  // (B, N)
  const auto labels = at::arange(offset, offset + query.size(0), query.options().dtype(at::kLong));
  // cross_entropy is log-softmax + NLL: log-sum-exp with the row maximum subtracted, so logits
  // near 1/temperature cannot overflow exp.
  const auto reduction = torch::enumtype::reduction_get_enum(options.reduction());
  if (reduction == at::Reduction::None) {
    return at::cross_entropy_loss(logits, labels, /*weight=*/{}, at::Reduction::None);  // (B)
  }
  auto local = at::cross_entropy_loss(logits, labels, /*weight=*/{}, at::Reduction::Sum);
  if (reduction == at::Reduction::Mean) {
    local = local / static_cast<double>(total);
  }
  return global_sum(local, group);
}

void all_reduce_gradients(const std::vector<at::Tensor>& parameters, const ProcessGroupPtr& group) {
  TORCH_CHECK(group, "process_group must be a c10d::ProcessGroup, got null");
  if (parameters.empty()) {
    return;
  }
  std::vector<at::Tensor> grads;
  for (auto parameter : parameters) {
    // A parameter that this rank's loss did not reach still takes part, with zeros, so that
    // every rank moves the same buffer.
    if (!parameter.grad().defined()) {
      parameter.mutable_grad() = at::zeros_like(parameter);
    }
    grads.push_back(parameter.grad().reshape(-1));
  }
  auto flat = at::cat(grads);  // one collective for all parameters
  all_reduce_sum_(flat, group, "all_reduce of the parameter gradients");
  int64_t start = 0;
  for (const auto& parameter : parameters) {
    auto grad = parameter.grad();
    grad.copy_(flat.narrow(0, start, grad.numel()).view_as(grad));
    start += grad.numel();
  }
}

DistributedInfoNCEImpl::DistributedInfoNCEImpl(DistributedInfoNCEOptions options_)
    : options(std::move(options_)) {
  reset();
}

void DistributedInfoNCEImpl::reset() { detail::check_temperature(options.temperature()); }

at::Tensor DistributedInfoNCEImpl::forward(const at::Tensor& query, const at::Tensor& positive) {
  return distributed_info_nce(query, positive, options);
}

void DistributedInfoNCEImpl::pretty_print(std::ostream& stream) const {
  const auto& group = options.process_group();
  stream << std::boolalpha
         << "infozoo::losses::DistributedInfoNCE(temperature=" << options.temperature()
         << ", reduction=" << detail::reduction_name(options.reduction())
         << ", normalize=" << options.normalize() << ", rank=" << (group ? group->getRank() : 0)
         << ", world_size=" << (group ? group->getSize() : 1) << ")";
}

}  // namespace infozoo::losses
