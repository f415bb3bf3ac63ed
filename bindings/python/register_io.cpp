// CSV reading/writing and the synthetic generators. Tables cross into Python as a list of
// (name, kind, array, categories) tuples; sdcore/_frame.py turns them into DataFrames.

#include <pybind11/stl.h>

#include "numpy_glue.hpp"
#include "register.hpp"
#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/stream.hpp"
#include "sdcore/synth.hpp"

namespace sdcore::py_glue {
namespace {

CsvReadOptions read_options(const std::string& delimiter, std::vector<std::string> missing,
                            const std::string& decimal, bool header, bool infer_types,
                            const std::map<std::string, std::string>& column_types,
                            bool skip_blank_lines) {
  CsvReadOptions opt;
  if (delimiter.size() > 1) throw InvalidArgument("sep must be a single character, got '" + delimiter + "'");
  opt.delimiter = delimiter.empty() ? '\0' : delimiter[0];
  if (decimal.size() != 1) throw InvalidArgument("decimal must be a single character");
  opt.decimal = decimal[0];
  opt.missing = std::move(missing);
  opt.header = header;
  opt.infer_types = infer_types;
  opt.skip_blank_lines = skip_blank_lines;
  for (const auto& [name, type] : column_types) {
    if (type != "categorical" && type != "numeric") {
      throw InvalidArgument("dtype of '" + name + "' must be 'categorical' or 'numeric', got '" + type + "'");
    }
    opt.column_types[name] = type == "numeric" ? ColumnType::kNumeric : ColumnType::kCategorical;
  }
  return opt;
}

}  // namespace

py::list table_to_py(Table&& table) {
  std::vector<Column> columns = std::move(table).release_columns();
  py::list out;
  for (auto& col : columns) {
    const std::string name = col.name();
    if (col.is_categorical()) {
      auto [codes, categories] = std::move(col).release_categorical();
      py::list cats;
      for (auto& c : categories) cats.append(py::str(c));
      out.append(py::make_tuple(name, "categorical", to_numpy(std::move(codes)), cats));
    } else {
      out.append(py::make_tuple(name, "numeric", to_numpy(std::move(col).release_numeric()), py::none()));
    }
  }
  return out;
}

Table table_from_py(const py::list& columns) {
  Table t;
  for (const auto& item : columns) {
    auto tup = item.cast<py::tuple>();
    auto name = tup[0].cast<std::string>();
    auto kind = tup[1].cast<std::string>();
    if (kind == "categorical") {
      auto codes = tup[2].cast<py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>>();
      std::vector<std::int32_t> v(codes.data(), codes.data() + codes.size());
      t.add_column(Column::categorical(name, std::move(v), tup[3].cast<std::vector<std::string>>()));
    } else {
      auto values = tup[2].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
      t.add_column(Column::numeric(name, std::vector<double>(values.data(), values.data() + values.size())));
    }
  }
  return t;
}


void register_io(py::module_& m) {
  // read_csv(path, ...) and read_csv_text(text, ...) differ only in their source.
  auto def_reader = [&m](const char* name, const char* source_arg, auto reader) {
    m.def(
        name,
        [reader](const std::string& source, const std::string& delimiter,
                 std::vector<std::string> missing, const std::string& decimal, bool header,
                 bool infer_types, const std::map<std::string, std::string>& column_types,
                 bool skip_blank_lines) {
          const auto opt = read_options(delimiter, std::move(missing), decimal, header,
                                        infer_types, column_types, skip_blank_lines);
          Table t;
          {
            py::gil_scoped_release release;
            t = reader(source, opt);
          }
          return table_to_py(std::move(t));
        },
        py::arg(source_arg), py::arg("delimiter"), py::arg("missing"), py::arg("decimal"),
        py::arg("header"), py::arg("infer_types"), py::arg("column_types"),
        py::arg("skip_blank_lines"));
  };
  def_reader("read_csv", "path",
             [](const std::string& path, const CsvReadOptions& o) { return read_csv(path, o); });
  def_reader("read_csv_text", "text",
             [](const std::string& text, const CsvReadOptions& o) { return read_csv_text(text, o); });
  m.def(
      "count_combinations_csv",
      [](const std::string& path, const std::vector<std::string>& keys, const std::string& weight,
         const std::string& delimiter, std::vector<std::string> missing, const std::string& decimal, bool header,
         const std::map<std::string, std::string>& column_types, bool skip_blank_lines, std::size_t block_rows,
         std::size_t max_pending, std::size_t threads, const std::string& count_column,
         const std::string& weight_column, const py::object& progress) {
        CombinationCountOptions o;
        o.read = read_options(delimiter, std::move(missing), decimal, header, false, column_types, skip_blank_lines);
        o.block_rows = block_rows;
        o.max_pending = max_pending;
        o.threads = threads;
        o.count_column = count_column;
        o.weight_column = weight_column;
        if (!progress.is_none()) {
          // The callback outlives the call neither way; it is captured by address so that copies
          // of the options (made without the GIL) do not touch its reference count.
          const py::object* callback = &progress;
          o.read.progress = [callback](std::uint64_t done, std::uint64_t total) {
            py::gil_scoped_acquire hold;
            (*callback)(done, total);
          };
        }
        Table t;
        {
          py::gil_scoped_release release;
          t = count_combinations_csv(path, keys, weight, o);
        }
        return table_to_py(std::move(t));
      },
      py::arg("path"), py::arg("keys"), py::arg("weight"), py::arg("delimiter"), py::arg("missing"),
      py::arg("decimal"), py::arg("header"), py::arg("column_types"), py::arg("skip_blank_lines"),
      py::arg("block_rows"), py::arg("max_pending"), py::arg("threads"), py::arg("count_column"),
      py::arg("weight_column"), py::arg("progress"));
  m.def(
      "write_csv",
      [](const std::string& path, const py::list& columns, const std::string& delimiter,
         const std::string& missing) {
        if (delimiter.size() != 1) throw InvalidArgument("sep must be a single character");
        const Table t = table_from_py(columns);
        CsvWriteOptions opt;
        opt.delimiter = delimiter[0];
        opt.missing = missing;
        py::gil_scoped_release release;
        write_csv(t, path, opt);
      },
      py::arg("path"), py::arg("columns"), py::arg("delimiter"), py::arg("missing"));
  m.def(
      "hospital_episodes",
      [](std::size_t rows, std::uint64_t seed) {
        Table t;
        {
          py::gil_scoped_release release;
          t = synth::hospital_episodes(rows, seed);
        }
        return table_to_py(std::move(t));
      },
      py::arg("rows"), py::arg("seed"));
  m.def(
      "ae_attendances",
      [](std::size_t providers, std::size_t months, std::uint64_t seed) {
        return table_to_py(synth::ae_attendances(providers, months, seed));
      },
      py::arg("providers"), py::arg("months"), py::arg("seed"));
}

}  // namespace sdcore::py_glue
