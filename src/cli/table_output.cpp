#include "cli/table_output.hpp"

#include <algorithm>

#include "cli/table_spec.hpp"

namespace sdcore::cli {

Table long_output(const Tabulation& t, const Table& text, const std::vector<std::size_t>& cell_of_row,
                  const std::string& value, const ShownValue& shown, const std::function<bool(std::size_t)>& replace,
                  const std::function<bool(std::size_t)>& append, const std::vector<CellColumn>& extra) {
  std::vector<char> given(t.num_cells(), 0);
  for (std::size_t c : cell_of_row) given[c] = 1;
  std::vector<std::size_t> rows = cell_of_row;
  for (std::size_t c = 0; c < t.num_cells(); ++c) {
    if (!given[c] && append(c)) rows.push_back(c);
  }
  Table out;
  for (const Column& col : text.columns()) {
    std::vector<std::optional<std::string>> v(rows.size());
    const auto d = std::find_if(t.dimensions().begin(), t.dimensions().end(),
                                [&](const Dimension& x) { return x.name() == col.name(); });
    bool constant = text.num_rows() > 0;
    for (std::size_t r = 1; r < text.num_rows() && constant; ++r) constant = col.format(r) == col.format(0);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (col.name() == value) {
        v[r] = r < text.num_rows() && !replace(rows[r]) ? col.format(r) : shown(rows[r]);
      } else if (r < text.num_rows()) {
        if (!col.is_missing(r)) v[r] = col.format(r);
      } else if (d != t.dimensions().end()) {
        v[r] = d->code(t.nodes(rows[r])[static_cast<std::size_t>(d - t.dimensions().begin())]);
      } else if (constant && !col.is_missing(0)) {
        v[r] = col.format(0);
      }
    }
    out.add_column(text_column(col.name(), v));
  }
  for (const CellColumn& x : extra) {
    std::vector<std::optional<std::string>> e(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) e[r] = x.text(rows[r]);
    out.add_column(text_column(x.name, e));
  }
  return out;
}

Table records_output(const Tabulation& t, const ShownValue& shown, const std::vector<CellColumn>& extra) {
  Table full = t.to_table();
  Table out;
  for (std::size_t d = 0; d < t.dimensions().size(); ++d) out.add_column(full.column(d));
  std::vector<std::optional<std::string>> value(t.num_cells());
  for (std::size_t c = 0; c < t.num_cells(); ++c) value[c] = shown(c);
  out.add_column(text_column(t.value_name(), value));
  for (const CellColumn& x : extra) {
    std::vector<std::optional<std::string>> e(t.num_cells());
    for (std::size_t c = 0; c < t.num_cells(); ++c) e[c] = x.text(c);
    out.add_column(text_column(x.name, e));
  }
  return out;
}

}  // namespace sdcore::cli
