#pragma once
/// \file version.hpp
/// Library version, for certificates and `--version`.

namespace sdcore {

/// The library's version string, "MAJOR.MINOR.PATCH".
const char* version() noexcept;

}  // namespace sdcore
