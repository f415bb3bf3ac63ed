#include "detail/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <sstream>

#include "sdcore/error.hpp"

namespace sdcore::detail {

std::string quote(std::string_view text, std::size_t max_len) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  const std::size_t bad = find_invalid_utf8(text);
  const std::size_t n = text.size() < max_len ? text.size() : max_len;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool printable_ascii = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    const bool valid_multibyte = c >= 0x80 && (bad == std::string_view::npos || i < bad);
    if (printable_ascii || valid_multibyte) {
      out += static_cast<char>(c);
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (n < text.size()) out += "...";
  out += '"';
  return out;
}

std::size_t find_invalid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;  // continuation byte without a lead, or 0xC0/0xC1/0xF5.. leads
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool parse_number(std::string_view text, char decimal, double& out) noexcept {
  if (text.empty()) return false;
  std::size_t i = text[0] == '-' ? 1 : 0;
  if (i >= text.size()) return false;
  // Syntax check first, so from_chars never sees "inf", "nan", hex or a second separator.
  bool digits = false;
  bool seen_sep = false;
  std::size_t sep_pos = std::string_view::npos;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      digits = true;
    } else if (c == decimal && !seen_sep) {
      seen_sep = true;
      sep_pos = i;
    } else {
      break;
    }
  }
  if (!digits) return false;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') return false;
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (i >= text.size()) return false;
    for (; i < text.size(); ++i) {
      if (!is_digit(text[i])) return false;
    }
  }
  char buf[128];
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (decimal != '.' && sep_pos != std::string_view::npos) {
    if (text.size() > sizeof buf) return false;
    for (std::size_t k = 0; k < text.size(); ++k) buf[k] = k == sep_pos ? '.' : text[k];
    first = buf;
    last = buf + text.size();
  }
  double v = 0;
  auto res = std::from_chars(first, last, v, std::chars_format::general);
  if (res.ec != std::errc() || res.ptr != last || !std::isfinite(v)) return false;
  out = v;
  return true;
}

bool has_no_leading_zero(std::string_view text) noexcept {
  std::size_t i = !text.empty() && text[0] == '-' ? 1 : 0;
  return !(i + 1 < text.size() && text[i] == '0' && is_digit(text[i + 1]));
}

std::string format_number(double x) {
  std::ostringstream out;
  out.precision(12);
  out << x;
  return out.str();
}

void require_distinct(const std::vector<std::string>& names, const std::string& what) {
  for (std::size_t j = 0; j < names.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      if (names[i] == names[j]) throw InvalidArgument(what + " '" + names[j] + "' is listed twice");
    }
  }
}

}  // namespace sdcore::detail
