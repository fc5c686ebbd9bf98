#include "core/contained_read.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>

#include "core/error.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define TANDEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TANDEM_ASAN 1
#endif
#endif

namespace tandem {

namespace {

constexpr int exit_read = 0;
constexpr int exit_input_error = 3;
constexpr int exit_out_of_memory = 4;
constexpr int exit_other_error = 5;

// The process's current virtual size in bytes (/proc/self/statm, first field, in pages).
std::size_t virtual_size() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0;
  statm >> pages;
  return pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void run_child(int fd, const std::function<void()>& read, std::size_t memory_bytes) {
#if !defined(TANDEM_ASAN)
  const std::size_t allowed = virtual_size() + memory_bytes;
  const rlimit limit{allowed, allowed};
  setrlimit(RLIMIT_AS, &limit);
#else
  (void)memory_bytes;
#endif
  int code = exit_read;
  try {
    read();
  } catch (const InputError& error) {
    write_all(fd, error.what());
    code = exit_input_error;
  } catch (const std::bad_alloc&) {
    code = exit_out_of_memory;
  } catch (const std::exception& error) {
    write_all(fd, error.what());
    code = exit_other_error;
  } catch (...) {
    code = exit_other_error;
  }
  close(fd);
  _exit(code);  // no atexit handlers, no flushing of the parent's buffers
}

}  // namespace

void check_read_in_child(const std::string& file, const std::function<void()>& read, const ContainmentLimits& limits) {
  std::error_code ignored;
  const auto file_size = std::filesystem::file_size(file, ignored);
  const std::size_t memory =
      limits.memory_bytes != 0 ? limits.memory_bytes
                               : std::max<std::size_t>(std::size_t{1} << 30, 64 * static_cast<std::size_t>(ignored ? 0 : file_size));
  std::array<int, 2> pipe_fds{};
  if (pipe(pipe_fds.data()) != 0) throw RunError(file + ": cannot create a pipe to read the file in a child process");
  const pid_t child = fork();
  if (child < 0) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    throw RunError(file + ": cannot fork a child process to read the file");
  }
  if (child == 0) {
    close(pipe_fds[0]);
    run_child(pipe_fds[1], read, memory);
  }
  close(pipe_fds[1]);
  // Collect the child's message while waiting for it, up to the time limit.
  std::string message;
  int status = 0;
  bool finished = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(limits.seconds);
  while (!finished) {
    pollfd readable{pipe_fds[0], POLLIN, 0};
    if (poll(&readable, 1, 20) > 0) {
      std::array<char, 4096> buffer{};
      const ssize_t n = ::read(pipe_fds[0], buffer.data(), buffer.size());
      if (n > 0) message.append(buffer.data(), static_cast<std::size_t>(n));
    }
    finished = waitpid(child, &status, WNOHANG) == child;
    if (!finished && std::chrono::steady_clock::now() > deadline) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      close(pipe_fds[0]);
      throw InputError(file + ": no answer after " + format_number(limits.seconds) +
                       " s reading it (the HDF5 library loops on this file: it is corrupt)");
    }
  }
  for (std::array<char, 4096> buffer{};;) {  // what the child wrote just before it exited
    const ssize_t n = ::read(pipe_fds[0], buffer.data(), buffer.size());
    if (n <= 0) break;
    message.append(buffer.data(), static_cast<std::size_t>(n));
  }
  close(pipe_fds[0]);
  if (WIFSIGNALED(status)) {
    throw InputError(file + ": reading it crashed the HDF5 library (" + std::string(strsignal(WTERMSIG(status))) +
                     "; the file is corrupt)");
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : exit_other_error;
  if (code == exit_read) return;
  if (code == exit_input_error) throw InputError(message);
  if (code == exit_out_of_memory) {
    throw InputError(file + ": reading it needs more than " + format_number(static_cast<double>(memory) / (1 << 20)) +
                     " MiB (the file declares sizes it does not hold: it is corrupt)");
  }
  throw InputError(file + ": reading it failed in the HDF5 library" + (message.empty() ? std::string() : ": " + message) +
                   " (exit " + std::to_string(code) + ")");
}

}  // namespace tandem
