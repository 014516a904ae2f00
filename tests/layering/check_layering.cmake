# Builds the two probes of tests/layering: the allowed include must build, and the forbidden one
# must fail because the header is not found, not for any other reason.
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target layering_probe_allowed
    RESULT_VARIABLE allowed_result OUTPUT_VARIABLE allowed_output ERROR_VARIABLE allowed_output)
if(NOT allowed_result EQUAL 0)
    message(FATAL_ERROR "a header of a layer the searcher links did not build:\n${allowed_output}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target layering_probe_forbidden
    RESULT_VARIABLE forbidden_result OUTPUT_VARIABLE forbidden_output ERROR_VARIABLE forbidden_output)
if(forbidden_result EQUAL 0)
    message(FATAL_ERROR "the searching layer included a document reader's header")
endif()
if(NOT forbidden_output MATCHES "readers/readers\\.h: No such file")
    message(FATAL_ERROR "the forbidden include failed for another reason:\n${forbidden_output}")
endif()
