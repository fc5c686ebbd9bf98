// Reading files from untrusted sources through a library that may crash, exhaust memory or hang
// on a corrupted file before tandem sees any of its content (libhdf5 1.10 does all three on
// inputs in fuzz/known/). The read runs first in a forked child process with a memory and a
// time limit; if the child crashes, runs out of memory or time, the caller gets an InputError
// naming the file and what happened, and the process itself never touched the file. If the child
// succeeds the read is repeated here (the child's result is not copied back: the cost is reading
// the file twice). An InputError the child raises is raised here with the same message.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace tandem {

struct ContainmentLimits {
  double seconds = 30.0;  // wall time the child may take
  // Address space the child may add (not enforced under AddressSanitizer, which reserves huge
  // shadow regions; ASan then reports the allocation itself). 0: max(1 GiB, 64 × file size).
  std::size_t memory_bytes = 0;
  // Skip the child and read here: for the fuzzers, whose sanitizers must see tandem's own faults.
  bool in_process = false;
};

// Runs `read` in a child process; returns when it finished without error, else throws
// InputError "<file>: <problem>".
void check_read_in_child(const std::string& file, const std::function<void()>& read, const ContainmentLimits& limits = {});

// check_read_in_child, then `read()` here; returns its result.
template <typename Read>
auto read_contained(const std::string& file, Read&& read, const ContainmentLimits& limits = {}) {
  if (!limits.in_process) check_read_in_child(file, [&] { (void)read(); }, limits);
  return read();
}

}  // namespace tandem
