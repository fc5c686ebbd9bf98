# Settings every tandem target shares: warnings on, optional sanitizers, no -ffast-math
# (it would break the bit-exact equivalence between execution modes and between runs).
function(tandem_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wno-missing-field-initializers -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  if(TANDEM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(TANDEM_NATIVE)
    target_compile_options(${target} PRIVATE -march=native)
  endif()
endfunction()

if(TANDEM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
