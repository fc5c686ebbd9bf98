#include "core/trace_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"

namespace tandem {

void check_trace_output_path(const std::string& path, bool force) {
  namespace fs = std::filesystem;
  if (path.empty()) throw InputError("trace file: the path is empty");
  const auto fail = [&](const std::string& why) {
    throw InputError("trace file '" + path + "': " + why);
  };
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  const bool exists = fs::exists(status);
  if (exists && fs::is_directory(status)) fail("is a directory");
  if (exists && !force) fail("already exists (pass --force to overwrite it)");

  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) {
    const fs::file_status parent_status = fs::status(parent, error);
    if (!fs::exists(parent_status)) fail("directory '" + parent.string() + "' does not exist");
    if (!fs::is_directory(parent_status)) fail("'" + parent.string() + "' is not a directory");
  }
  // Actually opening is the only reliable test (ACLs, read-only mounts, root).
  const int fd = exists ? ::open(path.c_str(), O_WRONLY | O_CLOEXEC)
                        : ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail(std::string("cannot be written: ") + std::strerror(errno));
  ::close(fd);
  if (!exists) ::unlink(path.c_str());
}

}  // namespace tandem
