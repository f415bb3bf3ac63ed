#include "detail/byte_source.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "sdcore/error.hpp"

namespace sdcore::detail {

FileSource::FileSource(const std::string& path) : path_(path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw IoError(path, "cannot open '" + path + "': " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) throw IoError(path, "cannot read '" + path + "': it is a directory");
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) {
    throw IoError(path, "cannot open '" + path + "': " + std::strerror(errno));
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  mtime_ns_ = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

FileSource::~FileSource() {
  if (file_ != nullptr) std::fclose(file_);
}

std::size_t FileSource::read(char* dst, std::size_t n) {
  const std::size_t got = std::fread(dst, 1, n, file_);
  if (got < n && std::ferror(file_)) {
    throw IoError(path_, "error reading '" + path_ + "': " + std::strerror(errno));
  }
  return got;
}

void FileSource::rewind() {
  struct stat st {};
  const bool same = ::fstat(::fileno(file_), &st) == 0 &&
                    static_cast<std::uint64_t>(st.st_size) == size_ &&
                    static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec == mtime_ns_;
  if (!same) throw Error("'" + path_ + "' changed while it was being read");
  if (std::fseek(file_, 0, SEEK_SET) != 0) {
    throw IoError(path_, "cannot rewind '" + path_ + "': " + std::strerror(errno));
  }
  std::clearerr(file_);
}

std::size_t TextSource::read(char* dst, std::size_t n) {
  const std::size_t k = std::min(n, text_.size() - pos_);
  std::memcpy(dst, text_.data() + pos_, k);
  pos_ += k;
  return k;
}

}  // namespace sdcore::detail
