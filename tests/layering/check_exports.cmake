# Lists the dynamic symbols the shared library defines and fails on any outside the public API:
# internal namespaces (trouvere::searcher::, trouvere::stored::, …) or a dependency's own code.
# A dependency's own classes have default visibility in its headers, so the weak copies of their
# inline functions (kept out of line in a build without optimisation) and of their type
# information (every object that throws or catches one of its exceptions carries one, and
# exceptions only match across libraries when it is shared) are exported with them: weak symbols
# of a dependency are not ours to hide.
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
    # Internal namespaces, and the implementations the public classes hold (even in the weak
    # copies of templates instantiated over them).
    if(line MATCHES "trouvere::[a-z_]+::" OR line MATCHES "trouvere::[A-Za-z]+::Impl")
        string(APPEND leaks "${line}\n")
    elseif(line MATCHES "Xapian::|icu_[0-9]+::|YAML::|nlohmann::" AND NOT line MATCHES " [VWvw] ")
        string(APPEND leaks "${line}\n")
    endif()
endforeach()
if(leaks)
    message(FATAL_ERROR "internal symbols exported by ${LIBRARY}:\n${leaks}")
endif()
