// Generalisation hierarchies (see hierarchy.hpp).

#include "sdcore/hierarchy.hpp"

#include <algorithm>

#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"

namespace sdcore {

Hierarchy Hierarchy::from_rows(std::string attribute, const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) throw InvalidArgument("hierarchy of '" + attribute + "' has no rows");
  const std::size_t levels = rows[0].size();
  if (levels == 0) throw InvalidArgument("hierarchy of '" + attribute + "' row 1 is empty");
  Hierarchy h;
  h.attribute_ = std::move(attribute);
  h.labels_.assign(levels, std::vector<std::string>(rows.size()));
  const std::string who = "hierarchy of '" + h.attribute_ + "'";
  std::size_t kept = 0;
  std::vector<std::size_t> first_row;  // input row of each kept value
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].size() != levels) {
      throw InvalidArgument(who + " row " + std::to_string(r + 1) + " has " + std::to_string(rows[r].size()) +
                            " levels, row 1 has " + std::to_string(levels));
    }
    for (std::size_t l = 1; l < levels; ++l) {
      if (rows[r][l].empty()) {  // "34;;*": a label left out, not a generalisation to nothing
        throw InvalidArgument(who + " row " + std::to_string(r + 1) + " has an empty label at level " +
                              std::to_string(l) + " (value '" + rows[r][0] + "')");
      }
    }
    const auto [it, fresh] = h.index_.emplace(rows[r][0], kept);
    if (!fresh) {
      // An exact repeat of a row (published hierarchies have them) adds nothing; a value with two
      // different generalisations is an error.
      if (rows[r] == rows[first_row[it->second]]) continue;
      throw InvalidArgument(who + ": value '" + rows[r][0] + "' appears twice with different labels (rows " +
                            std::to_string(first_row[it->second] + 1) + " and " + std::to_string(r + 1) + ")");
    }
    for (std::size_t l = 0; l < levels; ++l) h.labels_[l][kept] = rows[r][l];
    first_row.push_back(r);
    ++kept;
  }
  for (auto& level : h.labels_) level.resize(kept);
  // Chain check: a label at level l must determine the label at level l + 1.
  for (std::size_t l = 1; l + 1 < levels; ++l) {
    std::unordered_map<std::string, std::size_t> parent_row;
    for (std::size_t r = 0; r < kept; ++r) {
      auto [it, fresh] = parent_row.emplace(h.labels_[l][r], r);
      if (!fresh && h.labels_[l + 1][it->second] != h.labels_[l + 1][r]) {
        throw InvalidArgument(who + ": '" + h.labels_[l][r] + "' at level " + std::to_string(l) + " generalises to '" +
                              h.labels_[l + 1][it->second] + "' (row " + std::to_string(first_row[it->second] + 1) + ") and to '" +
                              h.labels_[l + 1][r] + "' (row " + std::to_string(first_row[r] + 1) + ") at level " +
                              std::to_string(l + 1));
      }
    }
  }
  return h;
}

std::size_t Hierarchy::num_labels(std::size_t level) const {
  if (level >= levels()) throw InvalidArgument("hierarchy of '" + attribute_ + "' has no level " + std::to_string(level));
  std::vector<std::string> labels = labels_[level];
  std::sort(labels.begin(), labels.end());
  return static_cast<std::size_t>(std::unique(labels.begin(), labels.end()) - labels.begin());
}

const std::string& Hierarchy::generalise(std::string_view value, std::size_t level) const {
  if (level >= levels()) throw InvalidArgument("hierarchy of '" + attribute_ + "' has no level " + std::to_string(level));
  const auto it = index_.find(std::string(value));
  if (it == index_.end()) {
    throw InvalidArgument("hierarchy of '" + attribute_ + "' does not cover the value '" + std::string(value) + "'");
  }
  return labels_[level][it->second];
}

