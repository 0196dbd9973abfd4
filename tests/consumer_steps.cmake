# SPDX-License-Identifier: BSD-3-Clause
# Shared by the consumer-project tests (find_package/run.cmake, add_subdirectory/run.cmake), run
# with cmake -P: the -D variables they need, and one step that fails the test when it fails.

# require_vars(<var>...): every <var> was given with -D.
function(require_vars)
  foreach(var IN LISTS ARGN)
    if(NOT DEFINED ${var})
      message(FATAL_ERROR "${CMAKE_SCRIPT_MODE_FILE} needs -D${var}=...")
    endif()
  endforeach()
endfunction()

# run_step(<command>...): runs the command; a non-zero exit fails the test, naming the command.
# No list-valued arguments: ${ARGN} would split them at the ';'.
function(run_step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "step failed (${rc}): ${ARGN}")
  endif()
endfunction()
