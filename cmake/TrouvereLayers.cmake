# trouvere_layer(NAME FOLDER folder [MAIN main.cc] [PUBLIC deps...] [PRIVATE deps...])
#
# Defines the static library trouvere_NAME from FOLDER/*.cc, but for the command's MAIN that lives
# beside it, and makes FOLDER's headers reachable as "FOLDER/header.h" to it and to what links it,
# and to nothing else. Sources are globbed: a new file beside its peers joins its layer.
#
# Sources include each other's headers by folder ("core/limits.h"), so putting the source root
# on the include path would let any file include any header. Instead each layer gets an include
# root of its own in the build tree, holding one link: FOLDER, to the source folder. A layer
# that links another sees that layer's root; a header of a layer it does not link is not found,
# and the build fails there. The public headers (include/trouvere) are reachable from every layer.
set(TROUVERE_LAYERS "" CACHE INTERNAL "")

function(trouvere_layer name)
    cmake_parse_arguments(PARSE_ARGV 1 layer "" "FOLDER;MAIN" "PUBLIC;PRIVATE")
    set(target trouvere_${name})
    file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${layer_FOLDER}/*.cc)
    if(layer_MAIN)
        list(REMOVE_ITEM sources ${PROJECT_SOURCE_DIR}/${layer_FOLDER}/${layer_MAIN})
    endif()

    set(root ${PROJECT_BINARY_DIR}/layers/${layer_FOLDER})
    file(MAKE_DIRECTORY ${root})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${layer_FOLDER} ${root}/${layer_FOLDER} SYMBOLIC)

    add_library(${target} STATIC ${sources})
    target_include_directories(${target} PUBLIC
        $<BUILD_INTERFACE:${root}>
        $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
        $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>)
    target_link_libraries(${target} PUBLIC ${layer_PUBLIC} PRIVATE ${layer_PRIVATE})
    set(TROUVERE_LAYERS ${TROUVERE_LAYERS} ${target} CACHE INTERNAL "")
endfunction()
