#pragma once
#include <pybind11/pybind11.h>

namespace sdcore::py_glue {

void register_io(pybind11::module_& m);
void register_classes(pybind11::module_& m);

}  // namespace sdcore::py_glue
