#pragma once
#include <pybind11/pybind11.h>

#include <string>

#include "sdcore/hierarchy.hpp"
#include "sdcore/table.hpp"

namespace sdcore::py_glue {

// A Table from (name, kind, array, categories) tuples (see sdcore/_frame.py).
Table table_from_py(const pybind11::list& columns);
// A Table's columns as (name, kind, array, categories) tuples, buffers moved (register_io.cpp).
pybind11::list table_to_py(Table&& table);
// A hierarchy given as the path of an ARX-format file (';'-separated) or as rows
// {value, level 1, ...} of text (register_recode.cpp).
Hierarchy hierarchy_from_py(const std::string& column, const pybind11::object& source);


void register_io(pybind11::module_& m);
void register_frame(pybind11::module_& m);
void register_kanon(pybind11::module_& m);
void register_classes(pybind11::module_& m);
void register_recode(pybind11::module_& m);
void register_tables(pybind11::module_& m);
void register_rounding(pybind11::module_& m);

}  // namespace sdcore::py_glue
