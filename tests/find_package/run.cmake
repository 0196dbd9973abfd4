# Installs infozoo from the build tree into a scratch prefix, then configures, builds and runs
# the consumer project beside this file against it: the way users embed infozoo.
foreach(var INFOZOO_SOURCE_DIR INFOZOO_BINARY_DIR WORK_DIR TORCH_PREFIX)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake needs -D${var}=...")
  endif()
endforeach()

set(prefix ${WORK_DIR}/install)
set(consumer_build ${WORK_DIR}/consumer)
file(REMOVE_RECURSE ${prefix} ${consumer_build})

function(run_step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "find_package test: step failed (${rc}): ${ARGN}")
  endif()
endfunction()

run_step(${CMAKE_COMMAND} --install ${INFOZOO_BINARY_DIR} --prefix ${prefix})
# No list-valued -D here: run_step's ${ARGN} would split it at the ';'.
file(GLOB_RECURSE infozoo_config ${prefix}/infozooConfig.cmake)
get_filename_component(infozoo_dir "${infozoo_config}" DIRECTORY)
run_step(${CMAKE_COMMAND} -S ${INFOZOO_SOURCE_DIR}/tests/find_package/consumer -B ${consumer_build}
         -DCMAKE_BUILD_TYPE=Release -Dinfozoo_DIR=${infozoo_dir} -DCMAKE_PREFIX_PATH=${TORCH_PREFIX})
run_step(${CMAKE_COMMAND} --build ${consumer_build})
run_step(${consumer_build}/infozoo_consumer)
