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

# The same program built with pkg-config alone, as a Makefile or another build system would.
file(GLOB_RECURSE pc_files "${prefix}/*/trouvere.pc")
if(NOT pc_files)
    message(FATAL_ERROR "trouvere.pc was not installed under ${prefix}")
endif()
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir "${pc_file}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
run_step(pkg-config --cflags --libs trouvere)
string(STRIP "${step_output}" pkg_flags)
separate_arguments(pkg_flags UNIX_COMMAND "${pkg_flags}")
run_step(c++ -std=c++20 "${CONSUMER_SOURCE_DIR}/consumer.cc" ${pkg_flags}
         "-Wl,-rpath,${prefix}/lib" -o "${WORK_DIR}/consumer-pkg-config")
run_step("${WORK_DIR}/consumer-pkg-config" "${WORK_DIR}/db-pkg-config")
if(NOT step_output MATCHES "<mark>accord</mark>")
    message(FATAL_ERROR "the pkg-config build did not find the document:\n${step_output}")
endif()

# The commands' manual pages and bash completion are installed where man and bash-completion look.
foreach(installed share/man/man1/search.1 share/man/man1/search-serve.1
        share/man/man1/search-index.1
        share/bash-completion/completions/search share/bash-completion/completions/search-index)
    if(NOT EXISTS "${prefix}/${installed}")
        message(FATAL_ERROR "${installed} was not installed under ${prefix}")
    endif()
endforeach()
