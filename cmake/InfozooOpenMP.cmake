# SPDX-License-Identifier: BSD-3-Clause
# LibTorch's at::parallel_for is an inline template whose `#pragma omp parallel` (ATen/ParallelOpenMP.h)
# is compiled into our own translation units: without -fopenmp it silently runs on one thread, however
# many at::set_num_threads asks for. Every infozoo target links ${INFOZOO_OPENMP}; the precompiled
# header does too, so that it is built with the same flags as the targets that reuse it.
set(INFOZOO_OPENMP "")
set(INFOZOO_WITH_OPENMP OFF)
find_package(OpenMP COMPONENTS CXX)
if(OpenMP_CXX_FOUND)
  set(INFOZOO_OPENMP OpenMP::OpenMP_CXX)
  set(INFOZOO_WITH_OPENMP ON)
else()
  message(WARNING "infozoo: no OpenMP for ${CMAKE_CXX_COMPILER_ID}: at::parallel_for in infozoo's "
                  "sources will run on one thread (install libomp-dev for clang)")
endif()
