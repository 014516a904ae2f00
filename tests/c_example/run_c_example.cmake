# Runs the C example (examples/search_c.c) as a user would, from a fresh database: it indexes the
# bundled articles and answers a query, then answers a misspelt one, then refuses one with
# nothing to search for. Each run's output and exit status must be exactly the expected ones.
#   cmake -DPROGRAM=search_c -DCORPUS=corpus/ -DEXPECTED_DIR=dir -DWORK_DIR=dir -P run_c_example.cmake
file(REMOVE_RECURSE "${WORK_DIR}")
set(database "${WORK_DIR}/db")

# Runs the program with ARGN and checks its exit status, standard output (against the file
# `expected_output` of EXPECTED_DIR, or empty when it is "") and standard error.
function(check_run expected_status expected_output expected_error)
    execute_process(COMMAND "${PROGRAM}" ${ARGN}
        RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE error)
    set(wanted "")
    if(expected_output)
        file(READ "${EXPECTED_DIR}/${expected_output}" wanted)
    endif()
    if(NOT status STREQUAL expected_status OR NOT output STREQUAL wanted
       OR NOT error STREQUAL expected_error)
        list(JOIN ARGN "\" \"" arguments)
        message(FATAL_ERROR "search_c \"${arguments}\": exit status ${status} (expected "
            "${expected_status})\n--- standard output:\n${output}--- expected:\n${wanted}"
            "--- standard error:\n${error}--- expected:\n${expected_error}")
    endif()
endfunction()

check_run(0 accord_militaire.txt "" "${database}" "accord militaire" "${CORPUS}")
check_run(0 accrd_militaire.txt "" "${database}" "accrd militaire")
check_run(2 "" "search_c: nothing to search for in '(('\n" "${database}" "((")
