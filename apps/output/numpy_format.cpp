// SPDX-License-Identifier: BSD-3-Clause
// A port of numpy 1.24's numpy/core/arrayprint.py (FloatingFormat.fillFormat, _formatArray,
// _extendLine) for float arrays of one or two dimensions. Dragon4's "unique" digits are the
// shortest round-trip digits, which std::to_chars also produces (both pick the closest).
#include "numpy_format.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

namespace infozoo::apps {
namespace {

constexpr int kPrecision = 8;   // np.get_printoptions()["precision"]
constexpr int kLineWidth = 75;  // np.get_printoptions()["linewidth"]

std::string to_chars(double x, std::chars_format format, int precision = -1) {
  char buf[512];
  const auto result = precision < 0 ? std::to_chars(buf, buf + sizeof(buf), x, format)
                                    : std::to_chars(buf, buf + sizeof(buf), x, format, precision);
  return std::string(buf, result.ptr);
}

// Shortest round-trip digits d1 d2 ... and exponent e of |x| = d1.d2... x 10^e.
struct ShortestDigits {
  std::string digits;
  int exponent;
};

ShortestDigits shortest(double x) {
  const auto s = to_chars(std::fabs(x), std::chars_format::scientific);  // "9.992e-01"
  const auto e = s.find('e');
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (s[i] != '.') digits += s[i];
  }
  return {digits, std::stoi(s.substr(e + 1))};
}

std::string strip_trailing_zeros(std::string s) {
  if (s.find('.') == std::string::npos) return s + ".";
  while (s.back() == '0') s.pop_back();
  return s;  // keeps the point: numpy's trim='.' writes "1." for 1.0
}

// "-" before `body` where x's sign bit is set (so -0. prints as numpy's "-0.").
std::string with_sign(double x, const std::string& body) {
  std::string out = std::signbit(x) ? "-" : "";
  out += body;
  return out;
}

// dragon4_positional(x, precision=8, unique=True, fractional=True, trim='.').
std::string positional(double x) {
  const auto d = shortest(x);
  const int frac = std::max(0, static_cast<int>(d.digits.size()) - 1 - d.exponent);
  const auto body = strip_trailing_zeros(
      to_chars(std::fabs(x), std::chars_format::fixed, std::min(frac, kPrecision)));
  return with_sign(x, body);
}

// dragon4_scientific(x, precision=8, unique=True, trim='.'): mantissa and exponent value.
struct Scientific {
  std::string mantissa;  // "-9.992", "8."
  int exponent;
};

Scientific scientific(double x) {
  const auto d = shortest(x);
  const int frac = static_cast<int>(d.digits.size()) - 1;
  auto s = to_chars(std::fabs(x), std::chars_format::scientific, std::min(frac, kPrecision));
  const auto e = s.find('e');
  return {with_sign(x, strip_trailing_zeros(s.substr(0, e))), std::stoi(s.substr(e + 1))};
}

std::string exponent_string(int exponent, int digits) {
  auto magnitude = std::to_string(std::abs(exponent));
  if (static_cast<int>(magnitude.size()) < digits) {
    magnitude.insert(0, digits - magnitude.size(), '0');
  }
  return (exponent < 0 ? "-" : "+") + magnitude;
}

std::string pad_left_to(const std::string& s, int width) {
  return std::string(std::max(0, width - static_cast<int>(s.size())), ' ') + s;
}

// FloatingFormat: one layout (notation, paddings) for every element of the array.
class FloatingFormat {
 public:
  explicit FloatingFormat(const std::vector<double>& data) {
    std::vector<double> finite;
    for (double v : data) {
      if (std::isfinite(v)) finite.push_back(v);
    }
    double max_val = 0, min_val = INFINITY;
    for (double v : finite) {
      if (v != 0) {
        max_val = std::max(max_val, std::fabs(v));
        min_val = std::min(min_val, std::fabs(v));
      }
    }
    if (max_val > 0) {
      exp_format_ = max_val >= 1e8 || min_val < 1e-4 || max_val / min_val > 1000.;
    }
    if (finite.empty()) {
      pad_left_ = pad_right_ = 0;
    } else if (exp_format_) {
      int exp_len = 0;
      for (double v : finite) {
        const auto s = scientific(v);
        const auto point = s.mantissa.find('.');
        pad_left_ = std::max(pad_left_, static_cast<int>(point));
        precision_ = std::max(precision_, static_cast<int>(s.mantissa.size() - point - 1));
        exp_len = std::max(exp_len, static_cast<int>(exponent_string(s.exponent, 2).size()));
      }
      exp_size_ = exp_len - 1;
      pad_right_ = exp_size_ + 2 + precision_;
    } else {
      for (double v : finite) {
        const auto s = positional(v);
        const auto point = s.find('.');
        pad_left_ = std::max(pad_left_, static_cast<int>(point));
        pad_right_ = std::max(pad_right_, static_cast<int>(s.size() - point - 1));
      }
    }
    if (finite.size() != data.size()) {
      bool neg_inf = false;
      for (double v : data) neg_inf = neg_inf || (std::isinf(v) && v < 0);
      const int offset = pad_right_ + 1;
      pad_left_ = std::max({pad_left_, 3 - offset, 3 + (neg_inf ? 1 : 0) - offset});
    }
  }

