# Installs the library, its public headers and a relocatable kerascppConfig.cmake.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS keras EXPORT kerascppTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/keras DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The MNIST files keras::datasets::mnist::load_data() falls back to once installed.
install(DIRECTORY data/mnist DESTINATION ${CMAKE_INSTALL_DATADIR}/kerascpp)

set(KERAS_CONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/kerascpp)
install(EXPORT kerascppTargets NAMESPACE keras:: DESTINATION ${KERAS_CONFIG_DIR})
configure_package_config_file(cmake/kerascppConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/kerascppConfig.cmake
                              INSTALL_DESTINATION ${KERAS_CONFIG_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/kerascppConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/kerascppConfig.cmake
              ${PROJECT_BINARY_DIR}/kerascppConfigVersion.cmake
        DESTINATION ${KERAS_CONFIG_DIR})
