#pragma once
// Rewindable byte sources for the two-pass CSV reader: a file read through stdio, or text held
// in memory (tests, fuzzing, Python strings).

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace sdcore::detail {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to n bytes into dst; 0 at the end. Throws IoError on a read error.
  virtual std::size_t read(char* dst, std::size_t n) = 0;
  virtual void rewind() = 0;
  virtual std::uint64_t size() const = 0;
};

class FileSource final : public ByteSource {
 public:
  explicit FileSource(const std::string& path);  // IoError if it cannot be opened
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  std::size_t read(char* dst, std::size_t n) override;
  // Throws Error if the file was changed since it was opened: the second pass must read what
  // the first one checked.
  void rewind() override;
  std::uint64_t size() const override { return size_; }

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  std::uint64_t size_ = 0;
  std::int64_t mtime_ns_ = 0;
};

class TextSource final : public ByteSource {
 public:
  explicit TextSource(std::string_view text) : text_(text) {}
  std::size_t read(char* dst, std::size_t n) override;
  void rewind() override { pos_ = 0; }
  std::uint64_t size() const override { return text_.size(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace sdcore::detail
