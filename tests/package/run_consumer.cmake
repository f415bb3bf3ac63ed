# Configures, builds and runs one consumer project; fails on any step or a wrong answer. Debug:
# what is tested is how the project is consumed, and an unoptimised build of the library takes
# half the time (this test was the long pole of CI's ctest).
file(REMOVE_RECURSE ${WORK})
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${CONSUMER} -B ${WORK} -G ${GENERATOR}
          -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM} -DCMAKE_PREFIX_PATH=${PREFIX}
          -DSDCORE_SOURCE=${SDCORE_SOURCE} -DCMAKE_BUILD_TYPE=Debug
          "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}"
  RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the ${KIND} consumer failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK} -j 2 RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the ${KIND} consumer failed")
endif()
execute_process(COMMAND ${WORK}/consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
# The consumer's table has classes {a,x}: 2 rows, {b,y}: 1 row, so it prints "2 1 2".
if(rc OR NOT out STREQUAL "2 1 2\n")
  message(FATAL_ERROR "the ${KIND} consumer printed '${out}' (exit ${rc}), expected '2 1 2'")
endif()
message(STATUS "${KIND} consumer OK")
