#include "detail/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "sdcore/error.hpp"

namespace sdcore::detail {

namespace {
std::string system_error(const std::string& what, const std::string& path) {
  return what + " '" + path + "': " + std::strerror(errno);
}
}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  static std::atomic<unsigned> counter{0};
  // O_EXCL with a fresh name per attempt; 0666 so the umask applies as for any new file.
  for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
    const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    temp_ = path_ + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
            std::to_string(ticks % 1000000);
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0 && errno != EEXIST) break;
  }
  if (fd_ < 0) throw IoError(path_, system_error("cannot create output file for", path_));
}

AtomicFile::~AtomicFile() {
  if (!committed_) discard();
}

void AtomicFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(temp_.c_str());
}

void AtomicFile::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string msg = system_error("cannot write", path_);
      discard();
      committed_ = true;  // nothing left to clean up
      throw IoError(path_, msg);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void AtomicFile::flush() {
  if (flushed_) return;
  if (fd_ < 0) throw IoError(path_, "output '" + path_ + "' was already discarded");
  if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
    fd_ = -1;
    const std::string msg = system_error("cannot flush", path_);
    discard();
    committed_ = true;  // nothing left to clean up
    throw IoError(path_, msg);
  }
  fd_ = -1;
  flushed_ = true;
}

void AtomicFile::commit() {
  flush();
  if (::rename(temp_.c_str(), path_.c_str()) != 0) {
    const std::string msg = system_error("cannot replace", path_);
    discard();
    committed_ = true;
    throw IoError(path_, msg);
  }
  committed_ = true;
}

void write_file_atomic(const std::string& path, std::string_view bytes) {
  AtomicFile out(path);
  out.write(bytes);
  out.commit();
}

void write_files_atomic(const std::vector<std::pair<std::string, std::string_view>>& files) {
  std::vector<std::unique_ptr<AtomicFile>> staged;
  for (const auto& [path, bytes] : files) {
    staged.push_back(std::make_unique<AtomicFile>(path));
    staged.back()->write(bytes);
  }
  for (auto& f : staged) f->flush();
  // A hard link to each old target, to put it back should a later rename fail.
  std::vector<std::string> backup(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string name = staged[i]->temp_path() + ".old";
    if (::link(files[i].first.c_str(), name.c_str()) == 0) backup[i] = name;
  }
  const auto drop_backups = [&] {
    for (const std::string& b : backup) {
      if (!b.empty()) ::unlink(b.c_str());
    }
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    try {
      staged[i]->commit();
    } catch (...) {
      for (std::size_t j = 0; j < i; ++j) {  // undo the renames done
        if (backup[j].empty()) {
          ::unlink(files[j].first.c_str());
        } else if (::rename(backup[j].c_str(), files[j].first.c_str()) == 0) {
          backup[j].clear();
        }
      }
      drop_backups();
      throw;
    }
  }
  drop_backups();
}

}  // namespace sdcore::detail
