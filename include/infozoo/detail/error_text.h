// SPDX-License-Identifier: BSD-3-Clause
// Error text shared by the library targets (internal: namespace infozoo::detail, not part of the
// API). Header-only, so that every target can use it without linking one more library; the
// targets see it through the PRIVATE include of the top-level include/ folder
// (infozoo_add_library in cmake/InfozooHelpers.cmake).
#pragma once

#include <c10/util/Exception.h>

#include <exception>
#include <string>

namespace infozoo::detail {

/// The first line of `e`'s message, for quoting a lower layer's error inside one of our own:
/// c10::Error's what() carries a C++ backtrace after the message, and only the message reads
/// well inside another sentence.
/// Example:
///   catch (const std::exception& e) {
///     TORCH_CHECK(false, "reading 'w.pt' failed: ", infozoo::detail::first_line(e));
///   }
inline std::string first_line(const std::exception& e) {
  const auto* c10_error = dynamic_cast<const c10::Error*>(&e);
  const std::string message = c10_error ? c10_error->what_without_backtrace() : e.what();
  return message.substr(0, message.find('\n'));
}

}  // namespace infozoo::detail
