# SPDX-License-Identifier: BSD-3-Clause
# Distributed InfoNCE on LibTorch's c10d (ProcessGroupGloo over a FileStore or a TCPStore).
# Optional: c10d needs LibTorch's distributed headers and Gloo's headers, which pip wheels do not
# ship (Debian: libgloo-dev). Without them the rest of infozoo builds and INFOZOO_HAVE_C10D is 0.
option(INFOZOO_WITH_DISTRIBUTED "Build the distributed InfoNCE on c10d when LibTorch has it" ON)

set(INFOZOO_HAVE_C10D OFF)
if(INFOZOO_WITH_DISTRIBUTED)
  find_path(INFOZOO_C10D_INCLUDE_DIR torch/csrc/distributed/c10d/ProcessGroupGloo.hpp
            HINTS ${TORCH_INCLUDE_DIRS})
  find_path(INFOZOO_GLOO_INCLUDE_DIR gloo/context.h HINTS ${TORCH_INCLUDE_DIRS})
  if(INFOZOO_C10D_INCLUDE_DIR AND INFOZOO_GLOO_INCLUDE_DIR)
    set(INFOZOO_HAVE_C10D ON)
    message(STATUS "infozoo: c10d with Gloo found (${INFOZOO_GLOO_INCLUDE_DIR}), distributed InfoNCE enabled")
  elseif(NOT INFOZOO_C10D_INCLUDE_DIR)
    message(STATUS "infozoo: this LibTorch has no c10d headers, distributed InfoNCE disabled")
  else()
    message(STATUS "infozoo: Gloo headers not found (Debian: libgloo-dev), distributed InfoNCE disabled")
  endif()
endif()

# infozoo_use_c10d(<target> <sources>...): compiles <target>'s <sources>, which include c10d's
# headers, with Gloo's headers and the define ProcessGroupGloo.hpp needs.
function(infozoo_use_c10d target)
  target_include_directories(${target} PRIVATE ${INFOZOO_GLOO_INCLUDE_DIR})
  # ProcessGroupGloo.hpp is empty unless the including code says LibTorch was built with Gloo.
  set_source_files_properties(${ARGN} PROPERTIES COMPILE_DEFINITIONS USE_C10D_GLOO=1)
endfunction()
