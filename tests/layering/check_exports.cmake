# Lists the dynamic symbols the shared library defines and fails on any outside the public API:
# internal namespaces (trouvere::searcher::, trouvere::stored::, …) or a dependency's own code.
# Type information of a dependency's exception classes is the exception: those classes have
# default visibility in their own headers, so every object that throws or catches one carries a
# weak copy, and exceptions only match across libraries when it is shared.
execute_process(COMMAND nm -D -C --defined-only ${LIBRARY}
    RESULT_VARIABLE result OUTPUT_VARIABLE symbols ERROR_VARIABLE error)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "nm failed on ${LIBRARY}: ${error}")
endif()
if(NOT symbols MATCHES "trouvere::Searcher::search")
    message(FATAL_ERROR "the public API is not exported:\n${symbols}")
endif()
string(REPLACE "\n" ";" lines "${symbols}")
set(leaks "")
foreach(line IN LISTS lines)
    if(line MATCHES " typeinfo (name )?for ")
        continue()
    endif()
    if(line MATCHES "trouvere::[a-z_]+::" OR line MATCHES "Xapian::|icu_[0-9]+::|YAML::|nlohmann::")
        string(APPEND leaks "${line}\n")
    endif()
endforeach()
if(leaks)
    message(FATAL_ERROR "internal symbols exported by ${LIBRARY}:\n${leaks}")
endif()
