// SPDX-License-Identifier: BSD-3-Clause
// scipy.special.digamma for real arguments: cephes psi.c as shipped in scipy 1.10 (Moshier;
// rational approximation on [1, 2] from Boost, Maddock 2006), ported line by line so the k-NN
// estimators' digamma terms equal scipy's bit for bit.
#include <cmath>
#include <limits>

#include "mi_detail.h"

namespace infozoo::analysis::detail {
namespace {

constexpr double kEuler = 0.577215664901532860606512090082402431;

double polevl(double x, const double* coef, int n) {
  double ans = coef[0];
  for (int i = 1; i <= n; ++i) ans = ans * x + coef[i];
  return ans;
}

double digamma_imp_1_2(double x) {
  static const float Y = 0.99558162689208984f;
  static const double root1 = 1569415565.0 / 1073741824.0;
  static const double root2 = (381566830.0 / 1073741824.0) / 1073741824.0;
  static const double root3 = 0.9016312093258695918615325266959189453125e-19;
  static const double P[] = {-0.0020713321167745952, -0.045251321448739056, -0.28919126444774784,
                             -0.65031853770896507,   -0.32555031186804491,  0.25479851061131551};
  static const double Q[] = {-0.55789841321675513e-6,
                             0.0021284987017821144,
                             0.054151797245674225,
                             0.43593529692665969,
                             1.4606242909763515,
                             2.0767117023730469,
                             1.0};
  double g = x - root1;
  g -= root2;
  g -= root3;
  const double r = polevl(x - 1.0, P, 5) / polevl(x - 1.0, Q, 6);
  return g * static_cast<double>(Y) + g * r;
}

double psi_asy(double x) {
  static const double A[] = {8.33333333333333333333E-2, -2.10927960927960927961E-2,
                             7.57575757575757575758E-3, -4.16666666666666666667E-3,
                             3.96825396825396825397E-3, -8.33333333333333333333E-3,
                             8.33333333333333333333E-2};
  double y = 0.0;
  if (x < 1.0e17) {
    const double z = 1.0 / (x * x);
    y = z * polevl(z, A, 6);
  }
  return std::log(x) - (0.5 / x) - y;
}

}  // namespace

double digamma(double x) {
  double y = 0.0;
  if (std::isnan(x)) return x;
  if (x == std::numeric_limits<double>::infinity()) return x;
  if (x == -std::numeric_limits<double>::infinity())
    return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return std::copysign(std::numeric_limits<double>::infinity(), -x);
  if (x < 0.0) {
    // Reflection psi(1 - x) = psi(x) + pi cot(pi x), with the argument reduced before tan.
    double q;
    const double r = std::modf(x, &q);
    if (r == 0.0) return std::numeric_limits<double>::quiet_NaN();
    y = -M_PI / std::tan(M_PI * r);
    x = 1.0 - x;
  }
  if (x <= 10.0 && x == std::floor(x)) {
    const int n = static_cast<int>(x);
    for (int i = 1; i < n; ++i) y += 1.0 / i;
    y -= kEuler;
    return y;
  }
  if (x < 1.0) {
    y -= 1.0 / x;
    x += 1.0;
  } else if (x < 10.0) {
    while (x > 2.0) {
      x -= 1.0;
      y += 1.0 / x;
    }
  }
  if (1.0 <= x && x <= 2.0) return y + digamma_imp_1_2(x);
  return y + psi_asy(x);
}

}  // namespace infozoo::analysis::detail
