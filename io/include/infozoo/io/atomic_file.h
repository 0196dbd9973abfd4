// SPDX-License-Identifier: BSD-3-Clause
// Files that appear under their name only once complete: written to a hidden temporary file in
// the target folder and renamed into place (rename(2) within one file system is atomic), so an
// interrupted or failing run never leaves a half-written weights file or picture behind.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace infozoo::io {

/// A file being written to `path` through a temporary `.NAME.XXXXXX` beside it. commit()
/// flushes it to disk and renames it to `path`; destroyed without commit() (an exception while
/// writing), it removes the temporary and `path` is untouched. Errors are c10::Error naming `path`
/// and the system's reason. Writers that need a file name (e.g. PLplot) write to temp_path().
/// Example:
///   AtomicFile file("weights.pt");
///   file.write(bytes.data(), bytes.size());
///   file.commit();
class AtomicFile {
 public:
  /// Creates the temporary `.NAME.XXXXXX` in `path`'s folder (mode 0666 & ~umask, as a plain
  /// file would get). Throws c10::Error naming `path` when it is empty, a directory, or its
  /// folder is missing or not writable.
  /// Example: `AtomicFile file("out/weights.pt");` (needs the folder out/).
  explicit AtomicFile(std::string path);

  /// Closes the file; without commit() also removes the temporary, leaving `path` as it was.
  /// Example: `{ AtomicFile file("w.pt"); file.write("x", 1); }` leaves no w.pt behind.
  ~AtomicFile();

  /// Not copyable: one owner removes or renames the temporary.
  /// Example: pass an AtomicFile by reference, or hold it in a std::unique_ptr.
  AtomicFile(const AtomicFile&) = delete;

  /// Not copyable, as the copy constructor.
  /// Example: `auto file = std::make_unique<AtomicFile>("w.pt");` to hand it on.
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Appends `size` bytes of `data`; throws c10::Error naming path() and the system's reason
  /// when the disk refuses them, or after commit().
  /// Example: `file.write(bytes.data(), bytes.size());`
  void write(const void* data, std::size_t size);

  /// Syncs, closes and renames the temporary to path(); nothing can be written afterwards.
  /// Whatever was written through temp_path() by another writer (which must have closed it)
  /// is renamed with it.
  /// Example: `file.commit();` after the last write().
  void commit();

  /// The file's final name, as given to the constructor.
  /// Example: `AtomicFile("w.pt").path()` is "w.pt".
  const std::string& path() const { return path_; }

  /// The temporary's name, for writers that open files by name (PLplot's plsfnam): they write
  /// it and close it before commit().
  /// Example: `plsfnam(file.temp_path().c_str());` (e.g. "./.plot.png.a1B2c3").
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
