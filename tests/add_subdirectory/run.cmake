# SPDX-License-Identifier: BSD-3-Clause
# Configures, builds and runs the consumer beside this file, which builds infozoo as a subproject
# with BUILD_SHARED_LIBS=ON.
include(${CMAKE_CURRENT_LIST_DIR}/../consumer_steps.cmake)
require_vars(INFOZOO_SOURCE_DIR WORK_DIR TORCH_PREFIX)
file(REMOVE_RECURSE ${WORK_DIR})

run_step(${CMAKE_COMMAND} -S ${INFOZOO_SOURCE_DIR}/tests/add_subdirectory -B ${WORK_DIR} -G Ninja
         -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DINFOZOO_SOURCE_DIR=${INFOZOO_SOURCE_DIR}
         -DCMAKE_PREFIX_PATH=${TORCH_PREFIX})
run_step(${CMAKE_COMMAND} --build ${WORK_DIR})
run_step(${CMAKE_COMMAND} -E chdir ${WORK_DIR} ${WORK_DIR}/subproject_consumer)
