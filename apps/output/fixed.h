// SPDX-License-Identifier: BSD-3-Clause
// Fixed-point figures for the subcommands' readings, without numpy's and printf's "-0.0000".
#pragma once

#include <string>

namespace infozoo::apps {

/// `v` with `decimals` digits after the point, as "{:.Nf}" but never with a minus sign on a figure
/// that rounds to zero: a value like -1e-10 (the seed's `+ 1e-10` entropy guard) reads "0.0000".
/// Example: `fixed(-1e-10, 4)` is "0.0000"; `fixed(-0.25, 2)` is "-0.25".
std::string fixed(double v, int decimals);

}  // namespace infozoo::apps
