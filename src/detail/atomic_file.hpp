#pragma once
// Atomic output: bytes go to a temporary file beside the target, which is flushed to disk and
// renamed over the target only on commit(). Until then the target is untouched; if the object
// dies uncommitted (an exception, a full disk) the temporary file is removed.

#include <string>
#include <string_view>

namespace sdcore::detail {

class AtomicFile {
 public:
  explicit AtomicFile(std::string path);  // IoError if the temporary file cannot be created
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes);  // IoError on failure (e.g. ENOSPC)
  void commit();                       // IoError on failure; the target is then unchanged

  const std::string& temp_path() const noexcept { return temp_; }

 private:
  void discard() noexcept;
  std::string path_;
  std::string temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// Writes `bytes` to `path` atomically.
void write_file_atomic(const std::string& path, std::string_view bytes);

}  // namespace sdcore::detail
