# Runs CMD (a ;-list) with the environment ENV (a ;-list of K=V) and fails unless its exit code is EXPECT.
# Used by the support/* tests of tests/CMakeLists.txt that check how a missing data folder is reported.
cmake_policy(VERSION 3.20)
execute_process(COMMAND ${CMAKE_COMMAND} -E env ${ENV} ${CMD} RESULT_VARIABLE r OUTPUT_VARIABLE o ERROR_VARIABLE e)
if(NOT r STREQUAL "${EXPECT}")
  message(FATAL_ERROR "expected exit code ${EXPECT}, got ${r}:\n${o}\n${e}")
endif()
message(STATUS "exit code ${r} as expected")
