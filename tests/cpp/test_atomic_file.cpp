#include <gtest/gtest.h>

#include <sys/resource.h>

#include <csignal>
#include <filesystem>

#include "detail/atomic_file.hpp"
#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "test_support.hpp"

using namespace sdcore;
namespace fs = std::filesystem;

namespace {
std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}
}  // namespace

TEST(AtomicFile, CommitReplacesTarget) {
  test::TempDir dir;
  const auto path = dir.file("out.csv");
  test::write_text(path, "old");
  detail::write_file_atomic(path, "new");
  EXPECT_EQ(test::read_text(path), "new");
  EXPECT_EQ(entries(dir.path()), 1u);  // no temporary left behind
}

TEST(AtomicFile, UncommittedLeavesTargetUntouched) {
  test::TempDir dir;
  const auto path = dir.file("out.csv");
  test::write_text(path, "old");
  {
    detail::AtomicFile f(path);
    f.write("half-written");
    EXPECT_TRUE(fs::exists(f.temp_path()));
  }  // destroyed without commit, as when an exception unwinds
  EXPECT_EQ(test::read_text(path), "old");
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicFile, UnwritableFolderIsIoError) {
  EXPECT_THROW(detail::write_file_atomic("/nonexistent-dir/out.csv", "x"), IoError);
  const Table t = read_csv_text("a\n1\n");
  try {
    write_csv(t, "/nonexistent-dir/out.csv");
    FAIL();
  } catch (const IoError& e) {
    EXPECT_EQ(e.path(), "/nonexistent-dir/out.csv");
  }
}

TEST(AtomicFile, WriteFailureMidwayLeavesTargetAndNoTemp) {
  // A real failing write(): with RLIMIT_FSIZE lowered, the kernel refuses to grow any file past
  // the limit (EFBIG), as a full disk refuses with ENOSPC. Works for root too.
  test::TempDir dir;
  const auto path = dir.file("out.csv");
  test::write_text(path, "old");
  std::string text = "a\n";
  for (int i = 0; i < 200000; ++i) text += "row" + std::to_string(i) + "\n";
  const Table t = read_csv_text(text);

  struct rlimit old_limit {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  auto* old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old_limit;
  small.rlim_cur = 64 * 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  bool threw = false;
  try {
    write_csv(t, path);
  } catch (const IoError&) {
    threw = true;
  }
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_TRUE(threw);
  EXPECT_EQ(test::read_text(path), "old");
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicFile, SeveralFilesAreReplacedTogether) {
  test::TempDir dir;
  const auto csv = dir.file("out.csv"), cert = dir.file("out.csv.certificate.json");
  test::write_text(csv, "old csv");
  detail::write_files_atomic({{csv, "new csv"}, {cert, "new cert"}});  // one old, one new target
  EXPECT_EQ(test::read_text(csv), "new csv");
  EXPECT_EQ(test::read_text(cert), "new cert");
  EXPECT_EQ(entries(dir.path()), 2u);  // no temporary or backup left behind
}

TEST(AtomicFile, AFailedSecondRenamePutsTheFirstBack) {
  // The second target is a non-empty folder, so renaming a file over it fails (EISDIR) after the
  // first target was replaced: the first must be back as it was, with no file left over.
  test::TempDir dir;
  const auto first = dir.file("a.csv");
  const auto second = dir.path() / "b";
  fs::create_directory(second);
  test::write_text((second / "keep").string(), "x");
  test::write_text(first, "old a");
  EXPECT_THROW(detail::write_files_atomic({{first, "new a"}, {second.string(), "new b"}}), IoError);
  EXPECT_EQ(test::read_text(first), "old a");
  EXPECT_EQ(entries(dir.path()), 2u);
  // A first target that did not exist before is removed again.
  const auto fresh = dir.file("c.csv");
  EXPECT_THROW(detail::write_files_atomic({{fresh, "new c"}, {second.string(), "new b"}}), IoError);
  EXPECT_FALSE(fs::exists(fresh));
  EXPECT_EQ(entries(dir.path()), 2u);
}

TEST(AtomicFile, AFailedWriteOfTheSecondLeavesBothAsTheyWere) {
  test::TempDir dir;
  const auto first = dir.file("a.csv");
  test::write_text(first, "old a");
  EXPECT_THROW(detail::write_files_atomic({{first, "new a"}, {"/nonexistent-dir/b.csv", "b"}}), IoError);
  EXPECT_EQ(test::read_text(first), "old a");
  EXPECT_EQ(entries(dir.path()), 1u);
}
