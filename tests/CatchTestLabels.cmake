# Gives each test that catch_discover_tests found its Catch tags as CTest labels, so that
# `ctest -L snippet` runs the tests tagged [snippet]. Catch2 2's own discovery sets no labels, and
# its --list-tests output wraps long names, so the tags are asked one by one: the names that
# `--list-test-names-only "[tag]"` prints get that tag's label. A test without tags is labelled
# `untagged`. A test name with `;` fails the build: catch_discover_tests would cut it in two, and
# neither half would run.
#
# Included from a CMakeLists.txt, it defines trouvere_label_catch_tests(TARGET), to call after
# catch_discover_tests(TARGET): after each link, this same file runs as a script (cmake -P) on the
# new executable and writes the labels, which CTest reads after the discovered tests.

if(NOT CMAKE_SCRIPT_MODE_FILE)
    set(_TROUVERE_CATCH_LABELS_SCRIPT ${CMAKE_CURRENT_LIST_FILE}
        CACHE INTERNAL "the script that writes the labels of Catch tests")

    function(trouvere_label_catch_tests target)
        set(labels_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_labels.cmake")
        set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_labels_include.cmake")
        add_custom_command(TARGET ${target} POST_BUILD
            BYPRODUCTS "${labels_file}"
            COMMAND "${CMAKE_COMMAND}"
                -D "TEST_EXECUTABLE=$<TARGET_FILE:${target}>"
                -D "LABELS_FILE=${labels_file}"
                -P "${_TROUVERE_CATCH_LABELS_SCRIPT}"
            VERBATIM)
        file(WRITE "${include_file}"
            "if(EXISTS \"${labels_file}\")\n"
            "  include(\"${labels_file}\")\n"
            "endif()\n")
        set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
    endfunction()
    return()
endif()

cmake_policy(VERSION 3.16)

# The test names, one list element each. A `[` or `]` in a name would nest CMake list elements:
# they are swapped for control characters here and back when written.
string(ASCII 2 open_mark)
string(ASCII 3 close_mark)
function(list_test_names out)
    execute_process(COMMAND "${TEST_EXECUTABLE}" ${ARGN} --list-test-names-only
        OUTPUT_VARIABLE listing RESULT_VARIABLE result)
    # Catch exits with the number of tests listed; anything but a number is a failure.
    if(NOT result MATCHES "^[0-9]+$")
        message(FATAL_ERROR "${TEST_EXECUTABLE} ${ARGN} --list-test-names-only: ${result}")
    endif()
    # catch_discover_tests of Catch2 2 cuts a name at `;` into two tests, which match no test
    # case: the test would never run.
    string(REGEX MATCHALL "[^\n]*;[^\n]*" cut "${listing}")
    if(cut)
        message(FATAL_ERROR "test names with `;`, which CTest would not run: ${cut}")
    endif()
    string(REPLACE "[" "${open_mark}" listing "${listing}")
    string(REPLACE "]" "${close_mark}" listing "${listing}")
    string(REPLACE "\n" ";" names "${listing}")
    list(FILTER names EXCLUDE REGEX "^$")
    set(${out} "${names}" PARENT_SCOPE)
endfunction()

execute_process(COMMAND "${TEST_EXECUTABLE}" --list-tags
    OUTPUT_VARIABLE tag_listing RESULT_VARIABLE result)
if(NOT result MATCHES "^[0-9]+$")
    message(FATAL_ERROR "${TEST_EXECUTABLE} --list-tags: ${result}")
endif()
# Lines like "  21  [analysis]"; hidden ([.], [.name]) and special ([!mayfail], [#file]) tags
# are no labels.
string(REGEX MATCHALL "\n +[0-9]+  \\[[^]\n]+\\]" tag_lines "${tag_listing}")
set(tags "")
foreach(line IN LISTS tag_lines)
    string(REGEX REPLACE "^\n +[0-9]+  \\[(.+)\\]$" "\\1" tag "${line}")
    if(NOT tag MATCHES "^[.!#]")
        list(APPEND tags "${tag}")
        list_test_names(tagged_${tag} "[${tag}]")
    endif()
endforeach()

list_test_names(all_names)
set(script "")
foreach(name IN LISTS all_names)
    set(labels "")
    foreach(tag IN LISTS tags)
        if(name IN_LIST tagged_${tag})
            list(APPEND labels "${tag}")
        endif()
    endforeach()
    if(NOT labels)
        set(labels untagged)
    endif()
    string(REPLACE "${open_mark}" "[" name "${name}")
    string(REPLACE "${close_mark}" "]" name "${name}")
    string(APPEND script "set_tests_properties([==[${name}]==] PROPERTIES LABELS \"${labels}\")\n")
endforeach()
file(WRITE "${LABELS_FILE}" "${script}")
