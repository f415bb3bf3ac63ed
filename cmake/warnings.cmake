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
    if(SDCORE_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
