# l2s_discover_tests(<target> PREFIX <prefix> [ENVIRONMENT <k=v>...])
# Registers every doctest test case of <target> with ctest, one ctest test per case, labelled by the
# doctest test suite it belongs to (for the suites listed in L2S_TEST_LABEL_SUITES, e.g. "slow").
# Replaces doctest_discover_tests(ADD_LABELS), which drops the label of any case whose name contains a
# comma (doctest 2.4.9 splits --test-case filters at commas).
set(L2S_TEST_LABEL_SUITES slow concurrency CACHE STRING "doctest test suites turned into ctest labels")
set(_l2s_doctest_script ${CMAKE_CURRENT_LIST_DIR}/l2s_doctest_add.cmake)

function(l2s_discover_tests target)
  cmake_parse_arguments(A "" "PREFIX" "ENVIRONMENT" ${ARGN})
  set(base "${CMAKE_CURRENT_BINARY_DIR}/${target}")
  set(include_file "${base}_include.cmake")
  set(tests_file "${base}_tests.cmake")
  file(WRITE "${include_file}"
    "if(EXISTS \"$<TARGET_FILE:${target}>\")\n"
    "  if(NOT EXISTS \"${tests_file}\" OR \"$<TARGET_FILE:${target}>\" IS_NEWER_THAN \"${tests_file}\")\n"
    "    execute_process(COMMAND \"${CMAKE_COMMAND}\" \"-DEXE=$<TARGET_FILE:${target}>\" \"-DPREFIX=${A_PREFIX}\"\n"
    "      \"-DOUT=${tests_file}\" \"-DSUITES=${L2S_TEST_LABEL_SUITES}\" \"-DENV=${A_ENVIRONMENT}\"\n"
    "      \"-DWORKDIR=${CMAKE_CURRENT_BINARY_DIR}\" -P \"${_l2s_doctest_script}\" RESULT_VARIABLE r)\n"
    "    if(NOT r EQUAL 0)\n"
    "      message(FATAL_ERROR \"test discovery failed for ${target}\")\n"
    "    endif()\n"
    "  endif()\n"
    "  include(\"${tests_file}\")\n"
    "else()\n"
    "  add_test(${A_PREFIX}NOT_BUILT ${target}_NOT_BUILT)\n"
    "endif()\n")
  file(GENERATE OUTPUT "${include_file}" INPUT "${include_file}")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
