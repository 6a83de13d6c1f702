# AddressSanitizer + UndefinedBehaviorSanitizer per target, never global, so that a parent
# project inherits nothing. KERAS_BUILD_FUZZERS also adds libFuzzer's coverage
# instrumentation, which needs clang.
set(KERAS_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
                          -fno-sanitize-recover=undefined)

if(KERAS_BUILD_FUZZERS AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "KERAS_BUILD_FUZZERS needs clang's libFuzzer: configure with "
                      "-DCMAKE_CXX_COMPILER=clang++ (Debian: clang-14, libclang-rt-14-dev)")
endif()

function(keras_set_sanitizers target)
  if(NOT KERAS_SANITIZE AND NOT KERAS_BUILD_FUZZERS)
    return()
  endif()
  target_compile_options(${target} PRIVATE ${KERAS_SANITIZER_FLAGS})
  if(KERAS_BUILD_FUZZERS)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
  # PUBLIC: whatever links the (static) library needs the sanitizer runtimes too.
  get_target_property(type ${target} TYPE)
  if(NOT type STREQUAL "OBJECT_LIBRARY")
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()
