# trouvere_embed_search_page(HTML OUTPUT)
#
# Writes OUTPUT, a C++ header holding the page HTML as kSearchPage and, as
# kSearchPageSecurityPolicy, the Content-Security-Policy it is served with: its one inline
# <script> and one inline <style> are allowed by their SHA-256 hashes, and nothing else runs or
# loads. Done when CMake configures (so that static checks, which configure without building,
# find the header), and again whenever the page changes.

# `hex` (an even number of hexadecimal digits) as base64, into `out`.
function(_trouvere_hex_to_base64 hex out)
    set(alphabet "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    string(LENGTH "${hex}" length)
    set(encoded "")
    set(at 0)
    while(at LESS length)
        # Three bytes (six digits) make four characters; a last group of one or two bytes is
        # padded with zero bits and its missing characters written as `=`.
        string(SUBSTRING "${hex}" ${at} 6 group)
        string(LENGTH "${group}" digits)
        string(SUBSTRING "${group}000000" 0 6 group)
        math(EXPR bits "0x${group}")
        foreach(shift 18 12 6 0)
            math(EXPR index "(${bits} >> ${shift}) & 63")
            string(SUBSTRING "${alphabet}" ${index} 1 character)
            string(APPEND encoded "${character}")
        endforeach()
        if(digits EQUAL 2)
            string(REGEX REPLACE "..$" "==" encoded "${encoded}")
        elseif(digits EQUAL 4)
            string(REGEX REPLACE ".$" "=" encoded "${encoded}")
        endif()
        math(EXPR at "${at} + 6")
    endwhile()
    set(${out} "${encoded}" PARENT_SCOPE)
endfunction()

# The CSP source allowing the text between `<tag>` and `</tag>` in `page`, into `out`.
function(_trouvere_inline_hash page tag out)
    string(FIND "${page}" "<${tag}>" start)
    string(FIND "${page}" "</${tag}>" end)
    if(start EQUAL -1 OR end EQUAL -1 OR end LESS start)
        message(FATAL_ERROR "the search page needs one <${tag}> element, inline")
    endif()
    string(LENGTH "<${tag}>" opening)
    math(EXPR start "${start} + ${opening}")
    math(EXPR length "${end} - ${start}")
    string(SUBSTRING "${page}" ${start} ${length} inline)
    string(SHA256 digest "${inline}")
    _trouvere_hex_to_base64(${digest} encoded)
    set(${out} "'sha256-${encoded}'" PARENT_SCOPE)
endfunction()

function(trouvere_embed_search_page html output)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${html})
    file(READ ${html} page)
    if(page MATCHES "\\)page\"")
        message(FATAL_ERROR "${html} holds `)page\"`, which ends the raw string it is embedded in")
    endif()
    _trouvere_inline_hash("${page}" script script_source)
    _trouvere_inline_hash("${page}" style style_source)
    set(policy "default-src 'none'; script-src ${script_source}; style-src ${style_source}; ")
    string(APPEND policy "img-src data:; connect-src 'self'; base-uri 'none'; ")
    string(APPEND policy "form-action 'self'; frame-ancestors 'none'; ")
    string(APPEND policy "require-trusted-types-for 'script'")
    file(WRITE ${output}.new
        "// Generated from server/search_page.html by cmake/EmbedSearchPage.cmake: edit those.\n"
        "#pragma once\n\n#include <string_view>\n\nnamespace trouvere::server {\n\n"
        "/// The search page served at /: one file, its style and script inline.\n"
        "inline constexpr std::string_view kSearchPage = R\"page(${page})page\";\n\n"
        "/// The Content-Security-Policy the page is served with: its own inline script and style\n"
        "/// (by hash), requests to its own origin, and nothing else.\n"
        "inline constexpr std::string_view kSearchPageSecurityPolicy =\n"
        "    \"${policy}\";\n\n"
        "}  // namespace trouvere::server\n")
    # Rewritten only when it changes, so that an unchanged page rebuilds nothing.
    file(COPY_FILE ${output}.new ${output} ONLY_IF_DIFFERENT)
    file(REMOVE ${output}.new)
endfunction()
