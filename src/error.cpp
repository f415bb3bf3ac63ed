#include "sdcore/error.hpp"

namespace sdcore {

ParseError::ParseError(std::string file, std::int64_t line, std::int64_t column, std::string text,
                       const std::string& what)
    : Error(what), file_(std::move(file)), line_(line), column_(column), text_(std::move(text)) {}

IoError::IoError(std::string path, const std::string& what)
    : Error(what), path_(std::move(path)) {}

}  // namespace sdcore
