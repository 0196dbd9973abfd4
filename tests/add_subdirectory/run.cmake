# Configures, builds and runs the consumer beside this file, which builds infozoo as a subproject
# with BUILD_SHARED_LIBS=ON.
foreach(var INFOZOO_SOURCE_DIR WORK_DIR TORCH_PREFIX)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake needs -D${var}=...")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK_DIR})

function(run_step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "add_subdirectory test: step failed (${rc}): ${ARGN}")
  endif()
endfunction()

run_step(${CMAKE_COMMAND} -S ${INFOZOO_SOURCE_DIR}/tests/add_subdirectory -B ${WORK_DIR} -G Ninja
         -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DINFOZOO_SOURCE_DIR=${INFOZOO_SOURCE_DIR}
         -DCMAKE_PREFIX_PATH=${TORCH_PREFIX})
run_step(${CMAKE_COMMAND} --build ${WORK_DIR})
run_step(${CMAKE_COMMAND} -E chdir ${WORK_DIR} ${WORK_DIR}/subproject_consumer)
