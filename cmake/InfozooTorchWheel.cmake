# SPDX-License-Identifier: BSD-3-Clause
# LibTorch from PyPI's CUDA torch wheel: libtorch_cuda.so needs the wheel's own CUDA libraries
# (nvidia/<pkg>/lib beside torch/), which it finds at run time through its $ORIGIN RUNPATH. The
# link-time search does not use that, and with a CUDA toolkit installed it resolves libnccl.so.2
# and friends from the toolkit instead (older, missing symbols such as ncclCommGrow). Point the
# linker's dependency search at the wheel's libraries. Included by CMakeLists.txt and by the
# installed infozooConfig.cmake, after find_package(Torch).
if(TARGET torch AND DEFINED TORCH_INSTALL_PREFIX)
  file(GLOB _infozoo_wheel_cuda_libs "${TORCH_INSTALL_PREFIX}/../nvidia/*/lib")
  if(_infozoo_wheel_cuda_libs)
    list(JOIN _infozoo_wheel_cuda_libs ":" _infozoo_rpath_link)
    get_property(_infozoo_opts TARGET torch PROPERTY INTERFACE_LINK_OPTIONS)
    if(NOT "LINKER:-rpath-link,${_infozoo_rpath_link}" IN_LIST _infozoo_opts)
      set_property(TARGET torch APPEND PROPERTY INTERFACE_LINK_OPTIONS
                   "LINKER:-rpath-link,${_infozoo_rpath_link}")
    endif()
  endif()
endif()