  std::string operator()(double x) const {
    if (!std::isfinite(x)) {
      const std::string s = std::isnan(x) ? "nan" : (x < 0 ? "-inf" : "inf");
      return pad_left_to(s, pad_left_ + pad_right_ + 1);
    }
    if (exp_format_) {
      const auto s = scientific(x);
      const auto point = s.mantissa.find('.');
      auto frac = s.mantissa.substr(point + 1);
      frac.append(precision_ - frac.size(), '0');  // min_digits = precision: "8." -> "8.000"
      return pad_left_to(s.mantissa.substr(0, point), pad_left_) + "." + frac + "e" +
             exponent_string(s.exponent, exp_size_);
    }
    const auto s = positional(x);
    const auto point = s.find('.');
    const auto frac = s.substr(point + 1);
    return pad_left_to(s.substr(0, point), pad_left_) + "." + frac +
           std::string(pad_right_ - frac.size(), ' ');
  }

 private:
  bool exp_format_ = false;
  int pad_left_ = 0;
  int pad_right_ = 0;
  int precision_ = 0;
  int exp_size_ = -1;
};

// Built by appending: GCC 12's -Wrestrict misfires on `"[" + std::string&&` (GCC bug 105651).
std::string bracketed(const std::string& inner) {
  std::string out = "[";
  out += inner;
  out += "]";
  return out;
}

// _extendLine: wrap before `word` when the line would pass `width` (unless that cannot help).
void extend_line(std::string& s, std::string& line, const std::string& word, int width,
                 const std::string& next_line_prefix) {
  bool wrap = static_cast<int>(line.size() + word.size()) > width;
  if (line.size() <= next_line_prefix.size()) wrap = false;
  if (wrap) {
    const auto end = line.find_last_not_of(' ');
    s += line.substr(0, end == std::string::npos ? 0 : end + 1) + "\n";
    line = next_line_prefix;
  }
  line += word;
}

// _formatArray's recurser for one row: "[a b c]" with the given hanging indent and width.
std::string format_row(const std::vector<std::string>& words, const std::string& hanging_indent,
                       int width) {
  const int elem_width = width - 1;  // max(len(separator.rstrip()), len(']'))
  std::string s, line = hanging_indent;
  for (size_t i = 0; i < words.size(); ++i) {
    extend_line(s, line, words[i], elem_width, hanging_indent);
    if (i + 1 < words.size()) line += " ";
  }
  s += line;
  return bracketed(s.substr(hanging_indent.size()));
}

}  // namespace

std::string numpy_array_str(const at::Tensor& a) {
  TORCH_CHECK(a.defined() && (a.dim() == 1 || a.dim() == 2) && a.is_floating_point(),
              "numpy_array_str takes a 1-D or 2-D floating tensor, got ",
              a.defined() ? a.sizes() : at::IntArrayRef{});
  const auto flat = a.detach().to(at::kCPU, at::kDouble).contiguous();
  const std::vector<double> data(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
  const FloatingFormat format(data);
  std::vector<std::string> words;
  for (double v : data) words.push_back(format(v));
  if (a.dim() == 1) {
    return format_row(words, " ", kLineWidth);
  }
  const auto rows = a.size(0), cols = a.size(1);
  if (rows == 0) return "[]";
  std::string s;
  for (int64_t r = 0; r < rows; ++r) {
    const std::vector<std::string> row(words.begin() + r * cols, words.begin() + (r + 1) * cols);
    s += " ";
    s += format_row(row, "  ", kLineWidth - 1);
    if (r + 1 < rows) s += "\n";
  }
  return bracketed(s.substr(1));
}

at::Tensor numpy_round(const at::Tensor& a, int64_t decimals) {
  TORCH_CHECK(decimals >= 0, "decimals must be >= 0, got ", decimals);
  const double scale = std::pow(10.0, static_cast<double>(decimals));
  return at::round(a.to(at::kDouble) * scale) / scale;  // at::round rounds halves to even, as rint
}

}  // namespace infozoo::apps
