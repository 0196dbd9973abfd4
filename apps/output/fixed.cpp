// SPDX-License-Identifier: BSD-3-Clause
#include "output/fixed.h"

#include <fmt/format.h>

namespace infozoo::apps {

std::string fixed(double v, int decimals) {
  std::string s = fmt::format("{:.{}f}", v, decimals);
  // A minus sign followed by nothing but zeros: the value rounded to zero from below.
  if (!s.empty() && s[0] == '-' && s.find_first_not_of("0.", 1) == std::string::npos) s.erase(0, 1);
  return s;
}

}  // namespace infozoo::apps
