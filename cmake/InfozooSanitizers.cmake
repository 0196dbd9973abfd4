# SPDX-License-Identifier: BSD-3-Clause
# INFOZOO_SANITIZE=address,undefined (any -fsanitize= list): instruments infozoo's own targets.
# LibTorch, GoogleTest and the other imported libraries stay as Debian built them.
#
# Directory-scope options, set before the first target: every target of this project gets the
# same flags, so the shared LibTorch PCH (InfozooHelpers.cmake) and its users still match (GCC
# rejects a PCH built under other -fsanitize flags), and every executable links the runtimes.
set(INFOZOO_SANITIZE "" CACHE STRING
    "Sanitizers for infozoo's own targets, as a -fsanitize= list, e.g. address,undefined")

function(infozoo_enable_sanitizers)
  if(NOT INFOZOO_SANITIZE)
    return()
  endif()
  # Plain UBSan would print and go on; tests must fail on the first report.
  set(flags -fsanitize=${INFOZOO_SANITIZE} -fno-omit-frame-pointer)
  if(INFOZOO_SANITIZE MATCHES "undefined")
    list(APPEND flags -fno-sanitize-recover=undefined)
  endif()
  # Line tables only: symbolised reports for a fraction of full -g's compile time.
  list(APPEND flags -g1)
  add_compile_options(${flags})
  add_link_options(-fsanitize=${INFOZOO_SANITIZE})
  message(STATUS "infozoo: sanitizers ${INFOZOO_SANITIZE} on infozoo's own targets")
endfunction()
