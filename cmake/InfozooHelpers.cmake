# SPDX-License-Identifier: BSD-3-Clause
# Helpers shared by the folder targets: one library per folder, warnings on our own
# targets only, and one precompiled LibTorch header reused by every target.

set(INFOZOO_WARNINGS -Wall -Wextra -Wpedantic -Wno-unused-parameter)

# LibTorch's headers dominate compile time (~15 s per translation unit without a PCH on
# this 2-core machine); precompiling them once and reusing the PCH everywhere pays for itself.
function(infozoo_setup_pch)
  if(NOT INFOZOO_USE_PCH)
    return()
  endif()
  add_library(infozoo_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch.cpp)
  target_link_libraries(infozoo_pch PRIVATE torch ${INFOZOO_OPENMP})
  target_compile_features(infozoo_pch PRIVATE cxx_std_17)
  target_compile_options(infozoo_pch PRIVATE ${INFOZOO_WARNINGS})
  target_precompile_headers(infozoo_pch PRIVATE ${PROJECT_SOURCE_DIR}/cmake/torch_pch.h)
endfunction()

# GCC uses a PCH only under the flags it was built with: the same warnings (-Wpedantic
# changes predefined macros) and -fPIC, which executables would otherwise swap for -fPIE.
function(infozoo_use_pch target)
  if(INFOZOO_USE_PCH)
    target_precompile_headers(${target} REUSE_FROM infozoo_pch)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE")
      set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
      target_compile_options(${target} PRIVATE -fPIC)
    endif()
  endif()
endfunction()

# infozoo_add_library(<folder> SOURCES ... [DEPENDS ...]): infozoo_<folder>, alias
# infozoo::<folder>, public headers in <folder>/include/infozoo/<folder>/. The global property
# INFOZOO_LIBRARIES lists the targets: infozoo::infozoo links them and InfozooInstall.cmake
# installs them with their include/ folders.
function(infozoo_add_library folder)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  set(target infozoo_${folder})
  add_library(${target} ${ARG_SOURCES})
  add_library(infozoo::${folder} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${folder} OUTPUT_NAME infozoo_${folder})
  target_compile_options(${target} PRIVATE ${INFOZOO_WARNINGS})
  infozoo_use_pch(${target})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/include)  # infozoo/detail/
  target_compile_features(${target} PUBLIC cxx_std_17)
  target_link_libraries(${target} PUBLIC torch ${INFOZOO_OPENMP} ${ARG_DEPENDS})
  set_property(GLOBAL APPEND PROPERTY INFOZOO_LIBRARIES ${target})
endfunction()

# infozoo_add_test(<name> [LIBS ...]): tests/<name>.cpp as a GoogleTest executable whose
# tests CTest discovers one by one.
function(infozoo_add_test name)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  add_executable(${name} ${CMAKE_CURRENT_SOURCE_DIR}/${name}.cpp)
  target_compile_options(${name} PRIVATE ${INFOZOO_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} infozoo_test_support GTest::gtest_main)
  if(infozoo_app_experiments IN_LIST ARG_LIBS)
    target_link_libraries(${name} PRIVATE infozoo_test_cli)
  endif()
  infozoo_use_pch(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()
