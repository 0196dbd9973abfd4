// SPDX-License-Identifier: BSD-3-Clause
// The text of `infozoo estimators`: a table per task (mean, std, bias against the true MI, in
// nats) and conclusions computed from those numbers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "experiments/estimator_runs.h"

namespace infozoo::apps {

/// An estimate fails a task when |bias| exceeds both max(kFailNats, kFailFraction * true MI) and
/// three standard deviations across seeds: an error too large to matter and too large for noise.
inline constexpr double kFailNats = 0.05;
/// See kFailNats.
inline constexpr double kFailFraction = 0.1;

/// Whether `e` fails a task of true MI `truth` by that rule.
bool fails(const EstimatorValues& e, double truth);

/// The report: what was run, one table per task, then the conclusions. `default_critic_seeds`
/// and `default_critic_steps` are the subcommand's defaults, named when the run used them.
std::string report_text(const std::vector<TaskRun>& runs, const SuiteSettings& settings,
                        int64_t default_critic_seeds, int64_t default_critic_steps);

}  // namespace infozoo::apps
