// The two kinds of failure tandem reports, and the exit codes they map to:
// InputError (bad file, option, parameter or shape: exit 2) and RunError (the run failed: exit 1).
#pragma once

#include <stdexcept>
#include <string>

namespace tandem {

inline constexpr int exit_ok = 0;
inline constexpr int exit_run_failed = 1;
inline constexpr int exit_bad_input = 2;

// Bad input: the message names the file, the place and the problem.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A well-formed run that could not complete (I/O failure, numerical blow-up, interruption).
class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Shortest round-trip text for a number in error messages ("0.1", "nan", "-inf").
std::string format_number(double value);

}  // namespace tandem
