# Runs the built CLI the way a user would and checks exit codes and a figure computed
# independently: adult.csv has 30,162 records (data README), and every class of `sex` is larger
# than 1, so there are no sample uniques on that key.
execute_process(COMMAND ${SDCORE_CLI} --version RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(rc OR NOT out MATCHES "^sdcore [0-9]+\\.[0-9]+\\.[0-9]+")
  message(FATAL_ERROR "--version: exit ${rc}, output '${out}'")
endif()
execute_process(COMMAND ${SDCORE_CLI} classes ${DATA} --qi sex --format json -q
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(rc)
  message(FATAL_ERROR "classes failed with exit ${rc}")
endif()
string(JSON records GET "${out}" records)
string(JSON uniques GET "${out}" sample_uniques)
if(NOT records EQUAL 30162 OR NOT uniques EQUAL 0)
  message(FATAL_ERROR "records=${records} sample_uniques=${uniques}")
endif()
execute_process(COMMAND ${SDCORE_CLI} classes ${DATA} --qi nope -q RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 3)
  message(FATAL_ERROR "unknown column: expected exit 3, got ${rc}: ${err}")
endif()
