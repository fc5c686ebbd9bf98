// The rules for a trace's output path, checked before a run starts so a run never fails at
// its end for want of a writable file, and never silently replaces an earlier trace.
#pragma once

#include <string>

namespace tandem {

// InputError (naming the file) when `path` is empty or a directory, exists and `force` is
// false (the message says --force overwrites), or cannot be created/written: missing
// directory, no permission, read-only file system. Probes writability by creating the file
// (and removing it again) or opening an existing one without truncating it.
void check_trace_output_path(const std::string& path, bool force);

}  // namespace tandem
