// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// infozoo in one include: every public header of every library target. Link infozoo::infozoo.
/// The distributed headers (c10d, Gloo) come in only where infozoo was built with them
/// (INFOZOO_HAVE_C10D=1, which infozoo::losses passes on to its users).
#pragma once

#include "infozoo/version.h"

#include "infozoo/analysis/differential_entropy.h"
#include "infozoo/analysis/energy_distance.h"
#include "infozoo/analysis/entropy.h"
#include "infozoo/analysis/feature_selection.h"
#include "infozoo/analysis/histogram_mi.h"
#include "infozoo/analysis/ksg.h"
#include "infozoo/analysis/matrix_calculus.h"
#include "infozoo/analysis/mi_significance.h"
#include "infozoo/analysis/mutual_info.h"
#include "infozoo/analysis/softmax.h"
#include "infozoo/datasets/make_classification.h"
#include "infozoo/datasets/make_moons.h"
#include "infozoo/datasets/mi_tasks.h"
#include "infozoo/datasets/numpy_random.h"
#include "infozoo/datasets/sample_without_replacement.h"
#include "infozoo/io/atomic_file.h"
#include "infozoo/io/state_dict.h"
#include "infozoo/losses/diffusion_loss.h"
#include "infozoo/losses/distillation.h"
#include "infozoo/losses/info_nce.h"
#include "infozoo/losses/mi_bounds.h"
#include "infozoo/models/attention.h"
#include "infozoo/models/ddim_scheduler.h"
#include "infozoo/models/ddpm_scheduler.h"
#include "infozoo/models/denoiser.h"
#include "infozoo/models/diffusion_schedule.h"
#include "infozoo/models/manual_mlp.h"
#include "infozoo/models/multi_head_attention.h"
#include "infozoo/models/positional_encoding.h"
#include "infozoo/models/separable_critic.h"

#if INFOZOO_HAVE_C10D
#include "infozoo/distributed/process_group.h"
#include "infozoo/losses/distributed_info_nce.h"
#endif
