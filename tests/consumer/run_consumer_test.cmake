# Installs the built project into a scratch prefix, builds tests/consumer against it with
# find_package(Trouvere), and runs the result.
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

function(run_step)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "step failed (${result}): ${ARGN}\n${out}")
    endif()
    set(step_output "${out}" PARENT_SCOPE)
endfunction()

run_step(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
run_step(${CMAKE_COMMAND} -S "${CONSUMER_SOURCE_DIR}" -B "${WORK_DIR}/build" -G Ninja
         "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_INSTALL_RPATH=${prefix}/lib")
run_step(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run_step("${WORK_DIR}/build/consumer" "${WORK_DIR}/db")
if(NOT step_output MATCHES "<mark>accord</mark>")
    message(FATAL_ERROR "consumer did not find the document:\n${step_output}")
endif()
