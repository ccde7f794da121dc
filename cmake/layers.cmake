# nest_layer(NAME FOLDERS folder... [LAYERS lower-layer...] [LIBS library...])
#
# Adds the static library nest_NAME from the *.cc files of FOLDERS (tests and
# cli/main.cc excepted), linked PRIVATE to the LAYERS below it and to LIBS.
# Its include root, build/layers/NAME, links to FOLDERS and to every folder
# of the LAYERS (recursively), and to nothing else: a file of this layer can
# include headers of its own layer and of the layers below, and an include
# of a layer above fails with "No such file or directory".
# The layers are recorded, lowest first, in the global property NEST_LAYERS
# and in build/layers/order.txt.
function(nest_layer name)
  cmake_parse_arguments(LAYER "" "" "FOLDERS;LAYERS;LIBS" ${ARGN})
  set(sources)
  foreach(folder IN LISTS LAYER_FOLDERS)
    file(GLOB found CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${folder}/*.cc)
    list(APPEND sources ${found})
  endforeach()
  list(FILTER sources EXCLUDE REGEX ".*_test\\.cc$")
  list(FILTER sources EXCLUDE REGEX ".*/cli/main\\.cc$")
  add_library(nest_${name} STATIC ${sources})

  # Folders visible to this layer: its own and those of the layers below.
  set(visible ${LAYER_FOLDERS})
  foreach(lower IN LISTS LAYER_LAYERS)
    if(NOT TARGET nest_${lower})
      message(FATAL_ERROR "layer ${name}: `${lower}` is not a layer declared before it")
    endif()
    get_property(lower_folders GLOBAL PROPERTY NEST_LAYER_FOLDERS_${lower})
    list(APPEND visible ${lower_folders})
  endforeach()
  list(REMOVE_DUPLICATES visible)
  set_property(GLOBAL PROPERTY NEST_LAYER_FOLDERS_${name} ${visible})

  # One link per folder, except where a parent folder is linked already
  # (providers/ covers providers/engine/): a folder holds only its own
  # layer's and lower layers' code, so linking a parent exposes nothing above.
  set(root ${CMAKE_BINARY_DIR}/layers/${name})
  file(REMOVE_RECURSE ${root})
  foreach(folder IN LISTS visible)
    set(covered FALSE)
    foreach(other IN LISTS visible)
      string(FIND "${folder}" "${other}/" at)
      if(at EQUAL 0)
        set(covered TRUE)
      endif()
    endforeach()
    if(NOT covered)
      get_filename_component(parent ${root}/${folder} DIRECTORY)
      file(MAKE_DIRECTORY ${parent})
      file(CREATE_LINK ${CMAKE_SOURCE_DIR}/${folder} ${root}/${folder} SYMBOLIC)
    endif()
  endforeach()

  target_include_directories(nest_${name} PUBLIC ${root})
  set(lower_targets ${LAYER_LAYERS})
  list(TRANSFORM lower_targets PREPEND nest_)
  target_link_libraries(nest_${name} PRIVATE ${lower_targets} ${LAYER_LIBS})
  set_property(GLOBAL APPEND PROPERTY NEST_LAYERS nest_${name})

  # build/layers/order.txt: "NAME folder..." a line, lowest layer first, for
  # tools/check-layers.
  get_property(started GLOBAL PROPERTY NEST_LAYER_ORDER_STARTED)
  if(NOT started)
    file(WRITE ${CMAKE_BINARY_DIR}/layers/order.txt "")
    set_property(GLOBAL PROPERTY NEST_LAYER_ORDER_STARTED TRUE)
  endif()
  string(JOIN " " own ${LAYER_FOLDERS})
  file(APPEND ${CMAKE_BINARY_DIR}/layers/order.txt "${name} ${own}\n")
endfunction()
