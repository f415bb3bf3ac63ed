// Perturbation tables of the cell key method: validation, lookup and the text format of
// tau-Argus, cellKey and ptable (see cellkey.hpp and docs/methods/cell_key.md).

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>

#include "detail/text.hpp"
#include "sdcore/cellkey.hpp"
#include "sdcore/error.hpp"

namespace sdcore {

const char* to_string(PTableType type) noexcept {
  switch (type) {
    case PTableType::kAll: return "all";
    case PTableType::kEven: return "even";
    case PTableType::kOdd: return "odd";
    case PTableType::kSmallCells: return "small_cells";
  }
  return "?";
}

namespace {

bool same_row(const PTableEntry& a, const PTableEntry& b) { return a.type == b.type && a.i == b.i; }

std::string describe(const PTableEntry& e) {
  return "(type " + std::string(to_string(e.type)) + ", i " + format_number(e.i) + ", j " + format_number(e.j) +
         ", p " + format_number(e.p) + ", v " + format_number(e.v) + ", p_ub " + format_number(e.p_ub) + ")";
}

// Checks sorted entries; `fail(k, why)` reports a problem with sorted entry k and must throw.
void check_entries(const std::vector<PTableEntry>& e, double tol,
                   const std::function<void(std::size_t, const std::string&)>& fail) {
  if (e.empty()) throw InvalidArgument("a perturbation table needs at least one row");
  if (!(tol >= 0 && tol < 0.5)) throw InvalidArgument("p-table tolerance must be in [0, 0.5), got " + format_number(tol));
  double sum = 0;
  for (std::size_t k = 0; k < e.size(); ++k) {
    const PTableEntry& x = e[k];
    for (double n : {x.i, x.j, x.p, x.v, x.p_ub}) {
      if (!std::isfinite(n)) fail(k, "a number is not finite");
    }
    if (x.p < 0) fail(k, "p < 0");
    if (x.j < 0) fail(k, "j < 0 (a perturbed value cannot be negative)");
    if (std::fabs(x.v - (x.j - x.i)) > 1e-9) fail(k, "v is not j - i");
    const bool first = k == 0 || !same_row(e[k - 1], x);
    if (!first && e[k - 1].j == x.j) fail(k, "the entry repeats an earlier (type, i, j)");
    sum = first ? x.p : sum + x.p;
    if (std::fabs(x.p_ub - sum) > tol) fail(k, "p_ub is not the running sum of p in its row (" + format_number(sum) + ")");
    const bool last = k + 1 == e.size() || !same_row(e[k + 1], x);
    if (last && std::fabs(sum - 1) > tol) fail(k, "the p of row i = " + format_number(x.i) + " sum to " + format_number(sum));
    if (last && std::fabs(x.p_ub - 1) > tol) fail(k, "the last p_ub of a row is not 1");
  }
}

void sort_entries(std::vector<PTableEntry>& e, std::vector<std::size_t>& origin) {
  origin.resize(e.size());
  for (std::size_t k = 0; k < e.size(); ++k) origin[k] = k;
  std::stable_sort(origin.begin(), origin.end(), [&](std::size_t a, std::size_t b) {
    if (e[a].type != e[b].type) return e[a].type < e[b].type;
    return e[a].i != e[b].i ? e[a].i < e[b].i : e[a].j < e[b].j;
  });
  std::vector<PTableEntry> sorted;
  sorted.reserve(e.size());
  for (std::size_t k : origin) sorted.push_back(e[k]);
  e = std::move(sorted);
}

// Validated, sorted entries; `fail(original_index, why)` must throw.
std::vector<PTableEntry> validated(std::vector<PTableEntry> entries, double tol,
                                   const std::function<void(std::size_t, const std::string&)>& fail) {
  std::vector<std::size_t> origin;
  sort_entries(entries, origin);
  check_entries(entries, tol, [&](std::size_t k, const std::string& why) { fail(origin[k], why); });
  return entries;
}

}  // namespace

PerturbationTable::PerturbationTable(std::vector<PTableEntry> entries, double tolerance) : tolerance_(tolerance) {
  const std::vector<PTableEntry> given = entries;
  entries_ = validated(std::move(entries), tolerance, [&](std::size_t k, const std::string& why) {
    throw InvalidArgument("p-table entry " + std::to_string(k) + " " + describe(given[k]) + ": " + why);
  });
}

bool PerturbationTable::has(PTableType type) const noexcept {
  return std::any_of(entries_.begin(), entries_.end(), [&](const PTableEntry& e) { return e.type == type; });
}

std::vector<double> PerturbationTable::rows(PTableType type) const {
  std::vector<double> out;
  for (const PTableEntry& e : entries_) {
    if (e.type == type && (out.empty() || out.back() != e.i)) out.push_back(e.i);
  }
  return out;
}

double PerturbationTable::max_i(PTableType type) const {
  const auto r = rows(type);
  if (r.empty()) throw InvalidArgument(std::string("the p-table has no rows of type ") + to_string(type));
  return r.back();
}

double PerturbationTable::lookup(double i, double cell_key, PTableType type) const {
  if (!(cell_key >= 0 && cell_key < 1)) throw InvalidArgument("cell key " + format_number(cell_key) + " is not in [0, 1)");
  const auto first = std::find_if(entries_.begin(), entries_.end(),
                                  [&](const PTableEntry& e) { return e.type == type && e.i == i; });
  if (first == entries_.end()) {
    throw InvalidArgument("the p-table has no row i = " + format_number(i) + " of type " + to_string(type));
  }
  auto it = first;
  for (; std::next(it) != entries_.end() && same_row(*std::next(it), *first); ++it) {
    if (cell_key <= it->p_ub) return it->v;
  }
  return it->v;  // the row's last entry (p_ub = 1 up to rounding)
}

PerturbationTable PerturbationTable::with_rows(const PerturbationTable& other, PTableType as) const {
  if (has(as)) throw InvalidArgument(std::string("the p-table already has rows of type ") + to_string(as));
  if (!other.has(PTableType::kAll)) throw InvalidArgument("the p-table to add has no rows of type all");
  std::vector<PTableEntry> e = entries_;
  for (PTableEntry x : other.entries_) {
    if (x.type == PTableType::kAll) x.type = as, e.push_back(x);
  }
  return PerturbationTable(std::move(e), std::max(tolerance_, other.tolerance_));
}

// ---------------------------------------------------------------------------------------------
// Text format.

namespace {

enum class Field : std::uint8_t { kI, kJ, kP, kV, kUb, kIgnored, kType };

std::string unquote(std::string_view s) {
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

std::vector<std::string> split(std::string_view line) {
  std::vector<std::string> out;
  for (std::size_t start = 0;;) {
    const std::size_t end = line.find(';', start);
    out.push_back(unquote(line.substr(start, end == std::string_view::npos ? end : end - start)));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

class Reader {
 public:
  explicit Reader(std::string name) : name_(std::move(name)) {}

  [[noreturn]] void fail(std::int64_t line, std::int64_t column, const std::string& text, const std::string& why) const {
    std::string where = name_ + ":" + std::to_string(line) + (column > 0 ? ":" + std::to_string(column) : "");
    throw ParseError(name_, line, column, text, where + ": " + why + (text.empty() ? "" : ": " + detail::quote(text)));
  }

  void header(const std::string& line) {
    const auto names = split(line);
    for (std::size_t c = 0; c < names.size(); ++c) {
      std::string n = names[c];
      std::transform(n.begin(), n.end(), n.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      Field f;
      if (n == "i") f = Field::kI;
      else if (n == "j") f = Field::kJ;
      else if (n == "p" || n == "p_ij") f = Field::kP;
      else if (n == "v" || n == "diff") f = Field::kV;
      else if (n == "p_ij_ub" || n == "p_int_ub" || n == "p_ub" || n == "kum_p_o") f = Field::kUb;
      else if (n == "p_int_lb" || n == "p_lb" || n == "kum_p_u") f = Field::kIgnored;
      else if (n == "type") f = Field::kType;
      else fail(1, static_cast<std::int64_t>(c + 1), names[c], "unknown p-table column");
      if (std::find(fields_.begin(), fields_.end(), f) != fields_.end() && f != Field::kIgnored) {
        fail(1, static_cast<std::int64_t>(c + 1), names[c], "p-table column named twice");
      }
      fields_.push_back(f);
    }
    for (Field need : {Field::kI, Field::kJ, Field::kP, Field::kV, Field::kUb}) {
      if (std::find(fields_.begin(), fields_.end(), need) == fields_.end()) {
        fail(1, 0, line, "the header needs columns i, j, p (or p_ij), v and an upper bound (p_ij_ub, p_int_ub or p_ub)");
      }
    }
  }

  PTableEntry entry(const std::string& line, std::int64_t number) const {
    const auto f = split(line);
    if (f.size() != fields_.size()) {
      fail(number, 0, line, "expected " + std::to_string(fields_.size()) + " fields, found " + std::to_string(f.size()));
    }
    PTableEntry e;
    for (std::size_t c = 0; c < f.size(); ++c) {
      const auto col = static_cast<std::int64_t>(c + 1);
      if (fields_[c] == Field::kIgnored) continue;
      if (fields_[c] == Field::kType) {
        e.type = type_of(f[c], number, col);
        continue;
      }
      double x = 0;
      if (!detail::parse_number(f[c], '.', x)) fail(number, col, f[c], "bad number in p-table");
      (fields_[c] == Field::kI ? e.i : fields_[c] == Field::kJ ? e.j : fields_[c] == Field::kP ? e.p
                                                              : fields_[c] == Field::kV ? e.v : e.p_ub) = x;
    }
    return e;
  }

 private:
  PTableType type_of(const std::string& s, std::int64_t line, std::int64_t col) const {
    for (PTableType t : {PTableType::kAll, PTableType::kEven, PTableType::kOdd, PTableType::kSmallCells}) {
      if (s == to_string(t)) return t;
    }
    fail(line, col, s, "unknown p-table type (all, even, odd or small_cells)");
  }

  std::string name_;
  std::vector<Field> fields_;
};

}  // namespace

PerturbationTable parse_perturbation_table(std::string_view text, const std::string& name) {
  Reader reader(name);
  std::istringstream in{std::string(text)};
  std::string line;
  std::int64_t number = 0;
  std::vector<PTableEntry> entries;
  std::vector<std::int64_t> line_of;
  std::vector<std::string> text_of;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // UTF-8 BOM
      reader.header(line);
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    entries.push_back(reader.entry(line, number));
    line_of.push_back(number);
    text_of.push_back(unquote(line));
  }
  if (number == 0) reader.fail(1, 0, "", "empty file: no header line");
  if (entries.empty()) reader.fail(number, 0, "", "the p-table has no rows");
  auto sorted = validated(std::move(entries), 1e-6, [&](std::size_t k, const std::string& why) {
    reader.fail(line_of[k], 0, text_of[k], why);
  });
  return PerturbationTable(std::move(sorted), 1e-6);
}

PerturbationTable read_perturbation_table(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path, path + ": cannot open the p-table file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IoError(path, path + ": cannot read the p-table file");
  return parse_perturbation_table(text, path);
}

}  // namespace sdcore
