#pragma once
#include <pybind11/pybind11.h>

#include "sdcore/table.hpp"

namespace sdcore::py_glue {

// A Table from (name, kind, array, categories) tuples (see sdcore/_frame.py).
Table table_from_py(const pybind11::list& columns);


void register_io(pybind11::module_& m);
void register_kanon(pybind11::module_& m);
void register_classes(pybind11::module_& m);
void register_recode(pybind11::module_& m);
void register_tables(pybind11::module_& m);

}  // namespace sdcore::py_glue
