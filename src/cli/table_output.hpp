#pragma once
// The long CSV a table command writes (`table suppress`, `publish`): each cell's figure as
// published, in the layout of the input. Kept apart so the commands share one layout.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sdcore/table.hpp"
#include "sdcore/tabular.hpp"

namespace sdcore::cli {

// A cell's published figure (e.g. the symbol for a suppressed cell).
using ShownValue = std::function<std::string(std::size_t cell)>;

// An extra column, one text per cell (e.g. the status), with its name; extra columns follow the
// value in the order given.
struct CellColumn {
  std::string name;
  std::function<std::string(std::size_t cell)> text;
};

// Long input: the input's rows, in order, with the value column replaced by `shown` where
// `replace(cell)` says so (else kept as read); then the cells the input lacked that `append(cell)`
// asks for, in cell order. Columns that are neither dimensions nor the value are repeated on those
// rows when constant, else left empty.
Table long_output(const Tabulation& t, const Table& text, const std::vector<std::size_t>& cell_of_row,
                  const std::string& value, const ShownValue& shown, const std::function<bool(std::size_t)>& replace,
                  const std::function<bool(std::size_t)>& append, const std::vector<CellColumn>& extra);

// Records input: one row per cell of the tabulation (its codes), the value as `shown`, then
// `extra`. The records and contributors columns are left out: they would give figures away.
Table records_output(const Tabulation& t, const ShownValue& shown, const std::vector<CellColumn>& extra);

}  // namespace sdcore::cli
