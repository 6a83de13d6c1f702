# Warnings per target, never global, so that a parent project inherits nothing.
function(keras_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 flags every member a designated initializer leaves to its default (GCC bug
    # 96868), which is the whole point of the options aggregates.
    target_compile_options(${target} PRIVATE -Wno-missing-field-initializers)
    if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      # False positives of GCC 12 at -O2 inside libstdc++'s std::string and nlohmann/json
      # (GCC bugs 105329 and 105562).
      target_compile_options(${target} PRIVATE -Wno-restrict -Wno-maybe-uninitialized)
    endif()
  endif()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # Clang's -Wconversion also warns on every signed/unsigned index mix, which GCC's does
    # not in C++; the sanitizer build uses clang, and both must accept the same code.
    target_compile_options(${target} PRIVATE -Wno-sign-conversion)
  endif()
  if(KERAS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
