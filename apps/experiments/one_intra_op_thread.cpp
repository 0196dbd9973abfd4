// SPDX-License-Identifier: BSD-3-Clause
#include "experiments/one_intra_op_thread.h"

#include <ATen/Parallel.h>

namespace infozoo::apps {

OneIntraOpThread::OneIntraOpThread() : threads_before_(at::get_num_threads()) {
  at::set_num_threads(1);
}

OneIntraOpThread::~OneIntraOpThread() { at::set_num_threads(threads_before_); }

}  // namespace infozoo::apps