std::optional<std::size_t> Hierarchy::find(std::string_view value) const {
  const auto it = index_.find(std::string(value));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

const std::string& Hierarchy::label(std::size_t value_index, std::size_t level) const {
  if (level >= levels()) throw InvalidArgument("hierarchy of '" + attribute_ + "' has no level " + std::to_string(level));
  if (value_index >= num_values()) {
    throw InvalidArgument("hierarchy of '" + attribute_ + "' has no value " + std::to_string(value_index));
  }
  return labels_[level][value_index];
}

std::vector<std::string> Hierarchy::uncovered(const Column& column, std::size_t limit) const {
  const Column source = factorize(column);
  std::vector<char> seen(source.categories().size(), 0);
  std::vector<std::string> out;
  for (const std::int32_t code : source.codes()) {
    if (code < 0 || seen[static_cast<std::size_t>(code)]) continue;
    seen[static_cast<std::size_t>(code)] = 1;
    const std::string& value = source.categories()[static_cast<std::size_t>(code)];
    if (index_.find(value) == index_.end()) {
      if (out.size() == limit) break;
      out.push_back(value);
    }
  }
  return out;
}

void Hierarchy::require_covers(const Column& column, const std::string& what) const {
  const std::vector<std::string> bad = uncovered(column);
  if (bad.empty()) return;
  std::string list;
  for (const auto& v : bad) list += (list.empty() ? "'" : ", '") + v + "'";
  throw InvalidArgument("hierarchy of '" + attribute_ + "' does not cover value(s) of " +
                        (what.empty() ? "column '" + column.name() + "'" : what) + ": " + list);
}

Column Hierarchy::apply(const Column& column, std::size_t level) const {
  if (level >= levels()) throw InvalidArgument("hierarchy of '" + attribute_ + "' has no level " + std::to_string(level));
  require_covers(column);
  const Column source = factorize(column);
  // Map each category once, then the codes.
  std::unordered_map<std::string, std::int32_t> label_code;
  std::vector<std::string> categories;
  std::vector<std::int32_t> lookup;
  for (const std::string& value : source.categories()) {
    const auto it = index_.find(value);
    if (it == index_.end()) {  // a category no row uses (require_covers checked the rows)
      lookup.push_back(kMissingCode);
      continue;
    }
    const std::string& label = labels_[level][it->second];
    auto [lc, fresh] = label_code.emplace(label, static_cast<std::int32_t>(categories.size()));
    if (fresh) categories.push_back(label);
    lookup.push_back(lc->second);
  }
  std::vector<std::int32_t> codes(source.size());
  const auto src = source.codes();
  for (std::size_t i = 0; i < codes.size(); ++i) {
    codes[i] = src[i] < 0 ? kMissingCode : lookup[static_cast<std::size_t>(src[i])];
  }
  return Column::categorical(column.name(), std::move(codes), std::move(categories));
}

namespace {

CsvReadOptions hierarchy_read_options(char delimiter) {
  CsvReadOptions opt;
  opt.delimiter = delimiter;
  opt.header = false;
  opt.infer_types = false;
  opt.missing = {};  // an empty label is a label
  return opt;
}

// The hierarchy in file `name` (its rows are the file's lines: no header); a fault in it is
// reported with the file's name before the row numbers.
Hierarchy from_table(const Table& t, const std::string& attribute, const std::string& name) {
  std::vector<std::vector<std::string>> rows(t.num_rows(), std::vector<std::string>(t.num_columns()));
  for (std::size_t j = 0; j < t.num_columns(); ++j) {
    for (std::size_t i = 0; i < t.num_rows(); ++i) rows[i][j] = t.column(j).format(i);
  }
  try {
    return Hierarchy::from_rows(attribute, rows);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(name + ": " + e.what());
  }
}

}  // namespace

Hierarchy read_hierarchy(const std::string& path, const std::string& attribute, char delimiter) {
  return from_table(read_csv(path, hierarchy_read_options(delimiter)), attribute, path);
}

Hierarchy parse_hierarchy(std::string_view text, const std::string& attribute, char delimiter, const std::string& name) {
  return from_table(read_csv_text(text, hierarchy_read_options(delimiter), name), attribute, name);
}

}  // namespace sdcore
