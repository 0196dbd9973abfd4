// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/io/atomic_file.h"

#include <c10/util/Exception.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace infozoo::io {
namespace {

namespace fs = std::filesystem;

std::string reason(int err) { return std::strerror(err); }

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  TORCH_CHECK(!path_.empty(), "cannot write a file with an empty name");
  const fs::path target(path_);
  std::error_code ec;
  TORCH_CHECK(!fs::is_directory(target, ec), "cannot write '", path_, "': it is a directory");
  TORCH_CHECK(target.has_filename(), "cannot write '", path_, "': the path names no file");
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  // Same folder, hence same file system: the final rename is atomic.
  temp_ = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
  fd_ = ::mkstemp(temp_.data());
  TORCH_CHECK(fd_ >= 0, "cannot write '", path_, "': ", reason(errno));
  // mkstemp makes the file private (0600); the result gets the usual 0666 & ~umask.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) std::remove(temp_.c_str());
}

void AtomicFile::write(const void* data, std::size_t size) {
  TORCH_CHECK(fd_ >= 0, "cannot write '", path_, "': the file is already committed");
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, p, size);
    if (n < 0 && errno == EINTR) continue;
    TORCH_CHECK(n > 0, "writing '", path_, "' failed: ", reason(n < 0 ? errno : EIO));
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

void AtomicFile::commit() {
  TORCH_CHECK(fd_ >= 0, "cannot write '", path_, "': the file is already committed");
  // Without fsync a crash soon after the rename could leave the new name on an empty file.
  const int synced = ::fsync(fd_);
  const int sync_error = errno;
  const int closed = ::close(fd_);
  const int close_error = errno;
  fd_ = -1;
  TORCH_CHECK(synced == 0, "writing '", path_, "' failed: ", reason(sync_error));
  TORCH_CHECK(closed == 0, "writing '", path_, "' failed: ", reason(close_error));
  TORCH_CHECK(std::rename(temp_.c_str(), path_.c_str()) == 0, "cannot write '", path_,
              "': ", reason(errno));
  committed_ = true;
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  AtomicFile file(path);
  file.write(bytes.data(), bytes.size());
  file.commit();
}

}  // namespace infozoo::io
