#pragma once
// Reading a YAML spec with errors that name the file, the key and the line (the `table` and
// `publish` specs share it).

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "sdcore/error.hpp"
#include "sdcore/suppression.hpp"

namespace sdcore::cli {

// Loads a YAML file: IoError when it cannot be read, ParseError (line, column) when malformed.
inline YAML::Node load_yaml(const std::string& path) {
  try {
    return YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw IoError(path, "cannot read the spec");
  } catch (const YAML::ParserException& e) {
    throw ParseError(path, e.mark.line + 1, e.mark.column + 1, "", "spec: " + e.msg);
  }
}

// The same for spec text held in memory (tests, fuzzing); `name` stands for the file in errors.
inline YAML::Node load_yaml_text(std::string_view text, const std::string& name) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    throw ParseError(name, e.mark.line + 1, e.mark.column + 1, "", "spec: " + e.msg);
  }
}

// A yaml-cpp conversion error that no check caught is still the spec's fault: the spec's
// InvalidArgument with its name and line (table and publish specs).
[[noreturn]] inline void throw_spec_error(const std::string& name, const YAML::Exception& e) {
  throw InvalidArgument("spec " + name + ": " + e.msg + " (line " + std::to_string(e.mark.line + 1) + ")");
}

// Spec errors name the file and the line, since a spec is often one of several in a pipeline.
class SpecReader {
 public:
  explicit SpecReader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void bad(const YAML::Node& n, const std::string& what) const {
    throw InvalidArgument("spec " + path_ + ": " + what + " (line " + std::to_string(n.Mark().line + 1) + ")");
  }

  void only_keys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& context) const {
    if (!map.IsMap()) bad(map, context + " must be a mapping");
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) bad(kv.first, "a key of " + context + " must be a name, not a list or a mapping");
      const auto key = kv.first.Scalar();
      if (allowed.count(key)) continue;
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      bad(kv.first, "unknown key '" + key + "' in " + context + " (expected one of: " + list + ")");
    }
  }

  template <class T>
  T get(const YAML::Node& n, const std::string& key) const {
    try {
      return n.as<T>();
    } catch (const YAML::Exception&) {
      bad(n, "'" + key + "' has an invalid value '" + (n.IsScalar() ? n.Scalar() : std::string("<not a scalar>")) + "'");
    }
  }

  // A path in the spec, relative to the spec's folder.
  std::string file(const YAML::Node& n, const std::string& key) const {
    std::filesystem::path p = get<std::string>(n, key);
    if (p.is_relative()) p = std::filesystem::path(path_).parent_path() / p;
    return p.string();
  }

 private:
  std::string path_;
};

// The keys of a secondary suppression block that the `table` spec and a publication rule share:
// cost (value | cells), time_limit, relative_gap (table_spec.cpp).
void parse_secondary_limits(const SpecReader& in, const YAML::Node& n, SecondaryOptions& o);

}  // namespace sdcore::cli
