// Text columns of pandas' object dtype into integer codes, for the key columns of the kernels.
//
// pandas' read_csv keeps one str object per distinct value of a column, and concat, take and
// boolean selection copy references, not strings; so most rows of an object column are settled
// by the address of their object alone, and only each distinct address needs its text read. The
// codes are those of pandas.factorize(..., use_na_sentinel=True): sorted levels (code point order,
// which is the byte order of UTF-8) or levels in order of first appearance, -1 for None and NaN.
// Anything else in the column (numbers, pd.NA, bytes, text that is not valid UTF-8) makes the
// function return None and the caller factorises with pandas.
//
// The GIL stays held: the objects are dereferenced, and another thread could otherwise replace
// and free one between the passes. One pass over 3M rows takes a few milliseconds.

#include <Python.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "numpy_glue.hpp"
#include "register.hpp"
#include "sdcore/error.hpp"

namespace sdcore::py_glue {
namespace {

// Open addressing from object address to the index of that address among the distinct ones,
// numbered in order of first appearance.
class AddressIndex {
 public:
  AddressIndex() : slots_(64, Slot{}), mask_(63) {}

  std::int32_t find_or_add(PyObject* p, std::vector<PyObject*>& distinct) {
    std::size_t i = hash(p) & mask_;
    while (true) {
      Slot& s = slots_[i];
      if (s.key == p) return s.id;
      if (s.key == nullptr) {
        s.key = p;
        s.id = static_cast<std::int32_t>(distinct.size());
        distinct.push_back(p);
        if (2 * distinct.size() > slots_.size()) grow(distinct);
        return static_cast<std::int32_t>(distinct.size() - 1);
      }
      i = (i + 1) & mask_;
    }
  }

 private:
  struct Slot {
    PyObject* key = nullptr;
    std::int32_t id = 0;
  };

  static std::size_t hash(PyObject* p) {
    // Objects are 16-byte aligned; the multiply spreads the remaining bits over the word.
    return static_cast<std::size_t>((reinterpret_cast<std::uintptr_t>(p) >> 4) * 0x9E3779B97F4A7C15ULL >> 17);
  }

  void grow(const std::vector<PyObject*>& distinct) {
    slots_.assign(slots_.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (std::size_t id = 0; id < distinct.size(); ++id) {
      std::size_t i = hash(distinct[id]) & mask_;
      while (slots_[i].key != nullptr) i = (i + 1) & mask_;
      slots_[i] = Slot{distinct[id], static_cast<std::int32_t>(id)};
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_;
};

bool is_missing(PyObject* p) {
  return p == Py_None || (PyFloat_Check(p) && std::isnan(PyFloat_AS_DOUBLE(p)));
}

template <class Code>
py::array narrow_codes(const std::vector<std::int32_t>& provisional, const std::vector<std::int32_t>& final_code) {
  std::vector<Code> out(provisional.size());
  for (std::size_t i = 0; i < provisional.size(); ++i) out[i] = static_cast<Code>(final_code[provisional[i]]);
  return to_numpy(std::move(out));
}

py::object factorize_objects(const py::array& column, bool sort) {
  if (column.dtype().kind() != 'O' || column.ndim() != 1) {
    throw InvalidArgument("factorize_objects takes a one-dimensional array of objects");
  }
  const auto rows = static_cast<std::size_t>(column.shape(0));
  if (rows > static_cast<std::size_t>(INT32_MAX)) return py::none();
  const auto* base = static_cast<const char*>(column.data());
  const auto stride = column.strides(0);

  // Pass 1: each row's distinct address, with a one-entry cache for runs of the same object.
  AddressIndex index;
  std::vector<PyObject*> distinct;
  std::vector<std::int32_t> provisional(rows);
  PyObject* last = nullptr;
  std::int32_t last_id = -1;
  for (std::size_t i = 0; i < rows; ++i) {
    PyObject* p = *reinterpret_cast<PyObject* const*>(base + static_cast<std::ptrdiff_t>(i) * stride);
    if (p == nullptr) return py::none();
    if (p != last) {
      last = p;
      last_id = index.find_or_add(p, distinct);
    }
    provisional[i] = last_id;
  }

  // The text of each distinct object; anything but text and missing values goes back to pandas.
  struct Text {
    std::string_view bytes;
    std::int32_t id;  // first appearance among the distinct addresses
  };
  std::vector<Text> texts;
  std::vector<std::int32_t> final_code(distinct.size(), -1);
  for (std::size_t id = 0; id < distinct.size(); ++id) {
    PyObject* p = distinct[id];
    if (PyUnicode_CheckExact(p)) {  // a subclass may compare its own way: pandas decides
      Py_ssize_t size = 0;
      const char* utf8 = PyUnicode_AsUTF8AndSize(p, &size);
      if (utf8 == nullptr) {  // lone surrogates: pandas can still hash them, so let it
        PyErr_Clear();
        return py::none();
      }
      texts.push_back(Text{std::string_view(utf8, static_cast<std::size_t>(size)), static_cast<std::int32_t>(id)});
    } else if (!is_missing(p)) {
      return py::none();
    }
  }

  // Equal texts held by different objects share a level. Sorted by text, then first appearance.
  std::sort(texts.begin(), texts.end(), [](const Text& a, const Text& b) {
    return a.bytes != b.bytes ? a.bytes < b.bytes : a.id < b.id;
  });
  struct Level {
    std::int32_t first;  // the text's first appearance (its lowest distinct id)
    std::int32_t begin, end;  // its run in texts
  };
  std::vector<Level> levels;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i == 0 || texts[i].bytes != texts[i - 1].bytes) {
      levels.push_back(Level{texts[i].id, static_cast<std::int32_t>(i), static_cast<std::int32_t>(i)});
    }
    levels.back().end = static_cast<std::int32_t>(i + 1);
  }
  if (!sort) {
    std::sort(levels.begin(), levels.end(), [](const Level& a, const Level& b) { return a.first < b.first; });
  }
  py::list uniques;
  for (std::size_t code = 0; code < levels.size(); ++code) {
    for (auto i = levels[code].begin; i < levels[code].end; ++i) final_code[texts[i].id] = static_cast<std::int32_t>(code);
    uniques.append(py::reinterpret_borrow<py::object>(distinct[levels[code].first]));
  }

  // Pass 2: the final codes, in the narrowest signed type that holds them (1-byte codes are what
  // the class kernel reads fastest, as it does pandas' categorical codes).
  py::array codes;
  if (levels.size() <= INT8_MAX) {
    codes = narrow_codes<std::int8_t>(provisional, final_code);
  } else if (levels.size() <= INT16_MAX) {
    codes = narrow_codes<std::int16_t>(provisional, final_code);
  } else {
    codes = narrow_codes<std::int32_t>(provisional, final_code);
  }
  return py::make_tuple(codes, uniques);
}

}  // namespace

void register_frame(py::module_& m) {
  m.def("factorize_objects", &factorize_objects, py::arg("column"), py::arg("sort"),
        "(codes, uniques) of an object column holding only text and missing values (None, NaN), "
        "as pandas.factorize(column, sort=sort, use_na_sentinel=True) gives them, codes in the "
        "narrowest signed integer type; None when the column holds anything else.");
}

}  // namespace sdcore::py_glue
