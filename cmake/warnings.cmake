# sdcore_set_warnings(<target>): the project's warning set, applied to every target we compile.
# -Werror only when SDCORE_WERROR is ON (CI), so that a newer compiler on a user's machine
# cannot break their build.
function(sdcore_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4)
    if(SDCORE_WERROR)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
    # GCC 12 at -O3 reports -Wrestrict inside libstdc++'s std::string operator+ for code that
    # only concatenates strings, a known false positive fixed in GCC 13; it is not about our code.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE -Wno-restrict)
    endif()
    if(SDCORE_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
