# SPDX-License-Identifier: BSD-3-Clause
# Installs infozoo from the build tree into a scratch prefix once, then configures, builds and runs
# each consumer project against it: the way users embed infozoo.
# CONSUMERS: comma-separated `dir:executable` pairs, dir relative to INFOZOO_SOURCE_DIR (commas,
# not semicolons, so that add_test passes the list as one argument); default: the consumer here.
include(${CMAKE_CURRENT_LIST_DIR}/../consumer_steps.cmake)
require_vars(INFOZOO_SOURCE_DIR INFOZOO_BINARY_DIR WORK_DIR TORCH_PREFIX)
if(NOT DEFINED CONSUMERS)
  set(CONSUMERS "tests/find_package/consumer:infozoo_consumer")
endif()
string(REPLACE "," ";" consumers "${CONSUMERS}")

set(prefix ${WORK_DIR}/install)
file(REMOVE_RECURSE ${prefix})

run_step(${CMAKE_COMMAND} --install ${INFOZOO_BINARY_DIR} --prefix ${prefix})
file(GLOB_RECURSE infozoo_config ${prefix}/infozooConfig.cmake)
get_filename_component(infozoo_dir "${infozoo_config}" DIRECTORY)
foreach(consumer IN LISTS consumers)
  string(REPLACE ":" ";" parts "${consumer}")
  list(GET parts 0 source)
  list(GET parts 1 executable)
  get_filename_component(name ${source} NAME)
  set(build ${WORK_DIR}/${name})
  file(REMOVE_RECURSE ${build})
  message(STATUS "find_package test: ${source}")
  run_step(${CMAKE_COMMAND} -S ${INFOZOO_SOURCE_DIR}/${source} -B ${build}
           -DCMAKE_BUILD_TYPE=Release -Dinfozoo_DIR=${infozoo_dir} -DCMAKE_PREFIX_PATH=${TORCH_PREFIX})
  run_step(${CMAKE_COMMAND} --build ${build})
  run_step(${build}/${executable})
endforeach()
