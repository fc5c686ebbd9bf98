# -DTANDEM_FUZZ=ON (clang only): every target gets libFuzzer coverage plus AddressSanitizer and
# UBSan, so the fuzzers in fuzz/ see faults anywhere in the loaders. See docs/cli.md.
option(TANDEM_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)
if(TANDEM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "TANDEM_FUZZ needs clang: CC=clang CXX=clang++ cmake ... -DTANDEM_FUZZ=ON")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
