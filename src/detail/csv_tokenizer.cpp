#include "detail/csv_tokenizer.hpp"

#include <cstring>

#include "detail/text.hpp"
#include "sdcore/error.hpp"

namespace sdcore::detail {

namespace {
constexpr std::size_t kInitialBuffer = std::size_t{1} << 20;
// A record larger than this is almost certainly a file with an unbalanced quote, and reading
// on would only exhaust memory before saying so.
constexpr std::size_t kMaxRecordBytes = std::size_t{256} << 20;
}  // namespace

CsvTokenizer::CsvTokenizer(ByteSource& source, std::string name, char delimiter)
    : source_(source), name_(std::move(name)), delim_(delimiter), buf_(kInitialBuffer) {}

void CsvTokenizer::fail(std::int64_t line, std::int64_t column, std::string_view text,
                        const std::string& message) const {
  std::string where = name_ + ":" + std::to_string(line);
  if (column > 0) where += ":" + std::to_string(column);
  std::string what = where + ": " + message;
  if (!text.empty()) what += ": " + quote(text);
  throw ParseError(name_, line, column, std::string(text.substr(0, 200)), what);
}

bool CsvTokenizer::refill() {
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buf_.size()) {
    if (buf_.size() >= kMaxRecordBytes) {
      fail(line_, 0, {}, "a record is longer than 256 MiB (unbalanced quote?)");
    }
    buf_.resize(buf_.size() * 2);
  }
  const std::size_t got = source_.read(buf_.data() + end_, buf_.size() - end_);
  if (!started_) {
    started_ = true;
    if (got >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) {
      pos_ = 3;  // UTF-8 byte order mark
      consumed_ = 3;
    }
  }
  end_ += got;
  return got > 0;
}

bool CsvTokenizer::next() {
  for (;;) {
    switch (parse()) {
      case Status::kRecord:
        return true;
      case Status::kEnd:
        return false;
      case Status::kNeedMore:
        if (!refill()) eof_ = true;
        break;
    }
  }
}

std::string_view CsvTokenizer::value(const FieldRef& field, std::string& scratch) {
  if (!field.escaped) return field.raw;
  scratch.clear();
  for (std::size_t i = 0; i < field.raw.size(); ++i) {
    scratch += field.raw[i];
    if (field.raw[i] == '"') ++i;  // skip the second quote of a pair
  }
  return scratch;
}

CsvTokenizer::Status CsvTokenizer::parse() {
  fields_.clear();
  const char* const begin = buf_.data() + pos_;
  const char* const end = buf_.data() + end_;
  if (begin == end) return eof_ ? Status::kEnd : Status::kNeedMore;
  const char* p = begin;
  std::int64_t line = line_;
  auto column = [&] { return static_cast<std::int64_t>(fields_.size()) + 1; };
  auto line_text = [&](const char* from) {
    const char* e = from;
    while (e < end && *e != '\n' && *e != '\r') ++e;
    return std::string_view(from, static_cast<std::size_t>(e - from));
  };

  if (*p != '\n' && *p != '\r') {
    for (;;) {
      FieldRef f;
      f.line = line;
      if (p < end && *p == '"') {
        const char* r = p + 1;
        for (;;) {
          while (r < end && *r != '"') {
            if (*r == '\n' || (*r == '\r' && (r + 1 == end || r[1] != '\n'))) ++line;
            if (*r == '\0') fail(line, column(), {}, "NUL byte inside a quoted field");
            ++r;
          }
          if (r == end) {
            if (!eof_) return Status::kNeedMore;
            fail(f.line, column(), line_text(p), "unterminated quoted field");
          }
          if (r + 1 == end && !eof_) return Status::kNeedMore;
          if (r + 1 < end && r[1] == '"') {
            f.escaped = true;
            r += 2;
            continue;
          }
          break;
        }
        f.raw = std::string_view(p + 1, static_cast<std::size_t>(r - p - 1));
        f.quoted = true;
        p = r + 1;
        if (p < end && *p != delim_ && *p != '\n' && *p != '\r') {
          fail(line, column(), line_text(p), "unexpected character after a closing quote");
        }
      } else {
        const char* r = p;
        while (r < end) {
          const char c = *r;
          if (c == delim_ || c == '\n' || c == '\r') break;
          if (c == '"') {
            fail(line, column(), line_text(p),
                 "quote inside an unquoted field (a field with quotes must be quoted whole, "
                 "with inner quotes doubled)");
          }
          if (c == '\0') fail(line, column(), line_text(p), "NUL byte in field");
          ++r;
        }
        if (r == end && !eof_) return Status::kNeedMore;
        f.raw = std::string_view(p, static_cast<std::size_t>(r - p));
        p = r;
      }
      fields_.push_back(f);
      if (p == end) break;  // end of input ends the record
      if (*p == delim_) {
        ++p;
        if (p == end) {
          if (!eof_) return Status::kNeedMore;
          FieldRef last;
          last.line = line;
          fields_.push_back(last);  // trailing delimiter: an empty last field
          break;
        }
        continue;
      }
      break;  // a line end
    }
  }
  // p is at a line end or at the end of input.
  if (p < end) {
    if (*p == '\r') {
      if (p + 1 == end && !eof_) return Status::kNeedMore;
      p += (p + 1 < end && p[1] == '\n') ? 2 : 1;
    } else {
      ++p;
    }
    ++line;
  }
  record_ = std::string_view(begin, static_cast<std::size_t>(p - begin));
  record_line_ = line_;
  line_ = line;
  consumed_ += static_cast<std::uint64_t>(p - begin);
  pos_ = static_cast<std::size_t>(p - buf_.data());
  check_utf8();
  return Status::kRecord;
}

void CsvTokenizer::check_utf8() const {
  bool ascii = true;
  for (char c : record_) ascii &= static_cast<unsigned char>(c) < 0x80;
  if (ascii) return;
  for (std::size_t j = 0; j < fields_.size(); ++j) {
    const auto& f = fields_[j];
    const std::size_t bad = find_invalid_utf8(f.raw);
    if (bad != std::string_view::npos) {
      fail(f.line, static_cast<std::int64_t>(j) + 1, f.raw,
           "invalid UTF-8 at byte " + std::to_string(bad + 1) + " of the field");
    }
  }
}

}  // namespace sdcore::detail
