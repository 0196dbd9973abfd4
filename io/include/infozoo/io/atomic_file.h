// Files that appear under their name only once complete: written to a hidden temporary file in
// the target folder and renamed into place (rename(2) within one file system is atomic), so an
// interrupted or failing run never leaves a half-written weights file or picture behind.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace infozoo::io {

/// A file being written to `path` through a temporary `.<name>.XXXXXX` beside it. commit()
/// flushes it to disk and renames it to `path`; destroyed without commit() (an exception while
/// writing), it removes the temporary and `path` is untouched. Errors are c10::Error naming `path`
/// and the system's reason. Writers that need a file name (e.g. PLplot) write to temp_path().
/// Example:
///   AtomicFile file("weights.pt");
///   file.write(bytes.data(), bytes.size());
///   file.commit();
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Appends `size` bytes.
  void write(const void* data, std::size_t size);

  /// Syncs, closes and renames the temporary to path(); nothing can be written afterwards.
  void commit();

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_; }

 private:
  std::string path_;
  std::string temp_;
  int fd_ = -1;
  bool committed_ = false;
};

/// Writes `bytes` to `path` through an AtomicFile: either the whole content arrives or, on error,
/// a c10::Error naming the path and nothing is left behind.
/// Example: `write_file_atomically("out.json", json.dump())`.
void write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace infozoo::io
