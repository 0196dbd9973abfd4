// `infozoo calculus`: Matrix-calculus table and inequalities checked against autograd (seed 5).
#include "experiments.h"

namespace infozoo::apps {

Experiment calculus_experiment() {
  return not_implemented_experiment("calculus", "Matrix-calculus table and inequalities checked against autograd (seed 5)");
}

}  // namespace infozoo::apps
