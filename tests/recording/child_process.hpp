// Starts a program as a child process with its stdout on a pipe, so a test can wait for a
// line, signal the child and collect its exit status.
#pragma once

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace tandem::testing {

class ChildProcess {
 public:
  explicit ChildProcess(std::vector<std::string> argv) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<char*> args;
    for (auto& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    const int error = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    read_fd_ = fds[0];
    if (error != 0) throw std::runtime_error("cannot start " + argv[0]);
  }
  ~ChildProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(read_fd_);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Reads stdout until a line equal to `line` arrives; false on timeout or end of output.
  bool wait_for_line(const std::string& line, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      for (std::size_t end; (end = output_.find('\n', scanned_)) != std::string::npos;) {
        const bool match = output_.substr(scanned_, end - scanned_) == line;
        scanned_ = end + 1;
        if (match) return true;
      }
      if (!read_some(100)) return false;
    }
    return false;
  }
  void send(int signal_number) const { kill(pid_, signal_number); }
  // Waits for exit (reading the rest of stdout); returns the raw waitpid status.
  int wait() {
    while (read_some(1000)) {
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  [[nodiscard]] const std::string& output() const { return output_; }

 private:
  // Reads what is available within `timeout_ms`; false once the pipe is closed.
  bool read_some(int timeout_ms) {
    pollfd descriptor{read_fd_, POLLIN, 0};
    if (poll(&descriptor, 1, timeout_ms) <= 0) return true;  // nothing yet
    char buffer[4096];
    const ssize_t got = read(read_fd_, buffer, sizeof buffer);
    if (got <= 0) return false;
    output_.append(buffer, static_cast<std::size_t>(got));
    return true;
  }

  pid_t pid_ = -1;
  int read_fd_ = -1;
  std::string output_;
  std::size_t scanned_ = 0;
};

}  // namespace tandem::testing
