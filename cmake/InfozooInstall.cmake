# SPDX-License-Identifier: BSD-3-Clause
# Installs the libraries, their headers and an infozooConfig.cmake with exported targets
# (infozoo::datasets, ::analysis, ::io, ::models, ::distributed, ::losses, ::infozoo), as fmt does.
# The libraries and their header folders both come from INFOZOO_LIBRARIES (infozoo_add_library).
include(CMakePackageConfigHelpers)

get_property(infozoo_libraries GLOBAL PROPERTY INFOZOO_LIBRARIES)
set_target_properties(infozoo PROPERTIES EXPORT_NAME infozoo)
install(TARGETS ${infozoo_libraries} infozoo EXPORT infozooTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(library IN LISTS infozoo_libraries)
  get_target_property(folder ${library} SOURCE_DIR)
  install(DIRECTORY ${folder}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endforeach()
# The umbrella target's own headers: <infozoo/infozoo.h> and the generated <infozoo/version.h>.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ ${PROJECT_BINARY_DIR}/include/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(INFOZOO_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/infozoo)
install(EXPORT infozooTargets NAMESPACE infozoo:: DESTINATION ${INFOZOO_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/infozooConfig.cmake.in
  ${PROJECT_BINARY_DIR}/infozooConfig.cmake INSTALL_DESTINATION ${INFOZOO_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/infozooConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/infozooConfig.cmake
              ${PROJECT_BINARY_DIR}/infozooConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/InfozooTorchWheel.cmake
        DESTINATION ${INFOZOO_CMAKE_DIR})
if(TARGET infozoo_cli)
  install(TARGETS infozoo_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
