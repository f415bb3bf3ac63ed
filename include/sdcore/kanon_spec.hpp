#pragma once
/// \file kanon_spec.hpp
/// The anonymisation spec: a YAML file naming the quasi-identifiers with their hierarchies, the
/// privacy models, the suppression limit and the quality model, as `sdcore anonymise --spec`
/// and `sdcore.anonymise(df, spec)` read it. docs/methods/kanon.md documents every key.
///
/// Example spec:
/// \code{.yaml}
///   quasi_identifiers:
///     age: {hierarchy: adult_hierarchy_age.csv}     # ARX-format file, relative to the spec
///     sex: {hierarchy: adult_hierarchy_sex.csv}
///     postcode: {builder: postcodes}                 # or mask_right, dates
///     los: {builder: intervals, widths: [5, 10], top: 30}
///   models: {k: 5, l_diversity: [{column: diagnosis, kind: distinct, l: 2}]}
///   suppression_limit: 0.05
///   quality: loss
/// \endcode
///
/// Thread-safety: the functions are re-entrant.

#include <string>
#include <string_view>
#include <vector>

#include "sdcore/kanon.hpp"

namespace sdcore {

/// A parsed spec. `options.models.population` is left null: load `population_path` (relative
/// paths resolved against the spec's folder) and point it there when k-map is used.
struct AnonymisationSpec {
  std::vector<QuasiIdentifier> quasi_identifiers;
  AnonymiseOptions options;
  std::string population_path;
};

/// Parses spec text. Builders (intervals, dates, postcodes, mask_right) take their values from
/// `data`; hierarchy files are read relative to `base_dir`. Throws ParseError (with `name`, line
/// and column) for malformed YAML and InvalidArgument naming the key and line for unknown keys or
/// bad values.
AnonymisationSpec parse_anonymisation_spec(std::string_view yaml, const Table& data, const std::string& base_dir = ".",
                                           const std::string& name = "<spec>");

/// Reads and parses a spec file; relative paths inside resolve against its folder.
AnonymisationSpec read_anonymisation_spec(const std::string& path, const Table& data);

}  // namespace sdcore
