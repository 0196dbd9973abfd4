// SPDX-License-Identifier: BSD-3-Clause
// AtomicFile: the content arrives whole under its name or not at all, failures name the path and
// the system's reason, and no temporary file is ever left in the folder.
#include "infozoo/io/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <c10/util/Exception.h>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "test_support.h"

namespace infozoo::io {
namespace {

using infozoo::test_support::error_of;
using infozoo::test_support::TempDir;

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename());
    return names;
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  TempDir tmp_{"infozoo_atomic"};
  const fs::path dir_ = tmp_.path;
};

TEST_F(AtomicFileTest, CommitPutsTheWholeContentUnderTheName) {
  const auto path = (dir_ / "w.pt").string();
  write_file_atomically(path, "first");
  write_file_atomically(path, "second, longer");  // replaces
  EXPECT_EQ(read(path), "second, longer");
  EXPECT_EQ(listing(), std::vector<std::string>{"w.pt"});
}

TEST_F(AtomicFileTest, NothingUnderTheNameBeforeCommit) {
  const auto path = (dir_ / "w.pt").string();
  AtomicFile file(path);
  file.write("abc", 3);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(fs::path(file.temp_path()).parent_path(), dir_);  // same folder: atomic rename
  file.commit();
  EXPECT_EQ(read(path), "abc");
  EXPECT_NE(error_of([&] { file.write("d", 1); }).find("is already committed"), std::string::npos);
}

TEST_F(AtomicFileTest, AbandonedFileLeavesNothingAndKeepsTheOldContent) {
  const auto path = (dir_ / "w.pt").string();
  write_file_atomically(path, "old");
  try {
    AtomicFile file(path);
    file.write("half of the new", 15);
    throw std::runtime_error("interrupted");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(read(path), "old");
  EXPECT_EQ(listing(), std::vector<std::string>{"w.pt"});
}

TEST_F(AtomicFileTest, MissingFolderIsAClearError) {
  const auto path = (dir_ / "no_such_folder" / "w.pt").string();
  EXPECT_EQ(error_of([&] { write_file_atomically(path, "x"); }),
            "cannot write '" + path + "': No such file or directory");
  EXPECT_TRUE(listing().empty());
}

TEST_F(AtomicFileTest, ParentIsAFileIsAClearError) {
  write_file_atomically((dir_ / "f").string(), "x");
  const auto path = (dir_ / "f" / "w.pt").string();
  EXPECT_EQ(error_of([&] { write_file_atomically(path, "x"); }),
            "cannot write '" + path + "': Not a directory");
}

TEST_F(AtomicFileTest, DirectoryOrEmptyNameIsAClearError) {
  EXPECT_EQ(error_of([&] { AtomicFile f(dir_.string()); }),
            "cannot write '" + dir_.string() + "': it is a directory");
  EXPECT_EQ(error_of([] { AtomicFile f(""); }), "cannot write a file with an empty name");
}

TEST_F(AtomicFileTest, UnwritableFolderIsAClearError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only folders";
  fs::create_directory(dir_ / "ro");
  fs::permissions(dir_ / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  const auto path = (dir_ / "ro" / "w.pt").string();
  EXPECT_EQ(error_of([&] { write_file_atomically(path, "x"); }),
            "cannot write '" + path + "': Permission denied");
  fs::permissions(dir_ / "ro", fs::perms::owner_all);
}

// A write that fails half-way (here: the file size limit, as a full disk would) is an error
// naming the path, and neither the name nor a temporary file is left.
TEST_F(AtomicFileTest, FailedWriteIsAnErrorAndLeavesNothing) {
  const auto path = (dir_ / "big.pt").string();
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string message =
      error_of([&] { write_file_atomically(path, std::string(4096, 'x')); });
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_EQ(message, "writing '" + path + "' failed: File too large");
  EXPECT_TRUE(listing().empty());
}

}  // namespace
}  // namespace infozoo::io
