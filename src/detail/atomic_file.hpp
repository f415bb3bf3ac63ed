#pragma once
// Atomic output: bytes go to a temporary file beside the target, which is flushed to disk and
// renamed over the target only on commit(). Until then the target is untouched; if the object
// dies uncommitted (an exception, a full disk) the temporary file is removed.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sdcore::detail {

class AtomicFile {
 public:
  explicit AtomicFile(std::string path);  // IoError if the temporary file cannot be created
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes);  // IoError on failure (e.g. ENOSPC)
  void flush();   // to disk (fsync) and closed, not yet renamed; IoError on failure
  void commit();  // flush() if not yet, then the rename; IoError on failure, the target unchanged

  const std::string& temp_path() const noexcept { return temp_; }

 private:
  void discard() noexcept;
  std::string path_;
  std::string temp_;
  int fd_ = -1;
  bool flushed_ = false;
  bool committed_ = false;
};

// Writes `bytes` to `path` atomically.
void write_file_atomic(const std::string& path, std::string_view bytes);

// Writes several files as one release (a published table and its certificate): each is written
// in full and flushed to a temporary file first, so a write that fails (a full disk) leaves every
// target as it was; then they are renamed into place in the order given. Should a rename fail,
// the targets already replaced are put back as they were (from a hard link to the old file made
// just before; removed if there was none) before the IoError is thrown. Only a crash between the
// renames can leave some replaced and some not (a certificate then does not match its file, which
// `sdcore verify` reports). The paths must differ.
void write_files_atomic(const std::vector<std::pair<std::string, std::string_view>>& files);

}  // namespace sdcore::detail
