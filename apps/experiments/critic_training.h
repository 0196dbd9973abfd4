// SPDX-License-Identifier: BSD-3-Clause
// Training a SeparableCritic with Adam on an InfoNCE or NWJ objective, shared by `estimators`
// (a critic per task, trained on n fixed samples) and `infonce-bound` (fresh batches each step).
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace infozoo::apps {

/// Which bound the critic maximises.
enum class CriticObjective { kInfoNCE, kNWJ };

/// How to train. Example: `CriticTraining t; t.steps = 500; t.batch_size = 128;`.
struct CriticTraining {
  int64_t steps = 500;
  int64_t batch_size = 128;  // B: B - 1 in-batch negatives
  double learning_rate = 5e-4;
  int64_t hidden_dim = 256;
  int64_t embed_dim = 32;
  int64_t seed = 0;          // torch generator seed for the initialisation and batches
  int64_t record_every = 0;  // > 0: record both bounds every this many steps (the trace)
  CriticObjective objective = CriticObjective::kInfoNCE;
  c10::Device device{c10::kCPU};
};

/// Draws a batch (x [B, dx], y [B, dy], float32, on the training device) for step `step`.
using BatchSource = std::function<std::pair<at::Tensor, at::Tensor>(int64_t step)>;

/// Both bounds, in nats, evaluated on the same critic after training (and along the way).
struct CriticResult {
  double infonce = 0;                 // log B - L on held-out batches, averaged
  double nwj = 0;                     // NWJ on the same batches
  double log_batch = 0;               // log B, InfoNCE's ceiling
  std::vector<int64_t> trace_step;    // steps at which the trace was recorded
  std::vector<double> trace_infonce;  // InfoNCE bound at those steps (training batch)
  std::vector<double> trace_nwj;      // NWJ bound at those steps (training batch)
};

/// Trains a SeparableCritic of dims (dx, dy) on `train` batches for `training.steps` steps, then
/// evaluates both bounds on `eval_batches` batches from `eval` (no gradient). Deterministic for a
/// seed on the CPU.
CriticResult train_critic(int64_t dx, int64_t dy, const CriticTraining& training,
                          const BatchSource& train, const BatchSource& eval, int64_t eval_batches);

}  // namespace infozoo::apps
