# Warnings and sanitizers as INTERFACE targets: project targets link them,
# third-party code (gtest, Qt headers) is not affected.
add_library(tlslab_warnings INTERFACE)
add_library(tlslab::warnings ALIAS tlslab_warnings)
target_compile_options(tlslab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
  -Wunused -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  $<$<BOOL:${TLSLAB_WARNINGS_AS_ERRORS}>:-Werror>)

add_library(tlslab_options INTERFACE)
add_library(tlslab::options ALIAS tlslab_options)
if(TLSLAB_SANITIZE)
  target_compile_options(tlslab_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(tlslab_options INTERFACE -fsanitize=address,undefined)
endif()

# In fuzz builds the library is instrumented too, so coverage guides the fuzzer
# through the parsers, not just the harness. No sanitizer recovers: a report
# stops the run with a reproducer instead of scrolling past (UBSan's default).
if(TLSLAB_BUILD_FUZZERS)
  set(TLSLAB_FUZZ_SANITIZERS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(tlslab_options INTERFACE -fsanitize=fuzzer-no-link ${TLSLAB_FUZZ_SANITIZERS})
  target_link_options(tlslab_options INTERFACE ${TLSLAB_FUZZ_SANITIZERS})
endif()
